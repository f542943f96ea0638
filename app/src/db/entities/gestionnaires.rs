//! `gestionnaires`: the professionals measures are given to (individuels,
//! préposés, services), with their address and capacity.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A gestionnaire. `en_cours`, `en_attente` and `derniere_mise_a_jour` are kept
/// up to date in the same transaction as every write that changes them.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "gestionnaires")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// individuel | prepose | service
    #[sea_orm(column_name = "type")]
    pub kind: String,
    /// Family name of an individuel / préposé, name of a service.
    pub nom: String,
    pub prenom: Option<String>,
    pub siret: Option<String>,
    pub email: String,
    pub telephone: String,
    pub suspendu: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub motif_suspension: Option<String>,
    /// Comma-separated natures accepted; empty means all.
    #[sea_orm(column_type = "Text")]
    pub natures_acceptees: String,
    /// Comma-separated languages and competences (e.g. "langue des signes").
    #[sea_orm(column_type = "Text")]
    pub competences: String,
    pub liste_blanche_id: Option<i32>,
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
        belongs_to = "super::liste_blanche::Entity",
        from = "Column::ListeBlancheId",
        to = "super::liste_blanche::Column::Id",
        on_delete = "SetNull"
    )]
    ListeBlanche,
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
    #[sea_orm(has_many = "super::antennes::Entity")]
    Antennes,
    #[sea_orm(has_many = "super::mesures::Entity")]
    Mesures,
    #[sea_orm(has_many = "super::gestionnaire_membres::Entity")]
    GestionnaireMembres,
    #[sea_orm(has_many = "super::gestionnaire_tribunaux::Entity")]
    GestionnaireTribunaux,
    #[sea_orm(has_many = "super::notes::Entity")]
    Notes,
}

impl Related<super::liste_blanche::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ListeBlanche.def()
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

impl Related<super::antennes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Antennes.def()
    }
}

impl Related<super::mesures::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mesures.def()
    }
}

impl Related<super::gestionnaire_membres::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::GestionnaireMembres.def()
    }
}

impl Related<super::gestionnaire_tribunaux::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::GestionnaireTribunaux.def()
    }
}

impl Related<super::notes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Notes.def()
    }
}

/// The tribunaux this gestionnaire declared (through `gestionnaire_tribunaux`).
impl Related<super::tribunaux::Entity> for Entity {
    fn to() -> RelationDef {
        super::gestionnaire_tribunaux::Relation::Tribunaux.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::gestionnaire_tribunaux::Relation::Gestionnaires.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
