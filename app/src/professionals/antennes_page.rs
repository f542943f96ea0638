//! "Nos antennes": a service's offices — the list, and one form to add or edit
//! one (name, contact, address, capacity), with its deletion. Plain forms,
//! the same with or without JavaScript; only the service's admins change them.

use super::antennes::Antenne;
use crate::errors::AppError;
use crate::layout::cadre::Cadre;
use crate::layout::form::{ErrorSummary, Posted, TextField};
use crate::layout::kit::{Charge, ErrorAlert};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageAntennes {
    pub antennes: Vec<Antenne>,
    /// The service's capacity, shared by its antennes.
    pub mesures_max: i32,
    /// False for a member who is not one of the service's admins.
    pub modifiable: bool,
}

#[leptos::server(prefix = "/api/fn", endpoint = "load_antennes")]
pub async fn load_antennes() -> Result<PageAntennes, AppError> {
    use crate::rules::roles::Role;
    let caller = crate::accounts::guard::caller_with_role(&[Role::Service]).await?;
    let db = crate::state::app_state()?.db;
    let antennes = super::antennes::list(&db, &caller).await.inspect_err(AppError::set_response_status)?;
    let capacite = super::capacite::read(&db, &caller).await?;
    Ok(PageAntennes { antennes, mesures_max: capacite.mesures_max, modifiable: super::capacite::may_edit(&caller).is_ok() })
}

pub const FIELDS: [(&str, &str); 7] = [
    ("nom", "Nom"),
    ("contact", "Personne à contacter"),
    ("email", "Adresse électronique"),
    ("telephone", "Téléphone"),
    ("adresse", "Adresse"),
    ("commune", "Commune"),
    ("mesures_max", "Mesures souhaitées"),
];

fn confirmation(code: &str) -> Option<&'static str> {
    match code {
        "ajoutee" => Some("L'antenne est ajoutée : les juges la voient dès maintenant."),
        "modifiee" => Some("L'antenne est enregistrée."),
        "supprimee" => Some("L'antenne est supprimée."),
        _ => None,
    }
}

fn breadcrumb(current: &'static str) -> impl IntoView {
    view! {
        <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
            <ol class="fr-breadcrumb__list">
                <li><a class="fr-breadcrumb__link" href="/mandataire">"Mon activité"</a></li>
                {(current != "Nos antennes").then(|| view! {
                    <li><a class="fr-breadcrumb__link" href="/mandataire/antennes">"Nos antennes"</a></li>
                })}
                <li><a class="fr-breadcrumb__link" aria-current="page">{current}</a></li>
            </ol>
        </nav>
    }
}

#[component]
pub fn AntennesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_antennes());
    let confirmation = crate::layout::cadre::fait().and_then(|c| confirmation(&c));
    view! {
        <Cadre titre="Nos antennes" chemin=&[("/mandataire", "Mon activité")] confirmation data
            vue=|page| view! { <ListeAntennes page/> }/>
    }
}

#[component]
fn ListeAntennes(page: PageAntennes) -> impl IntoView {
    let total: i32 = page.antennes.iter().map(|a| a.mesures_max).sum();
    view! {
        <p>{format!("Les antennes se partagent les {} mesures souhaitées du service ({total} attribuées).", page.mesures_max)}</p>
        {page.modifiable.then(|| view! {
            <p><a class="fr-btn" href="/mandataire/antennes/nouvelle">"Ajouter une antenne"</a></p>
        })}
        {if page.antennes.is_empty() {
            view! { <p>"Le service n'a pas d'antenne : les juges voient son siège."</p> }.into_any()
        } else {
            view! {
                <ul class="emjpm-liste-simple">
                    {page.antennes.into_iter().map(|a| view! {
                        <li class="fr-card fr-card--no-arrow fr-mb-2w">
                            <div class="fr-card__body"><div class="fr-card__content">
                                <h2 class="fr-card__title fr-h5">{a.nom.clone()}</h2>
                                <p class="fr-card__desc">{format!("{}, {}", a.adresse, a.commune)}</p>
                                <p class="fr-card__desc">{format!("{} mesures souhaitées, {} en cours, {} en attente", a.mesures_max, a.en_cours, a.en_attente)}</p>
                                {page.modifiable.then(|| view! {
                                    <p><a class="fr-link" href=format!("/mandataire/antennes/{}", a.id)>{format!("Modifier « {} »", a.nom)}</a></p>
                                })}
                            </div></div>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// `/mandataire/antennes/nouvelle` and `/mandataire/antennes/{id}`.
#[component]
pub fn AntennePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok());
    let data = Resource::new(|| (), |_| load_antennes());
    view! {
        <div class="fr-container fr-py-4w">
            {breadcrumb("Antenne")}
            <Charge data titre_si_erreur="Antenne" vue=move |page| {
                let refus = |error| view! { <Title text="Antenne - e-MJPM"/><h1>"Antenne"</h1><ErrorAlert error/> }.into_any();
                if !page.modifiable {
                    return refus(AppError::Interdit);
                }
                match id() {
                    None => view! { <AntenneForm antenne=None/> }.into_any(),
                    Some(wanted) => match page.antennes.into_iter().find(|a| a.id == wanted) {
                        Some(antenne) => view! { <AntenneForm antenne=Some(antenne)/> }.into_any(),
                        None => refus(AppError::Introuvable),
                    },
                }
            }/>
        </div>
    }
}

#[component]
fn AntenneForm(antenne: Option<Antenne>) -> impl IntoView {
    let posted = Posted::from_query();
    let action = antenne.as_ref().map_or("/mandataire/antennes".to_string(), |a| format!("/mandataire/antennes/{}", a.id));
    let a = antenne.clone();
    let initial = move |value: fn(&Antenne) -> String| a.as_ref().map(value).unwrap_or_default();
    let titre = match &antenne {
        Some(a) => format!("Antenne « {} »", a.nom),
        None => "Nouvelle antenne".to_string(),
    };
    view! {
        <Title text=crate::layout::form::textarea_text(&format!("{titre} - e-MJPM"))/>
        <h1>{titre.clone()}</h1>
        <ErrorSummary posted=posted.clone() title="L'antenne n'est pas enregistrée" fields=&FIELDS/>
        <form method="post" action=action class="emjpm-formulaire" novalidate=true>
            <TextField posted=posted.clone() name="nom" label="Nom" required=true initial=initial(|a| a.nom.clone())/>
            <TextField posted=posted.clone() name="contact" label="Personne à contacter" initial=initial(|a| a.contact.clone())/>
            <TextField posted=posted.clone() name="email" label="Adresse électronique" input_type="email" autocomplete="email"
                initial=initial(|a| a.email.clone())/>
            <TextField posted=posted.clone() name="telephone" label="Téléphone" input_type="tel" inputmode="tel"
                hint="Par exemple : 03 28 12 34 56" initial=initial(|a| a.telephone.clone())/>
            <TextField posted=posted.clone() name="adresse" label="Adresse" required=true autocomplete="street-address"
                initial=initial(|a| a.adresse.clone())/>
            <TextField posted=posted.clone() name="commune" label="Commune" required=true
                hint="Nom ou code postal, par exemple Dunkerque (59140)" initial=initial(|a| a.commune.clone())/>
            <TextField posted=posted.clone() name="mesures_max" label="Mesures souhaitées" required=true input_type="number"
                inputmode="numeric" hint="Sa part de la capacité du service"
                initial=initial(|a| a.mesures_max.to_string())/>
            <ul class="fr-btns-group fr-btns-group--inline-md">
                <li><button class="fr-btn" type="submit">"Enregistrer l'antenne"</button></li>
                <li><a class="fr-btn fr-btn--secondary" href="/mandataire/antennes">"Revenir aux antennes"</a></li>
            </ul>
        </form>
        {antenne.map(|a| view! {
            <form method="post" action=format!("/mandataire/antennes/{}/supprimer", a.id) class="fr-mt-4w">
                <h2 class="fr-h4">"Supprimer l'antenne"</h2>
                <p class="fr-text--sm">"Possible seulement quand elle ne suit plus aucune mesure en cours ou en attente."</p>
                <button class="fr-btn fr-btn--tertiary" type="submit">{format!("Supprimer « {} »", a.nom)}</button>
            </form>
        })}
    }
}
