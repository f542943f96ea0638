//! Opening the database (SQLite by default, PostgreSQL in production).

use anyhow::{bail, Context};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::time::Duration;

/// Connects to `url`, creating the directory of a SQLite file when needed.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = sqlite_file(url) {
        if let Some(dir) = std::path::Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("impossible de créer le répertoire de la base SQLite « {} »", dir.display()))?;
        }
    } else if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
        bail!("DATABASE_URL doit commencer par sqlite:// ou postgres:// (reçu : « {} »)", redact(url));
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(if url.starts_with("sqlite") { 8 } else { 20 })
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        // On every SQLite connection of the pool: WAL lets pages read while a
        // write is in progress; foreign keys are checked; a writer waits up to
        // 30 s for the single write lock instead of failing after sqlx's 5 s —
        // a burst of writes on a busy machine queues instead of answering 500.
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
        });
    let db = Database::connect(options)
        .await
        .with_context(|| format!("base de données injoignable ({})", redact(url)))?;
    Ok(db)
}

/// Applies the pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let pending = Migrator::get_pending_migrations(db).await.context("lecture des migrations impossible")?.len();
    Migrator::up(db, None).await.context("échec des migrations")?;
    Ok(pending)
}

/// The file path of a `sqlite://path?options` URL.
fn sqlite_file(url: &str) -> Option<String> {
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
        assert_eq!(sqlite_file("sqlite://data/emjpm.db?mode=rwc").as_deref(), Some("data/emjpm.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x"), None);
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
