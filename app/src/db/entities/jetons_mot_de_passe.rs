//! `jetons_mot_de_passe`: single-use password reset tokens (SHA-256 only).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jetons_mot_de_passe")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub jeton_hash: String,
    pub user_id: i32,
    pub created_at: DateTimeWithTimeZone,
    pub expires_at: DateTimeWithTimeZone,
    pub utilise_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
