//! When each tribunal last reserved a measure of each professional
//! (`app::repartition::dernieres`): the search says it on every result ("dernière
//! réservation de votre tribunal il y a 40 jours") and its sort
//! "répartition équitable" puts the least recently asked first. Written in
//! the reservation's transaction; read with the rest of the search's copy,
//! whose version its changes raise like those of the tables it watches
//! (m20261124_000005).
//!
//! Filled from the history by the server after the migrations, with the
//! measures' figures (`app::statistiques::agregats::reconstruire_si_besoin`,
//! asked by the row `agregats_a_reconstruire` of `statistiques`).

use crate::util::{ne_plus_surveiller, surveiller_pour_la_recherche};
use sea_orm_migration::prelude::*;

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
        // Counted from the history after the migrations (as the measures' figures).
        let demande = Query::insert()
            .into_table("statistiques")
            .columns(["nom", "calculees_at", "donnees"])
            .values([
                "agregats_a_reconstruire".into(),
                sea_orm_migration::sea_orm::prelude::ChronoUtc::now().fixed_offset().into(),
                "".into(),
            ])
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .on_conflict(OnConflict::column("nom").do_nothing().to_owned())
            .to_owned();
        manager.exec_stmt(demande).await?;
        // The search's copy is read again when this table changes.
        surveiller_pour_la_recherche(manager.get_connection(), manager.get_database_backend(), "dernieres_reservations").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ne_plus_surveiller(manager.get_connection(), manager.get_database_backend(), "dernieres_reservations").await?;
        manager.drop_table(Table::drop().table("dernieres_reservations").if_exists().take()).await
    }
}
