//! "Réserver une mesure": the judge's form on a professional's page, and the
//! same form to modify a reservation the professional has not accepted yet.
//!
//! A plain HTML form posted to `POST /tribunal/mandataires/{id}/reserver` (or
//! `POST /tribunal/mesures/{id}/modifier`), so it works the same with or
//! without JavaScript. The handler answers with a redirect:
//! to the professional's page with a confirmation on success, or back to the form
//! with the typed values and one message per refused field (`layout::form`).

use super::Mesure;
use crate::errors::AppError;
use crate::layout::form::{options, ErrorSummary, Posted, SelectField, TextField};
use crate::layout::kit::Charge;
use crate::professionals::fiche::{load_fiche, Fiche};
use crate::rules::capacity::Disponibilite;
use crate::rules::vocabulary::{CHAMPS, CIVILITES, NATURES};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The form's fields, in the order they are shown (and errors are listed).
pub const FIELDS: [(&str, &str); 10] = [
    ("numero_rg", "Numéro RG"),
    ("commune", "Commune de la personne protégée"),
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
            <Charge data=fiche titre_si_erreur="Réserver une mesure" vue=move |f| view! { <ReservationForm f/> }/>
        </div>
    }
}

/// A pending reservation and its professional's page, for the modification form.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Modification {
    pub mesure: Mesure,
    pub fiche: Fiche,
    /// The person's commune as the form writes it ("Lille (59000)").
    pub commune: Option<String>,
}

/// The tribunal's pending measure `id` with its professional's page; another
/// tribunal's measure is not found, an accepted one cannot be modified.
#[leptos::server(prefix = "/api/fn", endpoint = "load_modification")]
pub async fn load_modification(id: i64) -> Result<Modification, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::TRIBUNAL).await?;
    let db = crate::state::app_state()?.db;
    super::reservation::modification(&db, &caller, id).await.inspect_err(AppError::set_response_status)
}

#[component]
pub fn ModificationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(id, load_modification);
    view! {
        <Title text="Modifier la réservation - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><a class="fr-breadcrumb__link" href="/tribunal">"Accueil du tribunal"</a></li>
                    <li><a class="fr-breadcrumb__link" href="/tribunal/mesures">"Mesures du tribunal"</a></li>
                    <li><a class="fr-breadcrumb__link" href=move || format!("/tribunal/mesures/{}", id())>"Mesure"</a></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">"Modifier la réservation"</a></li>
                </ol>
            </nav>
            <Charge data=data titre_si_erreur="Modifier la réservation" vue=move |m| view! { <ReservationForm f=m.fiche mesure=m.mesure commune=m.commune.unwrap_or_default()/> }/>
        </div>
    }
}

/// The reservation form: empty for a new reservation, filled with `mesure`
/// when it modifies that pending reservation.
#[component]
fn ReservationForm(
    f: Fiche,
    #[prop(optional)] mesure: Option<Mesure>,
    /// The commune already chosen (a modification).
    #[prop(optional)]
    commune: String,
) -> impl IntoView {
    let posted = Posted::from_query();
    // A new reservation starts from the judge's search: the place searched
    // from (`lieu`) and the nature filtered on (`nature_recherchee`).
    let from_search = leptos_router::hooks::use_query_map().read_untracked().clone();
    let etat = Disponibilite::of(f.disponibles, f.suspendu);
    let editing = mesure.is_some();
    let (action, back) = match &mesure {
        Some(m) => (format!("/tribunal/mesures/{}/modifier", m.id), format!("/tribunal/mesures/{}", m.id)),
        None => (format!("/tribunal/mandataires/{}/reserver", f.id), format!("/tribunal/mandataires/{}", f.id)),
    };
    let initial = |value: fn(&Mesure) -> Option<String>| mesure.as_ref().and_then(value).unwrap_or_default();
    let rg = initial(|m| Some(crate::rules::rg::display_rg(&m.numero_rg)));
    let antenne = initial(|m| m.antenne_id.map(|a| a.to_string()));
    let cabinet = initial(|m| m.cabinet.clone());
    let date = initial(|m| m.date_previsionnelle_jugement.clone());
    let civilite = initial(|m| m.civilite.clone());
    let annee = initial(|m| m.annee_naissance.map(|a| a.to_string()));
    let nature = match &mesure {
        Some(m) => m.nature.clone(),
        None => from_search.get("nature_recherchee").unwrap_or_default(),
    };
    let commune = if mesure.is_some() { commune } else { from_search.get("lieu").unwrap_or_default() };
    let champ = initial(|m| m.champ.clone());
    let urgent_initial = mesure.as_ref().is_some_and(|m| m.urgent);
    let antennes: Vec<(String, String)> = f
        .antennes
        .iter()
        .map(|a| {
            let places = crate::rules::capacity::disponibles_en_clair(a.disponibles, f.suspendu);
            (a.id.to_string(), format!("{} ({}, disponibles : {places})", a.nom, a.ville))
        })
        .collect();
    // After a refused post the box is as it was posted (absent when unticked).
    let urgent = if posted.has("numero_rg") { posted.has("urgent") } else { urgent_initial };
    view! {
        <h1>{if editing { "Modifier la réservation" } else { "Réserver une mesure" }}</h1>
        {editing.then(|| view! {
            <p>"Le mandataire n'a pas encore accepté cette mesure. Il sera prévenu de la modification par courriel."</p>
        })}
        <p class="fr-text--lead">"Auprès de " <strong>{f.nom.clone()}</strong> " "
            <span class=etat.badge_class()>{etat.label()}</span></p>
        {crate::rules::capacity::avertissement_avant_reservation(f.disponibles, f.suspendu).filter(|_| !editing).map(|message| view! {
            <div class="fr-alert fr-alert--warning fr-mb-3w" id="avertissement-capacite">
                <p>{message}</p>
            </div>
        })}
        <ErrorSummary posted=posted.clone() title=if editing { "La modification n'est pas enregistrée" } else { "La réservation n'est pas enregistrée" } fields=&FIELDS/>
        <form method="post" action=action class="emjpm-formulaire" novalidate=true>
            <TextField posted=posted.clone() name="numero_rg" label="Numéro RG" required=true
                hint="8 lettres ou chiffres au plus, par exemple 26/12345" initial=rg/>
            <TextField posted=posted.clone() name="commune" label="Commune de la personne protégée" required=true
                hint="Nom ou code postal, par exemple « Lille (59000) » : le mandataire voit à quelle distance elle vit"
                autocomplete="off" initial=commune/>
            {(!antennes.is_empty()).then(|| view! {
                <SelectField posted=posted.clone() name="antenne_id" label="Antenne (facultatif : le service peut aussi choisir lui-même)"
                    options=antennes empty="Au choix du service" initial=antenne/>
            })}
            <TextField posted=posted.clone() name="cabinet" label="Cabinet" hint="Laissé vide : votre cabinet" initial=cabinet/>
            <TextField posted=posted.clone() name="date_previsionnelle_jugement" label="Date prévisionnelle du jugement"
                hint="Format : jj/mm/aaaa" input_type="date" initial=date/>
            <SelectField posted=posted.clone() name="civilite" label="Civilité de la personne protégée" options=options(&CIVILITES)
                required=true initial=civilite/>
            <TextField posted=posted.clone() name="annee_naissance" label="Année de naissance" required=true input_type="number"
                inputmode="numeric" hint="Entre 1900 et l'année en cours, par exemple 1948" initial=annee/>
            <SelectField posted=posted.clone() name="nature" label="Nature de la mesure" options=options(&NATURES) required=true
                initial=nature/>
            <SelectField posted=posted.clone() name="champ" label="Champ de la mesure" options=options(&CHAMPS) initial=champ/>
            <div class="fr-checkbox-group fr-mb-3w">
                <input type="checkbox" id="urgent" name="urgent" value="oui" checked=urgent/>
                <label class="fr-label" for="urgent">"Mesure urgente"
                    <span class="fr-hint-text">"Le mandataire en est averti en priorité"</span></label>
            </div>
            <ul class="fr-btns-group fr-btns-group--inline-md">
                <li><button class="fr-btn" type="submit">{if editing { "Enregistrer la modification" } else { "Réserver la mesure" }}</button></li>
                <li><a class="fr-btn fr-btn--secondary" href=back>{if editing { "Revenir à la mesure" } else { "Annuler" }}</a></li>
            </ul>
        </form>
    }
}
