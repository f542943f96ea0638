//! When each tribunal last reserved a measure of each professional
//! (`search::equite`): the search says it on every result ("dernière
//! réservation de votre tribunal il y a 40 jours") and its sort
//! "répartition équitable" puts the least recently asked first. Written in
//! the reservation's transaction; read with the rest of the search's copy,
//! whose version its changes raise like those of the tables it watches
//! (m20261124_000005).
//!
//! Filled from the history: every `reservee` event and every measure's
//! date de réservation (a reservation that reopened a closed measure and
//! was then cancelled left only its event).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000029_dernieres_reservations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dernieres_reservations")
                    .col(ColumnDef::new("tribunal_id").integer().not_null())
                    .col(ColumnDef::new("gestionnaire_id").integer().not_null())
                    .col(ColumnDef::new("reservee_at").timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col("tribunal_id").col("gestionnaire_id"))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO dernieres_reservations (tribunal_id, gestionnaire_id, reservee_at)
             SELECT tribunal_id, gestionnaire_id, MAX(at) FROM (
                 SELECT m.tribunal_id, m.gestionnaire_id, e.at FROM mesure_evenements e JOIN mesures m ON m.id = e.mesure_id
                 WHERE e.action = 'reservee'
                 UNION ALL
                 SELECT tribunal_id, gestionnaire_id, date_reservation FROM mesures WHERE date_reservation IS NOT NULL
             ) r GROUP BY tribunal_id, gestionnaire_id",
        )
        .await?;
        // The search's copy is read again when this table changes.
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE CONSTRAINT TRIGGER search_version_dernieres_reservations AFTER INSERT OR UPDATE OR DELETE ON dernieres_reservations
                     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_version_bump()",
                )
                .await?;
            }
            _ => {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER search_version_dernieres_reservations_{} AFTER {event} ON dernieres_reservations
                         BEGIN UPDATE search_version SET version = version + 1 WHERE id = 1; END",
                        event.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Sqlite {
            for event in ["insert", "update", "delete"] {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS search_version_dernieres_reservations_{event}")).await?;
            }
        }
        manager.drop_table(Table::drop().table("dernieres_reservations").if_exists().take()).await
    }
}
