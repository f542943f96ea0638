//! `relances`: a nudge to a user to rescue (`rescue`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "relances")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    /// A code of `rescue::Raison`.
    pub raison: String,
    /// `courriel` or `traite`.
    pub mode: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub auteur_user_id: Option<i32>,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
