//! Forgotten passwords: requests as typed (`demandes_mot_de_passe`, processed
//! by the mail job, so that the page does the same work whether the address has
//! an account or not) and single-use reset tokens (`jetons_mot_de_passe`, stored
//! as SHA-256 only, valid one hour).

use crate::util::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000008_mot_de_passe_oublie"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("demandes_mot_de_passe")
                    .col(big_pk_auto("id"))
                    .col(string_len("email", 320))
                    .col(string_len_null("ip", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("traitee_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("jetons_mot_de_passe")
                    .col(string_len("jeton_hash", 64).primary_key())
                    .col(integer("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("utilise_at"))
                    .foreign_key(&mut fk("jetons_mot_de_passe", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("demandes_mot_de_passe", &["traitee_at", "created_at"]),
                index("demandes_mot_de_passe", &["ip", "created_at"]),
                index("jetons_mot_de_passe", &["user_id", "created_at"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["jetons_mot_de_passe", "demandes_mot_de_passe"]).await
    }
}
