//! "Trouver un mandataire": the judge's search page. A GET form whose fields are
//! the URL's query (bookmarkable, works without JavaScript); once hydrated, every
//! change re-runs the search without reloading the page.

use super::communes::CommuneSuggestion;
use super::criteria::Filtres;
use super::{PageResultats, Resultat};
use crate::errors::AppError;
use crate::layout::kit::urlencode;
use crate::rules::capacity::{Disponibilite, JOURS_AVANT_OBSOLESCENCE};
use crate::rules::texte::format_count;
use crate::rules::vocabulary::{self, COMPETENCES, NATURES, TYPES_GESTIONNAIRE};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use serde::{Deserialize, Serialize};

/// What the page shows for a query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recherche {
    /// The commune the distances are measured from.
    pub commune: Option<CommuneSuggestion>,
    /// The other communes of the chosen one's name, nearest first.
    pub autres_communes: Vec<CommuneSuggestion>,
    /// Several communes match the typed place: the judge chooses one (no
    /// results are shown until then).
    pub communes_a_choisir: Vec<CommuneSuggestion>,
    pub resultats: PageResultats,
    pub departement_tribunal: String,
    /// Background tiles of the map (`EMJPM_MAP_TILES_URL`), none by default.
    pub fond_de_carte: Option<String>,
    /// Where the site's static files are served (`/static/<hash>`), for the map.
    pub ressources: String,
}

/// The page's query string: the API's filters plus the typed place (`lieu`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(flatten)]
    pub filtres: Filtres,
    #[serde(default)]
    pub lieu: Option<String>,
}

/// Runs the search of a page URL's query string (read with the same rules as the
/// API's query string).
#[leptos::server(prefix = "/api/fn", endpoint = "rechercher")]
pub async fn rechercher(query: String) -> Result<Recherche, AppError> {
    use super::communes::{resolve, suggest, Lieu, Proximite};
    use crate::accounts::guard::{caller_with_role, Scope};
    use crate::rules::roles::Role;

    let PageQuery { filtres, lieu } = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))?;

    let caller = caller_with_role(&Role::TRIBUNAL).await?;
    let Scope::Tribunal { departement_code, .. } = &caller.scope else {
        return Err(AppError::Interdit);
    };
    let state = crate::state::app_state()?;
    let db = state.db;
    let mut filtres = filtres;
    let mut autres_communes = Vec::new();
    let near = Proximite::of(&db, &caller).await?;
    let typed = lieu.as_deref().map(str::trim).filter(|l| !l.is_empty());
    if filtres.commune.as_deref().map(str::trim).unwrap_or("").is_empty() {
        if let Some(typed) = typed {
            match resolve(&db, typed, &near).await? {
                Lieu::Trouve { commune, homonymes } => {
                    autres_communes = homonymes;
                    autres_communes.truncate(5);
                    filtres.commune = Some(commune.code);
                }
                Lieu::AChoisir(choix) => {
                    // Nothing is guessed: the judge picks the commune first.
                    let criteres = filtres.validate()?;
                    return Ok(Recherche {
                        commune: None,
                        autres_communes,
                        communes_a_choisir: choix,
                        resultats: PageResultats { total: 0, page: 1, par_page: criteres.par_page, resultats: Vec::new() },
                        departement_tribunal: departement_code.clone(),
                        fond_de_carte: state.map_tiles_url.clone(),
                        ressources: crate::assets::static_base(&state.leptos_options),
                    });
                }
                Lieu::Aucun => {
                    return Err(AppError::Invalide(crate::search::communes::aucune_commune(typed)));
                }
            }
        }
    }
    let criteres = filtres.validate()?;
    let commune = match &criteres.commune {
        Some(code) => suggest(&db, code, &near).await?.into_iter().find(|c| &c.code == code),
        None => None,
    };
    let resultats = super::engine::search(&db, &state.search_index, &caller, &criteres).await?;
    Ok(Recherche {
        commune,
        autres_communes,
        communes_a_choisir: Vec::new(),
        resultats,
        departement_tribunal: departement_code.clone(),
        fond_de_carte: state.map_tiles_url.clone(),
        ressources: crate::assets::static_base(&state.leptos_options),
    })
}

/// What a search hands on to a professional's page and its reservation form:
/// the place searched from (`lieu`) and the nature searched (`nature_recherchee`),
/// as a query string (empty when neither is there).
pub fn search_context(query: &ParamsMap) -> String {
    let pairs: Vec<String> = [("lieu", query.get("lieu")), ("nature_recherchee", query.get("nature_recherchee").or(query.get("nature")))]
        .into_iter()
        .filter_map(|(k, v)| v.filter(|v| !v.trim().is_empty()).map(|v| format!("{k}={}", urlencode(&v))))
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// The URL of the page for some parameters (page links keep the other filters).
fn url_with(query: &ParamsMap, changes: &[(&str, String)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .clone()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .filter(|(k, v)| !v.is_empty() && !changes.iter().any(|(c, _)| c == k))
        .collect();
    for (k, v) in changes {
        if !v.is_empty() {
            pairs.push((k.to_string(), v.clone()));
        }
    }
    let encoded: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect();
    format!("/tribunal/recherche?{}", encoded.join("&"))
}

/// The search's criteria besides the place (the sort is not one).
const FILTRES: [&str; 7] = ["q", "nature", "type", "competence", "rayon_km", "perimetre", "disponible"];

/// How many criteria besides the place narrow the search.
fn filtres_actifs(query: &ParamsMap) -> usize {
    FILTRES.iter().filter(|key| query.get(key).is_some_and(|v| !v.trim().is_empty())).count()
}

/// The disclosure's title: "Filtres", with how many are in use.
fn filtres_resume(query: &ParamsMap) -> String {
    match filtres_actifs(query) {
        0 => "Filtres".to_string(),
        n => format!("Filtres ({})", crate::rules::texte::compte(n as i64, "actif", "actifs")),
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let search = leptos_router::hooks::use_location().search;
    let data = Resource::new(move || (search.get(), crate::realtime::changements()), |(search, _)| rechercher(search));
    // The map needs JavaScript. On a wide screen it is drawn at once; on a phone
    // the list comes first and the map (Leaflet and the boundaries, ~80 KB) is
    // loaded only when asked for.
    let hydrated = RwSignal::new(false);
    let map_wanted = RwSignal::new(false);
    let filtres_ouverts = RwSignal::new(filtres_actifs(&query.read_untracked()) > 0);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if !hydrated.get_untracked() {
            let wide = window().inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(0.0) >= 992.0;
            map_wanted.set(wide);
            if wide {
                filtres_ouverts.set(true);
            }
            hydrated.set(true);
        }
        let wanted = map_wanted.get();
        if let Some(Ok(recherche)) = data.get() {
            if wanted {
                super::map::show("carte", &recherche);
            }
        }
    });
    let value = move |key: &'static str| move || query.read().get(key).unwrap_or_default();
    let selected = move |key: &'static str, option: &'static str| move || query.read().get(key).as_deref() == Some(option);
    // Autocomplete of the place: suggestions as the judge types (hydrated only).
    let suggestions = RwSignal::new(Vec::<String>::new());
    let suggest_action = Action::new(move |typed: &String| {
        let typed = typed.clone();
        async move {
            if let Ok(found) = super::communes::suggerer_communes(typed).await {
                suggestions.set(found.iter().map(super::communes::label).collect());
            }
        }
    });
    let suggest_communes = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        if typed.trim().chars().count() >= 2 {
            suggest_action.dispatch(typed);
        }
    };
    // Hydrated: a change of any filter runs the search at once (the router turns
    // the GET submission into a client-side navigation).
    let submit_on_change = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        if let Some(form) = ev.current_target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok()) {
            let _ = form.request_submit();
        }
    };
    view! {
        <Title text="Trouver un mandataire - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <h1>"Trouver un mandataire"</h1>
            <Form method="GET" action="/tribunal/recherche" on:change=submit_on_change attr:class="emjpm-recherche" attr:role="search">
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-8">
                        <div class="fr-input-group">
                            <label class="fr-label" for="lieu">"Commune ou code postal de la personne protégée"
                                <span class="fr-hint-text">"Exemples : Lille, 59000, St-Amand"</span></label>
                            <input class="fr-input" id="lieu" name="lieu" type="search" autocomplete="off"
                                list="communes-suggerees" on:input=suggest_communes
                                value=move || query.read().get("lieu").unwrap_or_default()/>
                            <datalist id="communes-suggerees">
                                {move || suggestions.get().into_iter().map(|c| view! { <option value=c/> }).collect_view()}
                            </datalist>
                        </div>
                    </div>
                    <div class="fr-col-12 fr-col-md-4">
                        <button class="fr-btn fr-mt-md-5w" type="submit">"Rechercher"</button>
                    </div>
                </div>
                // The other criteria fold on a phone so that the results come
                // right after the place; open when one is in use, and on a wide
                // screen once hydrated.
                <details class="emjpm-filtres fr-mb-2w" open=move || filtres_ouverts.get()>
                    <summary>{move || filtres_resume(&query.read())}</summary>
                    <div class="fr-grid-row fr-grid-row--gutters">
                        <div class="fr-col-12 fr-col-md-9">
                            <div class="fr-input-group">
                                <label class="fr-label" for="q">"Nom, ville ou SIRET du mandataire"</label>
                                <input class="fr-input" id="q" name="q" type="search" value=value("q")/>
                            </div>
                        </div>
                        <div class="fr-col-12 fr-col-sm-6 fr-col-md-3">
                            <div class="fr-select-group">
                                <label class="fr-label" for="nature">"Nature de la mesure"</label>
                                <select class="fr-select" id="nature" name="nature">
                                    <option value="" selected=selected("nature", "")>"Toutes"</option>
                                    {NATURES.iter().map(|(code, label)| view! {
                                        <option value=*code selected=selected("nature", code)>{*label}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <div class="fr-col-12 fr-col-sm-6 fr-col-md-3">
                            <div class="fr-select-group">
                                <label class="fr-label" for="type">"Type de mandataire"</label>
                                <select class="fr-select" id="type" name="type">
                                    <option value="" selected=selected("type", "")>"Tous"</option>
                                    {TYPES_GESTIONNAIRE.iter().map(|(code, label)| view! {
                                        <option value=*code selected=selected("type", code)>{*label}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <div class="fr-col-12 fr-col-sm-6 fr-col-md-3">
                            <div class="fr-select-group">
                                <label class="fr-label" for="competence">"Langue ou compétence"</label>
                                <select class="fr-select" id="competence" name="competence">
                                    <option value="" selected=selected("competence", "")>"Indifférent"</option>
                                    {COMPETENCES.iter().map(|c| view! {
                                        <option value=*c selected=selected("competence", c)>{*c}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <div class="fr-col-12 fr-col-sm-6 fr-col-md-3">
                            <div class="fr-select-group">
                                <label class="fr-label" for="rayon_km">"Distance maximale"
                                    <span class="fr-hint-text">"depuis la commune"</span></label>
                                <select class="fr-select" id="rayon_km" name="rayon_km">
                                    <option value="" selected=selected("rayon_km", "")>"Sans limite"</option>
                                    {["10", "20", "30", "50", "100"].into_iter().map(|km| view! {
                                        <option value=km selected=selected("rayon_km", km)>{format!("{km} km")}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <div class="fr-col-12 fr-col-sm-6 fr-col-md-3">
                            <div class="fr-select-group">
                                <label class="fr-label" for="perimetre">"Périmètre"</label>
                                <select class="fr-select" id="perimetre" name="perimetre">
                                    <option value="" selected=selected("perimetre", "")>"Mon tribunal"</option>
                                    <option value="national" selected=selected("perimetre", "national")>"France entière"</option>
                                    {move || {
                                        let current = query.read().get("perimetre").unwrap_or_default();
                                        current.starts_with("departement:").then(|| {
                                            let code = current.trim_start_matches("departement:").to_string();
                                            view! { <option value=current.clone() selected=true>{format!("Département {code}")}</option> }
                                        })
                                    }}
                                </select>
                            </div>
                        </div>
                        <div class="fr-col-12 fr-col-sm-6 fr-col-md-3">
                            <div class="fr-select-group">
                                <label class="fr-label" for="tri">"Trier par"</label>
                                <select class="fr-select" id="tri" name="tri">
                                    <option value="" selected=selected("tri", "")>"Par défaut"</option>
                                    <option value="distance" selected=selected("tri", "distance")>"Distance"</option>
                                    <option value="disponibilite" selected=selected("tri", "disponibilite")>"Places disponibles"</option>
                                    <option value="nom" selected=selected("tri", "nom")>"Nom"</option>
                                    <option value="equitable" selected=selected("tri", "equitable")>
                                        "Répartition équitable (les moins sollicités par votre tribunal d'abord)"</option>
                                </select>
                            </div>
                        </div>
                        <div class="fr-col-12 fr-col-md-3">
                            <div class="fr-checkbox-group fr-mt-md-5w">
                                <input type="checkbox" id="disponible" name="disponible" value="true"
                                    checked=selected("disponible", "true")/>
                                <label class="fr-label" for="disponible">"Seulement avec des places disponibles"</label>
                            </div>
                        </div>
                    </div>
                </details>
            </Form>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-lg-7">
                    <Suspense fallback=|| view! { <p>"Recherche…"</p> }>
                        {move || Suspend::new(async move {
                            match data.await {
                                Ok(recherche) => view! { <Results recherche query=query.get()/> }.into_any(),
                                Err(error) => view! {
                                    <div class="fr-alert fr-alert--error fr-mt-3w" role="alert"><p>{error.to_string()}</p></div>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                </div>
                <div class="fr-col-12 fr-col-lg-5">
                    {move || (hydrated.get() && !map_wanted.get()).then(|| view! {
                        <button type="button" class="fr-btn fr-btn--secondary fr-mt-2w" aria-controls="carte"
                            on:click=move |_| map_wanted.set(true)>"Afficher la carte"</button>
                    })}
                    <div id="carte" class="emjpm-carte" hidden=true role="region"
                        aria-label="Carte des mandataires de cette page de résultats (la liste présente les mêmes informations)"></div>
                </div>
            </div>
        </div>
    }
}

#[component]
fn Results(recherche: Recherche, query: ParamsMap) -> AnyView {
    let page = recherche.resultats.clone();
    let total = page.total;
    let pages = total.div_ceil(page.par_page as usize).max(1);
    let announce = match total {
        0 => "Aucun mandataire ne correspond à ces critères.".to_string(),
        1 => "1 mandataire trouvé".to_string(),
        n => format!("{} mandataires trouvés", format_count(n as i64)),
    };
    let origin =
        recherche.commune.clone().map(|c| format!("Distances depuis {} ({})", c.nom, c.codes_postaux.first().cloned().unwrap_or_default()));
    let alternatives = recherche.autres_communes.clone();
    let local = recherche.departement_tribunal.clone();
    // The professional's page (and its reservation form) starts from this
    // search: the commune it measured from, the nature filtered on.
    let mut context = query.clone();
    if let Some(c) = &recherche.commune {
        context.replace("lieu", super::communes::label(c));
    }
    let suite = search_context(&context);
    let choose = |c: &CommuneSuggestion| {
        url_with(&query, &[("commune", c.code.clone()), ("lieu", super::communes::label(c)), ("page", String::new())])
    };
    if !recherche.communes_a_choisir.is_empty() {
        let typed = query.get("lieu").unwrap_or_default();
        return view! {
            <div class="fr-mt-3w">
                <div id="nombre-resultats" role="status" aria-live="polite">
                    <h2 class="fr-h5">{format!("Plusieurs communes correspondent à « {typed} » : laquelle ?")}</h2>
                </div>
                <ul class="emjpm-choix-communes">
                    {recherche.communes_a_choisir.iter().map(|c| view! {
                        <li><a class="fr-link" href=choose(c)>{super::communes::label(c)}
                            <span class="fr-hint-text">{format!("département {}", c.departement)}</span></a></li>
                    }).collect_view()}
                </ul>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="fr-mt-3w">
            <p class="fr-h5" role="status" aria-live="polite" id="nombre-resultats">{announce}</p>
            {origin.map(|o| view! { <p class="fr-text--sm">{o}</p> })}
            {(!alternatives.is_empty()).then(|| view! {
                <p class="fr-text--sm">"Autres communes possibles : "
                    {alternatives.iter().map(|c| {
                        view! { <a class="fr-link fr-mr-2w" href=choose(c)>{format!("{} ({})", c.nom, c.departement)}</a> }
                    }).collect_view()}
                </p>
            })}
            <ul class="emjpm-resultats">
                {page.resultats.into_iter().map(|r| view! { <Card r departement_tribunal=local.clone() suite=suite.clone()/> }).collect_view()}
            </ul>
            {(pages > 1).then(|| view! { <Pagination query=query.clone() current=page.page as usize pages/> })}
        </div>
    }
    .into_any()
}

#[component]
fn Card(r: Resultat, departement_tribunal: String, suite: String) -> impl IntoView {
    let local = r.dans_departement;
    let shown = r.disponibles_ici();
    let etat = Disponibilite::of(shown, r.suspendu);
    let kind = vocabulary::label(&TYPES_GESTIONNAIRE, &r.kind).unwrap_or("Mandataire");
    let days = r.jours_depuis_mise_a_jour;
    let stale = days > JOURS_AVANT_OBSOLESCENCE;
    let href = format!("/tribunal/mandataires/{}{suite}", r.id);
    // A service's distance may be its antenne's: name it, and its own places,
    // before the service's total.
    let antenne = r.antenne_proche.clone();
    let total = if antenne.is_some() { " (tout le service)" } else { "" };
    let km = |d: f64| format!(" — {} km", crate::rules::geo::format_km(d));
    let pourquoi = r.raisons.iter().map(super::raisons::Raison::en_clair).collect::<Vec<_>>().join(" ; ");
    view! {
        <li class="emjpm-carte-resultat" data-id=r.id>
            <div class="emjpm-carte-resultat__entete">
                <p class="fr-badge fr-badge--sm fr-badge--no-icon fr-mb-1w">{kind}</p>
                <h2 class="fr-h6 fr-mb-1v"><a href=href>{r.nom.clone()}</a></h2>
                <p class="fr-text--sm fr-mb-1v">
                    {format!("{} ({})", r.commune, r.code_postal)}
                    {r.distance_km.filter(|_| antenne.is_none()).map(km)}
                </p>
                {antenne.clone().map(|a| view! {
                    <p class="fr-text--sm fr-mb-1v emjpm-antenne-proche">"Antenne la plus proche : " <strong>{a.nom}</strong>
                        {format!(", {} ({}){}", a.commune, a.code_postal, km(a.distance_km))}</p>
                })}
            </div>
            <p class="fr-mb-1v">
                <span class=format!("{} emjpm-etat", etat.badge_class())>{etat.label()}</span>
                {r.prefere.then(|| view! { <span class="fr-badge fr-badge--sm fr-badge--blue-ecume fr-ml-1w">"Préfère votre tribunal"</span> })}
            </p>
            <dl class="emjpm-chiffres-resultat">
                {antenne.map(|a| view! {
                    <div><dt>"Disponibles à cette antenne"</dt>
                        <dd>{crate::rules::capacity::disponibles_en_clair(a.capacite.disponibles, r.suspendu)}</dd></div>
                })}
                <div><dt>{format!("En cours / souhaitées{total}")}</dt><dd>{crate::rules::capacity::capacite_en_clair(r.en_cours, r.mesures_max, r.suspendu)}</dd></div>
                <div><dt>"En attente"</dt><dd>{r.en_attente}</dd></div>
                <div><dt>{format!("Disponibles{total}")}</dt><dd>{crate::rules::capacity::disponibles_en_clair(r.disponibles, r.suspendu)}</dd></div>
                {local.map(|c| view! {
                    <div><dt>{format!("Disponibles dans le {departement_tribunal}")}</dt><dd>{crate::rules::capacity::disponibles_en_clair(c.disponibles, r.suspendu)}</dd></div>
                })}
            </dl>
            {(!pourquoi.is_empty()).then(|| view! {
                <p class="fr-text--xs fr-mb-1v emjpm-raisons"><strong>"Pourquoi ce mandataire : "</strong>{pourquoi}</p>
            })}
            <p class=if stale { "fr-badge fr-badge--sm fr-badge--warning" } else { "fr-text--xs fr-mb-0" }>
                {format!("Mis à jour {}{}", crate::rules::texte::depuis(days), if stale { " : donnée ancienne" } else { "" })}
            </p>
        </li>
    }
}

#[component]
fn Pagination(query: ParamsMap, current: usize, pages: usize) -> impl IntoView {
    let link = move |page: usize| url_with(&query, &[("page", page.to_string())]);
    let first = link(1);
    let previous = link(current.saturating_sub(1).max(1));
    let next = link((current + 1).min(pages));
    let numbers: Vec<(usize, String)> = (current.saturating_sub(2).max(1)..=(current + 2).min(pages)).map(|p| (p, link(p))).collect();
    view! {
        <nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="Pagination">
            <ul class="fr-pagination__list">
                <li><a class="fr-pagination__link fr-pagination__link--first" href=first>"Première page"</a></li>
                <li><a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href=previous>"Page précédente"</a></li>
                {numbers.into_iter().map(|(p, href)| view! {
                    <li><a class="fr-pagination__link" href=href aria-current=(p == current).then_some("page") title=format!("Page {p}")>{p}</a></li>
                }).collect_view()}
                <li><a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href=next>"Page suivante"</a></li>
            </ul>
        </nav>
    }
}
