//! `cargo xtask bench soak [MINUTES]`: a bounded soak of one `emjpm serve`
//! (release build) on SQLite and on PostgreSQL (127.0.0.1:5432, when it
//! answers): 50 requests per second of mixed, realistic traffic for MINUTES
//! (20 by default) per backend — searches by the Lille judge, reservations,
//! the professional's acceptances and capacity changes, sign-ins. Reports the
//! errors (goal: 0), the latencies (p50, p99) and the server's memory (VmRSS)
//! at the start, every few minutes and at the end (goal: flat). Traffic goes to
//! 127.0.0.1 only; every loop is bounded in count and time.

use crate::bench_realtime::rss_mib;
use crate::bench_search::{login, login_as, seed_nord, serve};
use anyhow::{Context, Result};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Requests per second, all kinds together.
const RATE: u32 = 50;
/// Client threads (a slow answer does not hold the schedule back).
const CLIENTS: usize = 8;

/// One request on its own connection: (status, body).
fn request(port: u16, method: &str, path: &str, cookie: Option<&str>, body: Option<&str>) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let body = body.unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: bench\r\n{cookie}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("réponse illisible")?;
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Ok((status, body))
}

/// The kinds of request, in the proportions of a working day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Recherche,
    Reservation,
    Acceptation,
    Capacite,
    Connexion,
}

/// Of every 20 requests: 12 searches, 3 reservations, 2 acceptances, 2 capacity changes, 1 sign-in.
const CYCLE: [Kind; 20] = {
    use Kind::*;
    [
        Recherche,
        Reservation,
        Recherche,
        Capacite,
        Recherche,
        Acceptation,
        Recherche,
        Recherche,
        Reservation,
        Recherche,
        Connexion,
        Recherche,
        Acceptation,
        Recherche,
        Reservation,
        Recherche,
        Capacite,
        Recherche,
        Recherche,
        Recherche,
    ]
};

struct Outcome {
    kind: Kind,
    elapsed: Duration,
    error: Option<String>,
}

struct Actors {
    judge: String,
    professional: String,
    gestionnaire_id: i64,
}

fn one(port: u16, actors: &Actors, kind: Kind, n: u64, pending: &std::sync::Mutex<Vec<i64>>) -> Result<(), String> {
    let check = |(status, body): (u16, String), want: u16| -> Result<(u16, String), String> {
        if status == want {
            Ok((status, body))
        } else {
            Err(format!("{status} {}", body.chars().take(200).collect::<String>()))
        }
    };
    let io = |e: anyhow::Error| format!("erreur réseau : {e}");
    match kind {
        Kind::Recherche => {
            let communes = ["59350", "59512", "59183", "59599", "59178"];
            let path = format!("/api/v1/gestionnaires?commune={}&tri=distance&page={}", communes[(n % 5) as usize], 1 + n % 3);
            check(request(port, "GET", &path, Some(&actors.judge), None).map_err(io)?, 200).map(|_| ())
        }
        Kind::Reservation => {
            let body = format!(
                r#"{{"gestionnaire_id":{},"numero_rg":"S{:07}","civilite":"madame","annee_naissance":1950,"nature":"tutelle"}}"#,
                actors.gestionnaire_id, n
            );
            let (_, answer) = check(request(port, "POST", "/api/v1/mesures", Some(&actors.judge), Some(&body)).map_err(io)?, 201)?;
            let id = serde_json::from_str::<serde_json::Value>(&answer).ok().and_then(|v| v["id"].as_i64()).ok_or("réponse sans id")?;
            pending.lock().map_err(|_| "verrou")?.push(id);
            Ok(())
        }
        Kind::Acceptation => {
            let Some(id) = pending.lock().map_err(|_| "verrou")?.pop() else { return Ok(()) };
            let body = r#"{"date_nomination":"2026-11-02","lieu_vie":"domicile","commune":"59350"}"#;
            let path = format!("/api/v1/mesures/{id}/acceptation");
            check(request(port, "POST", &path, Some(&actors.professional), Some(body)).map_err(io)?, 200).map(|_| ())
        }
        Kind::Capacite => {
            let body = format!(r#"{{"mesures_max":{},"suspendu":false}}"#, 40 + n % 20);
            check(request(port, "PUT", "/api/v1/moi/capacite", Some(&actors.professional), Some(&body)).map_err(io)?, 200).map(|_| ())
        }
        Kind::Connexion => {
            // The demo accounts in turn: one person does not sign in twice a second.
            let accounts = ["greffier.lille", "magistrat.lille", "prepose", "service", "direction.59", "direction.hdf"];
            let body = format!(r#"{{"email":"{}@demo.emjpm.local","password":"demo-emjpm"}}"#, accounts[(n / 20 % 6) as usize]);
            check(request(port, "POST", "/api/v1/auth/login", None, Some(&body)).map_err(io)?, 200).map(|_| ())
        }
    }
}

/// Soaks one backend for `minutes`; returns the report's table row.
fn soak_one(server: &Path, label: &str, url: &str, minutes: u64) -> Result<String> {
    seed_nord(server, url)?;
    let (served, port) = serve(server, url)?;
    let pid = served.0.id();
    let professional = login_as(port, "individuel@demo.emjpm.local")?;
    let (_, capacity) = request(port, "GET", "/api/v1/moi/capacite", Some(&professional), None)?;
    let gestionnaire_id = serde_json::from_str::<serde_json::Value>(&capacity)
        .ok()
        .and_then(|v| v["gestionnaire_id"].as_i64())
        .context("gestionnaire du mandataire de démonstration")?;
    let actors = std::sync::Arc::new(Actors { judge: login(port)?, professional, gestionnaire_id });
    let pending = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));

    let (jobs, queue) = mpsc::channel::<(Kind, u64)>();
    let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
    let (done, outcomes) = mpsc::channel::<Outcome>();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (queue, done, actors, pending) = (queue.clone(), done.clone(), actors.clone(), pending.clone());
            std::thread::spawn(move || loop {
                let next = queue.lock().ok().and_then(|q| q.recv().ok());
                let Some((kind, n)) = next else { return };
                let start = Instant::now();
                let error = one(port, &actors, kind, n, &pending).err();
                let _ = done.send(Outcome { kind, elapsed: start.elapsed(), error });
            })
        })
        .collect();
    drop(done);

    let start_rss = rss_mib(pid)?;
    let mut samples = vec![(0u64, start_rss)];
    let total = minutes * 60 * u64::from(RATE);
    let started = Instant::now();
    let every = Duration::from_secs(1) / RATE;
    let sample_every = (minutes * 60 / 4).max(30);
    for n in 0..total {
        let due = started + every * u32::try_from(n).unwrap_or(u32::MAX);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        jobs.send((CYCLE[(n % CYCLE.len() as u64) as usize], n)).context("clients arrêtés")?;
        let seconds = started.elapsed().as_secs();
        if seconds >= samples.last().map_or(0, |s| s.0) + sample_every {
            samples.push((seconds, rss_mib(pid)?));
        }
    }
    drop(jobs);
    for worker in workers {
        worker.join().map_err(|_| anyhow::anyhow!("client interrompu"))?;
    }
    let end_rss = rss_mib(pid)?;
    samples.push((started.elapsed().as_secs(), end_rss));

    let outcomes: Vec<Outcome> = outcomes.iter().collect();
    let mut latencies: Vec<Duration> = outcomes.iter().map(|o| o.elapsed).collect();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1))].as_secs_f64() * 1000.0;
    let errors: Vec<&Outcome> = outcomes.iter().filter(|o| o.error.is_some()).collect();
    let mut by_error = std::collections::BTreeMap::new();
    for e in &errors {
        let status = e.error.as_deref().unwrap_or_default().split_whitespace().next().unwrap_or_default().to_string();
        *by_error.entry(format!("{:?} {status}", e.kind)).or_insert(0usize) += 1;
    }
    for e in errors.iter().take(5) {
        println!("  erreur ({:?}) : {}", e.kind, e.error.as_deref().unwrap_or_default());
    }
    if !by_error.is_empty() {
        println!("  erreurs par sorte : {by_error:?}");
    }
    let mut by_kind = std::collections::BTreeMap::new();
    for o in &outcomes {
        *by_kind.entry(format!("{:?}", o.kind)).or_insert(0usize) += 1;
    }
    let curve: Vec<String> = samples.iter().map(|(s, m)| format!("{}'{:02} {m:.0}", s / 60, s % 60)).collect();
    println!("  {label} : requêtes {by_kind:?} ; mémoire (Mio) : {}", curve.join(" → "));
    let row = format!(
        "| {label} | {minutes} min | {} | {} | {:.1} | {:.1} | {:.1} | {start_rss:.0} → {end_rss:.0} |",
        outcomes.len(),
        errors.len(),
        outcomes.len() as f64 / started.elapsed().as_secs_f64(),
        at(0.5),
        at(0.99)
    );
    println!("  {row}");
    Ok(row)
}

/// Soaks SQLite then PostgreSQL; `EMJPM_SOAK_BASES` (`sqlite`, `postgres`, or
/// both separated by a comma) picks one of them for a shorter session.
pub fn soak(server: &Path, minutes: u64) -> Result<()> {
    let bases = std::env::var("EMJPM_SOAK_BASES").unwrap_or_else(|_| "sqlite,postgres".into());
    let wanted = |base: &str| bases.split(',').any(|b| b.trim() == base);
    anyhow::ensure!(
        wanted("sqlite") || wanted("postgres"),
        "EMJPM_SOAK_BASES : « sqlite », « postgres » ou les deux séparés par une virgule (reçu « {bases} »)"
    );
    let dir = tempfile::tempdir()?;
    let mut rows = Vec::new();
    if wanted("sqlite") {
        rows.push(soak_one(server, "SQLite", &format!("sqlite://{}/soak.db?mode=rwc", dir.path().display()), minutes)?);
    }
    let postgres_up = || TcpStream::connect_timeout(&"127.0.0.1:5432".parse().expect("adresse"), Duration::from_secs(1)).is_ok();
    if wanted("postgres") && postgres_up() {
        let name = format!("emjpm_soak_{}", std::process::id());
        crate::bench::psql(&format!("CREATE DATABASE {name}"))?;
        let row = soak_one(server, "PostgreSQL", &format!("postgres://postgres@127.0.0.1:5432/{name}"), minutes);
        crate::bench::psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        rows.push(row?);
    } else if wanted("postgres") {
        println!("PostgreSQL ne répond pas sur 127.0.0.1:5432 : SQLite seulement");
    }
    println!("| base | durée | requêtes | erreurs | req/s | p50 (ms) | p99 (ms) | mémoire début → fin (Mio) |");
    println!("|---|---|---|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    Ok(())
}
