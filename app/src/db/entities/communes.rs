//! `communes`: the communes (INSEE code, names, postal codes, population, point).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A commune, keyed by its INSEE code.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "communes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub nom: String,
    /// Lower-case, accent-free name with "saint" spelled out (autocomplete key).
    pub nom_recherche: String,
    pub departement_code: String,
    /// The commune's postal codes, as loaded (see also `communes_codes_postaux`).
    pub codes_postaux: String,
    pub population: i32,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::departements::Entity",
        from = "Column::DepartementCode",
        to = "super::departements::Column::Code",
        on_delete = "Restrict"
    )]
    Departements,
    #[sea_orm(has_many = "super::communes_codes_postaux::Entity")]
    CommunesCodesPostaux,
}

impl Related<super::departements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Departements.def()
    }
}

impl Related<super::communes_codes_postaux::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CommunesCodesPostaux.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
