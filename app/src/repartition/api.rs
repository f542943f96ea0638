//! `GET /api/v1/repartition`: the fairness view of a tribunal.

use super::Repartition;
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::extract::ApiQuery;
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/repartition", get(repartition))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RepartitionQuery {
    /// Numéro du tribunal : obligatoire pour une direction (un tribunal de son territoire) et
    /// l'équipe ; un magistrat ou un greffier voit le sien (un autre numéro est refusé).
    tribunal: Option<String>,
}

/// How a tribunal's reservations were spread among the professionals of its scope.
#[utoipa::path(get, path = "/api/v1/repartition", tag = "statistiques", summary = "La répartition des réservations d'un tribunal",
    description = "Sur les 12 derniers mois : la part des réservations du tribunal reçue par chaque mandataire de son périmètre (agréés dans son département ou l'ayant choisi comme tribunal préféré) comparée à sa part de la capacité déclarée, triés du moins sollicité au plus sollicité au regard de sa capacité ; la part allée au dixième des mandataires les plus sollicités ; l'indice de Gini ; les mandataires jamais sollicités qui ont des places libres. Aucun classement des juges. Magistrats et greffiers : leur tribunal ; directions : un tribunal de leur territoire ; équipe : tout tribunal.",
    params(RepartitionQuery),
    responses(
        (status = 200, description = "La répartition", body = Repartition),
        (status = 400, description = "Paramètre « tribunal » absent ou illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Mandataire, ou tribunal hors de votre tribunal ou de votre territoire", body = ErreurApi),
        (status = 404, description = "Aucun tribunal de ce numéro (équipe)", body = ErreurApi),
    ))]
pub async fn repartition(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<RepartitionQuery>,
) -> Result<Json<Repartition>, AppError> {
    Ok(Json(super::service::repartition(&state.db, &state.search_index, &caller, query.tribunal.as_deref()).await?))
}
