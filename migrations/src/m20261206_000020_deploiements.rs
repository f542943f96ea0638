//! The rollout of the service, département by département: its state
//! (`non_ouvert`, `pilote`, `ouvert`), the wave it belongs to (a named group
//! of départements), the planned and actual opening dates. A département
//! without a row is not open.

use crate::util::fk;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000020_deploiements"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("deploiements")
                    .col(string("departement_code").primary_key())
                    .col(string("etat"))
                    .col(string_null("vague"))
                    .col(date_null("date_prevue"))
                    .col(date_null("date_ouverture"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("deploiements", "departement_code", "departements", "code", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("deploiements").if_exists().take()).await
    }
}
