//! `avis_reponses`: the team's answers to an avis, one row per mail sent.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "avis_reponses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub avis_id: i32,
    pub auteur_user_id: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub destinataire: String,
    #[sea_orm(column_type = "Text")]
    pub texte: String,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::avis::Entity", from = "Column::AvisId", to = "super::avis::Column::Id", on_delete = "Cascade")]
    Avis,
}

impl Related<super::avis::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Avis.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
