//! The rescue list's plain forms (server only): nudge by mail, mark as
//! handled, edit a reason's mail template.

use crate::extract::{Admin, ClientInfo, RecordId, SignedInAs};
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/a-relancer/{id}/relancer", post(post_relancer))
        .route("/admin/a-relancer/{id}/traiter", post(post_traiter))
        .route("/admin/a-relancer/modeles/{raison}", post(post_modele))
        .route("/admin/a-relancer/pourquoi/{id}", post(post_demander_pourquoi))
        .route("/pourquoi/{jeton}", post(post_pourquoi))
}

/// `POST /admin/a-relancer/pourquoi/{id}`: an inactive user asked why.
pub async fn post_demander_pourquoi(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = super::inactifs::demander(&state.db, &caller, id, &state.base_url, client.ip).await;
    form.back_to_list("/admin/a-relancer", None, result, "pourquoi")
}

/// `POST /pourquoi/{jeton}` (`reponse`, `precision`): anyone holding the link.
pub async fn post_pourquoi(State(state): State<AppState>, Path(jeton): Path<String>, form: FormData) -> Response {
    use axum::response::{IntoResponse, Redirect};
    // A token is hexadecimal: anything else names no question (and never goes into an address).
    if !crate::rules::jeton::est_jeton(&jeton) {
        return crate::errors::AppError::Invalide(super::inactifs::LIEN_INVALIDE.into()).into_response();
    }
    let page = format!("/pourquoi/{jeton}");
    match super::inactifs::repondre(&state.db, &jeton, &form.text("reponse"), &form.text("precision")).await {
        Ok(()) => Redirect::to(&format!("{page}?fait=1")).into_response(),
        Err(error) => form.refused(&page, &[("reponse", ""), ("precision", "")], error),
    }
}

/// `POST /admin/a-relancer/{id}/relancer` (`raison`): the template mailed.
pub async fn post_relancer(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = super::relance::relancer(&state.db, &caller, id, &form.text("raison"), client.ip, &state.base_url).await;
    form.back_to_list("/admin/a-relancer", None, result, "relance")
}

/// `POST /admin/a-relancer/{id}/traiter` (`raison`, `note`).
pub async fn post_traiter(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = super::relance::traiter(&state.db, &caller, id, &form.text("raison"), &form.text("note"), client.ip).await;
    form.back_to_list("/admin/a-relancer", None, result, "traite")
}

/// `POST /admin/a-relancer/modeles/{raison}` (`sujet`, `texte`).
pub async fn post_modele(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    Path(raison): Path<String>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result =
        super::relance::enregistrer_gabarit(&state.db, &caller, &raison, &form.text("sujet"), &form.text("texte"), client.ip).await;
    form.back_to_list("/admin/a-relancer", None, result, "modele")
}
