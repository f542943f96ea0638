//! Coming back from a SQLite storage fault without restarting e-MJPM.
//!
//! After a storage fault (files not writable, disk full, I/O error) the WAL
//! index SQLite shares between the connections of this process may no longer
//! match the WAL on disk, so writes are refused (`app::db::faults`). SQLite
//! rebuilds the index from the WAL file when the last connection of the process
//! to the database has closed and a new one opens — what a restart does. This
//! module does the same inside the process: the application runs as a
//! *generation* (its database pool, its background tasks and the router built
//! on them); once the files can be written again, the watcher takes the
//! generation out of service (new requests wait a moment), stops its tasks,
//! closes the pool (sqlx waits for the connections in use to come back, so that
//! none is left open), opens a new pool and builds the next generation on it.
//!
//! PostgreSQL needs none of this: its pool reconnects by itself.

use crate::database::{connect_with, sqlite_files_writable, Creation};
use axum::body::Body;
use axum::http::Request;
use axum::Router;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::RwLock;
use tokio::task::JoinHandle;
use tower::ServiceExt;

/// The application on one database pool: what a recovery replaces as a whole.
pub struct Generation {
    pub router: Router,
    pub db: DatabaseConnection,
    /// Told [`app::realtime::CLOSING`] when the generation ends: its open
    /// live-update streams end (the pages reconnect to the next one).
    pub diffusion: app::realtime::Diffusion,
    /// Its background tasks (jobs, change watcher), stopped with it.
    pub tasks: Vec<JoinHandle<()>>,
}

impl Generation {
    /// Stops the tasks and ends the live-update streams.
    fn stop(&mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
        }
        let _ = self.diffusion.0.send(app::realtime::CLOSING);
    }
}

/// Builds a generation on a freshly opened pool.
pub type Build = Arc<dyn Fn(DatabaseConnection) -> Generation + Send + Sync>;

/// The generation serving now, and how to make the next one.
#[derive(Clone)]
pub struct Recovering {
    current: Arc<RwLock<Generation>>,
    watcher: Arc<std::sync::Mutex<Option<JoinHandle<()>>>>,
}

/// How often the watcher looks whether writes are refused and the files writable.
const WATCH_EVERY: Duration = Duration::from_millis(250);
/// The longest wait between two attempts when reopening fails.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

impl Recovering {
    /// Serves `build(db)`; for a SQLite `url`, also watches for a storage fault
    /// and recovers from it once the files are writable again.
    pub fn start(db: DatabaseConnection, url: &str, build: Build) -> Recovering {
        let current = Arc::new(RwLock::new(build(db)));
        let watcher = crate::database::sqlite_path(url).map(|_| tokio::spawn(watch(current.clone(), url.to_string(), build)));
        Recovering { current, watcher: Arc::new(std::sync::Mutex::new(watcher)) }
    }

    /// The router every request goes through: it hands each one to the
    /// generation serving at that moment.
    pub fn router(&self) -> Router {
        let current = self.current.clone();
        Router::new().fallback_service(tower::service_fn(move |request: Request<Body>| {
            let current = current.clone();
            async move {
                // The lock is held only to clone the router: a request in
                // progress never delays a recovery, which waits for its
                // connection to come back.
                let router = current.read().await.router.clone();
                router.oneshot(request).await
            }
        }))
    }

    /// The pool serving now.
    pub async fn db(&self) -> DatabaseConnection {
        self.current.read().await.db.clone()
    }

    /// Ends the live-update streams (so that a graceful shutdown does not wait
    /// for them) and stops the background tasks and the watcher.
    pub async fn stop(&self) {
        if let Some(watcher) = self.watcher.lock().ok().and_then(|mut w| w.take()) {
            watcher.abort();
        }
        self.current.write().await.stop();
    }
}

/// Waits for a storage fault to end, then replaces the generation.
async fn watch(current: Arc<RwLock<Generation>>, url: String, build: Build) {
    let mut backoff = WATCH_EVERY;
    let mut last_recovery: Option<std::time::Instant> = None;
    loop {
        tokio::time::sleep(backoff).await;
        if !app::db::faults::writes_refused() || !sqlite_files_writable(&url) {
            continue;
        }
        // A fault that comes back soon after a recovery: wait longer each time
        // rather than reopen the database in a loop.
        if last_recovery.is_some_and(|at| at.elapsed() < MAX_BACKOFF) && backoff < MAX_BACKOFF {
            backoff = (backoff * 2).min(MAX_BACKOFF);
            continue;
        }
        let mut generation = current.write().await;
        generation.stop();
        // Every connection of the old pool closed: the next one rebuilds the
        // WAL index from the file. Requests still holding one end first (a
        // request given no connection meanwhile answers 503).
        generation.db.clone().close().await.ok();
        match connect_with(&url, Creation::Interdite).await {
            Ok(db) => {
                *generation = build(db);
                backoff = WATCH_EVERY;
                last_recovery = Some(std::time::Instant::now());
                tracing::warn!("base SQLite rouverte après la panne de stockage : les écritures reprennent");
            }
            Err(err) => {
                // The closed generation keeps answering 503; tried again later.
                backoff = (backoff * 2).min(MAX_BACKOFF);
                tracing::error!("réouverture de la base SQLite impossible, nouvel essai dans {backoff:?} : {err:#}");
            }
        }
    }
}
