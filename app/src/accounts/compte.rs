//! "Mon compte": who I am for e-MJPM, my open sessions, and signing out
//! everywhere (a lost phone, a shared computer). Every role has it; everything
//! shown comes from the session.

use crate::errors::AppError;
use crate::layout::kit::Charge;
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
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    let token = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| crate::accounts::session::token_from_headers(&parts.headers));
    super::mon_compte::load(&db, &caller, token.as_deref()).await
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
            <Charge data=data vue=move |compte| view! { <CompteVue compte/> }/>
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
