//! Users, their sessions, the role-specific attachments of judges, greffiers and
//! directions, and the append-only audit log.

use crate::util::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000002_accounts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_auto("id"))
                    // Always stored lower-case and trimmed.
                    .col(string("email"))
                    // Argon2id PHC string.
                    .col(string("password_hash"))
                    // individuel | prepose | service | magistrat | greffier | direction | admin
                    .col(string_len("role", 16))
                    .col(string("prenom"))
                    .col(string("nom"))
                    .col(string_null("telephone"))
                    .col(boolean("active").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("last_login_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    // SHA-256 (hex) of the random token held by the cookie: a stolen
                    // database does not yield usable cookies.
                    .col(string_len("id", 64).primary_key())
                    .col(integer("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(string_null("ip"))
                    .col(string_null("user_agent"))
                    .foreign_key(&mut fk("sessions", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        for table in ["magistrats", "greffiers"] {
            manager
                .create_table(
                    Table::create()
                        .table(table)
                        .col(integer("user_id").primary_key())
                        .col(integer("tribunal_id"))
                        .col(string_null("cabinet"))
                        .foreign_key(&mut fk(table, "user_id", "users", "id", ForeignKeyAction::Cascade))
                        .foreign_key(&mut fk(table, "tribunal_id", "tribunaux", "id", ForeignKeyAction::Restrict))
                        .take(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("directions")
                    .col(integer("user_id").primary_key())
                    // national | regional | departemental
                    .col(string_len("type", 16))
                    .col(string_len_null("region_code", 3))
                    .col(string_len_null("departement_code", 3))
                    // e.g. "DDETS du Nord"
                    .col(string("structure"))
                    .foreign_key(&mut fk("directions", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("directions", "region_code", "regions", "code", ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("directions", "departement_code", "departements", "code", ForeignKeyAction::Restrict))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    // No foreign keys: the log outlives the accounts it mentions.
                    .col(integer_null("actor_user_id"))
                    .col(integer_null("real_actor_user_id"))
                    .col(string_len_null("role", 16))
                    .col(string_len("action", 64))
                    .col(string_len_null("target_type", 32))
                    .col(string_len_null("target_id", 64))
                    .col(text_null("summary"))
                    .col(string_null("ip"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                unique_index("users", &["email"]),
                index("users", &["role"]),
                index("sessions", &["user_id"]),
                index("sessions", &["expires_at"]),
                index("magistrats", &["tribunal_id"]),
                index("greffiers", &["tribunal_id"]),
                index("audit_events", &["at"]),
                index("audit_events", &["actor_user_id"]),
                index("audit_events", &["target_type", "target_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["audit_events", "directions", "greffiers", "magistrats", "sessions", "users"]).await
    }
}
