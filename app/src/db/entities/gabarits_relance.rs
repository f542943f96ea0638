//! `gabarits_relance`: the team's mail template for one reason (`rescue`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gabarits_relance")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub raison: String,
    pub sujet: String,
    #[sea_orm(column_type = "Text")]
    pub texte: String,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
