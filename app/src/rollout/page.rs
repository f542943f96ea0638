//! `/admin/deploiement` (the map of France coloured by rollout state, and the
//! same data in a table) and `/admin/deploiement/{code}` (a département: its
//! state and the form to change it, its funnel, tribunals, approved
//! professionals and waiting sign-ups).

use super::carte::{CarteFrance, Contour, Forme};
use super::{DepartementDeploiement, FicheDepartement, ETATS};
use crate::adoption::page::{Cohortes, Entonnoir};
use crate::adoption::EtapeEntonnoir;
use crate::errors::AppError;
use crate::layout::form::{ErrorSummary, Posted};
use crate::layout::kit::{Charge, FilAriane, Tableau};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageDeploiement {
    pub departements: Vec<DepartementDeploiement>,
    /// None when the site's boundaries file is absent (the table says it all).
    pub contours: Option<Vec<Contour>>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "deploiement")]
pub async fn load_deploiement() -> Result<PageDeploiement, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let state = crate::state::app_state()?;
    let departements = super::service::list(&state.db, &caller).await.inspect_err(AppError::set_response_status)?;
    Ok(PageDeploiement { departements, contours: super::carte::du_site(&state.leptos_options.site_root) })
}

#[leptos::server(prefix = "/api/fn", endpoint = "deploiement_departement")]
pub async fn load_departement(code: String) -> Result<FicheDepartement, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let db = crate::state::app_state()?.db;
    super::service::fiche(&db, &caller, &code).await.inspect_err(AppError::set_response_status)
}

fn libelle_etat(code: &str) -> &'static str {
    crate::rules::vocabulary::label(&ETATS, code).unwrap_or("Non ouvert")
}

/// The SVG fill of a state: colour **and** texture (pilot hatched), so that
/// colour is never the only cue.
fn remplissage(etat: &str) -> &'static str {
    match etat {
        "ouvert" => "#18753c",
        "pilote" => "url(#deploiement-motif)",
        _ => "#eeeeee",
    }
}

fn nombre(etapes: &[EtapeEntonnoir], etape: &str) -> i64 {
    etapes.iter().find(|e| e.etape == etape).map_or(0, |e| e.nombre)
}

#[component]
pub fn DeploiementPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_deploiement());
    view! {
        <Title text="Déploiement - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/admin", "Administration")] page="Déploiement"/>
            <h1>"Déploiement"</h1>
            <p>"L'ouverture du service, département par département. Choisissez un département dans le tableau pour changer son état."</p>
            <Charge data vue=|page| view! { <Deploiement page/> }/>
        </div>
    }
}

#[component]
fn Deploiement(page: PageDeploiement) -> impl IntoView {
    let compte = |etat: &str| page.departements.iter().filter(|d| d.etat == etat).count();
    let resume = format!("{} ouverts, {} en pilote, {} non ouverts.", compte("ouvert"), compte("pilote"), compte("non_ouvert"));
    let etats: std::collections::HashMap<String, (String, String)> =
        page.departements.iter().map(|d| (d.code.clone(), (d.etat.clone(), d.nom.clone()))).collect();
    view! {
        <p class="fr-text--lead" role="status">{resume.clone()}</p>
        {page.contours.map(|contours| {
            let formes = contours
                .into_iter()
                .map(|c| {
                    let (etat, nom) = etats.get(&c.code).cloned().unwrap_or_else(|| ("non_ouvert".into(), c.code.clone()));
                    let titre = format!("{} — {nom} : {}", c.code, libelle_etat(&etat).to_lowercase());
                    Forme { d: c.d, remplissage: remplissage(&etat).to_string(), titre }
                })
                .collect();
            view! {
                <CarteFrance id="deploiement" titre=String::from("Carte du déploiement par département")
                    description=format!("{resume} Le tableau qui suit donne les mêmes informations.") formes
                    motif=("#b8fec9", "#18753c")
                    legende=String::from("Plein vert : ouvert ; hachuré : pilote ; gris clair : non ouvert. Les départements d'outre-mer sont sous la métropole.")/>
            }
        })}
        <Tableau legende="Déploiement par département" colonnes=vec!["Département", "Région", "État", "Vague", "Ouverture prévue", "Ouverture effective", "Invités", "Comptes demandés", "Validés", "Actifs"]>
            {page.departements.into_iter().map(|d| view! {
                <tr>
                    <th scope="row"><a href=format!("/admin/deploiement/{}", d.code)>{format!("{} — {}", d.code, d.nom)}</a></th>
                    <td>{d.region.clone()}</td>
                    <td>{libelle_etat(&d.etat)}</td>
                    <td>{d.vague.clone().unwrap_or_default()}</td>
                    <td>{d.date_prevue.clone().unwrap_or_default()}</td>
                    <td>{d.date_ouverture.clone().unwrap_or_default()}</td>
                    <td>{nombre(&d.entonnoir, "invite")}</td>
                    <td>{nombre(&d.entonnoir, "compte_demande")}</td>
                    <td>{nombre(&d.entonnoir, "valide")}</td>
                    <td>{nombre(&d.entonnoir, "actif")}</td>
                </tr>
            }).collect_view()}
        </Tableau>
    }
}

#[component]
pub fn DepartementPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, load_departement);
    let fait = {
        let q = use_query_map().read_untracked();
        match q.get("fait").as_deref() {
            Some("etat") => Some("État du déploiement enregistré.".to_string()),
            Some("inscriptions") => Some(format!(
                "{} ; {} à décider une par une (mandataire sans agrément évident, ou déjà décidée).",
                crate::rules::texte::compte(
                    q.get("n").and_then(|n| n.parse().ok()).unwrap_or(0),
                    "inscription validée",
                    "inscriptions validées"
                ),
                q.get("reste").unwrap_or_else(|| "0".into())
            )),
            _ => None,
        }
    };
    view! {
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/admin", "Administration"), ("/admin/deploiement", "Déploiement")] page="Département"/>
            {fait.map(|m| view! { <div class="fr-alert fr-alert--success fr-mb-3w" role="status"><p>{m}</p></div> })}
            <Charge data titre_si_erreur="Département" vue=|fiche| view! { <Departement fiche/> }/>
        </div>
    }
}

#[component]
fn Departement(fiche: FicheDepartement) -> impl IntoView {
    let posted = Posted::from_query();
    let d = fiche.departement.clone();
    let titre = format!("{} — {}", d.code, d.nom);
    let etat = posted.value_or("etat", d.etat.clone());
    view! {
        <Title text=format!("{titre} - Déploiement - e-MJPM")/>
        <h1>{titre.clone()}</h1>
        <p class="fr-text--lead">{format!("{} — {}", d.region, libelle_etat(&d.etat))}
            {d.vague.clone().map(|v| format!(", vague « {v} »"))}
            {d.date_ouverture.clone().map(|o| format!(", ouvert le {o}"))}
            {d.date_prevue.clone().map(|p| format!(", ouverture prévue le {p}"))}</p>
        <h2 class="fr-h4">"Changer l'état"</h2>
        <ErrorSummary posted=posted.clone() title="L'état n'a pas été enregistré" fields=&super::CHAMPS/>
        <form method="post" action=format!("/admin/deploiement/{}", d.code) class="emjpm-formulaire fr-mb-4w">
            <fieldset class="fr-fieldset" id="etat" aria-labelledby="etat-legende">
                <legend class="fr-fieldset__legend" id="etat-legende">"État du département"</legend>
                {ETATS.iter().map(|(code, label)| {
                    let id = format!("etat-{code}");
                    view! {
                        <div class="fr-fieldset__element fr-fieldset__element--inline">
                            <div class="fr-radio-group">
                                <input type="radio" id=id.clone() name="etat" value=*code checked=etat == *code/>
                                <label class="fr-label" for=id>{*label}</label>
                            </div>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="fr-input-group">
                <label class="fr-label" for="vague">"Vague"
                    <span class="fr-hint-text">"Un groupe de départements ouverts ensemble, par exemple « Île-de-France — rentrée »"</span></label>
                <input class="fr-input" id="vague" name="vague" list="vagues" value=posted.value_or("vague", d.vague.clone().unwrap_or_default())/>
                <datalist id="vagues">{fiche.vagues.iter().map(|v| view! { <option value=v.clone()/> }).collect_view()}</datalist>
            </div>
            <div class="fr-input-group">
                <label class="fr-label" for="date_prevue">"Ouverture prévue"</label>
                <input class="fr-input" type="date" id="date_prevue" name="date_prevue" value=posted.value_or("date_prevue", d.date_prevue.clone().unwrap_or_default())/>
                {posted.error("date_prevue").map(|m| view! { <p class="fr-error-text">{m}</p> })}
            </div>
            <div class="fr-input-group">
                <label class="fr-label" for="date_ouverture">"Ouverture effective"
                    <span class="fr-hint-text">"Pour un département en pilote ou ouvert ; aujourd'hui si elle est laissée vide"</span></label>
                <input class="fr-input" type="date" id="date_ouverture" name="date_ouverture" value=posted.value_or("date_ouverture", d.date_ouverture.clone().unwrap_or_default())/>
                {posted.error("date_ouverture").map(|m| view! { <p class="fr-error-text">{m}</p> })}
            </div>
            <button class="fr-btn" type="submit">"Enregistrer l'état"</button>
        </form>
        <h2 class="fr-h4">"Adoption"</h2>
        <p><a class="fr-link" href=format!("/admin/invitations?departement={}", d.code)>
            {format!("Invitations du département : {} envoyée(s) — importer, envoyer, suivre", nombre(&d.entonnoir, "invite"))}</a></p>
        <Entonnoir etapes=d.entonnoir.clone() legende=format!("Entonnoir d'adoption — {titre}")/>
        <h3 class="fr-h5 fr-mt-3w">"Cohortes hebdomadaires"</h3>
        <Cohortes cohortes=fiche.cohortes.clone() legende=format!("Cohortes hebdomadaires — {titre}")/>
        <h2 class="fr-h4 fr-mt-4w">{format!("Inscriptions en attente ({})", fiche.inscriptions.len())}</h2>
        {if fiche.inscriptions.is_empty() {
            view! { <p>"Aucune inscription de ce département n'attend de décision."</p> }.into_any()
        } else {
            let n = fiche.inscriptions.len() as i64;
            view! {
                <ul>{fiche.inscriptions.into_iter().map(|(nom, role, depuis)| view! { <li>{format!("{nom} — {role} — depuis le {depuis}")}</li> }).collect_view()}</ul>
                {if fiche.validation_groupee {
                    view! {
                        <form method="post" action=format!("/admin/deploiement/{}/inscriptions", d.code) class="fr-mb-2w">
                            <button class="fr-btn" type="submit">{format!("Valider {}", crate::rules::texte::compte(n, "inscription en attente", "inscriptions en attente"))}</button>
                            <p class="fr-hint-text">"Un mandataire est rattaché à son agrément s'il n'y en a qu'un d'évident (même SIRET, adresse ou établissement) ; sinon il reste à décider."</p>
                        </form>
                    }.into_any()
                } else {
                    view! { <p>"Le département n'est pas ouvert : ces inscriptions sont en liste d'attente. Passez-le en pilote ou ouvert pour les valider en une fois."</p> }.into_any()
                }}
                <p><a href="/admin/inscriptions">"Décider des inscriptions une par une"</a></p>
            }.into_any()
        }}
        <h2 class="fr-h4 fr-mt-4w">{format!("Tribunaux ({})", fiche.tribunaux.len())}</h2>
        <Tableau legende="Tribunaux du département" legende_cachee=true colonnes=vec!["Tribunal", "Comptes (juges et greffiers)"]>
            {fiche.tribunaux.into_iter().map(|(nom, comptes)| view! { <tr><th scope="row">{nom}</th><td>{comptes}</td></tr> }).collect_view()}
        </Tableau>
        <h2 class="fr-h4 fr-mt-4w">{format!("Mandataires agréés ({})", fiche.professionnels.len())}</h2>
        <Tableau legende="Mandataires agréés dans le département" legende_cachee=true colonnes=vec!["Mandataire", "Type"]>
            {fiche.professionnels.into_iter().map(|(id, nom, kind)| view! { <tr><th scope="row">{format!("{nom} (n° {id})")}</th><td>{kind}</td></tr> }).collect_view()}
        </Tableau>
    }
}
