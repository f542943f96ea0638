//! The public impact page (`/statistiques`, `GET /api/v1/statistiques/publiques`),
//! on SQLite and PostgreSQL: every figure on the Nord fixture where its
//! expected value is written here, counts under 5 hidden, no personal data in
//! the page, and the figures read from the row the daily job keeps (a visitor
//! never makes the database count).

use crate::common;

use app::statistiques::{service, MoisNombre, OuverturePrevue};
use common::nord::{fixture, get};
use common::{count, insert_user};
use sea_orm::ConnectionTrait;

/// The instant the figures are computed at.
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").expect("date").with_timezone(&chrono::Utc)
}

/// Adds to the Nord fixture what every figure counts (see each comment).
async fn monde(db: &sea_orm::DatabaseConnection) {
    let sql = |s: String| async move { db.execute_unprepared(&s).await.expect(&s) };
    // Rollout: the Nord open, the Pas-de-Calais in pilot, Paris planned.
    sql("INSERT INTO deploiements (departement_code, etat, vague, date_prevue, date_ouverture, updated_at) VALUES \
         ('59', 'ouvert', 'HdF', NULL, '2026-03-02', '2026-11-01T00:00:00+00:00'), \
         ('62', 'pilote', 'HdF', NULL, '2026-10-05', '2026-11-01T00:00:00+00:00'), \
         ('75', 'non_ouvert', 'IdF', '2027-01-04', NULL, '2026-11-01T00:00:00+00:00')"
        .to_string())
    .await;
    // Tribunals: Lille and Arras have judges; three more with an active judge,
    // one whose only judge is not active (not counted): 5.
    for (id, actif) in [(3, true), (4, true), (5, true), (6, false)] {
        sql(format!(
            "INSERT INTO tribunaux (id, nom, type, adresse, code_postal, ville, commune_code, departement_code, latitude, longitude, demo, created_at, updated_at) \
             VALUES ({id}, 'Tribunal {id}', 'tribunal_judiciaire', '1 place', '59000', 'Lille', '59350', '59', 50.6, 3.0, true, \
             '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
        ))
        .await;
        let juge = insert_user(db, &format!("juge{id}@exemple.fr"), "magistrat", actif).await;
        sql(format!("INSERT INTO magistrats (user_id, tribunal_id) VALUES ({juge}, {id})")).await;
    }
    // Professionals with an active member: Martin, Petit, ATMP Nord (fixture),
    // Robert and Eve; Durand's only member is not active: 5.
    for (email, gestionnaire, actif) in [("robert@exemple.fr", 5, true), ("eve@exemple.fr", 6, true), ("durand@exemple.fr", 4, false)] {
        let id = insert_user(db, email, "individuel", actif).await;
        sql(format!("INSERT INTO gestionnaire_membres (user_id, gestionnaire_id, admin) VALUES ({id}, {gestionnaire}, true)")).await;
    }
    // Approved and at work: Martin, Petit, ATMP Nord, Durand (suspended no
    // more), Robert — Eve has no approval: 5, of whom Petit's and Robert's
    // figures are older than 30 days: 3 fresh, 60 %.
    sql("UPDATE gestionnaires SET suspendu = false WHERE id = 4".to_string()).await;
    sql("UPDATE gestionnaires SET derniere_mise_a_jour = '2026-09-01T00:00:00+00:00' WHERE id IN (2, 5)".to_string()).await;
    // Reservations: 6 in November 2026, 5 in October (one on 1 October at
    // 00:30 in Paris, 30 September in UTC), 3 in September (hidden), one in
    // November 2025 (before the 12 months), one measure recorded directly.
    let reservations: Vec<(&str, &str)> = [
        ["2026-11-02T09:00:00+00:00"; 6].map(|d| ("11", d)).to_vec(),
        ["2026-10-10T09:00:00+00:00"; 4].map(|d| ("10", d)).to_vec(),
        vec![("10", "2026-09-30T22:30:00+00:00")],
        ["2026-09-15T09:00:00+00:00"; 3].map(|d| ("09", d)).to_vec(),
        vec![("11", "2025-11-15T09:00:00+00:00")],
    ]
    .concat();
    for (i, (_, at)) in reservations.iter().enumerate() {
        sql(format!(
            "INSERT INTO mesures (id, gestionnaire_id, tribunal_id, numero_rg, statut, nature, pays, urgent, date_reservation, created_at, updated_at) \
             VALUES ({id}, 1, 1, 'RG{i:06}', 'en_cours', 'tutelle', 'FR', false, '{at}', '{at}', '{at}')",
            id = 1000 + i
        ))
        .await;
    }
    sql("INSERT INTO mesures (id, gestionnaire_id, tribunal_id, numero_rg, statut, nature, pays, urgent, created_at, updated_at) \
         VALUES (2000, 1, 1, 'RGDIRECT', 'en_cours', 'tutelle', 'FR', false, '2026-11-03T09:00:00+00:00', '2026-11-03T09:00:00+00:00')"
        .to_string())
    .await;
    // Acceptances of five November reservations after 1 h, 2 h, 3 h, 4 h and
    // 50 h: median 3 h. Not counted: the measure recorded directly, and the
    // one of November 2025 accepted then.
    for (mesure, at) in [
        (1000, "2026-11-02T10:00:00+00:00"),
        (1001, "2026-11-02T11:00:00+00:00"),
        (1002, "2026-11-02T12:00:00+00:00"),
        (1003, "2026-11-02T13:00:00+00:00"),
        (1004, "2026-11-04T11:00:00+00:00"),
        (2000, "2026-11-03T10:00:00+00:00"),
        (1014, "2025-11-16T09:00:00+00:00"),
    ] {
        sql(format!("INSERT INTO mesure_evenements (mesure_id, at, action) VALUES ({mesure}, '{at}', 'acceptee')")).await;
    }
    // Avis of the 12 months: 6 bien, 2 moyen, 1 mal (67 % bien); one older.
    for (niveau, at) in [["bien"; 6].to_vec(), ["moyen"; 2].to_vec(), vec!["mal"]]
        .concat()
        .into_iter()
        .map(|n| (n, "2026-10-01T09:00:00+00:00"))
        .chain([("mal", "2025-10-01T09:00:00+00:00")])
    {
        sql(format!(
            "INSERT INTO avis (created_at, niveau, objectif, commentaire, recontacter, statut, etiquettes) \
             VALUES ('{at}', '{niveau}', '', '', false, 'nouveau', '')"
        ))
        .await;
    }
}

#[tokio::test]
async fn every_public_figure_is_counted_hidden_under_five_and_read_from_the_kept_row() {
    for t in common::databases().await {
        fixture(&t.db).await;
        monde(&t.db).await;
        let b = t.backend;
        let s = service::enregistrer(&t.db, now()).await.expect("calcul");

        assert_eq!(s.departements_ouverts, ["59 — Nord"], "{b}");
        assert_eq!(s.departements_pilotes, ["62 — Pas-de-Calais"], "{b}");
        assert_eq!(s.departements_prevus, [OuverturePrevue { departement: "75 — Paris".into(), date_prevue: "2027-01-04".into() }], "{b}");
        assert_eq!((s.tribunaux, s.mandataires), (Some(5), Some(5)), "{b}");
        assert_eq!(s.reservations_par_mois.len(), 12, "{b}");
        assert_eq!(s.reservations_par_mois[0].mois, "2025-12", "{b}: the oldest of the 12 months");
        assert_eq!(
            &s.reservations_par_mois[9..],
            [
                MoisNombre { mois: "2026-09".into(), nombre: None },
                MoisNombre { mois: "2026-10".into(), nombre: Some(5) },
                MoisNombre { mois: "2026-11".into(), nombre: Some(6) },
            ],
            "{b}"
        );
        assert!(s.reservations_par_mois[..9].iter().all(|m| m.nombre.is_none()), "{b}");
        assert_eq!((s.acceptations, s.delai_median_minutes), (Some(5), Some(180)), "{b}");
        assert_eq!((s.mandataires_agrees, s.disponibilites_a_jour), (Some(5), Some(60)), "{b}");
        assert_eq!((s.avis, s.satisfaction), ([Some(6), None, None], Some(67)), "{b}");

        // Anyone reads the same figures, in JSON and on the page.
        let (status, json) = get(&common::app(&t.db), None, "/api/v1/statistiques/publiques").await;
        assert_eq!(status, 200, "{b}: {json}");
        assert_eq!(json, serde_json::to_value(&s).expect("json"), "{b}");
        let (status, page) = get(&common::app(&t.db), None, "/statistiques").await;
        let page = page.as_str().expect("html").replace("<!>", "").replace("&#x27;", "'").replace("&#39;", "'");
        assert_eq!(status, 200, "{b}");
        for attendu in [
            "L'impact d'e-MJPM",
            "59 — Nord",
            "75 — Paris",
            "2027-01-04",
            "novembre 2026",
            "septembre 2026",
            "moins de 5",
            "3 h 00",
            "sur 5 mesures acceptées",
            "60 %",
            "67 %",
            "sur 9 avis",
        ] {
            assert!(page.contains(attendu), "{b}: « {attendu} » absent");
        }
        // No personal data: no account's address or name, no professional's name, no RG.
        let mut personnel: Vec<String> = Vec::new();
        for (sql, colonne) in [
            ("SELECT email AS v FROM users", "v"),
            ("SELECT nom AS v FROM users", "v"),
            ("SELECT nom AS v FROM gestionnaires", "v"),
            ("SELECT numero_rg AS v FROM mesures", "v"),
        ] {
            for row in t.db.query_all_raw(sea_orm::Statement::from_string(t.db.get_database_backend(), sql)).await.expect(sql) {
                personnel.push(row.try_get::<String>("", colonne).expect("texte"));
            }
        }
        assert!(personnel.len() > 20, "{b}");
        for valeur in personnel {
            assert!(!page.contains(&valeur), "{b}: « {valeur} » est sur la page publique");
        }

        // Read from the kept row: a new reservation changes nothing until the job runs again.
        t.db.execute_unprepared("UPDATE mesures SET date_reservation = '2026-09-16T09:00:00+00:00' WHERE id IN (1000, 1001)")
            .await
            .expect("maj");
        let (_, avant) = get(&common::app(&t.db), None, "/api/v1/statistiques/publiques").await;
        assert_eq!(avant["reservations_par_mois"][9]["nombre"], serde_json::Value::Null, "{b}: still the kept figures");
        service::enregistrer(&t.db, now()).await.expect("recalcul");
        let (_, apres) = get(&common::app(&t.db), None, "/api/v1/statistiques/publiques").await;
        assert_eq!(apres["reservations_par_mois"][9]["nombre"], 5, "{b}: 3 + 2 in September once recomputed");
        assert_eq!(count(&t.db, "statistiques").await, 1, "{b}: one row, replaced");

        // None kept yet (a new instance): the first reader computes and keeps them.
        t.db.execute_unprepared("DELETE FROM statistiques").await.expect("vidage");
        let (status, _) = get(&common::app(&t.db), None, "/api/v1/statistiques/publiques").await;
        assert_eq!((status, count(&t.db, "statistiques").await), (200, 1), "{b}");
        t.cleanup().await;
    }
}
