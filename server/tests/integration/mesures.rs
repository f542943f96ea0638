//! Reserving a measure through `POST /api/v1/mesures`, on SQLite and PostgreSQL:
//! the measure, its event and audit entry, the counters moved in the same
//! transaction and seen by the next search, warnings, refusals, concurrency.

use crate::common;

use common::nord::{fixture, get, login, send_json};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

fn demande(gestionnaire_id: i64, rg: &str) -> Value {
    json!({
        "gestionnaire_id": gestionnaire_id,
        "numero_rg": rg,
        "civilite": "madame",
        "annee_naissance": 1948,
        "nature": "curatelle_renforcee",
        "champ": "protection_bien_personne",
        "date_previsionnelle_jugement": "2026-12-15",
        "urgent": true
    })
}

fn martin(page: &Value) -> Value {
    page["resultats"].as_array().expect("a").iter().find(|r| r["id"] == 1).cloned().expect("Martin")
}

#[tokio::test]
async fn a_reservation_creates_the_measure_and_moves_the_counters() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        t.db.execute_unprepared("UPDATE magistrats SET cabinet = 'Cabinet 3'").await.expect("cabinet");
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let (_, before) = get(&app, Some(&lille), "/api/v1/gestionnaires").await;
        assert_eq!(martin(&before)["disponibles"], 4, "{b}");

        let (status, body) = send_json(&app, Some(&lille), "POST", "/api/v1/mesures", demande(1, "12/345")).await;
        assert_eq!(status, 201, "{b}: {body}");
        assert_eq!(body["statut"], "en_attente");
        assert_eq!(body["numero_rg"], "00012345", "{b}: normalised");
        assert_eq!(body["cabinet"], "Cabinet 3", "{b}: the judge's cabinet by default");
        assert_eq!(body["tribunal_id"], 1);
        assert_eq!(body["urgent"], true);
        assert_eq!(body["date_previsionnelle_jugement"], "2026-12-15");
        assert!(body["avertissement"].is_null(), "{b}: Martin had room");
        let id = body["id"].as_i64().expect("id");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (5, 2), "{b}");
        assert_eq!(common::count(&t.db, &format!("mesure_evenements WHERE mesure_id = {id} AND action = 'reservee'")).await, 1);
        assert_eq!(common::count(&t.db, &format!("audit_events WHERE action = 'mesure.reservation' AND target_id = '{id}'")).await, 1);
        let (_, after) = get(&app, Some(&lille), "/api/v1/gestionnaires").await;
        assert_eq!((martin(&after)["disponibles"].as_i64(), martin(&after)["en_attente"].as_i64()), (Some(3), Some(2)), "{b}");

        // The same RG with the same professional: refused while pending…
        let (status, body) = send_json(&app, Some(&lille), "POST", "/api/v1/mesures", demande(1, "00012345")).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert!(body["champs"]["numero_rg"].as_str().expect("message").contains("déjà en attente"), "{b}: {body}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (5, 2), "{b}: a refusal changes nothing");
        // …another tribunal may use the same number.
        let arras = login(&app, "juge.arras@exemple.fr").await;
        let (status, _) = send_json(&app, Some(&arras), "POST", "/api/v1/mesures", demande(1, "12/345")).await;
        assert_eq!(status, 201, "{b}");
        // …and a closed measure is reopened as a new reservation.
        t.db.execute_unprepared(&format!("UPDATE mesures SET statut = 'eteinte', cause_sortie = 'deces' WHERE id = {id}"))
            .await
            .expect("clôture");
        t.db.execute_unprepared("UPDATE gestionnaires SET en_attente = en_attente - 1 WHERE id = 1").await.expect("compteur");
        let (status, body) = send_json(&app, Some(&lille), "POST", "/api/v1/mesures", demande(1, "12345")).await;
        assert_eq!(status, 201, "{b}: {body}");
        assert_eq!(body["id"].as_i64(), Some(id), "{b}: the same measure, reopened");
        assert_eq!(body["statut"], "en_attente");
        assert_eq!(common::count(&t.db, &format!("mesures WHERE id = {id} AND cause_sortie IS NULL")).await, 1, "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn full_or_suspended_is_a_warning_and_antennes_count_too() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let greffe = login(&app, "greffe.lille@exemple.fr").await;

        let (status, body) = send_json(&app, Some(&greffe), "POST", "/api/v1/mesures", demande(2, "A1")).await;
        assert_eq!(status, 201, "{b}: a greffier reserves too");
        assert!(body["avertissement"].as_str().expect("avertissement").contains("plus de place"), "{b}: {body}");
        let (status, body) = send_json(&app, Some(&greffe), "POST", "/api/v1/mesures", demande(4, "A2")).await;
        assert_eq!(status, 201, "{b}");
        assert!(body["avertissement"].as_str().expect("avertissement").contains("suspendu"), "{b}: {body}");

        let mut with_antenne = demande(3, "A3");
        with_antenne["antenne_id"] = json!(1);
        let (status, body) = send_json(&app, Some(&greffe), "POST", "/api/v1/mesures", with_antenne).await;
        assert_eq!(status, 201, "{b}: {body}");
        assert_eq!(body["antenne_id"], 1);
        assert_eq!(common::counters(&t.db, "gestionnaires", 3).await, (45, 1), "{b}");
        assert_eq!(common::counters(&t.db, "antennes", 1).await, (25, 1), "{b}");
        assert_eq!(common::counters(&t.db, "antennes", 2).await, (20, 0), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn bad_requests_are_refused_and_change_nothing() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let post = |cookie: Option<String>, body: Value| {
            let app = app.clone();
            async move { send_json(&app, cookie.as_deref(), "POST", "/api/v1/mesures", body).await }
        };

        let (status, body) = post(
            Some(lille.clone()),
            json!({ "gestionnaire_id": 1, "numero_rg": "1234567890", "civilite": "x", "annee_naissance": 1850, "nature": "?" }),
        )
        .await;
        assert_eq!(status, 422, "{b}: {body}");
        let mut fields: Vec<&String> = body["champs"].as_object().expect("champs").keys().collect();
        fields.sort();
        assert_eq!(fields, ["annee_naissance", "civilite", "nature", "numero_rg"], "{b}");
        assert!(body["champs"]["annee_naissance"].as_str().expect("m").contains("entre 1900"));

        let mut wrong_antenne = demande(3, "B1");
        wrong_antenne["antenne_id"] = json!(99);
        let (status, body) = post(Some(lille.clone()), wrong_antenne).await;
        assert_eq!((status, body["champs"]["antenne_id"].is_string()), (422, true), "{b}: {body}");
        let mut not_a_service = demande(1, "B2");
        not_a_service["antenne_id"] = json!(1);
        assert_eq!(post(Some(lille.clone()), not_a_service).await.0, 422, "{b}: an antenne of another gestionnaire");

        assert_eq!(post(Some(lille.clone()), demande(6, "B3")).await.0, 404, "{b}: not approved");
        assert_eq!(post(Some(lille.clone()), demande(9999, "B4")).await.0, 404, "{b}");
        let (status, body) = post(Some(lille.clone()), json!({ "gestionnaire_id": "un" })).await;
        assert_eq!(status, 400, "{b}: {body}");
        assert!(body["erreur"].as_str().expect("m").starts_with("Corps de la requête illisible"));
        assert_eq!(post(None, demande(1, "B5")).await.0, 401, "{b}");
        let admin = login(&app, "admin@exemple.fr").await;
        assert_eq!(post(Some(admin), demande(1, "B6")).await.0, 403, "{b}");

        assert_eq!(common::count(&t.db, "mesures").await, 0, "{b}: nothing written");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (5, 1), "{b}");
        assert_eq!(common::counters(&t.db, "antennes", 1).await, (25, 0), "{b}");
        t.cleanup().await;
    }
}

/// Judges reserving at the same instant: every accepted reservation counts once,
/// and of several reservations of one RG exactly one is accepted.
#[tokio::test]
async fn concurrent_reservations_lose_nothing() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let mut tasks = Vec::new();
        for i in 0..24 {
            let (app, cookie) = (app.clone(), lille.clone());
            // Every fourth request reuses the RG "DUP".
            let rg = if i % 4 == 0 { "DUP".to_string() } else { format!("C{i}") };
            tasks.push(tokio::spawn(async move { send_json(&app, Some(&cookie), "POST", "/api/v1/mesures", demande(1, &rg)).await }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.expect("tâche").0);
        }
        let created = statuses.iter().filter(|s| **s == 201).count();
        assert_eq!(created, 19, "{b}: 18 distinct numbers + one of the 6 duplicates ({statuses:?})");
        assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 5, "{b}: {statuses:?}");
        assert_eq!(common::count(&t.db, "mesures WHERE gestionnaire_id = 1 AND statut = 'en_attente'").await, 19, "{b}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (5, 1 + 19), "{b}");
        t.cleanup().await;
    }
}
