//! The floor of the search benchmark: the same searches as the HTTP benchmark,
//! run directly against the database through the search engine (no HTTP, no
//! JSON, no rendering), as the Lille demo judge, at several concurrencies.
//!
//! Usage (from `cargo xtask bench search`):
//! `DATABASE_URL=… search_floor QUERIES_FILE` — one query string per line.
//! Prints one line per concurrency: `floor <clients> <count> <p50_ms> <p95_ms> <p99_ms> <per_second>`.

use app::accounts::guard::{Caller, Scope};
use app::rules::roles::Role;
use app::search::criteria::Filtres;
use sea_orm::{ConnectionTrait, Statement};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let file = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("fichier de requêtes attendu"))?;
    let queries: Vec<String> = std::fs::read_to_string(file)?.lines().map(str::to_string).collect();
    let db = server::database::connect(&url).await?;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT u.id AS id, t.id AS tribunal, t.departement_code AS dep FROM users u
             JOIN magistrats m ON m.user_id = u.id JOIN tribunaux t ON t.id = m.tribunal_id
             WHERE u.email = 'magistrat.lille@demo.emjpm.local'"
                .to_string(),
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("juge de démonstration absent"))?;
    let caller = Arc::new(Caller {
        user_id: row.try_get("", "id")?,
        email: "magistrat.lille@demo.emjpm.local".into(),
        prenom: String::new(),
        nom: String::new(),
        role: Role::Magistrat,
        scope: Scope::Tribunal { tribunal_id: row.try_get("", "tribunal")?, departement_code: row.try_get("", "dep")? },
        incarnation: None,
        // Read again before each search below, as an HTTP request reads it
        // with its session.
        search_version: 0,
        // As read with the session: the judge's searches were recorded less
        // than an hour ago (it searches all the time), so none writes.
        derniere_recherche: Some(chrono::Utc::now().fixed_offset()),
    });
    let criteres: Arc<Vec<_>> = Arc::new(
        queries
            .iter()
            .map(|q| {
                serde_urlencoded::from_str::<Filtres>(q)
                    .map_err(anyhow::Error::from)
                    .and_then(|f| f.validate().map_err(|e| anyhow::anyhow!("{e}")))
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
    );
    // One copy of the search data for the whole process, as in `emjpm serve`.
    let index = Arc::new(app::search::index::SearchIndex::default());
    for clients in [1usize, 8, 32] {
        let started = Instant::now();
        let mut tasks = Vec::new();
        for client in 0..clients {
            let (db, index, caller, criteres) = (db.clone(), index.clone(), caller.clone(), criteres.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut i = client;
                while i < criteres.len() {
                    let start = Instant::now();
                    // The one query a search needs: the data's version.
                    let version = app::search::index::current_version(&db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                    let caller = Caller { search_version: version, ..(*caller).clone() };
                    app::search::engine::search(&db, &index, &caller, &criteres[i]).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                    latencies.push(start.elapsed());
                    i += clients;
                }
                Ok::<_, anyhow::Error>(latencies)
            }));
        }
        let mut all: Vec<Duration> = Vec::new();
        for task in tasks {
            all.extend(task.await??);
        }
        let elapsed = started.elapsed();
        all.sort();
        let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)].as_secs_f64() * 1000.0;
        println!(
            "floor {clients} {} {:.2} {:.2} {:.2} {:.0}",
            all.len(),
            at(0.5),
            at(0.95),
            at(0.99),
            all.len() as f64 / elapsed.as_secs_f64()
        );
    }
    Ok(())
}
