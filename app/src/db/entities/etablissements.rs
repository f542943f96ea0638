//! `etablissements`: établissements (hospitals, EHPAD...) employing préposés.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An établissement, with its address and point.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "etablissements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub nom: String,
    pub finess: Option<String>,
    pub type_etablissement: String,
    pub adresse: String,
    pub code_postal: String,
    pub commune_code: String,
    pub departement_code: String,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::communes::Entity",
        from = "Column::CommuneCode",
        to = "super::communes::Column::Code",
        on_delete = "Restrict"
    )]
    Communes,
    #[sea_orm(
        belongs_to = "super::departements::Entity",
        from = "Column::DepartementCode",
        to = "super::departements::Column::Code",
        on_delete = "Restrict"
    )]
    Departements,
    #[sea_orm(has_many = "super::liste_blanche_etablissements::Entity")]
    ListeBlancheEtablissements,
}

impl Related<super::communes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Communes.def()
    }
}

impl Related<super::departements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Departements.def()
    }
}

impl Related<super::liste_blanche_etablissements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ListeBlancheEtablissements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
