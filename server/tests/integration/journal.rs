//! The audit log's search page, on SQLite and PostgreSQL: administrators only,
//! filters by person, action, target and period, newest first; reading it is
//! itself recorded.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login, send_json};
use common::{count, send};
use serde_json::Value;

fn search(cookie: &str, query: &str) -> Request<Body> {
    Request::post("/api/fn/journal_admin")
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string([("query", query)]).expect("args")))
        .expect("req")
}

#[tokio::test]
async fn administrators_search_the_audit_log() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let reservation = serde_json::json!({ "gestionnaire_id": 1, "numero_rg": "26/00080", "civilite": "madame", "annee_naissance": 1940, "nature": "tutelle" });
        let (_, mesure) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation).await;
        let id = mesure["id"].as_i64().expect("id");

        let page = |query: String| {
            let app = app.clone();
            let admin = admin.clone();
            async move {
                let (status, _, body) = send(&app, search(&admin, &query)).await;
                assert_eq!(status, 200, "{query}: {body}");
                serde_json::from_str::<Value>(&body).expect("json")
            }
        };
        let juge_only = page("acteur=JUGE.lille".into()).await;
        let lignes = juge_only["lignes"].as_array().expect("lignes");
        assert!(
            !lignes.is_empty() && lignes.iter().all(|l| l["acteur"].as_str().is_some_and(|a| a.contains("juge.lille@exemple.fr"))),
            "{b}: {juge_only}"
        );
        assert_eq!(lignes[0]["action"], "mesure réservée", "{b}: newest first, in French: {juge_only}");
        let by_target = page(format!("cible=mesure&cible_id={id}")).await;
        assert_eq!(by_target["total"], 1, "{b}: {by_target}");
        assert_eq!(by_target["lignes"][0]["cible"], "mesure RG 26/00080", "{b}: the target named: {by_target}");
        let sign_ins = page("action=connexion".into()).await;
        assert!(
            sign_ins["lignes"].as_array().expect("lignes").iter().all(|l| l["action"].as_str().is_some_and(|a| a.starts_with("connexion"))),
            "{b}"
        );
        assert_eq!(page("du=2000-01-01&au=2000-01-02".into()).await["total"], 0, "{b}: another period");
        let (status, _, _) = send(&app, search(&admin, "du=hier")).await;
        assert_eq!(status, 400, "{b}");
        let (status, _, _) = send(&app, search(&juge, "")).await;
        assert_eq!(status, 403, "{b}: administrators only");
        assert!(count(&t.db, "audit_events WHERE action = 'journal.consultation'").await >= 4, "{b}: reading is recorded");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_direction_reads_the_events_of_its_territory_only() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        common::nord::ddets_du_nord(&t.db).await;
        let app = common::app(&t.db);
        let direction = login(&app, "ddets59@exemple.fr").await;
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let arras = login(&app, "juge.arras@exemple.fr").await;
        let reserve = |cookie: String, gestionnaire: i64, rg: &'static str| {
            let app = app.clone();
            async move {
                let body = serde_json::json!({ "gestionnaire_id": gestionnaire, "numero_rg": rg, "civilite": "madame", "annee_naissance": 1940, "nature": "tutelle" });
                let (status, mesure) = send_json(&app, Some(&cookie), "POST", "/api/v1/mesures", body).await;
                assert_eq!(status, 201, "{mesure}");
                mesure["id"].as_i64().expect("id")
            }
        };
        let a_lille = reserve(lille.clone(), 1, "26/00091").await;
        let a_arras = reserve(arras.clone(), 2, "26/00092").await;
        let (status, _, body) = send(&app, search(&direction, "cible=mesure")).await;
        assert_eq!(status, 200, "{b}: {body}");
        let page: Value = serde_json::from_str(&body).expect("json");
        let cibles: Vec<String> =
            page["lignes"].as_array().expect("lignes").iter().map(|l| l["cible"].as_str().unwrap_or("").to_string()).collect();
        assert!(cibles.contains(&"mesure RG 26/00091".to_string()), "{b}: Lille's measure ({a_lille}), named: {page}");
        assert!(!cibles.iter().any(|c| c.contains("26/00092")), "{b}: never Arras's ({a_arras}, Pas-de-Calais): {page}");
        assert!(page["lignes"].as_array().expect("lignes").iter().all(|l| l["ip"].is_null()), "{b}: no IP address: {page}");
        assert!(body.contains("mesure réservée"), "{b}: in French: {body}");
        // Nobody's connections: not the judges', not other agents' (a second
        // direction of the region signs in), nor the direction's own.
        let dreets = common::insert_user(&t.db, "dreets32@exemple.fr", "direction", true).await;
        sea_orm::ConnectionTrait::execute_unprepared(
            &t.db,
            &format!("INSERT INTO directions (user_id, type, region_code, structure) VALUES ({dreets}, 'regional', '32', 'DREETS Hauts-de-France')"),
        )
        .await
        .expect("direction régionale");
        login(&app, "dreets32@exemple.fr").await;
        for filtre in ["action=connexion", "", "acteur=dreets32"] {
            let (_, _, body) = send(&app, search(&direction, filtre)).await;
            assert!(!body.contains("\"connexion") && !body.contains("dreets32"), "{b}: {filtre}: {body}");
        }
        let (status, _, body) = send(&app, search(&direction, "ip=127")).await;
        assert_eq!(status, 400, "{b}: IP addresses are for the administrators: {body}");
        t.cleanup().await;
    }
}
