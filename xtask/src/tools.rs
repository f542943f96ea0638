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

/// rustfmt, for the format check (in rustup's default profile; added if not).
pub fn ensure_rustfmt() -> Result<()> {
    if shell::output(Command::new("cargo").args(["fmt", "--version"])).is_some() {
        return Ok(());
    }
    run(Command::new("rustup").args(["component", "add", "rustfmt"]), "installation de rustfmt (rustup)")
        .context("rustfmt est nécessaire à la vérification du format ; installez-le avec `rustup component add rustfmt`")
}

pub fn ensure_clippy() -> Result<()> {
    if shell::output(Command::new("cargo").args(["clippy", "--version"])).is_some() {
        return Ok(());
    }
    run(Command::new("rustup").args(["component", "add", "clippy"]), "installation de clippy (rustup)")
        .context("clippy est nécessaire au contrôle du code ; installez-le avec `rustup component add clippy`")
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("lecture de Cargo.lock")?;
    version_in_lock(&lock, package)
        .with_context(|| format!("{package} absent de Cargo.lock ; lancez `cargo generate-lockfile` puis relancez"))
}

/// Parses a `[[package]]` entry of a Cargo.lock: `name = "…"` then `version = "…"`.
fn version_in_lock(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            return lines.next().and_then(|l| l.trim().strip_prefix("version = ")).map(|v| v.trim_matches('"').to_string());
        }
    }
    None
}

/// The version printed by `wasm-bindgen --version` (`wasm-bindgen 0.2.130`).
fn cli_version(output: &str) -> Option<&str> {
    output.split_whitespace().nth(1)
}

/// The wasm-bindgen CLI matching the `wasm-bindgen` crate of Cargo.lock
/// (a different version produces a bundle that fails in the browser).
pub fn ensure_wasm_bindgen() -> Result<PathBuf> {
    let version = locked_version("wasm-bindgen")?;
    let candidates = [home_cargo_bin("wasm-bindgen"), PathBuf::from("wasm-bindgen")];
    for candidate in &candidates {
        if let Some(out) = shell::output(Command::new(candidate).arg("--version")) {
            if cli_version(&out) == Some(version.as_str()) {
                return Ok(candidate.clone());
            }
        }
    }
    // `--locked` fails for this crate (a pinned dependency left the registry).
    run(
        shell::cargo().args(["install", "wasm-bindgen-cli", "--version", &version]),
        &format!("installation de wasm-bindgen-cli {version} (quelques minutes, une seule fois)"),
    )
    .with_context(|| {
        format!("wasm-bindgen {version} est nécessaire ; vérifiez l'accès à crates.io ou lancez : cargo install wasm-bindgen-cli --version {version}")
    })?;
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

/// aiosmtpd, the SMTP server the notification tests deliver to (PyPI; pinned).
pub const AIOSMTPD: &str = "aiosmtpd==1.4.6";

/// A Python virtualenv with aiosmtpd under `target/venv-smtp`, created on first
/// use; returns the absolute path of its `python`.
pub fn ensure_aiosmtpd() -> Result<PathBuf> {
    let venv = root().join("target").join("venv-smtp");
    let python = venv.join("bin").join("python");
    let wanted = AIOSMTPD.split_once("==").map(|(_, v)| v).unwrap_or_default();
    let installed = || {
        shell::output(Command::new(&python).args(["-c", "import aiosmtpd; print(aiosmtpd.__version__)"]))
            .is_some_and(|out| out.trim() == wanted)
    };
    if python.exists() && installed() {
        return Ok(python);
    }
    if !python.exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv), "création du virtualenv Python target/venv-smtp")
            .context("Python 3 et son module venv sont nécessaires aux tests des courriels (Debian : apt-get install -y python3-venv)")?;
    }
    run(
        Command::new(&python).args(["-m", "pip", "install", "-q", "--disable-pip-version-check", AIOSMTPD]),
        &format!("installation de {AIOSMTPD} (serveur SMTP de test, PyPI)"),
    )?;
    Ok(python)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.130"
"#;

    #[test]
    fn reads_the_exact_package_of_the_lock() {
        assert_eq!(version_in_lock(LOCK, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(version_in_lock(LOCK, "wasm-bindgen-macro"), None);
    }

    #[test]
    fn the_workspace_lock_pins_wasm_bindgen() {
        let version = locked_version("wasm-bindgen").expect("wasm-bindgen dans Cargo.lock");
        assert!(version.starts_with("0.2."), "{version}");
    }

    #[test]
    fn reads_the_cli_version() {
        assert_eq!(cli_version("wasm-bindgen 0.2.130\n"), Some("0.2.130"));
        assert_eq!(cli_version(""), None);
    }
}
