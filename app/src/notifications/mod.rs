//! E-mail notifications, queued in the database (the `courriels` outbox).
//!
//! An action that notifies someone calls [`enqueue`] inside its own transaction:
//! if the action rolls back, nothing is sent. The server's background loop
//! (`server::mailer`) sends queued mails later, on whichever instance claims them
//! first, and retries with a growing delay when the SMTP server is down — a
//! request never waits for the SMTP server.

pub mod messages;

use crate::db::entities::courriels;
use sea_orm::{ActiveModelTrait, NotSet, Set};

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
