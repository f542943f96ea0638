//! The handlers of the measure pages' plain forms (accept, new état, close,
//! reactivate; cancel for the tribunal; capacity). Each builds the same request
//! as the JSON API, calls the same function, and redirects: to the measure with
//! a confirmation code, or back with what was typed and why it was refused.

use super::lifecycle::{self, DemandeAcceptation, DemandeCloture, DemandeEtat, DemandeLieuDeVie, DemandeRefus};
use super::pages::{Espace, ALL_FIELDS};
use crate::accounts::guard::Caller;
use crate::accounts::http::ClientInfo;
use crate::errors::AppError;
use crate::extract::{RecordId, SignedIn};
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/mandataire/mesures/{id}/accepter", post(accept))
        .route("/mandataire/mesures/{id}/etat", post(add_etat))
        .route("/mandataire/mesures/{id}/cloturer", post(close))
        .route("/mandataire/mesures/{id}/refuser", post(refuse))
        .route("/mandataire/mesures/{id}/reactiver", post(reactivate))
        .route("/tribunal/mesures/{id}/annuler", post(cancel))
        .route("/tribunal/mesures/{id}/modifier", post(super::reservation_form::post_modification))
        .route("/mandataire/capacite", post(crate::professionals::capacite_page::post_capacite))
        .route("/mandataire/capacite/confirmer", post(crate::professionals::capacite_page::post_confirmation))
        .route("/mandataire/profil", post(crate::professionals::profil_page::post_profil))
        .route("/mandataire/mesures/nouvelle", post(super::creation_form::post_creation))
        .route("/mandataire/antennes", post(crate::professionals::antennes_page::post_creation))
        .route("/mandataire/antennes/{id}", post(crate::professionals::antennes_page::post_modification))
        .route("/mandataire/antennes/{id}/supprimer", post(crate::professionals::antennes_page::post_suppression))
        .route("/mandataire/membres", post(crate::professionals::membres_page::post_invitation))
        .route("/mandataire/membres/{id}/administrateur", post(crate::professionals::membres_page::post_administrateur))
        .route("/mandataire/membres/{id}/retirer", post(crate::professionals::membres_page::post_retrait))
        .route("/mandataire/antennes/{id}/capacite", post(crate::professionals::capacite_page::post_antenne))
}

/// A typed commune ("Roubaix (59100)", "59100", "Roubaix") as its INSEE code;
/// a field error when nothing matches.
pub(crate) async fn commune_code(state: &AppState, caller: &Caller, typed: Option<String>) -> Result<Option<String>, AppError> {
    use crate::search::communes::{resolve_field, Proximite};
    let Some(typed) = typed else { return Ok(None) };
    if typed.chars().count() > 100 {
        return Err(AppError::Champs(vec![("commune".into(), "100 caractères au plus.".into())]));
    }
    let near = Proximite::of(&state.db, caller).await?;
    Ok(Some(resolve_field(&state.db, &typed, &near).await?.code))
}

async fn lieu(state: &AppState, caller: &Caller, form: &FormData) -> Result<DemandeLieuDeVie, AppError> {
    Ok(DemandeLieuDeVie {
        lieu_vie: form.text("lieu_vie"),
        type_etablissement: form.optional("type_etablissement"),
        commune: commune_code(state, caller, form.optional("commune")).await?,
        pays: form.optional("pays"),
    })
}

fn done(espace: Espace, id: i64, code: &str) -> Response {
    Redirect::to(&format!("{}/{id}?fait={code}", espace.base())).into_response()
}

fn refused(form: &FormData, espace: Espace, id: i64, error: AppError) -> Response {
    form.refused(&format!("{}/{id}", espace.base()), &ALL_FIELDS, error)
}

async fn accept(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i64>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = async {
        let demande = DemandeAcceptation {
            date_nomination: form.text("date_nomination"),
            lieu: lieu(&state, &caller, &form).await?,
            antenne_id: form.number("antenne_id", -1),
        };
        lifecycle::accept(&state.db, &caller, id, &demande, client.ip, &state.base_url).await
    }
    .await;
    match result {
        Ok(_) => done(Espace::Mandataire, id, "acceptee"),
        Err(error) => refused(&form, Espace::Mandataire, id, error),
    }
}

async fn add_etat(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i64>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = async {
        let demande = DemandeEtat {
            date_changement: form.text("date_changement"),
            nature: form.text("nature"),
            champ: form.optional("champ"),
            lieu: lieu(&state, &caller, &form).await?,
        };
        lifecycle::add_etat(&state.db, &caller, id, &demande, client.ip).await
    }
    .await;
    match result {
        Ok(_) => done(Espace::Mandataire, id, "etat"),
        Err(error) => refused(&form, Espace::Mandataire, id, error),
    }
}

async fn close(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i64>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let demande = DemandeCloture { cause_sortie: form.text("cause_sortie"), date_fin: form.text("date_fin") };
    match lifecycle::close(&state.db, &caller, id, &demande, client.ip).await {
        Ok(_) => done(Espace::Mandataire, id, "cloturee"),
        Err(error) => refused(&form, Espace::Mandataire, id, error),
    }
}

async fn refuse(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i64>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let demande = DemandeRefus { motif: form.text("motif"), precision: form.optional("precision") };
    match lifecycle::refuse(&state.db, &caller, id, &demande, client.ip, &state.base_url).await {
        Ok(_) => done(Espace::Mandataire, id, "refusee"),
        Err(error) => refused(&form, Espace::Mandataire, id, error),
    }
}

async fn reactivate(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i64>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    match lifecycle::reactivate(&state.db, &caller, id, client.ip).await {
        Ok(_) => done(Espace::Mandataire, id, "reactivee"),
        Err(error) => refused(&form, Espace::Mandataire, id, error),
    }
}

async fn cancel(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i64>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    match lifecycle::cancel(&state.db, &caller, id, client.ip, &state.base_url).await {
        Ok(()) => Redirect::to("/tribunal/mesures?annulee=oui").into_response(),
        Err(error) => refused(&form, Espace::Tribunal, id, error),
    }
}
