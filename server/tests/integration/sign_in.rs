//! Sign-in through the JSON API and the form, sessions, and the page guard, on
//! SQLite and PostgreSQL.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::{insert_lille, insert_user, send, TEST_PASSWORD};
use sea_orm::ConnectionTrait;

fn json_login(email: &str, password: &str) -> Request<Body> {
    Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(crate::common::login_json(email, password)))
        .expect("requête")
}

fn session_cookie(headers: &axum::http::HeaderMap) -> String {
    let set_cookie = headers.get(header::SET_COOKIE).expect("cookie posé").to_str().expect("ascii");
    set_cookie.split(';').next().expect("nom=valeur").to_string()
}

#[tokio::test]
async fn json_sign_in_accepts_good_credentials_only() {
    for t in common::databases().await {
        let app = common::app(&t.db);
        let id = insert_user(&t.db, "admin@exemple.fr", "admin", true).await;
        insert_user(&t.db, "inactif@exemple.fr", "admin", false).await;

        // Good password; the e-mail is matched case-insensitively.
        let (status, headers, body) = send(&app, json_login(" Admin@Exemple.fr ", TEST_PASSWORD)).await;
        assert_eq!(status, 200, "{} : {body}", t.backend);
        let json: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(json["id"], id);
        assert_eq!(json["email"], "admin@exemple.fr");
        assert_eq!(json["role"], "admin");
        let cookie = headers.get(header::SET_COOKIE).expect("cookie").to_str().expect("ascii");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "http: no Secure flag");

        // Wrong password and unknown e-mail: same status, same body.
        let (wrong_status, _, wrong_body) = send(&app, json_login("admin@exemple.fr", "mauvais")).await;
        let (unknown_status, unknown_headers, unknown_body) = send(&app, json_login("personne@exemple.fr", TEST_PASSWORD)).await;
        assert_eq!((wrong_status, unknown_status), (401, 401), "{}", t.backend);
        assert_eq!(wrong_body, unknown_body);
        assert!(wrong_body.contains("Adresse électronique ou mot de passe incorrect"), "{wrong_body}");
        assert!(unknown_headers.get(header::SET_COOKIE).is_none());

        // Disabled account.
        let (status, _, body) = send(&app, json_login("inactif@exemple.fr", TEST_PASSWORD)).await;
        assert_eq!(status, 401, "{}", t.backend);
        assert!(body.contains("n'est pas actif"), "{body}");

        // Malformed body.
        let bad = Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{pas du json"))
            .expect("requête");
        let (status, _, body) = send(&app, bad).await;
        assert_eq!(status, 400);
        assert!(body.contains("JSON"), "{body}");

        // Failures and the success are audited.
        let rows =
            t.db.query_all_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT action FROM audit_events ORDER BY id".to_string(),
            ))
            .await
            .expect("audit");
        let actions: Vec<String> = rows.iter().map(|r| r.try_get("", "action").expect("action")).collect();
        assert_eq!(actions, ["connexion", "connexion_echec", "connexion_echec"], "{}", t.backend);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_session_opens_the_role_home_and_signing_out_closes_it() {
    for t in common::databases().await {
        let app = common::app(&t.db);
        insert_user(&t.db, "admin@exemple.fr", "admin", true).await;

        // Visitors are sent to the sign-in page.
        let (status, headers, _) = send(&app, Request::get("/admin").body(Body::empty()).expect("req")).await;
        assert_eq!(status, 303);
        assert_eq!(headers[header::LOCATION], "/connexion");

        let (_, headers, _) = send(&app, json_login("admin@exemple.fr", TEST_PASSWORD)).await;
        let cookie = session_cookie(&headers);
        let get = |path: &str| Request::get(path).header(header::COOKIE, cookie.clone()).body(Body::empty()).expect("req");
        let (status, _, body) = send(&app, get("/admin")).await;
        assert_eq!(status, 200, "{}: {body}", t.backend);
        assert!(body.contains("<h1>Administration</h1>"), "{body}");
        assert!(body.contains("Se déconnecter"));

        // Another role's home sends back to one's own.
        let (status, headers, _) = send(&app, get("/tribunal")).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/admin"));
        let (status, headers, _) = send(&app, get("/")).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/admin"));

        // Server functions check the role too: an admin cannot load a tribunal home.
        let call = Request::post("/api/fn/accueil_tribunal")
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .expect("req");
        let (status, _, body) = send(&app, call).await;
        assert!(status >= 400, "{status} {body}");
        assert!(body.contains("Interdit"), "{body}");

        // A session seen long ago is refreshed; an expired one or a deactivated
        // user's opens nothing.
        t.db.execute_unprepared("UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00+00:00'").await.expect("vieille session");
        let (status, _, _) = send(&app, get("/admin")).await;
        assert_eq!(status, 200, "{}", t.backend);
        let fresh = common::count(&t.db, "sessions WHERE last_seen_at > '2021-01-01'").await;
        assert_eq!(fresh, 1, "{}: last_seen_at refreshed", t.backend);
        t.db.execute_unprepared("UPDATE users SET active = false").await.expect("désactivation");
        let (status, headers, _) = send(&app, get("/admin")).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/connexion"), "{}", t.backend);
        t.db.execute_unprepared("UPDATE users SET active = true; UPDATE sessions SET expires_at = '2020-01-02T00:00:00+00:00'")
            .await
            .expect("expiration");
        let (status, _, _) = send(&app, get("/admin")).await;
        assert_eq!(status, 303, "{}: expired", t.backend);
        t.db.execute_unprepared("UPDATE sessions SET expires_at = '2099-01-01T00:00:00+00:00'").await.expect("prolongation");

        // Sign out: the session is gone from the database.
        let logout = Request::post("/api/v1/auth/logout").header(header::COOKIE, cookie.clone()).body(Body::empty()).expect("req");
        let (status, headers, _) = send(&app, logout).await;
        assert_eq!(status, 204);
        assert!(headers[header::SET_COOKIE].to_str().expect("ascii").contains("Max-Age=0"));
        let (status, headers, _) = send(&app, get("/admin")).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/connexion"));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_sign_in_form_redirects_to_the_home_or_back_with_an_error() {
    for t in common::databases().await {
        let app = common::app(&t.db);
        juge(&t.db, "juge@exemple.fr").await;

        let form = |password: &str| {
            Request::post("/connexion")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("email=juge%40exemple.fr&password={password}")))
                .expect("req")
        };
        let (status, headers, _) = send(&app, form("faux")).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/connexion?erreur=identifiants"));
        let (_, _, page) = send(&app, Request::get("/connexion?erreur=identifiants").body(Body::empty()).expect("req")).await;
        assert!(page.contains("role=\"alert\"") && page.contains("Adresse électronique ou mot de passe incorrect"));

        let (status, headers, _) = send(&app, form(TEST_PASSWORD)).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/tribunal"), "{}", t.backend);
        let cookie = session_cookie(&headers);
        let (status, _, body) =
            send(&app, Request::get("/tribunal").header(header::COOKIE, cookie).body(Body::empty()).expect("req")).await;
        assert_eq!(status, 200);
        // (Text may be followed by a hydration marker `<!>`.)
        assert!(body.contains("<h1>Tribunal judiciaire de Lille"), "{}: {body}", t.backend);
        assert!(body.contains("Nord (59)"));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn health_checks() {
    let t = common::sqlite().await;
    let app = common::app(&t.db);
    let (status, _, body) = send(&app, Request::get("/healthz").body(Body::empty()).expect("req")).await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    let (status, _, body) = send(&app, Request::get("/readyz").body(Body::empty()).expect("req")).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = send(&app, Request::get("/nexiste-pas").body(Body::empty()).expect("req")).await;
    assert_eq!(status, 404);
    assert!(body.contains("Page introuvable"));
    t.cleanup().await;
}

/// A judge of Lille's tribunal (inserted if needed).
async fn juge(db: &sea_orm::DatabaseConnection, email: &str) {
    if common::count(db, "tribunaux").await == 0 {
        insert_lille(db).await;
        db.execute_unprepared(
            "INSERT INTO tribunaux (nom, type, adresse, code_postal, ville, commune_code, departement_code, latitude, longitude, demo, created_at, updated_at)
             VALUES ('Tribunal judiciaire de Lille', 'tribunal_judiciaire', '13 avenue du Peuple Belge', '59000', 'Lille', '59350', '59', 50.64, 3.06, true, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
        )
        .await
        .expect("tribunal");
    }
    let id = insert_user(db, email, "magistrat", true).await;
    db.execute_unprepared(&format!("INSERT INTO magistrats (user_id, tribunal_id, cabinet) SELECT {id}, id, '1' FROM tribunaux"))
        .await
        .expect("magistrat");
}

#[tokio::test]
async fn the_account_page_lists_my_sessions_and_signs_out_everywhere() {
    for t in common::databases().await {
        let b = t.backend;
        let app = common::app(&t.db);
        // Judges: an administrator's code would serve once only.
        juge(&t.db, "juge@exemple.fr").await;
        juge(&t.db, "autre@exemple.fr").await;
        let (_, phone, _) = send(&app, json_login("juge@exemple.fr", TEST_PASSWORD)).await;
        let (_, desk, _) = send(&app, json_login("juge@exemple.fr", TEST_PASSWORD)).await;
        let (_, other, _) = send(&app, json_login("autre@exemple.fr", TEST_PASSWORD)).await;
        let (phone, desk, other) = (session_cookie(&phone), session_cookie(&desk), session_cookie(&other));
        let call = |cookie: &str| {
            Request::post("/api/fn/mon_compte")
                .header(header::COOKIE, cookie)
                .header(header::ACCEPT, "application/json")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::empty())
                .expect("req")
        };
        let (status, _, body) = send(&app, call(&desk)).await;
        assert_eq!(status, 200, "{b}: {body}");
        let compte: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(compte["email"], "juge@exemple.fr");
        assert_eq!(compte["rattachement"], "Tribunal judiciaire de Lille");
        let sessions = compte["sessions"].as_array().expect("sessions");
        assert_eq!(sessions.len(), 2, "{b}: mine only, not the other account's");
        assert_eq!(sessions.iter().filter(|s| s["courante"] == true).count(), 1, "{b}");

        let out = Request::post("/compte/deconnexion-partout").header(header::COOKIE, desk.clone()).body(Body::empty()).expect("req");
        let (status, headers, _) = send(&app, out).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/connexion?deconnecte=partout"));
        assert!(headers[header::SET_COOKIE].to_str().expect("ascii").contains("Max-Age=0"));
        for cookie in [&phone, &desk] {
            let (status, _, _) = send(&app, call(cookie)).await;
            assert_eq!(status, 401, "{b}: every session of the account is closed");
        }
        let (status, _, _) = send(&app, call(&other)).await;
        assert_eq!(status, 200, "{b}: another account keeps its session");
        assert_eq!(common::count(&t.db, "audit_events WHERE action = 'deconnexion_partout'").await, 1, "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_signed_in_user_changes_its_password_within_the_policy() {
    for t in common::databases().await {
        let b = t.backend;
        let app = common::app(&t.db);
        juge(&t.db, "camille@exemple.fr").await;
        let (_, phone, _) = send(&app, json_login("camille@exemple.fr", TEST_PASSWORD)).await;
        let (_, desk, _) = send(&app, json_login("camille@exemple.fr", TEST_PASSWORD)).await;
        let (phone, desk) = (session_cookie(&phone), session_cookie(&desk));
        let change = |actuel: &str, nouveau: &str, confirmation: &str| {
            let form = serde_urlencoded::to_string([("actuel", actuel), ("nouveau", nouveau), ("confirmation", confirmation)])
                .expect("formulaire");
            Request::post("/compte/mot-de-passe")
                .header(header::COOKIE, desk.clone())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .expect("req")
        };
        let nouveau = "cheval agrafe pile correcte ";
        for (request, field, message) in [
            (change("faux", nouveau, nouveau), "erreur_actuel", "Mot+de+passe+actuel+incorrect"),
            (change(TEST_PASSWORD, "court", "court"), "erreur_nouveau", "au+moins+12"),
            (change(TEST_PASSWORD, "Mot de passe 2026", "Mot de passe 2026"), "erreur_nouveau", "plus+utilis"),
            (change(TEST_PASSWORD, nouveau, "autre chose encore"), "erreur_confirmation", "confirmation"),
        ] {
            let (status, headers, _) = send(&app, request).await;
            let location = crate::common::where_sent(&headers);
            assert_eq!(status, 303, "{b}");
            assert!(location.starts_with("/compte?") && location.contains(field) && location.contains(message), "{b}: {location}");
            assert!(
                !location.contains("cheval") && !location.contains("court&") && !location.contains("2026"),
                "{b}: no password in {location}"
            );
            if field == "erreur_actuel" {
                let failures = "limites_connexion WHERE cle LIKE 'adresse_ip:camille@exemple.fr|%' AND essais = 1";
                assert_eq!(common::count(&t.db, failures).await, 1, "{b}: a wrong current password counts as a failure");
            }
        }

        let (status, headers, _) = send(&app, change(TEST_PASSWORD, nouveau, nouveau)).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/compte?fait=mot-de-passe"), "{b}");
        let me = |cookie: &str| {
            Request::post("/api/fn/utilisateur_courant")
                .header(header::COOKIE, cookie)
                .header(header::ACCEPT, "application/json")
                .body(Body::empty())
                .expect("req")
        };
        let (_, _, body) = send(&app, me(&desk)).await;
        assert!(body.contains("camille@exemple.fr"), "{b}: this session stays open: {body}");
        let (_, _, body) = send(&app, me(&phone)).await;
        assert_eq!(body, "null", "{b}: the other sessions are closed");
        let (status, _, _) = send(&app, json_login("camille@exemple.fr", TEST_PASSWORD)).await;
        assert_eq!(status, 401, "{b}: the old password no longer opens");
        let (status, _, _) = send(&app, json_login("camille@exemple.fr", nouveau)).await;
        assert_eq!(status, 200, "{b}: the new one does, trailing space included");
        assert_eq!(
            common::count(&t.db, "courriels WHERE destinataire = 'camille@exemple.fr' AND sujet LIKE '%mot de passe%'").await,
            1,
            "{b}"
        );
        assert_eq!(common::count(&t.db, "audit_events WHERE action = 'mot_de_passe_change'").await, 1, "{b}");
        t.cleanup().await;
    }
}
