//! `regions`: the French régions (INSEE code and name).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A région, keyed by its INSEE code (e.g. "32").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "regions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub nom: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::departements::Entity")]
    Departements,
}

impl Related<super::departements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Departements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
