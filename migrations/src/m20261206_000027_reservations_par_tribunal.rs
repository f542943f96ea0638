//! The fairness view reads a tribunal's reservations of the last 12 months
//! (`repartition::service`): an index on (tribunal, date of reservation)
//! reads those rows only, instead of every measure of the tribunal.

use crate::util::{create_indexes, index};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000027_reservations_par_tribunal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_indexes(manager, vec![index("mesures", &["tribunal_id", "date_reservation"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_mesures_tribunal_id_date_reservation").table("mesures").to_owned()).await
    }
}
