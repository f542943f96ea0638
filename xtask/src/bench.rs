//! `cargo xtask bench`: performance measurements, reported in docs/benchmarks.md.
//! Each benchmark is a function; `cargo xtask bench NAME` runs one.

use crate::build::build;
use crate::shell::root;
use anyhow::{bail, Context, Result};
use std::process::Command;
use std::time::Instant;

type Bench = fn(&std::path::Path) -> Result<()>;

const BENCHES: [(&str, &str, Bench); 7] = [
    (
        "seed-france",
        "chargement de `seed-demo --scale france` sur SQLite puis PostgreSQL (127.0.0.1:5432)",
        seed_france,
    ),
    (
        "search",
        "recherche de mandataires sur les données `france` : HTTP à 1, 8 et 32 clients, et le plancher sans HTTP",
        crate::bench_search::search,
    ),
    (
        "realtime",
        "temps réel : 1 000, 2 000 et 5 000 pages ouvertes sur un processus, délai de l'événement et mémoire",
        crate::bench_realtime::realtime,
    ),
    (
        "soak",
        "endurance : 50 requêtes/s de trafic mêlé pendant EMJPM_SOAK_MINUTES (20) minutes sur SQLite puis PostgreSQL (EMJPM_SOAK_BASES pour l'une des deux) : erreurs, p99, mémoire",
        soak,
    ),
    (
        "console",
        "console de déploiement sur les données `france` et plusieurs millions d'actions : p50/p95 de chaque page et réponse JSON, SQLite puis PostgreSQL",
        crate::bench_console::console,
    ),
    (
        "stats",
        "statistiques sur les données `france` avec un an de réservations par le service : nationales, d'un département, page publique, répartition d'un tribunal ; p50/p95, SQLite puis PostgreSQL",
        crate::bench_stats::stats,
    ),
    (
        "page",
        "page de recherche au premier chargement (téléphone) : Lighthouse 12 et poids transféré",
        crate::bench_page::page,
    ),
];

pub fn bench(args: &[String]) -> Result<()> {
    let built = build(true)?;
    let wanted = args.first().map(String::as_str);
    if let Some(name) = wanted {
        if !BENCHES.iter().any(|(n, _, _)| *n == name) {
            bail!("benchmark inconnu : {name} (connus : {})", BENCHES.map(|(n, _, _)| n).join(", "));
        }
    }
    for (name, what, bench) in BENCHES {
        if wanted.is_none_or(|w| w == name) {
            println!("\n== {name} : {what}");
            bench(&built.server)?;
        }
    }
    Ok(())
}

/// The soak, for `EMJPM_SOAK_MINUTES` minutes per backend (20 by default).
fn soak(server: &std::path::Path) -> Result<()> {
    let minutes = match std::env::var("EMJPM_SOAK_MINUTES") {
        Ok(text) => text.parse().with_context(|| format!("EMJPM_SOAK_MINUTES illisible : « {text} »"))?,
        Err(_) => 20,
    };
    crate::bench_soak::soak(server, minutes)
}

/// Times the full demo dataset load on each backend.
pub fn seed_france(server: &std::path::Path) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let mut targets = vec![("SQLite", sqlite, None)];
    if std::net::TcpStream::connect_timeout(&"127.0.0.1:5432".parse()?, std::time::Duration::from_secs(1)).is_ok() {
        let name = format!("emjpm_bench_{}", std::process::id());
        targets.push(("PostgreSQL", format!("postgres://postgres@127.0.0.1:5432/{name}"), Some(name)));
    }
    for (label, url, pg_name) in targets {
        if let Some(name) = &pg_name {
            psql(&format!("CREATE DATABASE {name}"))?;
        }
        let emjpm = |args: &[&str]| -> Result<()> {
            let status = Command::new(server).args(args).env("DATABASE_URL", &url).current_dir(root()).status()?;
            if !status.success() {
                bail!("emjpm {} a échoué", args.join(" "));
            }
            Ok(())
        };
        emjpm(&["migrate"])?;
        emjpm(&["seed-reference"])?;
        let start = Instant::now();
        emjpm(&["seed-demo", "--scale", "france", "--seed", "1"])?;
        println!("{label} : seed-demo --scale france en {:.1} s", start.elapsed().as_secs_f64());
        if let Some(name) = &pg_name {
            psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        }
    }
    Ok(())
}

pub fn psql(sql: &str) -> Result<()> {
    let status = Command::new("psql")
        .args(["-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql])
        .status()
        .context("psql introuvable")?;
    if !status.success() {
        bail!("psql : {sql}");
    }
    Ok(())
}
