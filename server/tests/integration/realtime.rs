//! Server-sent events, on SQLite and PostgreSQL: two application instances on
//! one database (as two `emjpm serve` processes), a reservation made through
//! the first reaches a page listening to the second.

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

        let anonymous = reader.clone().oneshot(Request::get("/api/v1/evenements").body(Body::empty()).expect("req")).await.expect("réponse");
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

        // Signed out: the stream ends at the next change.
        let sign_out = Request::post("/deconnexion")
            .header(header::COOKIE, &martin)
            .header("origin", "http://emjpm.test")
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .expect("req");
        assert_eq!(common::send(&reader, sign_out).await.0, 303, "{b}");
        let body = serde_json::json!({
            "gestionnaire_id": 2, "numero_rg": "26/77778", "civilite": "madame", "annee_naissance": 1940, "nature": "tutelle"
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
