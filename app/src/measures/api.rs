//! The measures API: a judge's or greffier's reservation and cancellation, the
//! professional's acceptance, états, closing and reactivation, lists scoped by
//! the session, and the professional's capacity. Same rules and code as the pages.

use super::creation::DemandeCreation;
use super::lifecycle::{self, DemandeAcceptation, DemandeCloture, DemandeEtat, DemandeRefus};
use super::listing::{self, DetailMesure, FiltresMesures, PageMesures};
use super::reservation::{amend as amend_reservation, reserve, DemandeReservation, MesureReservee};
use super::Mesure;
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::extract::ClientInfo;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::professionals::capacite::{self, Capacite, CapaciteAntenne, DemandeCapacite, DemandeCapaciteAntenne};
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/mesures", post(create).get(list))
        .route("/api/v1/mesures/{id}", get(one).put(amend).delete(cancel))
        .route("/api/v1/mesures/{id}/acceptation", post(accept))
        .route("/api/v1/mesures/{id}/cloture", post(close))
        .route("/api/v1/mesures/{id}/refus", post(refuse))
        .route("/api/v1/mesures/{id}/reactivation", post(reactivate))
        .route("/api/v1/mesures/{id}/etats", post(add_etat))
        .route("/api/v1/moi/capacite", get(my_capacity).put(set_my_capacity))
        .route("/api/v1/moi/capacite/confirmation", post(confirm_my_capacity))
        .route("/api/v1/moi/mesures", post(create_own))
        .route("/api/v1/antennes/{id}/capacite", put(set_antenne_capacity))
}

/// Reserve a measure with a professional (magistrats and greffiers). The answer
/// carries a warning when the professional is full or suspended.
#[utoipa::path(post, path = "/api/v1/mesures", tag = "mesures", summary = "Réserver une mesure auprès d'un mandataire", description = "Magistrats et greffiers. Le numéro RG est unique par tribunal ; la réponse signale un mandataire complet ou suspendu. Le mandataire est prévenu par courriel.", request_body = DemandeReservation,
    responses(
        (status = 201, description = "Mesure réservée (statut en_attente)", body = MesureReservee),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre que magistrat ou greffier", body = ErreurApi),
        (status = 404, description = "Aucun mandataire agréé avec cet identifiant", body = ErreurApi),
        (status = 422, description = "Champs invalides : `champs` donne un message par champ", body = ErreurApi),
    ))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<DemandeReservation>,
) -> Result<(StatusCode, Json<MesureReservee>), AppError> {
    let reservee = reserve(&state.db, &caller, &body, client.ip, &state.base_url).await?;
    Ok((StatusCode::CREATED, Json(reservee)))
}

/// The signed-in professional records one of its measures directly (appointed
/// without a reservation in e-MJPM): `en_cours` from its date de nomination,
/// counted in its capacity at once.
#[utoipa::path(post, path = "/api/v1/moi/mesures", tag = "mesures", summary = "Enregistrer une mesure reçue hors d'e-MJPM", description = "Le mandataire connecté enregistre une mesure en cours, comptée aussitôt dans sa capacité.", request_body = DemandeCreation,
    responses(
        (status = 201, description = "Mesure enregistrée (statut en_cours)", body = Mesure),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un mandataire", body = ErreurApi),
        (status = 422, description = "Champs invalides, ou numéro RG déjà connu pour ce tribunal", body = ErreurApi),
    ))]
pub async fn create_own(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<DemandeCreation>,
) -> Result<(StatusCode, Json<Mesure>), AppError> {
    let mesure = super::creation::create(&state.db, &caller, &body, client.ip).await?;
    Ok((StatusCode::CREATED, Json(mesure.into())))
}

/// Change a reservation not yet accepted (its tribunal's magistrats and
/// greffiers): same fields as the reservation; `gestionnaire_id` may be left out
/// and cannot change. The professional is told.
#[utoipa::path(put, path = "/api/v1/mesures/{id}", tag = "mesures", summary = "Modifier une réservation en attente", description = "Le tribunal qui l'a faite, tant qu'elle n'est pas acceptée ; le mandataire est prévenu.", request_body = DemandeReservation,
    params(("id" = i64, Path, description = "Identifiant de la mesure")),
    responses(
        (status = 200, description = "Réservation modifiée", body = MesureReservee),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre que magistrat ou greffier", body = ErreurApi),
        (status = 404, description = "Aucune mesure de votre tribunal avec cet identifiant", body = ErreurApi),
        (status = 409, description = "La mesure n'est plus en attente", body = ErreurApi),
        (status = 422, description = "Champs invalides : `champs` donne un message par champ", body = ErreurApi),
    ))]
pub async fn amend(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DemandeReservation>,
) -> Result<Json<MesureReservee>, AppError> {
    let modifiee = amend_reservation(&state.db, &caller, id, &body, client.ip, &state.base_url).await?;
    Ok(Json(modifiee))
}

/// The measures the caller may see: its own (professionals), its tribunal's
/// (magistrats, greffiers), all (admins). Pending first, urgent first among them.
#[utoipa::path(get, path = "/api/v1/mesures", tag = "mesures", summary = "Lister les mesures visibles par le compte", description = "Les siennes (mandataires), celles du tribunal (magistrats, greffiers), toutes (administrateurs). Filtres et pagination.", params(FiltresMesures),
    responses(
        (status = 200, description = "Une page de mesures", body = PageMesures),
        (status = 400, description = "Paramètre invalide (nommé dans le message)", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Direction : pas d'accès aux mesures", body = ErreurApi),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filtres): ApiQuery<FiltresMesures>,
) -> Result<Json<PageMesures>, AppError> {
    let criteres = filtres.validate()?;
    Ok(Json(listing::list(&state.db, &caller, &criteres).await?))
}

/// One measure with its états and journal. Another professional's or
/// tribunal's measure is 404 (its existence is not revealed).
#[utoipa::path(get, path = "/api/v1/mesures/{id}", tag = "mesures", summary = "Lire une mesure", description = "Une mesure hors du périmètre du compte répond 404 (son existence n'est pas révélée).",
    params(("id" = i64, Path, description = "Identifiant de la mesure")),
    responses(
        (status = 200, description = "La mesure", body = DetailMesure),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Direction : pas d'accès aux mesures", body = ErreurApi),
        (status = 404, description = "Aucune mesure visible avec cet identifiant", body = ErreurApi),
    ))]
pub async fn one(State(state): State<AppState>, caller: Caller, ApiPath(id): ApiPath<i64>) -> Result<Json<DetailMesure>, AppError> {
    Ok(Json(listing::detail(&state.db, &caller, id).await?))
}

/// Cancel a reservation not accepted yet (the tribunal that made it).
#[utoipa::path(delete, path = "/api/v1/mesures/{id}", tag = "mesures", summary = "Annuler une réservation non acceptée", description = "Le tribunal qui l'a faite ; une mesure rouverte retrouve son état d'avant.",
    params(("id" = i64, Path, description = "Identifiant de la mesure")),
    responses(
        (status = 204, description = "Réservation annulée"),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre que magistrat ou greffier", body = ErreurApi),
        (status = 404, description = "Aucune mesure de votre tribunal avec cet identifiant", body = ErreurApi),
        (status = 409, description = "La mesure n'est plus en attente", body = ErreurApi),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    lifecycle::cancel(&state.db, &caller, id, client.ip, &state.base_url).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The professional accepts a reservation: `en_cours`, first état recorded.
#[utoipa::path(post, path = "/api/v1/mesures/{id}/acceptation", tag = "mesures", summary = "Accepter une réservation", description = "Le mandataire : la mesure passe en cours, son premier état est enregistré.", request_body = DemandeAcceptation,
    params(("id" = i64, Path, description = "Identifiant de la mesure")),
    responses(
        (status = 200, description = "Mesure acceptée (en_cours)", body = Mesure),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un mandataire", body = ErreurApi),
        (status = 404, description = "Aucune de vos mesures avec cet identifiant", body = ErreurApi),
        (status = 409, description = "La mesure n'est pas en attente", body = ErreurApi),
        (status = 422, description = "Champs invalides", body = ErreurApi),
    ))]
pub async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DemandeAcceptation>,
) -> Result<Json<Mesure>, AppError> {
    Ok(Json(lifecycle::accept(&state.db, &caller, id, &body, client.ip, &state.base_url).await?.into()))
}

/// The professional declines a reservation it has not accepted: the reservation
/// ends (`eteinte`, `refus` says why), the judge who reserved is mailed.
#[utoipa::path(post, path = "/api/v1/mesures/{id}/refus", tag = "mesures", summary = "Refuser une réservation", description = "Le mandataire, avec un motif (pas_de_place, hors_zone, conflit_interets, autre + précision) ; la mesure quitte ses compteurs et le juge est prévenu.", request_body = DemandeRefus,
    params(("id" = i64, Path, description = "Identifiant de la mesure")),
    responses(
        (status = 200, description = "Réservation refusée (eteinte, avec `refus`)", body = Mesure),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un mandataire", body = ErreurApi),
        (status = 404, description = "Aucune de vos mesures avec cet identifiant", body = ErreurApi),
        (status = 409, description = "La mesure n'est pas en attente", body = ErreurApi),
        (status = 422, description = "Motif hors liste, ou précision manquante pour « autre »", body = ErreurApi),
    ))]
pub async fn refuse(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DemandeRefus>,
) -> Result<Json<Mesure>, AppError> {
    Ok(Json(lifecycle::refuse(&state.db, &caller, id, &body, client.ip, &state.base_url).await?.into()))
}

/// The professional closes a measure in progress: `eteinte`.
#[utoipa::path(post, path = "/api/v1/mesures/{id}/cloture", tag = "mesures", summary = "Clôturer une mesure en cours", description = "Le mandataire : la mesure est éteinte, avec sa date et sa cause.", request_body = DemandeCloture,
    params(("id" = i64, Path, description = "Identifiant de la mesure")),
    responses(
        (status = 200, description = "Mesure éteinte", body = Mesure),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un mandataire", body = ErreurApi),
        (status = 404, description = "Aucune de vos mesures avec cet identifiant", body = ErreurApi),
        (status = 409, description = "La mesure n'est pas en cours", body = ErreurApi),
        (status = 422, description = "Champs invalides", body = ErreurApi),
    ))]
pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DemandeCloture>,
) -> Result<Json<Mesure>, AppError> {
    Ok(Json(lifecycle::close(&state.db, &caller, id, &body, client.ip).await?.into()))
}

/// The professional reactivates a closed measure: `en_cours` again.
#[utoipa::path(post, path = "/api/v1/mesures/{id}/reactivation", tag = "mesures", summary = "Réactiver une mesure clôturée", description = "Le mandataire : la mesure repasse en cours.",
    params(("id" = i64, Path, description = "Identifiant de la mesure")),
    responses(
        (status = 200, description = "Mesure de nouveau en cours", body = Mesure),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un mandataire", body = ErreurApi),
        (status = 404, description = "Aucune de vos mesures avec cet identifiant", body = ErreurApi),
        (status = 409, description = "La mesure n'est pas éteinte, ou n'a jamais été acceptée", body = ErreurApi),
    ))]
pub async fn reactivate(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Mesure>, AppError> {
    Ok(Json(lifecycle::reactivate(&state.db, &caller, id, client.ip).await?.into()))
}

/// The professional records a change of nature, champ or lieu de vie.
#[utoipa::path(post, path = "/api/v1/mesures/{id}/etats", tag = "mesures", summary = "Enregistrer un nouvel état", description = "Le mandataire : changement de nature, de champ ou de lieu de vie.", request_body = DemandeEtat,
    params(("id" = i64, Path, description = "Identifiant de la mesure")),
    responses(
        (status = 201, description = "État enregistré ; la mesure telle qu'elle est maintenant", body = Mesure),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un mandataire", body = ErreurApi),
        (status = 404, description = "Aucune de vos mesures avec cet identifiant", body = ErreurApi),
        (status = 409, description = "La mesure n'est pas en cours", body = ErreurApi),
        (status = 422, description = "Champs invalides", body = ErreurApi),
    ))]
pub async fn add_etat(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DemandeEtat>,
) -> Result<(StatusCode, Json<Mesure>), AppError> {
    let mesure = lifecycle::add_etat(&state.db, &caller, id, &body, client.ip).await?;
    Ok((StatusCode::CREATED, Json(mesure.into())))
}

/// The signed-in professional's capacity.
#[utoipa::path(get, path = "/api/v1/moi/capacite", tag = "capacite", summary = "Lire sa capacité", description = "Le mandataire connecté : mesures en cours, en attente, souhaitées, disponibles.",
    responses(
        (status = 200, description = "Capacité et compteurs", body = Capacite),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un mandataire", body = ErreurApi),
    ))]
pub async fn my_capacity(State(state): State<AppState>, caller: Caller) -> Result<Json<Capacite>, AppError> {
    Ok(Json(capacite::read(&state.db, &caller).await?))
}

/// Change the signed-in professional's capacity and suspension (for a
/// service: its admin members).
#[utoipa::path(put, path = "/api/v1/moi/capacite", tag = "capacite", summary = "Déclarer sa capacité", description = "Nombre de mesures souhaitées, suspension et son motif (pour un service : ses membres administrateurs).", request_body = DemandeCapacite,
    responses(
        (status = 200, description = "Capacité enregistrée", body = Capacite),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un mandataire, ou membre non administrateur d'un service", body = ErreurApi),
        (status = 422, description = "Champs invalides (motif manquant, capacité hors limites ou inférieure à la somme des antennes)", body = ErreurApi),
    ))]
pub async fn set_my_capacity(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<DemandeCapacite>,
) -> Result<Json<Capacite>, AppError> {
    Ok(Json(capacite::update(&state.db, &caller, &body, client.ip).await?))
}

/// Confirm the signed-in professional's figures without changing them: the
/// judges see them as up to date (for a service: its admin members).
#[utoipa::path(post, path = "/api/v1/moi/capacite/confirmation", tag = "capacite", summary = "Confirmer ses chiffres", description = "Sans rien changer : les juges les voient à jour d'aujourd'hui.",
    responses(
        (status = 200, description = "Chiffres confirmés (date de mise à jour : maintenant)", body = Capacite),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un mandataire, ou membre non administrateur d'un service", body = ErreurApi),
    ))]
pub async fn confirm_my_capacity(State(state): State<AppState>, caller: Caller, client: ClientInfo) -> Result<Json<Capacite>, AppError> {
    Ok(Json(capacite::confirm(&state.db, &caller, client.ip).await?))
}

/// Change one antenne's capacity (admin members of its service).
#[utoipa::path(put, path = "/api/v1/antennes/{id}/capacite", tag = "capacite", summary = "Déclarer la capacité d'une antenne", description = "Les membres administrateurs du service de l'antenne.", request_body = DemandeCapaciteAntenne,
    params(("id" = i32, Path, description = "Identifiant de l'antenne")),
    responses(
        (status = 200, description = "Capacité de l'antenne enregistrée", body = CapaciteAntenne),
        (status = 400, description = "Corps JSON illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre qu'un membre administrateur du service", body = ErreurApi),
        (status = 404, description = "Aucune antenne de votre service avec cet identifiant", body = ErreurApi),
        (status = 422, description = "Capacité hors limites, ou antennes au-delà de la capacité du service", body = ErreurApi),
    ))]
pub async fn set_antenne_capacity(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<DemandeCapaciteAntenne>,
) -> Result<Json<CapaciteAntenne>, AppError> {
    Ok(Json(capacite::update_antenne(&state.db, &caller, id, &body, client.ip).await?))
}
