//! `GET /api/v1/deploiement`: every département's rollout and funnel (administrators).

use super::DepartementDeploiement;
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/deploiement", get(list))
}

/// Every département's rollout.
#[utoipa::path(get, path = "/api/v1/deploiement", tag = "deploiement", summary = "Le déploiement, département par département",
    description = "Administrateurs seulement. Chaque département avec son état (non ouvert, pilote, ouvert), sa vague, ses dates d'ouverture prévue et effective, et l'entonnoir d'adoption de ses comptes.",
    responses(
        (status = 200, description = "Tous les départements, par code", body = [DepartementDeploiement]),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'administrateur", body = ErreurApi),
    ))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<DepartementDeploiement>>, AppError> {
    Ok(Json(super::service::list(&state.db, &caller).await?))
}
