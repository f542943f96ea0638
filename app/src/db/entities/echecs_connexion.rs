//! `echecs_connexion`: failed sign-ins, read by the sign-in throttle
//! (`accounts::throttle`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "echecs_connexion")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The address as typed (trimmed, lower-case), known account or not.
    pub email: String,
    pub ip: Option<String>,
    pub at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
