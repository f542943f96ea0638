//! "Réserver une mesure": the judge's form on a professional's page.
//!
//! A plain HTML form posted to `POST /tribunal/mandataires/{id}/reserver`, so it
//! works the same with or without JavaScript. The handler answers with a redirect:
//! to the professional's page with a confirmation on success, or back to the form
//! with the typed values and one message per refused field.

use crate::errors::AppError;
use crate::home::ErrorAlert;
use crate::professionals::fiche::{load_fiche, Fiche};
use crate::rules::capacity::Disponibilite;
use crate::rules::vocabulary::{Term, CHAMPS, CIVILITES, NATURES};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The form's fields, in the order they are shown (and errors are listed).
pub const FIELDS: [(&str, &str); 9] = [
    ("numero_rg", "Numéro RG"),
    ("antenne_id", "Antenne"),
    ("cabinet", "Cabinet"),
    ("date_previsionnelle_jugement", "Date prévisionnelle du jugement"),
    ("civilite", "Civilité de la personne protégée"),
    ("annee_naissance", "Année de naissance"),
    ("nature", "Nature de la mesure"),
    ("champ", "Champ de la mesure"),
    ("urgent", "Mesure urgente"),
];

/// The query key carrying a field's error message after a refused post.
fn error_key(field: &str) -> String {
    format!("erreur_{field}")
}

#[component]
pub fn ReservationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or(0);
    let fiche = Resource::new(id, load_fiche);
    view! {
        <Title text="Réserver une mesure - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><a class="fr-breadcrumb__link" href="/tribunal">"Accueil du tribunal"</a></li>
                    <li><a class="fr-breadcrumb__link" href="/tribunal/recherche">"Trouver un mandataire"</a></li>
                    <li><a class="fr-breadcrumb__link" href=move || format!("/tribunal/mandataires/{}", id())>"Fiche"</a></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">"Réserver une mesure"</a></li>
                </ol>
            </nav>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match fiche.await {
                        Ok(f) => view! { <ReservationForm f/> }.into_any(),
                        Err(error) => view! { <h1>"Réserver une mesure"</h1><ErrorAlert error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn ReservationForm(f: Fiche) -> impl IntoView {
    let query = use_query_map();
    let value = move |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let error = move |key: &str| query.read_untracked().get(&error_key(key)).filter(|m| !m.is_empty());
    let general = query.read_untracked().get("erreur").filter(|m| !m.is_empty());
    let errors: Vec<(&str, &str, String)> =
        FIELDS.iter().filter_map(|(field, label)| error(field).map(|m| (*field, *label, m))).collect();
    let etat = Disponibilite::of(f.disponibles, f.suspendu);
    let action = format!("/tribunal/mandataires/{}/reserver", f.id);

    let text_field = move |field: &'static str, label: &'static str, hint: &'static str, input_type: &'static str, required: bool| {
        let message = error(field);
        let invalid = message.is_some();
        let group = if invalid { "fr-input-group fr-input-group--error" } else { "fr-input-group" };
        let described = format!("{field}-aide{}", if invalid { format!(" {field}-erreur") } else { String::new() });
        view! {
            <div class=group>
                <label class="fr-label" for=field>{label}{required.then_some(" (obligatoire)")}
                    <span class="fr-hint-text" id=format!("{field}-aide")>{hint}</span></label>
                <input class=if invalid { "fr-input fr-input--error" } else { "fr-input" } type=input_type id=field name=field
                    value=value(field) required=required aria-invalid=invalid.then_some("true") aria-describedby=described/>
                {message.map(|m| view! { <p class="fr-error-text" id=format!("{field}-erreur")>{m}</p> })}
            </div>
        }
    };
    let select_field = move |field: &'static str, label: &'static str, terms: &'static [Term], required: bool| {
        let message = error(field);
        let invalid = message.is_some();
        let chosen = value(field);
        view! {
            <div class=if invalid { "fr-select-group fr-select-group--error" } else { "fr-select-group" }>
                <label class="fr-label" for=field>{label}{required.then_some(" (obligatoire)")}</label>
                <select class="fr-select" id=field name=field required=required aria-invalid=invalid.then_some("true")
                    aria-describedby=invalid.then(|| format!("{field}-erreur"))>
                    <option value="" selected=chosen.is_empty()>{if required { "Choisir" } else { "Non précisé" }}</option>
                    {terms.iter().map(|(code, text)| view! {
                        <option value=*code selected=chosen == *code>{*text}</option>
                    }).collect_view()}
                </select>
                {message.map(|m| view! { <p class="fr-error-text" id=format!("{field}-erreur")>{m}</p> })}
            </div>
        }
    };

    view! {
        <h1>"Réserver une mesure"</h1>
        <p class="fr-text--lead">"Auprès de " <strong>{f.nom.clone()}</strong> " "
            <span class=etat.badge_class()>{etat.label()}</span></p>
        {(f.suspendu || f.disponibles <= 0).then(|| view! {
            <div class="fr-alert fr-alert--warning fr-mb-3w">
                <p>{if f.suspendu {
                    "Ce mandataire ne prend plus de mesures. Vous pouvez réserver quand même : vérifiez avec lui qu'il pourra l'accepter."
                } else {
                    "Ce mandataire n'a plus de place disponible. Vous pouvez réserver quand même : il sera au-delà de sa capacité déclarée."
                }}</p>
            </div>
        })}
        {general.map(|m| view! {
            <div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><p>{m}</p></div>
        })}
        {(!errors.is_empty()).then(|| view! {
            <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreurs">
                <h2 class="fr-alert__title">"La réservation n'est pas enregistrée"</h2>
                <ul>
                    {errors.iter().map(|(field, label, message)| view! {
                        <li><a href=format!("#{field}")>{format!("{label} : {message}")}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        })}
        <form method="post" action=action class="emjpm-formulaire" novalidate=true>
            {text_field("numero_rg", "Numéro RG", "8 lettres ou chiffres au plus, par exemple 26/12345", "text", true)}
            {(!f.antennes.is_empty()).then(|| {
                let chosen = value("antenne_id");
                let message = error("antenne_id");
                view! {
                    <div class="fr-select-group">
                        <label class="fr-label" for="antenne_id">"Antenne"
                            <span class="fr-hint-text">"Facultatif : le service peut aussi choisir lui-même"</span></label>
                        <select class="fr-select" id="antenne_id" name="antenne_id">
                            <option value="" selected=chosen.is_empty()>"Au choix du service"</option>
                            {f.antennes.iter().map(|a| {
                                let id = a.id.to_string();
                                let selected = chosen == id;
                                view! { <option value=id selected=selected>{format!("{} ({}, {} disponibles)", a.nom, a.ville, a.disponibles)}</option> }
                            }).collect_view()}
                        </select>
                        {message.map(|m| view! { <p class="fr-error-text" id="antenne_id-erreur">{m}</p> })}
                    </div>
                }
            })}
            {text_field("cabinet", "Cabinet", "Laissé vide : votre cabinet", "text", false)}
            {text_field("date_previsionnelle_jugement", "Date prévisionnelle du jugement", "Format : jj/mm/aaaa", "date", false)}
            {select_field("civilite", "Civilité de la personne protégée", &CIVILITES, true)}
            <div class=if error("annee_naissance").is_some() { "fr-input-group fr-input-group--error" } else { "fr-input-group" }>
                <label class="fr-label" for="annee_naissance">"Année de naissance (obligatoire)"
                    <span class="fr-hint-text">"Entre 1900 et l'année en cours, par exemple 1948"</span></label>
                <input class="fr-input" type="number" inputmode="numeric" min="1900" id="annee_naissance"
                    name="annee_naissance" value=value("annee_naissance") required=true
                    aria-describedby=error("annee_naissance").map(|_| "annee_naissance-erreur")/>
                {error("annee_naissance").map(|m| view! { <p class="fr-error-text" id="annee_naissance-erreur">{m}</p> })}
            </div>
            {select_field("nature", "Nature de la mesure", &NATURES, true)}
            {select_field("champ", "Champ de la mesure", &CHAMPS, false)}
            <div class="fr-checkbox-group fr-mb-3w">
                <input type="checkbox" id="urgent" name="urgent" value="oui" checked=!value("urgent").is_empty()/>
                <label class="fr-label" for="urgent">"Mesure urgente"
                    <span class="fr-hint-text">"Le mandataire en est averti en priorité"</span></label>
            </div>
            <ul class="fr-btns-group fr-btns-group--inline-md">
                <li><button class="fr-btn" type="submit">"Réserver la mesure"</button></li>
                <li><a class="fr-btn fr-btn--secondary" href=format!("/tribunal/mandataires/{}", f.id)>"Annuler"</a></li>
            </ul>
        </form>
    }
}

/// The form's handler: reserves, then redirects (see the module comment).
#[cfg(feature = "ssr")]
pub async fn post_reservation(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    caller: Result<crate::accounts::guard::Caller, AppError>,
    client: crate::accounts::http::ClientInfo,
    axum::extract::Form(form): axum::extract::Form<Vec<(String, String)>>,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let Ok(caller) = caller else { return Redirect::to("/connexion").into_response() };
    let Ok(gestionnaire_id) = id.parse::<i32>() else { return AppError::Introuvable.into_response() };
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let optional = |name: &str| Some(field(name)).filter(|v| !v.is_empty());
    let demande = super::reservation::DemandeReservation {
        gestionnaire_id,
        antenne_id: optional("antenne_id").map(|v| v.parse().unwrap_or(-1)),
        numero_rg: field("numero_rg"),
        cabinet: optional("cabinet"),
        date_previsionnelle_jugement: optional("date_previsionnelle_jugement"),
        civilite: field("civilite"),
        // Not a number: an impossible year, refused with the range.
        annee_naissance: optional("annee_naissance").map(|v| v.parse().unwrap_or(0)),
        nature: field("nature"),
        champ: optional("champ"),
        urgent: !field("urgent").is_empty(),
    };
    match super::reservation::reserve(&state.db, &caller, &demande, client.ip).await {
        Ok(reservee) => {
            let mut target = format!(
                "/tribunal/mandataires/{gestionnaire_id}?reservee={}",
                crate::search::page::urlencode(&reservee.mesure.numero_rg)
            );
            if reservee.avertissement.is_some() {
                target.push_str("&avertissement=oui");
            }
            Redirect::to(&target).into_response()
        }
        Err(AppError::Interdit) | Err(AppError::NonConnecte) => AppError::Interdit.into_response(),
        Err(error) => {
            // Back to the form with what was typed and why it was refused.
            let mut query: Vec<(String, String)> =
                FIELDS.iter().map(|(name, _)| (name.to_string(), field(name))).filter(|(_, v)| !v.is_empty()).collect();
            match error {
                AppError::Champs(champs) => query.extend(champs.into_iter().map(|(f, m)| (error_key(&f), m))),
                other => query.push(("erreur".into(), other.to_string())),
            }
            let encoded: Vec<String> = query
                .iter()
                .map(|(k, v)| format!("{k}={}", crate::search::page::urlencode(v)))
                .collect();
            Redirect::to(&format!("/tribunal/mandataires/{gestionnaire_id}/reserver?{}#erreurs", encoded.join("&"))).into_response()
        }
    }
}
