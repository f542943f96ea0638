//! "Mon compte": who I am for e-MJPM, my open sessions, and signing out
//! everywhere (a lost phone, a shared computer). Every role has it; everything
//! shown comes from the session.

use crate::errors::AppError;
use crate::layout::kit::ErrorAlert;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionOuverte {
    pub ouverte_le: String,
    pub vue_le: String,
    pub ip: Option<String>,
    pub navigateur: Option<String>,
    /// The session of this very request.
    pub courante: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Compte {
    pub prenom: String,
    pub nom: String,
    pub email: String,
    pub role: String,
    /// Tribunal, professional, territory or team the account belongs to.
    pub rattachement: String,
    pub sessions: Vec<SessionOuverte>,
    /// For a judge or greffier: told by e-mail when a measure it reserved is
    /// accepted (None for the other roles).
    pub notifier_acceptation: Option<bool>,
    /// A one-time code is asked at every sign-in; mandatory for administrators.
    pub double_authentification: bool,
    pub double_authentification_obligatoire: bool,
}

#[leptos::server(prefix = "/api/fn", endpoint = "mon_compte")]
pub async fn load_compte() -> Result<Compte, AppError> {
    use crate::accounts::guard::{caller, Scope, Territoire};
    use crate::accounts::session;
    use crate::db::entities::{gestionnaires, sessions, tribunaux};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let caller = caller().await?;
    let db = crate::state::app_state()?.db;
    let rattachement = match &caller.scope {
        Scope::Admin => "Équipe e-MJPM".to_string(),
        Scope::Tribunal { tribunal_id, .. } => {
            tribunaux::Entity::find_by_id(*tribunal_id).one(&db).await?.map(|t| t.nom).unwrap_or_default()
        }
        Scope::Gestionnaire { gestionnaire_id, service_admin } => {
            let nom = gestionnaires::Entity::find_by_id(*gestionnaire_id)
                .one(&db)
                .await?
                .map(|g| crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref()))
                .unwrap_or_default();
            if *service_admin {
                format!("{nom} (administrateur du service)")
            } else {
                nom
            }
        }
        Scope::Territoire(Territoire::National) => "Direction nationale".to_string(),
        Scope::Territoire(Territoire::Region(code)) => format!("Direction régionale (région {code})"),
        Scope::Territoire(Territoire::Departement(code)) => format!("Direction départementale ({code})"),
    };
    let user = crate::db::entities::users::Entity::find_by_id(caller.user_id).one(&db).await?.ok_or(AppError::NonConnecte)?;
    let courante = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| session::token_from_headers(&parts.headers))
        .map(|token| session::token_id(&token));
    let now = chrono::Utc::now().fixed_offset();
    let paris = |d: chrono::DateTime<chrono::FixedOffset>| {
        d.with_timezone(&crate::rules::heure::decalage_paris(d.naive_utc())).format("%d/%m/%Y à %H:%M").to_string()
    };
    let sessions = sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(caller.user_id))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .order_by_desc(sessions::Column::LastSeenAt)
        .all(&db)
        .await?
        .into_iter()
        .map(|s| SessionOuverte {
            ouverte_le: paris(s.created_at),
            vue_le: paris(s.last_seen_at),
            ip: s.ip,
            navigateur: s.user_agent.map(|ua| navigateur(&ua)),
            courante: courante.as_deref() == Some(s.id.as_str()),
        })
        .collect();
    Ok(Compte {
        prenom: caller.prenom.clone(),
        nom: caller.nom.clone(),
        email: caller.email.clone(),
        role: caller.role.label().to_string(),
        rattachement,
        sessions,
        notifier_acceptation: matches!(caller.scope, Scope::Tribunal { .. }).then_some(user.notifier_acceptation),
        double_authentification: user.totp_actif,
        double_authentification_obligatoire: caller.role == crate::rules::roles::Role::Admin,
    })
}

/// "Firefox sur Android" from a User-Agent, or the first 80 characters.
#[cfg(feature = "ssr")]
fn navigateur(user_agent: &str) -> String {
    let browser = ["Edg/", "Firefox/", "Chrome/", "Safari/"].iter().find(|b| user_agent.contains(**b)).map(|b| match *b {
        "Edg/" => "Edge",
        "Firefox/" => "Firefox",
        "Chrome/" => "Chrome",
        _ => "Safari",
    });
    let system =
        [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux")]
            .iter()
            .find(|(needle, _)| user_agent.contains(needle))
            .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} sur {s}"),
        (Some(b), None) => b.to_string(),
        _ => user_agent.chars().take(80).collect(),
    }
}

/// `POST /compte/deconnexion-partout`: closes every session of the caller, this
/// one included.
#[cfg(feature = "ssr")]
pub async fn post_sign_out_everywhere(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    crate::extract::SignedIn(caller): crate::extract::SignedIn,
    client: crate::accounts::http::ClientInfo,
) -> axum::response::Response {
    use crate::audit::AuditEvent;
    use crate::db::entities::sessions;
    use axum::http::{header, HeaderValue};
    use axum::response::{IntoResponse, Redirect};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let closed = match sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(caller.user_id)).exec(&state.db).await {
        Ok(result) => result.rows_affected,
        Err(err) => return AppError::from(err).into_response(),
    };
    AuditEvent::by(&caller, "deconnexion_partout")
        .target("user", caller.user_id)
        .summary(crate::rules::texte::compte(closed as i64, "session fermée", "sessions fermées"))
        .ip(client.ip)
        .record(&state.db)
        .await;
    let mut response = Redirect::to("/connexion?deconnecte=partout").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&crate::accounts::session::clear_cookie(state.secure_cookies)) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `POST /compte/mot-de-passe`. Refusals come back with their messages only:
/// passwords never travel in an address.
#[cfg(feature = "ssr")]
pub async fn post_password(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    crate::extract::SignedIn(caller): crate::extract::SignedIn,
    client: crate::accounts::http::ClientInfo,
    headers: axum::http::HeaderMap,
    form: crate::layout::form::FormData,
) -> axum::response::Response {
    use crate::accounts::password_change::{change, Contexte, DemandeMotDePasse};
    use axum::response::{IntoResponse, Redirect};
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

/// `POST /compte/courriels`: a judge or greffier chooses whether to be told
/// when a measure it reserved is accepted.
#[cfg(feature = "ssr")]
pub async fn post_courriels(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    crate::extract::SignedIn(caller): crate::extract::SignedIn,
    client: crate::accounts::http::ClientInfo,
    form: crate::layout::form::FormData,
) -> axum::response::Response {
    use crate::audit::AuditEvent;
    use crate::db::entities::users;
    use crate::rules::roles::Role;
    use axum::response::{IntoResponse, Redirect};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    if let Err(error) = caller.require(&Role::TRIBUNAL) {
        return error.into_response();
    }
    let wanted = form.checked("notifier_acceptation");
    let saved = users::Entity::update_many()
        .col_expr(users::Column::NotifierAcceptation, Expr::value(wanted))
        .filter(users::Column::Id.eq(caller.user_id))
        .exec(&state.db)
        .await;
    if let Err(err) = saved {
        return AppError::from(err).into_response();
    }
    AuditEvent::by(&caller, "preferences_courriels")
        .target("user", caller.user_id)
        .summary(format!("prévenu des acceptations : {}", if wanted { "oui" } else { "non" }))
        .ip(client.ip)
        .record(&state.db)
        .await;
    Redirect::to("/compte?fait=courriels").into_response()
}

const CHAMPS_MOT_DE_PASSE: &[(&str, &str)] =
    &[("actuel", "Mot de passe actuel"), ("nouveau", "Nouveau mot de passe"), ("confirmation", "Confirmation")];

#[component]
fn CourrielsForm(on: bool) -> impl IntoView {
    let fait = leptos_router::hooks::use_query_map().read_untracked().get("fait").is_some_and(|f| f == "courriels");
    view! {
        <h2 class="fr-h4 fr-mt-4w" id="courriels">"Courriels"</h2>
        {fait.then(|| view! {
            <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>"Votre choix est enregistré."</p></div>
        })}
        <form method="post" action="/compte/courriels">
            <div class="fr-checkbox-group fr-mb-2w">
                <input type="checkbox" id="notifier_acceptation" name="notifier_acceptation" value="oui" checked=on/>
                <label class="fr-label" for="notifier_acceptation">"Me prévenir quand un mandataire accepte une mesure que j'ai réservée"
                    <span class="fr-hint-text">"Un courriel par acceptation ; vous la voyez de toute façon dans les mesures du tribunal"</span></label>
            </div>
            <button class="fr-btn fr-btn--secondary" type="submit">"Enregistrer mon choix"</button>
        </form>
    }
}

#[component]
fn MotDePasseForm() -> impl IntoView {
    let posted = crate::layout::form::Posted::from_query();
    let fait = leptos_router::hooks::use_query_map().read_untracked().get("fait").is_some_and(|f| f == "mot-de-passe");
    use crate::layout::form::{ErrorSummary, TextField};
    view! {
        <h2 class="fr-h4 fr-mt-4w" id="mot-de-passe">"Changer de mot de passe"</h2>
        {fait.then(|| view! {
            <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status">
                <p>"Mot de passe changé. Vos autres sessions ont été fermées ; un courriel vous le confirme."</p>
            </div>
        })}
        <ErrorSummary posted=posted.clone() title="Le mot de passe n'a pas été changé" fields=CHAMPS_MOT_DE_PASSE/>
        <form method="post" action="/compte/mot-de-passe" class="emjpm-formulaire">
            <TextField posted=posted.clone() name="actuel" label="Mot de passe actuel" input_type="password"
                autocomplete="current-password" required=true/>
            <crate::accounts::reset_pages::ChampsNouveauMotDePasse posted/>
            <button class="fr-btn fr-mt-2w" type="submit">"Changer de mot de passe"</button>
        </form>
    }
}

#[component]
pub fn ComptePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_compte());
    view! {
        <Title text="Mon compte - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <h1>"Mon compte"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(compte) => view! { <CompteVue compte/> }.into_any(),
                        Err(error) => view! { <ErrorAlert error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn CompteVue(compte: Compte) -> impl IntoView {
    let n = compte.sessions.len();
    view! {
        <dl class="emjpm-fiche">
            <dt>"Nom"</dt><dd>{format!("{} {}", compte.prenom, compte.nom)}</dd>
            <dt>"Adresse électronique"</dt><dd>{compte.email.clone()}</dd>
            <dt>"Rôle"</dt><dd>{compte.role.clone()}</dd>
            <dt>"Rattachement"</dt><dd>{compte.rattachement.clone()}</dd>
        </dl>
        <h2 class="fr-h4 fr-mt-4w">{format!("Sessions ouvertes ({n})")}</h2>
        <p>"Chaque appareil ou navigateur connecté à votre compte ouvre une session de 12 heures."</p>
        <ul class="emjpm-sessions">
            {compte.sessions.into_iter().map(|s| view! {
                <li class="fr-mb-2w">
                    <strong>{s.navigateur.clone().unwrap_or_else(|| "Navigateur inconnu".into())}</strong>
                    {s.courante.then(|| view! { " " <span class="fr-badge fr-badge--sm fr-badge--info">"cette session"</span> })}
                    <br/>
                    {format!("Ouverte le {}, dernière activité le {}", s.ouverte_le, s.vue_le)}
                    {s.ip.map(|ip| format!(" — adresse IP {ip}"))}
                </li>
            }).collect_view()}
        </ul>
        {compte.notifier_acceptation.map(|on| view! { <CourrielsForm on/> })}
        <MotDePasseForm/>
        <crate::accounts::second_facteur_pages::DoubleAuthentificationSection
            actif=compte.double_authentification obligatoire=compte.double_authentification_obligatoire/>
        <h2 class="fr-h4 fr-mt-4w">"Fermer toutes les sessions"</h2>
        <form method="post" action="/compte/deconnexion-partout">
            <p class="fr-hint-text">"Un appareil perdu, un ordinateur partagé ? Fermez toutes vos sessions, celle-ci comprise."</p>
            <button class="fr-btn fr-btn--secondary" type="submit">"Se déconnecter de tous les appareils"</button>
        </form>
    }
}
