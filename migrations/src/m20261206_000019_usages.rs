//! Usage measured without tracking anyone outside the service (first-party
//! only): the useful actions of each account (`usages`: sign-in, search,
//! reservation, acceptance, capacity, feedback, a direction's visit of its
//! figures) and the daily page views per route pattern and role
//! (`vues_pages`: no account, no address). Both are kept 13 months.

use crate::util::{create_indexes, drop_tables, fk, index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000019_usages"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("usages")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer("user_id"))
                    .col(string("action"))
                    .foreign_key(&mut fk("usages", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("vues_pages")
                    .col(date("jour"))
                    .col(string("route"))
                    // A role's code, or empty for a visitor.
                    .col(string("role"))
                    .col(big_integer("nombre"))
                    .primary_key(Index::create().col("jour").col("route").col("role"))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("usages", &["user_id", "at"]), index("usages", &["action", "at"]), index("usages", &["at"])])
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["vues_pages", "usages"]).await
    }
}
