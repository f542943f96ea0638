//! E-mail notifications, queued in the database (the `courriels` outbox).
//!
//! An action that notifies someone calls [`enqueue`] inside its own transaction:
//! if the action rolls back, nothing is sent. The server's background loop
//! (`server::mailer`) sends queued mails later, on whichever instance claims them
//! first, and retries with a growing delay when the SMTP server is down — a
//! request never waits for the SMTP server.

pub mod messages;

/// The scheduled job that sends the outbox (run by the server; its last result
/// is shown to administrators).
pub const TACHE_ENVOI_COURRIELS: &str = "envoi-courriels";

use crate::db::entities::courriels;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder, Set};

/// One e-mail to send: French text and its HTML version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Courriel {
    pub destinataire: String,
    pub sujet: String,
    pub texte: String,
    pub html: String,
}

/// Queues a mail. A plain insert, meant to run inside the caller's transaction.
pub async fn enqueue(db: &impl sea_orm::ConnectionTrait, courriel: Courriel) -> Result<(), sea_orm::DbErr> {
    let now = chrono::Utc::now().fixed_offset();
    courriels::ActiveModel {
        id: NotSet,
        destinataire: Set(courriel.destinataire),
        sujet: Set(courriel.sujet),
        texte: Set(courriel.texte),
        html: Set(courriel.html),
        created_at: Set(now),
        envoi_apres: Set(now),
        tentatives: Set(0),
        envoye_at: Set(None),
        derniere_erreur: Set(None),
        reserve_jusqua: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Queues `message` for every active member of a gestionnaire (the individuel or
/// préposé, or each member of a service); returns their addresses.
pub async fn to_members(
    db: &impl sea_orm::ConnectionTrait,
    gestionnaire_id: i32,
    message: &messages::Message,
) -> Result<Vec<String>, sea_orm::DbErr> {
    use crate::db::entities::{gestionnaire_membres, users};
    use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait};
    let mut emails: Vec<String> = users::Entity::find()
        .select_only()
        .column(users::Column::Email)
        .join(JoinType::InnerJoin, users::Relation::GestionnaireMembres.def())
        .filter(gestionnaire_membres::Column::GestionnaireId.eq(gestionnaire_id))
        .filter(users::Column::Active.eq(true))
        .order_by_asc(users::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    emails.dedup();
    for email in &emails {
        enqueue(db, message.pour(email)).await?;
    }
    Ok(emails)
}

/// Queues `message` for one user when the account is active and the address is
/// not among `already` (told by another message of the same event).
pub async fn to_user(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    message: &messages::Message,
    already: &[String],
) -> Result<(), sea_orm::DbErr> {
    use crate::db::entities::users;
    use sea_orm::EntityTrait;
    if let Some(user) = users::Entity::find_by_id(user_id).one(db).await? {
        if user.active && !already.contains(&user.email) {
            enqueue(db, message.pour(&user.email)).await?;
        }
    }
    Ok(())
}

/// The mails not sent yet: the one definition of the queue, for the
/// administrators' page, `/metrics` and the sending job's report.
pub fn waiting() -> sea_orm::Select<courriels::Entity> {
    courriels::Entity::find().filter(courriels::Column::EnvoyeAt.is_null())
}

/// How many mails wait, and when the oldest of them was queued.
pub async fn queue(db: &impl sea_orm::ConnectionTrait) -> Result<(u64, Option<chrono::DateTime<chrono::FixedOffset>>), sea_orm::DbErr> {
    let length = waiting().count(db).await?;
    let oldest = waiting().order_by_asc(courriels::Column::CreatedAt).one(db).await?.map(|mail| mail.created_at);
    Ok((length, oldest))
}
