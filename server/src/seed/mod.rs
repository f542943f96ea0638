//! Loading data: the reference geography, the Ministry's court list, demo data.

mod console;
pub mod demo;
pub mod reference;
pub mod tribunaux;

use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, DbErr};

/// Raw SQL written with `?` placeholders, as the backend wants them (`$1`… on
/// PostgreSQL).
pub fn placeholders(backend: DbBackend, sql: &str) -> String {
    if backend != DbBackend::Postgres {
        return sql.to_string();
    }
    let mut n = 0;
    sql.chars()
        .map(|c| {
            if c == '?' {
                n += 1;
                format!("${n}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Multi-row INSERTs of one table, flushed in batches that stay under the bound
/// parameter limits of SQLite (32,766) and PostgreSQL (65,535).
pub struct BulkInsert {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<SimpleExpr>>,
    batch: usize,
    /// Flush on its own when a batch is full (off when rows of other tables must
    /// be written first: the owner then flushes tables in dependency order).
    auto_flush: bool,
    pub inserted: usize,
}

impl BulkInsert {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        BulkInsert { table, columns, rows: Vec::new(), batch: (30_000 / columns.len()).max(1), auto_flush: true, inserted: 0 }
    }

    /// A batch flushed only by `flush`.
    pub fn manual(table: &'static str, columns: &'static [&'static str]) -> Self {
        BulkInsert { auto_flush: false, ..BulkInsert::new(table, columns) }
    }

    pub fn pending(&self) -> usize {
        self.rows.len()
    }

    /// Adds a row (values in the order of the columns); flushes a full batch.
    pub async fn push(&mut self, db: &impl ConnectionTrait, row: Vec<SimpleExpr>) -> Result<(), DbErr> {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.table);
        self.rows.push(row);
        if self.auto_flush && self.rows.len() >= self.batch {
            self.flush(db).await?;
        }
        Ok(())
    }

    pub async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        if self.rows.is_empty() {
            return Ok(());
        }
        while !self.rows.is_empty() {
            let take = self.rows.len().min(self.batch);
            let mut insert = Query::insert();
            insert.into_table(Alias::new(self.table)).columns(self.columns.iter().map(|c| Alias::new(*c)));
            for row in self.rows.drain(..take) {
                insert.values(row).map_err(|e| DbErr::Custom(format!("{} : {e}", self.table)))?;
            }
            db.execute(&insert).await?;
            self.inserted += take;
        }
        Ok(())
    }
}
