//! Server-sent events, on SQLite and PostgreSQL: two application instances on
//! one database (as two `emjpm serve` processes), a reservation made through
//! the first reaches a page listening to the second; a stream ends with its
//! session; a change is told only to the pages it concerns.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login, send_json};
use http_body_util::BodyExt;
use std::time::{Duration, Instant};
use tower::ServiceExt;

#[tokio::test]
async fn a_change_made_through_one_instance_reaches_the_pages_of_another() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        // Two instances: each its own relay and its own watcher, one database.
        // On PostgreSQL the watchers read the version on their own only once an
        // hour: the event can only come from the NOTIFY of the writing transaction.
        let every = if b == "postgres" { Duration::from_secs(3600) } else { app::realtime::POLL };
        let (first, second) = (app::realtime::Diffusion::default(), app::realtime::Diffusion::default());
        let watchers = [
            tokio::spawn(app::realtime::watch_every(t.db.clone(), first.clone(), every)),
            tokio::spawn(app::realtime::watch_every(t.db.clone(), second.clone(), every)),
        ];
        let writer = common::app_with(&t.db, first);
        let reader = common::app_with(&t.db, second);

        let anonymous =
            reader.clone().oneshot(Request::get("/api/v1/evenements").body(Body::empty()).expect("req")).await.expect("réponse");
        assert_eq!(anonymous.status(), 401, "{b}");

        let martin = login(&reader, "martin@exemple.fr").await;
        let response = reader
            .clone()
            .oneshot(Request::get("/api/v1/evenements").header(header::COOKIE, &martin).body(Body::empty()).expect("req"))
            .await
            .expect("réponse");
        assert_eq!(response.status(), 200, "{b}");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream", "{b}");
        let mut stream = response.into_body();
        // Let both watchers read the starting version.
        tokio::time::sleep(app::realtime::POLL * 3).await;

        let juge = login(&writer, "juge.lille@exemple.fr").await;
        let start = Instant::now();
        let body = serde_json::json!({
            "gestionnaire_id": 1, "numero_rg": "26/77777", "civilite": "madame", "annee_naissance": 1940, "nature": "tutelle"
        });
        let (status, answer) = send_json(&writer, Some(&juge), "POST", "/api/v1/mesures", body).await;
        assert_eq!(status, 201, "{b}: {answer}");
        let event = loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), stream.frame())
                .await
                .expect("un événement doit arriver")
                .expect("flux ouvert")
                .expect("trame");
            if let Ok(data) = frame.into_data() {
                let text = String::from_utf8_lossy(&data).to_string();
                // Keep-alive comments start with ':'.
                if text.contains("event: changement") {
                    break text;
                }
            }
        };
        println!("{b}: événement reçu par l'autre instance {} ms après la réservation", start.elapsed().as_millis());
        assert!(event.contains("data: "), "{b}: {event}");

        // Signed out: the stream ends at the next change that concerns it.
        let sign_out = Request::post("/deconnexion")
            .header(header::COOKIE, &martin)
            .header("origin", "http://emjpm.test")
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .expect("req");
        assert_eq!(common::send(&reader, sign_out).await.0, 303, "{b}");
        let body = serde_json::json!({
            "gestionnaire_id": 1, "numero_rg": "26/77778", "civilite": "madame", "annee_naissance": 1940, "nature": "tutelle"
        });
        assert_eq!(send_json(&writer, Some(&juge), "POST", "/api/v1/mesures", body).await.0, 201, "{b}");
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), stream.frame()).await.expect("le flux doit se terminer");
            match frame {
                None => break,
                Some(frame) => {
                    let data = frame.expect("trame").into_data().map(|d| String::from_utf8_lossy(&d).to_string()).unwrap_or_default();
                    assert!(!data.contains("event: changement"), "{b}: no event after sign-out: {data}");
                }
            }
        }
        // Administrators' and directions' pages follow no changes: no stream.
        let admin = login(&reader, "admin@exemple.fr").await;
        let response = reader
            .clone()
            .oneshot(Request::get("/api/v1/evenements").header(header::COOKIE, &admin).body(Body::empty()).expect("req"))
            .await
            .expect("réponse");
        assert_eq!(response.status(), 403, "{b}");
        for watcher in watchers {
            watcher.abort();
        }
        t.cleanup().await;
    }
}

/// Reads `stream` until its next `changement` event; returns its data (the version).
async fn next_event(stream: &mut Body, b: &str) -> i64 {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), stream.frame())
            .await
            .unwrap_or_else(|_| panic!("{b}: un événement doit arriver"))
            .expect("flux ouvert")
            .expect("trame");
        if let Ok(data) = frame.into_data() {
            let text = String::from_utf8_lossy(&data).to_string();
            if text.contains("event: changement") {
                let version = text.lines().find_map(|l| l.strip_prefix("data: ")).and_then(|v| v.trim().parse().ok());
                return version.expect("version");
            }
        }
    }
}

async fn open_stream(app: &axum::Router, cookie: &str) -> Body {
    let response = app
        .clone()
        .oneshot(Request::get("/api/v1/evenements").header(header::COOKIE, cookie).body(Body::empty()).expect("req"))
        .await
        .expect("réponse");
    assert_eq!(response.status(), 200);
    response.into_body()
}

/// A change is told only to the pages it concerns: a professional hears of its
/// own measures, not of another's; a judge of its tribunal's professionals and
/// measures, not of another département's.
#[tokio::test]
async fn a_change_is_told_only_to_the_pages_it_concerns() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let diffusion = app::realtime::Diffusion::default();
        let watcher = tokio::spawn(app::realtime::watch_every(t.db.clone(), diffusion.clone(), app::realtime::POLL));
        let app = common::app_with(&t.db, diffusion.clone());
        let martin = login(&app, "martin@exemple.fr").await;
        let juge_lille = login(&app, "juge.lille@exemple.fr").await;
        let juge_arras = login(&app, "juge.arras@exemple.fr").await;
        let mut martin_page = open_stream(&app, &martin).await;
        let mut lille_page = open_stream(&app, &juge_lille).await;
        let mut notices = diffusion.0.subscribe();
        let reserve = |rg: &'static str, gestionnaire: i64, juge: String| {
            let app = app.clone();
            async move {
                let body = serde_json::json!({ "gestionnaire_id": gestionnaire, "numero_rg": rg, "civilite": "madame", "annee_naissance": 1940, "nature": "tutelle" });
                let (status, answer) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", body).await;
                assert_eq!(status, 201, "{answer}");
            }
        };
        // Arras reserves with Robert (approved in Paris only): neither Martin nor
        // Lille's pages see anything of it. The process hears of it first.
        reserve("26/90001", 5, juge_arras.clone()).await;
        let elsewhere = tokio::time::timeout(Duration::from_secs(10), notices.recv()).await.expect("avis").expect("version");
        // Then Arras reserves with Martin (approved in Nord): Martin's page and
        // Lille's (Martin is in its judges' scope) both hear of it — the change
        // elsewhere never reached them.
        reserve("26/90002", 1, juge_arras.clone()).await;
        // (The pages' streams run when read: wait until the process heard of it.)
        loop {
            let version = tokio::time::timeout(Duration::from_secs(10), notices.recv()).await.expect("avis").expect("version");
            if version > elsewhere {
                break;
            }
        }
        let told_martin = next_event(&mut martin_page, b).await;
        let told_lille = next_event(&mut lille_page, b).await;
        assert!(told_martin > elsewhere && told_lille > elsewhere, "{b}: {told_martin} {told_lille} after {elsewhere}");
        watcher.abort();
        t.cleanup().await;
    }
}
