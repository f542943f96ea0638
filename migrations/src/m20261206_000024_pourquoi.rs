//! "Pourquoi n'utilisez-vous plus e-MJPM ?" (`pourquoi`): the team asks an
//! inactive user why, by a mail whose links open a one-question page; the
//! token of the link is kept hashed; the answer (a reason's code, and a few
//! words for "autre") is aggregated on the team's page.

use crate::util::{create_indexes, drop_tables, fk, index, unique_index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000024_pourquoi"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("pourquoi")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string("jeton_hash"))
                    .col(integer_null("auteur_user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(string_null("reponse"))
                    .col(text("precision").default(""))
                    .col(timestamp_with_time_zone_null("repondu_at"))
                    .foreign_key(&mut fk("pourquoi", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("pourquoi", "auteur_user_id", "users", "id", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![unique_index("pourquoi", &["jeton_hash"]), index("pourquoi", &["user_id", "created_at"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["pourquoi"]).await
    }
}
