//! `liste_blanche_etablissements`: the établissements a liste blanche entry (préposé) is approved for.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One (entry, établissement) approval.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "liste_blanche_etablissements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub liste_blanche_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub etablissement_id: i32,
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
        belongs_to = "super::etablissements::Entity",
        from = "Column::EtablissementId",
        to = "super::etablissements::Column::Id",
        on_delete = "Cascade"
    )]
    Etablissements,
}

impl Related<super::liste_blanche::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ListeBlanche.def()
    }
}

impl Related<super::etablissements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Etablissements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
