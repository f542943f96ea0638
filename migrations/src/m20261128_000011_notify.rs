//! Real time on PostgreSQL: the transaction that raises `search_version` also
//! sends `NOTIFY emjpm_changements` (delivered at its commit), so that every
//! server process listening hears of the change at once instead of at its next
//! read of the version. SQLite has no such channel: its processes keep reading.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000011_notify"
    }
}

/// The trigger function of `m20261124_000005_search_version`, with or without the notice.
fn bump(notify: bool) -> String {
    format!(
        "CREATE OR REPLACE FUNCTION search_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF current_setting('emjpm.search_version_bumped', true) IS DISTINCT FROM 'oui' THEN
                 UPDATE search_version SET version = version + 1 WHERE id = 1;
                 PERFORM set_config('emjpm.search_version_bumped', 'oui', true);
                 {}
             END IF;
             RETURN NULL;
         END $$",
        if notify { "PERFORM pg_notify('emjpm_changements', '');" } else { "" }
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager.get_connection().execute_unprepared(&bump(true)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager.get_connection().execute_unprepared(&bump(false)).await?;
        }
        Ok(())
    }
}
