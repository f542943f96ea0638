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
