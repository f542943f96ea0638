//! `communes_codes_postaux`: which postal code serves which commune (many-to-many).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One (code postal, commune) pair.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "communes_codes_postaux")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code_postal: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub commune_code: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::communes::Entity",
        from = "Column::CommuneCode",
        to = "super::communes::Column::Code",
        on_delete = "Cascade"
    )]
    Communes,
}

impl Related<super::communes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Communes.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
