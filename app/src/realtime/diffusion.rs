//! The server side of the live updates: each process watches the database's
//! `search_version` and relays each change to its open pages, told only to the
//! scopes it concerns (digests computed once per scope and version).

use crate::errors::AppError;
use crate::state::AppState;
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
pub(super) enum Portee {
    Tribunal { tribunal_id: i32, departement_code: String },
    Gestionnaire(i32),
}

/// Per scope, a digest of what it sees at one version, computed once per
/// process and version however many pages of that scope are open.
#[derive(Clone, Default)]
struct Empreintes(Arc<Mutex<HashMap<Portee, Empreinte>>>);

/// The version a digest was computed at, and the digest (filled once).
type Empreinte = (i64, Arc<OnceCell<u64>>);

impl Diffusion {
    /// The digest of what `portee` sees at `version`, shared by the pages of
    /// that scope.
    pub(super) async fn empreinte(&self, state: &AppState, portee: &Portee, version: i64) -> Result<u64, AppError> {
        self.1.of(state, portee, version).await
    }
}

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
            for p in snapshot.professionals.iter().filter(|p| crate::search::engine::in_default_scope(p, *tribunal_id, departement_code)) {
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
