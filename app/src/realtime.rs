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
    use crate::errors::AppError;
    use crate::state::AppState;
    use axum::extract::State;
    use axum::response::sse::{Event, KeepAlive, Sse};
    use axum::routing::get;
    use axum::Router;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;
    use tokio::sync::{broadcast, OnceCell};

    /// How often each process reads the database's version on SQLite.
    pub const POLL: Duration = Duration::from_millis(250);

    /// How often it reads it all the same on PostgreSQL, where notices tell it.
    pub const RELEVE: Duration = Duration::from_secs(5);

    /// The channel the `search_version` trigger notifies (migration `notify`).
    const CANAL: &str = "emjpm_changements";

    /// Sent when the server stops: every open stream ends, so that the graceful
    /// shutdown does not wait for pages that never leave.
    pub const CLOSING: i64 = -1;

    /// The fan-out of this process's change notices to its open pages, and what
    /// each scope looked like at the last version (so that a change is told
    /// only to the pages it concerns). Not a state of its own: the database's
    /// version is the truth, this only relays it.
    #[derive(Clone)]
    pub struct Diffusion(pub broadcast::Sender<i64>, Empreintes);

    impl Default for Diffusion {
        fn default() -> Self {
            Diffusion(broadcast::channel(16).0, Empreintes::default())
        }
    }

    /// What a page may see, as far as changes go: a tribunal's (its
    /// professionals in the judges' default search scope, and its measures) or a
    /// professional's (its gestionnaire: capacity, antennes, measures).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    enum Portee {
        Tribunal { tribunal_id: i32, departement_code: String },
        Gestionnaire(i32),
    }

    /// Per scope, a digest of what it sees at one version, computed once per
    /// process and version however many pages of that scope are open.
    #[derive(Clone, Default)]
    struct Empreintes(Arc<Mutex<HashMap<Portee, Empreinte>>>);

    /// The version a digest was computed at, and the digest (filled once).
    type Empreinte = (i64, Arc<OnceCell<u64>>);

    impl Empreintes {
        /// The digest of `portee` at `version` (computed by the first page that asks).
        async fn of(&self, state: &AppState, portee: &Portee, version: i64) -> Result<u64, AppError> {
            let cell = {
                let mut cells = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                match cells.get(portee) {
                    Some((v, cell)) if *v == version => cell.clone(),
                    // A page behind the others: its own computation, not kept.
                    Some((v, _)) if *v > version => Arc::new(OnceCell::new()),
                    _ => {
                        let cell = Arc::new(OnceCell::new());
                        cells.insert(portee.clone(), (version, cell.clone()));
                        cell
                    }
                }
            };
            cell.get_or_try_init(|| empreinte(state, portee, version)).await.copied()
        }
    }

    /// A digest of what `portee` sees at `version` (at least).
    async fn empreinte(state: &AppState, portee: &Portee, version: i64) -> Result<u64, AppError> {
        use crate::db::entities::{antennes, gestionnaires, mesures};
        use sea_orm::sea_query::{Expr, ExprTrait};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
        use std::hash::{Hash, Hasher};
        let mut digest = std::collections::hash_map::DefaultHasher::new();
        let measures = match portee {
            Portee::Tribunal { tribunal_id, .. } => mesures::Column::TribunalId.eq(*tribunal_id),
            Portee::Gestionnaire(id) => mesures::Column::GestionnaireId.eq(*id),
        };
        let (count, last): (i64, Option<chrono::DateTime<chrono::FixedOffset>>) = mesures::Entity::find()
            .select_only()
            .column_as(Expr::col(mesures::Column::Id).count(), "n")
            .column_as(Expr::col(mesures::Column::UpdatedAt).max(), "dernier")
            .filter(measures)
            .into_tuple()
            .one(&state.db)
            .await?
            .unwrap_or_default();
        (count, last).hash(&mut digest);
        match portee {
            Portee::Tribunal { tribunal_id, departement_code } => {
                let snapshot = state.search_index.snapshot(&state.db, version).await?;
                for p in
                    snapshot.professionals.iter().filter(|p| crate::search::engine::in_default_scope(p, *tribunal_id, departement_code))
                {
                    (p.id, p.suspendu, p.mesures_max, p.en_cours, p.en_attente, p.derniere_mise_a_jour).hash(&mut digest);
                    for o in &p.antennes {
                        (&o.departement, o.mesures_max, o.en_cours, o.en_attente).hash(&mut digest);
                    }
                }
            }
            Portee::Gestionnaire(id) => {
                let g = gestionnaires::Entity::find_by_id(*id).one(&state.db).await?;
                format!("{g:?}").hash(&mut digest);
                let offices = antennes::Entity::find().filter(antennes::Column::GestionnaireId.eq(*id)).all(&state.db).await?;
                format!("{offices:?}").hash(&mut digest);
            }
        }
        Ok(digest.finish())
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
    /// each time the data the caller's pages show changed — its tribunal's
    /// professionals and measures for a judge or greffier, its own capacity and
    /// measures for a professional; a change elsewhere is not told. For the
    /// people whose pages follow changes, and only while their session lives: a
    /// signed-out, expired or deactivated session ends its streams at the next
    /// change that concerns them, or within [`SESSION_CHECK`].
    async fn events(
        State(state): State<AppState>,
        caller: Caller,
        headers: axum::http::HeaderMap,
    ) -> Result<Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>>, AppError> {
        use crate::accounts::guard::Scope;
        if !super::follows_changes(caller.role) {
            return Err(AppError::Interdit);
        }
        let portee = match &caller.scope {
            Scope::Tribunal { tribunal_id, departement_code } => {
                Portee::Tribunal { tribunal_id: *tribunal_id, departement_code: departement_code.clone() }
            }
            Scope::Gestionnaire { gestionnaire_id, .. } => Portee::Gestionnaire(*gestionnaire_id),
            _ => return Err(AppError::Interdit),
        };
        let token = crate::accounts::session::token_from_headers(&headers).ok_or(AppError::NonConnecte)?;
        let vu = state.diffusion.1.of(&state, &portee, caller.search_version).await?;
        let receiver = state.diffusion.0.subscribe();
        let stream = Flux { receiver, state, token, portee, vu };
        let stream = futures_util::stream::unfold(stream, |mut flux| async move {
            loop {
                let received = tokio::time::timeout(SESSION_CHECK, flux.receiver.recv()).await;
                let version = match received {
                    // The server is stopping: end the stream so that it can.
                    Ok(Ok(version)) if version == CLOSING => return None,
                    Ok(Ok(version)) => Some(version),
                    // A slow page missed some notices: the next one tells it all.
                    Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
                    Ok(Err(broadcast::error::RecvError::Closed)) => return None,
                    Err(_) => None,
                };
                let Some(mut version) = version else {
                    // No change for a while: is the session still there?
                    if !flux.session_lives().await {
                        return None;
                    }
                    continue;
                };
                // Notices queued meanwhile: the newest tells it all.
                loop {
                    match flux.receiver.try_recv() {
                        Ok(newer) if newer == CLOSING => return None,
                        Ok(newer) => version = version.max(newer),
                        Err(broadcast::error::TryRecvError::Lagged(_)) => continue,
                        Err(_) => break,
                    }
                }
                // The session is checked before anything is told (not for the
                // changes that do not concern the page: thousands of open pages
                // would each read their session at every change).
                if flux.concerned(version).await {
                    if !flux.session_lives().await {
                        return None;
                    }
                    return Some((Ok(Event::default().event("changement").data(version.to_string())), flux));
                }
            }
        });
        Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))))
    }

    /// One open stream: its relay of notices, the session it serves, and the
    /// digest of what its page saw last.
    struct Flux {
        receiver: broadcast::Receiver<i64>,
        state: AppState,
        token: String,
        portee: Portee,
        vu: u64,
    }

    impl Flux {
        /// Whether the stream's session is still open (a database that cannot
        /// answer keeps the stream: the page learns nothing meanwhile).
        async fn session_lives(&self) -> bool {
            !matches!(crate::accounts::guard::caller_from_token(&self.state.db, &self.token).await, Ok(None))
        }

        /// Whether the change to `version` concerns this page (when it cannot be
        /// told, it is told: a page reloading once too often loses nothing).
        async fn concerned(&mut self, version: i64) -> bool {
            match self.state.diffusion.1.of(&self.state, &self.portee, version).await {
                Ok(digest) if digest == self.vu => false,
                Ok(digest) => {
                    self.vu = digest;
                    true
                }
                Err(_) => true,
            }
        }
    }
}
