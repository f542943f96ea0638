//! "Réserver une mesure": the judge's form on a professional's page.
//!
//! A plain HTML form posted to `POST /tribunal/mandataires/{id}/reserver`, so it
//! works the same with or without JavaScript. The handler answers with a redirect:
//! to the professional's page with a confirmation on success, or back to the form
//! with the typed values and one message per refused field (`layout::form`).

use crate::home::ErrorAlert;
use crate::professionals::fiche::{load_fiche, Fiche};
use crate::rules::capacity::Disponibilite;
use crate::layout::form::{options, ErrorSummary, Posted, SelectField, TextField};
use crate::rules::vocabulary::{CHAMPS, CIVILITES, NATURES};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

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
    let posted = Posted::from_query();
    let etat = Disponibilite::of(f.disponibles, f.suspendu);
    let action = format!("/tribunal/mandataires/{}/reserver", f.id);
    let antennes: Vec<(String, String)> = f
        .antennes
        .iter()
        .map(|a| (a.id.to_string(), format!("{} ({}, {} disponibles)", a.nom, a.ville, a.disponibles)))
        .collect();
    let urgent = !posted.value_or("urgent", "").is_empty();
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
        <ErrorSummary posted=posted.clone() title="La réservation n'est pas enregistrée" fields=&FIELDS/>
        <form method="post" action=action class="emjpm-formulaire" novalidate=true>
            <TextField posted=posted.clone() name="numero_rg" label="Numéro RG" required=true
                hint="8 lettres ou chiffres au plus, par exemple 26/12345"/>
            {(!antennes.is_empty()).then(|| view! {
                <SelectField posted=posted.clone() name="antenne_id" label="Antenne (facultatif : le service peut aussi choisir lui-même)"
                    options=antennes empty="Au choix du service"/>
            })}
            <TextField posted=posted.clone() name="cabinet" label="Cabinet" hint="Laissé vide : votre cabinet"/>
            <TextField posted=posted.clone() name="date_previsionnelle_jugement" label="Date prévisionnelle du jugement"
                hint="Format : jj/mm/aaaa" input_type="date"/>
            <SelectField posted=posted.clone() name="civilite" label="Civilité de la personne protégée" options=options(&CIVILITES) required=true/>
            <TextField posted=posted.clone() name="annee_naissance" label="Année de naissance" required=true input_type="number"
                inputmode="numeric" hint="Entre 1900 et l'année en cours, par exemple 1948"/>
            <SelectField posted=posted.clone() name="nature" label="Nature de la mesure" options=options(&NATURES) required=true/>
            <SelectField posted=posted.clone() name="champ" label="Champ de la mesure" options=options(&CHAMPS)/>
            <div class="fr-checkbox-group fr-mb-3w">
                <input type="checkbox" id="urgent" name="urgent" value="oui" checked=urgent/>
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
    caller: Result<crate::accounts::guard::Caller, crate::errors::AppError>,
    client: crate::accounts::http::ClientInfo,
    axum::extract::Form(form): axum::extract::Form<Vec<(String, String)>>,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let Ok(caller) = caller else { return Redirect::to("/connexion").into_response() };
    let Ok(gestionnaire_id) = id.parse::<i32>() else { return crate::errors::AppError::Introuvable.into_response() };
    let form = crate::layout::form::FormData(form);
    let demande = super::reservation::DemandeReservation {
        gestionnaire_id,
        antenne_id: form.number("antenne_id", -1),
        numero_rg: form.text("numero_rg"),
        cabinet: form.optional("cabinet"),
        date_previsionnelle_jugement: form.optional("date_previsionnelle_jugement"),
        civilite: form.text("civilite"),
        // Not a number: an impossible year, refused with the range.
        annee_naissance: form.number("annee_naissance", 0),
        nature: form.text("nature"),
        champ: form.optional("champ"),
        urgent: form.checked("urgent"),
    };
    match super::reservation::reserve(&state.db, &caller, &demande, client.ip, &state.base_url).await {
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
        Err(error) => form.refused(&format!("/tribunal/mandataires/{gestionnaire_id}/reserver"), &FIELDS, error),
    }
}
