//! `deploiements`: a département's rollout state (`rollout`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deploiements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub departement_code: String,
    /// A code of `rollout::ETATS`.
    pub etat: String,
    /// The wave ("Hauts-de-France", "Île-de-France — rentrée").
    pub vague: Option<String>,
    pub date_prevue: Option<Date>,
    pub date_ouverture: Option<Date>,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
