//! `cargo xtask bench console`: the deployment console on the `france` demo
//! data, its 13 months of useful actions multiplied until they number
//! several million (each row copied: the same people, more actions per
//! visit). For each page and JSON answer of the console — rollout map and
//! table, funnel and cohorts (France, a département), users to rescue and
//! gone quiet, feedback, invitations — 30 sequential requests of the
//! administrator; the time of each, measured by the client on the same
//! machine (server time plus a local round trip). Goal: p95 ≤ 150 ms; and
//! the fairness view of the Lille tribunal (issue 19), goal ≤ 50 ms.

use crate::bench_search::{serve, Server};
use crate::shell::run;
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The useful actions the console reads are grown to at least this many.
const USAGES_MIN: i64 = 3_000_000;
const REQUETES: usize = 30;

/// What is measured: (label, address).
const ADRESSES: [(&str, &str); 10] = [
    ("carte et tableau du déploiement (JSON)", "/api/v1/deploiement"),
    ("page Déploiement", "/admin/deploiement"),
    ("page d'un département (Nord)", "/admin/deploiement/59"),
    ("entonnoir et cohortes, France (JSON)", "/api/v1/adoption"),
    ("entonnoir et cohortes, Nord (JSON)", "/api/v1/adoption?territoire=59"),
    ("utilisateurs à relancer (JSON, première page de 50)", "/api/v1/a-relancer"),
    ("page À relancer (avec les inactifs)", "/admin/a-relancer"),
    ("avis (JSON)", "/api/v1/avis"),
    ("page Avis", "/admin/avis"),
    ("page Invitations", "/admin/invitations"),
];

/// The demo administrator's second factor (README).
const CLE_DEMO: &str = "EMJPMDEMOEMJPMDEMOEMJPMDEMOEMJPM";

pub fn console(server: &Path) -> Result<()> {
    let dir = crate::shell::root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let mut table = vec!["| base | page | p50 (ms) | p95 (ms) | max (ms) |".to_string(), "|---|---|---|---|---|".to_string()];
    for label in bases() {
        let url = france(server, label, "console", &dir)?;
        let sql = |statement: &str| sql(label, "console", &dir, statement);
        let count = || -> Result<i64> { sql("SELECT COUNT(*) FROM usages")?.parse().context("nombre d'actions illisible") };
        let mut usages = count()?;
        if usages == 0 {
            bail!("{label} : aucune action utile dans les données de démonstration");
        }
        while usages < USAGES_MIN {
            sql("INSERT INTO usages (at, user_id, action) SELECT at, user_id, action FROM usages")?;
            usages = count()?;
        }
        // The planner's statistics, as after any bulk load.
        sql("ANALYZE")?;
        let lille: i64 =
            sql("SELECT id FROM tribunaux WHERE nom = 'Tribunal judiciaire de Lille'")?.parse().context("tribunal de Lille absent")?;
        println!("{label} : {usages} actions utiles enregistrées");
        let (_served, port): (Server, u16) = serve(server, &url)?;
        let cookie = login_admin(port)?;
        let repartition = format!("/api/v1/repartition?tribunal={lille}");
        let adresses = ADRESSES.into_iter().chain([("répartition du tribunal de Lille (JSON)", repartition.as_str())]);
        for (what, address) in adresses {
            table.push(mesure(port, &cookie, label, what, address)?);
        }
    }
    println!("\n{}", table.join("\n"));
    Ok(())
}

/// The databases measured: SQLite, and PostgreSQL when it answers.
pub fn bases() -> Vec<&'static str> {
    let mut bases = vec!["SQLite"];
    if TcpStream::connect_timeout(&std::net::SocketAddr::from(([127, 0, 0, 1], 5432)), Duration::from_secs(1)).is_ok() {
        bases.push("PostgreSQL");
    }
    bases
}

/// [`REQUETES`] sequential GETs of `address` after one to warm the caches:
/// the table line of their p50, p95 and max.
pub fn mesure(port: u16, cookie: &str, label: &str, what: &str, address: &str) -> Result<String> {
    get(port, cookie, address)?;
    let mut times: Vec<f64> = Vec::with_capacity(REQUETES);
    for _ in 0..REQUETES {
        let start = Instant::now();
        get(port, cookie, address)?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let line = format!("| {label} | {what} | {:.1} | {:.1} | {:.1} |", at(0.5), at(0.95), at(1.0));
    println!("{line}");
    Ok(line)
}

/// Runs one statement on the benchmark's database `nom` (the PostgreSQL
/// database `emjpm_bench_<nom>`, or the SQLite file `<nom>.db` in `dir`);
/// returns its first value.
pub fn sql(label: &str, nom: &str, dir: &Path, statement: &str) -> Result<String> {
    let output = if label == "PostgreSQL" {
        Command::new("psql")
            .args(["-qtA", "-h", "127.0.0.1", "-U", "postgres", "-d", &format!("emjpm_bench_{nom}"), "-c", statement])
            .output()?
    } else {
        // SQLite through Python's standard library (no sqlite3 program needed).
        let script = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nr = c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint(r[0][0] if r else '')";
        Command::new("python3").args(["-c", script, &dir.join(format!("{nom}.db")).display().to_string(), statement]).output()?
    };
    if !output.status.success() {
        bail!("{label} : {statement} : {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// A fresh database `nom` (see [`sql`]) with the france data; its address.
pub fn france(server: &Path, label: &str, nom: &str, dir: &Path) -> Result<String> {
    let url = if label == "PostgreSQL" {
        let _ = crate::bench::psql(&format!("DROP DATABASE IF EXISTS emjpm_bench_{nom} WITH (FORCE)"));
        crate::bench::psql(&format!("CREATE DATABASE emjpm_bench_{nom}"))?;
        format!("postgres://postgres@127.0.0.1:5432/emjpm_bench_{nom}")
    } else {
        for suffixe in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!("{nom}.db{suffixe}")));
        }
        format!("sqlite://{}/{nom}.db?mode=rwc", dir.display())
    };
    for args in [&["migrate"][..], &["seed-reference"], &["seed-demo", "--scale", "france", "--seed", "1"]] {
        run(Command::new(server).args(args).env("DATABASE_URL", &url), &format!("{label} : emjpm {}", args.join(" ")))?;
    }
    Ok(url)
}

/// Signs the demo administrator in with its second factor's current code.
pub fn login_admin(port: u16) -> Result<String> {
    use totp_rs::{Builder, Secret};
    let secret = Secret::try_from_base32(CLE_DEMO).map_err(|e| anyhow::anyhow!("clé de démonstration : {e}"))?;
    let totp = Builder::new().with_secret(secret).build().map_err(|e| anyhow::anyhow!("TOTP : {e}"))?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let code = totp.generate(now).to_string();
    let body = format!(r#"{{"email":"admin@demo.emjpm.local","password":"demo-emjpm","code":"{code}"}}"#);
    crate::bench_search::login_with(port, &body)
}

/// One GET on a fresh connection, read to its end; fails unless 200.
pub fn get(port: u16, cookie: &str, address: &str) -> Result<()> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_nodelay(true)?;
    write!(stream, "GET {address} HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\nAccept: */*\r\nConnection: close\r\n\r\n")?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status)?;
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest)?;
    if !status.contains(" 200 ") {
        bail!("{address} : {}", status.trim());
    }
    Ok(())
}
