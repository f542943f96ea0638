//! The feedback's plain forms (server only): "Donner mon avis" (anyone) and
//! the team's follow-up, answers and évolutions (administrators).

use super::service::{self, DemandeEvolution, DemandeSuivi};
use super::DemandeAvis;
use crate::errors::AppError;
use crate::extract::{Admin, ClientInfo, MaybeSignedIn, RecordId, SignedInAs};
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/avis", post(post_avis))
        .route("/admin/avis/{id}/suivi", post(post_suivi))
        .route("/admin/avis/{id}/reponse", post(post_reponse))
        .route("/admin/evolutions", post(post_evolution))
        .route("/admin/evolutions/{id}", post(post_modification_evolution))
}

/// The fields of the avis form, sent back as typed after a refusal.
pub const CHAMPS_AVIS: [(&str, &str); 6] = [
    ("niveau", "Comment cela s'est-il passé ?"),
    ("objectif", "Ce que vous cherchiez à faire"),
    ("commentaire", "Votre commentaire"),
    ("recontacter", "Être recontacté"),
    ("courriel", "Votre adresse électronique"),
    ("page", ""),
];

/// `POST /avis`: anyone; the page comes from the link followed to the form
/// (a hidden field), the role and territory from the session.
pub async fn post_avis(
    State(state): State<AppState>,
    MaybeSignedIn(caller): MaybeSignedIn,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let demande = DemandeAvis {
        niveau: form.text("niveau"),
        objectif: form.optional("objectif"),
        commentaire: form.optional("commentaire"),
        recontacter: form.checked("recontacter"),
        page: form.optional("page"),
        courriel: form.optional("courriel"),
    };
    match service::submit(&state.db, caller.as_ref(), &demande, client.ip.as_deref()).await {
        Ok(_) => Redirect::to("/avis?fait=merci").into_response(),
        Err(error) => {
            let page = match demande.page.as_deref().and_then(super::page_of) {
                Some(page) => format!("/avis?depuis={}", crate::layout::kit::urlencode(&page)),
                None => "/avis".to_string(),
            };
            form.refused(&page, &CHAMPS_AVIS, error)
        }
    }
}

/// `POST /admin/avis/{id}/suivi` (`statut`, `etiquettes`, `evolution_id`).
pub async fn post_suivi(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let evolution_id = match form.optional("evolution_id").map(|v| v.parse::<i32>()) {
        None => None,
        Some(Ok(evolution)) => Some(evolution),
        Some(Err(_)) => return form.back_to_list("/admin/avis", Some(&format!("avis-{id}")), Err(AppError::Introuvable), ""),
    };
    let demande = DemandeSuivi { statut: form.text("statut"), etiquettes: form.text("etiquettes"), evolution_id };
    let result = service::follow_up(&state.db, &caller, id, &demande, client.ip).await;
    form.back_to_list("/admin/avis", Some(&format!("avis-{id}")), result, "suivi")
}

/// `POST /admin/avis/{id}/reponse` (`reponse`): the answer is mailed.
pub async fn post_reponse(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = service::reply(&state.db, &caller, id, &form.text("reponse"), client.ip, &state.base_url).await;
    form.back_to_list("/admin/avis", Some(&format!("avis-{id}")), result, "reponse")
}

fn demande_evolution(form: &FormData) -> DemandeEvolution {
    DemandeEvolution { titre: form.text("titre"), description: form.text("description"), statut: form.text("statut") }
}

/// `POST /admin/evolutions`: a new évolution.
pub async fn post_evolution(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    match service::create_evolution(&state.db, &caller, &demande_evolution(&form), client.ip, &state.base_url).await {
        Ok(id) => Redirect::to(&format!("/admin/evolutions?fait=creee#evolution-{id}")).into_response(),
        Err(error) => form.refused("/admin/evolutions", &super::admin_page::CHAMPS_EVOLUTION, error),
    }
}

/// `POST /admin/evolutions/{id}`: an évolution changed (marking it "faite"
/// mails those who asked for it).
pub async fn post_modification_evolution(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = service::update_evolution(&state.db, &caller, id, &demande_evolution(&form), client.ip, &state.base_url).await;
    let fait = match &result {
        Ok(0) | Err(_) => "modifiee".to_string(),
        Ok(n) => format!("informes-{n}"),
    };
    form.back_to_list("/admin/evolutions", Some(&format!("evolution-{id}")), result.map(|_| ()), &fait)
}
