//! `liste_blanche`: the State's list of approved professionals.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An approved professional; its départements and établissements are in
/// `liste_blanche_departements` and `liste_blanche_etablissements`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "liste_blanche")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// individuel | prepose | service
    #[sea_orm(column_name = "type")]
    pub kind: String,
    pub nom: String,
    pub prenom: Option<String>,
    pub siret: Option<String>,
    pub email: Option<String>,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::liste_blanche_departements::Entity")]
    ListeBlancheDepartements,
    #[sea_orm(has_many = "super::liste_blanche_etablissements::Entity")]
    ListeBlancheEtablissements,
    #[sea_orm(has_many = "super::gestionnaires::Entity")]
    Gestionnaires,
}

impl Related<super::liste_blanche_departements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ListeBlancheDepartements.def()
    }
}

impl Related<super::liste_blanche_etablissements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ListeBlancheEtablissements.def()
    }
}

impl Related<super::gestionnaires::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Gestionnaires.def()
    }
}

/// The approved établissements (through `liste_blanche_etablissements`).
impl Related<super::etablissements::Entity> for Entity {
    fn to() -> RelationDef {
        super::liste_blanche_etablissements::Relation::Etablissements.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::liste_blanche_etablissements::Relation::ListeBlanche.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
