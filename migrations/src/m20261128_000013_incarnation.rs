//! "Se connecter en tant que": an administrator's session opened as another
//! user carries who opened it and why (`sessions.incarne_par`,
//! `sessions.motif_incarnation`). Such a session lasts 30 minutes. No foreign
//! key: SQLite cannot add one to an existing table, and the guard ends the
//! session as soon as that administrator is no longer an active one.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000013_incarnation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("sessions").add_column(integer_null("incarne_par")).take()).await?;
        manager.alter_table(Table::alter().table("sessions").add_column(text_null("motif_incarnation")).take()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("sessions").drop_column("motif_incarnation").take()).await?;
        manager.alter_table(Table::alter().table("sessions").drop_column("incarne_par").take()).await
    }
}
