//! The team's nudges to the users to rescue (`relances`: a mail sent from the
//! reason's template, or "traité" with a note — a phone call, a visit), and
//! the templates the team edits, one per reason (`gabarits_relance`).

use crate::util::{create_indexes, drop_tables, fk, index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000022_relances"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("relances")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string("raison"))
                    // `courriel` or `traite`.
                    .col(string("mode"))
                    .col(text("note").default(""))
                    .col(integer_null("auteur_user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("relances", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("relances", "auteur_user_id", "users", "id", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("gabarits_relance")
                    .col(string("raison").primary_key())
                    .col(string("sujet"))
                    .col(text("texte"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("relances", &["user_id", "raison"]), index("relances", &["created_at"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["gabarits_relance", "relances"]).await
    }
}
