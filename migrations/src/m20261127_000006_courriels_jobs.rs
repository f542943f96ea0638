//! The e-mail outbox (`courriels`) and the scheduled jobs' state (`jobs`).
//!
//! Both tables let several server processes share one database without keeping
//! any state of their own: a mail is queued in the transaction of the action
//! that causes it and sent later by whichever instance claims it first; a job
//! runs on the instance that claims its row first. Claims are conditional
//! UPDATEs on `reserve_jusqua` (a lease that expires if its owner dies).

use crate::util::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261127_000006_courriels_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("courriels")
                    .col(big_pk_auto("id"))
                    .col(string_len("destinataire", 320))
                    .col(text("sujet"))
                    .col(text("texte"))
                    .col(text("html"))
                    .col(timestamp_with_time_zone("created_at"))
                    // Next attempt: creation time, then pushed back after each failure.
                    .col(timestamp_with_time_zone("envoi_apres"))
                    .col(integer("tentatives").default(0))
                    .col(timestamp_with_time_zone_null("envoye_at"))
                    .col(text_null("derniere_erreur"))
                    // Claimed by one instance until then (lease).
                    .col(timestamp_with_time_zone_null("reserve_jusqua"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("jobs")
                    .col(string_len("nom", 64).primary_key())
                    .col(timestamp_with_time_zone("prochaine_execution"))
                    .col(timestamp_with_time_zone_null("derniere_execution"))
                    .col(text_null("dernier_resultat"))
                    .col(boolean_null("dernier_succes"))
                    .col(timestamp_with_time_zone_null("reserve_jusqua"))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("courriels", &["envoye_at", "envoi_apres"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["jobs", "courriels"]).await
    }
}
