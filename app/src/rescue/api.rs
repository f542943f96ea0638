//! `GET /api/v1/a-relancer`: the users to rescue (administrators).

use super::ARelancer;
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::extract::ApiQuery;
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/a-relancer", get(list))
}

/// Which people to list (`GET /api/v1/a-relancer`).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct FiltresARelancer {
    /// Code d'une raison (`inscription_en_attente`, `invitation_inutilisee`, `jamais_connecte`, `acces_perdu`,
    /// `recherche_sans_reservation`, `reservation_sans_reponse`, `chiffres_anciens`, `antennes_a_zero`) :
    /// les personnes de cette raison seulement. Sans elle, toutes, dans l'ordre de la liste.
    pub raison: Option<String>,
    /// Numéro de page (50 personnes par page), à partir de 1 ; au-delà de la dernière, une liste vide.
    pub page: Option<String>,
}

/// The users who need a hand, a page at a time; `X-Total-Count` says how
/// many there are in all.
#[utoipa::path(get, path = "/api/v1/a-relancer", tag = "deploiement", summary = "Les utilisateurs à relancer",
    description = "Administrateurs seulement. Chaque personne avec la raison, depuis quand, son territoire et sa dernière action utile ; les inscriptions en attente de l'équipe d'abord, puis les invitations inutilisées, puis les autres raisons, les plus anciennes d'abord. 50 personnes par page ; l'en-tête `X-Total-Count` donne le nombre de personnes en tout (de la raison demandée, le cas échéant).",
    params(FiltresARelancer),
    responses(
        (status = 200, description = "Les personnes à relancer de la page demandée", body = [ARelancer],
            headers(("X-Total-Count" = u64, description = "Nombre de personnes à relancer en tout"))),
        (status = 400, description = "Raison inconnue", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'administrateur", body = ErreurApi),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filtres): ApiQuery<FiltresARelancer>,
) -> Result<([(&'static str, String); 1], Json<Vec<ARelancer>>), AppError> {
    let (total, personnes) = super::service::list(&state.db, &caller, filtres.raison.as_deref(), filtres.page.as_deref()).await?;
    Ok(([("x-total-count", total.to_string())], Json(personnes)))
}
