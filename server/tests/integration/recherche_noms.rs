//! Names are found whatever the case and the accents typed: "Élodie", "élodie",
//! "ELODIE" and "elodie" find Élodie Lefèvre in the administrators' accounts,
//! the liste blanche and the journal (SQLite's `lower` folds ASCII letters
//! only: "Élodie" found nothing). SQLite and PostgreSQL.

use crate::common;
use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login};
use common::send;
use sea_orm::ConnectionTrait;

async fn call(app: &axum::Router, cookie: &str, function: &str, query: &str) -> serde_json::Value {
    let request = Request::post(format!("/api/fn/{function}"))
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string([("query", query)]).expect("args")))
        .expect("req");
    let (status, _, body) = send(app, request).await;
    assert_eq!(status, 200, "{function}({query}): {body}");
    serde_json::from_str(&body).expect("json")
}

#[tokio::test]
async fn accented_capitals_find_the_same_names_as_plain_letters() {
    for t in common::databases().await {
        let b = t.backend;
        fixture(&t.db).await;
        let id = common::insert_user(&t.db, "e.lefevre@exemple.fr", "greffier", true).await;
        t.db.execute_unprepared(&format!(
            "UPDATE users SET prenom = 'Élodie', nom = 'LEFÈVRE' WHERE id = {id};
             UPDATE liste_blanche SET prenom = 'Élodie', nom = 'Lefèvre-Cœur' WHERE id = 1;
             INSERT INTO audit_events (at, actor_user_id, role, action, summary) VALUES ('2026-12-01T10:00:00+00:00', {id}, 'greffier', 'connexion', 'test')"
        ))
        .await
        .expect("données");
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        for typed in ["Élodie", "élodie", "ELODIE", "elodie", "ÉLODIE lefevre", "Lefèvre"] {
            let comptes = call(&app, &admin, "comptes_admin", &format!("q={typed}")).await;
            let found: Vec<&str> = comptes["comptes"].as_array().expect("comptes").iter().filter_map(|c| c["email"].as_str()).collect();
            assert_eq!(found, ["e.lefevre@exemple.fr"], "{b}: comptes « {typed} »: {comptes}");
            let liste = call(&app, &admin, "liste_blanche", &format!("q={typed}")).await;
            let found: Vec<i64> = liste["lignes"].as_array().expect("lignes").iter().filter_map(|l| l["id"].as_i64()).collect();
            assert_eq!(found, [1], "{b}: liste blanche « {typed} »: {liste}");
            let journal = call(&app, &admin, "journal_admin", &format!("acteur={typed}")).await;
            assert_eq!(journal["total"], 1, "{b}: journal « {typed} »: {journal}");
        }
        // "cœur" and "coeur" alike; a word of no one finds nothing.
        let liste = call(&app, &admin, "liste_blanche", "q=coeur").await;
        assert_eq!(liste["lignes"].as_array().map(Vec::len), Some(1), "{b}: {liste}");
        let comptes = call(&app, &admin, "comptes_admin", "q=élodine").await;
        assert_eq!(comptes["total"], 0, "{b}: {comptes}");
        t.cleanup().await;
    }
}
