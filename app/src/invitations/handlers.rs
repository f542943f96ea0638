//! The invitations' forms (server only): the team imports a contacts file
//! (multipart) and sends the invitations; the invited person declines them.

use crate::errors::AppError;
use crate::extract::{Admin, ClientInfo, RecordId, SignedInAs};
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/invitations/import", post(post_import))
        .route("/admin/invitations/envoyer", post(post_envoyer))
        .route("/admin/invitations/{id}/renvoyer", post(post_renvoyer))
        .route("/invitation/{jeton}/ne-plus-recevoir", post(post_ne_plus_recevoir))
}

const PAGE: &str = "/admin/invitations";

/// The import form's parts: the territory, the file's name and bytes.
async fn parts(mut multipart: Multipart) -> Result<(String, String, Vec<u8>), AppError> {
    let illisible = |_| {
        AppError::Champs(vec![(
            "fichier".into(),
            format!("Le fichier n'a pas pu être lu (plus de {} Mo ?) : envoyez-le de nouveau.", super::FICHIER_MAX_OCTETS / 1_000_000),
        )])
    };
    let (mut departement, mut nom, mut octets) = (String::new(), String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(illisible)? {
        match field.name() {
            Some("departement") => departement = field.text().await.map_err(illisible)?,
            Some("fichier") => {
                nom = field.file_name().unwrap_or_default().to_string();
                octets = field.bytes().await.map_err(illisible)?.to_vec();
            }
            _ => {}
        }
    }
    Ok((departement, nom, octets))
}

/// `POST /admin/invitations/import` (multipart: `departement`, `fichier`).
pub async fn post_import(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    client: ClientInfo,
    multipart: Multipart,
) -> Response {
    let (departement, nom, octets) = match parts(multipart).await {
        Ok(parts) => parts,
        Err(error) => return FormData(Vec::new()).refused(PAGE, &[], error),
    };
    let form = FormData(vec![("departement".into(), departement.clone())]);
    match super::service::importer(&state.db, &caller, &departement, &nom, &octets, client.ip).await {
        Ok(_) => Redirect::to(&format!(
            "{PAGE}?{}",
            crate::layout::kit::query_string([("departement", departement.as_str()), ("fait", "import")])
        ))
        .into_response(),
        Err(error) => form.refused(PAGE, &[("departement", "")], error),
    }
}

/// `POST /admin/invitations/envoyer` (`departement`, empty for all).
pub async fn post_envoyer(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let departement = form.optional("departement");
    match super::service::envoyer(&state.db, &caller, departement.clone(), &state.base_url, client.ip).await {
        Ok(n) => {
            let mut query = vec![("fait", "envoi".to_string()), ("n", n.to_string())];
            if let Some(d) = departement {
                query.insert(0, ("departement", d));
            }
            Redirect::to(&format!("{PAGE}?{}", crate::layout::kit::query_string(query))).into_response()
        }
        Err(error) => form.refused(PAGE, &[], error),
    }
}

/// `POST /admin/invitations/{id}/renvoyer`, from the users to rescue.
pub async fn post_renvoyer(
    State(state): State<AppState>,
    SignedInAs(caller, _): SignedInAs<Admin>,
    RecordId(id): RecordId<i32>,
    client: ClientInfo,
    form: FormData,
) -> Response {
    let result = super::service::renvoyer(&state.db, &caller, id, &state.base_url, client.ip).await;
    form.back_to_list("/admin/a-relancer", None, result, "renvoi")
}

/// `POST /invitation/{jeton}/ne-plus-recevoir`: anyone holding the link.
pub async fn post_ne_plus_recevoir(State(state): State<AppState>, Path(jeton): Path<String>, client: ClientInfo) -> Response {
    // A token is hexadecimal: anything else names no invitation (and never
    // goes into an address).
    if !crate::rules::jeton::est_jeton(&jeton) {
        return AppError::Invalide(super::LIEN_INVALIDE.into()).into_response();
    }
    let page = format!("/invitation/{jeton}");
    match super::service::refuser(&state.db, &jeton, client.ip).await {
        Ok(()) => Redirect::to(&format!("{page}?fait=desinscription")).into_response(),
        Err(error) => FormData(Vec::new()).refused(&page, &[], error),
    }
}
