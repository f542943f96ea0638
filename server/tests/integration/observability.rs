//! What operators see, on SQLite and PostgreSQL: every answer names its
//! request (`x-request-id`, drawn by the server), and `/metrics` gives the
//! request counts by route, the search's latency and the mail queue read from
//! the database, to the holder of the token only (and to nobody when no token
//! is configured).

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login};
use common::{count, send};

fn metrics(token: Option<&str>) -> Request<Body> {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::empty()).expect("req")
}

/// The value of the sample line that starts with `prefix` (labels included).
fn sample(text: &str, prefix: &str) -> Option<f64> {
    text.lines().find(|line| line.starts_with(prefix)).and_then(|line| line.rsplit(' ').next()).and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn answers_carry_their_request_id_and_metrics_need_the_token() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);

        // Every answer, refusals included, names its request; a client's own id is ignored.
        let forged = Request::get("/api/v1/mesures").header("x-request-id", "forged").body(Body::empty()).expect("req");
        let (status, headers, _) = send(&app, forged).await;
        assert_eq!(status, 401, "{b}");
        let first = headers["x-request-id"].to_str().expect("ascii").to_string();
        assert!(first.len() == 12 && first.chars().all(|c| c.is_ascii_hexdigit()), "{b}: {first}");
        let (_, headers, _) = send(&app, Request::get("/healthz").body(Body::empty()).expect("req")).await;
        assert_ne!(headers["x-request-id"].to_str().expect("ascii"), first, "{b}: one id per request");

        // /metrics: the token or nothing.
        let (status, headers, _) = send(&app, metrics(None)).await;
        assert_eq!(status, 401, "{b}");
        assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer", "{b}");
        assert_eq!(send(&app, metrics(Some("mauvais-jeton"))).await.0, 401, "{b}");

        // A search, then the figures.
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let search = Request::get("/api/v1/gestionnaires").header(header::COOKIE, &juge).body(Body::empty()).expect("req");
        assert_eq!(send(&app, search).await.0, 200, "{b}");
        let (status, headers, text) = send(&app, metrics(Some(common::METRICS_TOKEN))).await;
        assert_eq!(status, 200, "{b}: {text}");
        assert!(headers[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("application/openmetrics-text"), "{b}");
        // Counted under the route's pattern, by method and status.
        let refused = sample(&text, "emjpm_http_requests_total{route=\"/api/v1/mesures\",method=\"GET\",status=\"401\"}");
        assert!(refused.is_some_and(|n| n >= 1.0), "{b}: {text}");
        let searched = sample(&text, "emjpm_http_requests_total{route=\"/api/v1/gestionnaires\",method=\"GET\",status=\"200\"}");
        assert!(searched.is_some_and(|n| n >= 1.0), "{b}");
        assert!(sample(&text, "emjpm_search_duration_seconds_count").is_some_and(|n| n >= 1.0), "{b}");
        assert!(text.contains("emjpm_http_request_duration_seconds_bucket{le="), "{b}");
        // The mail queue as the database holds it (the sign-ins may have queued none).
        let waiting = count(&t.db, "courriels WHERE envoye_at IS NULL").await;
        assert_eq!(sample(&text, "emjpm_mail_queue_length "), Some(waiting as f64), "{b}");
        assert!(text.contains("emjpm_mail_queue_oldest_age_seconds "), "{b}");
        assert!(text.trim_end().ends_with("# EOF"), "{b}");

        // Without EMJPM_METRICS_TOKEN, /metrics does not exist, token or not.
        let unconfigured = common::app_configured(&t.db, Default::default(), None);
        assert_eq!(send(&unconfigured, metrics(None)).await.0, 404, "{b}");
        assert_eq!(send(&unconfigured, metrics(Some(common::METRICS_TOKEN))).await.0, 404, "{b}");
        t.cleanup().await;
    }
}
