//! HTTP entry points of accounts: the sign-in form post, the JSON sign-in API, and
//! the page guard that sends visitors and other roles where they belong.

use crate::accounts::guard::{caller_from_token, page_roles, Caller};
use crate::accounts::second_facteur::{self, CodeError};
use crate::accounts::session;
use crate::accounts::sign_in::{sign_in, Etape, NewSession, Origine, SignInError};
use crate::audit::AuditEvent;
use crate::errors::AppError;
use crate::extract::{ClientInfo, SignedIn};
use crate::layout::form::FormData;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connexion", post(form_sign_in))
        .route("/connexion/code", post(form_code))
        .route("/deconnexion", post(form_sign_out))
        .route("/compte/double-authentification", post(post_preparer))
        .route("/compte/double-authentification/activer", post(post_activer))
        .route("/compte/double-authentification/desactiver", post(post_desactiver))
        .route("/compte/deconnexion-partout", post(post_sign_out_everywhere))
        .route("/compte/mot-de-passe", post(post_password))
        .route("/compte/courriels", post(post_courriels))
        .route("/incarnation/fin", post(post_end))
        .route("/inscription", post(post_inscription))
        .route("/mot-de-passe-oublie", post(post_request))
        .route("/mot-de-passe/nouveau", post(post_reset))
        .route("/api/v1/auth/login", post(api_login))
        .route("/api/v1/auth/logout", post(api_logout))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// Le code à usage unique de l'application d'authentification, pour un compte
    /// à double authentification.
    #[serde(default)]
    code: Option<String>,
    /// Le lien de déblocage d'une adresse bloquée (`/connexion?deverrouillage=…`,
    /// porté par le formulaire de connexion en champ caché).
    #[serde(default)]
    deverrouillage: Option<String>,
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
    let lien = credentials.deverrouillage.as_deref().filter(|l| crate::rules::jeton::est_jeton(l));
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
fn session_opened(state: &AppState, signed_in: NewSession) -> Response {
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

/// `POST /compte/mot-de-passe`. Refusals come back with their messages only:
/// passwords never travel in an address.
pub async fn post_password(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    client: ClientInfo,
    headers: HeaderMap,
    form: FormData,
) -> Response {
    use crate::accounts::password_change::{change, Contexte, DemandeMotDePasse};
    // The extractor found the session from this token.
    let Some(token) = crate::accounts::session::token_from_headers(&headers) else { return Redirect::to("/connexion").into_response() };
    let demande = DemandeMotDePasse { actuel: form.raw("actuel"), nouveau: form.raw("nouveau"), confirmation: form.raw("confirmation") };
    if caller.incarnation.is_some() {
        let refus = AppError::Conflit("Pendant une connexion « en tant que », le mot de passe de la personne ne se change pas.".into());
        return form.refused("/compte", &[], refus);
    }
    let contexte = Contexte { token: &token, ip: client.ip, base_url: &state.base_url };
    match change(&state.db, &caller, &demande, contexte).await {
        Ok(()) => Redirect::to("/compte?fait=mot-de-passe").into_response(),
        Err(error) => form.refused("/compte", &[], error),
    }
}

/// `POST /compte/deconnexion-partout`: closes every session of the caller, this
/// one included.
pub async fn post_sign_out_everywhere(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo) -> Response {
    if let Err(error) = super::mon_compte::sign_out_everywhere(&state.db, &caller, client.ip).await {
        return error.into_response();
    }
    let mut response = Redirect::to("/connexion?deconnecte=partout").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&crate::accounts::session::clear_cookie(state.secure_cookies)) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `POST /compte/courriels`: a judge or greffier chooses whether to be told
/// when a measure it reserved is accepted.
pub async fn post_courriels(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    match super::mon_compte::set_acceptance_mails(&state.db, &caller, form.checked("notifier_acceptation"), client.ip).await {
        Ok(()) => Redirect::to("/compte?fait=courriels").into_response(),
        Err(error) => error.into_response(),
    }
}

/// `POST /incarnation/fin`: back to one's own administrator account.
pub async fn post_end(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, headers: HeaderMap) -> Response {
    let Some(token) = crate::accounts::session::token_from_headers(&headers) else { return see_other("/connexion") };
    match super::incarnation::end(&state.db, &caller, &token, super::incarnation::Origine { ip: client.ip, user_agent: client.user_agent })
        .await
    {
        Ok(new_token) => {
            with_cookie(see_other("/admin/comptes?fait=incarnation"), crate::accounts::session::cookie(&new_token, state.secure_cookies))
        }
        Err(error) => error.into_response(),
    }
}

/// `POST /inscription`: the same answer for a new address and a known one.
pub async fn post_inscription(State(state): State<AppState>, client: ClientInfo, form: FormData) -> Response {
    let demande = super::inscription::DemandeInscription {
        role: form.text("role"),
        prenom: form.text("prenom"),
        nom: form.text("nom"),
        email: form.text("email"),
        telephone: form.text("telephone"),
        mot_de_passe: form.raw("nouveau"),
        confirmation: form.raw("confirmation"),
        siret: form.text("siret"),
        adresse: form.text("adresse"),
        commune: form.text("commune"),
        mesures_max: form.number("mesures_max", -1),
        tribunaux: form.all("tribunaux"),
        etablissement_id: form.number("etablissement_id", -1),
        service_id: form.number("service_id", -1),
        tribunal_id: form.number("tribunal_id", -1),
        cabinet: form.text("cabinet"),
        direction_type: form.text("direction_type"),
        region_code: form.text("region_code"),
        departement_code: form.text("departement_code"),
        structure: form.text("structure"),
    };
    // The token of the invitation's link the form came from, if any.
    let invitation = form.optional("invitation").filter(|j| crate::rules::jeton::est_jeton(j));
    match super::inscription::submit(&state.db, &demande, &state.base_url, client.ip, invitation.as_deref()).await {
        Ok(super::inscription::Inscrite::EnAttente) => Redirect::to("/inscription?envoye=1").into_response(),
        Ok(super::inscription::Inscrite::Activee) => Redirect::to("/inscription?envoye=1&active=1").into_response(),
        Err(error) => {
            // The form of the role chosen (a code, not what the person typed),
            // or the invitation's own page.
            let page =
                match (&invitation, crate::rules::roles::Role::parse(&form.text("role")).filter(|r| super::inscription::ROLES.contains(r)))
                {
                    (Some(jeton), _) => format!("/invitation/{jeton}"),
                    (None, Some(role)) => format!("/inscription?role={}", role.as_str()),
                    (None, None) => "/inscription".to_string(),
                };
            form.refused(&page, &super::inscription_pages::RENVOYES, error)
        }
    }
}

/// `POST /compte/double-authentification`: starts an enrolment.
pub async fn post_preparer(State(state): State<AppState>, SignedIn(caller): SignedIn, form: FormData) -> Response {
    match second_facteur::preparer(&state.db, &caller).await {
        Ok(()) => Redirect::to("/compte/double-authentification").into_response(),
        Err(error) => form.refused("/compte", &[], sur_le_code(error)),
    }
}

/// `POST /compte/double-authentification/activer` (`code`).
pub async fn post_activer(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    match second_facteur::activer(&state.db, &caller, &form.text("code"), client.ip).await {
        Ok(()) => Redirect::to("/compte?fait=double-authentification-activee#double-authentification").into_response(),
        Err(error) => form.refused("/compte/double-authentification", &[], error),
    }
}

/// `POST /compte/double-authentification/desactiver` (`code`).
pub async fn post_desactiver(State(state): State<AppState>, SignedIn(caller): SignedIn, client: ClientInfo, form: FormData) -> Response {
    match second_facteur::desactiver(&state.db, &caller, &form.text("code"), client.ip).await {
        Ok(()) => Redirect::to("/compte?fait=double-authentification-desactivee#double-authentification").into_response(),
        Err(error) => form.refused("/compte", &[], sur_le_code(error)),
    }
}

/// "Mon compte" holds other forms: a refusal is shown at the code field, not
/// as a general message every form would repeat.
fn sur_le_code(error: AppError) -> AppError {
    match error {
        AppError::Conflit(message) | AppError::Invalide(message) => AppError::Champs(vec![("code".into(), message)]),
        other => other,
    }
}

/// `POST /mot-de-passe-oublie`: always the same answer.
pub async fn post_request(State(state): State<AppState>, client: ClientInfo, form: FormData) -> Response {
    match crate::accounts::password_reset::request(&state.db, &form.text("email"), client.ip).await {
        Ok(()) => Redirect::to("/mot-de-passe-oublie?envoye=1").into_response(),
        Err(error) => form.refused("/mot-de-passe-oublie", &[], error),
    }
}

/// `POST /mot-de-passe/nouveau`.
pub async fn post_reset(State(state): State<AppState>, client: ClientInfo, form: FormData) -> Response {
    let jeton = form.text("jeton");
    match crate::accounts::password_reset::reset(&state.db, &jeton, &form.raw("nouveau"), &form.raw("confirmation"), client.ip).await {
        Ok(()) => Redirect::to("/connexion?reinitialise=1").into_response(),
        Err(error) => {
            let page = format!("/mot-de-passe/nouveau?jeton={}", crate::layout::kit::urlencode(&jeton));
            form.refused(&page, &[], error)
        }
    }
}
