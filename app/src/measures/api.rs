//! `POST /api/v1/mesures`: a judge's or greffier's reservation, with the same
//! rules and code as the reservation form.

use super::reservation::{reserve, DemandeReservation, MesureReservee};
use crate::accounts::guard::Caller;
use crate::accounts::http::ClientInfo;
use crate::errors::AppError;
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/mesures", post(create))
        .route("/tribunal/mandataires/{id}/reserver", post(super::reservation_form::post_reservation))
}

/// Reserve a measure with a professional (magistrats and greffiers). The answer
/// carries a warning when the professional is full or suspended.
#[utoipa::path(post, path = "/api/v1/mesures", tag = "mesures", request_body = DemandeReservation,
    responses(
        (status = 201, description = "Mesure réservée (statut en_attente)", body = MesureReservee),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre que magistrat ou greffier", body = ErreurApi),
        (status = 404, description = "Aucun mandataire agréé avec cet identifiant", body = ErreurApi),
        (status = 422, description = "Champs invalides : `champs` donne un message par champ", body = ErreurApi),
    ))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    body: Result<Json<DemandeReservation>, JsonRejection>,
) -> Result<(StatusCode, Json<MesureReservee>), AppError> {
    let Json(demande) =
        body.map_err(|rejection| AppError::Invalide(format!("Corps de la requête illisible : {}", rejection.body_text())))?;
    let reservee = reserve(&state.db, &caller, &demande, client.ip).await?;
    Ok((StatusCode::CREATED, Json(reservee)))
}
