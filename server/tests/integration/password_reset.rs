//! Forgotten password, on SQLite and PostgreSQL: the same answer for every
//! address, a mail with a one-hour single-use link for active accounts only, the
//! new password within the policy, every session closed.

use crate::common;
use common::client::token_in_mail;

use app::accounts::password_reset;
use axum::body::Body;
use axum::http::{header, Request};
use common::{count, insert_user, send, TEST_PASSWORD};
use sea_orm::ConnectionTrait;

fn form(uri: &str, fields: &[(&str, &str)]) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", "192.0.2.50")
        .body(Body::from(serde_urlencoded::to_string(fields).expect("formulaire")))
        .expect("requête")
}

fn login(email: &str, password: &str) -> Request<Body> {
    Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(crate::common::login_json(email, password)))
        .expect("requête")
}

#[tokio::test]
async fn a_forgotten_password_is_replaced_through_a_single_use_link() {
    for t in common::databases().await {
        let b = t.backend;
        let app = common::app(&t.db);
        insert_user(&t.db, "camille@exemple.fr", "magistrat", true).await;
        insert_user(&t.db, "parti@exemple.fr", "magistrat", false).await;
        let (_, session, _) = send(&app, login("camille@exemple.fr", TEST_PASSWORD)).await;
        assert!(session.contains_key(header::SET_COOKIE));

        // Known, unknown and deactivated addresses: the same answer.
        let mut answers = Vec::new();
        for email in ["Camille@Exemple.fr", "personne@exemple.fr", "parti@exemple.fr"] {
            let (status, headers, body) = send(&app, form("/mot-de-passe-oublie", &[("email", email)])).await;
            answers.push((status, headers.get(header::LOCATION).cloned(), body));
        }
        assert!(answers.iter().all(|a| a == &answers[0]), "{b}: {answers:?}");
        assert_eq!(answers[0].1.as_ref().map(|v| v.to_str().expect("ascii")), Some("/mot-de-passe-oublie?envoye=1"));
        assert_eq!(count(&t.db, "courriels").await, 0, "{b}: nothing sent by the page itself");

        // The mail job sends one link, to the active account only; asking again
        // within five minutes sends nothing more.
        let now = chrono::Utc::now();
        assert_eq!(password_reset::process_requests(&t.db, "http://emjpm.test", now).await.expect("traitement"), 1, "{b}");
        send(&app, form("/mot-de-passe-oublie", &[("email", "camille@exemple.fr")])).await;
        assert_eq!(password_reset::process_requests(&t.db, "http://emjpm.test", now).await.expect("traitement"), 0, "{b}");
        assert_eq!(count(&t.db, "courriels").await, 1, "{b}");
        let token = token_in_mail(&t.db, "camille@exemple.fr").await;
        assert_eq!(token.len(), 64, "{b}");
        assert_eq!(count(&t.db, &format!("jetons_mot_de_passe WHERE jeton_hash = '{token}'")).await, 0, "{b}: only its hash is stored");

        // The page knows the link; a weak password is refused, the link stays usable.
        let (_, _, page) = send(&app, Request::get(format!("/mot-de-passe/nouveau?jeton={token}")).body(Body::empty()).expect("req")).await;
        assert!(page.contains("Enregistrer le nouveau mot de passe"), "{b}");
        let (status, headers, _) =
            send(&app, form("/mot-de-passe/nouveau", &[("jeton", &token), ("nouveau", "court"), ("confirmation", "court")])).await;
        let location = crate::common::where_sent(&headers);
        assert_eq!(status, 303);
        assert!(location.contains("erreur_nouveau") && location.contains(&token) && !location.contains("court&"), "{b}: {location}");

        let nouveau = "le renard brun saute haut";
        let (status, headers, _) =
            send(&app, form("/mot-de-passe/nouveau", &[("jeton", &token), ("nouveau", nouveau), ("confirmation", nouveau)])).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/connexion?reinitialise=1"), "{b}");
        assert_eq!(count(&t.db, "sessions").await, 0, "{b}: every session closed");
        let (status, _, _) = send(&app, login("camille@exemple.fr", TEST_PASSWORD)).await;
        assert_eq!(status, 401, "{b}");
        let (status, _, _) = send(&app, login("camille@exemple.fr", nouveau)).await;
        assert_eq!(status, 200, "{b}");

        // Used once only; an expired link is refused too.
        let (_, headers, _) = send(
            &app,
            form(
                "/mot-de-passe/nouveau",
                &[("jeton", &token), ("nouveau", "une autre phrase longue"), ("confirmation", "une autre phrase longue")],
            ),
        )
        .await;
        assert!(crate::common::where_sent(&headers).contains("plus+valable"), "{b}");
        let (_, _, page) = send(&app, Request::get(format!("/mot-de-passe/nouveau?jeton={token}")).body(Body::empty()).expect("req")).await;
        assert!(page.contains("n&#x27;est plus valable") || page.contains("n'est plus valable"), "{b}");
        t.db.execute_unprepared("DELETE FROM jetons_mot_de_passe").await.expect("purge");
        let later = now + chrono::Duration::minutes(10);
        send(&app, form("/mot-de-passe-oublie", &[("email", "camille@exemple.fr")])).await;
        password_reset::process_requests(&t.db, "http://emjpm.test", later).await.expect("traitement");
        let expired = token_in_mail(&t.db, "camille@exemple.fr").await;
        assert_ne!(expired, token);
        t.db.execute_unprepared("UPDATE jetons_mot_de_passe SET expires_at = '2020-01-02T00:00:00+00:00'").await.expect("expiration");
        let (_, headers, _) =
            send(&app, form("/mot-de-passe/nouveau", &[("jeton", &expired), ("nouveau", nouveau), ("confirmation", nouveau)])).await;
        assert!(crate::common::where_sent(&headers).contains("plus+valable"), "{b}");
        assert_eq!(count(&t.db, "audit_events WHERE action = 'mot_de_passe_reinitialise'").await, 1, "{b}");
        t.cleanup().await;
    }
}

/// A link asks for a new password; `Ok` is the address it leads to.
async fn use_link(app: &axum::Router, token: &str, nouveau: &str) -> String {
    let (status, headers, _) =
        send(app, form("/mot-de-passe/nouveau", &[("jeton", token), ("nouveau", nouveau), ("confirmation", nouveau)])).await;
    assert_eq!(status, 303);
    crate::common::where_sent(&headers)
}

/// A link sent by the mail job for `email` at `now`.
async fn new_link(app: &axum::Router, db: &sea_orm::DatabaseConnection, email: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    send(app, form("/mot-de-passe-oublie", &[("email", email)])).await;
    assert_eq!(password_reset::process_requests(db, "http://emjpm.test", now).await.expect("traitement"), 1);
    token_in_mail(db, email).await
}

#[tokio::test]
async fn a_new_password_revokes_every_link_asked_before() {
    for t in common::databases().await {
        let b = t.backend;
        let app = common::app(&t.db);
        common::nord::fixture(&t.db).await;
        let now = chrono::Utc::now();

        // A link asked, then the password changed from "Mon compte": the link no
        // longer opens, and says why.
        let before = new_link(&app, &t.db, "juge.lille@exemple.fr", now).await;
        let cookie = common::nord::login(&app, "juge.lille@exemple.fr").await;
        let change = "la riviere coule vers la mer";
        let mut request = form("/compte/mot-de-passe", &[("actuel", TEST_PASSWORD), ("nouveau", change), ("confirmation", change)]);
        request.headers_mut().insert(header::COOKIE, cookie.parse().expect("cookie"));
        let (status, headers, _) = send(&app, request).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/compte?fait=mot-de-passe"), "{b}");
        let (_, _, page) =
            send(&app, Request::get(format!("/mot-de-passe/nouveau?jeton={before}")).body(Body::empty()).expect("req")).await;
        assert!(page.contains("plus valable") && page.contains("mot de passe du compte a été changé"), "{b}: {page}");
        let location = use_link(&app, &before, "un pirate choisit ceci").await;
        assert!(location.contains("plus+valable") && location.contains("chang%C3%A9"), "{b}: {location}");
        let (status, _, _) = send(&app, login("juge.lille@exemple.fr", change)).await;
        assert_eq!(status, 200, "{b}: the password set from Mon compte stays");
        let (status, _, _) = send(&app, login("juge.lille@exemple.fr", "un pirate choisit ceci")).await;
        assert_eq!(status, 401, "{b}");

        // Two links asked (the second once the first's five minutes are over):
        // using one revokes the other.
        let first = new_link(&app, &t.db, "juge.lille@exemple.fr", now + chrono::Duration::minutes(1)).await;
        let second = new_link(&app, &t.db, "juge.lille@exemple.fr", now + chrono::Duration::minutes(7)).await;
        assert_ne!(first, second, "{b}");
        let reset = "le vent souffle sur la plaine";
        assert_eq!(use_link(&app, &first, reset).await, "/connexion?reinitialise=1", "{b}");
        let location = use_link(&app, &second, "un pirate choisit ceci").await;
        assert!(location.contains("plus+valable"), "{b}: {location}");
        let (status, _, _) = send(&app, login("juge.lille@exemple.fr", reset)).await;
        assert_eq!(status, 200, "{b}: the first link's password stays");
        assert_eq!(count(&t.db, "jetons_mot_de_passe WHERE utilise_at IS NULL").await, 0, "{b}");

        // Revoked links do not hold back a new one.
        let after = new_link(&app, &t.db, "juge.lille@exemple.fr", now + chrono::Duration::minutes(8)).await;
        assert_eq!(use_link(&app, &after, "encore une phrase assez longue").await, "/connexion?reinitialise=1", "{b}");
        t.cleanup().await;
    }
}
