//! The filtered list of measures (tribunal or professional).

use super::*;
use crate::errors::AppError;
use crate::layout::form::{options, Posted, SelectField, TextField};
use crate::layout::kit::{query_string, Charge};
use crate::measures::listing::{ChoixFiltres, PageMesures, TRIS_MESURES};
use crate::rules::vocabulary::{NATURES, STATUTS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A page of measures for the list page and the professional's home.
#[leptos::server(prefix = "/api/fn", endpoint = "load_mesures")]
pub async fn load_mesures(query: String) -> Result<PageMesures, AppError> {
    use crate::measures::listing::{list, FiltresMesures};
    let filtres: FiltresMesures = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))?;
    let criteres = filtres.validate()?;
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    list(&db, &caller, &criteres).await.inspect_err(AppError::set_response_status)
}

/// The choices of the list's filters (people, professionals, antennes).
#[leptos::server(prefix = "/api/fn", endpoint = "filtres_mesures")]
pub async fn filtres_mesures() -> Result<ChoixFiltres, AppError> {
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    crate::measures::listing::choices(&db, &caller).await.inspect_err(AppError::set_response_status)
}

#[component]
pub fn TribunalMesuresPage() -> impl IntoView {
    view! { <MesuresListe espace=Espace::Tribunal/> }
}

#[component]
pub fn MandataireMesuresPage() -> impl IntoView {
    view! { <MesuresListe espace=Espace::Mandataire/> }
}

/// The list page: a GET form of filters (bookmarkable, works without
/// JavaScript) and 20 measures per page, pending and urgent first.
#[component]
fn MesuresListe(espace: Espace) -> impl IntoView {
    let query = use_query_map();
    let data =
        Resource::new(move || (query_string(query.read().clone()), crate::realtime::changements()), |(query, _)| load_mesures(query));
    let value = move |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let posted = Posted::default();
    let cancelled = !value("annulee").is_empty();
    let choix = Resource::new(|| (), |_| filtres_mesures());
    view! {
        <Title text=format!("{} - e-MJPM", espace.title())/>
        <div class="fr-container fr-py-4w">
            {breadcrumb(espace, None)}
            <h1>{espace.title()}</h1>
            {(espace == Espace::Mandataire).then(|| view! {
                <p><a class="fr-btn fr-btn--secondary" href="/mandataire/mesures/nouvelle">"Enregistrer une nouvelle mesure"</a></p>
            })}
            {cancelled.then(|| view! {
                <div class="fr-alert fr-alert--success fr-mb-3w" role="status"><p>"La réservation est annulée."</p></div>
            })}
            <form method="get" action=espace.base() class="fr-mb-3w">
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-3">
                        <SelectField posted=posted.clone() name="statut" label="Statut" options=options(&STATUTS)
                            empty="Tous" initial=value("statut")/>
                    </div>
                    <div class="fr-col-12 fr-col-md-3">
                        <SelectField posted=posted.clone() name="nature" label="Nature" options=options(&NATURES)
                            empty="Toutes" initial=value("nature")/>
                    </div>
                    <div class="fr-col-12 fr-col-md-4">
                        <TextField posted=posted.clone() name="q" label="Numéro RG ou commune" input_type="search"
                            initial=value("q")/>
                    </div>
                    <div class="fr-col-12 fr-col-md-2 emjpm-filtrer">
                        <button class="fr-btn" type="submit">"Filtrer"</button>
                    </div>
                </div>
                <details class="fr-mt-2w" open=ADVANCED.iter().any(|k| !value(k).is_empty())>
                    <summary>"Plus de filtres et tri"</summary>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let choix = choix.await.unwrap_or_default();
                            view! { <FiltresAvances espace choix/> }
                        })}
                    </Suspense>
                </details>
            </form>
            <Charge data=data vue=move |page| view! { <ListeResultats espace page/> }/>
        </div>
    }
}

/// The label of the order a list has when none is chosen (`TriMesures::default_for`).
fn tri_par_defaut(espace: Espace) -> &'static str {
    match espace {
        Espace::Tribunal => "Les plus récentes (par défaut)",
        Espace::Mandataire => "En attente d'abord (par défaut)",
    }
}

/// The filters kept behind "Plus de filtres" (open when one is set).
const ADVANCED: [&str; 8] = ["cabinet", "reservee_par", "gestionnaire", "du", "au", "antenne", "departement", "tri"];

#[component]
fn FiltresAvances(espace: Espace, choix: ChoixFiltres) -> impl IntoView {
    let query = use_query_map();
    let value = move |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let posted = Posted::default();
    let ids = |list: &[(i32, String)]| list.iter().map(|(id, nom)| (id.to_string(), nom.clone())).collect::<Vec<_>>();
    let tri = view! {
        <div class="fr-col-12 fr-col-md-4">
            <SelectField posted=posted.clone() name="tri" label="Trier par" options=options(&TRIS_MESURES)
                empty=tri_par_defaut(espace) initial=value("tri")/>
        </div>
    };
    match espace {
        Espace::Tribunal => view! {
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-4">
                    <TextField posted=posted.clone() name="cabinet" label="Cabinet" initial=value("cabinet")/>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <SelectField posted=posted.clone() name="reservee_par" label="Réservée par" options=ids(&choix.reservants)
                        empty="Tous" initial=value("reservee_par")/>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <SelectField posted=posted.clone() name="gestionnaire" label="Confiée à" options=ids(&choix.gestionnaires)
                        empty="Tous les mandataires" initial=value("gestionnaire")/>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <TextField posted=posted.clone() name="du" label="Réservée depuis le" input_type="date" initial=value("du")/>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <TextField posted=posted.clone() name="au" label="Réservée jusqu'au" input_type="date" initial=value("au")/>
                </div>
                {tri}
            </div>
        }
        .into_any(),
        Espace::Mandataire => view! {
            <div class="fr-grid-row fr-grid-row--gutters">
                {(!choix.antennes.is_empty()).then(|| view! {
                    <div class="fr-col-12 fr-col-md-4">
                        <SelectField posted=posted.clone() name="antenne" label="Antenne" options=ids(&choix.antennes)
                            empty="Toutes" initial=value("antenne")/>
                    </div>
                })}
                <div class="fr-col-12 fr-col-md-4">
                    <TextField posted=posted.clone() name="departement" label="Département de résidence"
                        hint="Par exemple 59, 2A, 974" initial=value("departement")/>
                </div>
                {tri}
            </div>
        }
        .into_any(),
    }
}

#[component]
fn ListeResultats(espace: Espace, page: PageMesures) -> impl IntoView {
    let query = use_query_map();
    let pages = page.total.div_ceil(u64::from(page.par_page)).max(1);
    let link = move |n: u64| {
        let mut pairs: Vec<(String, String)> = query
            .read_untracked()
            .clone()
            .into_iter()
            .filter(|(k, v)| k != "page" && !v.is_empty())
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        pairs.push(("page".into(), n.to_string()));
        format!("{}?{}", espace.base(), query_string(pairs))
    };
    let current = u64::from(page.page);
    view! {
        // The count heads the list: the cards' titles (h3) follow a h2.
        <h2 class="fr-h5 fr-mb-2w"><span role="status">{match page.total {
            0 => "Aucune mesure ne correspond.".to_string(),
            1 => "1 mesure".to_string(),
            n => format!("{} mesures", crate::rules::texte::format_count(n as i64)),
        }}</span></h2>
        <ul class="emjpm-mesures">
            {page.resultats.into_iter().map(|ligne| view! { <MesureCarte espace ligne/> }).collect_view()}
        </ul>
        {(pages > 1).then(|| view! {
            <nav role="navigation" class="fr-pagination" aria-label="Pagination">
                <ul class="fr-pagination__list">
                    {(current > 1).then(|| view! {
                        <li><a class="fr-pagination__link fr-pagination__link--prev" href=link(current - 1)>"Page précédente"</a></li>
                    })}
                    <li><a class="fr-pagination__link" aria-current="page">{format!("Page {current} sur {pages}")}</a></li>
                    {(current < pages).then(|| view! {
                        <li><a class="fr-pagination__link fr-pagination__link--next" href=link(current + 1)>"Page suivante"</a></li>
                    })}
                </ul>
            </nav>
        })}
    }
}
