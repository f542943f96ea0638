//! What every request handler shares: the database pool, the configuration and
//! the search's copy of its data (checked against the database on every use).
//! Sessions and data live in the database, so several server processes can
//! serve the same users.

use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    /// Mark cookies `Secure` (the public base URL is https).
    pub secure_cookies: bool,
    /// URL template of the map's background tiles (`EMJPM_MAP_TILES_URL`).
    pub map_tiles_url: Option<String>,
    /// The judge's search data, re-read whenever the database's version moves.
    pub search_index: std::sync::Arc<crate::search::index::SearchIndex>,
    /// This process's relay of change notices to its open pages (`realtime`).
    pub diffusion: crate::realtime::Diffusion,
    /// Public address of the service, without a trailing slash (links in e-mails).
    pub base_url: String,
    /// Behind a reverse proxy that appends the client's address to
    /// `X-Forwarded-For` (`EMJPM_TRUST_PROXY`); otherwise that header is ignored.
    pub trust_proxy: bool,
    /// The token `/metrics` asks for (`EMJPM_METRICS_TOKEN`); unset, `/metrics`
    /// is off.
    pub metrics_token: Option<String>,
    /// Retention durations (the inactivity ones come from the configuration).
    pub conservation: crate::retention::Conservation,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state, inside a server function or a component rendered on the server.
pub fn app_state() -> Result<AppState, crate::errors::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| crate::errors::AppError::interne("AppState absent du contexte"))
}
