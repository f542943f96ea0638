//! Opening the database (SQLite by default, PostgreSQL in production).

use anyhow::{bail, Context};
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::Executor;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Whether a connection may create the SQLite file: only the commands that
/// migrate do; a serving process never does (a database removed while it runs
/// must not come back empty: the server answers 503 until the file is back).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Creation {
    Permise,
    Interdite,
}

/// Connects to `url`, creating the directory of a SQLite file when needed.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_with(url, Creation::Permise).await
}

/// The SQLite pool's connections (one writes at a time; the others read).
const SQLITE_CONNECTIONS: u32 = 8;

/// Connects to `url`. Every SQLite connection is checked writable when it opens
/// and is dropped, rather than reused, once the file it opened is no longer the
/// one at `url` (removed: 503 until it is back; replaced: the new one is used).
/// After a storage fault writes are refused until the pool is replaced
/// (`app::db::faults`, `crate::recovery`).
pub async fn connect_with(url: &str, creation: Creation) -> anyhow::Result<DatabaseConnection> {
    let file = sqlite_path(url);
    if let Some(path) = &file {
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("impossible de créer le répertoire de la base SQLite « {} »", dir.display()))?;
        }
    } else if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
        bail!("DATABASE_URL doit commencer par sqlite:// ou postgres:// (reçu : « {} »)", redact(url));
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(if url.starts_with("sqlite") { SQLITE_CONNECTIONS } else { 20 })
        .connect_timeout(Duration::from_secs(10))
        // A request waits at most this long for a connection, then answers 503
        // (a database that is down is not waited for until the request times out).
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // On every SQLite connection of the pool: WAL lets pages read while a
        // write is in progress; foreign keys are checked; a writer waits up to
        // 10 s for the single write lock (every write transaction takes it at
        // its start: `app::db::begin`) instead of failing after sqlx's 5 s.
        .map_sqlx_sqlite_opts(move |sqlite| {
            sqlite
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(creation == Creation::Permise)
        });
    if let Some(path) = file {
        let watched = Arc::new(WatchedFile::new(path));
        options.map_sqlx_sqlite_pool_opts(move |pool| {
            let on_acquire = watched.clone();
            let on_release = watched.clone();
            // Every connection opened once and kept: none is opened during a
            // fault (SQLite then opens the file read-only).
            pool.min_connections(SQLITE_CONNECTIONS)
                .test_before_acquire(false)
                // A connection that cannot write is refused at once: SQLite opens
                // a file it may not write read-only, for ever.
                .after_connect(|connection, _| {
                    Box::pin(async move {
                        connection.execute("BEGIN IMMEDIATE; ROLLBACK;").await?;
                        Ok(())
                    })
                })
                .before_acquire(move |_, meta| {
                    let usable = on_acquire.still_usable(meta.age);
                    Box::pin(async move { Ok(usable) })
                })
                .after_release(move |_, meta| {
                    let usable = on_release.still_usable(meta.age);
                    Box::pin(async move { Ok(usable) })
                })
        });
    }
    let db = Database::connect(options).await.with_context(|| format!("base de données injoignable ({})", redact(url)))?;
    if url.starts_with("sqlite") {
        app::db::faults::pool_opened();
    }
    Ok(db)
}

/// The SQLite file a pool serves: which file (device, inode) is at its path,
/// and since when (ms since 1970) — connections opened before it are stale.
struct WatchedFile {
    path: String,
    identity: Mutex<(Option<(u64, u64)>, u64)>,
}

impl WatchedFile {
    fn new(path: String) -> WatchedFile {
        let identity = Mutex::new((file_identity(&path), 0));
        WatchedFile { path, identity }
    }

    /// Whether a pooled connection of age `age` may be used again: not while
    /// the file is missing, nor if it opened a file since replaced.
    fn still_usable(&self, age: Duration) -> bool {
        let now = file_identity(&self.path);
        let Ok(mut known) = self.identity.lock() else { return false };
        // (Absent then present is the file a migrating command just created.)
        if now != known.0 && known.0.is_some() {
            tracing::error!("le fichier de la base SQLite « {} » a disparu ou a été remplacé", self.path);
            app::db::faults::record();
            if now.is_some() {
                known.1 = now_ms();
            }
        }
        known.0 = now;
        let created = now_ms().saturating_sub(u64::try_from(age.as_millis()).unwrap_or(u64::MAX));
        now.is_some() && created > known.1
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn file_identity(path: &str) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Applies the pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let pending = Migrator::get_pending_migrations(db).await.context("lecture des migrations impossible")?.len();
    Migrator::up(db, None).await.context("échec des migrations")?;
    // The measures' figures kept ahead, counted once when their table is new.
    if let Some(n) =
        app::statistiques::agregats::reconstruire_si_besoin(db).await.context("comptage des statistiques des mesures impossible")?
    {
        tracing::info!("statistiques des mesures comptées : {n} lignes");
    }
    Ok(pending)
}

/// Whether the SQLite database of `url` and its `-wal` and `-shm` files (when
/// present) can be opened for writing: a storage fault has ended.
pub fn sqlite_files_writable(url: &str) -> bool {
    let Some(path) = sqlite_path(url) else { return false };
    let writable = |file: &str| std::fs::OpenOptions::new().append(true).open(file).is_ok();
    writable(&path)
        && ["-wal", "-shm"].iter().all(|suffix| {
            let file = format!("{path}{suffix}");
            !std::path::Path::new(&file).exists() || writable(&file)
        })
}

/// The file path of a `sqlite://path?options` URL.
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_and_redaction() {
        assert_eq!(sqlite_path("sqlite://data/emjpm.db?mode=rwc").as_deref(), Some("data/emjpm.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
