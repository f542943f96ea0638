//! When an account was validated (`users.valide_at`): at its sign-up's
//! validation, or at its creation for an account created active (a service's
//! member invited by its administrator). The weekly cohorts of the adoption
//! console start there. Accounts validated before: their creation.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000021_validation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("users").add_column(timestamp_with_time_zone_null("valide_at")).take()).await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE users SET valide_at = created_at WHERE NOT EXISTS (SELECT 1 FROM inscriptions i WHERE i.user_id = users.id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("users").drop_column("valide_at").take()).await
    }
}
