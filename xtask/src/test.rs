//! `cargo xtask test`: unit and integration tests on SQLite and PostgreSQL, then
//! the browser tests (end2end/, Playwright in Debian's Chromium) against the
//! development build serving a fresh demo database. The release build (LTO, size-
//! optimised wasm) takes longer than every test together on 2 cores; it is the one
//! `cargo xtask run` and the benchmarks use, and CI must stay under 30 minutes.

use crate::build::build;
use crate::shell::{self, root, run, Steps};
use crate::tools;
use anyhow::{bail, Context, Result};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Options {
    pub unit: bool,
    pub e2e: bool,
}

const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn test(options: Options) -> Result<()> {
    let mut steps = Steps::default();
    let result = steps_of(options, &mut steps);
    // Durations are printed whatever happens: a slow failing step is worth seeing.
    steps.print();
    result
}

/// Clippy with every warning an error, on the server crates (tests included)
/// and on the browser's code compiled for wasm32: the lints the workspace sets
/// (Cargo.toml `[workspace.lints]`: no `unwrap` outside tests…) plus clippy's
/// default groups. Two runs because `app` must never see `ssr` and `hydrate`
/// together.
fn clippy() -> Result<()> {
    tools::ensure_clippy()?;
    tools::ensure_wasm_target()?;
    let server = ["clippy", "-p", "app", "-p", "server", "-p", "migrations", "-p", "xtask", "--features", "app/ssr", "--all-targets"];
    let browser = ["clippy", "-p", "frontend", "-p", "app", "--features", "app/hydrate", "--target", tools::WASM_TARGET];
    for (args, label) in [(&server[..], "clippy (serveur)"), (&browser[..], "clippy (navigateur, wasm32)")] {
        run(shell::cargo().args(args).args(["--", "-D", "warnings"]), label)
            .context("clippy signale des avertissements : corrigez-les (ou `cargo clippy --fix`) puis relancez `cargo xtask test`")?;
    }
    Ok(())
}

fn steps_of(options: Options, steps: &mut Steps) -> Result<()> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if options.unit {
        // The wall before the tests: the code is formatted as rustfmt.toml says.
        steps.time("format (cargo fmt --check)", || {
            tools::ensure_rustfmt()?;
            run(shell::cargo().args(["fmt", "--all", "--check"]), "vérification du format")
                .context("le code n'est pas formaté : lancez `cargo fmt --all` puis relancez `cargo xtask test`")
        })?;
        steps.time("lints (cargo clippy -D warnings)", clippy)?;
        let postgres = steps.time("détection de PostgreSQL", || postgres_url(ci))?;
        // The notification tests deliver mails to a real SMTP server (aiosmtpd).
        let aiosmtpd = steps.time("aiosmtpd (serveur SMTP de test)", tools::ensure_aiosmtpd)?;
        let with_postgres = |command: &mut Command| {
            command.env("EMJPM_TEST_AIOSMTPD", &aiosmtpd);
            if let Some(url) = &postgres {
                command.env("EMJPM_TEST_POSTGRES_URL", url);
            }
            if ci {
                command.env("EMJPM_TEST_REQUIRE_POSTGRES", "1");
            }
        };
        // One crate at a time: `app` must never see `ssr` and `hydrate` together.
        for (label, args) in [
            ("tests app (règles, pages côté serveur)", vec!["test", "-p", "app", "--features", "ssr"]),
            ("tests migrations", vec!["test", "-p", "migrations"]),
            ("tests serveur (intégration SQLite + PostgreSQL)", vec!["test", "-p", "server"]),
            ("tests xtask", vec!["test", "-p", "xtask"]),
        ] {
            steps.time(label, || {
                let mut cargo = shell::cargo();
                cargo.args(&args);
                with_postgres(&mut cargo);
                run(&mut cargo, label).context("corrigez les tests en échec ci-dessus puis relancez `cargo xtask test`")
            })?;
        }
    }
    if options.e2e {
        // `EMJPM_E2E_RELEASE=1` runs them against the release build instead (the
        // one `cargo xtask run` serves: wasm-opt and the split into parts as shipped).
        let release = std::env::var("EMJPM_E2E_RELEASE").is_ok_and(|v| v == "1");
        let label = if release { "construction (release)" } else { "construction (profil de développement)" };
        let built = steps.time(label, || build(release))?;
        steps.time("Chromium (Debian)", tools::ensure_chromium)?;
        let end2end = root().join("end2end");
        steps.time("npm (Playwright)", || tools::npm_install(&end2end))?;
        // Mails of the browser tests go to a real SMTP server too.
        let python = steps.time("aiosmtpd (serveur SMTP de test)", tools::ensure_aiosmtpd)?;
        steps.time("tests navigateur", || browser_tests(&built.server, &built.site, &python))?;
    }
    Ok(())
}

/// The PostgreSQL the integration tests use: `EMJPM_TEST_POSTGRES_URL`, else a
/// server answering on 127.0.0.1:5432. Under CI a missing PostgreSQL fails.
fn postgres_url(ci: bool) -> Result<Option<String>> {
    if let Ok(url) = std::env::var("EMJPM_TEST_POSTGRES_URL") {
        if !url.is_empty() {
            drop_leftover_test_databases(&url);
            return Ok(Some(url));
        }
    }
    let address: SocketAddr = "127.0.0.1:5432".parse()?;
    if TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok() {
        drop_leftover_test_databases(DEFAULT_POSTGRES);
        println!("PostgreSQL trouvé sur 127.0.0.1:5432 : les tests d'intégration tournent aussi sur PostgreSQL.");
        return Ok(Some(DEFAULT_POSTGRES.to_string()));
    }
    if ci {
        bail!(
            "PostgreSQL est exigé sous CI=true : aucun serveur ne répond sur 127.0.0.1:5432 et EMJPM_TEST_POSTGRES_URL n'est pas défini ; \
             démarrez PostgreSQL (pg_ctlcluster 15 main start) ou définissez EMJPM_TEST_POSTGRES_URL=postgres://utilisateur@hôte:port/base"
        );
    }
    println!("PostgreSQL absent : tests d'intégration sur SQLite seulement (définissez EMJPM_TEST_POSTGRES_URL pour PostgreSQL).");
    Ok(None)
}

/// Test databases left by interrupted runs (`emjpm_t_<pid>_…`), dropped through
/// `psql` when it is installed (skipped otherwise: the tests name theirs
/// uniquely). Only those whose test process is gone: another run on the same
/// server (a second checkout, a developer's `cargo test`) keeps its own.
fn drop_leftover_test_databases(url: &str) {
    let psql = |sql: &str| shell::output(Command::new("psql").args(["-At", "-d", url, "-c", sql]).stdin(Stdio::null()));
    if let Some(names) = psql(r"SELECT datname FROM pg_database WHERE datname LIKE 'emjpm\_t\_%'") {
        let alive = |pid: u32| std::path::Path::new(&format!("/proc/{pid}")).exists();
        let names: Vec<&str> = names.lines().map(str::trim).filter(|n| is_leftover(n, alive)).collect();
        for name in &names {
            psql(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
        if !names.is_empty() {
            println!("{} base(s) de test abandonnée(s) supprimée(s).", names.len());
        }
    }
}

/// A test database (`emjpm_t_<pid>_<n>_<nanos>`) whose process is not `alive`.
/// A name whose process cannot be read is left alone.
fn is_leftover(name: &str, alive: impl Fn(u32) -> bool) -> bool {
    let pid = name.strip_prefix("emjpm_t_").and_then(|rest| rest.split('_').next()).and_then(|pid| pid.parse::<u32>().ok());
    pid.is_some_and(|pid| !alive(pid))
}

/// Kills the server when the browser tests end, whatever happens.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn browser_tests(server: &std::path::Path, site: &std::path::Path, python: &std::path::Path) -> Result<()> {
    let dir = tempfile::tempdir()?;
    // A local SMTP server that keeps every mail in a maildir the tests read.
    let maildir = dir.path().join("courriels");
    let smtp_port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let smtp = Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{smtp_port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("démarrage du serveur SMTP de test (aiosmtpd)")?;
    let _smtp = Server(smtp);
    let database_url = format!("sqlite://{}/e2e.db?mode=rwc", dir.path().display());
    let emjpm = |args: &[&str]| {
        let mut command = Command::new(server);
        command.args(args).env("DATABASE_URL", &database_url).current_dir(root());
        command
    };
    run(&mut emjpm(&["migrate"]), "migrations (base des tests navigateur)")?;
    run(&mut emjpm(&["seed-reference"]), "données de référence")?;
    run(&mut emjpm(&["seed-demo", "--scale", "departement:59", "--seed", "1"]), "données de démonstration (Nord)")?;
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base_url = format!("http://127.0.0.1:{port}");
    let log_path = dir.path().join("serveur.log");
    let log = std::fs::File::create(&log_path)?;
    let child = emjpm(&["serve"])
        .env("EMJPM_ADDR", format!("127.0.0.1:{port}"))
        .env("EMJPM_BASE_URL", &base_url)
        .env("EMJPM_SITE_ROOT", site)
        .env("EMJPM_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("démarrage du serveur de test")?;
    let _server = Server(child);
    wait_ready(port).map_err(|err| {
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        err.context(format!("le serveur n'est pas prêt ; son journal :\n{log}"))
    })?;
    // While developing, `EMJPM_E2E_FICHIERS="inscription compte"` runs only
    // the spec files whose names contain those words (Playwright's filters).
    let only: Vec<String> = std::env::var("EMJPM_E2E_FICHIERS").unwrap_or_default().split_whitespace().map(str::to_string).collect();
    let resultats = dir.path().join("resultats.json");
    let result = run(
        Command::new("npx")
            .args(["playwright", "test"])
            .args(&only)
            .env("E2E_RESULTATS", &resultats)
            .env("BASE_URL", &base_url)
            .env("E2E_MAILDIR", &maildir)
            .env("E2E_PYTHON", python)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(root().join("end2end"))
            .stdin(Stdio::null()),
        "tests navigateur (Playwright, Chromium)",
    );
    if result.is_err() {
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        eprintln!("Fin du journal du serveur :\n{}", tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
    }
    // The failed and flaky tests, last: CI shows only the end of the output,
    // where the server's journal would otherwise hide Playwright's summary.
    let bilan =
        std::fs::read_to_string(&resultats).ok().and_then(|json| serde_json::from_str(&json).ok()).map(|json| bilan_navigateur(&json));
    if let Some(bilan) = bilan.filter(|b| !b.is_empty()) {
        eprintln!("Tests navigateur à regarder :\n{}", bilan.join("\n"));
    }
    result
}

/// A terminal line without its colour sequences (`ESC [ … m`).
fn sans_couleurs(ligne: &str) -> String {
    let mut out = String::new();
    let mut chars = ligne.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out
}

/// One line per browser test that failed or passed only on a retry, from
/// Playwright's JSON report: file:line, project, title, first error line.
fn bilan_navigateur(rapport: &serde_json::Value) -> Vec<String> {
    fn suites<'a>(suite: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
        for spec in suite["specs"].as_array().into_iter().flatten() {
            out.push(spec);
        }
        for inner in suite["suites"].as_array().into_iter().flatten() {
            suites(inner, out);
        }
    }
    let mut specs = Vec::new();
    for suite in rapport["suites"].as_array().into_iter().flatten() {
        suites(suite, &mut specs);
    }
    let mut out = Vec::new();
    for spec in specs {
        for test in spec["tests"].as_array().into_iter().flatten() {
            let etat = match test["status"].as_str() {
                Some("unexpected") => "ÉCHEC",
                Some("flaky") => "instable (réussi au nouvel essai)",
                _ => continue,
            };
            let erreur = test["results"]
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|r| r["error"]["message"].as_str())
                .and_then(|m| m.lines().find(|l| !l.trim().is_empty()))
                .unwrap_or("")
                .to_string();
            out.push(format!(
                "  {etat} : {}:{} [{}] {} — {}",
                spec["file"].as_str().unwrap_or("?"),
                spec["line"].as_u64().unwrap_or(0),
                test["projectName"].as_str().unwrap_or("?"),
                spec["title"].as_str().unwrap_or("?"),
                sans_couleurs(&erreur).chars().take(300).collect::<String>()
            ));
        }
    }
    out
}

/// Waits until `GET /readyz` answers 200.
fn wait_ready(port: u16) -> Result<()> {
    use std::io::{Read, Write};
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let request = format!("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
            if stream.write_all(request.as_bytes()).is_ok() {
                let mut answer = String::new();
                let _ = stream.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.1 200") {
                    return Ok(());
                }
            }
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    bail!("/readyz ne répond pas 200 après 60 s")
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_databases_of_finished_runs_are_leftovers() {
        let alive = |pid: u32| pid == 4242;
        assert!(super::is_leftover("emjpm_t_1234_3_99", alive));
        assert!(!super::is_leftover("emjpm_t_4242_3_99", alive), "a run still going keeps its databases");
        assert!(!super::is_leftover("emjpm_t_x_3_99", alive));
        assert!(!super::is_leftover("emjpm", alive));
    }

    #[test]
    fn the_browser_summary_names_failed_and_flaky_tests_with_their_first_error_line() {
        let rapport = serde_json::json!({"suites": [{"file": "a.spec.ts", "specs": [], "suites": [{"specs": [
            {"title": "réserve", "file": "a.spec.ts", "line": 12, "tests": [
                {"projectName": "bureau-js", "status": "expected", "results": [{}]},
                {"projectName": "telephone-js", "status": "unexpected",
                 "results": [{"error": {"message": "\u{1b}[31mexpect(locator).toBeVisible()\u{1b}[39m failed\n\nLocator: x"}}]},
                {"projectName": "bureau-sans-js", "status": "flaky", "results": [{"error": {"message": "Timeout 30000ms"}}, {}]}
            ]}
        ]}]}]});
        assert_eq!(
            super::bilan_navigateur(&rapport),
            vec![
                "  ÉCHEC : a.spec.ts:12 [telephone-js] réserve — expect(locator).toBeVisible() failed".to_string(),
                "  instable (réussi au nouvel essai) : a.spec.ts:12 [bureau-sans-js] réserve — Timeout 30000ms".to_string(),
            ]
        );
    }
}
