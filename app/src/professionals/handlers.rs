//! The professionals' plain forms (server only): capacity, profile, antennes
//! and members of a service. Each calls the service its page's server
//! functions call, and redirects with a confirmation or with the refused draft.

use crate::errors::AppError;
use crate::extract::{ClientInfo, RecordId, SignedIn};
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/mandataire/capacite", post(post_capacite))
        .route("/mandataire/capacite/confirmer", post(post_confirmation))
        .route("/mandataire/profil", post(post_profil))
        .route("/mandataire/antennes", post(post_creation))
        .route("/mandataire/antennes/{id}", post(post_modification))
        .route("/mandataire/antennes/{id}/supprimer", post(post_suppression))
        .route("/mandataire/antennes/{id}/capacite", post(post_antenne))
        .route("/mandataire/membres", post(post_invitation))
        .route("/mandataire/membres/{id}/administrateur", post(post_administrateur))
        .route("/mandataire/membres/{id}/retirer", post(post_retrait))
}

/// `POST /mandataire/capacite`.
pub async fn post_capacite(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    let demande = super::capacite::DemandeCapacite {
        mesures_max: form.number("mesures_max", -1),
        suspendu: form.checked("suspendu"),
        motif_suspension: form.optional("motif_suspension"),
    };
    match super::capacite::update(&state.db, &caller, &demande, client.ip).await {
        Ok(_) => Redirect::to("/mandataire/capacite?fait=capacite").into_response(),
        Err(error) => {
            let fields = [("mesures_max", ""), ("suspendu", ""), ("motif_suspension", "")];
            form.refused("/mandataire/capacite", &fields, error)
        }
    }
}

/// `POST /mandataire/capacite/confirmer`: "Confirmer mes chiffres" on the home.
pub async fn post_confirmation(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    match super::capacite::confirm(&state.db, &caller, client.ip).await {
        Ok(_) => Redirect::to("/mandataire?fait=chiffres").into_response(),
        Err(error) => form.refused("/mandataire", &[], error),
    }
}

/// `POST /mandataire/antennes/{id}/capacite`: the message comes back under that
/// antenne's field.
pub async fn post_antenne(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let demande = super::capacite::DemandeCapaciteAntenne { mesures_max: form.number("mesures_max", -1) };
    match super::capacite::update_antenne(&state.db, &caller, id, &demande, client.ip).await {
        Ok(_) => Redirect::to("/mandataire/capacite?fait=antenne").into_response(),
        Err(AppError::Champs(champs)) => {
            let renamed = champs.into_iter().map(|(_, m)| (format!("antenne_{id}"), m)).collect();
            form.refused("/mandataire/capacite", &[], AppError::Champs(renamed))
        }
        Err(error) => form.refused("/mandataire/capacite", &[], error),
    }
}

/// `POST /mandataire/profil`.
pub async fn post_profil(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    let demande = super::profil::DemandeProfil {
        email: form.text("email"),
        telephone: form.text("telephone"),
        adresse: form.text("adresse"),
        commune: form.text("commune"),
        natures: form.all("natures"),
        competences: form.all("competences"),
        autres_competences: form.text("autres_competences"),
        // Not a number: a tribunal that cannot be chosen, refused as such.
        tribunaux: form.all("tribunaux").iter().map(|t| t.parse().unwrap_or(-1)).collect(),
    };
    match super::profil::update(&state.db, &caller, &demande, client.ip).await {
        Ok(()) => Redirect::to("/mandataire/profil?fait=profil").into_response(),
        Err(error) => form.refused("/mandataire/profil", &super::profil_page::FIELDS, error),
    }
}

/// `POST /mandataire/antennes`: adds one.
pub async fn post_creation(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    match super::antennes::create(&state.db, &caller, &demande(&form), client.ip).await {
        Ok(_) => Redirect::to("/mandataire/antennes?fait=ajoutee").into_response(),
        Err(error) => form.refused("/mandataire/antennes/nouvelle", &super::antennes_page::FIELDS, error),
    }
}

/// `POST /mandataire/antennes/{id}`: saves one.
pub async fn post_modification(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    match super::antennes::update(&state.db, &caller, id, &demande(&form), client.ip).await {
        Ok(()) => Redirect::to("/mandataire/antennes?fait=modifiee").into_response(),
        Err(error) => form.refused(&format!("/mandataire/antennes/{id}"), &super::antennes_page::FIELDS, error),
    }
}

/// `POST /mandataire/antennes/{id}/supprimer`.
pub async fn post_suppression(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    match super::antennes::delete(&state.db, &caller, id, client.ip).await {
        Ok(()) => Redirect::to("/mandataire/antennes?fait=supprimee").into_response(),
        Err(error) => form.refused(&format!("/mandataire/antennes/{id}"), &[], error),
    }
}

/// `POST /mandataire/membres`: invites someone.
pub async fn post_invitation(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    let demande = super::membres::DemandeInvitation {
        prenom: form.text("prenom"),
        nom: form.text("nom"),
        email: form.text("email"),
        admin: form.checked("admin"),
    };
    match super::membres::invite(&state.db, &caller, &demande, &state.base_url, client.ip).await {
        Ok(_) => Redirect::to("/mandataire/membres?fait=invite").into_response(),
        Err(error) => form.refused("/mandataire/membres", &[("prenom", ""), ("nom", ""), ("email", ""), ("admin", "")], error),
    }
}

/// `POST /mandataire/membres/{id}/administrateur` (`admin=oui|non`).
pub async fn post_administrateur(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    match super::membres::set_admin(&state.db, &caller, id, form.text("admin") == "oui", client.ip).await {
        Ok(()) => Redirect::to("/mandataire/membres?fait=admin").into_response(),
        Err(error) => form.refused("/mandataire/membres", &[], error),
    }
}

/// `POST /mandataire/membres/{id}/retirer`.
pub async fn post_retrait(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    match super::membres::remove(&state.db, &caller, id, client.ip).await {
        Ok(()) => Redirect::to("/mandataire/membres?fait=retire").into_response(),
        Err(error) => form.refused("/mandataire/membres", &[], error),
    }
}

/// The posted antenne.
fn demande(form: &crate::layout::form::FormData) -> super::antennes::DemandeAntenne {
    super::antennes::DemandeAntenne {
        nom: form.text("nom"),
        contact: form.text("contact"),
        email: form.text("email"),
        telephone: form.text("telephone"),
        adresse: form.text("adresse"),
        commune: form.text("commune"),
        mesures_max: form.number("mesures_max", -1),
    }
}
