//! A reservation that reopens a closed measure keeps the closed measure as it
//! was (`mesures.avant_reouverture`, the row as JSON), so that cancelling or
//! expiring the reservation puts it back exactly — dates, cause, lieu de vie,
//! nature, person — instead of deleting it or inventing an end. Cleared when
//! the professional accepts: the reopening then became the measure's life.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000015_reouverture"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("mesures").add_column(text_null("avant_reouverture")).take()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("mesures").drop_column("avant_reouverture").take()).await
    }
}
