//! `demandes_mot_de_passe`: "forgotten password" requests as typed, processed by
//! the mail job (`accounts::password_reset`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "demandes_mot_de_passe")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// As typed (trimmed, lower-case), known account or not.
    pub email: String,
    pub ip: Option<String>,
    pub created_at: DateTimeWithTimeZone,
    pub traitee_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
