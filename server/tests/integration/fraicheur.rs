//! A professional's figures are as fresh as its own last act: confirming its
//! capacity, accepting, closing, a new état. A judge's reservation, change or
//! cancellation and the expiry of a reservation move its counters but never
//! make its figures look up to date (SQLite and PostgreSQL).

use crate::common;
use chrono::{Duration, Utc};
use common::nord::{fixture, get, login, send_json};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

const LONGTEMPS: &str = "2026-01-15T10:00:00+00:00";

/// Makes every figure old.
async fn age(db: &DatabaseConnection) {
    db.execute_unprepared(&format!(
        "UPDATE gestionnaires SET derniere_mise_a_jour = '{LONGTEMPS}'; UPDATE antennes SET derniere_mise_a_jour = '{LONGTEMPS}';"
    ))
    .await
    .expect("vieillir");
}

/// Whole days since the freshness of a gestionnaire or antenne.
async fn days(db: &DatabaseConnection, table: &str, id: i32) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT derniere_mise_a_jour FROM {table} WHERE id = {id}"),
        ))
        .await
        .expect("lecture")
        .expect("ligne");
    let at: chrono::DateTime<chrono::FixedOffset> = row.try_get_by_index(0).expect("date");
    (Utc::now().fixed_offset() - at).num_days()
}

fn reservation(rg: &str) -> serde_json::Value {
    json!({ "gestionnaire_id": 1, "numero_rg": rg, "civilite": "madame", "annee_naissance": 1950, "nature": "tutelle" })
}

#[tokio::test]
async fn only_the_professionals_own_acts_make_its_figures_fresh() {
    for t in common::databases().await {
        let b = t.backend;
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        age(&t.db).await;
        let old = days(&t.db, "gestionnaires", 1).await;
        assert!(old > 30, "{b}");

        // Others: a reservation, its change, its cancellation, an expiry.
        let (status, first) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation("26/00001")).await;
        assert_eq!(status, 201, "{b}: {first}");
        let id = first["id"].as_i64().expect("id");
        let (status, body) = send_json(&app, Some(&juge), "PUT", &format!("/api/v1/mesures/{id}"), reservation("26/00002")).await;
        assert_eq!(status, 200, "{b}: {body}");
        let (status, body) = send_json(&app, Some(&juge), "DELETE", &format!("/api/v1/mesures/{id}"), json!({})).await;
        assert!(status < 300, "{b}: {status} {body}");
        let (status, second) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation("26/00003")).await;
        assert_eq!(status, 201, "{b}: {second}");
        let expired =
            app::measures::expiry::expire_pending(&t.db, Utc::now() + Duration::days(90), "http://emjpm.test").await.expect("expiration");
        assert_eq!(expired.expirees, 1, "{b}: {expired:?}");
        assert_eq!(days(&t.db, "gestionnaires", 1).await, old, "{b}: others' acts leave the figures' date alone");
        let (_, fiche) = get(&app, Some(&juge), "/api/v1/gestionnaires/1").await;
        assert!(fiche["jours_depuis_mise_a_jour"].as_i64().unwrap_or(0) > 30, "{b}: the judge sees old figures: {fiche}");

        // The professional's acts: accepting, a new état.
        let (_, third) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation("26/00004")).await;
        let id = third["id"].as_i64().expect("id");
        assert_eq!(days(&t.db, "gestionnaires", 1).await, old, "{b}");
        let acceptation = json!({ "date_nomination": "2026-11-02", "lieu_vie": "domicile", "commune": "59512" });
        let (status, body) = send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{id}/acceptation"), acceptation).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(days(&t.db, "gestionnaires", 1).await, 0, "{b}: accepting");
        age(&t.db).await;
        let etat = json!({ "date_changement": "2026-11-20", "nature": "tutelle", "lieu_vie": "sdf" });
        let (status, body) = send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{id}/etats"), etat).await;
        assert_eq!(status, 201, "{b}: {body}");
        assert_eq!(days(&t.db, "gestionnaires", 1).await, 0, "{b}: a new état");

        // "Confirmer mes chiffres": nothing changes but the date, audited.
        age(&t.db).await;
        let before = common::counters(&t.db, "gestionnaires", 1).await;
        let (status, body) = send_json(&app, Some(&martin), "POST", "/api/v1/moi/capacite/confirmation", json!({})).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, before, "{b}");
        assert_eq!(days(&t.db, "gestionnaires", 1).await, 0, "{b}: confirmed");
        let (_, fiche) = get(&app, Some(&juge), "/api/v1/gestionnaires/1").await;
        assert_eq!(fiche["jours_depuis_mise_a_jour"], 0, "{b}: the judge sees it at once: {fiche}");
        assert_eq!(
            common::count(&t.db, "audit_events WHERE action = 'gestionnaire.chiffres_confirmes' AND target_id = '1'").await,
            1,
            "{b}: audited"
        );
        // The same through the home page's button, without JavaScript.
        age(&t.db).await;
        let request = axum::http::Request::post("/mandataire/capacite/confirmer")
            .header(axum::http::header::COOKIE, &martin)
            .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::empty())
            .expect("requête");
        let (status, headers, _) = common::send(&app, request).await;
        let location = headers.get(axum::http::header::LOCATION).and_then(|l| l.to_str().ok()).unwrap_or("");
        assert_eq!((status, location), (303, "/mandataire?fait=chiffres"), "{b}");
        assert_eq!(days(&t.db, "gestionnaires", 1).await, 0, "{b}: confirmed by the form");

        // A service: its admins confirm the service and every antenne; a plain
        // member and a judge cannot.
        age(&t.db).await;
        let membre = login(&app, "atmp.membre@exemple.fr").await;
        let (status, _) = send_json(&app, Some(&membre), "POST", "/api/v1/moi/capacite/confirmation", json!({})).await;
        assert_eq!(status, 403, "{b}: a plain member");
        let (status, _) = send_json(&app, Some(&juge), "POST", "/api/v1/moi/capacite/confirmation", json!({})).await;
        assert_eq!(status, 403, "{b}: a judge");
        assert!(days(&t.db, "gestionnaires", 3).await > 30, "{b}: refusals change nothing");
        let admin = login(&app, "atmp.admin@exemple.fr").await;
        let (status, body) = send_json(&app, Some(&admin), "POST", "/api/v1/moi/capacite/confirmation", json!({})).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(days(&t.db, "gestionnaires", 3).await, 0, "{b}: the service");
        assert_eq!((days(&t.db, "antennes", 1).await, days(&t.db, "antennes", 2).await), (0, 0), "{b}: its antennes");
        t.cleanup().await;
    }
}
