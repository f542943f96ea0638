//! Forgotten passwords. The page only records the request as typed — the same
//! work and the same answer whether the address has an account or not — and the
//! mail job (`process_requests`) sends the link to active accounts: a random
//! token, stored as SHA-256, valid one hour, usable once. Setting the new
//! password closes every session and forgets the sign-in failures. A new
//! password — from a link or from "Mon compte" — revokes every link of the
//! account not yet used (`revoke_links`): a link asked before the change, maybe
//! by whoever knew the old password, must not undo it.

use crate::accounts::{password, session, sign_in::normalise_email};
use crate::audit::{self, AuditEvent};
use crate::db::entities::{demandes_mot_de_passe, jetons_mot_de_passe, sessions, users};
use crate::errors::AppError;
use crate::notifications::{self, messages};
use crate::rules::password_policy;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

/// How long a link stays valid.
pub const VALIDITE_MINUTES: i64 = 60;
/// At most one mail per account in this time while its link is unused (a repeated
/// click sends nothing more).
const INTERVALLE_MINUTES: i64 = 5;
/// Requests kept from one IP per hour; beyond, they are ignored (same answer).
const DEMANDES_PAR_IP_PAR_HEURE: u64 = 20;

/// Records a request. Nothing here depends on the address having an account.
pub async fn request(db: &DatabaseConnection, email: &str, ip: Option<String>) -> Result<(), AppError> {
    let email = normalise_email(email);
    if email.is_empty() || email.chars().count() > 320 {
        return Ok(());
    }
    let now = Utc::now();
    if let Some(ip) = &ip {
        let recentes = demandes_mot_de_passe::Entity::find()
            .filter(demandes_mot_de_passe::Column::Ip.eq(ip.as_str()))
            .filter(demandes_mot_de_passe::Column::CreatedAt.gt((now - Duration::hours(1)).fixed_offset()))
            .count(db)
            .await?;
        if recentes >= DEMANDES_PAR_IP_PAR_HEURE {
            return Ok(());
        }
    }
    demandes_mot_de_passe::ActiveModel {
        id: NotSet,
        email: Set(email),
        ip: Set(ip),
        created_at: Set(now.fixed_offset()),
        traitee_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The database key of a token.
fn token_hash(token: &str) -> String {
    session::token_id(token)
}

/// Sends the links of the pending requests (run by the mail job before it
/// sends). Returns how many mails were queued.
pub async fn process_requests(db: &DatabaseConnection, base_url: &str, now: DateTime<Utc>) -> Result<usize, sea_orm::DbErr> {
    let pending = demandes_mot_de_passe::Entity::find()
        .filter(demandes_mot_de_passe::Column::TraiteeAt.is_null())
        .order_by_asc(demandes_mot_de_passe::Column::Id)
        .all(db)
        .await?;
    let mut sent = 0;
    for demande in pending {
        let tx = crate::db::begin(db).await?;
        // Claimed by a conditional update: two instances never send it twice.
        let claimed = demandes_mot_de_passe::Entity::update_many()
            .col_expr(demandes_mot_de_passe::Column::TraiteeAt, Expr::value(now.fixed_offset()))
            .filter(demandes_mot_de_passe::Column::Id.eq(demande.id))
            .filter(demandes_mot_de_passe::Column::TraiteeAt.is_null())
            .exec(&tx)
            .await?;
        if claimed.rows_affected == 1 && send_link(&tx, &demande, base_url, now).await? {
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

async fn send_link(
    tx: &impl ConnectionTrait,
    demande: &demandes_mot_de_passe::Model,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<bool, sea_orm::DbErr> {
    let Some(user) = users::Entity::find()
        .filter(users::Column::Email.eq(demande.email.as_str()))
        .filter(users::Column::Active.eq(true))
        .one(tx)
        .await?
    else {
        return Ok(false);
    };
    let recent = jetons_mot_de_passe::Entity::find()
        .filter(jetons_mot_de_passe::Column::UserId.eq(user.id))
        .filter(jetons_mot_de_passe::Column::UtiliseAt.is_null())
        .filter(jetons_mot_de_passe::Column::CreatedAt.gt((now - Duration::minutes(INTERVALLE_MINUTES)).fixed_offset()))
        .count(tx)
        .await?;
    if recent > 0 {
        return Ok(false);
    }
    let lien = issue_link(tx, user.id, Duration::minutes(VALIDITE_MINUTES), base_url, now).await?;
    notifications::enqueue(tx, messages::reinitialisation(&lien, VALIDITE_MINUTES).pour(&user.email)).await?;
    audit::record(
        tx,
        AuditEvent {
            actor_user_id: Some(user.id),
            role: None,
            action: "mot_de_passe_lien_envoye",
            target: Some(("user", user.id.to_string())),
            summary: None,
            ip: demande.ip.clone(),
        },
    )
    .await;
    Ok(true)
}

/// A single-use link that sets the password of `user_id`, valid for `validite`
/// (an hour for a forgotten password, days for an invitation): a random token
/// of which only the SHA-256 is stored.
pub async fn issue_link(
    tx: &impl ConnectionTrait,
    user_id: i32,
    validite: Duration,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<String, sea_orm::DbErr> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    jetons_mot_de_passe::ActiveModel {
        jeton_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        created_at: Set(now.fixed_offset()),
        expires_at: Set((now + validite).fixed_offset()),
        utilise_at: Set(None),
    }
    .insert(tx)
    .await?;
    Ok(format!("{base_url}/mot-de-passe/nouveau?jeton={token}"))
}

/// Why a link no longer opens (the page says the same before anything is typed).
const LIEN_INVALIDE: &str = "Ce lien n'est plus valable : il a déjà servi, a expiré, ou le mot de passe \
                             du compte a été changé depuis qu'il a été demandé. \
                             Demandez-en un nouveau depuis « Mot de passe oublié ».";

/// Removes every link of the account not yet used (those of the current reset
/// included, when it is already marked used): run in the transaction that sets
/// a new password. Returns how many links were revoked.
pub async fn revoke_links(tx: &impl ConnectionTrait, user_id: i32) -> Result<u64, sea_orm::DbErr> {
    let revoked = jetons_mot_de_passe::Entity::delete_many()
        .filter(jetons_mot_de_passe::Column::UserId.eq(user_id))
        .filter(jetons_mot_de_passe::Column::UtiliseAt.is_null())
        .exec(tx)
        .await?;
    Ok(revoked.rows_affected)
}

/// The account a token opens, if it is still valid.
pub async fn valid_token(db: &impl ConnectionTrait, token: &str, now: DateTime<Utc>) -> Result<Option<users::Model>, AppError> {
    let Some(jeton) = jetons_mot_de_passe::Entity::find_by_id(token_hash(token))
        .filter(jetons_mot_de_passe::Column::UtiliseAt.is_null())
        .filter(jetons_mot_de_passe::Column::ExpiresAt.gt(now.fixed_offset()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(users::Entity::find_by_id(jeton.user_id).filter(users::Column::Active.eq(true)).one(db).await?)
}

/// Sets a new password with a token from the mail.
pub async fn reset(db: &DatabaseConnection, token: &str, nouveau: &str, confirmation: &str, ip: Option<String>) -> Result<(), AppError> {
    let now = Utc::now();
    let Some(user) = valid_token(db, token, now).await? else {
        return Err(AppError::Conflit(LIEN_INVALIDE.into()));
    };
    let refus = password_policy::refus_nouveau(nouveau, confirmation, &user.email);
    if !refus.is_empty() {
        return Err(AppError::Champs(refus));
    }
    let hash = password::hash_password(nouveau).map_err(AppError::interne)?;
    let tx = crate::db::begin(db).await?;
    // Used once: of two simultaneous uses, one only updates the row.
    let used = jetons_mot_de_passe::Entity::update_many()
        .col_expr(jetons_mot_de_passe::Column::UtiliseAt, Expr::value(now.fixed_offset()))
        .filter(jetons_mot_de_passe::Column::JetonHash.eq(token_hash(token)))
        .filter(jetons_mot_de_passe::Column::UtiliseAt.is_null())
        .filter(jetons_mot_de_passe::Column::ExpiresAt.gt(now.fixed_offset()))
        .exec(&tx)
        .await?;
    if used.rows_affected != 1 {
        return Err(AppError::Conflit(LIEN_INVALIDE.into()));
    }
    let email = user.email.clone();
    let user_id = user.id;
    let mut row: users::ActiveModel = user.into();
    row.password_hash = Set(hash);
    row.updated_at = Set(now.fixed_offset());
    row.update(&tx).await?;
    // The account's other links (asked twice, or an invitation) no longer serve.
    revoke_links(&tx, user_id).await?;
    sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user_id)).exec(&tx).await?;
    crate::accounts::throttle::forget(&tx, &email).await?;
    audit::record(
        &tx,
        AuditEvent {
            actor_user_id: Some(user_id),
            role: None,
            action: "mot_de_passe_reinitialise",
            target: Some(("user", user_id.to_string())),
            summary: None,
            ip,
        },
    )
    .await;
    tx.commit().await?;
    Ok(())
}

/// Removes requests and tokens older than a day (they no longer serve); returns
/// how many rows.
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    let limite = (now - Duration::days(1)).fixed_offset();
    let demandes =
        demandes_mot_de_passe::Entity::delete_many().filter(demandes_mot_de_passe::Column::CreatedAt.lt(limite)).exec(db).await?;
    let jetons = jetons_mot_de_passe::Entity::delete_many().filter(jetons_mot_de_passe::Column::ExpiresAt.lt(limite)).exec(db).await?;
    Ok(demandes.rows_affected + jetons.rows_affected)
}
