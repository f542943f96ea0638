//! The HTTP application: pages (Leptos, server-rendered then hydrated), server
//! functions, the JSON API, health checks and static files.

use app::api_doc::ApiDoc;
use app::errors::{server_fn_error_response, AppError};
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Json, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use migrations::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

/// Forms and JSON bodies are small; anything larger is refused (413).
const MAX_BODY_BYTES: usize = 256 * 1024;
/// A request whose answer has not started after this is abandoned (408).
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The pages' routes, walked once per process. Walking them runs the whole
/// application with resource loading suspended process-wide (Leptos), and a
/// resource whose first poll falls in that window never loads: a page rendered
/// meanwhile by an application already built would never answer (408). The
/// first `router` call walks them; any later one (the tests build one
/// application each, in parallel) reuses the list.
pub fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let leptos_options = state.leptos_options.clone();
    let context_state = state.clone();
    let mut router = Router::new();
    let base = app::assets::static_base(&leptos_options);
    if !base.is_empty() {
        // The hashed build: precompressed files (brotli, gzip) when the browser
        // accepts them, cached for a year (a new build has a new hash).
        let files = ServeDir::new(leptos_options.site_root.as_ref()).precompressed_br().precompressed_gzip();
        router = router.nest_service(&base, files).layer(middleware::map_response(cache_for_a_year));
    }
    router
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(app::observability::metrics_endpoint))
        .route("/robots.txt", get(|| async { app::informations::robots_txt() }))
        .merge(app::accounts::handlers::routes())
        .merge(app::accounts::admin_handlers::routes())
        .merge(app::search::api::routes())
        .merge(app::measures::api::routes())
        .merge(app::measures::handlers::routes())
        .merge(app::professionals::handlers::routes())
        .merge(app::territories::handlers::routes())
        .merge(app::realtime::routes())
        .merge(app::feedback::handlers::routes())
        .merge(app::feedback::api::routes())
        .merge(app::rollout::handlers::routes())
        .merge(app::rollout::api::routes())
        .merge(app::adoption::api::routes())
        .merge(app::rescue::api::routes())
        .merge(app::statistiques::api::routes())
        .merge(app::statistiques::territoire::api::routes())
        .merge(app::repartition::api::routes())
        .merge(app::rescue::handlers::routes())
        .merge(app::invitations::handlers::routes())
        .merge(SwaggerUi::new("/api/explorateur").url("/api/openapi.json", ApiDoc::openapi()))
        .route("/api/fn/{*name}", get(server_fn).post(server_fn))
        .leptos_routes_with_context(&state, routes, move || provide_context(context_state.clone()), move || shell(leptos_options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(state.clone(), app::accounts::handlers::guard_pages))
        // Counted under the route's pattern (axum's MatchedPath, known here).
        .layer(middleware::from_fn(app::observability::track_requests))
        // Daily page views per route pattern and role (first-party, no account).
        .layer(middleware::from_fn_with_state(state.clone(), app::usage::count_page_views))
        // A refused form's draft kept in its cookie, not in the address.
        .layer(middleware::from_fn_with_state(state.clone(), app::layout::saisie::keep_drafts))
        // Server functions' errors with the status they mean (not all 500).
        .layer(middleware::from_fn(server_fn_statuses))
        // Each request's slot for the administrator acting "en tant que" (audit).
        .layer(middleware::from_fn(app::audit::scope_real_actor))
        // Text with control characters refused before any handler writes it.
        .layer(middleware::from_fn_with_state(state.clone(), app::security::refuse_control_characters))
        // Paths made canonical (`..`, `.`, `//`, encoded dots) before the guards
        // read them: a redirect to the path they mean.
        .layer(middleware::from_fn(app::security::canonical_paths))
        // Each layer wraps the ones above it. From the outside in: compression,
        // security headers on every answer (refusals included), bounded waits (a
        // stream of events is not cut: its headers come at once), bounded bodies,
        // then a cross-site write refused before any handler or server function.
        .layer(middleware::from_fn_with_state(state.clone(), app::security::refuse_cross_site))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(middleware::from_fn_with_state(state.clone(), app::security::security_headers))
        // Pages and JSON compressed on the fly when asked (static files come
        // precompressed; server-sent events are never buffered by this layer).
        .layer(CompressionLayer::new())
        // Outermost: each request's log lines in a span carrying its id, given
        // by the layer below (which runs first) and returned in `x-request-id`.
        .layer(TraceLayer::new_for_http().make_span_with(app::observability::request_span).on_response(
            tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(tower_http::LatencyUnit::Millis),
        ))
        .layer(middleware::from_fn(app::observability::assign_request_id))
        .with_state(state)
}

/// Files under the build's hash never change: browsers keep them for a year.
async fn cache_for_a_year(mut response: Response) -> Response {
    if response.status().is_success() {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    response
}

/// Server functions Leptos did not register under their own path (it registers
/// each one's): a function that does not exist is the caller's mistake (400, in
/// French like every message).
async fn server_fn(State(state): State<AppState>, request: Request<Body>) -> Response {
    let path = request.uri().path().to_string();
    if leptos::server_fn::axum::get_server_fn_service(&path, request.method().clone()).is_none() {
        let name = path.trim_start_matches("/api/fn/");
        return server_fn_error_response(&AppError::Invalide(format!("Fonction inconnue : « {name} ».")));
    }
    handle_server_fns_with_context(move || provide_context(state.clone()), request).await.into_response()
}

/// Middleware: server functions' errors come back with the status the error
/// means. Leptos answers 500 to every error a function did not give a status
/// itself, so the error, encoded in the body, is read back here: a bad argument
/// (an id of 2^63, `tri=xyz`) is 400, a refused field 422, a missing element
/// 404, and only internal failures stay 500. A function called with another
/// method than its own is a bad request too.
async fn server_fn_statuses(request: Request<Body>, next: middleware::Next) -> Response {
    if !request.uri().path().starts_with("/api/fn/") {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let response = next.run(request).await;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        let message = format!("Cette fonction ne s'appelle pas avec la méthode {method} (POST est attendu).");
        return server_fn_error_response(&AppError::Invalide(message));
    }
    let is_error = response.headers().contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER);
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !is_error {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) => return server_fn_error_response(&AppError::interne(format!("réponse d'une fonction serveur : {err}"))),
    };
    if let Some(status) = serde_json::from_slice::<AppError>(&bytes).ok().and_then(|e| StatusCode::from_u16(e.status_code()).ok()) {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and every migration is applied.
/// How long `/readyz` waits for a write transaction to start.
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

async fn readyz(State(state): State<AppState>) -> Response {
    // Ready means a write transaction can start (the write lock on SQLite), not
    // only that a read answers: a database that cannot be written is not ready.
    let writable = async {
        let tx = app::db::begin(&state.db).await?;
        tx.execute_unprepared("SELECT 1").await?;
        tx.rollback().await
    };
    // Nor one whose writes failed a moment ago (`app::db::faults`): a write
    // transaction may start on SQLite and its commit still fail.
    let reachable = matches!(tokio::time::timeout(READY_WAIT, writable).await, Ok(Ok(()))) && !app::db::faults::seen_within(READY_WAIT);
    let pending = if reachable { Migrator::get_pending_migrations(&state.db).await.map(|p| p.len()).ok() } else { None };
    match (reachable, pending) {
        (true, Some(0)) => Json(serde_json::json!({ "statut": "prêt" })).into_response(),
        (true, Some(n)) => {
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "statut": "migrations en attente", "migrations_en_attente": n })))
                .into_response()
        }
        _ if app::db::faults::writes_refused() => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "statut": "panne de stockage SQLite : écritures refusées jusqu'à la réouverture de la base" })),
        )
            .into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "statut": "base de données injoignable" }))).into_response(),
    }
}
