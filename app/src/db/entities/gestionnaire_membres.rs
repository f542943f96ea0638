//! `gestionnaire_membres`: which gestionnaire a professional user works for.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Membership of a user (at most one gestionnaire per user). `admin`: for a
/// service, the member may manage the other members.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "gestionnaire_membres")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub gestionnaire_id: i32,
    pub admin: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id", on_delete = "Cascade")]
    Users,
    #[sea_orm(
        belongs_to = "super::gestionnaires::Entity",
        from = "Column::GestionnaireId",
        to = "super::gestionnaires::Column::Id",
        on_delete = "Cascade"
    )]
    Gestionnaires,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::gestionnaires::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Gestionnaires.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
