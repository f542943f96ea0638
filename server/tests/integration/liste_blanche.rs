//! The liste blanche kept by the directions, on SQLite and PostgreSQL: a
//! départemental direction lists, adds and edits the approvals of its
//! département only, never touching what other territories hold; the
//! administrators act everywhere; the judges' search follows at once.

use crate::common;
use common::client::{form_post, submit};

use common::nord::{fixture, get, login};
use common::{count, send};

async fn list(app: &axum::Router, cookie: &str, query: &str) -> (u16, serde_json::Value) {
    let (status, _, body) = send(app, form_post(Some(cookie), "/api/fn/liste_blanche", &[("query", query)])).await;
    (status, serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)))
}

fn ids(page: &serde_json::Value) -> Vec<i64> {
    let mut ids: Vec<i64> = page["lignes"].as_array().expect("lignes").iter().map(|l| l["id"].as_i64().expect("id")).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_direction_keeps_the_approvals_of_its_territory_only() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        common::nord::ddets_du_nord(&t.db).await;
        let app = common::app(&t.db);
        let direction = login(&app, "ddets59@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let juge = login(&app, "juge.lille@exemple.fr").await;

        let (status, page) = list(&app, &direction, "").await;
        assert_eq!(status, 200, "{b}: {page}");
        assert_eq!(ids(&page), [1, 3, 4], "{b}: Nord's individuel, the service of Nord and Pas-de-Calais, the CHU's préposé");
        let (_, page) = list(&app, &direction, "q=atmp&type=service").await;
        assert_eq!(ids(&page), [3], "{b}");
        let (_, page) = list(&app, &admin, "").await;
        assert_eq!(ids(&page), [1, 2, 3, 4, 5], "{b}: administrators see everything");
        let (status, _) = list(&app, &juge, "").await;
        assert_eq!(status, 403, "{b}");

        // A new approval in Nord, then the judges' search sees its professional once linked.
        let nouveau = [
            ("type", "individuel"),
            ("nom", "Lambert"),
            ("prenom", "Camille"),
            ("siret", "73282932000074"),
            ("email", "Camille@Exemple.fr"),
            ("departements", "59"),
            ("financeur", "59"),
        ];
        let (status, location) = submit(&app, Some(&direction), "/liste-blanche", &nouveau).await;
        assert_eq!((status, location.as_str()), (303, "/liste-blanche?fait=cree"), "{b}");
        assert_eq!(
            count(&t.db, "liste_blanche WHERE nom = 'Lambert' AND email = 'camille@exemple.fr' AND siret = '73282932000074'").await,
            1,
            "{b}"
        );
        assert_eq!(count(&t.db, "liste_blanche_departements d JOIN liste_blanche l ON l.id = d.liste_blanche_id WHERE l.nom = 'Lambert' AND d.departement_code = '59' AND d.financeur = true").await, 1, "{b}");
        assert_eq!(count(&t.db, "audit_events WHERE action = 'liste_blanche.creation'").await, 1, "{b}");

        // Outside the territory: refused, nothing written.
        let entries = count(&t.db, "liste_blanche").await;
        let mut ailleurs = nouveau.to_vec();
        ailleurs[5] = ("departements", "62");
        ailleurs[6] = ("financeur", "62");
        let (_, location) = submit(&app, Some(&direction), "/liste-blanche", &ailleurs).await;
        assert!(location.contains("erreur_departements="), "{b}: {location}");
        let (_, location) = submit(
            &app,
            Some(&direction),
            "/liste-blanche/5",
            &[
                ("type", "individuel"),
                ("nom", "Robert"),
                ("prenom", "Denis"),
                ("siret", "73282932000074"),
                ("departements", "59"),
                ("financeur", "59"),
            ],
        )
        .await;
        assert!(location.contains("erreur=") && location.contains("introuvable"), "{b}: Paris's entry is not found: {location}");
        let (_, location) =
            submit(&app, Some(&direction), "/liste-blanche", &[("type", "prepose"), ("nom", "Girard"), ("prenom", "Inès")]).await;
        assert!(location.contains("erreur_etablissements="), "{b}: {location}");
        assert_eq!(count(&t.db, "liste_blanche").await, entries, "{b}");
        let (status, _, _) = send(&app, form_post(Some(&juge), "/liste-blanche/1", &nouveau)).await;
        assert_eq!(status, 403, "{b}: a judge changes nothing");

        // Editing the service of Nord and Pas-de-Calais: Pas-de-Calais stays as it is.
        let (status, location) = submit(
            &app,
            Some(&direction),
            "/liste-blanche/3",
            &[("type", "service"), ("nom", "ATMP Nord Métropole"), ("siret", ""), ("departements", "59")],
        )
        .await;
        assert_eq!((status, location.as_str()), (303, "/liste-blanche?fait=modifie"), "{b}");
        assert_eq!(count(&t.db, "liste_blanche_departements WHERE liste_blanche_id = 3").await, 2, "{b}: 59 and 62");
        assert_eq!(count(&t.db, "liste_blanche WHERE id = 3 AND nom = 'ATMP Nord Métropole'").await, 1, "{b}");
        // Withdrawing Nord from it: the Lille judge no longer finds it by default, Arras still does.
        let (_, location) =
            submit(&app, Some(&direction), "/liste-blanche/3", &[("type", "service"), ("nom", "ATMP Nord Métropole")]).await;
        assert_eq!(location, "/liste-blanche?fait=modifie", "{b}");
        assert_eq!(count(&t.db, "liste_blanche_departements WHERE liste_blanche_id = 3").await, 1, "{b}: 62 only");
        let (_, page) = get(&app, Some(&juge), "/api/v1/gestionnaires").await;
        assert!(page["resultats"].as_array().expect("a").iter().all(|r| r["id"] != 3), "{b}: {page}");
        let (_, page) = list(&app, &direction, "").await;
        assert!(!ids(&page).contains(&3), "{b}: it left the direction's territory");

        // The type never changes; the financeur is one of the départements.
        let (_, location) = submit(&app, Some(&direction), "/liste-blanche/1", &[("type", "service"), ("nom", "Martin")]).await;
        assert!(location.contains("erreur="), "{b}: {location}");
        let (_, location) = submit(
            &app,
            Some(&direction),
            "/liste-blanche/1",
            &[
                ("type", "individuel"),
                ("nom", "Martin"),
                ("prenom", "Alice"),
                ("siret", "73282932000074"),
                ("departements", "59"),
                ("departements", "62"),
                ("financeur", "75"),
            ],
        )
        .await;
        assert!(location.contains("erreur_financeur=") || location.contains("erreur_departements="), "{b}: {location}");
        // One département and no financeur chosen: that département finances.
        let seul = [
            ("type", "individuel"),
            ("nom", "Roux"),
            ("prenom", "Jeanne"),
            ("siret", "73282932000074"),
            ("email", "jeanne.roux@exemple.fr"),
            ("departements", "59"),
        ];
        let (status, location) = submit(&app, Some(&direction), "/liste-blanche", &seul).await;
        assert_eq!((status, location.as_str()), (303, "/liste-blanche?fait=cree"), "{b}: no financeur to pick");
        assert_eq!(count(&t.db, "liste_blanche_departements d JOIN liste_blanche l ON l.id = d.liste_blanche_id WHERE l.nom = 'Roux' AND d.departement_code = '59' AND d.financeur = true").await, 1, "{b}");

        // Administrators everywhere.
        let (_, location) = submit(
            &app,
            Some(&admin),
            "/liste-blanche/5",
            &[
                ("type", "individuel"),
                ("nom", "Robert"),
                ("prenom", "Denis"),
                ("siret", "73282932000074"),
                ("departements", "75"),
                ("departements", "59"),
                ("financeur", "75"),
            ],
        )
        .await;
        assert_eq!(location, "/liste-blanche?fait=modifie", "{b}");
        let (_, page) = get(&app, Some(&juge), "/api/v1/gestionnaires").await;
        assert!(page["resultats"].as_array().expect("a").iter().any(|r| r["id"] == 5), "{b}: approved in Nord now");

        // Nord's direction changes only Nord's part of this shared approval: the
        // financeur stays in Paris, whatever the request says.
        let paris_finance = "liste_blanche_departements WHERE liste_blanche_id = 5 AND departement_code = '75' AND financeur = true";
        let (_, location) = submit(
            &app,
            Some(&direction),
            "/liste-blanche/5",
            &[
                ("type", "individuel"),
                ("nom", "Robert"),
                ("prenom", "Denis"),
                ("siret", "73282932000074"),
                ("departements", "59"),
                ("financeur", "59"),
            ],
        )
        .await;
        assert!(location.contains("erreur_financeur="), "{b}: {location}");
        assert_eq!(count(&t.db, paris_finance).await, 1, "{b}: the financeur did not move");
        let (_, location) = submit(
            &app,
            Some(&direction),
            "/liste-blanche/5",
            &[("type", "individuel"), ("nom", "Robert"), ("prenom", "Denis"), ("siret", "73282932000074"), ("departements", "59")],
        )
        .await;
        assert_eq!(location, "/liste-blanche?fait=modifie", "{b}: without a financeur, Nord's part is saved");
        assert_eq!(count(&t.db, paris_finance).await, 1, "{b}");
        assert_eq!(count(&t.db, "liste_blanche_departements WHERE liste_blanche_id = 5 AND financeur = true").await, 1, "{b}");
        t.cleanup().await;
    }
}
