//! Which gestionnaires are approved in some départements: individuels and services
//! through their liste blanche départements, préposés through the établissements
//! of their liste blanche entry located there.

use crate::db::entities::{etablissements, gestionnaires, liste_blanche_departements, liste_blanche_etablissements};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition};

/// Condition on `gestionnaires` selecting those approved in any of `departements`.
pub fn approved_in(departements: &[String]) -> Condition {
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
        .and_where(
            Expr::col((etablissements::Entity, etablissements::Column::DepartementCode))
                .is_in(departements.iter().cloned()),
        )
        .to_owned();
    Condition::any()
        .add(gestionnaires::Column::ListeBlancheId.in_subquery(by_departement))
        .add(gestionnaires::Column::ListeBlancheId.in_subquery(by_etablissement))
}
