//! `actions_semaine`: an account did a useful action of one kind during a
//! week (its Monday, UTC), the last time that week — kept with each recorded
//! action (`usage::record_for`) so that the console reads a few rows per
//! account, not every `usages` row.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "actions_semaine")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    /// A code of `usage::Action`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub action: String,
    /// The Monday (UTC) of the week.
    #[sea_orm(primary_key, auto_increment = false)]
    pub semaine: Date,
    pub derniere_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
