//! `directions`: the territory of each State agent (national, régional, départemental).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A direction user's scope: `region_code` / `departement_code` are set
/// according to `kind`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "directions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    /// national | regional | departemental
    #[sea_orm(column_name = "type")]
    pub kind: String,
    pub region_code: Option<String>,
    pub departement_code: Option<String>,
    /// e.g. "DDETS du Nord"
    pub structure: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id", on_delete = "Cascade")]
    Users,
    #[sea_orm(
        belongs_to = "super::regions::Entity",
        from = "Column::RegionCode",
        to = "super::regions::Column::Code",
        on_delete = "Restrict"
    )]
    Regions,
    #[sea_orm(
        belongs_to = "super::departements::Entity",
        from = "Column::DepartementCode",
        to = "super::departements::Column::Code",
        on_delete = "Restrict"
    )]
    Departements,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::regions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Regions.def()
    }
}

impl Related<super::departements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Departements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
