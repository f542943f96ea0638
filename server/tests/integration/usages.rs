//! Usage measured first-party, on SQLite and PostgreSQL: each useful action
//! recorded with its account by the service that did it (and only when it was
//! done), and the daily page views per route pattern and role — counted
//! exactly under a parallel burst, without account nor address.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{ddets_du_nord, fixture, get, login, send_json};
use common::{count, send};
use serde_json::json;

/// The actions recorded for `email`, in order.
async fn actions_of(db: &sea_orm::DatabaseConnection, email: &str) -> Vec<String> {
    use sea_orm::ConnectionTrait;
    let sql = format!("SELECT a.action FROM usages a JOIN users u ON u.id = a.user_id WHERE u.email = '{email}' ORDER BY a.id");
    db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("lecture")
        .into_iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("action"))
        .collect()
}

/// Waits until `condition` counts `expected` rows (page views are counted
/// after the answer, off its path).
async fn wait_for_count(db: &sea_orm::DatabaseConnection, condition: &str, expected: i64) {
    let mut last = -1;
    for _ in 0..200 {
        last = count(db, condition).await;
        if last == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{condition} : {last} au lieu de {expected}");
}

#[tokio::test]
async fn each_useful_action_is_recorded_with_its_account_once_done() {
    for t in common::databases().await {
        fixture(&t.db).await;
        ddets_du_nord(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        assert_eq!(get(&app, Some(&juge), "/api/v1/gestionnaires").await.0, 200, "{b}");
        let reservation = json!({"gestionnaire_id": 1, "numero_rg": "USAGE/1", "civilite": "madame", "annee_naissance": 1948, "nature": "tutelle", "urgent": false});
        let (status, mesure) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation.clone()).await;
        assert_eq!(status, 201, "{b}: {mesure}");
        // Refused (same RG pending): nothing happened, nothing recorded.
        assert_eq!(send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation).await.0, 422, "{b}");
        assert_eq!(actions_of(&t.db, "juge.lille@exemple.fr").await, ["connexion", "recherche", "reservation"], "{b}");

        let martin = login(&app, "martin@exemple.fr").await;
        let acceptation = json!({"date_nomination": "2026-11-02", "lieu_vie": "domicile", "commune": "59512"});
        let (status, body) =
            send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{}/acceptation", mesure["id"]), acceptation).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(
            send_json(&app, Some(&martin), "PUT", "/api/v1/moi/capacite", json!({"mesures_max": 12, "suspendu": false})).await.0,
            200,
            "{b}"
        );
        assert_eq!(send_json(&app, Some(&martin), "POST", "/api/v1/avis", json!({"niveau": "bien"})).await.0, 201, "{b}");
        assert_eq!(actions_of(&t.db, "martin@exemple.fr").await, ["connexion", "acceptation", "capacite", "avis"], "{b}");

        let direction = login(&app, "ddets59@exemple.fr").await;
        let (status, _, _) = send(
            &app,
            Request::post("/api/fn/accueil_direction")
                .header(header::COOKIE, &direction)
                .header(header::ACCEPT, "application/json")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::empty())
                .expect("requête"),
        )
        .await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(actions_of(&t.db, "ddets59@exemple.fr").await, ["connexion", "visite_chiffres"], "{b}");
        // A visitor's avis belongs to no account.
        assert_eq!(send_json(&app, None, "POST", "/api/v1/avis", json!({"niveau": "moyen"})).await.0, 201, "{b}");
        assert_eq!(count(&t.db, "usages WHERE action = 'avis'").await, 1, "{b}");

        // A search is a read: recorded at most once an hour per account, so
        // more searches within the hour write nothing…
        for _ in 0..3 {
            assert_eq!(get(&app, Some(&juge), "/api/v1/gestionnaires").await.0, 200, "{b}");
        }
        assert_eq!(count(&t.db, "usages WHERE action = 'recherche'").await, 1, "{b}");
        // …and an hour later, searches in parallel are recorded exactly once.
        {
            use app::db::entities::usages;
            use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
            for usage in usages::Entity::find().all(&t.db).await.expect("usages") {
                let at = usage.at - chrono::Duration::minutes(61);
                let mut usage = usage.into_active_model();
                usage.at = Set(at);
                usage.update(&t.db).await.expect("une heure plus tôt");
            }
        }
        app::usage::rebuild_weeks(&t.db).await.expect("recompte");
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (app, juge) = (app.clone(), juge.clone());
            tasks.push(tokio::spawn(async move { get(&app, Some(&juge), "/api/v1/gestionnaires").await.0 }));
        }
        for task in tasks {
            assert_eq!(task.await.expect("tâche"), 200, "{b}");
        }
        assert_eq!(count(&t.db, "usages WHERE action = 'recherche'").await, 2, "{b}");
        // The actions by week, written action by action, equal a recount.
        let semaines = || async {
            use app::db::entities::actions_semaine;
            use sea_orm::{EntityTrait, QueryOrder};
            actions_semaine::Entity::find()
                .order_by_asc(actions_semaine::Column::UserId)
                .order_by_asc(actions_semaine::Column::Action)
                .order_by_asc(actions_semaine::Column::Semaine)
                .all(&t.db)
                .await
                .expect("semaines")
        };
        let ecrites = semaines().await;
        assert!(ecrites.iter().any(|w| w.action == "recherche"), "{b}: {ecrites:?}");
        app::usage::rebuild_weeks(&t.db).await.expect("recompte");
        assert_eq!(ecrites, semaines().await, "{b}: the weeks kept as actions happen are those counted again");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn page_views_are_counted_per_route_pattern_and_role_exactly_under_a_burst() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let burst = 12;
        let mut tasks = Vec::new();
        for _ in 0..burst {
            let (app, juge) = (app.clone(), juge.clone());
            tasks.push(tokio::spawn(async move { get(&app, Some(&juge), "/tribunal/mesures").await.0 }));
        }
        for task in tasks {
            assert_eq!(task.await.expect("tâche"), 200, "{b}");
        }
        wait_for_count(&t.db, &format!("vues_pages WHERE route = '/tribunal/mesures' AND role = 'magistrat' AND nombre = {burst}"), 1)
            .await;
        // A page with an id: counted under its pattern, not its address.
        let (status, mesure) = send_json(
            &app,
            Some(&juge),
            "POST",
            "/api/v1/mesures",
            json!({"gestionnaire_id": 1, "numero_rg": "VUE/1", "civilite": "madame", "annee_naissance": 1948, "nature": "tutelle", "urgent": false}),
        )
        .await;
        assert_eq!(status, 201, "{b}");
        assert_eq!(get(&app, Some(&juge), &format!("/tribunal/mesures/{}", mesure["id"])).await.0, 200, "{b}");
        wait_for_count(&t.db, "vues_pages WHERE route = '/tribunal/mesures/{id}' AND role = 'magistrat' AND nombre = 1", 1).await;
        // A visitor: no role; a redirect, a 404 and the API are not page views.
        assert_eq!(get(&app, None, "/avis").await.0, 200, "{b}");
        wait_for_count(&t.db, "vues_pages WHERE route = '/avis' AND role = ''", 1).await;
        assert_eq!(get(&app, None, "/tribunal").await.0, 303, "{b}");
        assert_eq!(get(&app, Some(&juge), "/page-qui-n-existe-pas").await.0, 404, "{b}");
        assert_eq!(get(&app, Some(&juge), "/api/v1/mesures").await.0, 200, "{b}");
        // Wait for a later view, then check nothing else was counted.
        assert_eq!(get(&app, None, "/accessibilite").await.0, 200, "{b}");
        wait_for_count(&t.db, "vues_pages WHERE route = '/accessibilite'", 1).await;
        assert_eq!(count(&t.db, "vues_pages").await, 4, "{b}");
        t.cleanup().await;
    }
}
