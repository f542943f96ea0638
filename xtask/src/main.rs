//! `cargo xtask <commande>`: build, run and test e-MJPM with nothing but the Rust
//! toolchain, Node.js/npm and the package registries.
//!
//! The site is built by hand (no cargo-leptos): the server with cargo, the browser
//! bundle for wasm32 with its own profile, wasm-bindgen at the exact version of
//! Cargo.lock, wasm-opt from npm `binaryen`, and the DSFR, Leaflet and the map's
//! boundaries from npm packages.

mod bench;
mod bench_console;
mod bench_page;
mod bench_realtime;
mod bench_search;
mod bench_soak;
mod bench_stats;
mod build;
mod reference_data;
mod run;
mod shell;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage : cargo xtask <commande>

  build [--release]        construit le serveur et le site (wasm, CSS, DSFR, carte)
  run                      construit, prépare la base SQLite de démonstration et sert sur http://127.0.0.1:3000
  test [--no-e2e | --only-e2e]
                           tests unitaires et d'intégration (SQLite et PostgreSQL) puis tests navigateur
  bench [NOM]              mesures de performance (résultats dans docs/benchmarks.md)
  reference-data           régénère server/reference/ depuis les paquets npm";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    // A mistyped option (`--relase`) must not silently change what is built.
    let allowed: &[&str] = match args.first().map(String::as_str) {
        Some("build") => &["--release"],
        Some("test") => &["--no-e2e", "--only-e2e"],
        _ => &[],
    };
    if let Some(unknown) = args.iter().skip(1).find(|a| a.starts_with('-') && !allowed.contains(&a.as_str())) {
        eprintln!("échec : option inconnue {unknown}\n\n{USAGE}");
        return ExitCode::FAILURE;
    }
    if flag("--no-e2e") && flag("--only-e2e") {
        eprintln!("échec : --no-e2e et --only-e2e s'excluent ; choisissez-en une");
        return ExitCode::FAILURE;
    }
    let result = match args.first().map(String::as_str) {
        Some("build") => build::build(flag("--release")).map(|_| ()),
        Some("run") => run::run(),
        Some("test") => test::test(test::Options { e2e: !flag("--no-e2e"), unit: !flag("--only-e2e") }),
        Some("bench") => bench::bench(&args[1..]),
        Some("reference-data") => reference_data::regenerate(&shell::root()),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("commande inconnue : {other}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\néchec : {err:#}");
            ExitCode::FAILURE
        }
    }
}
