//! `jobs`: the state of each scheduled job, shared by every server instance.

use sea_orm::entity::prelude::*;

/// A scheduled job. An instance runs it only after claiming this row (conditional
/// UPDATE of `reserve_jusqua` and `prochaine_execution`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub nom: String,
    pub prochaine_execution: DateTimeWithTimeZone,
    pub derniere_execution: Option<DateTimeWithTimeZone>,
    /// A short French sentence.
    #[sea_orm(column_type = "Text", nullable)]
    pub dernier_resultat: Option<String>,
    pub dernier_succes: Option<bool>,
    /// Claimed by one instance until this time (lease).
    pub reserve_jusqua: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
