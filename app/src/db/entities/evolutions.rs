//! `evolutions`: the team's list of product changes, to which avis are linked.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evolutions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub titre: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// A code of `feedback::STATUTS_EVOLUTION`.
    pub statut: String,
    pub created_at: DateTimeWithTimeZone,
    pub fait_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::avis::Entity")]
    Avis,
}

impl Related<super::avis::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Avis.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
