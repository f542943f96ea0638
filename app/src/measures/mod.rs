//! Measures (mesures de protection): statuses and counts, reservation, counters.

use serde::{Deserialize, Serialize};

/// How many measures are in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub en_attente: i64,
    pub en_cours: i64,
    pub eteinte: i64,
}

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod counters;
pub mod reservation;
pub mod reservation_form;

#[cfg(feature = "ssr")]
pub mod counts {
    use super::StatusCounts;
    use crate::db::entities::mesures;
    use crate::errors::AppError;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ConnectionTrait, Condition, EntityTrait, QueryFilter, QuerySelect};

    /// Counts the measures matching `condition`, by status, in one query.
    pub async fn by_status(db: &impl ConnectionTrait, condition: Condition) -> Result<StatusCounts, AppError> {
        let rows: Vec<(String, i64)> = mesures::Entity::find()
            .select_only()
            .column(mesures::Column::Statut)
            .column_as(Expr::col(mesures::Column::Id).count(), "n")
            .filter(condition)
            .group_by(mesures::Column::Statut)
            .into_tuple()
            .all(db)
            .await?;
        let mut counts = StatusCounts::default();
        for (statut, n) in rows {
            match statut.as_str() {
                "en_attente" => counts.en_attente = n,
                "en_cours" => counts.en_cours = n,
                "eteinte" => counts.eteinte = n,
                other => tracing::warn!("statut de mesure inconnu : {other}"),
            }
        }
        Ok(counts)
    }
}
