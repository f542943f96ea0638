//! Preferences: a judge or greffier chooses to be told by e-mail when a
//! professional accepts a measure it reserved (`users.notifier_acceptation`,
//! off unless chosen).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000010_preferences"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("users").add_column(boolean("notifier_acceptation").default(false)).take()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("users").drop_column("notifier_acceptation").take()).await
    }
}
