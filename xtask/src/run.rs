//! `cargo xtask run`: build, prepare the demo SQLite database once, serve.

use crate::build::build;
use crate::shell::{root, run as run_command};
use anyhow::{bail, Context, Result};
use std::process::Command;

pub const DEMO_ACCOUNTS: [(&str, &str); 8] = [
    ("admin@demo.emjpm.local", "administrateur"),
    ("magistrat.lille@demo.emjpm.local", "magistrat, tribunal judiciaire de Lille"),
    ("greffier.lille@demo.emjpm.local", "greffier, tribunal judiciaire de Lille"),
    ("individuel@demo.emjpm.local", "mandataire individuel (Nord)"),
    ("prepose@demo.emjpm.local", "mandataire préposé d'établissement (Nord)"),
    ("service@demo.emjpm.local", "service mandataire à deux antennes (Nord)"),
    ("direction.59@demo.emjpm.local", "DDETS du Nord"),
    ("direction.hdf@demo.emjpm.local", "DREETS Hauts-de-France"),
];

const DEMO_SCALE: &str = "region:32";

pub fn run() -> Result<()> {
    let addr = std::env::var("EMJPM_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    if std::net::TcpListener::bind(&addr).is_err() {
        bail!("l'adresse {addr} est déjà utilisée (un autre e-MJPM tourne ?) ; arrêtez-le ou choisissez-en une autre : EMJPM_ADDR=127.0.0.1:3001 cargo xtask run");
    }
    let built = build(true)?;
    let root = root();
    let custom_database = std::env::var("DATABASE_URL").ok();
    let database_url = custom_database.clone().unwrap_or_else(|| "sqlite://data/emjpm.db?mode=rwc".into());
    let emjpm = |args: &[&str]| {
        let mut command = Command::new(&built.server);
        command.args(args).env("DATABASE_URL", &database_url).current_dir(&root);
        command
    };
    // The default database is prepared once; a marker records a complete seeding
    // (an interrupted one, or a deleted database file, is redone from a fresh file).
    // `serve` applies pending migrations itself, so an older database still starts.
    let data = root.join("data");
    let marker = data.join(format!(".demo-{}", DEMO_SCALE.replace(':', "-")));
    if custom_database.is_none() && !(marker.exists() && data.join("emjpm.db").exists()) {
        std::fs::create_dir_all(&data).context("création de data/ impossible (droits d'écriture ?)")?;
        let _ = std::fs::remove_file(&marker);
        for file in ["emjpm.db", "emjpm.db-wal", "emjpm.db-shm"] {
            let _ = std::fs::remove_file(data.join(file));
        }
        run_command(&mut emjpm(&["migrate"]), "migrations")?;
        run_command(&mut emjpm(&["seed-reference"]), "données de référence (communes, départements, régions)")?;
        run_command(&mut emjpm(&["seed-demo", "--scale", DEMO_SCALE, "--seed", "1"]), "données de démonstration (Hauts-de-France)")?;
        std::fs::write(&marker, "ok\n")?;
    } else if custom_database.is_some() {
        println!(
            "DATABASE_URL est défini : base utilisée telle quelle (pour la remplir : emjpm seed-reference puis emjpm seed-demo --scale {DEMO_SCALE} --seed 1)."
        );
    }
    println!("\ne-MJPM : http://{addr}\n\nComptes de démonstration (mot de passe : demo-emjpm) :");
    for (email, role) in DEMO_ACCOUNTS {
        println!("  {email:<36} {role}");
    }
    println!(
        "\nL'administrateur demande aussi un code : ajoutez la clé EMJPMDEMOEMJPMDEMOEMJPMDEMOEMJPM à une application\n\
         d'authentification (ou `oathtool --totp -b EMJPMDEMOEMJPMDEMOEMJPMDEMOEMJPM`). Une base de démonstration\n\
         plus ancienne fait choisir une clé à sa première connexion."
    );
    println!("\nCtrl-C pour arrêter.\n");
    let mut serve = emjpm(&["serve"]);
    serve.env("EMJPM_SITE_ROOT", &built.site);
    foreground(serve)
}

/// Hands the terminal over to the server: on Unix the process is replaced, so
/// Ctrl-C reaches the server alone and stops it cleanly.
#[cfg(unix)]
fn foreground(mut command: Command) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let err = command.exec();
    Err(err).context("impossible de lancer le serveur e-MJPM (target/release/emjpm)")
}

#[cfg(not(unix))]
fn foreground(mut command: Command) -> Result<()> {
    run_command(&mut command, "serveur e-MJPM")
}
