//! Failed sign-ins (`echecs_connexion`), read by the sign-in throttle: a few
//! failures for one address or one IP slow further attempts down, many lock them
//! for a while. In the database, so that every server process applies the same
//! limits; rows older than the throttle's window are useless and purged.

use crate::util::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000007_echecs_connexion"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("echecs_connexion")
                    .col(big_pk_auto("id"))
                    // The address as typed (normalised), whether an account has it or not.
                    .col(string_len("email", 320))
                    .col(string_len_null("ip", 64))
                    .col(timestamp_with_time_zone("at"))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("echecs_connexion", &["email", "at"]), index("echecs_connexion", &["ip", "at"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["echecs_connexion"]).await
    }
}
