//! `gestionnaire_tribunaux`: the tribunaux a gestionnaire declared it works with.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One (gestionnaire, tribunal) pair.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "gestionnaire_tribunaux")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub gestionnaire_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub tribunal_id: i32,
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

impl ActiveModelBehavior for ActiveModel {}
