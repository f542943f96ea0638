//! The tools a fresh machine lacks, installed on first use: the wasm32 target,
//! the wasm-bindgen CLI at the exact version of Cargo.lock, npm packages, and
//! Debian's Chromium for the browser tests.

use crate::shell::{self, root, run};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn ensure_wasm_target() -> Result<()> {
    let installed = shell::output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]), "installation de la cible wasm32 (rustup)")
        .context("la cible wasm32-unknown-unknown est nécessaire ; installez rustup (https://rustup.rs)")
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("lecture de Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"") {
            if let Some(version) = lines.next().and_then(|l| l.trim().strip_prefix("version = ")) {
                return Ok(version.trim_matches('"').to_string());
            }
        }
    }
    bail!("{package} absent de Cargo.lock")
}

/// The wasm-bindgen CLI matching the `wasm-bindgen` crate of Cargo.lock
/// (a different version produces a bundle that fails in the browser).
pub fn ensure_wasm_bindgen() -> Result<PathBuf> {
    let version = locked_version("wasm-bindgen")?;
    let candidates = [home_cargo_bin("wasm-bindgen"), PathBuf::from("wasm-bindgen")];
    for candidate in &candidates {
        if let Some(out) = shell::output(Command::new(candidate).arg("--version")) {
            if out.split_whitespace().nth(1) == Some(version.as_str()) {
                return Ok(candidate.clone());
            }
        }
    }
    // `--locked` fails for this crate (a pinned dependency left the registry).
    run(
        shell::cargo().args(["install", "wasm-bindgen-cli", "--version", &version]),
        &format!("installation de wasm-bindgen-cli {version} (quelques minutes, une seule fois)"),
    )?;
    Ok(home_cargo_bin("wasm-bindgen"))
}

fn home_cargo_bin(name: &str) -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    cargo_home.join("bin").join(name)
}

/// `npm ci` in `dir` when its packages are missing or older than its lock file.
/// Install scripts are not run (the DSFR's refuses to install outside its own
/// project layout; nothing we use needs them).
pub fn npm_install(dir: &Path) -> Result<()> {
    let lock = dir.join("package-lock.json");
    let marker = dir.join("node_modules").join(".package-lock.json");
    let fresh = match (std::fs::metadata(&lock).and_then(|m| m.modified()), std::fs::metadata(&marker).and_then(|m| m.modified())) {
        (Ok(lock), Ok(installed)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    if shell::output(Command::new("npm").arg("--version")).is_none() {
        bail!("npm est introuvable : installez Node.js ≥ 20 avec npm");
    }
    run(
        Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(dir),
        &format!("npm ci dans {}", dir.strip_prefix(root()).unwrap_or(dir).display()),
    )
}

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Debian's Chromium for the browser tests (never a downloaded browser).
pub fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    let root_user = shell::output(Command::new("id").arg("-u")).map(|u| u.trim() == "0").unwrap_or(false);
    if !root_user {
        bail!("Chromium est nécessaire aux tests navigateur ; lancez : sudo apt-get install -y chromium chromium-driver");
    }
    run(Command::new("apt-get").args(["update", "-q"]), "apt-get update")?;
    run(
        Command::new("apt-get").args(["install", "-y", "-q", "chromium", "chromium-driver"]).env("DEBIAN_FRONTEND", "noninteractive"),
        "installation de Chromium (Debian)",
    )
}
