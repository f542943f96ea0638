//! `GET /api/v1/adoption`: the funnel of a territory and role (the team: any
//! territory; a direction: its own, 403 otherwise).

use super::{Adoption, FiltresAdoption};
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::extract::ApiQuery;
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/adoption", get(funnel))
}

/// The adoption funnel of a territory.
#[utoipa::path(get, path = "/api/v1/adoption", tag = "deploiement", summary = "L'entonnoir d'adoption d'un territoire",
    description = "Administrateurs : tout territoire ; directions : le leur seulement (403 sinon). Des nombres, jamais de personnes : comptes demandés, validés, première connexion, première action utile, actifs (action utile ces 30 derniers jours).",
    params(FiltresAdoption),
    responses(
        (status = 200, description = "Les étapes dans l'ordre", body = Adoption),
        (status = 400, description = "Filtre illisible, territoire ou rôle inconnu", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle non autorisé, ou territoire d'une autre direction", body = ErreurApi),
    ))]
pub async fn funnel(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filtres): ApiQuery<FiltresAdoption>,
) -> Result<Json<Adoption>, AppError> {
    Ok(Json(super::funnel(&state.db, &caller, &filtres).await?))
}
