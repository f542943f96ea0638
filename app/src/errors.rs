//! The one error type of server functions and API handlers.
//!
//! Messages are French and safe to show: internal causes (database, bugs) are
//! logged with a reference that the user sees, never the cause itself.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Vous devez vous connecter pour accéder à cette page.")]
    NonConnecte,
    #[error("Vous n'avez pas accès à cette ressource.")]
    Interdit,
    #[error("{0}")]
    Invalide(String),
    #[error("Élément introuvable.")]
    Introuvable,
    /// The action does not fit the current state (a measure already accepted…).
    #[error("{0}")]
    Conflit(String),
    /// A form or JSON body with invalid fields: (field, French message) pairs.
    #[error("{}", champs_message(.0))]
    Champs(Vec<(String, String)>),
    #[error("Une erreur interne est survenue (référence {0}). Réessayez ; si elle persiste, signalez cette référence.")]
    Interne(String),
    /// The database gave up on the transaction because of a concurrent one
    /// (deadlock, serialization failure, busy SQLite): nothing was written, and
    /// the operation may simply run again (`db::retry_on_conflict`).
    #[error("D'autres modifications simultanées ont empêché l'enregistrement ; rien n'a été modifié. Réessayez dans un instant.")]
    Concurrence,
    /// A body over the server's limit (`MAX_BODY_BYTES`).
    #[error("La requête dépasse la taille autorisée ; rien n'a été enregistré.")]
    TropVolumineux,
    #[error("Le serveur n'a pas pu être joint ou a répondu de façon inattendue ({0}). Réessayez.")]
    Communication(String),
    /// The database cannot be used right now (storage fault, server gone):
    /// nothing was written (`db::faults`).
    #[error("Le service est momentanément indisponible : rien n'a été enregistré. Réessayez dans quelques instants.")]
    Indisponible,
    /// Too many requests of one kind from one person: nothing was written;
    /// the next is allowed after `secondes` (429, `Retry-After`).
    #[error("{message}")]
    TropDeDemandes { message: String, secondes: i64 },
}

impl AppError {
    /// Logs an internal failure under a reference and returns the error the
    /// user sees (the reference only): the request's id, which every log line
    /// of that request carries; a fresh one outside a request (jobs).
    #[cfg(feature = "ssr")]
    pub fn interne(cause: impl std::fmt::Display) -> AppError {
        use rand::Rng;
        let reference = crate::observability::current_request_id()
            .unwrap_or_else(|| format!("{:012x}", rand::thread_rng().gen::<u64>() & 0xffff_ffff_ffff));
        tracing::error!(reference = %reference, "erreur interne : {cause}");
        AppError::Interne(reference)
    }

    /// Gives the current server function's response the status of this error
    /// (server functions answer 500 otherwise).
    #[cfg(feature = "ssr")]
    pub fn set_response_status(&self) {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(self.status_code()) {
                response.set_status(status);
            }
        }
    }

    /// The HTTP status matching the error, for API handlers.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NonConnecte => 401,
            AppError::Interdit => 403,
            AppError::Invalide(_) => 400,
            AppError::Introuvable => 404,
            AppError::Conflit(_) => 409,
            AppError::TropVolumineux => 413,
            AppError::Champs(_) => 422,
            AppError::Interne(_) | AppError::Communication(_) => 500,
            AppError::Concurrence | AppError::Indisponible => 503,
            AppError::TropDeDemandes { .. } => 429,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        let text = err.to_string();
        let concurrent =
            ["deadlock detected", "could not serialize access", "database is locked"].iter().any(|needle| text.contains(needle));
        if concurrent {
            tracing::warn!("transaction abandonnée pour cause de transaction concurrente : {text}");
            return AppError::Concurrence;
        }
        if crate::db::faults::is_unavailable(&err) {
            crate::db::faults::record_error(&err);
            tracing::error!("base de données indisponible : {text}");
            return AppError::Indisponible;
        }
        AppError::interne(err)
    }
}

/// A server function's arguments that do not parse: a number too large for
/// its type (an id of 2^63), a word where a number is expected, one missing.
pub const ARGUMENTS_ILLISIBLES: &str = "Paramètres de la requête illisibles : l'un d'eux manque ou n'a pas le format attendu \
                                        (par exemple un identifiant qui n'est pas un nombre entier, ou trop grand).";

/// Filters in a query string that do not read (the same one given twice…).
pub const FILTRES_ILLISIBLES: &str = "Filtres illisibles : chacun est attendu une fois au plus, sous la forme nom=valeur.";

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server, arguments that do not deserialise are the caller's
    /// mistake (400, French); the other cases happen in the browser, when the
    /// server cannot be reached or answers something unreadable.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::Invalide(ARGUMENTS_ILLISIBLES.into()),
            other => AppError::Communication(other.to_string()),
        }
    }
}

/// A server function's error as the server function's own answers carry it
/// (the browser's code reads the body back as an `AppError`), with its status.
#[cfg(feature = "ssr")]
pub fn server_fn_error_response(error: &AppError) -> axum::response::Response {
    use axum::http::{header, HeaderValue, StatusCode};
    use axum::response::IntoResponse;
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(error).unwrap_or_default();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(leptos::server_fn::error::SERVER_FN_ERROR_HEADER, HeaderValue::from_static("true"));
    response
}

/// API handlers answer errors as `{"erreur": "<message>"}` with the matching status.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.status_code()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = serde_json::json!({ "erreur": self.to_string() });
        if let AppError::Champs(champs) = &self {
            let by_field: serde_json::Map<String, serde_json::Value> =
                champs.iter().map(|(field, message)| (field.clone(), serde_json::Value::String(message.clone()))).collect();
            body["champs"] = serde_json::Value::Object(by_field);
        }
        let mut response = (status, axum::Json(body)).into_response();
        if let AppError::TropDeDemandes { secondes, .. } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secondes.max(1)));
        }
        response
    }
}

/// "Le formulaire contient 2 erreurs : … ; …"
fn champs_message(champs: &[(String, String)]) -> String {
    let messages: Vec<&str> = champs.iter().map(|(_, m)| m.as_str()).collect();
    match messages.len() {
        1 => messages[0].to_string(),
        n => format!("Le formulaire contient {n} erreurs : {}", messages.join(" ; ")),
    }
}
