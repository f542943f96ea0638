//! Home of State agents (directions): the professionals approved in their
//! territory and their load. Scope is the territory of the session, never a
//! parameter.

use crate::errors::AppError;
use crate::layout::kit::{Charge, Chiffre};
use crate::rules::texte::format_count;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccueilDirection {
    pub structure: String,
    pub territoire: String,
    pub departements: usize,
    pub individuels: i64,
    pub preposes: i64,
    pub services: i64,
    pub mesures_en_cours: i64,
    pub mesures_en_attente: i64,
    pub tribunaux: i64,
}

#[leptos::server(prefix = "/api/fn", endpoint = "accueil_direction")]
pub async fn load_accueil_direction() -> Result<AccueilDirection, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&[Role::Direction]).await?;
    let db = crate::state::app_state()?.db;
    super::service::accueil_direction(&db, &caller).await
}

#[component]
pub fn DirectionHome() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_accueil_direction());
    view! {
        <Title text="Mon territoire - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <Charge data=data titre_si_erreur="Mon territoire" vue=move |home| view! {
                            <h1>{home.structure.clone()}</h1>
                            <p class="fr-text--lead">{home.territoire.clone()}
                                {format!(" — {} département{}", home.departements, if home.departements > 1 { "s" } else { "" })}</p>
                            <h2 class="fr-h4">"Mandataires agréés sur votre territoire"</h2>
                            <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
                                <Chiffre valeur=format_count(home.individuels) libelle="mandataires individuels"/>
                                <Chiffre valeur=format_count(home.preposes) libelle="préposés d'établissement"/>
                                <Chiffre valeur=format_count(home.services) libelle="services mandataires"/>
                                <Chiffre valeur=format_count(home.tribunaux) libelle="tribunaux"/>
                            </div>
                            <h2 class="fr-h4">"Leur activité"</h2>
                            <div class="fr-grid-row fr-grid-row--gutters">
                                <Chiffre valeur=format_count(home.mesures_en_cours) libelle="mesures en cours"/>
                                <Chiffre valeur=format_count(home.mesures_en_attente) libelle="réservations en attente"/>
                            </div>
                            <p class="fr-mt-3w"><a class="fr-link" href="/direction/adoption">"L'adoption du service sur votre territoire"</a></p>
                        }/>
        </div>
    }
}
