//! Protections around every request, on SQLite and PostgreSQL: cross-site writes
//! refused (CSRF), the pages' Content-Security-Policy and its nonce, bounded
//! bodies, and the sign-in throttle (slowing down, locking, the administrators
//! told, the same answers for known and unknown addresses).

use crate::common;

use app::db::entities::echecs_connexion;
use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login, send_json};
use common::{send, TEST_PASSWORD};
use sea_orm::{ActiveModelTrait, DatabaseConnection, NotSet, Set};
use serde_json::{json, Value};

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
        assert_eq!(common::count(&t.db, &format!("mesures WHERE id = {id}")).await, 0, "{b}");
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

fn login_from(ip: &str, email: &str, password: &str) -> Request<Body> {
    Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", format!("203.0.113.99, {ip}"))
        .body(Body::from(crate::common::login_json(email, password)))
        .expect("requête")
}

/// A failure recorded `seconds_ago`, as if typed then.
async fn past_failure(db: &DatabaseConnection, email: &str, ip: &str, seconds_ago: i64) {
    echecs_connexion::ActiveModel {
        id: NotSet,
        email: Set(email.into()),
        ip: Set(Some(ip.into())),
        at: Set((chrono::Utc::now() - chrono::Duration::seconds(seconds_ago)).fixed_offset()),
    }
    .insert(db)
    .await
    .expect("échec daté");
}

#[tokio::test]
async fn failed_sign_ins_slow_down_then_lock_and_tell_the_administrators() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = "juge.lille@exemple.fr";

        // Four failures change nothing; the fifth imposes a wait, during which
        // even the right password is not checked.
        for _ in 0..5 {
            let (status, _, _) = send(&app, login_from("198.51.100.1", juge, "mauvais")).await;
            assert_eq!(status, 401, "{b}");
        }
        let (status, headers, body) = send(&app, login_from("198.51.100.2", juge, TEST_PASSWORD)).await;
        assert_eq!(status, 429, "{b}: {body}");
        assert!(body.contains("patientez 2 secondes"), "{body}");
        assert_eq!(headers[header::RETRY_AFTER], "2");
        assert_eq!(common::count(&t.db, "audit_events WHERE action = 'connexion_limitee'").await, 1, "{b}");
        assert_eq!(common::count(&t.db, "sessions").await, 0, "{b}");
        // The IP recorded is the proxy's hop, never the client-written first one.
        assert_eq!(common::count(&t.db, "echecs_connexion WHERE ip = '198.51.100.1'").await, 5, "{b}");

        // Once the wait is over, the right password opens a session, and the
        // account's earlier failures are forgotten.
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        let (status, _, body) = send(&app, login_from("198.51.100.2", juge, TEST_PASSWORD)).await;
        assert_eq!(status, 200, "{b}: {body}");
        let (status, _, _) = send(&app, login_from("198.51.100.2", juge, "mauvais")).await;
        assert_eq!(status, 401, "{b}: a fresh start after a success");

        // 19 failures long enough ago for their wait to be over, then one more:
        // the account locks and every active administrator is told, once.
        let greffe = "greffe.lille@exemple.fr";
        for _ in 0..19 {
            past_failure(&t.db, greffe, "198.51.100.3", 600).await;
        }
        let (status, _, _) = send(&app, login_from("198.51.100.3", greffe, "mauvais")).await;
        assert_eq!(status, 401, "{b}");
        let told = "courriels WHERE destinataire = 'admin@exemple.fr' AND sujet LIKE '%bloqué%greffe.lille@exemple.fr%'";
        assert_eq!(common::count(&t.db, told).await, 1, "{b}");
        let (status, headers, body) = send(&app, login_from("198.51.100.4", greffe, TEST_PASSWORD)).await;
        assert_eq!(status, 429, "{b}: {body}");
        assert!(body.contains("bloquée pendant 20 minutes"), "{b}: {body}");
        let retry: i64 = headers[header::RETRY_AFTER].to_str().expect("ascii").parse().expect("secondes");
        assert!((1100..=1200).contains(&retry), "{b}: {retry}");
        assert_eq!(common::count(&t.db, told).await, 1, "{b}: told once");

        // The sign-in form says the same, with the wait in its address.
        let form = Request::post("/connexion")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", "198.51.100.4")
            .body(Body::from(format!("email={greffe}&password={TEST_PASSWORD}")))
            .expect("req");
        let (status, headers, _) = send(&app, form).await;
        assert_eq!(status, 303);
        let location = headers[header::LOCATION].to_str().expect("ascii");
        assert!(location.starts_with("/connexion?erreur=verrouillage&secondes="), "{location}");
        let (_, _, page) = send(&app, Request::get(location).body(Body::empty()).expect("req")).await;
        assert!(page.contains("la connexion est bloquée pendant"), "{page}");

        // Many failures from one IP, on many addresses, slow that IP down.
        for i in 0..30 {
            past_failure(&t.db, &format!("inconnu{i}@exemple.fr"), "198.51.100.5", 0).await;
        }
        let (status, _, _) = send(&app, login_from("198.51.100.5", "martin@exemple.fr", TEST_PASSWORD)).await;
        assert_eq!(status, 429, "{b}: per IP");
        let (status, _, _) = send(&app, login_from("198.51.100.6", "martin@exemple.fr", TEST_PASSWORD)).await;
        assert_eq!(status, 200, "{b}: another IP");

        // The hourly job forgets failures older than the window.
        past_failure(&t.db, "vieux@exemple.fr", "198.51.100.7", 3600).await;
        let removed = app::accounts::throttle::purge(&t.db, chrono::Utc::now()).await.expect("purge");
        assert!(removed >= 1, "{b}");
        assert_eq!(common::count(&t.db, "echecs_connexion WHERE email = 'vieux@exemple.fr'").await, 0, "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn known_and_unknown_addresses_get_the_same_answers_throttled_or_not() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let mut answers: Vec<Vec<(u16, Value)>> = Vec::new();
        for email in ["martin@exemple.fr", "personne@exemple.fr"] {
            let mut seen = Vec::new();
            for _ in 0..6 {
                let (status, _, body) = send(&app, login_from("192.0.2.1", email, "mauvais")).await;
                seen.push((status, serde_json::from_str(&body).unwrap_or(Value::String(body))));
            }
            answers.push(seen);
        }
        assert_eq!(answers[0], answers[1], "{b}");
        assert_eq!(answers[0][4].0, 401, "{b}");
        assert_eq!(answers[0][5].0, 429, "{b}");
        t.cleanup().await;
    }
}
