//! The capacity counters of gestionnaires and antennes (`en_cours`, `en_attente`,
//! `derniere_mise_a_jour`). Every write that changes a measure's status goes
//! through [`adjust`], inside the same transaction as the write, so the counters
//! always equal a recount of the measures — without scanning measures per search.
//!
//! `derniere_mise_a_jour` is the figures' freshness as judges read it: the last
//! time the professional (or its service) confirmed its capacity or acted on
//! its measures. A judge's reservation, a cancellation or an expiry moves the
//! counters but says nothing of whether the professional keeps its figures up
//! to date, so it leaves the date alone.

use crate::db::entities::{antennes, gestionnaires};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// Who acts on a measure: only the professional's own acts make its figures fresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auteur {
    /// The professional or a member of its service.
    Professionnel,
    /// A judge, a greffier, the expiry job.
    Tiers,
}

/// Adds `en_cours` and `en_attente` (which may be negative) to a gestionnaire and,
/// when the measure is attached to one, to its antenne; their freshness moves to
/// now when the professional acts. Increments are computed
/// by the database (`SET en_attente = en_attente + 1`), so concurrent writers
/// never lose an update; on SQLite this first write also takes the database's
/// write lock, which is why callers adjust counters before reading anything else.
pub async fn adjust(
    db: &impl ConnectionTrait,
    gestionnaire_id: i32,
    antenne_id: Option<i32>,
    en_cours: i32,
    en_attente: i32,
    auteur: Auteur,
) -> Result<(), DbErr> {
    let now = chrono::Utc::now().fixed_offset();
    let mut gestionnaire = gestionnaires::Entity::update_many()
        .col_expr(gestionnaires::Column::EnCours, Expr::col(gestionnaires::Column::EnCours).add(en_cours))
        .col_expr(gestionnaires::Column::EnAttente, Expr::col(gestionnaires::Column::EnAttente).add(en_attente));
    if auteur == Auteur::Professionnel {
        gestionnaire = gestionnaire.col_expr(gestionnaires::Column::DerniereMiseAJour, Expr::value(now));
    }
    gestionnaire.filter(gestionnaires::Column::Id.eq(gestionnaire_id)).exec(db).await?;
    if let Some(antenne_id) = antenne_id {
        let mut antenne = antennes::Entity::update_many()
            .col_expr(antennes::Column::EnCours, Expr::col(antennes::Column::EnCours).add(en_cours))
            .col_expr(antennes::Column::EnAttente, Expr::col(antennes::Column::EnAttente).add(en_attente));
        if auteur == Auteur::Professionnel {
            antenne = antenne.col_expr(antennes::Column::DerniereMiseAJour, Expr::value(now));
        }
        antenne.filter(antennes::Column::Id.eq(antenne_id)).exec(db).await?;
    }
    Ok(())
}

/// A counter that differs from a recount of the measures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ecart {
    /// `gestionnaires` or `antennes`.
    pub table: &'static str,
    pub id: i32,
    /// (stored, recounted)
    pub en_cours: (i64, i64),
    pub en_attente: (i64, i64),
}

impl std::fmt::Display for Ecart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.table == "antennes" { "antenne" } else { "gestionnaire" };
        write!(
            f,
            "{kind} {} : en cours {} (recompté {}), en attente {} (recompté {})",
            self.id, self.en_cours.0, self.en_cours.1, self.en_attente.0, self.en_attente.1
        )
    }
}

const COUNTED: [(&str, &str); 2] = [("gestionnaires", "gestionnaire_id"), ("antennes", "antenne_id")];

/// Recounts every gestionnaire's and antenne's measures from scratch and lists
/// the counters that differ (none, when every write went through [`adjust`]).
pub async fn verify(db: &impl ConnectionTrait) -> Result<Vec<Ecart>, DbErr> {
    let mut ecarts = Vec::new();
    for (table, column) in COUNTED {
        let sql = format!(
            "SELECT t.id AS id, CAST(t.en_cours AS BIGINT) AS en_cours, CAST(t.en_attente AS BIGINT) AS en_attente,
                    CAST(COALESCE(SUM(CASE WHEN m.statut = 'en_cours' THEN 1 ELSE 0 END), 0) AS BIGINT) AS recount_en_cours,
                    CAST(COALESCE(SUM(CASE WHEN m.statut = 'en_attente' THEN 1 ELSE 0 END), 0) AS BIGINT) AS recount_en_attente
             FROM {table} t LEFT JOIN mesures m ON m.{column} = t.id
             GROUP BY t.id, t.en_cours, t.en_attente
             ORDER BY t.id"
        );
        let rows = db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await?;
        for row in rows {
            let get = |name: &str| row.try_get::<i64>("", name);
            let ecart = Ecart {
                table,
                id: row.try_get::<i32>("", "id")?,
                en_cours: (get("en_cours")?, get("recount_en_cours")?),
                en_attente: (get("en_attente")?, get("recount_en_attente")?),
            };
            if ecart.en_cours.0 != ecart.en_cours.1 || ecart.en_attente.0 != ecart.en_attente.1 {
                ecarts.push(ecart);
            }
        }
    }
    Ok(ecarts)
}

/// Sets the counters listed in `ecarts` to a recount made inside one transaction
/// (so writes made since the check are counted too).
pub async fn fix(db: &sea_orm::DatabaseConnection, ecarts: &[Ecart]) -> Result<(), DbErr> {
    let tx = crate::db::begin(db).await?;
    for ecart in ecarts {
        let column = COUNTED.iter().find(|(table, _)| *table == ecart.table).map(|(_, c)| *c).unwrap_or("gestionnaire_id");
        let recount = |statut: &str| {
            format!(
                "(SELECT COUNT(*) FROM mesures WHERE mesures.{column} = {table}.id AND mesures.statut = '{statut}')",
                table = ecart.table
            )
        };
        let sql = format!(
            "UPDATE {} SET en_cours = {}, en_attente = {} WHERE id = {}",
            ecart.table,
            recount("en_cours"),
            recount("en_attente"),
            ecart.id
        );
        tx.execute_unprepared(&sql).await?;
    }
    tx.commit().await
}
