//! HTTP entry points of accounts: the sign-in form post, the JSON sign-in API, and
//! the page guard that sends visitors and other roles where they belong.

use crate::accounts::guard::{caller_from_token, page_roles, Caller};
use crate::accounts::second_facteur::{self, CodeError};
use crate::accounts::session;
use crate::accounts::sign_in::{sign_in, Etape, Origine, SignInError, SignedIn};
use crate::audit::AuditEvent;
use crate::errors::AppError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connexion", post(form_sign_in))
        .route("/connexion/code", post(form_code))
        .route("/deconnexion", post(form_sign_out))
        .route("/compte/double-authentification", post(crate::accounts::second_facteur_pages::post_preparer))
        .route("/compte/double-authentification/activer", post(crate::accounts::second_facteur_pages::post_activer))
        .route("/compte/double-authentification/desactiver", post(crate::accounts::second_facteur_pages::post_desactiver))
        .route("/admin/comptes/{id}/double-authentification", post(crate::accounts::second_facteur_pages::post_reinitialiser))
        .route("/compte/deconnexion-partout", post(crate::accounts::compte::post_sign_out_everywhere))
        .route("/compte/mot-de-passe", post(crate::accounts::compte::post_password))
        .route("/compte/courriels", post(crate::accounts::compte::post_courriels))
        .route("/admin/comptes/{id}/desactiver", post(crate::accounts::admin_comptes::post_desactivation))
        .route("/admin/comptes/{id}/reactiver", post(crate::accounts::admin_comptes::post_reactivation))
        .route("/admin/comptes/{id}/rattachement", post(crate::accounts::admin_comptes::post_rattachement))
        .route("/admin/comptes/{id}/territoire", post(crate::accounts::admin_comptes::post_territoire))
        .route("/admin/comptes/{id}/incarner", post(crate::accounts::incarnation::post_start))
        .route("/incarnation/fin", post(crate::accounts::incarnation::post_end))
        .route("/inscription", post(crate::accounts::inscription_pages::post_inscription))
        .route("/admin/inscriptions/{id}/valider", post(crate::accounts::inscription_pages::post_validation))
        .route("/admin/inscriptions/{id}/refuser", post(crate::accounts::inscription_pages::post_refus))
        .route("/mot-de-passe-oublie", post(crate::accounts::reset_pages::post_request))
        .route("/mot-de-passe/nouveau", post(crate::accounts::reset_pages::post_reset))
        .route("/api/v1/auth/login", post(api_login))
        .route("/api/v1/auth/logout", post(api_logout))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// The one-time code of the authenticator app, for an account with a
    /// second factor.
    #[serde(default)]
    code: Option<String>,
    /// The unlock link of a blocked address (`/connexion?deverrouillage=…`,
    /// carried by the sign-in form as a hidden field).
    #[serde(default)]
    deverrouillage: Option<String>,
}

/// Where a request comes from, for sessions and the audit log.
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl axum::extract::FromRequestParts<AppState> for ClientInfo {
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

pub(crate) fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

pub(crate) fn with_cookie(mut response: Response, cookie: String) -> Response {
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /connexion` (the sign-in form, with or without JavaScript).
async fn form_sign_in(State(state): State<AppState>, client: ClientInfo, Form(credentials): Form<Credentials>) -> Response {
    let lien = credentials.deverrouillage.as_deref().filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_hexdigit()));
    let origine = Origine { ip: client.ip, user_agent: client.user_agent, base_url: &state.base_url, deverrouillage: lien };
    // A refused attempt comes back to the form with its unlock link.
    let lien = lien.map(|l| format!("&deverrouillage={l}")).unwrap_or_default();
    match sign_in(&state.db, &credentials.email, &credentials.password, origine).await {
        Ok(Etape::Connecte(signed_in)) => session_opened(&state, *signed_in),
        Ok(Etape::CodeRequis { jeton, .. }) => {
            with_cookie(see_other("/connexion/code"), second_facteur::cookie(Some(&jeton), state.secure_cookies))
        }
        Err(SignInError::Limite(decision)) => {
            see_other(&format!("/connexion?erreur={}&secondes={}{lien}", SignInError::Limite(decision).code(), decision.secondes()))
        }
        Err(err) => see_other(&format!("/connexion?erreur={}{lien}", err.code())),
    }
}

/// The role's home with the session cookie (and no waiting sign-in left).
fn session_opened(state: &AppState, signed_in: SignedIn) -> Response {
    let response = with_cookie(see_other(signed_in.role.home_path()), session::cookie(&signed_in.token, state.secure_cookies));
    with_cookie(response, second_facteur::cookie(None, state.secure_cookies))
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /connexion/code`: the second step of a sign-in.
async fn form_code(State(state): State<AppState>, client: ClientInfo, headers: HeaderMap, Form(form): Form<CodeForm>) -> Response {
    let jeton = session::cookie_from_headers(&headers, second_facteur::COOKIE_NAME).unwrap_or_default();
    let origine = Origine { ip: client.ip, user_agent: client.user_agent, base_url: &state.base_url, deverrouillage: None };
    match second_facteur::confirmer(&state.db, &jeton, &form.code, origine).await {
        Ok(signed_in) => session_opened(&state, signed_in),
        Err(err @ (CodeError::Expiree | CodeError::Epuisee)) => {
            with_cookie(see_other(&format!("/connexion?erreur={}", err.code())), second_facteur::cookie(None, state.secure_cookies))
        }
        Err(CodeError::Limite(decision)) => {
            see_other(&format!("/connexion/code?erreur={}&secondes={}", CodeError::Limite(decision).code(), decision.secondes()))
        }
        Err(err) => see_other(&format!("/connexion/code?erreur={}", err.code())),
    }
}

/// `POST /deconnexion` (the header's sign-out button).
async fn form_sign_out(State(state): State<AppState>, client: ClientInfo, headers: HeaderMap) -> Response {
    sign_out(&state, &headers, client).await;
    with_cookie(see_other("/connexion?deconnecte=1"), session::clear_cookie(state.secure_cookies))
}

async fn sign_out(state: &AppState, headers: &HeaderMap, client: ClientInfo) {
    let Some(token) = session::token_from_headers(headers) else { return };
    if let Ok(Some(caller)) = caller_from_token(&state.db, &token).await {
        AuditEvent::by(&caller, "deconnexion").target("user", caller.user_id).ip(client.ip).record(&state.db).await;
    }
    if let Err(err) = session::close(&state.db, &token).await {
        tracing::warn!("fermeture de session : {err}");
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedInUser {
    pub id: i32,
    pub email: String,
    pub role: String,
}

/// Opens a session: the answer sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "authentification", summary = "Ouvrir une session", description = "La réponse pose le cookie de session ; un compte à double authentification doit ensuite donner son code.", request_body = Credentials,
    responses(
        (status = 200, description = "Connecté ; cookie de session posé", body = SignedInUser),
        (status = 400, description = "Corps de requête invalide", body = crate::search::api::ErreurApi),
        (status = 401, description = "Identifiants incorrects, compte inactif, code de double authentification absent ou incorrect", body = crate::search::api::ErreurApi),
        (status = 403, description = "Administrateur sans double authentification : l'activer d'abord sur le site", body = crate::search::api::ErreurApi),
        (status = 429, description = "Trop d'échecs récents pour cette adresse ou cette IP ; en-tête Retry-After en secondes", body = crate::search::api::ErreurApi),
    ))]
pub async fn api_login(
    State(state): State<AppState>,
    client: ClientInfo,
    body: Result<Json<Credentials>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(credentials)) = body else {
        return AppError::Invalide("Corps de requête invalide : un objet JSON {\"email\", \"password\"} est attendu.".into())
            .into_response();
    };
    let Credentials { email, password, code, deverrouillage } = credentials;
    let origine = Origine {
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone(),
        base_url: &state.base_url,
        deverrouillage: deverrouillage.as_deref(),
    };
    let signed_in = match sign_in(&state.db, &email, &password, origine).await {
        Ok(Etape::Connecte(signed_in)) => *signed_in,
        Ok(Etape::CodeRequis { enrolement: true, .. }) => {
            return refusal(StatusCode::FORBIDDEN, API_ENROLEMENT);
        }
        Ok(Etape::CodeRequis { jeton, .. }) => {
            let Some(code) = code else {
                return refusal(StatusCode::UNAUTHORIZED, API_CODE_REQUIS);
            };
            let origine = Origine { ip: client.ip, user_agent: client.user_agent, base_url: &state.base_url, deverrouillage: None };
            match second_facteur::confirmer(&state.db, &jeton, &code, origine).await {
                Ok(signed_in) => signed_in,
                Err(CodeError::Interne(err)) => return err.into_response(),
                Err(err @ CodeError::Limite(decision)) => return too_many(&err.to_string(), decision),
                Err(err) => return refusal(StatusCode::UNAUTHORIZED, &err.to_string()),
            }
        }
        Err(SignInError::Interne(err)) => return err.into_response(),
        Err(err @ SignInError::Limite(decision)) => return too_many(&err.to_string(), decision),
        Err(err) => return refusal(StatusCode::UNAUTHORIZED, &err.to_string()),
    };
    with_cookie(
        Json(SignedInUser { id: signed_in.user.id, email: signed_in.user.email, role: signed_in.role.as_str().to_string() })
            .into_response(),
        session::cookie(&signed_in.token, state.secure_cookies),
    )
}

const API_CODE_REQUIS: &str = "Ce compte a la double authentification : ajoutez au corps « code », les 6 chiffres de votre application.";
const API_ENROLEMENT: &str = "La double authentification est obligatoire pour les administrateurs : \
    activez-la d'abord en vous connectant sur le site.";

/// A refused sign-in: its status and `{"erreur": message}`.
fn refusal(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "erreur": message }))).into_response()
}

fn too_many(message: &str, decision: crate::rules::throttle::Decision) -> Response {
    let mut response = refusal(StatusCode::TOO_MANY_REQUESTS, message);
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(decision.secondes()));
    response
}

/// Closes the session (always 204; the cookie is cleared).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "authentification", summary = "Fermer la session", description = "Toujours 204 ; le cookie est effacé.",
    responses((status = 204, description = "Session fermée")))]
pub async fn api_logout(State(state): State<AppState>, client: ClientInfo, headers: HeaderMap) -> Response {
    sign_out(&state, &headers, client).await;
    with_cookie(StatusCode::NO_CONTENT.into_response(), session::clear_cookie(state.secure_cookies))
}

/// Middleware in front of the pages: `/` and `/connexion` lead a signed-in user to
/// its home; a guarded page sends visitors to `/connexion` and other roles to
/// their own home.
/// It matches path prefixes: paths reach it canonical (`security::canonical_paths`
/// runs first and redirects `/compte/../admin` to `/admin`).
pub async fn guard_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let guarded = page_roles(path);
    let is_entry = path == "/" || path == "/connexion";
    if request.method() != axum::http::Method::GET || (guarded.is_none() && !is_entry) {
        return next.run(request).await;
    }
    let caller: Option<Caller> = match session::token_from_headers(request.headers()) {
        Some(token) => match caller_from_token(&state.db, &token).await {
            Ok(caller) => caller,
            Err(err) => return err.into_response(),
        },
        None => None,
    };
    match (caller, guarded) {
        (Some(caller), Some(roles)) if roles.contains(&caller.role) => next.run(request).await,
        (Some(caller), _) => see_other(caller.role.home_path()),
        (None, Some(_)) => see_other("/connexion"),
        // A visitor not signed in reads the service's presentation at `/`.
        (None, None) => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
