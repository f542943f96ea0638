//! `courriels`: the outbox of e-mail notifications (see `notifications`).

use sea_orm::entity::prelude::*;

/// One e-mail, queued in the transaction of the action that causes it and sent
/// later by the background loop of whichever server instance claims it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "courriels")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub destinataire: String,
    #[sea_orm(column_type = "Text")]
    pub sujet: String,
    /// Plain-text part.
    #[sea_orm(column_type = "Text")]
    pub texte: String,
    /// HTML part.
    #[sea_orm(column_type = "Text")]
    pub html: String,
    pub created_at: DateTimeWithTimeZone,
    /// Next attempt not before this time.
    pub envoi_apres: DateTimeWithTimeZone,
    /// Failed attempts so far.
    pub tentatives: i32,
    pub envoye_at: Option<DateTimeWithTimeZone>,
    #[sea_orm(column_type = "Text", nullable)]
    pub derniere_erreur: Option<String>,
    /// Claimed by one instance until this time (lease).
    pub reserve_jusqua: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
