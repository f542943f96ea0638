//! `emjpm seed-reference`: the embedded régions, départements and communes
//! (see docs/reference-data.md), upserted so that a second run changes nothing.

use super::BulkInsert;
use anyhow::{Context, Result};
use app::rules::geo::nom_recherche;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::io::Read;

const REGIONS: &str = include_str!("../../reference/regions.tsv");
const DEPARTEMENTS: &str = include_str!("../../reference/departements.tsv");
const COMMUNES_GZ: &[u8] = include_bytes!("../../reference/communes.tsv.gz");

#[derive(Debug)]
pub struct ReferenceReport {
    pub regions: usize,
    pub departements: usize,
    pub communes: usize,
    pub codes_postaux: usize,
}

impl std::fmt::Display for ReferenceReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Référentiel chargé : {} régions, {} départements, {} communes, {} couples code postal / commune.",
            self.regions, self.departements, self.communes, self.codes_postaux
        )
    }
}

fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines().skip(1).filter(|l| !l.is_empty()).map(|l| l.split('\t').collect())
}

fn text(value: &str) -> SimpleExpr {
    Expr::val(value.to_string())
}

/// Loads the reference geography. Rows are replaced table by table inside one
/// transaction (references from other tables are to codes, which do not change).
pub async fn seed_reference(db: &DatabaseConnection) -> Result<ReferenceReport> {
    let mut communes_tsv = String::new();
    flate2::read::GzDecoder::new(COMMUNES_GZ).read_to_string(&mut communes_tsv).context("référentiel des communes illisible")?;
    let txn = app::db::begin(db).await?;
    let mut report = ReferenceReport { regions: 0, departements: 0, communes: 0, codes_postaux: 0 };

    for row in rows(REGIONS) {
        upsert(&txn, "regions", "code", &[("code", text(row[0])), ("nom", text(row[1]))]).await?;
        report.regions += 1;
    }
    for row in rows(DEPARTEMENTS) {
        upsert(
            &txn,
            "departements",
            "code",
            &[("code", text(row[0])), ("nom", text(row[1])), ("region_code", text(row[2])), ("chef_lieu", text(row[3]))],
        )
        .await?;
        report.departements += 1;
    }
    // Communes: many rows, so replaced in bulk (the postal-code links first).
    txn.execute_unprepared("DELETE FROM communes_codes_postaux").await?;
    let known: std::collections::HashSet<String> = existing_codes(&txn).await?;
    let mut new_communes = BulkInsert::new(
        "communes",
        &["code", "nom", "nom_recherche", "departement_code", "codes_postaux", "population", "latitude", "longitude"],
    );
    let mut links = BulkInsert::new("communes_codes_postaux", &["code_postal", "commune_code"]);
    for row in rows(&communes_tsv) {
        let population: i32 = row[4].parse().context("population invalide")?;
        let latitude: f64 = row[5].parse().context("latitude invalide")?;
        let longitude: f64 = row[6].parse().context("longitude invalide")?;
        let values = vec![
            text(row[0]),
            text(row[1]),
            text(&nom_recherche(row[1])),
            text(row[2]),
            text(row[3]),
            Expr::val(population),
            Expr::val(latitude),
            Expr::val(longitude),
        ];
        if known.contains(row[0]) {
            let sql = sea_orm::sea_query::Query::update()
                .table(sea_orm::sea_query::Alias::new("communes"))
                .values([
                    (sea_orm::sea_query::Alias::new("nom"), values[1].clone()),
                    (sea_orm::sea_query::Alias::new("nom_recherche"), values[2].clone()),
                    (sea_orm::sea_query::Alias::new("departement_code"), values[3].clone()),
                    (sea_orm::sea_query::Alias::new("codes_postaux"), values[4].clone()),
                    (sea_orm::sea_query::Alias::new("population"), values[5].clone()),
                    (sea_orm::sea_query::Alias::new("latitude"), values[6].clone()),
                    (sea_orm::sea_query::Alias::new("longitude"), values[7].clone()),
                ])
                .and_where(Expr::col(sea_orm::sea_query::Alias::new("code")).eq(row[0]))
                .to_owned();
            txn.execute(&sql).await?;
        } else {
            new_communes.push(&txn, values).await?;
        }
        report.communes += 1;
    }
    new_communes.flush(&txn).await?;
    // Then the postal codes, once every commune they point to exists.
    for row in rows(&communes_tsv) {
        for code_postal in row[3].split(',').filter(|c| !c.is_empty()) {
            links.push(&txn, vec![text(code_postal), text(row[0])]).await?;
            report.codes_postaux += 1;
        }
    }
    links.flush(&txn).await?;
    txn.commit().await?;
    Ok(report)
}

async fn existing_codes(db: &impl ConnectionTrait) -> Result<std::collections::HashSet<String>> {
    let rows =
        db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), "SELECT code FROM communes".to_string())).await?;
    rows.iter().map(|r| r.try_get::<String>("", "code").map_err(Into::into)).collect()
}

/// INSERT … ON CONFLICT (key) DO UPDATE, portable across SQLite and PostgreSQL.
async fn upsert(db: &impl ConnectionTrait, table: &str, key: &str, values: &[(&str, SimpleExpr)]) -> Result<()> {
    use sea_orm::sea_query::{Alias, OnConflict, Query};
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns(values.iter().map(|(c, _)| Alias::new(*c)))
        .values(values.iter().map(|(_, v)| v.clone()))
        .context("valeurs")?
        .on_conflict(
            OnConflict::column(Alias::new(key))
                .update_columns(values.iter().filter(|(c, _)| *c != key).map(|(c, _)| Alias::new(*c)))
                .to_owned(),
        );
    db.execute(&insert).await?;
    Ok(())
}
