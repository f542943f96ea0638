//! The fairness view, on SQLite and PostgreSQL: on the Nord fixture, every
//! figure written here by hand — the Lille tribunal's scope (Martin, ATMP
//! Nord, Durand approved in the Nord; Petit preferring Lille), each one's
//! share of the reservations against its share of the capacity, the first
//! tenth's share, the Gini index, who was never solicited with free places —
//! and who may see which tribunal.

use crate::common;

use common::nord::{fixture, get, login, page_html};
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn a_tribunals_reservations_are_compared_with_its_professionals_capacity() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let ago = |days: i64| (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
        // Lille's reservations of the last 12 months: Martin 6, Petit 4, ATMP
        // Nord and Durand none; one to Robert (Paris, outside the scope).
        // Not counted: Martin's of 13 months ago, and Arras's to Martin.
        let mut rows = Vec::new();
        rows.extend((0..6).map(|i| (1, 1, ago(10 + i))));
        rows.extend((0..4).map(|i| (2, 1, ago(100 + i))));
        rows.push((5, 1, ago(20)));
        rows.push((1, 1, ago(400)));
        rows.push((1, 2, ago(5)));
        for (i, (gestionnaire, tribunal, at)) in rows.into_iter().enumerate() {
            t.db.execute_unprepared(&format!(
                "INSERT INTO mesures (id, gestionnaire_id, tribunal_id, numero_rg, statut, nature, pays, urgent, date_reservation, created_at, updated_at) \
                 VALUES ({id}, {gestionnaire}, {tribunal}, 'REP{i:05}', 'en_cours', 'tutelle', 'FR', false, '{at}', '{at}', '{at}')",
                id = 3000 + i
            ))
            .await
            .expect("mesure");
        }
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let (status, r) = get(&app, Some(&juge), "/api/v1/repartition").await;
        assert_eq!(status, 200, "{b}: {r}");
        assert_eq!(r["tribunal"], "Tribunal judiciaire de Lille", "{b}");
        assert_eq!(
            (r["reservations"].as_u64(), r["reservations_hors_perimetre"].as_u64(), r["mandataires"].as_u64()),
            (Some(10), Some(1), Some(4)),
            "{b}: {r}"
        );
        // Capacity as Lille sees it: Martin 10, Petit 10, ATMP Nord 30 (its
        // Dunkerque antenne, in the Nord), Durand 0 (suspended): 50 in all.
        // Gaps: ATMP 0 − 60 = −60; Durand 0; Petit 40 − 20 = +20; Martin 60 − 20 = +40.
        let lignes: Vec<(String, u64, i64, f64)> = r["lignes"]
            .as_array()
            .expect("lignes")
            .iter()
            .map(|l| {
                (
                    l["nom"].as_str().expect("nom").to_string(),
                    l["reservations"].as_u64().expect("n"),
                    l["mesures_souhaitees"].as_i64().expect("capacité"),
                    l["ecart_points"].as_f64().expect("écart"),
                )
            })
            .collect();
        let expected =
            [("ATMP Nord", 0, 30, -60.0), ("Chloé Durand", 0, 0, 0.0), ("Bruno Petit", 4, 10, 20.0), ("Alice Martin", 6, 10, 40.0)];
        assert_eq!(lignes.len(), expected.len(), "{b}: {lignes:?}");
        for ((nom, n, capacite, ecart), (nom_attendu, n_attendu, capacite_attendue, ecart_attendu)) in lignes.iter().zip(expected) {
            assert_eq!(nom, nom_attendu, "{b}");
            assert_eq!((*n, *capacite), (n_attendu, capacite_attendue), "{b}: {nom}");
            assert!((ecart - ecart_attendu).abs() < 1e-9, "{b}: {nom} {ecart}");
        }
        // The first tenth (1 of 4): Martin's 6 of 10. Gini of [0, 0, 4, 6]: 2 × 36 / 40 − 5/4 = 0.55.
        assert!((r["part_premier_dixieme"].as_f64().expect("dixième") - 60.0).abs() < 1e-9, "{b}: {r}");
        assert!((r["gini"].as_f64().expect("gini") - 0.55).abs() < 1e-9, "{b}: {r}");
        // Never solicited with free places: ATMP Nord (5 free in the Nord);
        // not Durand (suspended).
        let jamais: Vec<&str> =
            r["jamais_sollicites"].as_array().expect("jamais").iter().map(|l| l["nom"].as_str().expect("nom")).collect();
        assert_eq!(jamais, ["ATMP Nord"], "{b}");

        // The page says it in words, without JavaScript.
        let html = page_html(&app, &juge, "/tribunal/repartition").await;
        for text in [
            "Répartition des mesures entre les mandataires",
            "60,0 %",
            "0,55",
            "répartition concentrée",
            "−60,0 points",
            "+40,0 points",
            "hors de son périmètre",
        ] {
            assert!(html.contains(text), "{b}: « {text} » absent");
        }

        // Who sees which tribunal.
        let greffe = login(&app, "greffe.lille@exemple.fr").await;
        assert_eq!(get(&app, Some(&greffe), "/api/v1/repartition?tribunal=1").await.0, 200, "{b}");
        assert_eq!(get(&app, Some(&juge), "/api/v1/repartition?tribunal=2").await.0, 403, "{b}: another tribunal");
        let (status, body) = get(&app, Some(&juge), "/api/v1/repartition?tribunal=lille").await;
        assert_eq!(status, 400, "{b}: {body}");
        assert!(body.to_string().contains("n'est pas un numéro de tribunal"), "{b}: {body}");
        let arras = login(&app, "juge.arras@exemple.fr").await;
        let (_, r_arras) = get(&app, Some(&arras), "/api/v1/repartition").await;
        assert_eq!(r_arras["tribunal"], "Tribunal judiciaire d'Arras", "{b}: its own");
        common::nord::ddets_du_nord(&t.db).await;
        let direction = login(&app, "ddets59@exemple.fr").await;
        let (status, r_direction) = get(&app, Some(&direction), "/api/v1/repartition?tribunal=1").await;
        assert_eq!((status, r_direction["reservations"].as_u64()), (200, Some(10)), "{b}: Lille is in the Nord");
        assert_eq!(get(&app, Some(&direction), "/api/v1/repartition?tribunal=2").await.0, 403, "{b}: Arras is not");
        assert_eq!(get(&app, Some(&direction), "/api/v1/repartition?tribunal=999").await.0, 403, "{b}: unknown looks the same");
        assert_eq!(get(&app, Some(&direction), "/api/v1/repartition").await.0, 400, "{b}: a direction names the tribunal");
        // Its page: the tribunals of its territory to choose from, then the view without links to the judges' pages.
        let html = page_html(&app, &direction, "/direction/repartition").await;
        assert!(html.contains("Tribunal judiciaire de Lille (59)") && !html.contains("Arras"), "{b}");
        assert!(html.contains("Choisissez un tribunal de votre territoire."), "{b}");
        let html = page_html(&app, &direction, "/direction/repartition?tribunal=1").await;
        assert!(html.contains("+40,0 points") && !html.contains("/tribunal/mandataires/"), "{b}");
        let martin = login(&app, "martin@exemple.fr").await;
        assert_eq!(get(&app, Some(&martin), "/api/v1/repartition").await.0, 403, "{b}");
        assert_eq!(get(&app, None, "/api/v1/repartition").await.0, 401, "{b}");
        t.cleanup().await;
    }
}
