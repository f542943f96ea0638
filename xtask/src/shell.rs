//! Running commands with clear French failures, and timing steps.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The repository root (parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// A `cargo` command (the one running xtask).
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs a command in the foreground; fails with `what` when it fails.
pub fn run(command: &mut Command, what: &str) -> Result<()> {
    println!("→ {what}");
    let status = command.status().with_context(|| format!("impossible de lancer : {what}"))?;
    if !status.success() {
        bail!("{what} ({status})");
    }
    Ok(())
}

/// Runs a command and returns its standard output, or None when it cannot run.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Durations of the steps of a command, printed at the end.
#[derive(Default)]
pub struct Steps(Vec<(String, Duration)>);

impl Steps {
    pub fn time<T>(&mut self, name: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
        let start = Instant::now();
        let result = step();
        self.0.push((name.to_string(), start.elapsed()));
        result
    }

    pub fn print(&self) {
        println!("\nDurées :");
        for (name, duration) in &self.0 {
            println!("  {:>7.1} s  {name}", duration.as_secs_f64());
        }
    }
}
