//! "Ma capacité": the professional declares how many measures it wishes to
//! follow, suspends or resumes with a reason, and (a service's admin) shares the
//! capacity among its antennes. Plain forms, built for a phone first.

use super::capacite::Capacite;
use crate::errors::AppError;
use crate::layout::cadre::Cadre;
use crate::layout::form::{ErrorSummary, Posted, TextField};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One antenne's line on the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneCapaciteAntenne {
    pub id: i32,
    pub nom: String,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageCapacite {
    pub capacite: Capacite,
    pub antennes: Vec<LigneCapaciteAntenne>,
    /// False for a service member who is not one of its admins.
    pub modifiable: bool,
}

#[leptos::server(prefix = "/api/fn", endpoint = "load_capacite")]
pub async fn load_capacite() -> Result<PageCapacite, AppError> {
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    super::capacite::page(&db, &caller).await.inspect_err(AppError::set_response_status)
}

pub const FIELDS: [(&str, &str); 2] = [("mesures_max", "Mesures souhaitées"), ("motif_suspension", "Motif de la suspension")];

fn confirmation(code: &str) -> Option<&'static str> {
    match code {
        "capacite" => Some("Votre capacité est enregistrée : les juges la voient dès maintenant."),
        "antenne" => Some("La capacité de l'antenne est enregistrée."),
        _ => None,
    }
}

#[component]
pub fn CapacitePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_capacite());
    let confirmation = crate::layout::cadre::fait().and_then(|c| confirmation(&c));
    view! {
        <Cadre titre="Ma capacité" chemin=&[("/mandataire", "Mon activité")] confirmation data
            vue=|page| view! { <CapaciteForms page/> }/>
    }
}

#[component]
fn CapaciteForms(page: PageCapacite) -> impl IntoView {
    let posted = Posted::from_query();
    let c = page.capacite.clone();
    let suspendu = posted.value_or("suspendu", if c.suspendu { "oui" } else { "" }) == "oui";
    view! {
        <p>{format!("{} mesures en cours, {} en attente, {} places disponibles.", c.en_cours, c.en_attente, c.disponibles)}</p>
        <ErrorSummary posted=posted.clone() title="La capacité n'est pas enregistrée" fields=&FIELDS/>
        {if page.modifiable {
            view! {
                <form method="post" action="/mandataire/capacite" class="emjpm-formulaire" novalidate=true>
                    <TextField posted=posted.clone() name="mesures_max" label="Mesures souhaitées" input_type="number"
                        inputmode="numeric" required=true initial=c.mesures_max.to_string()
                        hint="Le nombre total de mesures que vous souhaitez suivre"/>
                    <div class="fr-checkbox-group fr-mb-2w">
                        <input type="checkbox" id="suspendu" name="suspendu" value="oui" checked=suspendu/>
                        <label class="fr-label" for="suspendu">"Je ne souhaite plus recevoir de nouvelles mesures"
                            <span class="fr-hint-text">"Les juges vous voient comme ne prenant plus de mesures"</span></label>
                    </div>
                    <TextField posted=posted.clone() name="motif_suspension" label="Motif de la suspension"
                        hint="Obligatoire si vous suspendez (congé, surcharge…)"
                        initial=c.motif_suspension.clone().unwrap_or_default()/>
                    <button class="fr-btn" type="submit">"Enregistrer"</button>
                </form>
            }.into_any()
        } else {
            view! {
                <p class="fr-alert fr-alert--info">"Seuls les administrateurs du service peuvent modifier sa capacité : "
                    {format!("{} mesures souhaitées.", c.mesures_max)}</p>
            }.into_any()
        }}
        {(!page.antennes.is_empty()).then(|| view! {
            <h2 class="fr-h4 fr-mt-4w">"Capacité des antennes"</h2>
            <p class="fr-text--sm">{format!("Les antennes se partagent les {} mesures souhaitées du service.", c.mesures_max)}</p>
            {page.antennes.iter().map(|a| {
                let field = format!("antenne-{}", a.id);
                let action = format!("/mandataire/antennes/{}/capacite", a.id);
                let error = posted.error(&format!("antenne_{}", a.id));
                let group = if error.is_some() { "fr-input-group fr-input-group--error" } else { "fr-input-group" };
                let described = error.as_ref().map(|_| format!("{field}-erreur"));
                view! {
                    <form method="post" action=action class="fr-mb-2w">
                        <div class=group>
                            <label class="fr-label" for=field.clone()>{a.nom.clone()}
                                <span class="fr-hint-text">{format!("{} en cours, {} en attente", a.en_cours, a.en_attente)}</span></label>
                            <input class="fr-input" type="number" inputmode="numeric" min="0" id=field.clone() name="mesures_max"
                                value=a.mesures_max.to_string() disabled=!page.modifiable
                                aria-describedby=described/>
                            {error.map(|m| view! { <p class="fr-error-text" id=format!("{field}-erreur")>{m}</p> })}
                        </div>
                        {page.modifiable.then(|| view! {
                            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">{format!("Enregistrer « {} »", a.nom)}</button>
                        })}
                    </form>
                }
            }).collect_view()}
        })}
    }
}
