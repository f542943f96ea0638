//! `GET /api/v1/gestionnaires` and `GET /api/v1/communes`: the same rules and the
//! same code as the search page.

use super::communes::{suggest, CommuneSuggestion};
use super::criteria::Filtres;
use super::engine::search;
use super::PageResultats;
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::rules::roles::Role;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/gestionnaires", get(list))
        .route("/api/v1/communes", get(communes))
}

/// A query string that cannot be read at all (e.g. a parameter given twice).
fn bad_query(rejection: QueryRejection) -> AppError {
    AppError::Invalide(format!("Paramètres de requête illisibles : {}", rejection.body_text()))
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    filtres: Result<Query<Filtres>, QueryRejection>,
) -> Result<Json<PageResultats>, AppError> {
    caller.require(&[Role::Magistrat, Role::Greffier])?;
    let Query(filtres) = filtres.map_err(bad_query)?;
    let criteres = filtres.validate()?;
    Ok(Json(search(&state.db, &caller, &criteres).await?))
}

#[derive(Deserialize)]
struct CommuneQuery {
    #[serde(default)]
    q: String,
}

async fn communes(
    State(state): State<AppState>,
    _caller: Caller,
    query: Result<Query<CommuneQuery>, QueryRejection>,
) -> Result<Json<Vec<CommuneSuggestion>>, AppError> {
    let Query(query) = query.map_err(bad_query)?;
    if query.q.chars().count() > 100 {
        return Err(AppError::Invalide("Paramètre « q » : 100 caractères au plus.".into()));
    }
    Ok(Json(suggest(&state.db, &query.q).await?))
}
