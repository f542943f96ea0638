//! Second factor (TOTP, RFC 6238). `users.totp_secret` is the shared secret in
//! base32 (set when the person starts enrolling), `totp_actif` says it is
//! confirmed and required at every sign-in, `totp_dernier_pas` is the last
//! 30-second step accepted: a code is never accepted twice.
//!
//! `connexions_en_attente`: a sign-in whose password was right and that still
//! waits for its code (or, for an administrator without a second factor, for
//! its enrolment). Keyed by the SHA-256 of the token in a short-lived cookie;
//! no session exists until the code is right.

use crate::util::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000014_second_facteur"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("users").add_column(text_null("totp_secret")).take()).await?;
        manager.alter_table(Table::alter().table("users").add_column(boolean("totp_actif").default(false)).take()).await?;
        manager.alter_table(Table::alter().table("users").add_column(big_integer_null("totp_dernier_pas")).take()).await?;
        manager
            .create_table(
                Table::create()
                    .table("connexions_en_attente")
                    .col(string("id").primary_key())
                    .col(integer("user_id"))
                    .col(integer("tentatives").default(0))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(text_null("ip"))
                    .col(text_null("user_agent"))
                    .foreign_key(&mut fk("connexions_en_attente", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("connexions_en_attente", &["user_id"]), index("connexions_en_attente", &["expires_at"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["connexions_en_attente"]).await?;
        for column in ["totp_dernier_pas", "totp_actif", "totp_secret"] {
            manager.alter_table(Table::alter().table("users").drop_column(column).take()).await?;
        }
        Ok(())
    }
}
