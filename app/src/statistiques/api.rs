//! `GET /api/v1/statistiques/publiques`: the public figures (anyone).

use super::StatistiquesPubliques;
use crate::errors::AppError;
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/statistiques/publiques", get(publiques))
}

/// The public figures, as the page `/statistiques` shows them.
#[utoipa::path(get, path = "/api/v1/statistiques/publiques", tag = "statistiques", summary = "Les chiffres publics d'e-MJPM",
    description = "Sans connexion. Ce que le service a changé, sans aucune donnée personnelle : territoires ouverts et prévus, tribunaux et mandataires qui l'utilisent, mesures réservées par mois, délai médian entre réservation et acceptation, part des mandataires aux disponibilités à jour, satisfaction. Recalculés chaque jour ; tout nombre inférieur à 5 est absent (null).",
    responses(
        (status = 200, description = "Les chiffres du jour", body = StatistiquesPubliques),
        (status = 503, description = "Base de données indisponible", body = ErreurApi),
    ))]
pub async fn publiques(State(state): State<AppState>) -> Result<Json<StatistiquesPubliques>, AppError> {
    Ok(Json(super::service::lire(&state.db).await?))
}
