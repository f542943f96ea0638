//! `mesure_etats`: the history of a measure's nature, champ and lieu de vie.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One état of a measure, effective from `date_changement`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "mesure_etats")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub mesure_id: i64,
    pub date_changement: Date,
    pub nature: String,
    pub champ: Option<String>,
    pub lieu_vie: String,
    pub type_etablissement: Option<String>,
    /// Not a foreign key in the schema.
    pub commune_code: Option<String>,
    pub code_postal: Option<String>,
    pub pays: String,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::mesures::Entity", from = "Column::MesureId", to = "super::mesures::Column::Id", on_delete = "Cascade")]
    Mesures,
}

impl Related<super::mesures::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mesures.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
