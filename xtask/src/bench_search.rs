//! `cargo xtask bench search`: the judge's search on the `france` demo data, over
//! HTTP at 1, 8 and 32 concurrent clients (keep-alive connections, realistic
//! mixed queries), and the same queries run directly against the database (the
//! floor, `server/examples/search_floor.rs`). SQLite, then PostgreSQL.
//! The benchmark databases are kept in `target/bench/` (and `emjpm_bench_france`
//! on PostgreSQL) so that later runs skip the load.

use crate::shell::{self, root, run};
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const QUERIES: usize = 3000;

/// A server process, stopped when dropped.
pub struct Server(pub Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn search(server: &Path) -> Result<()> {
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let queries = dir.join("requetes.txt");
    std::fs::write(&queries, generate_queries()?.join("\n"))?;
    run(shell::cargo().args(["build", "--release", "-p", "server", "--example", "search_floor"]), "plancher de la recherche")?;
    let floor = root().join("target/release/examples/search_floor");

    let mut targets = vec![("SQLite", format!("sqlite://{}/france.db?mode=rwc", dir.display()))];
    if TcpStream::connect_timeout(&"127.0.0.1:5432".parse()?, Duration::from_secs(1)).is_ok() {
        targets.push(("PostgreSQL", "postgres://postgres@127.0.0.1:5432/emjpm_bench_france".to_string()));
    }
    println!("\n| base | mode | clients | requêtes | p50 (ms) | p95 (ms) | p99 (ms) | recherches/s |\n|---|---|---|---|---|---|---|---|");
    let mut table = Vec::new();
    for (label, url) in targets {
        prepare(server, label, &url, &dir)?;
        let out = Command::new(&floor).arg(&queries).env("DATABASE_URL", &url).output()?;
        if !out.status.success() {
            bail!("plancher : {}", String::from_utf8_lossy(&out.stderr));
        }
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            table.push(format!("| {label} | direct | {} | {} | {} | {} | {} | {} |", f[1], f[2], f[3], f[4], f[5], f[6]));
            println!("{}", table.last().map(String::as_str).unwrap_or_default());
        }
        for line in http(server, &url, &queries)? {
            table.push(format!("| {label} | HTTP | {line}"));
            println!("{}", table.last().map(String::as_str).unwrap_or_default());
        }
    }
    Ok(())
}

/// Loads the france data once per backend.
fn prepare(server: &Path, label: &str, url: &str, dir: &Path) -> Result<()> {
    let marker = dir.join(format!(".france-{}", label.to_lowercase()));
    if marker.exists() {
        return Ok(());
    }
    if label == "PostgreSQL" {
        let _ = crate::bench::psql("DROP DATABASE IF EXISTS emjpm_bench_france WITH (FORCE)");
        crate::bench::psql("CREATE DATABASE emjpm_bench_france")?;
    } else {
        for f in ["france.db", "france.db-wal", "france.db-shm"] {
            let _ = std::fs::remove_file(dir.join(f));
        }
    }
    for args in [&["migrate"][..], &["seed-reference"], &["seed-demo", "--scale", "france", "--seed", "1"]] {
        run(Command::new(server).args(args).env("DATABASE_URL", url), &format!("{label} : emjpm {}", args.join(" ")))?;
    }
    std::fs::write(marker, "ok\n")?;
    Ok(())
}

/// A small deterministic generator (no dependency needed for this).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Mixed queries of a Lille judge: mostly near communes of Nord, in its
/// tribunal's scope, with filters, sorts and pages; some wider.
fn generate_queries() -> Result<Vec<String>> {
    let file = std::fs::File::open(root().join("server/reference/communes.tsv.gz"))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text)?;
    let communes: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((f.first()?.to_string(), f.get(2)?.to_string()))
        })
        .collect();
    let nord: Vec<&(String, String)> = communes.iter().filter(|(_, d)| d == "59").collect();
    let departements = ["59", "62", "75", "13", "69", "33", "2A", "974"];
    let natures = ["tutelle", "curatelle_renforcee", "curatelle_simple", "sauvegarde_justice"];
    let mut rng = Lcg(20261124);
    let mut out = Vec::with_capacity(QUERIES);
    for _ in 0..QUERIES {
        let mut q: Vec<String> = Vec::new();
        let near = if rng.chance(75) { &nord[rng.below(nord.len())].0 } else { &communes[rng.below(communes.len())].0 };
        if rng.chance(85) {
            q.push(format!("commune={near}"));
            if rng.chance(20) {
                q.push(format!("rayon_km={}", [10, 20, 30, 50][rng.below(4)]));
            }
        }
        if rng.chance(30) {
            q.push(format!("nature={}", natures[rng.below(natures.len())]));
        }
        if rng.chance(30) {
            q.push("disponible=true".into());
        }
        if rng.chance(15) {
            q.push(format!("type={}", ["individuel", "prepose", "service"][rng.below(3)]));
        }
        if rng.chance(5) {
            q.push(format!("q={}", ["martin", "udaf", "lille", "atmp"][rng.below(4)]));
        }
        match rng.below(10) {
            0 => q.push("perimetre=national".into()),
            1 | 2 => q.push(format!("perimetre=departement:{}", departements[rng.below(departements.len())])),
            _ => {}
        }
        if rng.chance(10) {
            q.push("tri=nom".into());
        }
        if rng.chance(20) {
            q.push(format!("page={}", 2 + rng.below(3)));
        }
        out.push(q.join("&"));
    }
    Ok(out)
}

/// Serves the benchmark database and runs the queries over HTTP.
fn http(server: &Path, url: &str, queries: &Path) -> Result<Vec<String>> {
    let (_server, port) = serve(server, url)?;
    let cookie = login(port)?;
    let queries: Vec<String> = std::fs::read_to_string(queries)?.lines().map(str::to_string).collect();
    // Warm-up: one pass, not measured.
    let mut warm = Connection::open(port, &cookie)?;
    for q in queries.iter().take(200) {
        warm.get(q)?;
    }
    let mut lines = Vec::new();
    for clients in [1usize, 8, 32] {
        let started = Instant::now();
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let queries = queries.clone();
                let cookie = cookie.clone();
                std::thread::spawn(move || -> Result<Vec<Duration>> {
                    let mut conn = Connection::open(port, &cookie)?;
                    let mut latencies = Vec::new();
                    let mut i = c;
                    while i < queries.len() {
                        let start = Instant::now();
                        conn.get(&queries[i])?;
                        latencies.push(start.elapsed());
                        i += clients;
                    }
                    Ok(latencies)
                })
            })
            .collect();
        let mut all = Vec::new();
        for h in handles {
            all.extend(h.join().map_err(|_| anyhow::anyhow!("client HTTP interrompu"))??);
        }
        let elapsed = started.elapsed();
        all.sort();
        let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)].as_secs_f64() * 1000.0;
        lines.push(format!(
            "{clients} | {} | {:.2} | {:.2} | {:.2} | {:.0} |",
            all.len(),
            at(0.5),
            at(0.95),
            at(0.99),
            all.len() as f64 / elapsed.as_secs_f64()
        ));
    }
    Ok(lines)
}

/// `emjpm serve` on `url` on a free port of 127.0.0.1, once it accepts connections.
pub fn serve(server: &Path, url: &str) -> Result<(Server, u16)> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = Command::new(server)
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("EMJPM_ADDR", format!("127.0.0.1:{port}"))
        .env("EMJPM_LOG", "warn")
        .env("EMJPM_SITE_ROOT", root().join("target/site"))
        .stdout(Stdio::null())
        .spawn()?;
    let served = Server(child);
    wait_for_port(port)?;
    Ok((served, port))
}

/// A database at `url` with the reference geography and the Nord's demo data.
pub fn seed_nord(server: &Path, url: &str) -> Result<()> {
    for args in [vec!["migrate"], vec!["seed-reference"], vec!["seed-demo", "--scale", "departement:59", "--seed", "1"]] {
        let status = Command::new(server).args(&args).env("DATABASE_URL", url).current_dir(root()).stdout(Stdio::null()).status()?;
        if !status.success() {
            bail!("emjpm {} a échoué", args.join(" "));
        }
    }
    Ok(())
}

/// Waits until a freshly started server accepts connections.
pub fn wait_for_port(port: u16) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("le serveur ne démarre pas");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}

/// Signs the Lille demo judge in; returns its session cookie (`name=value`).
pub fn login(port: u16) -> Result<String> {
    login_as(port, "magistrat.lille@demo.emjpm.local")
}

/// Signs a demo account in (password `demo-emjpm`, no second factor); returns
/// its session cookie (`name=value`).
pub fn login_as(port: u16, email: &str) -> Result<String> {
    login_with(port, &format!(r#"{{"email":"{email}","password":"demo-emjpm"}}"#)).with_context(|| format!("connexion de {email} refusée"))
}

/// Posts `body` to the sign-in API; returns the session cookie (`name=value`).
pub fn login_with(port: u16, body: &str) -> Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    answer
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
        .with_context(|| format!("connexion refusée : {}", answer.lines().last().unwrap_or_default()))
}

/// One keep-alive HTTP/1.1 connection.
struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    cookie: String,
}

impl Connection {
    fn open(port: u16, cookie: &str) -> Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_nodelay(true)?;
        Ok(Connection { reader: BufReader::new(stream.try_clone()?), writer: stream, cookie: cookie.to_string() })
    }

    fn get(&mut self, query: &str) -> Result<()> {
        write!(self.writer, "GET /api/v1/gestionnaires?{query} HTTP/1.1\r\nHost: bench\r\nCookie: {}\r\n\r\n", self.cookie)?;
        let mut status = String::new();
        self.reader.read_line(&mut status)?;
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        if !status.contains(" 200 ") {
            bail!("{query} : {status} {}", String::from_utf8_lossy(&body));
        }
        Ok(())
    }
}
