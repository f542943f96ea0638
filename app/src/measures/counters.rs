//! The capacity counters of gestionnaires and antennes (`en_cours`, `en_attente`,
//! `derniere_mise_a_jour`). Every write that changes a measure's status goes
//! through [`adjust`], inside the same transaction as the write, so the counters
//! always equal a recount of the measures — without scanning measures per search.

use crate::db::entities::{antennes, gestionnaires};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// Adds `en_cours` and `en_attente` (which may be negative) to a gestionnaire and,
/// when the measure is attached to one, to its antenne. Increments are computed
/// by the database (`SET en_attente = en_attente + 1`), so concurrent writers
/// never lose an update; on SQLite this first write also takes the database's
/// write lock, which is why callers adjust counters before reading anything else.
pub async fn adjust(
    db: &impl ConnectionTrait,
    gestionnaire_id: i32,
    antenne_id: Option<i32>,
    en_cours: i32,
    en_attente: i32,
) -> Result<(), DbErr> {
    let now = chrono::Utc::now().fixed_offset();
    gestionnaires::Entity::update_many()
        .col_expr(gestionnaires::Column::EnCours, Expr::col(gestionnaires::Column::EnCours).add(en_cours))
        .col_expr(gestionnaires::Column::EnAttente, Expr::col(gestionnaires::Column::EnAttente).add(en_attente))
        .col_expr(gestionnaires::Column::DerniereMiseAJour, Expr::value(now))
        .filter(gestionnaires::Column::Id.eq(gestionnaire_id))
        .exec(db)
        .await?;
    if let Some(antenne_id) = antenne_id {
        antennes::Entity::update_many()
            .col_expr(antennes::Column::EnCours, Expr::col(antennes::Column::EnCours).add(en_cours))
            .col_expr(antennes::Column::EnAttente, Expr::col(antennes::Column::EnAttente).add(en_attente))
            .col_expr(antennes::Column::DerniereMiseAJour, Expr::value(now))
            .filter(antennes::Column::Id.eq(antenne_id))
            .exec(db)
            .await?;
    }
    Ok(())
}
