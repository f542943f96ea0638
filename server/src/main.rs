#![recursion_limit = "256"]
//! `emjpm`: the e-MJPM server and its administration commands.
//!
//! Configuration comes from the environment (a `.env` file is read when present);
//! every variable is documented in README.md.

use anyhow::Context;
use app::state::AppState;
use clap::{Parser, Subcommand};
use leptos::config::{Env, LeptosOptions};
use server::{database, http, jobs, mailer, recovery, seed};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "emjpm", version, about = "e-MJPM : trouver un mandataire judiciaire disponible, réserver une mesure")]
struct Cli {
    /// Base de données : sqlite://chemin?mode=rwc ou postgres://utilisateur@hôte/base
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/emjpm.db?mode=rwc", global = true)]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Applique les migrations en attente puis sert l'application.
    Serve {
        /// Adresse d'écoute.
        #[arg(long, env = "EMJPM_ADDR", default_value = "127.0.0.1:3000", value_parser = socket_address)]
        addr: SocketAddr,
        /// Adresse publique du service (liens des courriels ; https active les cookies Secure).
        #[arg(long, env = "EMJPM_BASE_URL")]
        base_url: Option<String>,
        /// Modèle d'URL des tuiles du fond de carte (vide : frontières des départements seules).
        #[arg(long, env = "EMJPM_MAP_TILES_URL")]
        map_tiles_url: Option<String>,
        /// Répertoire des fichiers statiques construits (pkg/, dsfr/).
        #[arg(long, env = "EMJPM_SITE_ROOT", default_value = "target/site")]
        site_root: PathBuf,
        /// Derrière un proxy inverse qui ajoute l'adresse du client à X-Forwarded-For :
        /// cette adresse sert au journal et à la limitation des connexions.
        #[arg(long, env = "EMJPM_TRUST_PROXY")]
        trust_proxy: bool,
        /// Jeton demandé par /metrics (en-tête Authorization: Bearer) ; absent, /metrics est désactivé.
        #[arg(long, env = "EMJPM_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        /// Un compte sans connexion depuis ce nombre de mois est averti par courriel…
        #[arg(long, env = "EMJPM_INACTIVITE_AVERTISSEMENT_MOIS", default_value_t = 6)]
        inactivite_avertissement_mois: u32,
        /// …et désactivé après ce nombre de mois (jamais un administrateur).
        #[arg(long, env = "EMJPM_INACTIVITE_DESACTIVATION_MOIS", default_value_t = 7)]
        inactivite_desactivation_mois: u32,
    },
    /// Applique les migrations en attente.
    Migrate,
    /// Charge (ou met à jour) les régions, départements et communes de référence.
    SeedReference,
    /// Génère des données de démonstration (déterministes pour une graine donnée).
    SeedDemo {
        /// departement:CODE, region:CODE ou france
        #[arg(long)]
        scale: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Importe la liste des tribunaux du ministère de la Justice (CSV nom,code_postal,ville,siret,adresse).
    ImportTribunaux { file: PathBuf },
    /// Recompte les mesures de chaque gestionnaire et antenne et compare avec leurs compteurs
    /// (code de sortie 1 en cas d'écart) ; avec --fix, corrige les écarts.
    VerifyCounters {
        #[arg(long)]
        fix: bool,
    },
}

/// `EMJPM_ADDR` with a French message when it is not an address.
fn socket_address(value: &str) -> Result<SocketAddr, String> {
    value.parse().map_err(|_| format!("« {value} » n'est pas une adresse d'écoute (attendu : IP:port, par exemple 127.0.0.1:3000)"))
}

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("EMJPM_LOG").unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()))
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("erreur : démarrage impossible ({err})");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("erreur : {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let db = database::connect(&cli.database_url).await?;
    match cli.command {
        Command::Serve {
            addr,
            base_url,
            map_tiles_url,
            site_root,
            trust_proxy,
            metrics_token,
            inactivite_avertissement_mois,
            inactivite_desactivation_mois,
        } => {
            let conservation = app::retention::Conservation::default()
                .with_inactivity(inactivite_avertissement_mois, inactivite_desactivation_mois)
                .map_err(anyhow::Error::msg)?;
            let applied = database::migrate(&db).await?;
            if applied > 0 {
                tracing::info!("{applied} migration(s) appliquée(s)");
            }
            // Migrations may create the database; serving never does.
            db.close().await.ok();
            let db = database::connect_with(&cli.database_url, database::Creation::Interdite).await?;
            let tiles = map_tiles_url.filter(|u| !u.trim().is_empty());
            let metrics_token = metrics_token.filter(|t| !t.trim().is_empty());
            let options = Serve { addr, base_url, map_tiles_url: tiles, site_root, trust_proxy, metrics_token, conservation };
            serve(db, &cli.database_url, options).await
        }
        Command::Migrate => {
            let applied = database::migrate(&db).await?;
            println!("{applied} migration(s) appliquée(s).");
            Ok(())
        }
        Command::SeedReference => {
            database::migrate(&db).await?;
            let report = seed::reference::seed_reference(&db).await?;
            println!("{report}");
            Ok(())
        }
        Command::SeedDemo { scale, seed: graine } => {
            let scale: seed::demo::Scale = scale.parse()?;
            database::migrate(&db).await?;
            let report = seed::demo::seed_demo(&db, scale, graine).await?;
            println!("{report}");
            Ok(())
        }
        Command::ImportTribunaux { file } => {
            database::migrate(&db).await?;
            match seed::tribunaux::import_tribunaux(&db, &file).await {
                Ok(report) => {
                    println!("{report}");
                    Ok(())
                }
                Err(err) => anyhow::bail!("{err}"),
            }
        }
        Command::VerifyCounters { fix } => {
            use app::measures::counters;
            let ecarts = counters::verify(&db).await?;
            if ecarts.is_empty() {
                println!("Compteurs exacts : aucun écart avec le recomptage des mesures.");
                return Ok(());
            }
            for ecart in &ecarts {
                println!("{ecart}");
            }
            if fix {
                counters::fix(&db, &ecarts).await?;
                let left = counters::verify(&db).await?;
                println!("{} compteur(s) corrigé(s) ; écarts restants : {}.", ecarts.len(), left.len());
                if left.is_empty() {
                    return Ok(());
                }
            }
            anyhow::bail!("{} écart(s) entre les compteurs et les mesures (relancez avec --fix pour corriger).", ecarts.len())
        }
    }
}

/// What `emjpm serve` was given.
struct Serve {
    addr: SocketAddr,
    base_url: Option<String>,
    map_tiles_url: Option<String>,
    site_root: PathBuf,
    trust_proxy: bool,
    metrics_token: Option<String>,
    conservation: app::retention::Conservation,
}

async fn serve(db: sea_orm::DatabaseConnection, url: &str, options: Serve) -> anyhow::Result<()> {
    let Serve { addr, base_url, map_tiles_url, site_root, trust_proxy, metrics_token, conservation } = options;
    if !site_root.join("pkg").is_dir() {
        tracing::warn!("{} ne contient pas pkg/ : lancez `cargo xtask build --release` pour construire le site", site_root.display());
    }
    // `cargo xtask build` names the build by a hash of its files: the static files
    // are then served under /static/<hash>/ with long-lived cache headers.
    let site_pkg_dir = match std::fs::read_to_string(site_root.join("build-id")) {
        Ok(id) if !id.trim().is_empty() && id.trim().chars().all(|c| c.is_ascii_alphanumeric()) => {
            format!("static/{}/pkg", id.trim())
        }
        _ => "pkg".to_string(),
    };
    let leptos_options = LeptosOptions::builder()
        .output_name("emjpm")
        .site_root(site_root.to_string_lossy().to_string())
        .site_pkg_dir(site_pkg_dir)
        .site_addr(addr)
        .env(Env::PROD)
        .build();
    let secure_cookies = base_url.as_deref().is_some_and(|url| url.starts_with("https://"));
    let mailer = mailer::Mailer::from_env()?;
    let links = base_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let mut context = jobs::Context::new(mailer, links.clone());
    context.conservation = conservation;
    // The application on one pool; built again on a new pool after a SQLite
    // storage fault (`recovery`).
    let build: recovery::Build = std::sync::Arc::new(move |db: sea_orm::DatabaseConnection| {
        let state = AppState {
            db,
            leptos_options: leptos_options.clone(),
            secure_cookies,
            map_tiles_url: map_tiles_url.clone(),
            search_index: Default::default(),
            base_url: links.trim_end_matches('/').to_string(),
            diffusion: Default::default(),
            trust_proxy,
            metrics_token: metrics_token.clone(),
            conservation,
        };
        // Scheduled jobs (mail outbox, expiry of reservations): every instance
        // runs the loop, each job runs on the one that claims it in the database.
        let tasks = vec![
            tokio::spawn(jobs::scheduler(state.db.clone(), context.clone())),
            tokio::spawn(app::realtime::watch(state.db.clone(), state.diffusion.clone())),
        ];
        recovery::Generation { db: state.db.clone(), diffusion: state.diffusion.clone(), router: http::router(state), tasks }
    });
    let application = recovery::Recovering::start(db, url, build);
    let listener =
        tokio::net::TcpListener::bind(addr).await.with_context(|| format!("impossible d'écouter sur {addr} (adresse déjà utilisée ?)"))?;
    println!("e-MJPM écoute sur http://{addr}");
    let stopping = application.clone();
    let served = axum::serve(listener, application.router().into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // The live-update streams end, so that the shutdown need not wait for them.
            stopping.stop().await;
        })
        .await
        .context("arrêt anormal du serveur");
    // A job cut short keeps its lease until it expires; another instance (or the
    // next start) runs it then. A mail sent but not yet marked may go out twice.
    application.stop().await;
    served
}

/// Ctrl-C or SIGTERM: finish the requests in progress, then stop.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
