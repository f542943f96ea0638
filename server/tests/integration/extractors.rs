//! Every form and API call refuses a request the same way, before anything is
//! read or written (app/src/extract.rs), on SQLite and PostgreSQL: a visitor
//! is sent to the sign-in page, another role gets 403, an id that is not a
//! number names no page (404), an unreadable body gets a French 400.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login};
use common::{count, send};

fn post(uri: &str, cookie: Option<&str>, content_type: &str, body: &str) -> Request<Body> {
    let mut request = Request::post(uri).header(header::CONTENT_TYPE, content_type);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body.to_string())).expect("req")
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn forms_and_api_calls_refuse_callers_ids_and_bodies_the_same_way() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        let petit = login(&app, "petit@exemple.fr").await;
        let deactivate = "/admin/comptes/1/desactiver";
        let active = "users WHERE active";
        let before = count(&t.db, active).await;

        // A visitor goes to the sign-in page; nothing changes.
        let (status, headers, _) = send(&app, post(deactivate, None, FORM, "")).await;
        assert_eq!((status, common::where_sent(&headers).as_str()), (303, "/connexion"), "{b}");
        // Another role: 403 before the form is read.
        let (status, _, body) = send(&app, post(deactivate, Some(&petit), FORM, "")).await;
        assert_eq!(status, 403, "{b}: {body}");
        assert!(body.contains("Vous n'avez pas accès"), "{b}: {body}");
        // An id that is not a number: no such page.
        let (status, _, body) = send(&app, post("/admin/comptes/abc/desactiver", Some(&admin), FORM, "")).await;
        assert_eq!(status, 404, "{b}: {body}");
        let (status, _, _) = send(&app, post("/admin/comptes/99999999999/desactiver", Some(&admin), FORM, "")).await;
        assert_eq!(status, 404, "{b}: an id beyond its type");
        // A body that is not a form: a French 400 (axum alone answered 415 in English).
        let (status, _, body) = send(&app, post(deactivate, Some(&admin), "text/plain", "x")).await;
        assert_eq!(status, 400, "{b}: {body}");
        assert!(body.contains("Formulaire illisible"), "{b}: {body}");
        assert_eq!(count(&t.db, active).await, before, "{b}: no account changed");
        assert_eq!(count(&t.db, "audit_events WHERE action = 'compte_desactive'").await, 0, "{b}");

        // The JSON API: the caller first (401 tells a visitor nothing about
        // ids), then the id (400), then the body (400, French).
        let (status, _, _) = send(&app, Request::get("/api/v1/mesures/abc").body(Body::empty()).expect("req")).await;
        assert_eq!(status, 401, "{b}");
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let request = Request::get("/api/v1/mesures/abc").header(header::COOKIE, &juge).body(Body::empty()).expect("req");
        let (status, _, body) = send(&app, request).await;
        assert_eq!(status, 400, "{b}: {body}");
        assert!(body.contains("Paramètre « id »"), "{b}: {body}");
        let (status, _, body) = send(&app, post("/api/v1/mesures", Some(&juge), "application/json", "{\"numero_rg\":")).await;
        assert_eq!(status, 400, "{b}: {body}");
        assert!(body.contains("Corps de la requête illisible"), "{b}: {body}");
        let request = Request::get("/api/v1/mesures?page=1&page=2").header(header::COOKIE, &juge).body(Body::empty()).expect("req");
        let (status, _, body) = send(&app, request).await;
        assert_eq!(status, 400, "{b}: {body}");
        assert!(body.contains("Paramètres de requête illisibles"), "{b}: {body}");
        assert_eq!(count(&t.db, "mesures").await, 0, "{b}: nothing reserved");
        t.cleanup().await;
    }
}
