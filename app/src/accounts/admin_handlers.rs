//! The administrators' account forms (server only): deactivate, reactivate,
//! territory and attachment of an account, validation or refusal of a sign-up,
//! reset of a second factor, acting "en tant que". Every route is reserved to
//! the product team (`SignedInAs<Admin>`); the services check again.

use crate::errors::AppError;
use crate::extract::{Admin, ClientInfo, RecordId, SignedInAs};
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/comptes/{id}/desactiver", post(post_desactivation))
        .route("/admin/comptes/{id}/reactiver", post(post_reactivation))
        .route("/admin/comptes/{id}/territoire", post(post_territoire))
        .route("/admin/comptes/{id}/rattachement", post(post_rattachement))
        .route("/admin/comptes/{id}/double-authentification", post(post_reinitialiser))
        .route("/admin/comptes/{id}/incarner", post(post_start))
        .route("/admin/inscriptions/{id}/valider", post(post_validation))
        .route("/admin/inscriptions/{id}/refuser", post(post_refus))
}

/// `POST /admin/comptes/{id}/desactiver`.
pub async fn post_desactivation(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = super::comptes::set_active(&state.db, &caller, id, false, client.ip).await;
    form.back_to_list("/admin/comptes", None, result, "desactive")
}

/// `POST /admin/comptes/{id}/reactiver`.
pub async fn post_reactivation(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = super::comptes::set_active(&state.db, &caller, id, true, client.ip).await;
    form.back_to_list("/admin/comptes", None, result, "reactive")
}

/// `POST /admin/comptes/{id}/territoire` (`direction_type`, `region_code`,
/// `departement_code`, `structure`).
pub async fn post_territoire(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let demande = super::admin_comptes::DemandeTerritoire {
        kind: form.text("direction_type"),
        region_code: form.text("region_code"),
        departement_code: form.text("departement_code"),
        structure: form.text("structure"),
    };
    form.back_to_list(
        "/admin/comptes",
        None,
        super::comptes::set_territory(&state.db, &caller, id, &demande, client.ip).await,
        "territoire",
    )
}

/// `POST /admin/comptes/{id}/rattachement` (`role`, `tribunal_id`, `cabinet`).
pub async fn post_rattachement(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let demande = super::admin_comptes::DemandeRattachement {
        role: form.text("role"),
        tribunal_id: form.number("tribunal_id", -1),
        cabinet: form.optional("cabinet"),
    };
    form.back_to_list(
        "/admin/comptes",
        None,
        super::comptes::set_tribunal(&state.db, &caller, id, &demande, client.ip).await,
        "rattachement",
    )
}

/// `POST /admin/inscriptions/{id}/valider` (`liste_blanche_id` = an entry or
/// `aucune`; `autre_entree` = another entry's number).
pub async fn post_validation(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let retour = format!("/admin/inscriptions?pour={id}");
    let entry_error = |m: &str| AppError::Champs(vec![("liste_blanche_id".into(), m.into())]);
    let entry = match (form.optional("autre_entree"), form.text("liste_blanche_id").as_str()) {
        (Some(other), _) => match other.parse::<i32>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(entry_error("Le numéro d'entrée est un nombre, par exemple 1234.")),
        },
        (None, "aucune") => Ok(None),
        (None, chosen) => chosen
            .parse::<i32>()
            .map(Some)
            .map_err(|_| entry_error("Choisissez une entrée de la liste blanche, ou « Ne pas rattacher pour l'instant ».")),
    };
    // Only an individuel's or préposé's form carries the choice.
    let entry = match entry {
        Err(_) if !form.0.iter().any(|(k, _)| k == "liste_blanche_id" || k == "autre_entree") => Ok(None),
        other => other,
    };
    let result = match entry {
        Ok(entry) => super::inscription::accept(&state.db, &caller, id, entry, &state.base_url, client.ip).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Redirect::to("/admin/inscriptions?fait=valide").into_response(),
        Err(error) => form.refused(&retour, &[], error),
    }
}

/// `POST /admin/inscriptions/{id}/refuser` (`motif`).
pub async fn post_refus(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    match super::inscription::refuse(&state.db, &caller, id, &form.text("motif"), &state.base_url, client.ip).await {
        Ok(()) => Redirect::to("/admin/inscriptions?fait=refuse").into_response(),
        Err(error) => form.refused(&format!("/admin/inscriptions?pour={id}"), &[], error),
    }
}

/// `POST /admin/comptes/{id}/double-authentification`: an administrator
/// removes a lost second factor.
pub async fn post_reinitialiser(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = super::second_facteur::reinitialiser(&state.db, &caller, id, client.ip).await;
    form.back_to_list("/admin/comptes", None, result, "double-authentification")
}

/// `POST /admin/comptes/{id}/incarner` (`motif`).
pub async fn post_start(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    headers: HeaderMap,
    form: FormData,
) -> Response {
    use super::handlers::{see_other, with_cookie};
    // The extractor found the session from this token.
    let Some(token) = crate::accounts::session::token_from_headers(&headers) else { return see_other("/connexion") };
    let retour = form.retour("/admin/comptes");
    let origine = super::incarnation::Origine { ip: client.ip, user_agent: client.user_agent };
    match super::incarnation::start(&state.db, &caller, &token, id, &form.text("motif"), origine).await {
        Ok((new_token, home)) => with_cookie(see_other(home), crate::accounts::session::cookie(&new_token, state.secure_cookies)),
        Err(error) => form.refused(&retour, &[], error),
    }
}
