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
    let mut targets = vec![("SQLite", format!("sqlite://{}/console.db?mode=rwc", dir.display()))];
    if TcpStream::connect_timeout(&"127.0.0.1:5432".parse()?, Duration::from_secs(1)).is_ok() {
        targets.push(("PostgreSQL", "postgres://postgres@127.0.0.1:5432/emjpm_bench_console".to_string()));
    }
    let mut table = vec!["| base | page | p50 (ms) | p95 (ms) | max (ms) |".to_string(), "|---|---|---|---|---|".to_string()];
    for (label, url) in targets {
        let (usages, lille) = prepare(server, label, &url, &dir)?;
        println!("{label} : {usages} actions utiles enregistrées");
        let (_served, port): (Server, u16) = serve(server, &url)?;
        let cookie = login_admin(port)?;
        let repartition = format!("/api/v1/repartition?tribunal={lille}");
        let adresses = ADRESSES.into_iter().chain([("répartition du tribunal de Lille (JSON)", repartition.as_str())]);
        for (what, address) in adresses {
            // One request first: the page's code and the database's caches warm.
            get(port, &cookie, address)?;
            let mut times: Vec<f64> = Vec::with_capacity(REQUETES);
            for _ in 0..REQUETES {
                let start = Instant::now();
                get(port, &cookie, address)?;
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
            let line = format!("| {label} | {what} | {:.1} | {:.1} | {:.1} |", at(0.5), at(0.95), at(1.0));
            println!("{line}");
            table.push(line);
        }
    }
    println!("\n{}", table.join("\n"));
    Ok(())
}

/// A fresh database with the france data, its useful actions copied until
/// there are [`USAGES_MIN`]; returns how many, and the Lille tribunal's id.
fn prepare(server: &Path, label: &str, url: &str, dir: &Path) -> Result<(i64, i64)> {
    let sql = |statement: &str| -> Result<String> {
        let output = if label == "PostgreSQL" {
            Command::new("psql")
                .args(["-qtA", "-h", "127.0.0.1", "-U", "postgres", "-d", "emjpm_bench_console", "-c", statement])
                .output()?
        } else {
            // SQLite through Python's standard library (no sqlite3 program needed).
            let script = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nr = c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint(r[0][0] if r else '')";
            Command::new("python3").args(["-c", script, &dir.join("console.db").display().to_string(), statement]).output()?
        };
        if !output.status.success() {
            bail!("{label} : {statement} : {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    };
    if label == "PostgreSQL" {
        let _ = crate::bench::psql("DROP DATABASE IF EXISTS emjpm_bench_console WITH (FORCE)");
        crate::bench::psql("CREATE DATABASE emjpm_bench_console")?;
    } else {
        for f in ["console.db", "console.db-wal", "console.db-shm"] {
            let _ = std::fs::remove_file(dir.join(f));
        }
    }
    for args in [&["migrate"][..], &["seed-reference"], &["seed-demo", "--scale", "france", "--seed", "1"]] {
        run(Command::new(server).args(args).env("DATABASE_URL", url), &format!("{label} : emjpm {}", args.join(" ")))?;
    }
    let count = || -> Result<i64> { sql("SELECT COUNT(*) FROM usages")?.parse().context("nombre d'actions illisible") };
    let mut n = count()?;
    if n == 0 {
        bail!("{label} : aucune action utile dans les données de démonstration");
    }
    while n < USAGES_MIN {
        sql("INSERT INTO usages (at, user_id, action) SELECT at, user_id, action FROM usages")?;
        n = count()?;
    }
    // The planner's statistics, as after any bulk load.
    sql("ANALYZE")?;
    let lille = sql("SELECT id FROM tribunaux WHERE nom = 'Tribunal judiciaire de Lille'")?.parse().context("tribunal de Lille absent")?;
    Ok((n, lille))
}

/// Signs the demo administrator in with its second factor's current code.
fn login_admin(port: u16) -> Result<String> {
    use totp_rs::{Builder, Secret};
    let secret = Secret::try_from_base32(CLE_DEMO).map_err(|e| anyhow::anyhow!("clé de démonstration : {e}"))?;
    let totp = Builder::new().with_secret(secret).build().map_err(|e| anyhow::anyhow!("TOTP : {e}"))?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let code = totp.generate(now).to_string();
    let body = format!(r#"{{"email":"admin@demo.emjpm.local","password":"demo-emjpm","code":"{code}"}}"#);
    crate::bench_search::login_with(port, &body)
}

/// One GET on a fresh connection, read to its end; fails unless 200.
fn get(port: u16, cookie: &str, address: &str) -> Result<()> {
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
