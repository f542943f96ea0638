//! Each account's useful actions summed up by week (`actions_semaine`: one
//! row per account, action and week — its Monday, UTC — with the last time of
//! that week): kept by the service that records an action (`usage::record_for`,
//! in the action's transaction), so that the deployment console reads a few
//! rows per account instead of searching millions of `usages` rows. Filled
//! here from the actions already recorded. And two indexes on the measures
//! the users to rescue read: who reserved one (has this judge ever reserved?)
//! and the reservations waiting, by professional and age.

use crate::util::{create_indexes, drop_tables, fk, index};
use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000025_actions_semaine"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("actions_semaine")
                    .col(integer("user_id"))
                    .col(string("action"))
                    .col(date("semaine"))
                    .col(timestamp_with_time_zone("derniere_at"))
                    .primary_key(Index::create().col("user_id").col("action").col("semaine"))
                    .foreign_key(&mut fk("actions_semaine", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("actions_semaine", &["action", "derniere_at"]),
                index("mesures", &["reservee_par"]),
                // The users to rescue: each professional's oldest reservation
                // left unanswered, read from the index alone (863 ms → 26 ms
                // on the france data's million measures).
                index("mesures", &["statut", "gestionnaire_id", "created_at"]),
            ],
        )
        .await?;
        // The Monday (UTC) of each action, as `usage::rebuild_weeks` computes it.
        let lundi = match manager.get_database_backend() {
            DbBackend::Postgres => "CAST(date_trunc('week', at AT TIME ZONE 'UTC') AS date)",
            _ => "date(at, 'weekday 0', '-6 days')",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO actions_semaine (user_id, action, semaine, derniere_at) \
                 SELECT user_id, action, {lundi}, MAX(at) FROM usages GROUP BY user_id, action, {lundi}"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_mesures_statut_gestionnaire_id_created_at", "idx_mesures_reservee_par"] {
            manager.drop_index(Index::drop().name(name).table("mesures").to_owned()).await?;
        }
        drop_tables(manager, &["actions_semaine"]).await
    }
}
