//! `liste_blanche_departements`: the départements where a liste blanche entry is approved.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One (entry, département) approval; `financeur` marks the département that
/// finances an individuel (one per entry).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "liste_blanche_departements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub liste_blanche_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub departement_code: String,
    pub financeur: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::liste_blanche::Entity",
        from = "Column::ListeBlancheId",
        to = "super::liste_blanche::Column::Id",
        on_delete = "Cascade"
    )]
    ListeBlanche,
    #[sea_orm(
        belongs_to = "super::departements::Entity",
        from = "Column::DepartementCode",
        to = "super::departements::Column::Code",
        on_delete = "Restrict"
    )]
    Departements,
}

impl Related<super::liste_blanche::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ListeBlanche.def()
    }
}

impl Related<super::departements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Departements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
