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
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).expect("json")["total"],
            1,
            "{b}: each word in the first name, the name or the address"
        );
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
        assert!(crate::common::where_sent(&headers).contains("d%C3%A9j%C3%A0"), "{b}: already deactivated");
        let (_, _, body) = send(&app, list(&admin, "statut=inactif")).await;
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body).expect("json")["total"], 1, "{b}");

        // Reactivation: signing in works again.
        let (status, _, _) = send(&app, act(&admin, id, "reactiver")).await;
        assert_eq!(status, 303, "{b}");
        login(&app, "petit@exemple.fr").await;

        // Never one's own account; unknown ones are not found.
        let me =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT id FROM users WHERE email = 'admin@exemple.fr'".to_string(),
            ))
            .await
            .expect("lecture")
            .expect("ligne")
            .try_get_by_index::<i32>(0)
            .expect("id");
        let (_, headers, _) = send(&app, act(&admin, me.into(), "desactiver")).await;
        assert!(crate::common::where_sent(&headers).contains("propre"), "{b}");
        assert_eq!(count(&t.db, "users WHERE email = 'admin@exemple.fr' AND active = true").await, 1, "{b}");
        let (status, _, _) = send(&app, act(&admin, 999_999, "desactiver")).await;
        assert!(status == 404 || status == 303, "{b}: {status}");
        t.cleanup().await;
    }
}

fn move_judge(cookie: &str, id: i64, form: &str) -> Request<Body> {
    Request::post(format!("/admin/comptes/{id}/rattachement"))
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .expect("req")
}

#[tokio::test]
async fn an_administrator_moves_a_judge_to_another_role_tribunal_and_cabinet() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        let arras = login(&app, "juge.arras@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        let id_of = |email: &'static str| {
            let db = t.db.clone();
            async move {
                db.query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT id FROM users WHERE email = '{email}'"),
                ))
                .await
                .expect("lecture")
                .expect("ligne")
                .try_get_by_index::<i32>(0)
                .expect("id") as i64
            }
        };
        let juge = id_of("juge.arras@exemple.fr").await;
        let (_, _, body) = send(&app, list(&admin, "q=juge.arras")).await;
        let page: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(page["comptes"][0]["juridiction"][1], 2, "{b}: {page}");
        assert!(page["tribunaux"].as_array().is_some_and(|t| t.len() == 2), "{b}: every tribunal offered");

        // A measure of Lille's, which the Arras judge cannot see yet.
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let reservation = serde_json::json!({ "gestionnaire_id": 1, "numero_rg": "26/00070", "civilite": "madame", "annee_naissance": 1940, "nature": "tutelle" });
        assert_eq!(common::nord::send_json(&app, Some(&lille), "POST", "/api/v1/mesures", reservation).await.0, 201, "{b}");
        assert_eq!(get(&app, Some(&arras), "/api/v1/mesures").await.1["total"], 0, "{b}");

        // Refused: not an admin, a bad tribunal, a professional's account — nothing moves.
        let (status, _, _) = send(&app, move_judge(&arras, juge, "role=magistrat&tribunal_id=1")).await;
        assert_eq!(status, 403, "{b}");
        let (_, headers, _) = send(&app, move_judge(&admin, juge, "role=roi&tribunal_id=99")).await;
        assert!(crate::common::where_sent(&headers).contains("erreur="), "{b}");
        let pro = id_of("martin@exemple.fr").await;
        let (_, headers, _) = send(&app, move_judge(&admin, pro, "role=greffier&tribunal_id=1")).await;
        assert!(crate::common::where_sent(&headers).contains("erreur="), "{b}");
        assert_eq!(count(&t.db, &format!("magistrats WHERE user_id = {juge} AND tribunal_id = 2")).await, 1, "{b}");
        assert_eq!(count(&t.db, &format!("greffiers WHERE user_id = {pro}")).await, 0, "{b}");
        assert_eq!(get(&app, Some(&martin), "/api/v1/moi/capacite").await.0, 200, "{b}: Martin is still a professional");

        // The Arras judge becomes a greffier in Lille: its very next request has Lille's scope.
        let (status, headers, _) =
            send(&app, move_judge(&admin, juge, "role=greffier&tribunal_id=1&cabinet=4&retour=%2Fadmin%2Fcomptes%3Fq%3Darras")).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/admin/comptes?q=arras&fait=rattachement"), "{b}");
        assert_eq!(count(&t.db, &format!("greffiers WHERE user_id = {juge} AND tribunal_id = 1 AND cabinet = '4'")).await, 1, "{b}");
        assert_eq!(count(&t.db, &format!("magistrats WHERE user_id = {juge}")).await, 0, "{b}");
        assert_eq!(count(&t.db, &format!("users WHERE id = {juge} AND role = 'greffier'")).await, 1, "{b}");
        let (_, mesures) = get(&app, Some(&arras), "/api/v1/mesures").await;
        assert_eq!(
            (mesures["total"].as_i64(), mesures["resultats"][0]["tribunal_id"].as_i64()),
            (Some(1), Some(1)),
            "{b}: Lille's measure: {mesures}"
        );
        assert_eq!(count(&t.db, &format!("audit_events WHERE action = 'compte_rattachement' AND target_id = '{juge}'")).await, 1, "{b}");
        t.cleanup().await;
    }
}

fn post_form(cookie: &str, uri: String, form: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .expect("req")
}

#[tokio::test]
async fn an_administrator_moves_a_direction_to_another_territory() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let ddets = common::nord::ddets_du_nord(&t.db).await;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        let direction = login(&app, "ddets59@exemple.fr").await;
        let liste = |cookie: String| {
            let app = app.clone();
            async move {
                let request = Request::post("/api/fn/liste_blanche")
                    .header(header::COOKIE, cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("query="))
                    .expect("req");
                let (_, _, body) = send(&app, request).await;
                let page: serde_json::Value = serde_json::from_str(&body).expect("json");
                let mut ids: Vec<i64> = page["lignes"].as_array().expect("lignes").iter().map(|l| l["id"].as_i64().expect("id")).collect();
                ids.sort();
                ids
            }
        };
        assert_eq!(liste(direction.clone()).await, [1, 3, 4], "{b}: Nord");
        let (_, _, body) = send(&app, list(&admin, "q=ddets59")).await;
        let page: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(page["comptes"][0]["territoire"][0], "departemental", "{b}: {page}");

        let uri = format!("/admin/comptes/{ddets}/territoire");
        let (_, headers, _) =
            send(&app, post_form(&admin, uri.clone(), "direction_type=regional&structure=DREETS&retour=%2Fadmin%2Fcomptes")).await;
        let location = crate::common::where_sent(&headers);
        assert!(location.contains("erreur=Choisissez+la+r%C3%A9gion"), "{b}: {location}");
        assert_eq!(count(&t.db, "directions WHERE departement_code = '59'").await, 1, "{b}: unchanged");

        let form =
            "direction_type=departemental&departement_code=62&structure=DDETS+du+Pas-de-Calais&retour=%2Fadmin%2Fcomptes%3Fq%3Dddets";
        let (status, headers, _) = send(&app, post_form(&admin, uri.clone(), form)).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/admin/comptes?q=ddets&fait=territoire"), "{b}");
        assert_eq!(count(&t.db, &format!("directions WHERE user_id = {ddets} AND type = 'departemental' AND departement_code = '62' AND region_code IS NULL AND structure = 'DDETS du Pas-de-Calais'")).await, 1, "{b}");
        assert_eq!(liste(direction.clone()).await, [2, 3], "{b}: Pas-de-Calais from the next request");
        assert_eq!(count(&t.db, &format!("audit_events WHERE action = 'compte_territoire' AND target_id = '{ddets}'")).await, 1, "{b}");

        // Only directions have a territory; only administrators move them.
        let juge: i64 =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT id FROM users WHERE email = 'juge.lille@exemple.fr'".to_string(),
            ))
            .await
            .expect("lecture")
            .expect("ligne")
            .try_get_by_index::<i32>(0)
            .expect("id")
            .into();
        let (_, headers, _) = send(&app, post_form(&admin, format!("/admin/comptes/{juge}/territoire"), form)).await;
        assert!(crate::common::where_sent(&headers).contains("erreur="), "{b}");
        let (status, _, _) = send(&app, post_form(&direction, uri, form)).await;
        assert_eq!(status, 403, "{b}");
        t.cleanup().await;
    }
}
