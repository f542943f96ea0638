//! The sign-in throttle counts and decides in one atomic statement
//! (`INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`), which a list of
//! failures read then written (`echecs_connexion`, dropped here) could not: a
//! burst of parallel attempts all passed the check before any was recorded.
//!
//! - `limites_connexion`: one counter per key (`ip:…`, `adresse_ip:…`,
//!   `adresse:…`), its window's start and the earliest next attempt, in Unix
//!   seconds (integer arithmetic reads the same on SQLite and PostgreSQL);
//! - `adresses_connues`: the IPs from which each account signed in (an attacker
//!   elsewhere cannot block it there); kept a year, like connection logs;
//! - `deverrouillages`: the links mailed to an account blocked for unknown IPs
//!   (SHA-256 of the token, one hour, single use).

use crate::util::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000016_limites_connexion"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("limites_connexion")
                    .col(string_len("cle", 400).primary_key())
                    .col(big_integer("essais"))
                    .col(big_integer("debut"))
                    .col(big_integer("prochain"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("adresses_connues")
                    .col(integer("user_id"))
                    .col(string_len("ip", 64))
                    .col(timestamp_with_time_zone("derniere_connexion"))
                    .primary_key(Index::create().col("user_id").col("ip"))
                    .foreign_key(&mut fk("adresses_connues", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("deverrouillages")
                    .col(string_len("jeton_hash", 64).primary_key())
                    .col(integer("user_id"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(&mut fk("deverrouillages", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("limites_connexion", &["debut"]), index("adresses_connues", &["derniere_connexion"])]).await?;
        drop_tables(manager, &["echecs_connexion"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["deverrouillages", "adresses_connues", "limites_connexion"]).await
    }
}
