//! Small helpers shared by the migrations.

use sea_orm_migration::prelude::*;

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
