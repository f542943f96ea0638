//! Mail not sent is never reported as a success: with sending disabled
//! (`EMJPM_SMTP_URL` unset) the mail job's last run is a failure saying so,
//! and the administrators' page says in red that mails do not go out, with how
//! long the oldest one has waited (it said "oui" while 13 mails waited).
//! SQLite and PostgreSQL.

use crate::common;
use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login, page_html, send_json};
use common::send;
use sea_orm::ConnectionTrait;
use serde_json::json;
use server::{jobs, mailer};

#[tokio::test]
async fn disabled_sending_is_said_in_red_with_the_oldest_waiting_mail() {
    for t in common::databases().await {
        let b = t.backend;
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        // A reservation queues a mail for the professional; it has waited three hours.
        let demande =
            json!({ "gestionnaire_id": 1, "numero_rg": "26/00077", "civilite": "madame", "annee_naissance": 1950, "nature": "tutelle" });
        let (status, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", demande).await;
        assert_eq!(status, 201, "{b}: {body}");
        let three_hours_ago = (chrono::Utc::now() - chrono::Duration::minutes(181)).to_rfc3339();
        t.db.execute_unprepared(&format!("UPDATE courriels SET created_at = '{three_hours_ago}'")).await.expect("âge");

        // The job runs with sending disabled: a failure, and it says why.
        let context = jobs::Context::new(mailer::Mailer::new(None, None).expect("config"), "https://emjpm.test".into());
        let outcome = jobs::run_job(&t.db, jobs::ENVOI_COURRIELS, &context, chrono::Utc::now()).await;
        let raison = outcome.expect_err("nothing sent is not a success");
        assert!(raison.contains("Envoi désactivé") && raison.contains("aucun envoyé"), "{b}: {raison}");
        jobs::tick(&t.db, &context).await;

        let request = Request::post("/api/fn/taches_admin")
            .header(header::COOKIE, &admin)
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .expect("req");
        let (status, _, body) = send(&app, request).await;
        assert_eq!(status, 200, "{b}: {body}");
        let taches: serde_json::Value = serde_json::from_str(&body).expect("json");
        let envoi = taches["taches"].as_array().expect("tâches").iter().find(|j| j["nom"] == "envoi-courriels").cloned();
        assert_eq!(envoi.map(|j| j["succes"].clone()), Some(json!(false)), "{b}: {taches}");
        assert!(taches["envoi_en_panne"].as_str().is_some_and(|r| r.contains("Envoi désactivé")), "{b}: {taches}");
        assert!(taches["plus_ancien_en_attente_minutes"].as_i64().is_some_and(|m| m >= 180), "{b}: {taches}");
        assert!(taches["courriels_en_attente"].as_i64().is_some_and(|n| n >= 1), "{b}: {taches}");

        let page = page_html(&app, &admin, "/admin").await;
        assert!(page.contains(r#"id="envoi-en-panne""#) && page.contains("Les courriels ne partent pas"), "{b}: said in red");
        assert!(page.contains("3 h 0"), "{b}: the oldest mail's wait");
        t.cleanup().await;
    }
}
