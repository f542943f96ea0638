//! "Nouvelle mesure": the professional's form to record a measure directly
//! (`measures::creation`). A plain form posted to `POST /mandataire/mesures/nouvelle`,
//! the same with or without JavaScript; on success the measure's page.

use super::pages::LieuDeVieFields;
use crate::errors::AppError;
use crate::layout::cadre::Cadre;
use crate::layout::form::{options, ErrorSummary, Posted, SelectField, TextField};
use crate::rules::vocabulary::{CHAMPS, CIVILITES, NATURES};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoixCreation {
    /// (id, "Nom (département)"), by département then name.
    pub tribunaux: Vec<(i32, String)>,
    /// The service's antennes (id, name).
    pub antennes: Vec<(i32, String)>,
    /// `AAAA-MM-JJ`.
    pub aujourdhui: String,
}

#[leptos::server(prefix = "/api/fn", endpoint = "load_creation")]
pub async fn load_creation() -> Result<ChoixCreation, AppError> {
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    super::creation::choices(&db, &caller).await.inspect_err(AppError::set_response_status)
}

/// The form's fields in display order.
pub const FIELDS: [(&str, &str); 13] = [
    ("tribunal_id", "Tribunal"),
    ("numero_rg", "Numéro RG"),
    ("cabinet", "Cabinet"),
    ("civilite", "Civilité de la personne protégée"),
    ("annee_naissance", "Année de naissance"),
    ("nature", "Nature de la mesure"),
    ("champ", "Champ de la mesure"),
    ("date_nomination", "Date de nomination"),
    ("lieu_vie", "Lieu de vie"),
    ("type_etablissement", "Type d'établissement"),
    ("commune", "Commune de résidence"),
    ("pays", "Pays"),
    ("antenne_id", "Antenne"),
];

#[component]
pub fn NouvelleMesurePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_creation());
    view! {
        <Cadre titre="Nouvelle mesure" chemin=&[("/mandataire", "Mon activité"), ("/mandataire/mesures", "Mes mesures")]
            chapeau="Enregistrez une mesure qui vous a été confiée sans réservation dans e-MJPM : elle compte aussitôt dans vos mesures en cours."
            data vue=|choix| view! { <CreationForm choix/> }/>
    }
}

#[component]
fn CreationForm(choix: ChoixCreation) -> impl IntoView {
    let posted = Posted::from_query();
    let tribunaux = choix.tribunaux.iter().map(|(id, nom)| (id.to_string(), nom.clone())).collect();
    let antennes: Vec<(String, String)> = choix.antennes.iter().map(|(id, nom)| (id.to_string(), nom.clone())).collect();
    view! {
        <ErrorSummary posted=posted.clone() title="La mesure n'est pas enregistrée" fields=&FIELDS/>
        <form method="post" action="/mandataire/mesures/nouvelle" class="emjpm-formulaire" novalidate=true>
            <SelectField posted=posted.clone() name="tribunal_id" label="Tribunal qui a prononcé la mesure" options=tribunaux required=true/>
            <TextField posted=posted.clone() name="numero_rg" label="Numéro RG" required=true
                hint="8 lettres ou chiffres au plus, par exemple 26/12345"/>
            <TextField posted=posted.clone() name="cabinet" label="Cabinet" hint="Facultatif"/>
            <SelectField posted=posted.clone() name="civilite" label="Civilité de la personne protégée" options=options(&CIVILITES) required=true/>
            <TextField posted=posted.clone() name="annee_naissance" label="Année de naissance" required=true input_type="number"
                inputmode="numeric" hint="Entre 1900 et l'année en cours, par exemple 1948"/>
            <SelectField posted=posted.clone() name="nature" label="Nature de la mesure" options=options(&NATURES) required=true/>
            <SelectField posted=posted.clone() name="champ" label="Champ de la mesure" options=options(&CHAMPS)/>
            <TextField posted=posted.clone() name="date_nomination" label="Date de nomination" input_type="date" required=true
                hint="Format : jj/mm/aaaa" initial=choix.aujourdhui.clone()/>
            <LieuDeVieFields posted=posted.clone()/>
            {(!antennes.is_empty()).then(|| view! {
                <SelectField posted=posted.clone() name="antenne_id" label="Antenne qui suit la mesure" options=antennes
                    empty="Le service (sans antenne)"/>
            })}
            <ul class="fr-btns-group fr-btns-group--inline-md">
                <li><button class="fr-btn" type="submit">"Enregistrer la mesure"</button></li>
                <li><a class="fr-btn fr-btn--secondary" href="/mandataire/mesures">"Annuler"</a></li>
            </ul>
        </form>
    }
}
