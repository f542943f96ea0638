//! The feedback API: anyone gives an avis (same checks and limit as the form;
//! a write from another site is refused by the Origin check every write goes
//! through), the team reads them.

use super::{DemandeAvis, FiltresAvis, LigneAvis};
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::extract::{ApiJson, ApiQuery, ClientInfo, MaybeSignedIn};
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/avis", post(give).get(list))
}

/// Réponse au dépôt d'un avis.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AvisEnregistre {
    /// Identifiant de l'avis.
    pub id: i32,
}

/// Give an avis, signed in or not.
#[utoipa::path(post, path = "/api/v1/avis", tag = "avis", summary = "Donner son avis sur e-MJPM",
    description = "Ouvert à tous, connecté ou non. Le rôle et le territoire sont ceux de la session ; la page est celle indiquée (chemin seul, identifiants masqués). Au plus 10 avis par personne (ou par adresse IP sans session) en 30 minutes. N'écrivez rien sur une personne protégée.",
    request_body = DemandeAvis,
    responses(
        (status = 201, description = "Avis enregistré", body = AvisEnregistre),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 403, description = "Requête venue d'un autre site (en-tête Origin)", body = ErreurApi),
        (status = 422, description = "Champs invalides : `champs` donne un message par champ", body = ErreurApi),
        (status = 429, description = "Trop d'avis en peu de temps ; en-tête Retry-After en secondes", body = ErreurApi),
    ))]
pub async fn give(
    State(state): State<AppState>,
    MaybeSignedIn(caller): MaybeSignedIn,
    client: ClientInfo,
    ApiJson(body): ApiJson<DemandeAvis>,
) -> Result<(StatusCode, Json<AvisEnregistre>), AppError> {
    let id = super::service::submit(&state.db, caller.as_ref(), &body, client.ip.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(AvisEnregistre { id })))
}

/// The avis, newest first (administrators).
#[utoipa::path(get, path = "/api/v1/avis", tag = "avis", summary = "Lire les avis (équipe e-MJPM)",
    description = "Administrateurs seulement. 50 avis par page, du plus récent au plus ancien.",
    params(FiltresAvis),
    responses(
        (status = 200, description = "Les avis de la page demandée", body = [LigneAvis]),
        (status = 400, description = "Filtre illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'administrateur", body = ErreurApi),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filtres): ApiQuery<FiltresAvis>,
) -> Result<Json<Vec<LigneAvis>>, AppError> {
    Ok(Json(super::service::list(&state.db, &caller, &filtres).await?.avis))
}
