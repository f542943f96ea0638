//! The rollout's plain form (server only): a département's state changed.

use super::DemandeDeploiement;
use crate::extract::{Admin, ClientInfo, SignedInAs};
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/deploiement/{code}", post(post_etat))
        .route("/admin/deploiement/{code}/inscriptions", post(post_inscriptions))
}

/// `POST /admin/deploiement/{code}/inscriptions`: the département's waiting
/// sign-ups validated in one action.
pub async fn post_inscriptions(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    Path(code): Path<String>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let page = format!("/admin/deploiement/{}", crate::layout::kit::urlencode(&code));
    match super::service::valider_inscriptions(&state.db, &caller, &code, &state.base_url, client.ip).await {
        Ok(bilan) => Redirect::to(&format!("{page}?fait=inscriptions&n={}&reste={}", bilan.validees, bilan.laissees)).into_response(),
        Err(error) => form.refused(&page, &[], error),
    }
}

/// `POST /admin/deploiement/{code}` (`etat`, `vague`, `date_prevue`, `date_ouverture`).
pub async fn post_etat(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    Path(code): Path<String>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let demande = DemandeDeploiement {
        etat: form.text("etat"),
        vague: form.text("vague"),
        date_prevue: form.text("date_prevue"),
        date_ouverture: form.text("date_ouverture"),
    };
    // A code that is no département's is a page that does not exist.
    let page = format!("/admin/deploiement/{}", crate::layout::kit::urlencode(&code));
    match super::service::change(&state.db, &caller, &code, &demande, client.ip).await {
        Ok(()) => Redirect::to(&format!("{page}?fait=etat")).into_response(),
        Err(error) => form.refused(&page, &super::CHAMPS, error),
    }
}
