//! `greffiers`: the tribunal (and cabinet) of each user with that role.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Attachment of a greffier to exactly one tribunal.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "greffiers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub tribunal_id: i32,
    pub cabinet: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id", on_delete = "Cascade")]
    Users,
    #[sea_orm(
        belongs_to = "super::tribunaux::Entity",
        from = "Column::TribunalId",
        to = "super::tribunaux::Column::Id",
        on_delete = "Restrict"
    )]
    Tribunaux,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::tribunaux::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tribunaux.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
