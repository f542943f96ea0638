//! Test databases: every integration test runs on a fresh, migrated SQLite file and,
//! when PostgreSQL is configured, on a fresh PostgreSQL database too.
//!
//! PostgreSQL is used when `EMJPM_TEST_POSTGRES_URL` is set (an URL of a database
//! the test may connect to in order to create and drop others, e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`). `cargo xtask test` sets it when
//! a server answers on 127.0.0.1:5432; with `EMJPM_TEST_REQUIRE_POSTGRES=1` (set
//! under CI) a missing PostgreSQL fails the test instead of skipping it.
#![allow(dead_code)]

pub mod client;
pub mod nord;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestDb {
    pub db: DatabaseConnection,
    /// "sqlite" or "postgres", to name the backend in assertion messages.
    pub backend: &'static str,
    pub url: String,
    postgres: Option<PostgresDatabase>,
    _dir: Option<tempfile::TempDir>,
}

/// A test's own PostgreSQL database, dropped by [`TestDb::cleanup`] or, when
/// the test panicked before (an assertion failed), by this guard as the stack
/// unwinds: no `emjpm_t_…` database is left behind either way.
pub struct PostgresDatabase {
    admin_url: String,
    pub name: String,
    dropped: bool,
}

impl PostgresDatabase {
    async fn drop_database(&mut self) {
        if let Ok(admin) = Database::connect(&self.admin_url).await {
            let dropped = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).await;
            self.dropped = dropped.is_ok();
            admin.close().await.ok();
        }
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // Drop cannot await, and may run inside the test's runtime: a thread of
        // its own with its own small runtime drops the database.
        let mut guard = PostgresDatabase { admin_url: self.admin_url.clone(), name: self.name.clone(), dropped: true };
        let _ = std::thread::spawn(move || {
            if let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                runtime.block_on(guard.drop_database());
            }
        })
        .join();
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Errors logged by the application (an internal error's cause and reference)
/// appear in the output of the test that failed.
fn show_logged_errors() {
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("error").try_init();
}

/// Fresh migrated databases: SQLite always, PostgreSQL when configured.
pub async fn databases() -> Vec<TestDb> {
    show_logged_errors();
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
    // The same connection settings as `emjpm serve`.
    let db = server::database::connect(&url).await.expect("connexion SQLite");
    server::database::migrate(&db).await.expect("migrations SQLite");
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
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
    );
    let admin = Database::connect(&admin_url).await.expect("connexion PostgreSQL (administration)");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("création de la base de test PostgreSQL");
    admin.close().await.ok();
    let url = replace_database(&admin_url, &name);
    let db = server::database::connect(&url).await.expect("connexion PostgreSQL");
    server::database::migrate(&db).await.expect("migrations PostgreSQL");
    Some(TestDb { db, backend: "postgres", url, postgres: Some(PostgresDatabase { admin_url, name, dropped: false }), _dir: None })
}

impl TestDb {
    /// Closes the connection and drops the PostgreSQL database (the SQLite file goes
    /// with its temporary directory).
    pub async fn cleanup(mut self) {
        self.db.close().await.ok();
        if let Some(postgres) = self.postgres.as_mut() {
            postgres.drop_database().await;
        }
    }

    /// The PostgreSQL database's name (None on SQLite).
    pub fn postgres_name(&self) -> Option<String> {
        self.postgres.as_ref().map(|p| p.name.clone())
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

/// The HTTP application over a test database, as `emjpm serve` builds it.
/// The token the test application's `/metrics` asks for.
pub const METRICS_TOKEN: &str = "jeton-de-supervision-de-test";

pub fn app(db: &DatabaseConnection) -> axum::Router {
    app_with(db, Default::default())
}

/// The same, with the relay of change notices given (see `app::realtime`).
pub fn app_with(db: &DatabaseConnection, diffusion: app::realtime::Diffusion) -> axum::Router {
    app_configured(db, diffusion, Some(METRICS_TOKEN))
}

/// The same, with `/metrics`' token given (None: `EMJPM_METRICS_TOKEN` unset).
pub fn app_configured(db: &DatabaseConnection, diffusion: app::realtime::Diffusion, metrics_token: Option<&str>) -> axum::Router {
    let leptos_options = leptos::config::LeptosOptions::builder().output_name("emjpm").site_root("target/site").site_pkg_dir("pkg").build();
    server::http::router(app::state::AppState {
        db: db.clone(),
        leptos_options,
        secure_cookies: false,
        map_tiles_url: None,
        search_index: Default::default(),
        base_url: "http://emjpm.test".into(),
        diffusion,
        // Requests built by the tests have no socket peer: their IP comes from
        // `X-Forwarded-For`, as behind the production proxy.
        trust_proxy: true,
        metrics_token: metrics_token.map(str::to_string),
        conservation: Default::default(),
    })
}

/// A minimal geography: Hauts-de-France, Nord, Lille.
pub async fn insert_lille(db: &DatabaseConnection) {
    db.execute_unprepared(
        "INSERT INTO regions (code, nom) VALUES ('32', 'Hauts-de-France');
         INSERT INTO departements (code, nom, region_code, chef_lieu) VALUES ('59', 'Nord', '32', '59350');
         INSERT INTO communes (code, nom, nom_recherche, departement_code, codes_postaux, population, latitude, longitude)
           VALUES ('59350', 'Lille', 'lille', '59', '59000,59160,59260,59777,59800', 236710, 50.63194, 3.0575);",
    )
    .await
    .expect("géographie de test");
}

/// Inserts a user with password `mot-de-passe-de-test` and returns its id.
pub async fn insert_user(db: &DatabaseConnection, email: &str, role: &str, active: bool) -> i32 {
    use app::db::entities::users;
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now().fixed_offset();
    let user = users::ActiveModel {
        email: Set(email.to_string()),
        password_hash: Set(app::accounts::password::hash_password(TEST_PASSWORD).expect("hash")),
        role: Set(role.to_string()),
        prenom: Set("Camille".into()),
        nom: Set("Test".into()),
        active: Set(active),
        valide_at: Set(active.then_some(now)),
        notifier_acceptation: Set(false),
        // Administrators must have a second factor: every test one shares this.
        totp_secret: Set((role == "admin").then(|| TEST_TOTP_SECRET.to_string())),
        totp_actif: Set(role == "admin"),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("utilisateur de test");
    user.id
}

pub const TEST_PASSWORD: &str = "mot-de-passe-de-test";
/// The second factor of every test administrator (base32).
pub const TEST_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The code an authenticator app holding `TEST_TOTP_SECRET` shows `steps`
/// 30-second steps from now (the server accepts one step of drift).
pub fn totp_code(steps: i64) -> String {
    let at = chrono::Utc::now().timestamp() + 30 * steps;
    app::accounts::second_facteur::code_at(TEST_TOTP_SECRET, u64::try_from(at).expect("après 1970")).expect("code")
}

/// The JSON body of `POST /api/v1/auth/login`, with the current code (ignored
/// for an account without a second factor).
pub fn login_json(email: &str, password: &str) -> String {
    serde_json::json!({ "email": email, "password": password, "code": totp_code(0) }).to_string()
}

/// `SELECT COUNT(*) FROM <from>` (e.g. `"mesures WHERE statut = 'en_cours'"`).
pub async fn count(db: &DatabaseConnection, from: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {from}")))
        .await
        .expect("comptage")
        .expect("ligne");
    row.try_get("", "n").expect("n")
}

/// (en_cours, en_attente) of a gestionnaire, or of an antenne.
pub async fn counters(db: &DatabaseConnection, table: &str, id: i64) -> (i64, i64) {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT CAST(en_cours AS BIGINT) AS c, CAST(en_attente AS BIGINT) AS a FROM {table} WHERE id = {id}"),
        ))
        .await
        .expect("lecture")
        .expect("ligne");
    (row.try_get("", "c").expect("c"), row.try_get("", "a").expect("a"))
}

/// Sends a request to the application and returns status, headers and body text.
pub async fn send(app: &axum::Router, request: axum::http::Request<axum::body::Body>) -> (u16, axum::http::HeaderMap, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app.clone().oneshot(request).await.expect("réponse");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("corps").to_bytes();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

/// Where a form's answer sends the browser (`Location`), followed, after a
/// refusal, by the draft the page will show — typed values and messages,
/// form-encoded as its cookie carries them (`nom=Dupont&erreur_siret=…`): the
/// address itself holds none of them.
pub fn where_sent(headers: &axum::http::HeaderMap) -> String {
    let location = headers.get(axum::http::header::LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default();
    match draft_cookie(headers) {
        Some(draft) => format!("{location} {draft}"),
        None => location.to_string(),
    }
}

/// The `name=value` of the refused post's draft cookie an answer sets.
pub fn draft_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    let prefix = format!("{}=", app::layout::saisie::COOKIE);
    headers
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| c.strip_prefix(&prefix))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
        .find(|value| !value.is_empty())
}

/// A file of the team's shared test data (`../shared/data/` next to the project,
/// found by walking up from the repository), or None when absent — which fails
/// under `CI=true`, where the files always exist.
pub fn shared_data(relative: &str) -> Option<std::path::PathBuf> {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = manifest.ancestors().map(|dir| dir.join("shared/data").join(relative)).find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "shared/data/{relative} est introuvable au-dessus de {} (exigé sous CI)",
            manifest.display()
        );
        println!("test ignoré : shared/data/{relative} introuvable");
    }
    found
}
