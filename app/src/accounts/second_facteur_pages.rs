//! The pages of the second factor: the code asked after the password
//! (`/connexion/code`, where an administrator enrols at its first sign-in),
//! turning it on or off in "Mon compte" (`/compte/double-authentification`),
//! and the administrators' reset for a lost phone. Plain forms, the same with
//! and without JavaScript.

#[cfg(feature = "ssr")]
use crate::accounts::second_facteur;
use crate::errors::AppError;
use crate::layout::form::{ErrorSummary, Posted, TextField};
use crate::layout::kit::Charge;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// What a person needs to add e-MJPM to its authenticator app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Enrolement {
    /// The secret in groups of four characters, for typing it by hand.
    pub cle: String,
    /// The `otpauth://` address as an inline SVG QR code.
    pub qr_svg: String,
}

/// What the code page shows for a waiting sign-in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeAttendu {
    pub email: String,
    /// Present while the account has no second factor yet (an administrator's
    /// first sign-in): the secret to add to the app.
    pub enrolement: Option<Enrolement>,
    pub tentatives_restantes: i32,
}

/// The waiting sign-in of this browser (its cookie), if it is still live.
#[leptos::server(prefix = "/api/fn", endpoint = "etape_connexion")]
pub async fn etape_connexion() -> Result<Option<CodeAttendu>, AppError> {
    let parts = use_context::<http::request::Parts>().ok_or_else(|| AppError::interne("requête absente du contexte"))?;
    let Some(jeton) = crate::accounts::session::cookie_from_headers(&parts.headers, second_facteur::COOKIE_NAME) else {
        return Ok(None);
    };
    let db = crate::state::app_state()?.db;
    second_facteur::etape(&db, &jeton).await
}

/// The caller's enrolment under way, None when there is none.
#[leptos::server(prefix = "/api/fn", endpoint = "mon_enrolement")]
pub async fn mon_enrolement() -> Result<Option<Enrolement>, AppError> {
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    second_facteur::enrolement_en_cours(&db, &caller).await
}

/// The message of a refused code; the throttle's and internal ones are the
/// sign-in page's.
fn message_erreur(code: &str, secondes: Option<String>, restantes: i32) -> String {
    match code {
        "incorrect" => format!(
            "Code incorrect ou expiré : saisissez les 6 chiffres que votre application affiche maintenant. \
             Encore {restantes} essai{} avant de devoir ressaisir votre mot de passe.",
            if restantes > 1 { "s" } else { "" }
        ),
        "deja_utilise" => "Ce code a déjà servi : attendez le suivant (30 secondes au plus).".into(),
        other => crate::accounts::page::error_message(other, secondes),
    }
}

/// The key and QR code to add e-MJPM to an authenticator app.
#[component]
fn AjoutApplication(enrolement: Enrolement) -> impl IntoView {
    let Enrolement { cle, qr_svg } = enrolement;
    view! {
        <ol class="fr-mb-3w">
            <li>"Ouvrez une application d'authentification sur votre téléphone (FreeOTP, Aegis, Google Authenticator, "
                "Microsoft Authenticator…) et ajoutez un compte."</li>
            <li>"Scannez ce QR code, ou saisissez la clé ci-dessous."</li>
            <li>"Saisissez le code à 6 chiffres que l'application affiche alors."</li>
        </ol>
        <div class="emjpm-qr" role="img" aria-label="QR code à scanner avec votre application d'authentification" inner_html=qr_svg></div>
        <p>"Clé à saisir à la main : " <code class="emjpm-cle" data-testid="cle-totp">{cle}</code></p>
    }
}

/// The code field, as every form of this module asks it.
#[component]
fn ChampCode(posted: Posted) -> impl IntoView {
    view! {
        <TextField posted name="code" label="Code à 6 chiffres" inputmode="numeric" autocomplete="one-time-code"
            required=true hint="Affiché par votre application d'authentification ; il change toutes les 30 secondes"/>
    }
}

#[component]
pub fn ConnexionCodePage() -> impl IntoView {
    let etape = Resource::new(|| (), |_| etape_connexion());
    view! {
        <Title text="Vérification en deux étapes - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <div class="fr-grid-row fr-grid-row--center">
                <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                    <h1>"Vérification en deux étapes"</h1>
                    <Charge data=etape vue=|etape| match etape {
                        Some(etape) => view! { <FormulaireCode etape/> }.into_any(),
                        None => view! {
                            <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert">
                                <p>"Cette connexion a expiré ou a déjà abouti : saisissez de nouveau votre adresse et votre mot de passe."</p>
                            </div>
                            <a class="fr-btn" href="/connexion">"Revenir à la connexion"</a>
                        }.into_any(),
                    }/>
                </div>
            </div>
        </div>
    }
}

#[component]
fn FormulaireCode(etape: CodeAttendu) -> impl IntoView {
    let query = use_query_map().read_untracked();
    let erreur = query.get("erreur").map(|code| message_erreur(&code, query.get("secondes"), etape.tentatives_restantes));
    let posted = Posted::from_query();
    let enrolement = etape.enrolement.clone();
    view! {
        {match enrolement {
            Some(enrolement) => view! {
                <p>"La double authentification est obligatoire pour les administrateurs : activez-la maintenant pour "
                    <strong>{etape.email.clone()}</strong>"."</p>
                <AjoutApplication enrolement/>
            }.into_any(),
            None => view! {
                <p>"Saisissez le code de votre application d'authentification pour "<strong>{etape.email.clone()}</strong>"."</p>
            }.into_any(),
        }}
        {erreur.map(|message| view! {
            <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert"><p>{message}</p></div>
        })}
        <form method="post" action="/connexion/code" class="emjpm-formulaire">
            <ChampCode posted/>
            <button class="fr-btn fr-mt-2w" type="submit">{if etape.enrolement.is_some() { "Activer et se connecter" } else { "Valider" }}</button>
        </form>
        <p class="fr-mt-3w fr-text--sm">"Téléphone perdu ou changé ? Demandez à l'équipe e-MJPM de réinitialiser votre double authentification."</p>
        <p><a class="fr-link" href="/connexion">"Revenir à la connexion"</a></p>
    }
}

/// `/compte/double-authentification`: the enrolment started from "Mon compte".
#[component]
pub fn DoubleAuthentificationPage() -> impl IntoView {
    view! {
        <crate::layout::cadre::Cadre
            titre="Activer la double authentification"
            chemin=&[("/compte", "Mon compte")]
            chapeau="À chaque connexion, après votre mot de passe, e-MJPM vous demandera le code affiché par votre téléphone : \
                un mot de passe dérobé ne suffit plus pour entrer dans votre compte."
            data=Resource::new(|| (), |_| mon_enrolement())
            vue=enrolement_en_cours/>
    }
}

fn enrolement_en_cours(enrolement: Option<Enrolement>) -> impl IntoView {
    let posted = Posted::from_query();
    match enrolement {
        Some(enrolement) => view! {
            <AjoutApplication enrolement/>
            <ErrorSummary posted=posted.clone() title="La double authentification n'est pas activée" fields=&[("code", "Code à 6 chiffres")]/>
            <form method="post" action="/compte/double-authentification/activer" class="emjpm-formulaire">
                <ChampCode posted/>
                <button class="fr-btn fr-mt-2w" type="submit">"Activer la double authentification"</button>
            </form>
        }.into_any(),
        None => view! {
            <div class="fr-alert fr-alert--info fr-mb-3w"><p>"Aucune activation n'est en cours."</p></div>
            <a class="fr-btn" href="/compte#double-authentification">"Revenir à Mon compte"</a>
        }.into_any(),
    }
}

/// The "Double authentification" part of "Mon compte".
#[component]
pub fn DoubleAuthentificationSection(actif: bool, obligatoire: bool) -> impl IntoView {
    let query = use_query_map().read_untracked();
    let fait = query.get("fait").filter(|f| f.starts_with("double-authentification")).map(|f| match f.as_str() {
        "double-authentification-activee" => "Double authentification activée : elle vous sera demandée à chaque connexion.",
        _ => "Double authentification désactivée.",
    });
    let posted = Posted::from_query();
    view! {
        <h2 class="fr-h4 fr-mt-4w" id="double-authentification">"Double authentification"</h2>
        {fait.map(|m| view! { <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>{m}</p></div> })}
        {match (actif, obligatoire) {
            (true, true) => view! {
                <p><span class="fr-badge fr-badge--success fr-badge--sm">"activée"</span>
                    " Obligatoire pour les administrateurs. Téléphone perdu : un autre administrateur la réinitialise."</p>
            }.into_any(),
            (true, false) => view! {
                <p><span class="fr-badge fr-badge--success fr-badge--sm">"activée"</span>
                    " Un code de votre application vous est demandé à chaque connexion."</p>
                <ErrorSummary posted=posted.clone() title="La double authentification n'est pas désactivée" fields=&[("code", "Code à 6 chiffres")]/>
                <details>
                    <summary>"Désactiver la double authentification"</summary>
                    <form method="post" action="/compte/double-authentification/desactiver" class="emjpm-formulaire">
                        <ChampCode posted/>
                        <button class="fr-btn fr-btn--secondary fr-mt-2w" type="submit">"Désactiver"</button>
                    </form>
                </details>
            }.into_any(),
            (false, _) => view! {
                <ErrorSummary posted=posted.clone() title="La double authentification n'est pas activée" fields=&[("code", "Double authentification")]/>
                <p>"Protégez votre compte : après le mot de passe, un code affiché par votre téléphone vous sera demandé."</p>
                <form method="post" action="/compte/double-authentification">
                    <button class="fr-btn fr-btn--secondary" type="submit">"Activer la double authentification"</button>
                </form>
            }.into_any(),
        }}
    }
}
