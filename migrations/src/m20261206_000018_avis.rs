//! Feedback ("Donner mon avis") and the team's list of product changes
//! (`evolutions`). An avis keeps who gave it only as the server saw it —
//! account (nullable: anonymous, or the account since deleted), role and
//! territory at the time — plus what the person chose to write. The team's
//! answers by mail are kept in `avis_reponses`, one row per mail sent.

use crate::util::{create_indexes, drop_tables, fk, index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000018_avis"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("evolutions")
                    .col(pk_auto("id"))
                    .col(string("titre"))
                    .col(text("description").default(""))
                    .col(string("statut"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("fait_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("avis")
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(string("niveau"))
                    .col(text("objectif").default(""))
                    .col(text("commentaire").default(""))
                    .col(boolean("recontacter").default(false))
                    // Typed by a visitor who asked to be contacted; a signed-in
                    // person is answered at their account's address.
                    .col(text_null("courriel"))
                    .col(integer_null("user_id"))
                    .col(string_null("role"))
                    .col(string_null("departement_code"))
                    .col(string_null("region_code"))
                    .col(string_null("page"))
                    .col(string("statut"))
                    .col(text("etiquettes").default(""))
                    .col(integer_null("evolution_id"))
                    // When the person was told that the change they asked for is done.
                    .col(timestamp_with_time_zone_null("informe_at"))
                    .foreign_key(&mut fk("avis", "user_id", "users", "id", ForeignKeyAction::SetNull))
                    .foreign_key(&mut fk("avis", "evolution_id", "evolutions", "id", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("avis_reponses")
                    .col(pk_auto("id"))
                    .col(integer("avis_id"))
                    .col(integer_null("auteur_user_id"))
                    .col(text("destinataire"))
                    .col(text("texte"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("avis_reponses", "avis_id", "avis", "id", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("avis_reponses", "auteur_user_id", "users", "id", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("avis", &["created_at"]),
                index("avis", &["statut"]),
                index("avis", &["evolution_id"]),
                index("avis", &["user_id"]),
                index("avis_reponses", &["avis_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["avis_reponses", "avis", "evolutions"]).await
    }
}
