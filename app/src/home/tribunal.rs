//! Home of magistrats and greffiers: their tribunal, the professionals approved in
//! its département and how many places they have, and the tribunal's measures.

use crate::errors::AppError;
use crate::layout::kit::{Charge, Chiffre};
use crate::measures::StatusCounts;
use crate::rules::texte::format_count;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccueilTribunal {
    pub tribunal: String,
    pub departement: String,
    /// Professionals approved in the tribunal's département.
    pub mandataires: i64,
    /// Of which: not suspended and with at least one place.
    pub mandataires_avec_places: i64,
    /// Sum of the available places of those.
    pub places_disponibles: i64,
    pub mesures: StatusCounts,
}

#[leptos::server(prefix = "/api/fn", endpoint = "accueil_tribunal")]
pub async fn load_accueil_tribunal() -> Result<AccueilTribunal, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::TRIBUNAL).await?;
    let db = crate::state::app_state()?.db;
    super::service::accueil_tribunal(&db, &caller).await
}

#[component]
pub fn TribunalHome() -> impl IntoView {
    let data = Resource::new(crate::realtime::changements, |_| load_accueil_tribunal());
    view! {
        <Title text="Accueil du tribunal - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <Charge data=data titre_si_erreur="Accueil du tribunal" vue=move |home| view! {
                            <h1>{home.tribunal.clone()}</h1>
                            <p class="fr-text--lead">"Département : " {home.departement.clone()}</p>
                            <p><a class="fr-btn fr-btn--icon-left fr-icon-search-line" href="/tribunal/recherche">"Trouver un mandataire"</a></p>
                            <h2 class="fr-h4">"Mandataires agréés dans votre département"</h2>
                            <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
                                <Chiffre valeur=format_count(home.mandataires) libelle="mandataires agréés"/>
                                <Chiffre valeur=format_count(home.mandataires_avec_places) libelle="ont des places disponibles"/>
                                <Chiffre valeur=format_count(home.places_disponibles) libelle="places disponibles au total"/>
                            </div>
                            <h2 class="fr-h4">"Mesures de votre tribunal"</h2>
                            <div class="fr-grid-row fr-grid-row--gutters">
                                <Chiffre valeur=format_count(home.mesures.en_attente) libelle="réservées, en attente d'acceptation"/>
                                <Chiffre valeur=format_count(home.mesures.en_cours) libelle="en cours"/>
                                <Chiffre valeur=format_count(home.mesures.eteinte) libelle="éteintes"/>
                            </div>
                        }/>
        </div>
    }
}
