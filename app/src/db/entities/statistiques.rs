//! `statistiques`: a set of figures computed ahead by a job (its JSON), read
//! by the pages that show them (`statistiques::publiques`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statistiques")]
pub struct Model {
    /// Which figures (`publiques`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub nom: String,
    pub calculees_at: DateTimeWithTimeZone,
    pub donnees: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
