//! A professional declines a reservation (`measures::lifecycle::refuse`): the
//! reservation ends (`eteinte`, no date de nomination) and keeps why —
//! `refus_motif` (a code of `rules::vocabulary::MOTIFS_REFUS`) and
//! `refus_precision` (the professional's words, required for `autre`) — for
//! the judge's lists and the figures.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000017_refus"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        manager.alter_table(Table::alter().table("mesures").add_column(string_null("refus_motif")).take()).await?;
        manager.alter_table(Table::alter().table("mesures").add_column(text_null("refus_precision")).take()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("mesures").drop_column("refus_precision").take()).await?;
        manager.alter_table(Table::alter().table("mesures").drop_column("refus_motif").take()).await
    }
}
