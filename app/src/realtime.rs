//! Pages that follow capacity live: server-sent events.
//!
//! Every write that changes what judges and professionals see (measures and
//! their counters, capacity, suspension, antennes, approvals…) raises the
//! database's `search_version` in its own transaction (triggers, see the
//! migration `search_version`). On PostgreSQL that transaction also sends
//! `NOTIFY emjpm_changements` at its commit: each server process `LISTEN`s and
//! reads the new version at once (and every [`RELEVE`] all the same, in case a
//! notice was lost while its listening connection was down). On SQLite each
//! process reads the version every [`POLL`] — one tiny query per process,
//! whatever the number of open pages. Either way the process pushes an event to
//! the pages it serves when the version moved, so a change made through any
//! process, or by hand in the database, reaches the pages of every process.
//!
//! The browser side (`realtime.js`) keeps one `EventSource` per page and bumps a
//! counter that the pages' resources depend on, so they reload their data.

use leptos::prelude::*;

/// The counter of changes seen by this page (0 on the server and before the
/// first event). Resources that include it in their source reload on change.
#[derive(Clone, Copy)]
pub struct Changements(pub ReadSignal<u64>);

/// The current count of changes, tracked (0 when no counter is provided).
pub fn changements() -> u64 {
    use_context::<Changements>().map(|c| c.0.get()).unwrap_or(0)
}

/// Installs the counter at the root of the application.
pub fn provide_changements() {
    let (count, set_count) = signal(0u64);
    provide_context(Changements(count));
    provide_context(set_count);
}

/// Whose pages follow changes: judges, greffiers and professionals (search,
/// fiche, homes, lists of measures). Administrators' and directions' pages do
/// not, and get no stream.
pub fn follows_changes(role: crate::rules::roles::Role) -> bool {
    use crate::rules::roles::Role::*;
    matches!(role, Magistrat | Greffier | Individuel | Prepose | Service)
}

/// In the browser, once a user whose pages follow changes is signed in: opens
/// the page's event stream (once) and bumps the counter on every change.
/// Anonymous pages (sign-in) open none.
pub fn listen_when_signed_in(signed_in: bool) {
    #[cfg(feature = "hydrate")]
    if signed_in {
        if let Some(set_count) = use_context::<WriteSignal<u64>>() {
            js::listen(set_count);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = signed_in;
}

#[cfg(feature = "hydrate")]
mod js {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/realtime.js")]
    extern "C" {
        #[wasm_bindgen(js_name = ecouterChangements)]
        fn ecouter_changements(url: &str, callback: &Closure<dyn Fn()>);
    }

    pub fn listen(set_count: WriteSignal<u64>) {
        thread_local!(static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
        if LISTENING.with(|l| l.replace(true)) {
            return;
        }
        let callback = Closure::<dyn Fn()>::new(move || set_count.update(|n| *n += 1));
        ecouter_changements("/api/v1/evenements", &callback);
        // One listener for the page's whole life.
        callback.forget();
    }
}

#[cfg(feature = "ssr")]
pub use server::{routes, watch, watch_every, Diffusion, CLOSING, POLL, RELEVE, SESSION_CHECK};

#[cfg(feature = "ssr")]
mod server {
    use crate::accounts::guard::Caller;
    use crate::state::AppState;
    use axum::extract::State;
    use axum::response::sse::{Event, KeepAlive, Sse};
    use axum::routing::get;
    use axum::Router;
    use std::time::Duration;
    use tokio::sync::broadcast;

    /// How often each process reads the database's version on SQLite.
    pub const POLL: Duration = Duration::from_millis(250);

    /// How often it reads it all the same on PostgreSQL, where notices tell it.
    pub const RELEVE: Duration = Duration::from_secs(5);

    /// The channel the `search_version` trigger notifies (migration `notify`).
    const CANAL: &str = "emjpm_changements";

    /// Sent when the server stops: every open stream ends, so that the graceful
    /// shutdown does not wait for pages that never leave.
    pub const CLOSING: i64 = -1;

    /// The fan-out of this process's change notices to its open pages. Not a
    /// state of its own: the database's version is the truth, this only relays it.
    #[derive(Clone)]
    pub struct Diffusion(pub broadcast::Sender<i64>);

    impl Default for Diffusion {
        fn default() -> Self {
            Diffusion(broadcast::channel(16).0)
        }
    }

    /// Announces each change of the version for the life of the process
    /// (spawned by `emjpm serve`): on notice and every [`RELEVE`] on
    /// PostgreSQL, every [`POLL`] on SQLite.
    pub async fn watch(db: sea_orm::DatabaseConnection, diffusion: Diffusion) {
        let every = if db.get_database_backend() == sea_orm::DbBackend::Postgres { RELEVE } else { POLL };
        watch_every(db, diffusion, every).await
    }

    /// [`watch`] reading the version every `every` besides the notices (the
    /// real-time test sets it long enough that only a notice can deliver).
    pub async fn watch_every(db: sea_orm::DatabaseConnection, diffusion: Diffusion, every: Duration) {
        let mut seen: Option<i64> = None;
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut listener = listen(&db).await;
        loop {
            match listener.as_mut() {
                Some(notices) => {
                    tokio::select! {
                        _ = interval.tick() => {}
                        notice = notices.recv() => {
                            if let Err(err) = notice {
                                // The listener reconnects on its next call; the regular read covers the gap.
                                tracing::warn!("temps réel : écoute de PostgreSQL interrompue ({err})");
                                tokio::time::sleep(Duration::from_secs(1)).await;
                            }
                        }
                    }
                }
                None => {
                    interval.tick().await;
                }
            }
            match crate::search::index::current_version(&db).await {
                Ok(version) => {
                    if seen.is_some_and(|s| s != version) {
                        // No open page: nobody to tell, not an error.
                        let _ = diffusion.0.send(version);
                    }
                    seen = Some(version);
                }
                Err(err) => tracing::warn!("temps réel : lecture de la version impossible ({err})"),
            }
        }
    }

    /// A connection listening to [`CANAL`] on PostgreSQL (None on SQLite, or
    /// when it cannot listen: the regular read then carries the changes).
    async fn listen(db: &sea_orm::DatabaseConnection) -> Option<sea_orm::sqlx::postgres::PgListener> {
        if db.get_database_backend() != sea_orm::DbBackend::Postgres {
            return None;
        }
        let listening = async {
            let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(db.get_postgres_connection_pool()).await?;
            listener.listen(CANAL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        match listening.await {
            Ok(listener) => Some(listener),
            Err(err) => {
                tracing::warn!("temps réel : LISTEN {CANAL} impossible ({err}) ; lecture de la version toutes les {} s", RELEVE.as_secs());
                None
            }
        }
    }

    pub fn routes() -> Router<AppState> {
        Router::new().route("/api/v1/evenements", get(events))
    }

    /// How often an open stream checks that its session still exists, when no
    /// change came to make it check sooner.
    pub const SESSION_CHECK: Duration = Duration::from_secs(30);

    /// `GET /api/v1/evenements`: one `changement` event (data: the new version)
    /// each time the data pages show may have changed. For the people whose
    /// pages follow changes — judges, greffiers, professionals — and only while
    /// their session lives: a signed-out, expired or deactivated session ends
    /// its streams at the next change, or within [`SESSION_CHECK`].
    async fn events(
        State(state): State<AppState>,
        caller: Caller,
        headers: axum::http::HeaderMap,
    ) -> Result<Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>>, crate::errors::AppError> {
        if !super::follows_changes(caller.role) {
            return Err(crate::errors::AppError::Interdit);
        }
        let token = crate::accounts::session::token_from_headers(&headers).ok_or(crate::errors::AppError::NonConnecte)?;
        let stream = Flux { receiver: state.diffusion.0.subscribe(), db: state.db.clone(), token };
        let stream = futures_util::stream::unfold(stream, |mut flux| async move {
            loop {
                let received = tokio::time::timeout(SESSION_CHECK, flux.receiver.recv()).await;
                let version = match received {
                    // The server is stopping: end the stream so that it can.
                    Ok(Ok(version)) if version == CLOSING => return None,
                    Ok(Ok(version)) => Some(version),
                    // A slow page missed some notices: one event says it all.
                    Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
                    Ok(Err(broadcast::error::RecvError::Closed)) => return None,
                    Err(_) => None,
                };
                if !flux.session_lives().await {
                    return None;
                }
                if let Some(version) = version {
                    return Some((Ok(Event::default().event("changement").data(version.to_string())), flux));
                }
            }
        });
        Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))))
    }

    /// One open stream: its relay of notices and the session it serves.
    struct Flux {
        receiver: broadcast::Receiver<i64>,
        db: sea_orm::DatabaseConnection,
        token: String,
    }

    impl Flux {
        /// Whether the stream's session is still open (a database that cannot
        /// answer keeps the stream: the page learns nothing meanwhile).
        async fn session_lives(&self) -> bool {
            !matches!(crate::accounts::guard::caller_from_token(&self.db, &self.token).await, Ok(None))
        }
    }
}
