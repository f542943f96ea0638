//! `deverrouillages`: the links mailed to the owner of an address blocked for
//! unknown IPs (SHA-256 of the token; one hour; single use).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deverrouillages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub jeton_hash: String,
    pub user_id: i32,
    pub expires_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
