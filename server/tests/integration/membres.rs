//! A service's members, on SQLite and PostgreSQL: an admin invites someone (an
//! account attached to the service, a mail with a single-use link that opens
//! it), names admins and removes members (account closed, sessions ended);
//! never on itself; plain members and other professionals change nothing.

use crate::common;
use common::client::{form_post, submit, token_in_mail};

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, get, login};
use common::{count, send};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

async fn id_of(db: &DatabaseConnection, email: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT CAST(id AS BIGINT) AS id FROM users WHERE email = '{email}'"),
    ))
    .await
    .expect("lecture")
    .expect("utilisateur")
    .try_get("", "id")
    .expect("id")
}

const LUCIE: [(&str, &str); 3] = [("prenom", "Lucie"), ("nom", "Bernard"), ("email", " Lucie.Bernard@Exemple.fr ")];

#[tokio::test]
async fn a_services_admin_invites_names_and_removes_members() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "atmp.admin@exemple.fr").await;
        let membre = login(&app, "atmp.membre@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;

        // Only the service's admins invite.
        for cookie in [&membre, &martin] {
            assert_eq!(submit(&app, Some(cookie), "/mandataire/membres", &LUCIE).await.0, 403, "{b}");
        }
        assert_eq!(count(&t.db, "users WHERE email = 'lucie.bernard@exemple.fr'").await, 0, "{b}");
        let (status, location) = submit(&app, Some(&admin), "/mandataire/membres", &LUCIE).await;
        assert_eq!((status, location.as_str()), (303, "/mandataire/membres?fait=invite"), "{b}");
        let lucie = id_of(&t.db, "lucie.bernard@exemple.fr").await;
        assert_eq!(
            count(&t.db, &format!("gestionnaire_membres WHERE user_id = {lucie} AND gestionnaire_id = 3 AND admin = false")).await,
            1,
            "{b}"
        );
        assert_eq!(
            count(
                &t.db,
                "courriels WHERE destinataire = 'lucie.bernard@exemple.fr' AND sujet = 'Invitation à rejoindre ATMP Nord sur e-MJPM'"
            )
            .await,
            1,
            "{b}"
        );
        // An address that already has an account: refused, nothing more written.
        let users_before = count(&t.db, "users").await;
        for email in ["lucie.bernard@exemple.fr", "juge.lille@exemple.fr"] {
            let (_, location) = submit(&app, Some(&admin), "/mandataire/membres", &[("prenom", "X"), ("nom", "Y"), ("email", email)]).await;
            assert!(location.contains("erreur_email="), "{b}: {email}: {location}");
        }
        assert_eq!(count(&t.db, "users").await, users_before, "{b}");
        assert_eq!(count(&t.db, "gestionnaire_membres WHERE gestionnaire_id = 3").await, 3, "{b}");

        // Lucie opens her account with the link and works for the service.
        let token = token_in_mail(&t.db, "lucie.bernard@exemple.fr").await;
        let password = "un mot de passe bien long";
        let (status, _, body) =
            send(&app, form_post(None, "/mot-de-passe/nouveau", &[("jeton", &token), ("nouveau", password), ("confirmation", password)]))
                .await;
        assert_eq!(status, 303, "{b}: {body}");
        let lucie_cookie = {
            let request = Request::post("/api/v1/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::json!({ "email": "lucie.bernard@exemple.fr", "password": password }).to_string()))
                .expect("requête");
            let (status, headers, body) = send(&app, request).await;
            assert_eq!(status, 200, "{b}: {body}");
            headers[header::SET_COOKIE].to_str().expect("cookie").split(';').next().expect("cookie").to_string()
        };
        let (status, capacite) = get(&app, Some(&lucie_cookie), "/api/v1/moi/capacite").await;
        assert_eq!((status, capacite["gestionnaire_id"].as_i64()), (200, Some(3)), "{b}: {capacite}");

        // Admin rights: given and taken by an admin, never on oneself, never another service's member.
        let uri = |id: i64, action: &str| format!("/mandataire/membres/{id}/{action}");
        assert_eq!(submit(&app, Some(&membre), &uri(lucie, "administrateur"), &[("admin", "oui")]).await.0, 403, "{b}");
        assert_eq!(
            submit(&app, Some(&admin), &uri(lucie, "administrateur"), &[("admin", "oui")]).await.1,
            "/mandataire/membres?fait=admin",
            "{b}"
        );
        assert_eq!(count(&t.db, &format!("gestionnaire_membres WHERE user_id = {lucie} AND admin = true")).await, 1, "{b}");
        let own = id_of(&t.db, "atmp.admin@exemple.fr").await;
        let (_, location) = submit(&app, Some(&admin), &uri(own, "retirer"), &[]).await;
        assert!(location.contains("erreur="), "{b}: never oneself: {location}");
        let martin_id = id_of(&t.db, "martin@exemple.fr").await;
        let (_, location) = submit(&app, Some(&admin), &uri(martin_id, "retirer"), &[]).await;
        assert!(location.contains("introuvable"), "{b}: {location}");
        assert_eq!(count(&t.db, &format!("users WHERE id = {martin_id} AND active = true")).await, 1, "{b}");

        // Removed: out of the service, account closed, its session ends at once.
        assert_eq!(submit(&app, Some(&admin), &uri(lucie, "retirer"), &[]).await.1, "/mandataire/membres?fait=retire", "{b}");
        assert_eq!(count(&t.db, &format!("gestionnaire_membres WHERE user_id = {lucie}")).await, 0, "{b}");
        assert_eq!(count(&t.db, &format!("users WHERE id = {lucie} AND active = false")).await, 1, "{b}");
        assert_eq!(get(&app, Some(&lucie_cookie), "/api/v1/moi/capacite").await.0, 401, "{b}");
        assert_eq!(count(&t.db, "audit_events WHERE action LIKE 'membre.%'").await, 3, "{b}: invited, named admin, removed");
        t.cleanup().await;
    }
}
