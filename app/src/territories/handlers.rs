//! The liste blanche's plain forms (server only): a new entry, an entry changed.

use crate::extract::{ClientInfo, RecordId, SignedIn};
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/liste-blanche", post(post_nouvelle)).route("/liste-blanche/{id}", post(post_entree))
}

/// `POST /liste-blanche`: a new entry.
pub async fn post_nouvelle(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    save_entree(state, caller, None, client, form).await
}

/// `POST /liste-blanche/{id}`: an entry changed.
pub async fn post_entree(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    save_entree(state, caller, Some(id), client, form).await
}

async fn save_entree(
    state: crate::state::AppState,
    caller: crate::accounts::guard::Caller,
    id: Option<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let demande = super::liste_blanche::DemandeEntree {
        kind: form.text("type"),
        nom: form.text("nom"),
        prenom: form.text("prenom"),
        siret: form.text("siret"),
        email: form.text("email"),
        departements: form.all("departements"),
        financeur: form.text("financeur"),
        etablissements: form.all("etablissements"),
    };
    match super::liste_blanche::save(&state.db, &caller, id, &demande, client.ip).await {
        Ok(_) => Redirect::to(if id.is_some() { "/liste-blanche?fait=modifie" } else { "/liste-blanche?fait=cree" }).into_response(),
        Err(error) => {
            let page = match id {
                Some(id) => format!("/liste-blanche/{id}"),
                None => "/liste-blanche/nouvelle".into(),
            };
            form.refused(&page, &super::liste_blanche_page::RENVOYES, error)
        }
    }
}
