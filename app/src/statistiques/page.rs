//! `/statistiques`: the service's public impact, open to anyone, readable
//! without JavaScript and at 360 px: headline figures, a chart of the
//! reservations per month followed by its table, every count under 5 said
//! "moins de 5".

use super::{mois_en_clair, StatistiquesPubliques};
use crate::errors::AppError;
use crate::layout::kit::{Charge, Chiffre, Tableau};
use crate::rules::statistiques::en_clair;
use crate::rules::texte::{duree, format_count};
use leptos::prelude::*;
use leptos_meta::Title;

#[leptos::server(prefix = "/api/fn", endpoint = "statistiques_publiques")]
pub async fn load_statistiques_publiques() -> Result<StatistiquesPubliques, AppError> {
    let db = crate::state::app_state()?.db;
    super::service::lire(&db).await.inspect_err(AppError::set_response_status)
}

#[component]
pub fn StatistiquesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_statistiques_publiques());
    view! {
        <Title text="Statistiques - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <h1>"L'impact d'e-MJPM"</h1>
            <p class="fr-text--lead">"Ce que le service change pour les juges, les mandataires et les personnes protégées, en chiffres."</p>
            <Charge data titre_si_erreur="Statistiques" vue=|s| view! { <Figures s/> }/>
        </div>
    }
}

/// "le 06/12/2026 à 18 h 30" (Paris) for an RFC 3339 instant.
fn le(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(at) => {
            let paris = crate::rules::heure::a_paris(&at);
            format!("le {} à {}", paris.format("%d/%m/%Y"), paris.format("%H h %M"))
        }
        Err(_) => rfc3339.to_string(),
    }
}

fn pourcent(part: Option<i64>) -> String {
    part.map_or_else(|| "—".to_string(), |p| format!("{p} %"))
}

#[component]
fn Figures(s: StatistiquesPubliques) -> impl IntoView {
    let territoires: Vec<(String, &'static str, String)> = s
        .departements_ouverts
        .iter()
        .map(|d| (d.clone(), "Ouvert", String::new()))
        .chain(s.departements_pilotes.iter().map(|d| (d.clone(), "Pilote", String::new())))
        .chain(s.departements_prevus.iter().map(|p| (p.departement.clone(), "Prévu", p.date_prevue.clone())))
        .collect();
    view! {
        <p class="fr-text--sm">{format!(
            "Chiffres calculés {}, recalculés chaque jour. Aucune donnée personnelle : tout nombre inférieur à 5 est affiché « moins de 5 ».",
            le(&s.calculees_le)
        )}</p>

        <h2 class="fr-h4 fr-mt-4w">"Où le service est ouvert"</h2>
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
            <Chiffre valeur=format_count(s.departements_ouverts.len() as i64) libelle="départements ouverts"/>
            <Chiffre valeur=format_count(s.departements_pilotes.len() as i64) libelle="départements en pilote"/>
            <Chiffre valeur=format_count(s.departements_prevus.len() as i64) libelle="ouvertures prévues"/>
        </div>
        {if territoires.is_empty() {
            view! { <p>"Aucun département n'est encore ouvert."</p> }.into_any()
        } else {
            view! {
                <Tableau legende="Départements ouverts, en pilote et prévus" colonnes=vec!["Département", "État", "Ouverture prévue"]>
                    {territoires.into_iter().map(|(departement, etat, prevue)| view! {
                        <tr><th scope="row">{departement}</th><td>{etat}</td><td>{prevue}</td></tr>
                    }).collect_view()}
                </Tableau>
            }.into_any()
        }}

        <h2 class="fr-h4 fr-mt-4w">"Qui l'utilise"</h2>
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
            <Chiffre valeur=en_clair(s.tribunaux) libelle="tribunaux" detail="dont au moins un juge ou un greffier a un compte actif".to_string()/>
            <Chiffre valeur=en_clair(s.mandataires) libelle="mandataires" detail="individuels, préposés ou services, dont au moins un membre a un compte actif".to_string()/>
        </div>

        <h2 class="fr-h4 fr-mt-4w">"Mesures réservées par le service"</h2>
        <Reservations mois=s.reservations_par_mois.clone()/>

        <h2 class="fr-h4 fr-mt-4w">"Délais et disponibilités"</h2>
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
            <Chiffre
                valeur=s.delai_median_minutes.map_or_else(|| "—".to_string(), duree)
                libelle="délai médian entre la réservation d'une mesure et son acceptation"
                detail=match s.acceptations {
                    Some(n) => format!("sur {} mesures acceptées ces 12 derniers mois", format_count(n)),
                    None => "moins de 5 mesures acceptées ces 12 derniers mois : pas de délai publié".to_string(),
                }/>
            <Chiffre
                valeur=pourcent(s.disponibilites_a_jour)
                libelle="des mandataires agréés ont mis à jour leurs disponibilités depuis moins de 30 jours"
                detail=format!("sur {} mandataires agréés en activité", en_clair(s.mandataires_agrees))/>
        </div>

        <h2 class="fr-h4 fr-mt-4w">"Satisfaction"</h2>
        {match s.avis_total {
            None => view! { <p>"Moins de 5 avis donnés ces 12 derniers mois : pas de taux publié."</p> }.into_any(),
            Some(total) => view! {
                <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
                    <Chiffre valeur=pourcent(s.satisfaction) libelle="des avis disent que cela s'est bien passé"
                        detail=format!("sur {} avis donnés ces 12 derniers mois", format_count(total))/>
                </div>
                <Tableau legende="Avis des 12 derniers mois" colonnes=vec!["Comment cela s'est passé", "Avis"]>
                    {["Bien", "Moyen", "Mal"].into_iter().zip(s.avis).map(|(niveau, n)| view! {
                        <tr><th scope="row">{niveau}</th><td>{en_clair(n)}</td></tr>
                    }).collect_view()}
                </Tableau>
            }.into_any(),
        }}
        <p><a class="fr-link" href="/avis?depuis=/statistiques">"Donner mon avis"</a></p>
        <p class="fr-text--sm">"Ces chiffres sont aussi publiés en JSON : "
            <a href="/api/v1/statistiques/publiques">"/api/v1/statistiques/publiques"</a>" ("
            <a href="/api/docs">"documentation de l'API"</a>")."</p>
    }
}

/// The reservations per month: a bar chart (a picture with its title and
/// description), then the same numbers in a table.
#[component]
fn Reservations(mois: Vec<super::MoisNombre>) -> impl IntoView {
    let plus_haut = mois.iter().filter_map(|m| m.nombre).max().unwrap_or(0).max(1) as f64;
    let court = |m: &str| mois_en_clair(m).chars().take(4).collect::<String>().trim_end().to_string();
    view! {
        <figure class="fr-mb-3w">
            <svg role="img" aria-labelledby="reservations-titre reservations-desc" viewBox="0 0 360 190" width="100%"
                class="emjpm-graphique" xmlns="http://www.w3.org/2000/svg">
                <title id="reservations-titre">"Mesures réservées par le service, chacun des 12 derniers mois"</title>
                <desc id="reservations-desc">"Une barre par mois, du plus ancien au plus récent, d'autant plus haute que le mois compte de réservations ; « <5 » : moins de 5. Le tableau qui suit donne les nombres."</desc>
                {mois.iter().enumerate().map(|(i, m)| {
                    let x = 6.0 + 29.0 * i as f64;
                    let hauteur = m.nombre.map_or(0.0, |n| 140.0 * n as f64 / plus_haut);
                    let valeur = m.nombre.map_or_else(|| "<5".to_string(), |n| n.to_string());
                    view! {
                        <g>
                            <rect x=x y=160.0 - hauteur width="22" height=hauteur fill="#000091"/>
                            <text x=x + 11.0 y=155.0 - hauteur font-size="9" text-anchor="middle">{valeur}</text>
                            <text x=x + 11.0 y="175" font-size="9" text-anchor="middle">{court(&m.mois)}</text>
                        </g>
                    }
                }).collect_view()}
                <line x1="0" y1="160" x2="360" y2="160" stroke="#666"/>
            </svg>
        </figure>
        <Tableau legende="Mesures réservées par le service, par mois" colonnes=vec!["Mois", "Mesures réservées"]>
            {mois.into_iter().map(|m| view! {
                <tr><th scope="row">{mois_en_clair(&m.mois)}</th><td>{en_clair(m.nombre)}</td></tr>
            }).collect_view()}
        </Tableau>
    }
}
