//! `avis`: feedback given with "Donner mon avis" (`feedback`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "avis")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub created_at: DateTimeWithTimeZone,
    /// `bien`, `moyen` or `mal`.
    pub niveau: String,
    #[sea_orm(column_type = "Text")]
    pub objectif: String,
    #[sea_orm(column_type = "Text")]
    pub commentaire: String,
    pub recontacter: bool,
    /// The address a visitor typed to be contacted back.
    #[sea_orm(column_type = "Text", nullable)]
    pub courriel: Option<String>,
    /// The signed-in author (none for a visitor, or once the account is deleted).
    pub user_id: Option<i32>,
    /// The author's role and territory when the avis was given (server-side).
    pub role: Option<String>,
    pub departement_code: Option<String>,
    pub region_code: Option<String>,
    /// The page the avis is about, ids replaced by `{id}` (`feedback::page_of`).
    pub page: Option<String>,
    /// `nouveau`, `a_l_etude`, `prevu`, `fait` or `sans_suite`.
    pub statut: String,
    /// The team's tags, comma-separated.
    #[sea_orm(column_type = "Text")]
    pub etiquettes: String,
    pub evolution_id: Option<i32>,
    pub informe_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id", on_delete = "SetNull")]
    Users,
    #[sea_orm(
        belongs_to = "super::evolutions::Entity",
        from = "Column::EvolutionId",
        to = "super::evolutions::Column::Id",
        on_delete = "SetNull"
    )]
    Evolutions,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::evolutions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Evolutions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
