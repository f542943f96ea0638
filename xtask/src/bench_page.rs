//! `cargo xtask bench page`: the judge's search page as a phone sees it on its
//! first visit — Lighthouse 12 (mobile, Debian Chromium) performance and
//! accessibility scores, and the weight of everything the page loads (HTML, CSS,
//! JavaScript, wasm, map data; fonts excluded), compressed as served.
//! Runs on a fresh `departement:59` demo database in `target/bench/page.db`.

use crate::bench_search::{login, wait_for_port, Server};
use crate::shell::{root, run};
use crate::tools;
use anyhow::{bail, Context, Result};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};

/// The judge's search near Lille: list, map and filters.
const PAGE: &str = "/tribunal/recherche?lieu=Lille+%2859000%29&commune=59350";

pub fn page(server: &Path) -> Result<()> {
    tools::ensure_chromium()?;
    let lighthouse_dir = root().join("xtask/lighthouse");
    tools::npm_install(&lighthouse_dir)?;
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("page.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let url = format!("sqlite://{}?mode=rwc", db.display());
    for args in [&["migrate"][..], &["seed-reference"], &["seed-demo", "--scale", "departement:59", "--seed", "1"]] {
        run(Command::new(server).args(args).env("DATABASE_URL", &url), &format!("emjpm {}", args.join(" ")))?;
    }
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let _server = Server(
        Command::new(server)
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("EMJPM_ADDR", format!("127.0.0.1:{port}"))
            .env("EMJPM_LOG", "warn")
            .env("EMJPM_SITE_ROOT", root().join("target/site"))
            .stdout(Stdio::null())
            .spawn()?,
    );
    wait_for_port(port)?;
    let cookie = login(port)?;
    let headers = dir.join("lighthouse-headers.json");
    std::fs::write(&headers, serde_json::json!({ "Cookie": cookie }).to_string())?;
    let report = dir.join("lighthouse.json");
    run(
        Command::new("node")
            .arg(lighthouse_dir.join("node_modules/lighthouse/cli/index.js"))
            .arg(format!("http://127.0.0.1:{port}{PAGE}"))
            .args([
                "--quiet",
                "--form-factor=mobile",
                "--only-categories=performance,accessibility",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                "--output=json",
            ])
            .arg(format!("--extra-headers={}", headers.display()))
            .arg(format!("--output-path={}", report.display()))
            .env("CHROME_PATH", "/usr/bin/chromium"),
        "Lighthouse (mobile)",
    )?;
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report)?).context("rapport Lighthouse illisible")?;
    if let Some(error) = report["runtimeError"]["message"].as_str() {
        bail!("Lighthouse : {error}");
    }
    let final_url = report["finalDisplayedUrl"].as_str().unwrap_or_default();
    if !final_url.contains("/tribunal/recherche") {
        bail!("Lighthouse a mesuré {final_url} au lieu de la page de recherche (session refusée ?)");
    }
    let score = |category: &str| report["categories"][category]["score"].as_f64().map(|s| (s * 100.0).round());
    println!("\nPage : {PAGE} (Lighthouse {}, mobile)", report["lighthouseVersion"].as_str().unwrap_or("?"));
    println!("  performance    : {}", score("performance").map_or("?".into(), |s| s.to_string()));
    println!("  accessibilité  : {}", score("accessibility").map_or("?".into(), |s| s.to_string()));
    for audit in ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"] {
        println!("  {audit:<26} {}", report["audits"][audit]["displayValue"].as_str().unwrap_or("?"));
    }
    let failed: Vec<&str> = report["categories"]["accessibility"]["auditRefs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .filter(|id| report["audits"][id]["score"].as_f64().is_some_and(|s| s < 1.0))
        .collect();
    if !failed.is_empty() {
        println!("  accessibilité, audits en échec : {}", failed.join(", "));
    }
    // Weight of the first load as transferred (compressed), fonts excluded.
    let requests = report["audits"]["network-requests"]["details"]["items"].as_array().context("requêtes absentes du rapport")?;
    let (mut total, mut fonts) = (0u64, 0u64);
    println!("\n  | ressource | type | transféré (octets) |\n  |---|---|---|");
    for r in requests {
        let size = r["transferSize"].as_u64().unwrap_or(0);
        let kind = r["resourceType"].as_str().unwrap_or("?");
        let path = r["url"].as_str().unwrap_or("?").split(&format!("127.0.0.1:{port}")).last().unwrap_or("?");
        if kind == "Font" {
            fonts += size;
        } else {
            total += size;
        }
        println!("  | {path} | {kind} | {size} |");
    }
    println!(
        "\n  Premier chargement, polices exclues : {total} octets transférés ({:.0} Ko) ; polices : {fonts} octets",
        total as f64 / 1024.0
    );
    Ok(())
}
