//! `mesures`: the protection measures reserved by judges and given to gestionnaires.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A measure. The protected person is never named; the court file is identified
/// by `numero_rg`, unique per (tribunal, gestionnaire). `nature`, `champ` and the
/// lieu de vie mirror the latest row of `mesure_etats`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "mesures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub gestionnaire_id: i32,
    pub antenne_id: Option<i32>,
    pub tribunal_id: i32,
    /// 8 upper-case alphanumerics, left-padded with 0.
    pub numero_rg: String,
    pub cabinet: Option<String>,
    /// en_attente | en_cours | eteinte
    pub statut: String,
    pub nature: String,
    pub champ: Option<String>,
    pub lieu_vie: Option<String>,
    pub type_etablissement: Option<String>,
    pub civilite: Option<String>,
    pub annee_naissance: Option<i32>,
    pub commune_code: Option<String>,
    pub code_postal: Option<String>,
    /// ISO 3166-1 alpha-2, "FR" by default.
    pub pays: String,
    pub urgent: bool,
    pub date_prevue_jugement: Option<Date>,
    pub date_nomination: Option<Date>,
    pub date_fin: Option<Date>,
    pub cause_sortie: Option<String>,
    /// The magistrat or greffier who reserved the measure.
    pub reservee_par: Option<i32>,
    pub date_reservation: Option<DateTimeWithTimeZone>,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    /// While a reservation reopens a closed measure: the closed measure's row as
    /// JSON (`measures::reopening`), put back if the reservation is cancelled or
    /// expires. None otherwise.
    pub avant_reouverture: Option<String>,
    /// Why the professional declined the reservation (`vocabulary::MOTIFS_REFUS`);
    /// None unless it did. (`serde(default)`: reopening snapshots written before
    /// these columns existed lack them.)
    #[serde(default)]
    pub refus_motif: Option<String>,
    /// The professional's words about its refusal (required for `autre`).
    #[serde(default)]
    pub refus_precision: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::gestionnaires::Entity",
        from = "Column::GestionnaireId",
        to = "super::gestionnaires::Column::Id",
        on_delete = "Restrict"
    )]
    Gestionnaires,
    #[sea_orm(
        belongs_to = "super::antennes::Entity",
        from = "Column::AntenneId",
        to = "super::antennes::Column::Id",
        on_delete = "SetNull"
    )]
    Antennes,
    #[sea_orm(
        belongs_to = "super::tribunaux::Entity",
        from = "Column::TribunalId",
        to = "super::tribunaux::Column::Id",
        on_delete = "Restrict"
    )]
    Tribunaux,
    #[sea_orm(
        belongs_to = "super::communes::Entity",
        from = "Column::CommuneCode",
        to = "super::communes::Column::Code",
        on_delete = "Restrict"
    )]
    Communes,
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::ReserveePar", to = "super::users::Column::Id", on_delete = "SetNull")]
    ReserveePar,
    #[sea_orm(has_many = "super::mesure_etats::Entity")]
    MesureEtats,
    #[sea_orm(has_many = "super::mesure_evenements::Entity")]
    MesureEvenements,
}

impl Related<super::gestionnaires::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Gestionnaires.def()
    }
}

impl Related<super::antennes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Antennes.def()
    }
}

impl Related<super::tribunaux::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tribunaux.def()
    }
}

impl Related<super::communes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Communes.def()
    }
}

/// The user in `reservee_par`.
impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ReserveePar.def()
    }
}

impl Related<super::mesure_etats::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MesureEtats.def()
    }
}

impl Related<super::mesure_evenements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MesureEvenements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
