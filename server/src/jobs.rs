//! Scheduled jobs, safe with several `emjpm serve` processes on one database.
//!
//! Every instance runs the same loop; a job runs on the instance that claims its
//! row in `jobs` first, through one conditional UPDATE that both takes a lease
//! (`reserve_jusqua`) and moves `prochaine_execution` one interval ahead. The
//! server keeps no state of its own: stopping an instance in the middle of a job
//! only delays the job until its lease expires.

use crate::mailer::{self, Mailer};
use app::db::entities::jobs;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often each instance looks for a job to run.
pub const TICK: Duration = Duration::from_secs(2);

pub const ENVOI_COURRIELS: &str = app::notifications::TACHE_ENVOI_COURRIELS;
pub const EXPIRATION_RESERVATIONS: &str = "expiration-reservations";
pub const PURGE_SECURITE: &str = "purge-securite";
pub const CONSERVATION_DONNEES: &str = "conservation-donnees";
pub const RAPPEL_INVITATIONS: &str = "rappel-invitations";
pub const STATISTIQUES_PUBLIQUES: &str = "statistiques-publiques";

/// A job's schedule.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    pub nom: &'static str,
    pub intervalle: chrono::Duration,
    /// How long a claiming instance owns the job (longer than a run).
    pub bail: chrono::Duration,
}

pub const JOBS: [Job; 6] = [
    Job { nom: ENVOI_COURRIELS, intervalle: chrono::Duration::seconds(10), bail: chrono::Duration::minutes(5) },
    Job { nom: EXPIRATION_RESERVATIONS, intervalle: chrono::Duration::hours(1), bail: chrono::Duration::minutes(30) },
    Job { nom: CONSERVATION_DONNEES, intervalle: chrono::Duration::hours(24), bail: chrono::Duration::hours(1) },
    Job { nom: PURGE_SECURITE, intervalle: chrono::Duration::hours(1), bail: chrono::Duration::minutes(30) },
    Job { nom: RAPPEL_INVITATIONS, intervalle: chrono::Duration::hours(1), bail: chrono::Duration::minutes(30) },
    // The public impact page's figures, once a day (and at once on a new database).
    Job { nom: STATISTIQUES_PUBLIQUES, intervalle: chrono::Duration::hours(24), bail: chrono::Duration::minutes(30) },
];

/// Claims `job` at `now`: true when this instance must run it. Creates the row on
/// first use (due at once); a concurrent instance creating it too is ignored.
pub async fn claim(db: &impl ConnectionTrait, job: &Job, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let at = now.fixed_offset();
    jobs::Entity::insert(jobs::ActiveModel {
        nom: Set(job.nom.to_string()),
        prochaine_execution: Set(at),
        derniere_execution: Set(None),
        dernier_resultat: Set(None),
        dernier_succes: Set(None),
        reserve_jusqua: Set(None),
    })
    .on_conflict(OnConflict::column(jobs::Column::Nom).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    let claimed = jobs::Entity::update_many()
        .col_expr(jobs::Column::ReserveJusqua, Expr::value(at + job.bail))
        .col_expr(jobs::Column::ProchaineExecution, Expr::value(at + job.intervalle))
        .filter(jobs::Column::Nom.eq(job.nom))
        .filter(jobs::Column::ProchaineExecution.lte(at))
        .filter(Condition::any().add(jobs::Column::ReserveJusqua.is_null()).add(jobs::Column::ReserveJusqua.lt(at)))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Records the outcome of a run and releases the lease.
pub async fn finish(db: &impl ConnectionTrait, nom: &str, started: DateTime<Utc>, result: &Result<String, String>) -> Result<(), DbErr> {
    let (phrase, succes) = match result {
        Ok(phrase) => (phrase.clone(), true),
        Err(erreur) => (erreur.clone(), false),
    };
    jobs::Entity::update_many()
        .col_expr(jobs::Column::DerniereExecution, Expr::value(started.fixed_offset()))
        .col_expr(jobs::Column::DernierResultat, Expr::value(phrase))
        .col_expr(jobs::Column::DernierSucces, Expr::value(succes))
        .col_expr(jobs::Column::ReserveJusqua, Expr::value(Option::<DateTime<chrono::FixedOffset>>::None))
        .filter(jobs::Column::Nom.eq(nom))
        .exec(db)
        .await?;
    Ok(())
}

/// What the jobs need besides the database.
#[derive(Clone)]
pub struct Context {
    pub mailer: Mailer,
    /// The site's public address, for links in mails (no trailing slash).
    pub base_url: String,
    /// Retention durations for the `conservation-donnees` job.
    pub conservation: app::retention::Conservation,
    /// The "mails stay queued" warning is logged once per process.
    smtp_warned: Arc<AtomicBool>,
}

impl Context {
    pub fn new(mailer: Mailer, base_url: String) -> Self {
        Context {
            mailer,
            base_url: base_url.trim_end_matches('/').to_string(),
            conservation: Default::default(),
            smtp_warned: Arc::default(),
        }
    }
}

/// Runs one job now (after it was claimed); a short French sentence either way.
pub async fn run_job(db: &DatabaseConnection, nom: &str, context: &Context, now: DateTime<Utc>) -> Result<String, String> {
    match nom {
        ENVOI_COURRIELS => {
            // Forgotten-password requests become mails first, then go out in this pass.
            let liens = app::accounts::password_reset::process_requests(db, &context.base_url, now)
                .await
                .map_err(|e| format!("Erreur de base de données : {e}"))?;
            let envoi = match &context.mailer.transport {
                Some(transport) => mailer::send_due(db, transport, &context.mailer.from, now)
                    .await
                    .map(|report| report.phrase())
                    .map_err(|e| format!("Erreur de base de données : {e}")),
                None => {
                    if !context.smtp_warned.swap(true, Ordering::Relaxed) {
                        tracing::warn!("EMJPM_SMTP_URL n'est pas défini : les courriels restent en file d'attente sans être envoyés");
                    }
                    // Not a success: nothing was sent (the administrators' page says it in red).
                    let n = mailer::en_attente(db).await.map_err(|e| format!("Erreur de base de données : {e}"))?;
                    Err(format!("Envoi désactivé (EMJPM_SMTP_URL non défini) : {n} courriel(s) en attente, aucun envoyé."))
                }
            };
            envoi.map(|phrase| match liens {
                0 => phrase,
                n => format!("{n} lien(s) de nouveau mot de passe préparé(s). {phrase}"),
            })
        }
        EXPIRATION_RESERVATIONS => app::measures::expiry::expire_pending(db, now, &context.base_url)
            .await
            .map(|bilan| match bilan.expirees {
                0 => "Aucune réservation à expirer.".to_string(),
                n => format!("{n} réservation(s) expirée(s)."),
            })
            .map_err(|e| format!("Erreur de base de données : {e}")),
        PURGE_SECURITE => {
            let echecs = app::accounts::throttle::purge(db, now).await.map_err(|e| format!("Erreur de base de données : {e}"))?;
            let liens = app::accounts::password_reset::purge(db, now).await.map_err(|e| format!("Erreur de base de données : {e}"))?;
            let attentes = app::accounts::second_facteur::purge(db, now).await.map_err(|e| format!("Erreur de base de données : {e}"))?;
            let incarnations =
                app::accounts::incarnation::close_expired(db, now).await.map_err(|e| format!("Erreur de base de données : {e}"))?;
            Ok(format!(
                "{echecs} échec(s) de connexion de plus de 30 minutes, {liens} demande(s) ou lien(s) de mot de passe de plus d'un jour, \
                 {attentes} connexion(s) en attente de code expirée(s) supprimé(s) ; {incarnations} connexion(s) « en tant que » \
                 arrivée(s) à leur terme journalisée(s)."
            ))
        }
        CONSERVATION_DONNEES => app::retention::run(db, &context.conservation, now, &context.base_url)
            .await
            .map(|bilan| bilan.phrase())
            .map_err(|e| format!("Erreur de base de données : {e}")),
        RAPPEL_INVITATIONS => app::invitations::service::rappeler(db, &context.base_url, now)
            .await
            .map(|n| match n {
                0 => "Aucune invitation à rappeler.".to_string(),
                n => format!("{n} rappel(s) d'invitation envoyé(s)."),
            })
            .map_err(|e| e.to_string()),
        STATISTIQUES_PUBLIQUES => app::statistiques::service::enregistrer(db, now)
            .await
            .map(|s| {
                format!(
                    "Chiffres publics recalculés ({} départements ouverts ou en pilote).",
                    s.departements_ouverts.len() + s.departements_pilotes.len()
                )
            })
            .map_err(|e| e.to_string()),
        other => Err(format!("Tâche inconnue : {other}")),
    }
}

/// One pass: claims and runs every due job.
pub async fn tick(db: &DatabaseConnection, context: &Context) {
    for job in &JOBS {
        let now = Utc::now();
        match claim(db, job, now).await {
            Ok(true) => {
                let result = run_job(db, job.nom, context, now).await;
                app::observability::record_job(job.nom, result.is_err());
                // (Sending disabled was said once already: not at every pass.)
                let disabled = job.nom == ENVOI_COURRIELS && context.mailer.transport.is_none();
                match &result {
                    Err(erreur) if !disabled => tracing::error!("tâche {} : {erreur}", job.nom),
                    _ => {}
                }
                if let Err(e) = finish(db, job.nom, now, &result).await {
                    tracing::error!("tâche {} : résultat non enregistré ({e})", job.nom);
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!("tâche {} : réservation impossible ({e})", job.nom),
        }
    }
}

/// The scheduler loop of `emjpm serve`; it runs until its task is aborted.
pub async fn scheduler(db: DatabaseConnection, context: Context) {
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        tick(&db, &context).await;
    }
}
