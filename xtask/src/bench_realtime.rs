//! `cargo xtask bench realtime`: how many open pages one `emjpm serve` holds
//! and how fast a change reaches them all. Opens N event streams
//! (`GET /api/v1/evenements`, as N open pages do), makes one reservation, and
//! times until every stream has its event; reads the process's memory
//! (VmRSS) before and with the streams open. SQLite demo data of the Nord.

use crate::bench_search::{login, seed_nord, serve};
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// The resident memory of process `pid`, in MiB (Linux).
pub(crate) fn rss_mib(pid: u32) -> Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).context("lecture de /proc (Linux seulement)")?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("VmRSS absent")?;
    Ok(kib / 1024.0)
}

/// One open page: its event stream, past the response headers.
fn open_stream(port: u16, cookie: &str) -> Result<BufReader<TcpStream>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).context("ouverture d'un flux (limite de fichiers ouverts ? ulimit -n)")?;
    write!(stream, "GET /api/v1/evenements HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n")?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status)?;
    if !status.contains(" 200 ") {
        bail!("flux refusé : {status}");
    }
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            return Ok(reader);
        }
    }
}

/// Reads a stream until its `changement` event.
fn wait_event(reader: &mut BufReader<TcpStream>) -> Result<()> {
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            bail!("flux fermé avant l'événement");
        }
        if line.contains("event: changement") {
            return Ok(());
        }
    }
}

/// A reservation by the demo judge (the change every page must hear of).
fn reserve(port: u16, cookie: &str, rg: &str) -> Result<()> {
    let body = format!(r#"{{"gestionnaire_id":1,"numero_rg":"{rg}","civilite":"madame","annee_naissance":1950,"nature":"tutelle"}}"#);
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        stream,
        "POST /api/v1/mesures HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    if !answer.starts_with("HTTP/1.1 201") {
        bail!("réservation refusée : {}", answer.lines().next().unwrap_or_default());
    }
    Ok(())
}

pub fn realtime(server: &Path) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    seed_nord(server, &url)?;
    let (served, port) = serve(server, &url)?;
    let pid = served.0.id();
    let cookie = login(port)?;
    println!("pages ouvertes | mémoire du serveur avant / avec les flux (Mio) | 1er événement (ms) | tous les événements (ms)");
    for (round, pages) in [1_000usize, 2_000, 5_000].into_iter().enumerate() {
        let before = rss_mib(pid)?;
        let mut streams = Vec::with_capacity(pages);
        for _ in 0..pages {
            streams.push(open_stream(port, &cookie)?);
        }
        std::thread::sleep(Duration::from_secs(1));
        let with = rss_mib(pid)?;
        let start = Instant::now();
        reserve(port, &cookie, &format!("BENCH{round:03}"))?;
        let mut first = None;
        for stream in &mut streams {
            wait_event(stream)?;
            first.get_or_insert_with(|| start.elapsed());
        }
        let all = start.elapsed();
        println!(
            "{pages} | {before:.1} / {with:.1} | {:.0} | {:.0}",
            first.unwrap_or_default().as_secs_f64() * 1000.0,
            all.as_secs_f64() * 1000.0
        );
        drop(streams);
        std::thread::sleep(Duration::from_secs(1));
    }
    Ok(())
}
