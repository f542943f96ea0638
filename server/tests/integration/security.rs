//! Protections around every request, on SQLite and PostgreSQL: cross-site writes
//! refused (CSRF), the pages' Content-Security-Policy and its nonce, bounded
//! bodies. The sign-in throttle: `throttle.rs`.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login, send_json};
use common::send;
use serde_json::json;

fn with(method: &str, uri: &str, cookie: &str, extra: &[(&str, &str)], body: Body) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(uri).header(header::COOKIE, cookie);
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    request.body(body).expect("requête")
}

#[tokio::test]
async fn a_write_from_another_site_is_refused_and_changes_nothing() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let demande = json!({ "gestionnaire_id": 1, "numero_rg": "CSRF/1", "civilite": "madame",
                              "annee_naissance": 1940, "nature": "tutelle", "urgent": false });
        let (status, created) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", demande).await;
        assert_eq!(status, 201, "{b}: {created}");
        let id = created["id"].as_i64().expect("id");
        let uri = format!("/api/v1/mesures/{id}");

        for foreign in [
            vec![("origin", "https://evil.example"), ("host", "emjpm.test")],
            vec![("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")],
            vec![("sec-fetch-site", "same-site")],
            vec![("origin", "null"), ("host", "emjpm.test")],
        ] {
            // The JSON API, the plain form handlers and the server functions alike.
            let (status, _, body) = send(&app, with("DELETE", &uri, &juge, &foreign, Body::empty())).await;
            assert_eq!(status, 403, "{b}: {foreign:?}");
            assert!(body.contains("depuis un autre site"), "{body}");
            let form = [("content-type", "application/x-www-form-urlencoded")];
            let headers: Vec<(&str, &str)> = foreign.iter().copied().chain(form).collect();
            let annuler = format!("/tribunal/mesures/{id}/annuler");
            let (status, _, _) = send(&app, with("POST", &annuler, &juge, &headers, Body::empty())).await;
            assert_eq!(status, 403, "{b}: form {foreign:?}");
            let (status, _, _) = send(&app, with("POST", "/api/fn/accueil_tribunal", &juge, &headers, Body::empty())).await;
            assert_eq!(status, 403, "{b}: server function {foreign:?}");
            let (status, _, _) = send(&app, with("POST", "/deconnexion", &juge, &headers, Body::empty())).await;
            assert_eq!(status, 403, "{b}: sign-out {foreign:?}");
        }
        assert_eq!(common::count(&t.db, &format!("mesures WHERE id = {id}")).await, 1, "{b}: nothing deleted");
        assert_eq!(common::count(&t.db, "sessions").await, 1, "{b}: still signed in");

        // The same request from the service's own pages goes through.
        let ours = [("origin", "http://emjpm.test"), ("sec-fetch-site", "same-origin")];
        let (status, _, body) = send(&app, with("DELETE", &uri, &juge, &ours, Body::empty())).await;
        assert!(status < 300, "{b}: {status} {body}");
        assert_eq!(
            common::count(&t.db, &format!("mesures WHERE id = {id} AND statut = 'eteinte'")).await,
            1,
            "{b}: cancelled (kept, ended)"
        );
        t.cleanup().await;
    }
}

#[tokio::test]
async fn pages_carry_a_policy_whose_nonce_is_on_their_scripts_only() {
    let t = common::sqlite().await;
    let app = common::app(&t.db);
    let (status, headers, body) = send(&app, Request::get("/connexion").body(Body::empty()).expect("req")).await;
    assert_eq!(status, 200);
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().expect("ascii").to_string();
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'") && policy.contains("'wasm-unsafe-eval'"), "{policy}");
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("nonce");
    assert!(nonce.len() >= 16, "{nonce}");
    let scripts = body.matches("<script").count();
    assert!(scripts >= 1, "{body}");
    assert_eq!(body.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "every inline script carries the nonce");
    for name in ["x-content-type-options", "referrer-policy", "x-frame-options"] {
        assert!(headers.contains_key(name), "{name}");
    }
    // A new page, a new nonce.
    let (_, again, _) = send(&app, Request::get("/connexion").body(Body::empty()).expect("req")).await;
    assert!(!again[header::CONTENT_SECURITY_POLICY].to_str().expect("ascii").contains(nonce));
    // JSON and refusals: nothing may run.
    let (status, headers, _) = send(&app, Request::get("/api/v1/mesures").body(Body::empty()).expect("req")).await;
    assert_eq!(status, 401);
    assert_eq!(headers[header::CONTENT_SECURITY_POLICY], "default-src 'none'; frame-ancestors 'none'");
    // Bodies are bounded.
    let text = format!("{{\"email\": \"{}\"}}", "a".repeat(300 * 1024));
    let big = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, text.len())
        .body(Body::from(text))
        .expect("req");
    let (status, _, _) = send(&app, big).await;
    assert_eq!(status, 413);
    t.cleanup().await;
}
