//! `pourquoi`: the team asked an inactive user why (`rescue::inactifs`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pourquoi")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    /// SHA-256 of the mail's token.
    pub jeton_hash: String,
    pub auteur_user_id: Option<i32>,
    pub created_at: DateTimeWithTimeZone,
    /// A code of `rescue::inactifs::Reponse`, once answered.
    pub reponse: Option<String>,
    /// A few words with "autre".
    #[sea_orm(column_type = "Text")]
    pub precision: String,
    pub repondu_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
