//! `vues_pages`: how many times a page (route pattern) was shown to a role on
//! a day. No account, no address.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vues_pages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub jour: Date,
    /// The route pattern (`/tribunal/mesures/{id}`), never the address itself.
    #[sea_orm(primary_key, auto_increment = false)]
    pub route: String,
    /// A role's code, or empty for a visitor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub role: String,
    pub nombre: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
