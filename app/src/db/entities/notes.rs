//! `notes`: judges' private notes on gestionnaires, shared within one tribunal.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A note on a gestionnaire, visible to the magistrats and greffiers of
/// `tribunal_id` only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "notes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub gestionnaire_id: i32,
    pub tribunal_id: i32,
    pub auteur_user_id: i32,
    #[sea_orm(column_type = "Text")]
    pub contenu: String,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::gestionnaires::Entity",
        from = "Column::GestionnaireId",
        to = "super::gestionnaires::Column::Id",
        on_delete = "Cascade"
    )]
    Gestionnaires,
    #[sea_orm(
        belongs_to = "super::tribunaux::Entity",
        from = "Column::TribunalId",
        to = "super::tribunaux::Column::Id",
        on_delete = "Cascade"
    )]
    Tribunaux,
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::AuteurUserId", to = "super::users::Column::Id", on_delete = "Cascade")]
    Auteur,
}

impl Related<super::gestionnaires::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Gestionnaires.def()
    }
}

impl Related<super::tribunaux::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tribunaux.def()
    }
}

/// The author (`auteur_user_id`).
impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Auteur.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
