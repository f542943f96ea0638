//! Small helpers shared by the migrations.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::SchemaManagerConnection;

/// A foreign key `table.column → ref_table.ref_column`.
pub fn fk(
    table: &'static str,
    column: &'static str,
    ref_table: &'static str,
    ref_column: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(format!("fk_{table}_{column}")).from(table, column).to(ref_table, ref_column).on_delete(on_delete).take()
}

/// A (non-unique) index named after its table and columns.
pub fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{}_{}", table, columns.join("_"))).table(table);
    for c in columns {
        stmt.col(*c);
    }
    stmt.take()
}

pub fn unique_index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = index(table, columns);
    stmt.name(format!("uq_{}_{}", table, columns.join("_"))).unique();
    stmt
}

pub async fn create_indexes(manager: &SchemaManager<'_>, indexes: Vec<IndexCreateStatement>) -> Result<(), DbErr> {
    for i in indexes {
        manager.create_index(i).await?;
    }
    Ok(())
}

pub async fn drop_tables(manager: &SchemaManager<'_>, tables: &[&'static str]) -> Result<(), DbErr> {
    for t in tables {
        manager.drop_table(Table::drop().table(*t).if_exists().take()).await?;
    }
    Ok(())
}

/// The triggers that raise `search_version` when `table` changes, in the
/// writing transaction (m20261124_000005): the search's copy of the data is
/// then read again by the next search on any instance. PostgreSQL raises it
/// once per transaction (`search_version_bump`, created by that migration).
pub async fn surveiller_pour_la_recherche(db: &SchemaManagerConnection<'_>, backend: DbBackend, table: &str) -> Result<(), DbErr> {
    match backend {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE CONSTRAINT TRIGGER search_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
                 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_version_bump()"
            ))
            .await?;
        }
        _ => {
            for event in ["INSERT", "UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER search_version_{table}_{} AFTER {event} ON {table}
                     BEGIN UPDATE search_version SET version = version + 1 WHERE id = 1; END",
                    event.to_lowercase()
                ))
                .await?;
            }
        }
    }
    Ok(())
}

/// Drops the triggers of [`surveiller_pour_la_recherche`].
pub async fn ne_plus_surveiller(db: &SchemaManagerConnection<'_>, backend: DbBackend, table: &str) -> Result<(), DbErr> {
    match backend {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS search_version_{table} ON {table}")).await?;
        }
        _ => {
            for event in ["insert", "update", "delete"] {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS search_version_{table}_{event}")).await?;
            }
        }
    }
    Ok(())
}
