//! The second factor (TOTP), on SQLite and PostgreSQL: an administrator without
//! one enrols at its sign-in before any session exists; a code serves once; wrong
//! codes count and end the waiting sign-in; the JSON API asks for the code; any
//! account turns it on and off from "Mon compte" (never an administrator off);
//! an administrator removes a lost one.

use crate::common;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request};
use common::nord::{fixture, login};
use common::{count, send, TEST_PASSWORD};
use sea_orm::ConnectionTrait;

fn form(cookie: Option<&str>, uri: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(serde_urlencoded::to_string(fields).expect("formulaire"))).expect("requête")
}

/// The `name=value` of the cookie `name` set by an answer (None when it is
/// removed or absent).
fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
        .map(str::to_string)
}

fn location(headers: &HeaderMap) -> String {
    crate::common::where_sent(headers)
}

async fn secret_of(db: &sea_orm::DatabaseConnection, email: &str) -> Option<String> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT totp_secret FROM users WHERE email = '{email}'"),
        ))
        .await
        .expect("lecture")
        .expect("ligne");
    row.try_get_by_index::<Option<String>>(0).expect("secret")
}

fn code(secret: &str, steps: i64) -> String {
    let at = u64::try_from(chrono::Utc::now().timestamp() + 30 * steps).expect("date");
    app::accounts::second_facteur::code_at(secret, at).expect("code")
}

/// Posts the sign-in form; returns the answer's `Location` and the waiting
/// sign-in's cookie.
async fn password_step(app: &axum::Router, email: &str) -> (String, Option<String>, Option<String>) {
    let (status, headers, _) = send(app, form(None, "/connexion", &[("email", email), ("password", TEST_PASSWORD)])).await;
    assert_eq!(status, 303);
    (location(&headers), set_cookie(&headers, "emjpm_connexion"), set_cookie(&headers, "emjpm_session"))
}

#[tokio::test]
async fn an_administrator_enrols_before_its_first_session_and_a_code_serves_once() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        // An administrator created without a second factor.
        t.db.execute_unprepared("UPDATE users SET totp_secret = NULL, totp_actif = false WHERE email = 'admin@exemple.fr'")
            .await
            .expect("sans second facteur");

        let (to, attente, session) = password_step(&app, "admin@exemple.fr").await;
        assert_eq!(to, "/connexion/code", "{b}");
        assert!(session.is_none(), "{b}: no session before the code");
        let attente = attente.expect("cookie de la connexion en attente");
        // The page shows the secret to add to the app, as key and QR code.
        let secret = secret_of(&t.db, "admin@exemple.fr").await.expect("secret proposé");
        let (status, _, page) =
            send(&app, Request::get("/connexion/code").header(header::COOKIE, &attente).body(Body::empty()).unwrap()).await;
        assert_eq!(status, 200, "{b}");
        assert!(page.contains("obligatoire pour les administrateurs") && page.contains("<svg"), "{b}: {page}");
        assert!(page.contains(&secret[..4]), "{b}: the key is shown");
        // Without the cookie: nothing to confirm.
        let (_, _, page) = send(&app, Request::get("/connexion/code").body(Body::empty()).unwrap()).await;
        assert!(page.contains("a expiré ou a déjà abouti"), "{b}");

        // A wrong code: counted, no session, a failure for the throttle.
        let (status, headers, _) = send(&app, form(Some(&attente), "/connexion/code", &[("code", "000000")])).await;
        assert_eq!((status, location(&headers).as_str()), (303, "/connexion/code?erreur=incorrect"), "{b}");
        assert!(set_cookie(&headers, "emjpm_session").is_none());
        assert_eq!(count(&t.db, "limites_connexion WHERE cle LIKE 'adresse_ip:admin@exemple.fr|%' AND essais = 1").await, 1, "{b}");
        assert_eq!(count(&t.db, "audit_events WHERE action = 'connexion_echec_code'").await, 1, "{b}");
        let (_, _, page) =
            send(&app, Request::get("/connexion/code?erreur=incorrect").header(header::COOKIE, &attente).body(Body::empty()).unwrap())
                .await;
        assert!(page.contains("Encore 4 essais"), "{b}");

        // The right code: enrolled, signed in, the waiting sign-in gone.
        let (status, headers, _) = send(&app, form(Some(&attente), "/connexion/code", &[("code", &code(&secret, 0))])).await;
        assert_eq!((status, location(&headers).as_str()), (303, "/admin"), "{b}");
        let session = set_cookie(&headers, "emjpm_session").expect("session ouverte");
        assert_eq!(count(&t.db, "users WHERE email = 'admin@exemple.fr' AND totp_actif = true").await, 1, "{b}");
        assert_eq!(count(&t.db, "connexions_en_attente").await, 0, "{b}");
        assert_eq!(count(&t.db, "audit_events WHERE action = 'double_authentification.activation'").await, 1, "{b}");
        let (status, _, _) = send(&app, Request::get("/admin").header(header::COOKIE, &session).body(Body::empty()).unwrap()).await;
        assert_eq!(status, 200, "{b}");
        // The waiting sign-in served once.
        let (_, headers, _) = send(&app, form(Some(&attente), "/connexion/code", &[("code", &code(&secret, 0))])).await;
        assert_eq!(location(&headers), "/connexion?erreur=code_expire", "{b}");

        // Next sign-in: the same code is refused (already used), the key is no
        // longer shown, the next step's code opens the session.
        let (to, attente, _) = password_step(&app, "admin@exemple.fr").await;
        assert_eq!(to, "/connexion/code");
        let attente = attente.expect("cookie");
        let (_, _, page) = send(&app, Request::get("/connexion/code").header(header::COOKIE, &attente).body(Body::empty()).unwrap()).await;
        assert!(!page.contains("<svg") && page.contains("Saisissez le code"), "{b}");
        assert_eq!(secret_of(&t.db, "admin@exemple.fr").await.as_deref(), Some(secret.as_str()), "{b}: the secret stays");
        let mut used = None;
        for steps in [-1, 0] {
            let (_, headers, _) = send(&app, form(Some(&attente), "/connexion/code", &[("code", &code(&secret, steps))])).await;
            if location(&headers) == "/connexion/code?erreur=deja_utilise" {
                used = Some(steps);
            }
        }
        assert!(used.is_some(), "{b}: a code already accepted is refused");
        let (_, headers, _) = send(&app, form(Some(&attente), "/connexion/code", &[("code", &code(&secret, 1))])).await;
        assert_eq!(location(&headers), "/admin", "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn wrong_codes_end_the_waiting_sign_in_and_it_expires() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let (_, attente, _) = password_step(&app, "admin@exemple.fr").await;
        let attente = attente.expect("cookie");
        for essai in 1..=5 {
            let (_, headers, _) = send(&app, form(Some(&attente), "/connexion/code", &[("code", "12 34 56")])).await;
            let expected = if essai < 5 { "/connexion/code?erreur=incorrect" } else { "/connexion?erreur=code_epuise" };
            assert_eq!(location(&headers), expected, "{b}: essai {essai}");
        }
        assert_eq!(count(&t.db, "connexions_en_attente").await, 0, "{b}");
        // Even the right code no longer opens anything: the password again.
        let (_, headers, _) = send(&app, form(Some(&attente), "/connexion/code", &[("code", &common::totp_code(0))])).await;
        assert_eq!(location(&headers), "/connexion?erreur=code_expire", "{b}");
        let (_, _, page) = send(&app, Request::get("/connexion?erreur=code_epuise").body(Body::empty()).unwrap()).await;
        assert!(page.contains("Trop de codes incorrects"), "{b}");

        // A waiting sign-in lasts 10 minutes.
        let (_, attente, _) = password_step(&app, "admin@exemple.fr").await;
        t.db.execute_unprepared("UPDATE connexions_en_attente SET expires_at = '2020-01-01T00:00:00+00:00'").await.expect("expirée");
        let (_, headers, _) = send(&app, form(attente.as_deref(), "/connexion/code", &[("code", &common::totp_code(0))])).await;
        assert_eq!(location(&headers), "/connexion?erreur=code_expire", "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_json_api_asks_for_the_code() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let api = |body: serde_json::Value| {
            Request::post("/api/v1/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .expect("requête")
        };
        let (status, headers, body) = send(&app, api(serde_json::json!({ "email": "admin@exemple.fr", "password": TEST_PASSWORD }))).await;
        assert_eq!(status, 401, "{b}");
        assert!(body.contains("double authentification") && headers.get(header::SET_COOKIE).is_none(), "{b}: {body}");
        let (status, _, body) =
            send(&app, api(serde_json::json!({ "email": "admin@exemple.fr", "password": TEST_PASSWORD, "code": "999999" }))).await;
        assert_eq!(status, 401, "{b}");
        assert!(body.contains("Code incorrect"), "{b}: {body}");
        // A wrong password with any code: the same answer as ever.
        let (status, _, body) =
            send(&app, api(serde_json::json!({ "email": "admin@exemple.fr", "password": "faux", "code": "999999" }))).await;
        assert!(status == 401 && body.contains("mot de passe incorrect"), "{b}: {body}");
        let cookie = login(&app, "admin@exemple.fr").await;
        assert!(cookie.starts_with("emjpm_session="), "{b}");
        // An administrator who never enrolled cannot do it through the API.
        t.db.execute_unprepared("UPDATE users SET totp_secret = NULL, totp_actif = false WHERE email = 'admin@exemple.fr'")
            .await
            .expect("sans second facteur");
        let (status, _, body) = send(&app, api(serde_json::json!({ "email": "admin@exemple.fr", "password": TEST_PASSWORD }))).await;
        assert_eq!(status, 403, "{b}");
        assert!(body.contains("activez-la d'abord"), "{b}: {body}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn anyone_turns_it_on_and_off_from_the_account_page_and_an_administrator_resets_it() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let (_, _, page) = send(&app, Request::get("/compte").header(header::COOKIE, &juge).body(Body::empty()).unwrap()).await;
        assert!(page.contains("Activer la double authentification"), "{b}");

        // Start: a secret, shown on its page, not yet required.
        let (status, headers, _) = send(&app, form(Some(&juge), "/compte/double-authentification", &[])).await;
        assert_eq!((status, location(&headers).as_str()), (303, "/compte/double-authentification"), "{b}");
        let secret = secret_of(&t.db, "juge.lille@exemple.fr").await.expect("secret");
        let (_, _, page) =
            send(&app, Request::get("/compte/double-authentification").header(header::COOKIE, &juge).body(Body::empty()).unwrap()).await;
        assert!(page.contains("<svg") && page.contains(&secret[4..8]), "{b}");
        let (to, _, session) = password_step(&app, "juge.lille@exemple.fr").await;
        assert!(to == "/tribunal" && session.is_some(), "{b}: not required before it is confirmed");

        // A wrong code: refused at the field, nothing changes.
        let (_, headers, _) = send(&app, form(Some(&juge), "/compte/double-authentification/activer", &[("code", "000000")])).await;
        assert!(
            location(&headers).starts_with("/compte/double-authentification?saisie=1") && location(&headers).contains("&erreur_code="),
            "{b}: {}",
            location(&headers)
        );
        assert_eq!(count(&t.db, "users WHERE totp_actif = true AND email = 'juge.lille@exemple.fr'").await, 0, "{b}");
        // The right one: on.
        let (_, headers, _) =
            send(&app, form(Some(&juge), "/compte/double-authentification/activer", &[("code", &code(&secret, 0))])).await;
        assert!(location(&headers).starts_with("/compte?fait=double-authentification-activee"), "{b}");
        let (to, attente, session) = password_step(&app, "juge.lille@exemple.fr").await;
        assert!(to == "/connexion/code" && attente.is_some() && session.is_none(), "{b}: now required");
        let (_, _, page) = send(&app, Request::get("/compte").header(header::COOKIE, &juge).body(Body::empty()).unwrap()).await;
        assert!(page.contains("Désactiver la double authentification"), "{b}");

        // Off: a current code is needed.
        let (_, headers, _) = send(&app, form(Some(&juge), "/compte/double-authentification/desactiver", &[("code", "")])).await;
        assert!(location(&headers).starts_with("/compte?saisie=1") && location(&headers).contains("&erreur_code="), "{b}");
        let (_, headers, _) =
            send(&app, form(Some(&juge), "/compte/double-authentification/desactiver", &[("code", &code(&secret, 1))])).await;
        assert!(location(&headers).starts_with("/compte?fait=double-authentification-desactivee"), "{b}");
        assert_eq!(
            count(&t.db, "users WHERE totp_secret IS NULL AND totp_actif = false AND email = 'juge.lille@exemple.fr'").await,
            1,
            "{b}"
        );

        // An administrator cannot turn its own off.
        let admin = login(&app, "admin@exemple.fr").await;
        let (_, headers, _) =
            send(&app, form(Some(&admin), "/compte/double-authentification/desactiver", &[("code", &common::totp_code(1))])).await;
        assert!(location(&headers).contains("obligatoire"), "{b}: {}", location(&headers));
        assert_eq!(count(&t.db, "users WHERE totp_actif = true AND email = 'admin@exemple.fr'").await, 1, "{b}");

        // A lost phone: an administrator removes the judge's second factor.
        t.db.execute_unprepared(&format!(
            "UPDATE users SET totp_secret = '{secret}', totp_actif = true WHERE email = 'juge.lille@exemple.fr'"
        ))
        .await
        .expect("réactivée");
        let juge_id: i32 =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT id FROM users WHERE email = 'juge.lille@exemple.fr'",
            ))
            .await
            .expect("lecture")
            .expect("ligne")
            .try_get_by_index(0)
            .expect("id");
        let uri = format!("/admin/comptes/{juge_id}/double-authentification");
        let (status, _, _) = send(&app, form(Some(&juge), &uri, &[])).await;
        assert_eq!(status, 403, "{b}: not for a judge");
        let (_, headers, _) = send(&app, form(Some(&admin), &uri, &[])).await;
        assert!(location(&headers).contains("fait=double-authentification"), "{b}: {}", location(&headers));
        assert_eq!(count(&t.db, "audit_events WHERE action = 'double_authentification.reinitialisation'").await, 1, "{b}");
        let (to, _, session) = password_step(&app, "juge.lille@exemple.fr").await;
        assert!(to == "/tribunal" && session.is_some(), "{b}: the password alone again");
        t.cleanup().await;
    }
}
