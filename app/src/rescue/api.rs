//! `GET /api/v1/a-relancer`: the users to rescue (administrators).

use super::ARelancer;
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/a-relancer", get(list))
}

/// The users who need a hand.
#[utoipa::path(get, path = "/api/v1/a-relancer", tag = "deploiement", summary = "Les utilisateurs à relancer",
    description = "Administrateurs seulement. Chaque personne avec la raison, depuis quand, son territoire et sa dernière action utile ; les inscriptions en attente de l'équipe d'abord, puis les plus anciennes.",
    responses(
        (status = 200, description = "Les personnes à relancer", body = [ARelancer]),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'administrateur", body = ErreurApi),
    ))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<ARelancer>>, AppError> {
    Ok(Json(super::service::list(&state.db, &caller).await?))
}
