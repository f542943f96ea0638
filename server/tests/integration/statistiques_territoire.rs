//! A territory's statistics (`/direction/statistiques`, `GET /api/v1/statistiques`)
//! on SQLite and PostgreSQL: every figure on the Nord fixture plus the
//! measures and events below, where each expected number is written; the
//! Nord's DDETS sees its département only, the team anything; counts under 5
//! hidden on one tribunal; the CSV and XLSX exports read back equal the JSON.

use crate::common;

use common::nord::{ddets_du_nord, fixture, get, login, page_html};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

const PERIODE: &str = "debut=2026-09-01&fin=2026-11-30";

/// A measure as inserted: (id, tribunal, statut, nature, champ, lieu de vie,
/// urgent, reserved at, created at, nomination, end, cause).
type Mesure = (
    i64,
    i32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Measures of the Lille tribunal (Nord), one of Arras (Pas-de-Calais), and
/// their events; see each comment for what it counts in.
async fn monde(db: &sea_orm::DatabaseConnection) {
    let sql = |s: String| async move { db.execute_unprepared(&s).await.expect(&s) };
    // (id, tribunal, statut, nature, champ, lieu de vie, urgent, reserved at, created at, nomination, end, cause)
    #[rustfmt::skip]
    let mesures: [Mesure; 14] = [
        // Reserved 15 September, expired 15 November (no nomination: not a closing).
        (101, 1, "eteinte", "tutelle", "NULL", "NULL", false, "2026-09-15T09:00:00+00:00", "2026-09-15T09:00:00+00:00", "NULL", "2026-11-15", "NULL"),
        // Reserved 1 October at 00:30 in Paris (30 September in UTC): October's.
        (102, 1, "en_attente", "tutelle", "NULL", "NULL", false, "2026-09-30T22:30:00+00:00", "2026-09-30T22:30:00+00:00", "NULL", "NULL", "NULL"),
        // Reserved 10 October, accepted (named 12 October).
        (103, 1, "en_cours", "curatelle_renforcee", "protection_bien", "domicile", false, "2026-10-10T09:00:00+00:00", "2026-10-10T09:00:00+00:00", "2026-10-12", "NULL", "NULL"),
        (104, 1, "en_cours", "curatelle_renforcee", "protection_bien", "domicile", false, "2026-10-10T09:00:00+00:00", "2026-10-10T09:00:00+00:00", "2026-10-12", "NULL", "NULL"),
        // Reserved 2 November, urgent, reopening a closed measure, accepted (named 3 November).
        (105, 1, "en_cours", "tutelle", "NULL", "domicile", true, "2026-11-02T09:00:00+00:00", "2025-05-01T09:00:00+00:00", "2026-11-03", "NULL", "NULL"),
        // Reserved 2 November, urgent, cancelled 5 November.
        (106, 1, "eteinte", "tutelle", "NULL", "NULL", true, "2026-11-02T09:00:00+00:00", "2026-11-02T09:00:00+00:00", "NULL", "2026-11-05", "NULL"),
        // Reserved 2 November, declined by the professional.
        (107, 1, "en_attente", "tutelle", "NULL", "NULL", false, "2026-11-02T09:00:00+00:00", "2026-11-02T09:00:00+00:00", "NULL", "NULL", "NULL"),
        // Reserved in August: before the period.
        (108, 1, "en_attente", "tutelle", "NULL", "NULL", false, "2026-08-20T09:00:00+00:00", "2026-08-20T09:00:00+00:00", "NULL", "NULL", "NULL"),
        // Arras (Pas-de-Calais): outside the Nord's figures, in the national ones.
        (109, 2, "en_attente", "tutelle", "NULL", "NULL", false, "2026-11-02T09:00:00+00:00", "2026-11-02T09:00:00+00:00", "NULL", "NULL", "NULL"),
        // Recorded directly by the professional on 5 October.
        (110, 1, "en_cours", "sauvegarde_justice", "NULL", "etablissement", false, "NULL", "2026-10-05T09:00:00+00:00", "2026-10-05", "NULL", "NULL"),
        (111, 1, "en_cours", "sauvegarde_justice", "NULL", "etablissement", false, "NULL", "2026-10-05T09:00:00+00:00", "2026-10-05", "NULL", "NULL"),
        // Older measures: in progress since August; ended 10 October (décès); ended 20 November (no cause).
        (112, 1, "en_cours", "tutelle", "NULL", "domicile", false, "NULL", "2026-08-01T09:00:00+00:00", "2026-08-01", "NULL", "NULL"),
        (113, 1, "eteinte", "tutelle", "NULL", "domicile", false, "NULL", "2026-08-15T09:00:00+00:00", "2026-08-15", "2026-10-10", "'deces'"),
        (114, 1, "eteinte", "tutelle", "NULL", "domicile", false, "NULL", "2025-01-01T09:00:00+00:00", "2025-01-01", "2026-11-20", "NULL"),
    ];
    let texte = |v: &str| if v == "NULL" || v.starts_with('\'') { v.to_string() } else { format!("'{v}'") };
    for (id, tribunal, statut, nature, champ, lieu, urgent, reservee, creee, nomination, fin, cause) in mesures {
        let gestionnaire = if tribunal == 2 { 2 } else { 1 };
        sql(format!(
            "INSERT INTO mesures (id, gestionnaire_id, tribunal_id, numero_rg, statut, nature, champ, lieu_vie, pays, urgent, \
               date_reservation, date_nomination, date_fin, cause_sortie, created_at, updated_at) \
             VALUES ({id}, {gestionnaire}, {tribunal}, 'STAT{id}', '{statut}', '{nature}', {}, {}, 'FR', {urgent}, {}, {}, {}, {cause}, '{creee}', '{creee}')",
            texte(champ),
            texte(lieu),
            texte(reservee),
            texte(nomination),
            texte(fin)
        ))
        .await;
    }
    // Their events: each reservation of the period (7 in the Nord), the
    // acceptances after 2 h, 4 h and 1 h (median 2 h, 90 % within 4 h), one
    // acceptance in December (after the period), a cancellation, an expiry, a
    // refusal; Arras's reservation.
    let rouvrante = app::measures::reopening::RESERVATION_ROUVRANTE.replace('\'', "''");
    let evenements = [
        (101, "reservee", "2026-09-15T09:00:00+00:00", None),
        (102, "reservee", "2026-09-30T22:30:00+00:00", None),
        (103, "reservee", "2026-10-10T09:00:00+00:00", None),
        (104, "reservee", "2026-10-10T09:00:00+00:00", None),
        (105, "reservee", "2026-11-02T09:00:00+00:00", Some(rouvrante.as_str())),
        (106, "reservee", "2026-11-02T09:00:00+00:00", None),
        (107, "reservee", "2026-11-02T09:00:00+00:00", None),
        (108, "reservee", "2026-08-20T09:00:00+00:00", None),
        (109, "reservee", "2026-11-02T09:00:00+00:00", None),
        (103, "acceptee", "2026-10-10T11:00:00+00:00", None),
        (104, "acceptee", "2026-10-10T13:00:00+00:00", None),
        (105, "acceptee", "2026-11-02T10:00:00+00:00", None),
        (108, "acceptee", "2026-12-02T09:00:00+00:00", None),
        (106, "annulee", "2026-11-05T09:00:00+00:00", None),
        (101, "expiree", "2026-11-15T09:00:00+00:00", None),
        (107, "refusee", "2026-11-03T09:00:00+00:00", None),
    ];
    for (mesure, action, at, details) in evenements {
        let details = details.map_or("NULL".to_string(), |d| format!("'{d}'"));
        sql(format!("INSERT INTO mesure_evenements (mesure_id, at, action, details) VALUES ({mesure}, '{at}', '{action}', {details})"))
            .await;
    }
    // Martin's figures are 40 days old, ATMP Nord's fresh (Durand is suspended).
    let il_y_a = |jours: i64| (chrono::Utc::now() - chrono::Duration::days(jours)).to_rfc3339();
    sql(format!("UPDATE gestionnaires SET derniere_mise_a_jour = '{}' WHERE id = 1", il_y_a(40))).await;
    sql(format!("UPDATE gestionnaires SET derniere_mise_a_jour = '{}' WHERE id = 3", il_y_a(1))).await;
    // Written in bulk, as the demo data's loading does: the figures kept ahead are counted once.
    app::statistiques::agregats::reconstruire(db).await.expect("comptage des statistiques");
}

/// The rows of one table of the JSON: (label, values).
fn tableau(stats: &Value, code: &str) -> Vec<(String, Vec<Value>)> {
    let t = stats["tableaux"].as_array().expect("tableaux").iter().find(|t| t["code"] == code).unwrap_or_else(|| panic!("{code}: {stats}"));
    t["lignes"]
        .as_array()
        .expect("lignes")
        .iter()
        .map(|l| (l["libelle"].as_str().expect("libellé").to_string(), l["valeurs"].as_array().expect("valeurs").clone()))
        .collect()
}

fn lignes(attendu: &[(&str, Value)]) -> Vec<(String, Vec<Value>)> {
    attendu.iter().map(|(l, v)| (l.to_string(), v.as_array().expect("valeurs").clone())).collect()
}

#[tokio::test]
async fn every_figure_of_a_territory_is_counted_on_its_measures_and_professionals() {
    for t in common::databases().await {
        fixture(&t.db).await;
        monde(&t.db).await;
        ddets_du_nord(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let ddets = login(&app, "ddets59@exemple.fr").await;
        let (status, stats) = get(&app, Some(&ddets), &format!("/api/v1/statistiques?{PERIODE}")).await;
        assert_eq!(status, 200, "{b}: {stats}");
        assert_eq!(
            (stats["territoire"].as_str(), stats["debut"].as_str(), stats["fin"].as_str()),
            (Some("Département Nord (59)"), Some("2026-09-01"), Some("2026-11-30")),
            "{b}"
        );
        assert_eq!(stats["petits_nombres_masques"], false, "{b}");
        assert_eq!(
            stats["essentiel"],
            json!({"reservees": 7, "enregistrees": 2, "en_cours": 6, "delai_median_minutes": 120, "part_chiffres_anciens": 50}),
            "{b}"
        );
        assert_eq!(
            tableau(&stats, "mesures_par_mois"),
            lignes(&[("septembre 2026", json!([1, 0])), ("octobre 2026", json!([3, 2])), ("novembre 2026", json!([3, 0]))]),
            "{b}: the reservation of 1 October at 00:30 in Paris is October's"
        );
        let nature = tableau(&stats, "mesures_par_nature");
        let n = |rows: &[(String, Vec<Value>)], label: &str| rows.iter().find(|(l, _)| l == label).map(|(_, v)| v[0].clone());
        assert_eq!(
            (
                n(&nature, "Tutelle"),
                n(&nature, "Curatelle renforcée"),
                n(&nature, "Sauvegarde de justice avec mandat spécial"),
                n(&nature, "Curatelle simple")
            ),
            (Some(json!(5)), Some(json!(2)), Some(json!(2)), Some(json!(0))),
            "{b}"
        );
        assert_eq!(nature.len(), 9, "{b}: every nature, none unknown");
        let champ = tableau(&stats, "mesures_par_champ");
        assert_eq!((n(&champ, "Protection des biens"), n(&champ, "Non renseigné")), (Some(json!(2)), Some(json!(7))), "{b}");
        let lieu = tableau(&stats, "mesures_par_lieu_de_vie");
        assert_eq!(
            (n(&lieu, "Domicile"), n(&lieu, "Établissement"), n(&lieu, "Non renseigné")),
            (Some(json!(3)), Some(json!(2)), Some(json!(4))),
            "{b}"
        );
        let kind = tableau(&stats, "mesures_par_type_de_mandataire");
        assert_eq!((n(&kind, "Mandataire individuel"), n(&kind, "Service mandataire")), (Some(json!(9)), Some(json!(0))), "{b}: {kind:?}");
        assert_eq!(
            tableau(&stats, "mesures_en_cours_par_mois"),
            lignes(&[
                ("septembre 2026 (au 30/09/2026)", json!([3])),
                ("octobre 2026 (au 31/10/2026)", json!([6])),
                ("novembre 2026 (au 30/11/2026)", json!([6])),
            ]),
            "{b}"
        );
        // Mainlevée, décès, caducité, two dessaisissements, no cause, total.
        assert_eq!(
            tableau(&stats, "fins_de_mesure_par_mois"),
            lignes(&[
                ("septembre 2026", json!([0, 0, 0, 0, 0, 0, 0])),
                ("octobre 2026", json!([0, 1, 0, 0, 0, 0, 1])),
                ("novembre 2026", json!([0, 0, 0, 0, 0, 1, 1])),
            ]),
            "{b}: a cancelled or expired reservation is not a closing"
        );
        assert_eq!(
            tableau(&stats, "reservations"),
            lignes(&[
                ("Réservations", json!([7])),
                ("dont urgentes (%)", json!([29])),
                ("dont mesures éteintes rouvertes", json!([1])),
                ("Acceptations", json!([3])),
                ("Refus du mandataire", json!([1])),
                ("Annulations par le tribunal", json!([1])),
                ("Expirations sans réponse", json!([1])),
                ("Délai médian jusqu'à l'acceptation (heures)", json!([2])),
                ("Délai dans 90 % des cas au plus (heures)", json!([4])),
            ]),
            "{b}"
        );
        // Approved in the Nord: Martin (5 of 10), ATMP Nord (45 of 100), Durand (suspended, through the CHU de Lille).
        assert_eq!(
            tableau(&stats, "charge_des_mandataires").into_iter().map(|(_, v)| v[0].clone()).collect::<Vec<_>>(),
            vec![json!(2), json!(0), json!(0), json!(0), json!(1)],
            "{b}"
        );
        assert_eq!(tableau(&stats, "disponibilites_par_departement"), lignes(&[("59 — Nord", json!([110, 50, 59]))]), "{b}");
        assert_eq!(
            tableau(&stats, "fraicheur_des_chiffres").into_iter().map(|(_, v)| v[0].clone()).collect::<Vec<_>>(),
            vec![json!(2), json!(1), json!(50)],
            "{b}"
        );
        assert_eq!(tableau(&stats, "mandataires_agrees_par_departement"), lignes(&[("59 — Nord", json!([1, 1, 1, 3]))]), "{b}");
        assert_eq!(
            tableau(&stats, "agrements_par_mois"),
            lignes(&[("septembre 2026", json!([0])), ("octobre 2026", json!([0])), ("novembre 2026", json!([3]))]),
            "{b}"
        );

        // The team sees the whole of France: Arras's reservation too.
        let admin = login(&app, "admin@exemple.fr").await;
        let (status, national) = get(&app, Some(&admin), &format!("/api/v1/statistiques?{PERIODE}")).await;
        assert_eq!(status, 200, "{b}: {national}");
        assert_eq!(national["territoire"], "France entière", "{b}");
        assert_eq!(tableau(&national, "mesures_par_mois")[2].1, vec![json!(4), json!(0)], "{b}");
        let (_, pas_de_calais) = get(&app, Some(&admin), &format!("/api/v1/statistiques?{PERIODE}&departement=62")).await;
        assert_eq!(pas_de_calais["essentiel"]["reservees"], 1, "{b}: {pas_de_calais}");

        // One tribunal: counts under 5 hidden, the rest shown.
        let (status, lille) = get(&app, Some(&ddets), &format!("/api/v1/statistiques?{PERIODE}&tribunal=1")).await;
        assert_eq!(status, 200, "{b}: {lille}");
        assert_eq!(lille["petits_nombres_masques"], true, "{b}");
        assert_eq!(lille["territoire"], "Département Nord (59) — Tribunal judiciaire de Lille", "{b}");
        assert_eq!(lille["essentiel"]["reservees"], 7, "{b}");
        assert_eq!(lille["essentiel"]["enregistrees"], Value::Null, "{b}: 2 is under 5");
        assert_eq!(lille["essentiel"]["delai_median_minutes"], Value::Null, "{b}: 3 delays are too few");
        assert_eq!(tableau(&lille, "mesures_par_mois")[1].1, vec![Value::Null, Value::Null], "{b}");
        let nature = tableau(&lille, "mesures_par_nature");
        assert_eq!((n(&nature, "Tutelle"), n(&nature, "Curatelle renforcée")), (Some(json!(5)), Some(Value::Null)), "{b}");

        // One query per figure, not one per measure or professional: the
        // page and the JSON each make at most 30 (sessions included).
        let compteur = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut compte = t.db.clone();
        let c = compteur.clone();
        compte.set_metric_callback(move |_| {
            c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        let app_comptee = common::app(&compte);
        for uri in [format!("/api/v1/statistiques?{PERIODE}"), format!("/direction/statistiques?{PERIODE}")] {
            compteur.store(0, std::sync::atomic::Ordering::SeqCst);
            assert_eq!(get(&app_comptee, Some(&admin), &uri).await.0, 200, "{b}: {uri}");
            let requetes = compteur.load(std::sync::atomic::Ordering::SeqCst);
            assert!((5..=30).contains(&requetes), "{b}: {uri}: {requetes} queries");
        }

        // The page, without JavaScript: the figures and the exports' links.
        let page = page_html(&app, &ddets, &format!("/direction/statistiques?{PERIODE}")).await;
        for attendu in [
            "Département Nord (59) — du 01/09/2026 au 30/11/2026",
            "Nouvelles mesures par mois",
            "octobre 2026",
            "Fins de mesure par mois et par cause",
            "/api/v1/statistiques?debut=2026-09-01&amp;fin=2026-11-30&amp;format=csv&amp;tableau=mesures_par_mois",
            "<svg role=\"img\"",
        ] {
            assert!(page.contains(attendu), "{b}: {attendu} missing");
        }
        let page = page_html(&app, &admin, &format!("/direction/statistiques?{PERIODE}")).await;
        assert!(page.contains("France entière — du 01/09/2026"), "{b}: the team opens it too");
    }
}

#[tokio::test]
async fn a_direction_sees_only_its_territory_and_bad_filters_are_refused_in_french() {
    for t in common::databases().await {
        fixture(&t.db).await;
        ddets_du_nord(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let ddets = login(&app, "ddets59@exemple.fr").await;
        for ailleurs in ["departement=62", "tribunal=2", "tribunal=999", "departement=99"] {
            let (status, body) = get(&app, Some(&ddets), &format!("/api/v1/statistiques?{ailleurs}")).await;
            assert_eq!(status, 403, "{b}: {ailleurs}: {body}");
        }
        for (filtre, message) in [
            ("debut=2026-05-01&fin=2026-04-01", "La date de début doit précéder la date de fin."),
            ("debut=hier", "« début »"),
            ("debut=2019-01-01&fin=2026-01-01", "60 mois au plus"),
            ("type=notaire", "Type de mandataire inconnu"),
            ("tribunal=lille", "n'est pas un numéro de tribunal"),
            ("format=pdf", "Format inconnu"),
            ("format=csv&tableau=tout", "Tableau inconnu"),
        ] {
            let (status, body) = get(&app, Some(&ddets), &format!("/api/v1/statistiques?{filtre}")).await;
            assert_eq!(status, 400, "{b}: {filtre}: {body}");
            assert!(body.to_string().contains(message), "{b}: {filtre}: {body}");
        }
        // A regional direction: its région's départements, not the others.
        let dreets = common::insert_user(&t.db, "dreets32@exemple.fr", "direction", true).await;
        t.db.execute_unprepared(&format!(
            "INSERT INTO directions (user_id, type, region_code, structure) VALUES ({dreets}, 'regional', '32', 'DREETS Hauts-de-France')"
        ))
        .await
        .expect("direction régionale");
        let dreets = login(&app, "dreets32@exemple.fr").await;
        let (status, region) = get(&app, Some(&dreets), "/api/v1/statistiques").await;
        assert_eq!((status, region["territoire"].as_str()), (200, Some("Région Hauts-de-France")), "{b}: {region}");
        let (status, arras) = get(&app, Some(&dreets), "/api/v1/statistiques?departement=62&tribunal=2").await;
        assert_eq!(
            (status, arras["territoire"].as_str()),
            (200, Some("Département Pas-de-Calais (62) — Tribunal judiciaire d'Arras")),
            "{b}"
        );
        assert_eq!(get(&app, Some(&dreets), "/api/v1/statistiques?departement=75").await.0, 403, "{b}");
        assert_eq!(
            get(&app, Some(&dreets), "/api/v1/statistiques?departement=59&tribunal=2").await.0,
            403,
            "{b}: Arras is not in the Nord"
        );
        let juge = login(&app, "juge.lille@exemple.fr").await;
        assert_eq!(get(&app, Some(&juge), "/api/v1/statistiques").await.0, 403, "{b}");
        assert_eq!(get(&app, None, "/api/v1/statistiques").await.0, 401, "{b}");
        let admin = login(&app, "admin@exemple.fr").await;
        assert_eq!(get(&app, Some(&admin), "/api/v1/statistiques?departement=99").await.0, 400, "{b}: the team learns it does not exist");
        assert_eq!(get(&app, Some(&admin), "/api/v1/statistiques?tribunal=999").await.0, 404, "{b}");
        // The default period: the last 12 months, to today.
        let (_, stats) = get(&app, Some(&ddets), "/api/v1/statistiques").await;
        assert_eq!(tableau(&stats, "mesures_par_mois").len(), 12, "{b}: {stats}");
    }
}

#[tokio::test]
async fn the_exports_say_what_the_page_says() {
    use calamine::Reader;
    for t in common::databases().await {
        fixture(&t.db).await;
        monde(&t.db).await;
        ddets_du_nord(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let ddets = login(&app, "ddets59@exemple.fr").await;
        let (_, stats) = get(&app, Some(&ddets), &format!("/api/v1/statistiques?{PERIODE}")).await;
        let fichier = |query: String| {
            let (app, ddets) = (app.clone(), ddets.clone());
            async move {
                let request = axum::http::Request::get(format!("/api/v1/statistiques?{PERIODE}&{query}"))
                    .header(axum::http::header::COOKIE, ddets)
                    .body(axum::body::Body::empty())
                    .expect("requête");
                let response = tower::ServiceExt::oneshot(app, request).await.expect("réponse");
                assert_eq!(response.status(), 200, "{query}");
                let kind = response.headers()[axum::http::header::CONTENT_TYPE].to_str().expect("type").to_string();
                let bytes = http_body_util::BodyExt::collect(response.into_body()).await.expect("corps").to_bytes();
                (kind, bytes.to_vec())
            }
        };
        // One table as CSV: its headings and rows, as in the JSON.
        let (kind, csv) = fichier("format=csv&tableau=mesures_par_mois".into()).await;
        assert_eq!(kind, "text/csv; charset=utf-8", "{b}");
        let csv = String::from_utf8(csv).expect("UTF-8");
        assert_eq!(
            csv,
            "\u{feff}Mois;Réservées par le service;Enregistrées directement\nseptembre 2026;1;0\noctobre 2026;3;2\nnovembre 2026;3;0\n",
            "{b}"
        );
        // Every table as CSV, one value a line: as many lines as values in the JSON.
        let (_, tout) = fichier("format=csv".into()).await;
        let tout = String::from_utf8(tout).expect("UTF-8");
        let valeurs: usize = stats["tableaux"]
            .as_array()
            .expect("tableaux")
            .iter()
            .flat_map(|t| t["lignes"].as_array().expect("lignes").iter().map(|l| l["valeurs"].as_array().expect("valeurs").len()))
            .sum();
        assert_eq!(tout.lines().count(), valeurs + 1, "{b}");
        assert!(tout.contains("Département Nord (59);2026-09-01;2026-11-30;reservations;Acceptations;Valeur;3"), "{b}");
        // XLSX: a sheet per table, each cell equal to the JSON's.
        let (kind, xlsx) = fichier("format=xlsx".into()).await;
        assert_eq!(kind, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "{b}");
        let mut classeur: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).expect("XLSX lisible");
        assert_eq!(
            classeur.sheet_names().len(),
            stats["tableaux"].as_array().expect("tableaux").len() + 1,
            "{b}: Présentation + one per table"
        );
        for t in stats["tableaux"].as_array().expect("tableaux") {
            let titre: String = t["titre"].as_str().expect("titre").chars().filter(|c| !"[]:*?/\\".contains(*c)).take(28).collect();
            let feuille = classeur.worksheet_range(titre.trim()).unwrap_or_else(|e| panic!("{b}: {titre}: {e}"));
            let rows: Vec<Vec<String>> = feuille.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
            let colonnes: Vec<String> =
                t["colonnes"].as_array().expect("colonnes").iter().map(|c| c.as_str().expect("colonne").to_string()).collect();
            assert_eq!(rows[0], colonnes, "{b}: {titre}");
            for (row, ligne) in rows[1..].iter().zip(t["lignes"].as_array().expect("lignes")) {
                let mut attendu = vec![ligne["libelle"].as_str().expect("libellé").to_string()];
                attendu.extend(
                    ligne["valeurs"].as_array().expect("valeurs").iter().map(|v| v.as_i64().map_or(String::new(), |n| n.to_string())),
                );
                assert_eq!(row, &attendu, "{b}: {titre}");
            }
            assert_eq!(rows.len(), t["lignes"].as_array().expect("lignes").len() + 1, "{b}: {titre}");
        }
    }
}

/// The measures that existed before the figures' table are counted once,
/// after the migrations, by whichever instance starts first: two starting
/// together count once between them, and the figures then equal a recount.
#[tokio::test]
async fn the_measures_of_before_the_figures_table_are_counted_once_by_one_instance() {
    for t in common::databases().await {
        fixture(&t.db).await;
        monde(&t.db).await;
        let b = t.backend;
        // As the migration leaves it: measures, no figures, the request.
        t.db.execute_unprepared("DELETE FROM statistiques_mesures").await.expect("vidage");
        t.db.execute_unprepared("DELETE FROM dernieres_reservations").await.expect("vidage");
        t.db.execute_unprepared(&format!(
            "INSERT INTO statistiques (nom, calculees_at, donnees) VALUES ('{}', '2026-12-07T00:00:00+00:00', '')",
            app::statistiques::agregats::A_RECONSTRUIRE
        ))
        .await
        .expect("demande");
        let (un, deux) = tokio::join!(
            app::statistiques::agregats::reconstruire_si_besoin(&t.db),
            app::statistiques::agregats::reconstruire_si_besoin(&t.db)
        );
        let comptages: Vec<Option<usize>> = vec![un.expect("premier"), deux.expect("second")];
        assert_eq!(comptages.iter().filter(|c| c.is_some()).count(), 1, "{b}: one of them counts: {comptages:?}");
        assert!(comptages.iter().flatten().all(|n| *n > 10), "{b}: {comptages:?}");
        let ecarts = app::statistiques::agregats::ecarts(&t.db).await.expect("recomptage");
        assert!(ecarts.is_empty(), "{b}: {ecarts:?}");
        // And the search's last reservations by tribunal: Lille's of Martin (gestionnaire 1), 2 November.
        let derniere =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT reservee_at FROM dernieres_reservations WHERE tribunal_id = 1 AND gestionnaire_id = 1",
            ))
            .await
            .expect("lecture")
            .expect("une ligne");
        let at: chrono::DateTime<chrono::FixedOffset> = derniere.try_get("", "reservee_at").expect("date");
        assert_eq!(at.to_rfc3339(), "2026-11-02T09:00:00+00:00", "{b}");
        assert_eq!(app::statistiques::agregats::reconstruire_si_besoin(&t.db).await.expect("encore"), None, "{b}: once only");
        t.cleanup().await;
    }
}
