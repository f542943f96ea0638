//! The sign-in throttle's database side. Each failed sign-in is a row of
//! `echecs_connexion`; before a password is checked, the recent failures of the
//! address and of the IP decide (`rules::throttle`) whether it may be. Rows live
//! in the database, so every server process applies the same limits.

use crate::db::entities::{echecs_connexion, users};
use crate::errors::AppError;
use crate::notifications::{self, messages};
use crate::rules::throttle::{self, Decision, Limites};
use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// Ages in seconds of the most recent failures matching `column = value` since
/// `depuis`, most recent first (no more than a decision needs).
async fn ages(
    db: &impl ConnectionTrait,
    column: echecs_connexion::Column,
    value: &str,
    depuis: DateTime<FixedOffset>,
    limites: &Limites,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    let dates: Vec<DateTime<FixedOffset>> = echecs_connexion::Entity::find()
        .select_only()
        .column(echecs_connexion::Column::At)
        .filter(column.eq(value))
        .filter(echecs_connexion::Column::At.gt(depuis))
        .order_by_desc(echecs_connexion::Column::At)
        .limit(limites.verrouiller_des as u64)
        .into_tuple()
        .all(db)
        .await?;
    Ok(dates.into_iter().map(|at| (now - at.with_timezone(&Utc)).num_seconds().max(0)).collect())
}

/// Whether a sign-in for `email` from `ip` may be checked now. `oubli_avant`: the
/// account's last successful sign-in (earlier failures are forgotten).
pub async fn decide(
    db: &impl ConnectionTrait,
    email: &str,
    ip: Option<&str>,
    oubli_avant: Option<DateTime<FixedOffset>>,
) -> Result<Decision, AppError> {
    let now = Utc::now();
    let fenetre = (now - chrono::Duration::seconds(throttle::FENETRE_SECONDES)).fixed_offset();
    let depuis = oubli_avant.map_or(fenetre, |succes| succes.max(fenetre));
    let par_adresse = ages(db, echecs_connexion::Column::Email, email, depuis, &throttle::PAR_ADRESSE, now).await?;
    let mut decision = throttle::decide(&throttle::PAR_ADRESSE, &par_adresse);
    if let Some(ip) = ip {
        let par_ip = ages(db, echecs_connexion::Column::Ip, ip, fenetre, &throttle::PAR_IP, now).await?;
        decision = decision.la_plus_stricte(throttle::decide(&throttle::PAR_IP, &par_ip));
    }
    Ok(decision)
}

/// Records a failed sign-in. When it is the one that locks an existing account,
/// the active administrators are told by e-mail (once per lock).
pub async fn record_failure(
    db: &impl ConnectionTrait,
    email: &str,
    ip: Option<&str>,
    compte: Option<&users::Model>,
    base_url: &str,
) -> Result<(), AppError> {
    let now = Utc::now();
    echecs_connexion::ActiveModel {
        id: NotSet,
        email: Set(email.chars().take(320).collect()),
        ip: Set(ip.map(str::to_string)),
        at: Set(now.fixed_offset()),
    }
    .insert(db)
    .await?;
    let Some(compte) = compte else { return Ok(()) };
    let fenetre = (now - chrono::Duration::seconds(throttle::FENETRE_SECONDES)).fixed_offset();
    let depuis = compte.last_login_at.map_or(fenetre, |succes| succes.max(fenetre));
    let limites = Limites { verrouiller_des: throttle::PAR_ADRESSE.verrouiller_des + 1, ..throttle::PAR_ADRESSE };
    let recents = ages(db, echecs_connexion::Column::Email, email, depuis, &limites, now).await?;
    if recents.len() == throttle::PAR_ADRESSE.verrouiller_des {
        let message = messages::verrouillage(email, ip.unwrap_or("inconnue"), &format!("{base_url}/admin"));
        let admins: Vec<users::Model> = users::Entity::find()
            .filter(users::Column::Role.eq("admin"))
            .filter(users::Column::Active.eq(true))
            .all(db)
            .await?;
        for admin in admins {
            notifications::enqueue(db, message.pour(&admin.email)).await?;
        }
    }
    Ok(())
}

/// Removes failures older than the throttle's window (they no longer count);
/// returns how many.
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    let limite = (now - chrono::Duration::seconds(throttle::FENETRE_SECONDES)).fixed_offset();
    let removed = echecs_connexion::Entity::delete_many()
        .filter(echecs_connexion::Column::At.lt(limite))
        .exec(db)
        .await?;
    Ok(removed.rows_affected)
}
