//! Sends the queued e-mails (`courriels` outbox) over SMTP.
//!
//! Only the background job `envoi-courriels` calls [`send_due`]: a request never
//! waits for the SMTP server, and a server that is down loses nothing (the mail
//! stays queued and is retried with a growing delay). Several instances may
//! run the job at once: each mail is claimed by one conditional UPDATE before
//! being sent, so it goes out once (at least once if an instance dies between
//! the SMTP delivery and the row update).

use anyhow::Context;
use app::db::entities::courriels;
use chrono::{DateTime, Utc};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::time::Duration;

pub const DEFAULT_FROM: &str = "e-MJPM <ne-pas-repondre@emjpm.local>";

/// How long an instance owns a mail it claimed.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(2);

/// Mails handled by one call, at most (the next call takes the rest).
const BATCH: u64 = 100;

/// The SMTP configuration: `EMJPM_SMTP_URL` and `EMJPM_MAIL_FROM`.
#[derive(Clone)]
pub struct Mailer {
    /// None when `EMJPM_SMTP_URL` is unset or empty: mails stay queued.
    pub transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    pub from: Mailbox,
}

impl Mailer {
    /// Reads `EMJPM_SMTP_URL` (`smtp://host:port` without TLS, `smtp://…?tls=required`
    /// for STARTTLS, `smtps://user:pass@host` for TLS) and `EMJPM_MAIL_FROM`.
    pub fn from_env() -> anyhow::Result<Self> {
        let url = std::env::var("EMJPM_SMTP_URL").unwrap_or_default();
        let from = std::env::var("EMJPM_MAIL_FROM").ok().filter(|f| !f.trim().is_empty());
        Self::new(Some(url.as_str()).filter(|u| !u.trim().is_empty()), from.as_deref())
    }

    pub fn new(smtp_url: Option<&str>, from: Option<&str>) -> anyhow::Result<Self> {
        let from = from.unwrap_or(DEFAULT_FROM);
        let from: Mailbox = from.parse().with_context(|| format!("EMJPM_MAIL_FROM : adresse d'expédition invalide « {from} »"))?;
        let transport = match smtp_url {
            Some(url) => Some(transport(url)?),
            None => None,
        };
        Ok(Mailer { transport, from })
    }
}

/// An SMTP transport from an URL (see [`Mailer::from_env`]). Call it inside the
/// Tokio runtime: the connection pool spawns a task.
pub fn transport(url: &str) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .context("EMJPM_SMTP_URL invalide (attendu : smtp://hôte:port, smtp://…?tls=required ou smtps://utilisateur:mot-de-passe@hôte)")?
        .timeout(Some(Duration::from_secs(30)))
        .build())
}

/// What one call to [`send_due`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub envoyes: usize,
    pub echecs: usize,
}

impl Report {
    /// A short French sentence for the jobs table.
    pub fn phrase(&self) -> String {
        match (self.envoyes, self.echecs) {
            (0, 0) => "Aucun courriel à envoyer.".to_string(),
            (n, 0) => format!("{n} courriel(s) envoyé(s)."),
            (n, e) => format!("{n} courriel(s) envoyé(s), {e} échec(s) (nouvel essai plus tard)."),
        }
    }
}

/// The delay before the next attempt after `tentatives` failures: 1, 2, 4, 8…
/// minutes, at most one hour.
pub fn backoff(tentatives: i32) -> chrono::Duration {
    let exponent = tentatives.saturating_sub(1).clamp(0, 6) as u32;
    chrono::Duration::minutes(Ord::min(1i64 << exponent, 60))
}

/// Sends the mails due at `now`, each after claiming it (conditional UPDATE of
/// its lease); failed mails are pushed back by [`backoff`].
pub async fn send_due<T>(db: &impl ConnectionTrait, transport: &T, from: &Mailbox, now: DateTime<Utc>) -> Result<Report, DbErr>
where
    T: AsyncTransport + Sync,
    T::Error: std::fmt::Display,
{
    let at = now.fixed_offset();
    let due = || {
        Condition::all()
            .add(courriels::Column::EnvoyeAt.is_null())
            .add(courriels::Column::EnvoiApres.lte(at))
            .add(Condition::any().add(courriels::Column::ReserveJusqua.is_null()).add(courriels::Column::ReserveJusqua.lt(at)))
    };
    let candidates = courriels::Entity::find()
        .filter(due())
        .order_by_asc(courriels::Column::EnvoiApres)
        .order_by_asc(courriels::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut report = Report::default();
    for courriel in candidates {
        let claimed = courriels::Entity::update_many()
            .col_expr(courriels::Column::ReserveJusqua, Expr::value(at + LEASE))
            .filter(courriels::Column::Id.eq(courriel.id))
            .filter(due())
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue; // another instance owns it, or sent it
        }
        match deliver(transport, from, &courriel).await {
            Ok(()) => {
                courriels::Entity::update_many()
                    .col_expr(courriels::Column::EnvoyeAt, Expr::value(at))
                    .col_expr(courriels::Column::ReserveJusqua, Expr::value(Option::<DateTime<chrono::FixedOffset>>::None))
                    .filter(courriels::Column::Id.eq(courriel.id))
                    .exec(db)
                    .await?;
                report.envoyes += 1;
            }
            Err(erreur) => {
                let tentatives = courriel.tentatives + 1;
                tracing::warn!("courriel {} : envoi impossible (tentative {tentatives}) : {erreur}", courriel.id);
                courriels::Entity::update_many()
                    .col_expr(courriels::Column::Tentatives, Expr::col(courriels::Column::Tentatives).add(1))
                    .col_expr(courriels::Column::EnvoiApres, Expr::value(at + backoff(tentatives)))
                    .col_expr(courriels::Column::DerniereErreur, Expr::value(erreur))
                    .col_expr(courriels::Column::ReserveJusqua, Expr::value(Option::<DateTime<chrono::FixedOffset>>::None))
                    .filter(courriels::Column::Id.eq(courriel.id))
                    .exec(db)
                    .await?;
                report.echecs += 1;
            }
        }
    }
    Ok(report)
}

/// Builds the multipart (text + HTML) message and hands it to the transport.
async fn deliver<T>(transport: &T, from: &Mailbox, courriel: &courriels::Model) -> Result<(), String>
where
    T: AsyncTransport + Sync,
    T::Error: std::fmt::Display,
{
    let to: Mailbox =
        courriel.destinataire.parse().map_err(|e| format!("adresse du destinataire invalide « {} » : {e}", courriel.destinataire))?;
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(courriel.sujet.clone())
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(courriel.texte.clone()))
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(courriel.html.clone())),
        )
        .map_err(|e| format!("message invalide : {e}"))?;
    transport.send(message).await.map(|_| ()).map_err(|e| format!("serveur SMTP : {e}"))
}

/// How many mails wait (the sending job's report).
pub async fn en_attente(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    app::notifications::waiting().count(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let minutes: Vec<i64> = (1..=9).map(|n| backoff(n).num_minutes()).collect();
        assert_eq!(minutes, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(backoff(0).num_minutes(), 1);
        assert_eq!(backoff(i32::MAX).num_minutes(), 60);
    }

    // The pooled transport needs a Tokio runtime (it spawns its pool's task).
    #[tokio::test]
    async fn plain_local_relays_need_no_tls_and_bad_urls_are_refused() {
        assert!(transport("smtp://127.0.0.1:2525").is_ok());
        assert!(transport("smtps://user:pass@smtp.exemple.fr").is_ok());
        assert!(transport("smtp://smtp.exemple.fr:587?tls=required").is_ok());
        assert!(transport("http://exemple.fr").is_err());
        assert!(Mailer::new(None, None).expect("défaut").transport.is_none());
        assert!(Mailer::new(None, Some("pas une adresse")).is_err());
    }
}
