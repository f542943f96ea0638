//! Commune autocomplete: by name (accent- and case-insensitive, "st" = "saint")
//! or by postal code, best first (exact name, then most populated).

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommuneSuggestion {
    /// INSEE code.
    pub code: String,
    pub nom: String,
    pub codes_postaux: Vec<String>,
    pub departement: String,
    pub latitude: f64,
    pub longitude: f64,
}

pub const SUGGESTIONS_MAX: u64 = 20;

#[cfg(feature = "ssr")]
pub async fn suggest(
    db: &impl sea_orm::ConnectionTrait,
    typed: &str,
) -> Result<Vec<CommuneSuggestion>, crate::errors::AppError> {
    use crate::db::entities::{communes, communes_codes_postaux};
    use crate::rules::geo::nom_recherche;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

    let typed = typed.trim();
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let rows: Vec<communes::Model> = if !digits.is_empty() && digits.len() <= 5 && digits.chars().all(|c| c.is_ascii_digit()) {
        // A postal code (or its beginning), or an INSEE code typed in full.
        let by_postal_code = Query::select()
            .column(communes_codes_postaux::Column::CommuneCode)
            .from(communes_codes_postaux::Entity)
            .and_where(Expr::col(communes_codes_postaux::Column::CodePostal).like(format!("{digits}%")))
            .to_owned();
        communes::Entity::find()
            .filter(
                Condition::any()
                    .add(communes::Column::Code.in_subquery(by_postal_code))
                    .add(communes::Column::Code.eq(digits.as_str())),
            )
            .order_by_desc(communes::Column::Population)
            .order_by_asc(communes::Column::Code)
            .limit(SUGGESTIONS_MAX)
            .all(db)
            .await?
    } else {
        let wanted = nom_recherche(typed);
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        // Names starting with the text, or with a word starting with it.
        let mut rows = communes::Entity::find()
            .filter(
                Condition::any()
                    .add(communes::Column::NomRecherche.like(format!("{wanted}%")))
                    .add(communes::Column::NomRecherche.like(format!("% {wanted}%"))),
            )
            .order_by_desc(communes::Column::Population)
            .order_by_asc(communes::Column::Code)
            .limit(200)
            .all(db)
            .await?;
        // Exact names first, then names starting with the text, then the others;
        // the most populated first within each group (the query's order, kept).
        rows.sort_by_key(|c| {
            if c.nom_recherche == wanted {
                0
            } else if c.nom_recherche.starts_with(&wanted) {
                1
            } else {
                2
            }
        });
        rows.truncate(SUGGESTIONS_MAX as usize);
        rows
    };
    Ok(rows
        .into_iter()
        .map(|c| CommuneSuggestion {
            codes_postaux: c.codes_postaux.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
            code: c.code,
            nom: c.nom,
            departement: c.departement_code,
            latitude: c.latitude,
            longitude: c.longitude,
        })
        .collect())
}
