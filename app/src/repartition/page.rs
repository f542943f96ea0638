//! `/tribunal/repartition`: the fairness view of the judge's own tribunal;
//! `/direction/repartition`: a direction chooses a tribunal of its territory.
//! Explained in plain French, readable without JavaScript and at 360 px.

use super::{LigneRepartition, Repartition};
use crate::errors::AppError;
use crate::layout::kit::{Charge, Chiffre, FilAriane, Tableau};
use crate::rules::heure::jour_en_clair;
use crate::rules::repartition::{gini_en_clair, points, pourcentage};
use crate::rules::texte::{compte, format_count};
use leptos::prelude::*;
use leptos_meta::Title;

/// The view's figures; `tribunal` is for directions and the team.
#[leptos::server(prefix = "/api/fn", endpoint = "repartition")]
pub async fn load_repartition(tribunal: Option<String>) -> Result<Repartition, AppError> {
    let caller = crate::accounts::guard::caller().await?;
    let state = crate::state::app_state()?;
    super::service::repartition(&state.db, &state.search_index, &caller, tribunal.as_deref())
        .await
        .inspect_err(AppError::set_response_status)
}

#[component]
pub fn RepartitionPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::new(move || query.read().get("tribunal"), load_repartition);
    view! {
        <Title text="Répartition des mesures - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/tribunal", "Accueil du tribunal")] page="Répartition des mesures"/>
            <h1>"Répartition des mesures entre les mandataires"</h1>
            <p>"Sur les 12 derniers mois, comment les réservations du tribunal se répartissent entre les mandataires de son périmètre "
               "(agréés dans son département, ou qui l'ont choisi comme tribunal préféré), comparées à la capacité que chacun déclare. "
               "Ces chiffres sont ceux du tribunal : aucun juge ni greffier n'y est distingué."</p>
            <Charge data vue=|r| view! { <Vue r fiches=true/> }/>
        </div>
    }
}

/// The tribunals of the direction's territory, to choose from.
#[leptos::server(prefix = "/api/fn", endpoint = "tribunaux_du_territoire")]
pub async fn load_tribunaux_du_territoire() -> Result<Vec<(String, String)>, AppError> {
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    super::service::tribunaux_du_territoire(&db, &caller).await.inspect_err(AppError::set_response_status)
}

#[component]
pub fn RepartitionDirectionPage() -> impl IntoView {
    use crate::layout::form::{Posted, SelectField};
    let query = leptos_router::hooks::use_query_map();
    let tribunaux = Resource::new(|| (), |_| load_tribunaux_du_territoire());
    let choisi = move || query.read().get("tribunal").filter(|t| !t.is_empty());
    let data = Resource::new(choisi, |tribunal| async move {
        match tribunal {
            Some(tribunal) => load_repartition(Some(tribunal)).await.map(Some),
            None => Ok(None),
        }
    });
    let initial = query.read_untracked().get("tribunal").unwrap_or_default();
    let vue = |r: Option<Repartition>| match r {
        Some(r) => view! { <Vue r fiches=false/> }.into_any(),
        None => view! { <p role="status">"Choisissez un tribunal de votre territoire."</p> }.into_any(),
    };
    view! {
        <Title text="Répartition des mesures d'un tribunal - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/direction", "Mon territoire")] page="Répartition des mesures"/>
            <h1>"Répartition des mesures d'un tribunal"</h1>
            <p>"Sur les 12 derniers mois, comment les réservations d'un tribunal de votre territoire se répartissent entre les mandataires "
               "de son périmètre (agréés dans son département, ou qui l'ont choisi comme tribunal préféré), comparées à la capacité que chacun déclare. "
               "Ces chiffres sont ceux du tribunal : aucun juge ni greffier n'y est distingué."</p>
            <Charge data=tribunaux vue=move |options| {
                let initial = initial.clone();
                view! {
                    <form method="get" action="/direction/repartition" class="fr-mb-3w">
                        <SelectField posted=Posted::default() name="tribunal" label="Tribunal" options required=true initial/>
                        <button class="fr-btn" type="submit">"Afficher la répartition"</button>
                    </form>
                }
            }/>
            <Charge data vue=vue/>
        </div>
    }
}

fn en_pourcentage(valeur: Option<f64>) -> String {
    valeur.map_or_else(|| "—".to_string(), pourcentage)
}

/// The figures; `fiches`: the professionals' names link to their page (judges).
#[component]
fn Vue(r: Repartition, fiches: bool) -> impl IntoView {
    let gini = r.gini.map_or_else(|| "—".to_string(), |g| crate::rules::texte::decimal(g, 2));
    let gini_detail = r.gini.map(|g| gini_en_clair(g).to_string());
    let dixieme = en_pourcentage(r.part_premier_dixieme);
    let hors = (r.reservations_hors_perimetre > 0).then(|| {
        format!(
            "Le tribunal a aussi réservé {} auprès de mandataires hors de son périmètre (cherchés dans un autre département ou au niveau national) : elles ne sont pas comptées ci-dessous.",
            compte(r.reservations_hors_perimetre as i64, "mesure", "mesures")
        )
    });
    view! {
        <h2 class="fr-h4">{format!("{} — du {} au {}", r.tribunal, jour_en_clair(&r.debut), jour_en_clair(&r.fin))}</h2>
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
            <Chiffre valeur=format_count(r.reservations as i64) libelle="réservations à des mandataires du périmètre"/>
            <Chiffre valeur=format_count(r.mandataires as i64) libelle="mandataires dans le périmètre"/>
            <Chiffre valeur=dixieme libelle="des réservations sont allées au dixième des mandataires les plus sollicités"/>
            <Chiffre valeur=gini libelle="indice de concentration (Gini)" detail=gini_detail.unwrap_or_default()/>
        </div>
        {hors.map(|t| view! { <p>{t}</p> })}
        <details class="fr-mb-3w">
            <summary>"Comment lire ces chiffres"</summary>
            <ul>
                <li>"« Part des réservations » : la part des réservations du tribunal reçue par ce mandataire."</li>
                <li>"« Part de la capacité » : la part de ses mesures souhaitées dans la capacité déclarée par tous les mandataires du périmètre "
                    "(pour un service : ses antennes du département s'il en a ; 0 s'il ne prend plus de mesures)."</li>
                <li>"« Écart » : la première moins la seconde, en points. Négatif : le mandataire est moins sollicité que sa capacité ne le laisserait attendre."</li>
                <li>"L'indice de Gini va de 0 (toutes les réservations réparties également) à près de 1 (toutes chez quelques mandataires)."</li>
            </ul>
        </details>
        <h2 class="fr-h5">"Jamais sollicités, avec des places libres"</h2>
        {if r.jamais_sollicites.is_empty() {
            view! { <p>"Aucun : chaque mandataire du périmètre qui a des places libres a reçu au moins une réservation du tribunal sur la période."</p> }.into_any()
        } else {
            view! {
                <p>{format!("{} du périmètre n'ont reçu aucune réservation du tribunal en 12 mois et ont aujourd'hui des places libres :",
                    compte(r.jamais_sollicites.len() as i64, "mandataire", "mandataires"))}</p>
                <ul>{r.jamais_sollicites.into_iter().map(|l| view! {
                    <li>{if fiches {
                            view! { <a href=format!("/tribunal/mandataires/{}", l.gestionnaire_id)>{l.nom.clone()}</a> }.into_any()
                        } else {
                            l.nom.clone().into_any()
                        }}
                        {format!(" — {}", compte(l.disponibles, "place libre", "places libres"))}</li>
                }).collect_view()}</ul>
            }.into_any()
        }}
        <h2 class="fr-h5 fr-mt-3w">"Chaque mandataire du périmètre"</h2>
        <p>"Du moins sollicité au plus sollicité au regard de sa capacité."</p>
        <Tableau legende="Répartition des réservations du tribunal par mandataire" legende_cachee=true
            colonnes=vec!["Mandataire", "Réservations", "Part des réservations", "Mesures souhaitées", "Part de la capacité", "Écart", "Dernière réservation"]>
            {r.lignes.into_iter().map(|l| view! { <Ligne l/> }).collect_view()}
        </Tableau>
    }
}

#[component]
fn Ligne(l: LigneRepartition) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{l.nom.clone()}</th>
            <td>{format_count(l.reservations as i64)}</td>
            <td>{en_pourcentage(l.part_reservations)}</td>
            <td>{format_count(l.mesures_souhaitees)}</td>
            <td>{en_pourcentage(l.part_capacite)}</td>
            <td>{points(l.ecart_points)}</td>
            <td>{l.derniere_reservation.as_deref().map_or_else(|| "aucune".to_string(), jour_en_clair)}</td>
        </tr>
    }
}
