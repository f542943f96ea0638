//! What a handler takes from a request, parsed once and refused the same way
//! everywhere (axum extractors). A handler lists what it needs in its
//! arguments and starts with valid values:
//!
//! - forms (HTML pages): [`SignedIn`] or [`SignedInAs`] (visitors are sent to
//!   `/connexion`, other roles get 403), [`RecordId`] (an id that is not a
//!   number is a page that does not exist: 404), [`FormData`] (last argument);
//! - the JSON API: [`Caller`] (401), [`ApiPath`], [`ApiQuery`], [`ApiJson`]
//!   (400 with a French message naming what does not read).
//!
//! Extractors run in the order of the arguments: the caller first, so that a
//! visitor learns nothing about ids or fields.

use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::layout::form::FormData;
use crate::rules::roles::Role;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use std::net::SocketAddr;

/// The signed-in caller of a form; a visitor is sent to the sign-in page.
pub struct SignedIn(pub Caller);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match Caller::from_request_parts(parts, state).await {
            Ok(caller) => Ok(SignedIn(caller)),
            Err(AppError::NonConnecte) => Err(Redirect::to("/connexion").into_response()),
            // The session could not be read (database unavailable…): say so
            // rather than ask a signed-in user to sign in again.
            Err(other) => Err(other.into_response()),
        }
    }
}

/// The caller of a page or form open to anyone: `None` for a visitor (or an
/// expired session). A session that cannot be read (database unavailable) is
/// refused rather than taken for a visitor.
pub struct MaybeSignedIn(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match Caller::from_request_parts(parts, state).await {
            Ok(caller) => Ok(MaybeSignedIn(Some(caller))),
            Err(AppError::NonConnecte) => Ok(MaybeSignedIn(None)),
            Err(other) => Err(other),
        }
    }
}

/// A set of roles a whole form is reserved to (`SignedInAs<Admin>`).
pub trait RoleGroup {
    const ROLES: &'static [Role];
}

/// The product team.
pub struct Admin;
impl RoleGroup for Admin {
    const ROLES: &'static [Role] = &Role::ADMIN;
}

/// The signed-in caller of a form reserved to the roles of `G`: a visitor is
/// sent to the sign-in page, another role is refused (403). The services check
/// the role again: this only refuses early, before anything is read.
pub struct SignedInAs<G: RoleGroup>(pub Caller, pub PhantomData<G>);

impl<G: RoleGroup> FromRequestParts<AppState> for SignedInAs<G> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn(caller) = SignedIn::from_request_parts(parts, state).await?;
        caller.require(G::ROLES).map_err(IntoResponse::into_response)?;
        Ok(SignedInAs(caller, PhantomData))
    }
}

/// The `{id}` of a page's address: what is not a number of type `T` names no
/// record (404, as for an id that does not exist).
pub struct RecordId<T>(pub T);

impl<T: std::str::FromStr + Send> FromRequestParts<AppState> for RecordId<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(id) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await.map_err(|_| AppError::Introuvable)?;
        id.parse().map(RecordId).map_err(|_| AppError::Introuvable)
    }
}

/// The posted fields of a form (`application/x-www-form-urlencoded`), in order.
impl FromRequest<AppState> for FormData {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::Form::<Vec<(String, String)>>::from_request(request, state).await {
            Ok(axum::Form(fields)) => Ok(FormData(fields)),
            Err(rejection) => Err(unreadable(rejection.status(), "Formulaire illisible", &rejection.body_text())),
        }
    }
}

/// The `{id}` of an API address; 400 when it is not a number of type `T`.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(AppError::Invalide("Paramètre « id » : un identifiant numérique est attendu.".into())),
        }
    }
}

/// An API call's query string as `T`; 400 when it does not read (a parameter
/// given twice, a word where a number is expected).
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(AppError::Invalide(format!("Paramètres de requête illisibles : {}", rejection.body_text()))),
        }
    }
}

/// An API call's JSON body as `T`; 400 when it does not read, 413 when too large.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(unreadable(rejection.status(), "Corps de la requête illisible", &rejection.body_text())),
        }
    }
}

/// A body that does not read: too large (413), or unreadable (400, with
/// axum's reason).
fn unreadable(status: StatusCode, what: &str, reason: &str) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TropVolumineux
    } else {
        AppError::Invalide(format!("{what} : {reason}"))
    }
}

/// Where a request comes from, for sessions and the audit log.
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientInfo::of(&parts.headers, parts.extensions.get::<ConnectInfo<SocketAddr>>(), state.trust_proxy))
    }
}

impl ClientInfo {
    /// The socket's peer; behind a trusted reverse proxy (`EMJPM_TRUST_PROXY`),
    /// the last `X-Forwarded-For` hop, the one that proxy appended. Earlier hops
    /// are written by the client and never trusted: the IP feeds the sign-in
    /// throttle and the audit log.
    pub fn of(headers: &HeaderMap, peer: Option<&ConnectInfo<SocketAddr>>, trust_proxy: bool) -> ClientInfo {
        let forwarded = || {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|hop| !hop.is_empty())
                .and_then(|hop| hop.parse::<std::net::IpAddr>().ok())
                .map(|ip| ip.to_string())
        };
        let ip = trust_proxy.then(forwarded).flatten().or_else(|| peer.map(|ConnectInfo(addr)| addr.ip().to_string()));
        let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
        ClientInfo { ip, user_agent }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_client_ip_is_the_peer_unless_a_trusted_proxy_appended_it() {
        let peer = ConnectInfo(SocketAddr::from(([10, 0, 0, 2], 4000)));
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7"));
        // Not behind a declared proxy: the header is the client's own words.
        assert_eq!(ClientInfo::of(&headers, Some(&peer), false).ip.as_deref(), Some("10.0.0.2"));
        // Behind it: the last hop, written by the proxy; the first is forged.
        assert_eq!(ClientInfo::of(&headers, Some(&peer), true).ip.as_deref(), Some("203.0.113.7"));
        headers.insert("x-forwarded-for", HeaderValue::from_static("pas une adresse"));
        assert_eq!(ClientInfo::of(&headers, Some(&peer), true).ip.as_deref(), Some("10.0.0.2"));
    }
}
