//! The pages of a forgotten password: asking for a link, then choosing the new
//! password from it. Plain forms, the same with and without JavaScript.

use crate::errors::AppError;
use crate::layout::form::{ErrorSummary, Posted, TextField};
use crate::layout::kit::Charge;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Whether a link's token can still set a password (the page says so before
/// the user types anything).
#[leptos::server(prefix = "/api/fn", endpoint = "lien_mot_de_passe")]
pub async fn lien_valable(jeton: String) -> Result<bool, AppError> {
    let db = crate::state::app_state()?.db;
    Ok(crate::accounts::password_reset::valid_token(&db, &jeton, chrono::Utc::now()).await?.is_some())
}

#[component]
pub fn MotDePasseOubliePage() -> impl IntoView {
    let posted = Posted::from_query();
    let envoye = use_query_map().read_untracked().get("envoye").is_some();
    view! {
        <Title text="Mot de passe oublié - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <div class="fr-grid-row fr-grid-row--center">
                <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                    <h1>"Mot de passe oublié"</h1>
                    {envoye.then(|| view! {
                        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
                            <p>"Si un compte actif correspond à cette adresse, un courriel vient de lui être envoyé avec un lien "
                               "valable une heure. Pensez à regarder dans les courriers indésirables."</p>
                        </div>
                    })}
                    <p>"Indiquez l'adresse électronique de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe."</p>
                    <ErrorSummary posted=posted.clone() title="La demande n'a pas abouti" fields=&[("email", "Adresse électronique")]/>
                    <form method="post" action="/mot-de-passe-oublie">
                        <TextField posted=posted name="email" label="Adresse électronique" input_type="email"
                            autocomplete="username" required=true hint="Format attendu : nom@domaine.fr"/>
                        <button class="fr-btn fr-mt-2w" type="submit">"Recevoir un lien"</button>
                    </form>
                    <p class="fr-mt-3w"><a class="fr-link" href="/connexion">"Revenir à la connexion"</a></p>
                </div>
            </div>
        </div>
    }
}

/// What the page says of a link that no longer opens (the form's refusal says
/// the same, with where to ask for another).
const LIEN_INVALIDE_PAGE: &str = "Ce lien n'est plus valable : il a déjà servi, a expiré, ou le mot de passe \
                                  du compte a été changé depuis qu'il a été demandé.";

const CHAMPS: &[(&str, &str)] = &[("nouveau", "Nouveau mot de passe"), ("confirmation", "Confirmation")];

#[component]
pub fn NouveauMotDePassePage() -> impl IntoView {
    let posted = Posted::from_query();
    let jeton = use_query_map().read_untracked().get("jeton").unwrap_or_default();
    let valable = Resource::new(move || jeton.clone(), lien_valable);
    view! {
        <Title text="Nouveau mot de passe - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <div class="fr-grid-row fr-grid-row--center">
                <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                    <h1>"Choisir un nouveau mot de passe"</h1>
                    <Charge data=valable attente="Vérification du lien…" vue=move |valable| if valable {
                        view! { <NouveauMotDePasseForm posted=posted.clone()/> }.into_any()
                    } else {
                        view! {
                            <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
                                <p>{LIEN_INVALIDE_PAGE}</p>
                            </div>
                            <a class="fr-btn" href="/mot-de-passe-oublie">"Demander un nouveau lien"</a>
                        }.into_any()
                    }/>
                </div>
            </div>
        </div>
    }
}

/// The new password typed twice, as both password forms ask for it.
#[component]
pub fn ChampsNouveauMotDePasse(posted: Posted) -> impl IntoView {
    view! {
        <TextField posted=posted.clone() name="nouveau" label="Nouveau mot de passe" input_type="password"
            autocomplete="new-password" required=true
            hint="12 caractères au moins ; une phrase de quelques mots est solide et facile à retenir."/>
        <TextField posted=posted name="confirmation" label="Confirmation du nouveau mot de passe" input_type="password"
            autocomplete="new-password" required=true/>
    }
}

#[component]
fn NouveauMotDePasseForm(posted: Posted) -> impl IntoView {
    let jeton = use_query_map().read_untracked().get("jeton").unwrap_or_default();
    view! {
        <ErrorSummary posted=posted.clone() title="Le mot de passe n'a pas été changé" fields=CHAMPS/>
        <form method="post" action="/mot-de-passe/nouveau">
            <input type="hidden" name="jeton" value=jeton/>
            <ChampsNouveauMotDePasse posted/>
            <button class="fr-btn fr-mt-2w" type="submit">"Enregistrer le nouveau mot de passe"</button>
        </form>
    }
}
