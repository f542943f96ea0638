//! "Se connecter en tant que": an administrator helps a user by seeing and
//! doing what that user sees and does. It needs a reason, lasts 30 minutes,
//! never targets an administrator, shows a banner on every page, and is
//! audited at its start and its end; every event recorded meanwhile names the
//! administrator as its real actor (`audit_events.real_actor_user_id`). The
//! administrator's own session is closed at the start and a new one opened at
//! the end, so one browser holds one session at a time. Passwords are not
//! changed during it.

use crate::accounts::guard::Caller;
use crate::audit::{record, AuditEvent};
use crate::db::entities::{sessions, users};
use crate::errors::AppError;
use crate::rules::roles::Role;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// How long a session "en tant que" lasts.
pub const DUREE_MINUTES: i64 = 30;
pub const MOTIF_MAX: usize = 300;

/// Where a request comes from.
pub struct Origine {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Opens a session as `user_id` for the calling administrator and closes the
/// administrator's own (`token`). Returns the new session's token and the
/// user's home.
pub async fn start(
    db: &DatabaseConnection,
    caller: &Caller,
    token: &str,
    user_id: i32,
    motif: &str,
    origine: Origine,
) -> Result<(String, &'static str), AppError> {
    caller.require(&Role::ADMIN)?;
    if caller.incarnation.is_some() {
        return Err(AppError::Interdit);
    }
    let motif = motif.trim();
    if motif.is_empty() {
        return Err(AppError::Conflit("Indiquez pourquoi vous vous connectez en tant que cette personne : c'est obligatoire.".into()));
    }
    if motif.chars().count() > MOTIF_MAX {
        return Err(AppError::Conflit(format!("Le motif compte au plus {MOTIF_MAX} caractères.")));
    }
    let user = users::Entity::find_by_id(user_id).one(db).await?.ok_or(AppError::Introuvable)?;
    let role = Role::parse(&user.role).ok_or_else(|| AppError::interne(format!("rôle inconnu « {} »", user.role)))?;
    if role == Role::Admin {
        return Err(AppError::Conflit("On ne se connecte jamais en tant qu'un autre administrateur.".into()));
    }
    if !user.active {
        return Err(AppError::Conflit("Ce compte n'est pas actif : on ne peut pas se connecter en tant que lui.".into()));
    }
    let tx = crate::db::begin(db).await?;
    sessions::Entity::delete_by_id(crate::accounts::session::token_id(token)).exec(&tx).await?;
    let new_token = crate::accounts::session::open_as(
        &tx,
        user.id,
        caller.user_id,
        motif,
        chrono::Duration::minutes(DUREE_MINUTES),
        origine.ip.clone(),
        origine.user_agent,
    )
    .await?;
    let event = AuditEvent::by(caller, "incarnation.debut")
        .target("user", user.id)
        .summary(format!("en tant que {} <{}> pour {DUREE_MINUTES} min : {motif}", role.as_str(), user.email))
        .ip(origine.ip);
    record(&tx, event).await;
    tx.commit().await?;
    Ok((new_token, role.home_path()))
}

/// Ends a session "en tant que" (`token`) and opens the administrator's own again.
pub async fn end(db: &DatabaseConnection, caller: &Caller, token: &str, origine: Origine) -> Result<String, AppError> {
    let Some(incarnation) = &caller.incarnation else {
        return Err(AppError::Conflit("Vous n'êtes pas connecté en tant qu'une autre personne.".into()));
    };
    let tx = crate::db::begin(db).await?;
    sessions::Entity::delete_many().filter(sessions::Column::Id.eq(crate::accounts::session::token_id(token))).exec(&tx).await?;
    record(
        &tx,
        AuditEvent {
            actor_user_id: Some(incarnation.admin_user_id),
            role: Some(Role::Admin.as_str()),
            action: "incarnation.fin",
            target: Some(("user", caller.user_id.to_string())),
            summary: Some(format!("fin de la connexion en tant que {}", caller.email)),
            ip: origine.ip.clone(),
        },
    )
    .await;
    tx.commit().await?;
    crate::accounts::session::open(db, incarnation.admin_user_id, origine.ip, origine.user_agent).await
}

/// Records the end of every session "en tant que" that simply ran out (nobody
/// pressed "Revenir…") and removes it; run by the hourly security purge. Each
/// one is taken by its DELETE, so two servers never record the same end.
pub async fn close_expired(db: &DatabaseConnection, now: chrono::DateTime<chrono::Utc>) -> Result<u64, sea_orm::DbErr> {
    let expired = sessions::Entity::find()
        .filter(sessions::Column::IncarnePar.is_not_null())
        .filter(sessions::Column::ExpiresAt.lt(now.fixed_offset()))
        .all(db)
        .await?;
    let mut closed = 0;
    for session in expired {
        let tx = crate::db::begin(db).await?;
        if sessions::Entity::delete_by_id(session.id.clone()).exec(&tx).await?.rows_affected == 1 {
            let email = users::Entity::find_by_id(session.user_id).one(&tx).await?.map(|u| u.email).unwrap_or_default();
            let fin = crate::rules::heure::a_paris(&session.expires_at);
            record(
                &tx,
                AuditEvent {
                    actor_user_id: session.incarne_par,
                    role: Some(Role::Admin.as_str()),
                    action: "incarnation.fin",
                    target: Some(("user", session.user_id.to_string())),
                    summary: Some(format!("connexion en tant que {email} arrivée à son terme le {}", fin.format("%d/%m/%Y à %H:%M"))),
                    ip: None,
                },
            )
            .await;
            closed += 1;
        }
        tx.commit().await?;
    }
    Ok(closed)
}
