//! `GET /api/v1/gestionnaires` and `GET /api/v1/communes`: the same rules and the
//! same code as the search page.

use super::communes::{suggest, CommuneSuggestion, Proximite};
use super::criteria::Filtres;
use super::engine::search;
use super::PageResultats;
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::extract::{ApiPath, ApiQuery};
use crate::professionals::fiche::{fiche_for, Fiche};
use crate::rules::roles::Role;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/gestionnaires", get(list))
        .route("/api/v1/gestionnaires/{id}", get(one))
        .route("/api/v1/communes", get(communes))
}

/// Le corps d'erreur de tout refus.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErreurApi {
    /// Message en français, sans détail interne.
    pub erreur: String,
    /// Réponses 422 seulement : un message par champ refusé.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub champs: Option<std::collections::BTreeMap<String, String>>,
}

/// Professionals a magistrat or greffier may entrust a measure to.
#[utoipa::path(get, path = "/api/v1/gestionnaires", tag = "recherche", summary = "Chercher un mandataire", description = "Magistrats et greffiers : les mandataires à qui confier une mesure, filtrés et triés comme dans la recherche.", params(Filtres),
    responses(
        (status = 200, description = "Une page de résultats", body = PageResultats),
        (status = 400, description = "Paramètre invalide (nommé dans le message)", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre que magistrat ou greffier", body = ErreurApi),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filtres): ApiQuery<Filtres>,
) -> Result<Json<PageResultats>, AppError> {
    caller.require(&Role::TRIBUNAL)?;
    let criteres = filtres.validate()?;
    Ok(Json(search(&state.db, &state.search_index, &caller, &criteres).await?))
}

/// One professional's page (contact, antennes, the tribunal's notes).
#[utoipa::path(get, path = "/api/v1/gestionnaires/{id}", tag = "recherche", summary = "Lire la fiche d'un mandataire", description = "Coordonnées, antennes, capacité et observations du tribunal.",
    params(("id" = i32, Path, description = "Identifiant du mandataire")),
    responses(
        (status = 200, description = "La fiche", body = Fiche),
        (status = 400, description = "Identifiant invalide", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre que magistrat ou greffier", body = ErreurApi),
        (status = 404, description = "Aucun mandataire agréé avec cet identifiant", body = ErreurApi),
    ))]
pub async fn one(State(state): State<AppState>, caller: Caller, ApiPath(id): ApiPath<i32>) -> Result<Json<Fiche>, AppError> {
    caller.require(&Role::TRIBUNAL)?;
    Ok(Json(fiche_for(&state.db, &caller, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommuneQuery {
    /// Début du nom (accents et casse indifférents, « st » = « saint ») ou code postal.
    #[serde(default)]
    q: String,
}

/// Commune autocomplete: at most 20 communes, best first (the caller's
/// département, then its région, then the rest).
#[utoipa::path(get, path = "/api/v1/communes", tag = "recherche", summary = "Suggérer des communes", description = "Les communes qui correspondent au texte saisi : celles du département du tribunal d'abord, puis de sa région, puis les autres.", params(CommuneQuery),
    responses(
        (status = 200, description = "Communes", body = Vec<CommuneSuggestion>),
        (status = 400, description = "Texte trop long", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
    ))]
pub async fn communes(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CommuneQuery>,
) -> Result<Json<Vec<CommuneSuggestion>>, AppError> {
    if query.q.chars().count() > 100 {
        return Err(AppError::Invalide("Paramètre « q » : 100 caractères au plus.".into()));
    }
    Ok(Json(suggest(&state.db, &query.q, &Proximite::of(&state.db, &caller).await?).await?))
}
