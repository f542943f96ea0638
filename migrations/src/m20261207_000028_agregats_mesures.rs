//! The measures' figures kept ahead (`app::statistiques::agregats`): for
//! each month, tribunal and kind of professional, how many measures were
//! new (by origin, nature, champ, lieu de vie), named, out of the stock and
//! closed (by cause). Every write of a measure moves them in its own
//! transaction; a territory's statistics read a few thousand of these rows
//! instead of a million measures.
//!
//! Existing measures are counted once, by the server after the migrations
//! (the months are read in Paris time, which the databases cannot all do):
//! the row `agregats_a_reconstruire` of `statistiques` asks for it.

use crate::util::drop_tables;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000028_agregats_mesures"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("statistiques_mesures")
                    .col(string_len("fait", 16))
                    .col(string_len("mois", 7))
                    .col(integer("tribunal_id"))
                    .col(string_len("type_mandataire", 16))
                    .col(string_len("valeur", 64))
                    .col(big_integer("nombre"))
                    // The figures read one fact over a range of months.
                    .primary_key(Index::create().col("fait").col("mois").col("tribunal_id").col("type_mandataire").col("valeur"))
                    .take(),
            )
            .await?;
        // Written in UTC, as the application writes every timestamp.
        let maintenant = sea_orm_migration::sea_orm::prelude::ChronoUtc::now().fixed_offset();
        let marque = Query::insert()
            .into_table("statistiques")
            .columns(["nom", "calculees_at", "donnees"])
            .values(["agregats_a_reconstruire".into(), maintenant.into(), "".into()])
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        manager.exec_stmt(marque).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(Query::delete().from_table("statistiques").and_where(Expr::col("nom").eq("agregats_a_reconstruire")).to_owned())
            .await?;
        drop_tables(manager, &["statistiques_mesures"]).await
    }
}
