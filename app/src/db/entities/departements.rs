//! `departements`: the départements, each in one région.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A département, keyed by its INSEE code (e.g. "59", "2A", "971").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "departements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub nom: String,
    pub region_code: String,
    /// INSEE code of the chef-lieu commune (deliberately not a foreign key).
    pub chef_lieu: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::regions::Entity",
        from = "Column::RegionCode",
        to = "super::regions::Column::Code",
        on_delete = "Restrict"
    )]
    Regions,
    #[sea_orm(has_many = "super::communes::Entity")]
    Communes,
}

impl Related<super::regions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Regions.def()
    }
}

impl Related<super::communes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Communes.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
