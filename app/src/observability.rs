//! What operators see of a running instance: a request id on every request
//! (in its log lines, in its answer's `x-request-id` header and as the
//! reference an internal error shows the user), and `/metrics` in Prometheus'
//! text format.
//!
//! Counters are per process, as Prometheus expects: it scrapes every instance
//! and adds them up. What the instances share (the mail queue) is read from the
//! database at each scrape, so every instance reports the same figure.

use crate::errors::AppError;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::LazyLock;
use std::time::Instant;

/// The header carrying a request's id, in the answer.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A request's id: 12 hexadecimal characters drawn by this server (an id sent
/// by the client is ignored: it would let anyone forge log lines' references).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

tokio::task_local! {
    /// The id of the request the current task serves (read by `AppError::interne`).
    static CURRENT_REQUEST: String;
}

/// The id of the request being served, when the code runs in its task.
pub fn current_request_id() -> Option<String> {
    CURRENT_REQUEST.try_with(Clone::clone).ok()
}

/// Middleware (outermost): gives the request its id, runs it with that id in
/// reach of the logs and errors, and returns the id in the answer's headers.
pub async fn assign_request_id(mut request: Request, next: Next) -> Response {
    use rand::Rng;
    let id = format!("{:012x}", rand::thread_rng().gen::<u64>() & 0xffff_ffff_ffff);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = CURRENT_REQUEST.scope(id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// The span of a request's log lines (tower-http's `TraceLayer`): its id,
/// method and path, without the query string (it may hold personal data).
pub fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request.extensions().get::<RequestId>().map(|r| r.0.as_str()).unwrap_or("-");
    tracing::info_span!("requête", id = %id, methode = %request.method(), chemin = %request.uri().path())
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteOnly {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: String,
}

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(0.001, 2.0, 15))
}

struct Metrics {
    registry: Registry,
    requests: Family<RouteLabels, Counter>,
    latency: Family<RouteOnly, Histogram, fn() -> Histogram>,
    search: Histogram,
    job_runs: Family<JobLabels, Counter>,
    job_failures: Family<JobLabels, Counter>,
    mail_queue: Gauge,
    mail_oldest: Gauge,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("emjpm");
    let requests = Family::<RouteLabels, Counter>::default();
    registry.register("http_requests", "Requêtes HTTP par route, méthode et statut", requests.clone());
    let latency = Family::<RouteOnly, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
    registry.register("http_request_duration_seconds", "Durée des requêtes HTTP par route", latency.clone());
    let search = latency_histogram();
    registry.register("search_duration_seconds", "Durée d'une recherche de mandataires", search.clone());
    let job_runs = Family::<JobLabels, Counter>::default();
    registry.register("job_runs", "Exécutions des tâches de fond", job_runs.clone());
    let job_failures = Family::<JobLabels, Counter>::default();
    registry.register("job_failures", "Échecs des tâches de fond", job_failures.clone());
    let mail_queue = Gauge::default();
    registry.register("mail_queue_length", "Courriels en attente d'envoi", mail_queue.clone());
    let mail_oldest = Gauge::default();
    registry.register("mail_queue_oldest_age_seconds", "Âge du plus ancien courriel en attente (0 si aucun)", mail_oldest.clone());
    Metrics { registry, requests, latency, search, job_runs, job_failures, mail_queue, mail_oldest }
});

/// Middleware: counts each request and its duration under its route's
/// pattern (`/tribunal/mesures/{id}`, never the id itself: bounded labels).
pub async fn track_requests(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "(autre)".into());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let metrics = &*METRICS;
    metrics.latency.get_or_create(&RouteOnly { route: route.clone() }).observe(started.elapsed().as_secs_f64());
    metrics.requests.get_or_create(&RouteLabels { route, method, status: response.status().as_u16() }).inc();
    response
}

/// Notes the duration of one search (`search::engine`).
pub fn observe_search(started: Instant) {
    METRICS.search.observe(started.elapsed().as_secs_f64());
}

/// Notes one run of a background job, and whether it failed.
pub fn record_job(job: &str, failed: bool) {
    let labels = JobLabels { job: job.to_string() };
    METRICS.job_runs.get_or_create(&labels).inc();
    if failed {
        METRICS.job_failures.get_or_create(&labels).inc();
    }
}

/// `GET /metrics`: off (404) unless `EMJPM_METRICS_TOKEN` is set; then only
/// with `Authorization: Bearer <token>` (401 otherwise).
pub async fn metrics_endpoint(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(expected) = state.metrics_token.as_deref() else { return StatusCode::NOT_FOUND.into_response() };
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if !given.is_some_and(|given| same_secret(given, expected)) {
        let mut refused = (StatusCode::UNAUTHORIZED, "Jeton de supervision absent ou incorrect.").into_response();
        refused.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return refused;
    }
    if let Err(error) = read_mail_queue(&state.db).await {
        return error.into_response();
    }
    let mut text = String::new();
    if let Err(err) = prometheus_client::encoding::text::encode(&mut text, &METRICS.registry) {
        return AppError::interne(format!("métriques : {err}")).into_response();
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text).into_response()
}

/// Compares without stopping at the first difference (no timing hint).
fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len() && given.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The mail queue as the database holds it now (shared by every instance).
async fn read_mail_queue(db: &sea_orm::DatabaseConnection) -> Result<(), AppError> {
    let (length, oldest) = crate::notifications::queue(db).await?;
    let age = oldest.map(|queued| (chrono::Utc::now() - queued.to_utc()).num_seconds().max(0)).unwrap_or(0);
    METRICS.mail_queue.set(i64::try_from(length).unwrap_or(i64::MAX));
    METRICS.mail_oldest.set(age);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_compare_whole() {
        assert!(super::same_secret("abc", "abc"));
        assert!(!super::same_secret("abd", "abc"));
        assert!(!super::same_secret("ab", "abc"));
        assert!(!super::same_secret("", "abc"));
    }
}
