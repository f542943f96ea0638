//! Changing one's password when signed in: the current one is checked (through
//! the sign-in throttle: a stolen session cannot guess it at leisure), the new
//! one follows `rules::password_policy`; on success the account's other
//! sessions are closed, every reset link not yet used is revoked (one asked
//! before the change must not undo it) and the user is told by e-mail.

use crate::accounts::guard::Caller;
use crate::accounts::{password, password_reset, session, throttle};
use crate::audit::AuditEvent;
use crate::db::entities::{sessions, users};
use crate::errors::AppError;
use crate::notifications::{self, messages};
use crate::rules::password_policy;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

pub struct DemandeMotDePasse {
    pub actuel: String,
    pub nouveau: String,
    pub confirmation: String,
}

/// Where the request comes from: its session (kept open) and IP.
pub struct Contexte<'a> {
    pub token: &'a str,
    pub ip: Option<String>,
    pub base_url: &'a str,
}

fn champ(field: &str, message: impl Into<String>) -> AppError {
    AppError::Champs(vec![(field.to_string(), message.into())])
}

pub async fn change(db: &DatabaseConnection, caller: &Caller, demande: &DemandeMotDePasse, contexte: Contexte<'_>) -> Result<(), AppError> {
    let user = users::Entity::find_by_id(caller.user_id).one(db).await?.ok_or(AppError::NonConnecte)?;
    // Counted before the check, like a sign-in (slowed down, never blocking).
    let tentative = match throttle::tenter_verification(db, &user.email, contexte.ip.as_deref()).await? {
        Ok(tentative) => tentative,
        Err(decision) => return Err(champ("actuel", decision.message().unwrap_or_default())),
    };
    if !password::verify_password(&demande.actuel, &user.password_hash) {
        return Err(champ("actuel", "Mot de passe actuel incorrect."));
    }
    tentative.mot_de_passe_juste(db).await?;
    let mut refus = password_policy::refus_nouveau(&demande.nouveau, &demande.confirmation, &user.email);
    if demande.nouveau == demande.actuel && refus.iter().all(|(champ, _)| champ != "nouveau") {
        refus.insert(0, ("nouveau".to_string(), "Le nouveau mot de passe doit être différent de l'actuel.".to_string()));
    }
    if !refus.is_empty() {
        return Err(AppError::Champs(refus));
    }
    let hash = password::hash_password(&demande.nouveau).map_err(AppError::interne)?;
    let tx = crate::db::begin(db).await?;
    let email = user.email.clone();
    let mut row: users::ActiveModel = user.into();
    row.password_hash = Set(hash);
    row.updated_at = Set(chrono::Utc::now().fixed_offset());
    row.update(&tx).await?;
    let autres = sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(caller.user_id))
        .filter(sessions::Column::Id.ne(session::token_id(contexte.token)))
        .exec(&tx)
        .await?
        .rows_affected;
    let liens = password_reset::revoke_links(&tx, caller.user_id).await?;
    notifications::enqueue(&tx, messages::mot_de_passe_change(&format!("{}/compte", contexte.base_url)).pour(&email)).await?;
    AuditEvent::by(caller, "mot_de_passe_change")
        .target("user", caller.user_id)
        .summary(format!(
            "{}, {}",
            crate::rules::texte::compte(autres as i64, "autre session fermée", "autres sessions fermées"),
            crate::rules::texte::compte(liens as i64, "lien de réinitialisation annulé", "liens de réinitialisation annulés")
        ))
        .ip(contexte.ip)
        .record(&tx)
        .await;
    tx.commit().await?;
    Ok(())
}
