//! `limites_connexion`: the sign-in throttle's counters (`accounts::throttle`),
//! one per key, times in Unix seconds.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "limites_connexion")]
pub struct Model {
    /// `ip:<ip>`, `adresse_ip:<address>|<ip>` or `adresse:<address>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub cle: String,
    /// Attempts taken in the window (a successful one is given back).
    pub essais: i64,
    /// Start of the window.
    pub debut: i64,
    /// Earliest moment of the next attempt.
    pub prochain: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
