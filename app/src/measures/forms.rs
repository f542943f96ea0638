//! The handlers of the measure pages' plain forms (accept, new état, close,
//! reactivate; cancel for the tribunal; capacity). Each builds the same request
//! as the JSON API, calls the same function, and redirects: to the measure with
//! a confirmation code, or back with what was typed and why it was refused.

use super::lifecycle::{self, DemandeAcceptation, DemandeCloture, DemandeEtat, DemandeLieuDeVie, DemandeRefus};
use super::pages::{Espace, ALL_FIELDS};
use crate::accounts::guard::Caller;
use crate::accounts::http::ClientInfo;
use crate::errors::AppError;
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::{Form, Path, State};
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

/// What every form handler receives.
struct Posted {
    state: AppState,
    caller: Caller,
    ip: Option<String>,
    id: i64,
    form: FormData,
}

/// Signed-in callers only (others go to the sign-in page); an id that is not a
/// number is a measure that does not exist.
fn posted(
    state: AppState,
    caller: Result<Caller, AppError>,
    client: ClientInfo,
    id: &str,
    form: Vec<(String, String)>,
) -> Result<Posted, Response> {
    let Ok(caller) = caller else { return Err(Redirect::to("/connexion").into_response()) };
    let Ok(id) = id.parse::<i64>() else { return Err(AppError::Introuvable.into_response()) };
    Ok(Posted { state, caller, ip: client.ip, id, form: FormData(form) })
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

async fn lieu(p: &Posted) -> Result<DemandeLieuDeVie, AppError> {
    Ok(DemandeLieuDeVie {
        lieu_vie: p.form.text("lieu_vie"),
        type_etablissement: p.form.optional("type_etablissement"),
        commune: commune_code(&p.state, &p.caller, p.form.optional("commune")).await?,
        pays: p.form.optional("pays"),
    })
}

fn done(espace: Espace, id: i64, code: &str) -> Response {
    Redirect::to(&format!("{}/{id}?fait={code}", espace.base())).into_response()
}

fn refused(p: &Posted, espace: Espace, error: AppError) -> Response {
    p.form.refused(&format!("{}/{}", espace.base(), p.id), &ALL_FIELDS, error)
}

async fn accept(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Result<Caller, AppError>,
    client: ClientInfo,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let p = match posted(state, caller, client, &id, form) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let result = async {
        let demande = DemandeAcceptation {
            date_nomination: p.form.text("date_nomination"),
            lieu: lieu(&p).await?,
            antenne_id: p.form.number("antenne_id", -1),
        };
        lifecycle::accept(&p.state.db, &p.caller, p.id, &demande, p.ip.clone(), &p.state.base_url).await
    }
    .await;
    match result {
        Ok(_) => done(Espace::Mandataire, p.id, "acceptee"),
        Err(error) => refused(&p, Espace::Mandataire, error),
    }
}

async fn add_etat(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Result<Caller, AppError>,
    client: ClientInfo,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let p = match posted(state, caller, client, &id, form) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let result = async {
        let demande = DemandeEtat {
            date_changement: p.form.text("date_changement"),
            nature: p.form.text("nature"),
            champ: p.form.optional("champ"),
            lieu: lieu(&p).await?,
        };
        lifecycle::add_etat(&p.state.db, &p.caller, p.id, &demande, p.ip.clone()).await
    }
    .await;
    match result {
        Ok(_) => done(Espace::Mandataire, p.id, "etat"),
        Err(error) => refused(&p, Espace::Mandataire, error),
    }
}

async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Result<Caller, AppError>,
    client: ClientInfo,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let p = match posted(state, caller, client, &id, form) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let demande = DemandeCloture { cause_sortie: p.form.text("cause_sortie"), date_fin: p.form.text("date_fin") };
    match lifecycle::close(&p.state.db, &p.caller, p.id, &demande, p.ip.clone()).await {
        Ok(_) => done(Espace::Mandataire, p.id, "cloturee"),
        Err(error) => refused(&p, Espace::Mandataire, error),
    }
}

async fn refuse(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Result<Caller, AppError>,
    client: ClientInfo,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let p = match posted(state, caller, client, &id, form) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let demande = DemandeRefus { motif: p.form.text("motif"), precision: p.form.optional("precision") };
    match lifecycle::refuse(&p.state.db, &p.caller, p.id, &demande, p.ip.clone(), &p.state.base_url).await {
        Ok(_) => done(Espace::Mandataire, p.id, "refusee"),
        Err(error) => refused(&p, Espace::Mandataire, error),
    }
}

async fn reactivate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Result<Caller, AppError>,
    client: ClientInfo,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let p = match posted(state, caller, client, &id, form) {
        Ok(p) => p,
        Err(response) => return response,
    };
    match lifecycle::reactivate(&p.state.db, &p.caller, p.id, p.ip.clone()).await {
        Ok(_) => done(Espace::Mandataire, p.id, "reactivee"),
        Err(error) => refused(&p, Espace::Mandataire, error),
    }
}

async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Result<Caller, AppError>,
    client: ClientInfo,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let p = match posted(state, caller, client, &id, form) {
        Ok(p) => p,
        Err(response) => return response,
    };
    match lifecycle::cancel(&p.state.db, &p.caller, p.id, p.ip.clone(), &p.state.base_url).await {
        Ok(()) => Redirect::to("/tribunal/mesures?annulee=oui").into_response(),
        Err(error) => refused(&p, Espace::Tribunal, error),
    }
}
