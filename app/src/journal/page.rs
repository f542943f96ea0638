//! The journal's page: the filters form and one page of events.

use super::*;
use crate::layout::form::{Posted, TextField};
use crate::layout::kit::{query_string, Charge, Tableau};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const FILTRES: [(&str, &str, &str); 7] = [
    ("acteur", "Personne (nom ou adresse)", "search"),
    ("action", "Action (ou son début : mesure., connexion)", "search"),
    ("cible", "Type de cible (mesure, user, gestionnaire, antenne)", "search"),
    ("cible_id", "Identifiant de la cible", "search"),
    ("du", "Depuis le", "date"),
    ("au", "Jusqu'au", "date"),
    ("ip", "Adresse IP", "search"),
];

#[component]
pub fn JournalPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query_string(query.read().clone());
    let data = Resource::new(search, load_journal);
    let value = move |key: &str| query.read_untracked().get(key).unwrap_or_default();
    // The same page for administrators (/admin/journal) and directions (/direction/journal).
    let chemin = leptos_router::hooks::use_location().pathname.get_untracked();
    let direction = chemin.starts_with("/direction");
    let chemin_liens = chemin.clone();
    let posted = Posted::default();
    view! {
        <Title text="Journal d'audit - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <h1>{if direction { "Journal de mon territoire" } else { "Journal d'audit" }}</h1>
            <p>{if direction {
                "Ce qui a été fait sur les mesures de vos tribunaux, les mandataires agréés, leurs antennes et les inscriptions de votre territoire. Les plus récents d'abord."
            } else {
                "Qui a fait quoi, sur quoi, quand et d'où : connexions, réservations, acceptations, capacités, comptes… Les plus récents d'abord."
            }}</p>
            <form method="get" action=chemin.clone() class="fr-mb-3w">
                <div class="fr-grid-row fr-grid-row--gutters">
                    // IP addresses are for the administrators only.
                    {FILTRES.iter().filter(|(name, _, _)| !(direction && *name == "ip")).map(|(name, label, kind)| view! {
                        <div class="fr-col-12 fr-col-md-4">
                            <TextField posted=posted.clone() name=name label=label input_type=kind initial=value(name)/>
                        </div>
                    }).collect_view()}
                    <div class="fr-col-12 fr-col-md-4 emjpm-filtrer">
                        <button class="fr-btn" type="submit">"Chercher"</button>
                    </div>
                </div>
            </form>
            <Charge data vue=move |page| view! { <Evenements page chemin=chemin_liens.clone() direction/> }/>
        </div>
    }
}

#[component]
fn Evenements(page: PageJournal, chemin: String, direction: bool) -> impl IntoView {
    let pages = crate::rules::pagination::nombre_de_pages(page.total);
    let query = use_query_map();
    let link = move |n: u64| {
        let mut pairs: Vec<(String, String)> =
            query.read_untracked().clone().into_iter().filter(|(k, _)| k != "page").map(|(k, v)| (k.to_string(), v)).collect();
        pairs.push(("page".into(), n.to_string()));
        format!("{chemin}?{}", query_string(pairs))
    };
    // A direction never sees an IP address.
    let mut colonnes = vec!["Quand", "Qui", "Action", "Cible", "Détail"];
    if !direction {
        colonnes.push("IP");
    }
    view! {
        <p role="status">{match page.total {
            0 => "Aucun événement ne correspond.".to_string(),
            1 => "1 événement".to_string(),
            n => format!("{} événements — page {} sur {pages}", crate::rules::texte::format_count(n as i64), page.page),
        }}</p>
        <Tableau legende="Événements du journal d'audit" legende_cachee=true colonnes=colonnes>
                    {page.lignes.into_iter().map(|l| view! {
                        <tr>
                            <td>{l.quand}</td>
                            <td>{l.acteur}{l.role.map(|r| format!(" ({r})"))}</td>
                            <td>{l.action}</td>
                            <td>{l.cible.unwrap_or_default()}</td>
                            <td>{l.resume.unwrap_or_default()}</td>
                            {(!direction).then(|| view! { <td>{l.ip.clone().unwrap_or_default()}</td> })}
                        </tr>
                    }).collect_view()}
        </Tableau>
        {(pages > 1).then(|| view! {
            <nav class="fr-pagination" role="navigation" aria-label="Pagination">
                <ul class="fr-pagination__list">
                    {(page.page > 1).then(|| view! { <li><a class="fr-pagination__link fr-pagination__link--prev" href=link(page.page - 1)>"Page précédente"</a></li> })}
                    {(page.page < pages).then(|| view! { <li><a class="fr-pagination__link fr-pagination__link--next" href=link(page.page + 1)>"Page suivante"</a></li> })}
                </ul>
            </nav>
        })}
    }
}
