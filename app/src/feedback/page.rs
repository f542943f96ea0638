//! `/avis`: the feedback form, open to anyone. A plain form posted to
//! `POST /avis` (works without JavaScript). The page it is about comes from
//! the link followed (`?depuis=`), kept in a hidden field and checked by the
//! server; the role and territory come from the session.

use super::{AVERTISSEMENT, COMMENTAIRE_MAX, NIVEAUX, OBJECTIF_MAX};
use crate::errors::AppError;
use crate::layout::form::{ErrorSummary, Posted};
use crate::layout::kit::Charge;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// Who fills the form in: a signed-in person is answered at their account's address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormulaireAvis {
    /// The account's address, for a signed-in person.
    pub adresse: Option<String>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "formulaire_avis")]
pub async fn load_formulaire_avis() -> Result<FormulaireAvis, AppError> {
    match crate::accounts::guard::current_caller().await {
        Ok(caller) => Ok(FormulaireAvis { adresse: Some(caller.email) }),
        Err(AppError::NonConnecte) => Ok(FormulaireAvis { adresse: None }),
        Err(other) => Err(other).inspect_err(AppError::set_response_status),
    }
}

/// The labels of the form's fields, in order, for the errors' summary.
const LIBELLES: [(&str, &str); 5] = [
    ("niveau", "Comment cela s'est-il passé ?"),
    ("objectif", "Ce que vous cherchiez à faire"),
    ("commentaire", "Votre commentaire"),
    ("courriel", "Votre adresse électronique"),
    ("recontacter", "Être recontacté"),
];

#[component]
pub fn AvisPage() -> impl IntoView {
    let query = use_query_map();
    let merci = query.read_untracked().get("fait").is_some_and(|f| f == "merci");
    let data = Resource::new(|| (), |_| load_formulaire_avis());
    view! {
        <Title text="Donner mon avis - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <div class="fr-grid-row">
                <div class="fr-col-12 fr-col-md-8">
                    <h1>"Donner mon avis"</h1>
                    {if merci {
                        view! {
                            <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
                                <h2 class="fr-alert__title">"Merci pour votre avis"</h2>
                                <p>"L'équipe e-MJPM lit chaque avis. Si vous avez demandé à être recontacté, elle vous répondra par courriel."</p>
                            </div>
                            <p><a class="fr-link" href="/">"Revenir à l'accueil"</a></p>
                        }.into_any()
                    } else {
                        view! { <Charge data vue=|f| view! { <Formulaire formulaire=f/> }/> }.into_any()
                    }}
                </div>
            </div>
        </div>
    }
}

#[component]
fn Formulaire(formulaire: FormulaireAvis) -> impl IntoView {
    let posted = Posted::from_query();
    let query = use_query_map();
    let depuis = posted.value_or("page", query.read_untracked().get("depuis").unwrap_or_default());
    let page = super::page_of(&depuis);
    let niveau = posted.value_or("niveau", "");
    let niveau_erreur = posted.error("niveau");
    let niveau_class = if niveau_erreur.is_some() { "fr-fieldset fr-fieldset--error" } else { "fr-fieldset" };
    let field = |name: &'static str| {
        let message = posted.error(name);
        let class = if message.is_some() { "fr-input-group fr-input-group--error" } else { "fr-input-group" };
        (class, message)
    };
    let (objectif_class, objectif_erreur) = field("objectif");
    let (commentaire_class, commentaire_erreur) = field("commentaire");
    let (courriel_class, courriel_erreur) = field("courriel");
    let recontacter = posted.has("recontacter");
    view! {
        <p>"Votre avis aide l'équipe à améliorer e-MJPM. Il faut moins de deux minutes."</p>
        {page.clone().map(|p| view! { <p class="fr-text--sm">"Page concernée : " <code>{p}</code></p> })}
        <ErrorSummary posted=posted.clone() title="Votre avis n'a pas été envoyé" fields=&LIBELLES/>
        <form method="post" action="/avis" class="emjpm-formulaire">
            <input type="hidden" name="page" value=page.unwrap_or_default()/>
            <fieldset class=niveau_class id="niveau"
                aria-labelledby="niveau-legende niveau-messages" role="radiogroup">
                <legend class="fr-fieldset__legend" id="niveau-legende">"Comment cela s'est-il passé ? (obligatoire)"</legend>
                {NIVEAUX.iter().map(|(code, label)| {
                    let id = format!("niveau-{code}");
                    view! {
                        <div class="fr-fieldset__element fr-fieldset__element--inline">
                            <div class="fr-radio-group">
                                <input type="radio" id=id.clone() name="niveau" value=*code checked=niveau == *code required=true/>
                                <label class="fr-label" for=id>{*label}</label>
                            </div>
                        </div>
                    }
                }).collect_view()}
                <div class="fr-messages-group" id="niveau-messages" aria-live="polite">
                    {niveau_erreur.map(|m| view! { <p class="fr-message fr-message--error" id="niveau-erreur">{m}</p> })}
                </div>
            </fieldset>
            <div class=objectif_class>
                <label class="fr-label" for="objectif">"Ce que vous cherchiez à faire"
                    <span class="fr-hint-text">{format!("Par exemple : réserver une mesure, mettre à jour ma capacité. {OBJECTIF_MAX} caractères au plus.")}</span></label>
                <input class="fr-input" type="text" id="objectif" name="objectif" maxlength=OBJECTIF_MAX
                    value=posted.value_or("objectif", "") aria-invalid=objectif_erreur.is_some().then_some("true")/>
                {objectif_erreur.map(|m| view! { <p class="fr-error-text">{m}</p> })}
            </div>
            <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w">
                <p id="commentaire-avertissement">{AVERTISSEMENT}</p>
            </div>
            <div class=commentaire_class>
                <label class="fr-label" for="commentaire">"Votre commentaire"
                    <span class="fr-hint-text">{format!("{COMMENTAIRE_MAX} caractères au plus.")}</span></label>
                <textarea class="fr-input" id="commentaire" name="commentaire" rows="5" maxlength=COMMENTAIRE_MAX
                    aria-describedby="commentaire-avertissement" aria-invalid=commentaire_erreur.is_some().then_some("true")>{crate::layout::form::textarea_text(&posted.value_or("commentaire", ""))}</textarea>
                {commentaire_erreur.map(|m| view! { <p class="fr-error-text">{m}</p> })}
            </div>
            <div class="fr-checkbox-group fr-mb-2w">
                <input type="checkbox" id="recontacter" name="recontacter" value="oui" checked=recontacter/>
                <label class="fr-label" for="recontacter">"J'accepte d'être recontacté par l'équipe e-MJPM à propos de cet avis"
                    <span class="fr-hint-text">{match &formulaire.adresse {
                        Some(adresse) => format!("La réponse sera envoyée à l'adresse de votre compte : {adresse}."),
                        None => "Indiquez alors votre adresse électronique ci-dessous.".to_string(),
                    }}</span></label>
            </div>
            {formulaire.adresse.is_none().then(|| view! {
                <div class=courriel_class>
                    <label class="fr-label" for="courriel">"Votre adresse électronique"
                        <span class="fr-hint-text">"Seulement si vous souhaitez être recontacté."</span></label>
                    <input class="fr-input" type="email" id="courriel" name="courriel" autocomplete="email"
                        value=posted.value_or("courriel", "") aria-invalid=courriel_erreur.is_some().then_some("true")/>
                    {courriel_erreur.map(|m| view! { <p class="fr-error-text">{m}</p> })}
                </div>
            })}
            <button class="fr-btn" type="submit">"Envoyer mon avis"</button>
        </form>
    }
}
