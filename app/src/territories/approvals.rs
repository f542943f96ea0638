//! Which gestionnaires are approved in some départements: individuels and services
//! through their liste blanche départements, préposés through the établissements
//! of their liste blanche entry located there.

use crate::db::entities::{etablissements, gestionnaires, liste_blanche, liste_blanche_departements, liste_blanche_etablissements};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition};

/// The liste blanche entries approved in any of `departements`: through their
/// départements, or through établissements located there (the rule, once).
fn entries_approved_in(departements: &[String]) -> [sea_orm::sea_query::SelectStatement; 2] {
    let by_departement = Query::select()
        .column(liste_blanche_departements::Column::ListeBlancheId)
        .from(liste_blanche_departements::Entity)
        .and_where(liste_blanche_departements::Column::DepartementCode.is_in(departements.iter().cloned()))
        .to_owned();
    let by_etablissement = Query::select()
        .column((liste_blanche_etablissements::Entity, liste_blanche_etablissements::Column::ListeBlancheId))
        .from(liste_blanche_etablissements::Entity)
        .inner_join(
            etablissements::Entity,
            Expr::col((etablissements::Entity, etablissements::Column::Id))
                .equals((liste_blanche_etablissements::Entity, liste_blanche_etablissements::Column::EtablissementId)),
        )
        .and_where(Expr::col((etablissements::Entity, etablissements::Column::DepartementCode)).is_in(departements.iter().cloned()))
        .to_owned();
    [by_departement, by_etablissement]
}

/// Condition on `gestionnaires` selecting those approved in any of `departements`.
pub fn approved_in(departements: &[String]) -> Condition {
    entries_approved_in(departements)
        .into_iter()
        .fold(Condition::any(), |any, entries| any.add(gestionnaires::Column::ListeBlancheId.in_subquery(entries)))
}

/// Condition on `liste_blanche` selecting the entries approved in any of
/// `departements` (a direction's territory).
pub fn entries_in(departements: &[String]) -> Condition {
    entries_approved_in(departements)
        .into_iter()
        .fold(Condition::any(), |any, entries| any.add(liste_blanche::Column::Id.in_subquery(entries)))
}

/// The same rule as [`approved_in`], for every entry at once: the départements
/// where each liste blanche entry is approved (read into memory by the search
/// index; `server/tests/integration/search.rs` checks that both forms agree).
pub async fn approved_departements(
    db: &impl sea_orm::ConnectionTrait,
) -> Result<std::collections::HashMap<i32, Vec<String>>, sea_orm::DbErr> {
    approvals_of(db, None).await
}

/// The départements where one liste blanche entry is approved (same rule).
pub async fn approved_departements_of(db: &impl sea_orm::ConnectionTrait, entry: i32) -> Result<Vec<String>, sea_orm::DbErr> {
    Ok(approvals_of(db, Some(entry)).await?.remove(&entry).unwrap_or_default())
}

async fn approvals_of(
    db: &impl sea_orm::ConnectionTrait,
    only: Option<i32>,
) -> Result<std::collections::HashMap<i32, Vec<String>>, sea_orm::DbErr> {
    use sea_orm::{EntityTrait, QueryFilter, QuerySelect};
    let mut by_departement = liste_blanche_departements::Entity::find()
        .select_only()
        .columns([liste_blanche_departements::Column::ListeBlancheId, liste_blanche_departements::Column::DepartementCode]);
    let mut by_etablissement = liste_blanche_etablissements::Entity::find()
        .select_only()
        .column(liste_blanche_etablissements::Column::ListeBlancheId)
        .column(etablissements::Column::DepartementCode)
        .inner_join(etablissements::Entity);
    if let Some(entry) = only {
        by_departement = by_departement.filter(liste_blanche_departements::Column::ListeBlancheId.eq(entry));
        by_etablissement = by_etablissement.filter(liste_blanche_etablissements::Column::ListeBlancheId.eq(entry));
    }
    let by_departement: Vec<(i32, String)> = by_departement.into_tuple().all(db).await?;
    let by_etablissement: Vec<(i32, String)> = by_etablissement.into_tuple().all(db).await?;
    let mut approved: std::collections::HashMap<i32, Vec<String>> = std::collections::HashMap::new();
    for (entry, departement) in by_departement.into_iter().chain(by_etablissement) {
        let list = approved.entry(entry).or_default();
        if !list.contains(&departement) {
            list.push(departement);
        }
    }
    Ok(approved)
}
