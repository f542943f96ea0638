//! "Se connecter en tant que", on SQLite and PostgreSQL: an administrator, with
//! a reason, opens a 30-minute session as a user (never an administrator);
//! the pages know it (banner); what is done meanwhile is recorded with the
//! administrator as real actor; the password cannot be changed; the end is
//! audited and gives the administrator its own session back; an expired or
//! orphaned session opens nothing.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, get, login, send_json};
use common::{count, send};
use sea_orm::ConnectionTrait;

fn post(cookie: &str, uri: &str, form: &[(&str, &str)]) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(serde_urlencoded::to_string(form).expect("formulaire")))
        .expect("requête")
}

/// Status, `Location` and the new session cookie of a form post.
async fn submit(app: &axum::Router, cookie: &str, uri: &str, form: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let (status, headers, _) = send(app, post(cookie, uri, form)).await;
    let location = crate::common::where_sent(&headers);
    let cookie = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter(|c| !c.starts_with(app::layout::saisie::COOKIE))
        .find_map(|c| c.split(';').next())
        .map(str::to_string);
    (status, location, cookie)
}

async fn id_of(db: &sea_orm::DatabaseConnection, email: &str) -> i64 {
    db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), format!("SELECT id FROM users WHERE email = '{email}'")))
        .await
        .expect("lecture")
        .expect("ligne")
        .try_get_by_index::<i32>(0)
        .expect("id")
        .into()
}

async fn current_user(app: &axum::Router, cookie: &str) -> serde_json::Value {
    send_json(app, Some(cookie), "POST", "/api/fn/utilisateur_courant", serde_json::json!({})).await.1
}

#[tokio::test]
async fn an_administrator_acts_as_a_user_for_a_while_and_every_act_names_it() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        let martin = id_of(&t.db, "martin@exemple.fr").await;
        let admin_id = id_of(&t.db, "admin@exemple.fr").await;
        let uri = format!("/admin/comptes/{martin}/incarner");

        // A reason is required; never another administrator; never from another role.
        let (_, location, cookie) = submit(&app, &admin, &uri, &[("motif", " ")]).await;
        assert!(location.contains("erreur=") && cookie.is_none(), "{b}: {location}");
        let other_admin = common::insert_user(&t.db, "admin2@exemple.fr", "admin", true).await;
        let (_, location, _) = submit(&app, &admin, &format!("/admin/comptes/{other_admin}/incarner"), &[("motif", "essai")]).await;
        assert!(location.contains("erreur="), "{b}: {location}");
        let juge = login(&app, "juge.lille@exemple.fr").await;
        assert_eq!(submit(&app, &juge, &uri, &[("motif", "essai")]).await.0, 403, "{b}");
        assert_eq!(count(&t.db, "sessions WHERE incarne_par IS NOT NULL").await, 0, "{b}: nothing opened");

        let (status, location, cookie) = submit(&app, &admin, &uri, &[("motif", "Aide demandée par téléphone")]).await;
        assert_eq!((status, location.as_str()), (303, "/mandataire"), "{b}");
        let comme = cookie.expect("nouvelle session");
        assert_eq!(current_user(&app, &admin).await, serde_json::Value::Null, "{b}: the administrator's own session is closed");
        let moi = current_user(&app, &comme).await;
        assert_eq!(moi["email"], "martin@exemple.fr", "{b}: {moi}");
        assert_eq!(moi["incarne_par"], "Camille Test", "{b}: {moi}");
        assert!(moi["incarnation_fin"].as_str().is_some_and(|f| f.len() == 5), "{b}: {moi}");
        assert_eq!(count(&t.db, &format!("audit_events WHERE action = 'incarnation.debut' AND actor_user_id = {admin_id} AND target_id = '{martin}' AND summary LIKE '%Aide demandée%'")).await, 1, "{b}");

        // What is done meanwhile is Martin's act, done by the administrator.
        let (status, body) =
            send_json(&app, Some(&comme), "PUT", "/api/v1/moi/capacite", serde_json::json!({ "mesures_max": 14, "suspendu": false })).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(
            count(
                &t.db,
                &format!("audit_events WHERE action LIKE '%capacite%' AND actor_user_id = {martin} AND real_actor_user_id = {admin_id}")
            )
            .await,
            1,
            "{b}: the real actor is recorded"
        );
        let (_, location, _) =
            submit(&app, &comme, "/compte/mot-de-passe", &[("actuel", "x"), ("nouveau", "y"), ("confirmation", "y")]).await;
        assert!(location.contains("erreur=Pendant"), "{b}: {location}");
        assert_eq!(
            submit(&app, &comme, &format!("/admin/comptes/{martin}/incarner"), &[("motif", "x")]).await.0,
            403,
            "{b}: not an admin now"
        );

        // The end: audited, the administrator's own session back.
        let (status, location, cookie) = submit(&app, &comme, "/incarnation/fin", &[]).await;
        assert_eq!((status, location.as_str()), (303, "/admin/comptes?fait=incarnation"), "{b}");
        let retour = cookie.expect("session de l'administrateur");
        assert_eq!(current_user(&app, &retour).await["email"], "admin@exemple.fr", "{b}");
        assert_eq!(current_user(&app, &comme).await, serde_json::Value::Null, "{b}: the session as Martin is closed");
        assert_eq!(count(&t.db, &format!("audit_events WHERE action = 'incarnation.fin' AND target_id = '{martin}'")).await, 1, "{b}");
        let (status, _, _) = submit(&app, &retour, "/incarnation/fin", &[]).await;
        assert_eq!(status, 409, "{b}: nothing to end");

        // Time-limited, and over when its administrator is no longer one.
        let (_, _, cookie) = submit(&app, &retour, &uri, &[("motif", "Vérification")]).await;
        let comme = cookie.expect("session");
        t.db.execute_unprepared(&format!("UPDATE sessions SET expires_at = '2020-01-01T00:00:00+00:00' WHERE incarne_par = {admin_id}"))
            .await
            .expect("expiration");
        assert_eq!(get(&app, Some(&comme), "/api/v1/moi/capacite").await.0, 401, "{b}: expired");
        // Its end is recorded by the hourly purge, once.
        for closed in [1, 0] {
            assert_eq!(app::accounts::incarnation::close_expired(&t.db, chrono::Utc::now()).await.expect("purge"), closed, "{b}");
        }
        assert_eq!(count(&t.db, &format!("audit_events WHERE action = 'incarnation.fin' AND target_id = '{martin}' AND actor_user_id = {admin_id} AND summary LIKE '%arrivée à son terme%'")).await, 1, "{b}");
        let admin = login(&app, "admin@exemple.fr").await;
        let (_, _, cookie) = submit(&app, &admin, &uri, &[("motif", "Vérification")]).await;
        let comme = cookie.expect("session");
        t.db.execute_unprepared(&format!("UPDATE users SET active = false WHERE id = {admin_id}")).await.expect("désactivation");
        assert_eq!(get(&app, Some(&comme), "/api/v1/moi/capacite").await.0, 401, "{b}: its administrator deactivated");
        t.cleanup().await;
    }
}
