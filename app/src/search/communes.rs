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

/// The communes a typed place may mean, best first: "Lille (59000)" as written
/// by the autocomplete (that postal code's communes, that name first), a name,
/// a postal code or an INSEE code. Empty when nothing matches.
#[cfg(feature = "ssr")]
pub async fn resolve(
    db: &impl sea_orm::ConnectionTrait,
    typed: &str,
) -> Result<Vec<CommuneSuggestion>, crate::errors::AppError> {
    use crate::rules::geo::nom_recherche;
    let (name, postal_code) = split_label(typed);
    Ok(match postal_code {
        Some(cp) => {
            let wanted = nom_recherche(name);
            let mut by_code = suggest(db, cp).await?;
            by_code.sort_by_key(|c| nom_recherche(&c.nom) != wanted);
            by_code
        }
        None => suggest(db, typed).await?,
    })
}

/// Where an address typed in a form lies: its commune ("Lille (59000)",
/// "59000", "Lille") and the postal code to write — the typed one when it is
/// the commune's, else its first. A field error on `commune` when nothing matches.
#[cfg(feature = "ssr")]
pub async fn place(
    db: &impl sea_orm::ConnectionTrait,
    typed: &str,
) -> Result<(CommuneSuggestion, String), crate::errors::AppError> {
    let commune = resolve(db, typed).await?.into_iter().next().ok_or_else(|| {
        crate::errors::AppError::Champs(vec![(
            "commune".into(),
            format!("Aucune commune ne correspond à « {typed} » : tapez son nom ou son code postal, par exemple « Lille (59000) »."),
        )])
    })?;
    let typed_code = split_label(typed).1.unwrap_or(typed.trim());
    let code_postal = match commune.codes_postaux.iter().find(|cp| *cp == typed_code) {
        Some(cp) => cp.clone(),
        None => commune.codes_postaux.first().cloned().unwrap_or_default(),
    };
    Ok((commune, code_postal))
}

/// Commune suggestions for the search field's autocomplete (signed-in users).
#[leptos::server(prefix = "/api/fn", endpoint = "suggerer_communes")]
pub async fn suggerer_communes(q: String) -> Result<Vec<CommuneSuggestion>, crate::errors::AppError> {
    crate::accounts::guard::caller().await?;
    if q.chars().count() > 100 {
        return Err(crate::errors::AppError::Invalide("100 caractères au plus.".into()));
    }
    suggest(&crate::state::app_state()?.db, &q).await
}

/// How a suggestion is written in the search field: "Lille (59000)".
pub fn label(c: &CommuneSuggestion) -> String {
    match c.codes_postaux.first() {
        Some(cp) => format!("{} ({cp})", c.nom),
        None => c.nom.clone(),
    }
}

/// Splits "Lille (59000)" into its name and postal code.
pub fn split_label(typed: &str) -> (&str, Option<&str>) {
    let typed = typed.trim();
    if let Some(open) = typed.rfind('(') {
        let inner = typed[open + 1..].trim_end_matches(')').trim();
        if inner.len() == 5 && inner.chars().all(|c| c.is_ascii_digit()) {
            return (typed[..open].trim(), Some(inner));
        }
    }
    (typed, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        let c = CommuneSuggestion {
            code: "59350".into(),
            nom: "Lille".into(),
            codes_postaux: vec!["59000".into(), "59800".into()],
            departement: "59".into(),
            latitude: 0.0,
            longitude: 0.0,
        };
        assert_eq!(label(&c), "Lille (59000)");
        assert_eq!(split_label("Lille (59000)"), ("Lille", Some("59000")));
        assert_eq!(split_label(" Saint-Amand-les-Eaux (59230) "), ("Saint-Amand-les-Eaux", Some("59230")));
        assert_eq!(split_label("Lille"), ("Lille", None));
        assert_eq!(split_label("Pau (abc)"), ("Pau (abc)", None));
    }
}
