//! `/direction/adoption`: a direction's territory's adoption funnel, by role
//! and period — counts only, never the individuals. The funnel component is
//! shared with the rollout console.

use super::{conversion, part, Adoption, Cohorte, EtapeEntonnoir, ETAPES};
use crate::errors::AppError;
use crate::layout::form::{Posted, SelectField, TextField};
use crate::layout::kit::{query_string, Charge, FilAriane, Tableau};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[leptos::server(prefix = "/api/fn", endpoint = "adoption")]
pub async fn load_adoption(query: String) -> Result<Adoption, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::PILOTAGE).await?;
    let filtres: super::FiltresAdoption = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))?;
    let db = crate::state::app_state()?.db;
    super::funnel(&db, &caller, &filtres).await.inspect_err(AppError::set_response_status)
}

/// The funnel as bars (their length the count, each labelled with its number)
/// and as a table with the conversion from the step before.
#[component]
pub fn Entonnoir(etapes: Vec<EtapeEntonnoir>, legende: String) -> impl IntoView {
    let max = etapes.iter().map(|e| e.nombre).max().unwrap_or(0).max(1) as f64;
    let libelle = |code: &str| ETAPES.iter().find(|(c, _)| *c == code).map_or("", |(_, l)| *l);
    let hauteur = 30 * etapes.len() + 4;
    let lignes: Vec<(String, i64, String)> = etapes
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let avant = if i == 0 { None } else { Some(etapes[i - 1].nombre) };
            (libelle(&e.etape).to_string(), e.nombre, avant.map(|a| conversion(a, e.nombre)).unwrap_or_else(|| "—".into()))
        })
        .collect();
    view! {
        <figure class="fr-mb-2w">
            <svg role="img" aria-label=format!("{legende} (graphique ; le tableau suivant donne les nombres)") viewBox=format!("0 0 600 {hauteur}") width="100%"
                class="emjpm-graphique" xmlns="http://www.w3.org/2000/svg">
                {lignes.iter().enumerate().map(|(i, (etape, n, _))| {
                    let y = 2 + 30 * i;
                    let w = 300.0 * (*n as f64) / max;
                    view! {
                        <g>
                            <text x="0" y=y + 17 font-size="12">{etape.clone()}</text>
                            <rect x="260" y=y width=w.max(1.0) height="22" fill="#000091"/>
                            <text x=266.0 + w y=y + 16 font-size="12">{n.to_string()}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
        <Tableau legende=legende colonnes=vec!["Étape", "Nombre", "Depuis l'étape précédente"]>
            {lignes.into_iter().map(|(etape, n, taux)| view! {
                <tr><th scope="row">{etape}</th><td>{n}</td><td>{taux}</td></tr>
            }).collect_view()}
        </Tableau>
    }
}

/// The weekly cohorts: of the people validated each week, the share with a
/// useful action each of the 12 weeks after — numbers in every cell, the
/// colour (five shades) only repeating them.
#[component]
pub fn Cohortes(cohortes: Vec<Cohorte>, #[prop(into)] legende: String) -> impl IntoView {
    let mut colonnes = vec!["Semaine de validation", "Validés"];
    const SEMAINES: [&str; 12] = ["S+1", "S+2", "S+3", "S+4", "S+5", "S+6", "S+7", "S+8", "S+9", "S+10", "S+11", "S+12"];
    colonnes.extend(SEMAINES.iter().take(super::SEMAINES_SUIVIES));
    view! {
        <Tableau legende=legende colonnes=colonnes>
            {cohortes.into_iter().map(|c| {
                let semaine = crate::rules::heure::jour_en_clair(&c.semaine);
                let valides = c.valides;
                view! {
                    <tr>
                        <th scope="row">{format!("du {semaine}")}</th>
                        <td>{valides}</td>
                        {c.actifs.into_iter().map(|cellule| match cellule.map(|n| (n, part(n, valides))) {
                            None => view! { <td class="emjpm-cohorte">"—"</td> }.into_any(),
                            Some((n, None)) => view! { <td class="emjpm-cohorte">{n}</td> }.into_any(),
                            Some((n, Some(p))) => {
                                let teinte = format!("emjpm-cohorte emjpm-cohorte--{}", (p / 20).min(4));
                                view! { <td class=teinte>{format!("{n} ({p} %)")}</td> }.into_any()
                            }
                        }).collect_view()}
                    </tr>
                }
            }).collect_view()}
        </Tableau>
    }
}

const FILTRES: [&str; 3] = ["role", "du", "au"];

#[component]
pub fn AdoptionPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || {
        let map = query.read();
        query_string(FILTRES.iter().filter_map(|k| map.get(k).filter(|v| !v.is_empty()).map(|v| (*k, v))))
    };
    let data = Resource::new(search, load_adoption);
    let initial = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let roles: Vec<(String, String)> = crate::rules::roles::Role::ALL
        .iter()
        .filter(|r| **r != crate::rules::roles::Role::Admin)
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect();
    let posted = Posted::default();
    view! {
        <Title text="Adoption du service - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/direction", "Mon territoire")] page="Adoption du service"/>
            <h1>"Adoption du service"</h1>
            <p>"Combien de personnes de votre territoire ont demandé un compte, l'ont obtenu, se sont connectées, ont fait une première "
                "action utile (une réservation pour un juge ou un greffier ; la capacité déclarée et une première mesure acceptée pour un "
                "mandataire ; la consultation des chiffres pour une direction) et sont actives (une action utile ces 30 derniers jours). "
                "Des nombres seulement : aucune personne n'est nommée."</p>
            <form method="get" action="/direction/adoption" class="fr-mb-3w">
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-4">
                        <SelectField posted=posted.clone() name="role" label="Rôle" options=roles empty="Tous les rôles" initial=initial("role")/>
                    </div>
                    <div class="fr-col-6 fr-col-md-4">
                        <TextField posted=posted.clone() name="du" label="Comptes créés du" input_type="date" initial=initial("du")/>
                    </div>
                    <div class="fr-col-6 fr-col-md-4">
                        <TextField posted=posted.clone() name="au" label="au" input_type="date" initial=initial("au")/>
                    </div>
                </div>
                <button class="fr-btn fr-mt-2w" type="submit">"Afficher"</button>
            </form>
            <Charge data vue=|a: Adoption| view! {
                <h2 class="fr-h4">{a.territoire.clone()}</h2>
                <Entonnoir etapes=a.etapes legende=format!("Entonnoir d'adoption — {}", a.territoire)/>
                <h2 class="fr-h4 fr-mt-4w">"Cohortes hebdomadaires"</h2>
                <p>"Des personnes validées chaque semaine, combien ont fait une action utile chacune des 12 semaines suivantes (et leur part) ; plus la case est foncée, plus la part est grande. « — » : semaine pas encore terminée."</p>
                <Cohortes cohortes=a.cohortes legende=format!("Cohortes hebdomadaires — {}", a.territoire)/>
            }/>
        </div>
    }
}
