//! `sessions`: signed-in sessions, keyed by the SHA-256 (hex) of the cookie token.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A session. `id` is the hash of the cookie's token, never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: i32,
    pub created_at: DateTimeWithTimeZone,
    pub expires_at: DateTimeWithTimeZone,
    pub last_seen_at: DateTimeWithTimeZone,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The administrator who opened this session as `user_id` ("se connecter
    /// en tant que"), and why.
    pub incarne_par: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub motif_incarnation: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id", on_delete = "Cascade")]
    Users,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
