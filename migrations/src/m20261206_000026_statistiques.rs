//! Figures computed ahead (`statistiques`): one row per set of figures (the
//! public impact page's, `publiques`), its JSON and when it was computed. A
//! job recomputes it once a day; the pages read the row, so that a crawler
//! never makes the database count anything.

use crate::util::drop_tables;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000026_statistiques"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("statistiques")
                    .col(string("nom").primary_key())
                    .col(timestamp_with_time_zone("calculees_at"))
                    .col(text("donnees"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["statistiques"]).await
    }
}
