//! The administrators' accounts page, on SQLite and PostgreSQL: search, filters,
//! deactivation (sessions closed at once, audited) and reactivation; never one's
//! own account.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, get, login};
use common::{count, send};
use sea_orm::ConnectionTrait;

fn list(cookie: &str, query: &str) -> Request<Body> {
    Request::post("/api/fn/comptes_admin")
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string([("query", query)]).expect("args")))
        .expect("req")
}

fn act(cookie: &str, id: i64, action: &str) -> Request<Body> {
    Request::post(format!("/admin/comptes/{id}/{action}"))
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("retour=%2Fadmin%2Fcomptes%3Fq%3Dpetit"))
        .expect("req")
}

#[tokio::test]
async fn an_administrator_finds_deactivates_and_reactivates_accounts() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        let petit = login(&app, "petit@exemple.fr").await;

        let (status, _, body) = send(&app, list(&admin, "q=PETIT")).await;
        assert_eq!(status, 200, "{b}: {body}");
        let page: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(page["total"], 1, "{b}: {page}");
        let compte = &page["comptes"][0];
        assert_eq!(compte["email"], "petit@exemple.fr");
        assert_eq!(compte["rattachement"], "Bruno Petit", "{b}: {compte}");
        let id = compte["id"].as_i64().expect("id");
        let (_, _, body) = send(&app, list(&admin, "q=camille+PETIT")).await;
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body).expect("json")["total"], 1, "{b}: each word in the first name, the name or the address");
        let (_, _, body) = send(&app, list(&admin, "role=magistrat")).await;
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body).expect("json")["total"], 2, "{b}");
        let (status, _, body) = send(&app, list(&admin, "role=roi")).await;
        assert_eq!(status, 400, "{b}: {body}");

        // Deactivation: the account's session closes at once; audited.
        let (status, headers, _) = send(&app, act(&admin, id, "desactiver")).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/admin/comptes?q=petit&fait=desactive"), "{b}");
        assert_eq!(get(&app, Some(&petit), "/api/v1/mesures").await.0, 401, "{b}");
        assert_eq!(count(&t.db, &format!("audit_events WHERE action = 'compte_desactive' AND target_id = '{id}'")).await, 1, "{b}");
        let (_, headers, _) = send(&app, act(&admin, id, "desactiver")).await;
        assert!(headers[header::LOCATION].to_str().expect("ascii").contains("d%C3%A9j%C3%A0"), "{b}: already deactivated");
        let (_, _, body) = send(&app, list(&admin, "statut=inactif")).await;
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body).expect("json")["total"], 1, "{b}");

        // Reactivation: signing in works again.
        let (status, _, _) = send(&app, act(&admin, id, "reactiver")).await;
        assert_eq!(status, 303, "{b}");
        login(&app, "petit@exemple.fr").await;

        // Never one's own account; unknown ones are not found.
        let me = t
            .db
            .query_one_raw(sea_orm::Statement::from_string(t.db.get_database_backend(), "SELECT id FROM users WHERE email = 'admin@exemple.fr'".to_string()))
            .await
            .expect("lecture")
            .expect("ligne")
            .try_get_by_index::<i32>(0)
            .expect("id");
        let (_, headers, _) = send(&app, act(&admin, me.into(), "desactiver")).await;
        assert!(headers[header::LOCATION].to_str().expect("ascii").contains("propre"), "{b}");
        assert_eq!(count(&t.db, "users WHERE email = 'admin@exemple.fr' AND active = true").await, 1, "{b}");
        let (status, _, _) = send(&app, act(&admin, 999_999, "desactiver")).await;
        assert!(status == 404 || status == 303, "{b}: {status}");
        t.cleanup().await;
    }
}
