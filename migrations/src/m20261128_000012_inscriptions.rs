//! Sign-up requests waiting for an administrator (`inscriptions`): the account
//! exists, inactive, with its role's attachment (gestionnaire, tribunal,
//! territory…); the row says it was asked for and not decided yet, and keeps
//! what only the decision needs (a préposé's établissement). Validation or
//! refusal removes the row; the audit log keeps the decision.

use crate::util::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000012_inscriptions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("inscriptions")
                    .col(integer("user_id").primary_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer_null("etablissement_id"))
                    .foreign_key(&mut fk("inscriptions", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("inscriptions", "etablissement_id", "etablissements", "id", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("inscriptions", &["created_at"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["inscriptions"]).await
    }
}
