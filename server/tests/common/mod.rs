//! Test databases: every integration test runs on a fresh, migrated SQLite file and,
//! when PostgreSQL is configured, on a fresh PostgreSQL database too.
//!
//! PostgreSQL is used when `EMJPM_TEST_POSTGRES_URL` is set (an URL of a database
//! the test may connect to in order to create and drop others, e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`). `cargo xtask test` sets it when
//! a server answers on 127.0.0.1:5432; with `EMJPM_TEST_REQUIRE_POSTGRES=1` (set
//! under CI) a missing PostgreSQL fails the test instead of skipping it.
#![allow(dead_code)]

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestDb {
    pub db: DatabaseConnection,
    /// "sqlite" or "postgres", to name the backend in assertion messages.
    pub backend: &'static str,
    pub url: String,
    postgres: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Fresh migrated databases: SQLite always, PostgreSQL when configured.
pub async fn databases() -> Vec<TestDb> {
    let mut all = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        all.push(pg);
    }
    all
}

/// A fresh SQLite database (migrated) in a temporary directory.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("répertoire temporaire");
    let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
    let db = Database::connect(&url).await.expect("connexion SQLite");
    Migrator::up(&db, None).await.expect("migrations SQLite");
    TestDb { db, backend: "sqlite", url, postgres: None, _dir: Some(dir) }
}

/// A fresh PostgreSQL database (migrated), or None when PostgreSQL is not configured.
pub async fn postgres() -> Option<TestDb> {
    let admin_url = match std::env::var("EMJPM_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            if std::env::var("EMJPM_TEST_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("PostgreSQL est exigé (EMJPM_TEST_REQUIRE_POSTGRES=1) mais EMJPM_TEST_POSTGRES_URL n'est pas défini");
            }
            return None;
        }
    };
    let name = format!(
        "emjpm_t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let admin = Database::connect(&admin_url).await.expect("connexion PostgreSQL (administration)");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("création de la base de test PostgreSQL");
    admin.close().await.ok();
    let url = replace_database(&admin_url, &name);
    let db = Database::connect(&url).await.expect("connexion PostgreSQL");
    Migrator::up(&db, None).await.expect("migrations PostgreSQL");
    Some(TestDb { db, backend: "postgres", url, postgres: Some((admin_url, name)), _dir: None })
}

impl TestDb {
    /// Closes the connection and drops the PostgreSQL database (the SQLite file goes
    /// with its temporary directory).
    pub async fn cleanup(self) {
        self.db.close().await.ok();
        if let Some((admin_url, name)) = self.postgres {
            if let Ok(admin) = Database::connect(&admin_url).await {
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok();
                admin.close().await.ok();
            }
        }
    }
}

/// `postgres://u@h:p/db?x` with its database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[prefix_end..].find('/') {
        Some(slash) => &base[..prefix_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}
