//! "Mon profil": what judges read on the professional's page — contact,
//! address, natures accepted, languages and competences, preferred tribunals.
//! One plain form (same with or without JavaScript), built for a phone first.

use super::profil::Profil;
use crate::errors::AppError;
use crate::layout::cadre::Cadre;
use crate::layout::form::{options, CheckboxGroup, ErrorSummary, Posted, TextField};
use crate::rules::vocabulary::{COMPETENCES, NATURES};
use leptos::prelude::*;

#[leptos::server(prefix = "/api/fn", endpoint = "load_profil")]
pub async fn load_profil() -> Result<Profil, AppError> {
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    super::profil::read(&db, &caller).await.inspect_err(AppError::set_response_status)
}

/// The form's fields in display order (error summary, refill after a refusal).
pub const FIELDS: [(&str, &str); 8] = [
    ("email", "Adresse électronique de contact"),
    ("telephone", "Téléphone"),
    ("adresse", "Adresse"),
    ("commune", "Commune"),
    ("natures", "Natures de mesures acceptées"),
    ("competences", "Langues et compétences"),
    ("autres_competences", "Autres langues ou compétences"),
    ("tribunaux", "Tribunaux préférés"),
];

#[component]
pub fn ProfilPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_profil());
    let confirmation =
        crate::layout::cadre::fait().filter(|c| c == "profil").map(|_| "Votre profil est enregistré : les juges le voient dès maintenant.");
    view! {
        <Cadre titre="Mon profil" chemin=&[("/mandataire", "Mon activité")] confirmation data
            vue=|profil| view! { <ProfilForm profil/> }/>
    }
}

#[component]
fn ProfilForm(profil: Profil) -> impl IntoView {
    let posted = Posted::from_query();
    // A refused post always sends the address back: the boxes are then as posted.
    let submitted = posted.has("adresse");
    let listed: Vec<String> = profil.competences.iter().filter(|c| COMPETENCES.contains(&c.as_str())).cloned().collect();
    let autres = profil.competences.iter().filter(|c| !COMPETENCES.contains(&c.as_str())).cloned().collect::<Vec<_>>().join(", ");
    let competences = COMPETENCES.iter().map(|c| (c.to_string(), crate::rules::texte::capitalise(c))).collect();
    let tribunaux: Vec<(String, String)> =
        profil.tribunaux.iter().map(|t| (t.id.to_string(), format!("{} ({})", t.nom, t.departement))).collect();
    let preferes: Vec<String> = profil.tribunaux.iter().filter(|t| t.prefere).map(|t| t.id.to_string()).collect();
    if !profil.modifiable {
        return view! {
            <p class="fr-alert fr-alert--info">"Seuls les administrateurs du service peuvent modifier son profil."</p>
            <dl class="emjpm-fiche">
                <dt>"Service"</dt><dd>{profil.nom.clone()}</dd>
                <dt>"Contact"</dt><dd>{format!("{} — {}", profil.email, profil.telephone)}</dd>
                <dt>"Adresse"</dt><dd>{format!("{}, {}", profil.adresse, profil.commune)}</dd>
            </dl>
        }
        .into_any();
    }
    view! {
        <p class="fr-text--lead">{profil.nom.clone()}</p>
        <ErrorSummary posted=posted.clone() title="Le profil n'est pas enregistré" fields=&FIELDS/>
        <form method="post" action="/mandataire/profil" class="emjpm-formulaire" novalidate=true>
            <h2 class="fr-h4">"Coordonnées"</h2>
            <TextField posted=posted.clone() name="email" label="Adresse électronique de contact" input_type="email"
                autocomplete="email" required=true initial=profil.email.clone() hint="Les juges l'utilisent pour vous joindre"/>
            <TextField posted=posted.clone() name="telephone" label="Téléphone" input_type="tel" inputmode="tel"
                autocomplete="tel" required=true initial=profil.telephone.clone() hint="Par exemple : 03 20 12 34 56"/>
            <TextField posted=posted.clone() name="adresse" label="Adresse" autocomplete="street-address" required=true
                initial=profil.adresse.clone() hint="Numéro et voie de votre bureau"/>
            <TextField posted=posted.clone() name="commune" label="Commune" required=true initial=profil.commune.clone()
                hint="Nom ou code postal, par exemple Lille (59000) : les distances affichées aux juges partent de là"/>
            <h2 class="fr-h4 fr-mt-4w">"Mesures acceptées"</h2>
            <CheckboxGroup posted=posted.clone() name="natures" legend="Natures de mesures que vous acceptez"
                hint="Les juges qui cherchent une autre nature ne vous verront pas"
                options=options(&NATURES) initial=profil.natures.clone() submitted/>
            <h2 class="fr-h4 fr-mt-4w">"Langues et compétences"</h2>
            <CheckboxGroup posted=posted.clone() name="competences" legend="Langues et compétences"
                options=competences initial=listed submitted/>
            <TextField posted=posted.clone() name="autres_competences" label="Autres langues ou compétences"
                initial=autres hint="Séparées par des virgules, par exemple : néerlandais, accompagnement budgétaire"/>
            <h2 class="fr-h4 fr-mt-4w">"Tribunaux préférés"</h2>
            {if tribunaux.is_empty() {
                view! { <p>"Aucun tribunal à proposer : vous n'êtes agréé dans aucun département pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <CheckboxGroup posted=posted.clone() name="tribunaux" legend="Tribunaux auprès desquels vous préférez travailler"
                        hint="Parmi ceux des départements où vous êtes agréé ; leurs juges vous voient en premier"
                        options=tribunaux initial=preferes submitted/>
                }.into_any()
            }}
            <button class="fr-btn fr-mt-2w" type="submit">"Enregistrer mon profil"</button>
        </form>
    }
    .into_any()
}
