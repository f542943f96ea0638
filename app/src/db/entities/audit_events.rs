//! `audit_events`: the append-only audit log (who did what, to what, when).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One audited action. No foreign keys: the log outlives the accounts it mentions,
/// hence no relations either.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeWithTimeZone,
    pub actor_user_id: Option<i32>,
    /// The real actor when `actor_user_id` is being impersonated.
    pub real_actor_user_id: Option<i32>,
    pub role: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
    pub ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
