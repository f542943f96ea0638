//! A version number of everything the judge's search reads (professionals, their
//! antennes and counters, approvals, preferred tribunals, établissements, places).
//!
//! Database triggers raise it in the same transaction as any change to those
//! tables, whoever writes (the application, an import, a hand-made fix), so a
//! server process may keep a read-only copy of that data and check with one
//! tiny query per search that the copy is still current. Several processes on
//! one PostgreSQL all see the same number.
//!
//! This is the one migration with backend-specific SQL: triggers have no
//! portable form. On PostgreSQL the trigger is deferred to commit time and runs
//! once per transaction, so writers take the version row's lock last (no
//! deadlock between transactions that touch several watched rows) and a bulk
//! load does not update it thousands of times.

use crate::util::{ne_plus_surveiller, surveiller_pour_la_recherche};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000005_search_version"
    }
}

/// The tables whose rows the search reads.
const WATCHED: [&str; 9] = [
    "gestionnaires",
    "antennes",
    "gestionnaire_tribunaux",
    "liste_blanche",
    "liste_blanche_departements",
    "liste_blanche_etablissements",
    "etablissements",
    "communes",
    "departements",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("search_version")
                    .col(ColumnDef::new("id").integer().not_null().primary_key())
                    .col(ColumnDef::new("version").big_integer().not_null().default(0))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("INSERT INTO search_version (id, version) VALUES (1, 0)").await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE FUNCTION search_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                     IF current_setting('emjpm.search_version_bumped', true) IS DISTINCT FROM 'oui' THEN
                         UPDATE search_version SET version = version + 1 WHERE id = 1;
                         PERFORM set_config('emjpm.search_version_bumped', 'oui', true);
                     END IF;
                     RETURN NULL;
                 END $$",
            )
            .await?;
        }
        for table in WATCHED {
            surveiller_pour_la_recherche(db, manager.get_database_backend(), table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in WATCHED {
            ne_plus_surveiller(db, manager.get_database_backend(), table).await?;
        }
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS search_version_bump()").await?;
        }
        manager.drop_table(Table::drop().table("search_version").if_exists().take()).await
    }
}
