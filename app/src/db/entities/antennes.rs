//! `antennes`: the local offices of a service, each with its own address and capacity.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An antenne of a service gestionnaire. Capacity columns are maintained like
/// those of `gestionnaires`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "antennes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub gestionnaire_id: i32,
    pub nom: String,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    pub adresse: String,
    pub code_postal: String,
    pub commune_code: String,
    pub departement_code: String,
    pub latitude: f64,
    pub longitude: f64,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub derniere_mise_a_jour: DateTimeWithTimeZone,
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
    #[sea_orm(has_many = "super::mesures::Entity")]
    Mesures,
}

impl Related<super::gestionnaires::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Gestionnaires.def()
    }
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

impl Related<super::mesures::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mesures.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
