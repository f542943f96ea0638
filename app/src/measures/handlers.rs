//! The measures' plain forms (server only): reserve and change a reservation,
//! cancel (tribunal); record, accept, refuse, add an état, close, reactivate
//! (professional). Each builds the same request as the JSON API, calls the
//! same service, and redirects: to the measure with a confirmation code, or
//! back with what was typed and why it was refused.

use super::lifecycle::{self, DemandeAcceptation, DemandeCloture, DemandeEtat, DemandeLieuDeVie, DemandeRefus};
use super::pages::{Espace, ALL_FIELDS};
use crate::accounts::guard::Caller;
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
        .route("/tribunal/mandataires/{id}/reserver", post(post_reservation))
        .route("/tribunal/mesures/{id}/modifier", post(post_modification))
        .route("/tribunal/mesures/{id}/annuler", post(cancel))
        .route("/mandataire/mesures/nouvelle", post(post_creation))
        .route("/mandataire/mesures/{id}/accepter", post(accept))
        .route("/mandataire/mesures/{id}/etat", post(add_etat))
        .route("/mandataire/mesures/{id}/cloturer", post(close))
        .route("/mandataire/mesures/{id}/refuser", post(refuse))
        .route("/mandataire/mesures/{id}/reactiver", post(reactivate))
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

/// The form's handler: reserves, then redirects (see the module comment).
pub async fn post_reservation(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(gestionnaire_id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let reserved = match demande_with_commune(&state, &caller, &form, gestionnaire_id).await {
        Ok(demande) => super::reservation::reserve(&state.db, &caller, &demande, client.ip, &state.base_url).await,
        Err(error) => Err(error),
    };
    match reserved {
        Ok(reservee) => {
            let mut target = format!(
                "/tribunal/mandataires/{gestionnaire_id}?reservee={}&mesure={}",
                crate::layout::kit::urlencode(&reservee.mesure.numero_rg),
                reservee.mesure.id
            );
            if reservee.avertissement.is_some() {
                target.push_str("&avertissement=oui");
            }
            Redirect::to(&target).into_response()
        }
        Err(error) => form.refused(&format!("/tribunal/mandataires/{gestionnaire_id}/reserver"), &super::reservation_form::FIELDS, error),
    }
}

/// `POST /tribunal/mesures/{id}/modifier`: modifies, then back to the measure.
pub async fn post_modification(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RecordId(id): RecordId<i64>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    // 0: the professional stays the measure's own.
    let amended = match demande_with_commune(&state, &caller, &form, 0).await {
        Ok(demande) => super::reservation::amend(&state.db, &caller, id, &demande, client.ip, &state.base_url).await,
        Err(error) => Err(error),
    };
    match amended {
        Ok(_) => Redirect::to(&format!("/tribunal/mesures/{id}?fait=modifiee")).into_response(),
        Err(error) => form.refused(&format!("/tribunal/mesures/{id}/modifier"), &super::reservation_form::FIELDS, error),
    }
}

/// `POST /mandataire/mesures/nouvelle`.
pub async fn post_creation(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    let result = async {
        let demande = super::creation::DemandeCreation {
            tribunal_id: form.number("tribunal_id", -1),
            antenne_id: form.number("antenne_id", -1),
            numero_rg: form.text("numero_rg"),
            cabinet: form.optional("cabinet"),
            civilite: form.text("civilite"),
            annee_naissance: form.number("annee_naissance", 0),
            nature: form.text("nature"),
            champ: form.optional("champ"),
            date_nomination: form.text("date_nomination"),
            lieu: lieu(&state, &caller, &form).await?,
        };
        super::creation::create(&state.db, &caller, &demande, client.ip).await
    }
    .await;
    match result {
        Ok(mesure) => Redirect::to(&format!("/mandataire/mesures/{}?fait=creee", mesure.id)).into_response(),
        Err(error) => form.refused("/mandataire/mesures/nouvelle", &super::creation_form::FIELDS, error),
    }
}

/// The posted reservation with its commune: typed as the search writes it
/// ("Lille (59000)", a name, a postal code) and required here. Every refused
/// field is reported at once, the commune's with the others'. Someone who may
/// not reserve at all is refused before any field is looked at.
async fn demande_with_commune(
    state: &crate::state::AppState,
    caller: &crate::accounts::guard::Caller,
    form: &crate::layout::form::FormData,
    gestionnaire_id: i32,
) -> Result<super::reservation::DemandeReservation, AppError> {
    caller.require(&crate::rules::roles::Role::TRIBUNAL)?;
    let mut demande = demande_from(form, gestionnaire_id);
    let commune = match form.optional("commune") {
        None => Err(AppError::Champs(vec![("commune".into(), "Indiquez la commune où vit la personne protégée.".into())])),
        typed => commune_code(state, caller, typed).await,
    };
    match commune {
        Ok(code) => {
            demande.commune = code;
            Ok(demande)
        }
        Err(AppError::Champs(mut champs)) => {
            if let Err(AppError::Champs(others)) = demande.validate(chrono::Utc::now().date_naive()) {
                // The professional comes from the address, not from a field
                // (0 when modifying: it stays the measure's own).
                champs.extend(others.into_iter().filter(|(field, _)| field != "gestionnaire_id"));
            }
            Err(AppError::Champs(champs))
        }
        Err(other) => Err(other),
    }
}

/// The reservation a posted form describes (both forms post the same fields).
fn demande_from(form: &crate::layout::form::FormData, gestionnaire_id: i32) -> super::reservation::DemandeReservation {
    super::reservation::DemandeReservation {
        gestionnaire_id,
        antenne_id: form.number("antenne_id", -1),
        numero_rg: form.text("numero_rg"),
        cabinet: form.optional("cabinet"),
        date_previsionnelle_jugement: form.optional("date_previsionnelle_jugement"),
        civilite: form.text("civilite"),
        // Not a number: an impossible year, refused with the range.
        annee_naissance: form.number("annee_naissance", 0),
        nature: form.text("nature"),
        champ: form.optional("champ"),
        urgent: form.checked("urgent"),
        commune: None,
    }
}
