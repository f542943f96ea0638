//! `/liste-blanche`: the directions (their territory) and the administrators
//! (everywhere) find, add and edit approved professionals. Plain forms, the
//! same with and without JavaScript.

use super::liste_blanche::{FormulaireEntree, PageListe, TYPES};
use crate::errors::AppError;
use crate::layout::form::{CheckboxGroup, ErrorSummary, Posted, SelectField, TextField};
use crate::layout::kit::Charge;
#[cfg(feature = "ssr")]
use crate::rules::roles::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

#[leptos::server(prefix = "/api/fn", endpoint = "liste_blanche")]
pub async fn load_liste_blanche(query: String) -> Result<PageListe, AppError> {
    let caller = crate::accounts::guard::caller_with_role(&Role::PILOTAGE).await?;
    let filtres = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))
        .inspect_err(AppError::set_response_status)?;
    let db = crate::state::app_state()?.db;
    super::liste_blanche::list(&db, &caller, &filtres).await.inspect_err(AppError::set_response_status)
}

#[leptos::server(prefix = "/api/fn", endpoint = "entree_liste_blanche")]
pub async fn load_entree(id: Option<i32>) -> Result<FormulaireEntree, AppError> {
    let caller = crate::accounts::guard::caller_with_role(&Role::PILOTAGE).await?;
    let db = crate::state::app_state()?.db;
    super::liste_blanche::form(&db, &caller, id).await.inspect_err(AppError::set_response_status)
}

fn type_options() -> Vec<(String, String)> {
    TYPES.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect()
}

#[component]
pub fn ListeBlanchePage() -> impl IntoView {
    let query = use_query_map();
    let search = move || use_location().search.get();
    let data = Resource::new(search, load_liste_blanche);
    let posted = Posted::from_query();
    let fait = query.read_untracked().get("fait").map(|f| match f.as_str() {
        "cree" => "L'entrée est ajoutée à la liste blanche : le mandataire peut être proposé aux juges dès son inscription.",
        _ => "L'entrée est enregistrée : les recherches des juges en tiennent compte dès maintenant.",
    });
    view! {
        <Title text="Liste blanche - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <h1>"Liste blanche"</h1>
            <p>"Les mandataires agréés de votre territoire. Un mandataire n'est proposé aux juges que s'il y figure."</p>
            {fait.map(|m| view! { <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>{m}</p></div> })}
            <p><a class="fr-btn fr-btn--secondary" href="/liste-blanche/nouvelle">"Ajouter un agrément"</a></p>
            <form method="get" action="/liste-blanche" class="fr-mb-3w">
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-7">
                        <TextField posted=posted.clone() name="q" label="Nom, SIRET ou adresse électronique" input_type="search"
                            initial=query.read_untracked().get("q").unwrap_or_default()/>
                    </div>
                    <div class="fr-col-12 fr-col-md-5">
                        <SelectField posted=posted.clone() name="type" label="Type" options=type_options() empty="Tous les types"
                            initial=query.read_untracked().get("type").unwrap_or_default()/>
                    </div>
                </div>
                <button class="fr-btn fr-mt-2w" type="submit">"Chercher"</button>
            </form>
            <Charge data=data vue=move |page| view! { <Lignes page/> }/>
        </div>
    }
}

#[component]
fn Lignes(page: PageListe) -> impl IntoView {
    let pages = crate::rules::pagination::nombre_de_pages(page.total);
    view! {
        <p role="status">{match page.total {
            0 => format!("Aucun agrément ne correspond ({}).", page.territoire),
            1 => format!("1 agrément ({})", page.territoire),
            n => format!("{} agréments ({}) — page {} sur {pages}", crate::rules::texte::format_count(n as i64), page.territoire, page.page),
        }}</p>
        <ul class="emjpm-mesures">
            {page.lignes.into_iter().map(|l| view! {
                <li class="emjpm-mesure">
                    <p class="fr-mb-1v"><a href=format!("/liste-blanche/{}", l.id)><strong>{l.nom.clone()}</strong></a>
                        " — "{l.type_label.clone()}
                        {l.inscrit.then(|| view! { " " <span class="fr-badge fr-badge--sm fr-badge--success">"inscrit sur e-MJPM"</span> })}
                    </p>
                    <p class="fr-text--sm fr-mb-1v">
                        {l.siret.clone().map(|s| format!("SIRET {s} — "))}
                        {l.email.clone().map(|e| format!("{e} — "))}
                        {format!("agréé : {}", if l.agrements.is_empty() { "nulle part".to_string() } else { l.agrements.clone() })}
                    </p>
                </li>
            }).collect_view()}
        </ul>
        {(pages > 1).then(|| {
            let query = use_query_map().read_untracked().clone();
            let link = move |n: u64| {
                let mut pairs: Vec<(String, String)> =
                    query.clone().into_iter().filter(|(k, _)| k != "page" && k != "fait").map(|(k, v)| (k.to_string(), v)).collect();
                pairs.push(("page".into(), n.to_string()));
                format!("/liste-blanche?{}", pairs.iter().map(|(k, v)| format!("{k}={}", crate::layout::kit::urlencode(v))).collect::<Vec<_>>().join("&"))
            };
            view! {
                <nav role="navigation" class="fr-pagination" aria-label="Pagination">
                    <ul class="fr-pagination__list">
                        {(page.page > 1).then(|| view! { <li><a class="fr-pagination__link" href=link(page.page - 1)>"Page précédente"</a></li> })}
                        {(page.page < pages).then(|| view! { <li><a class="fr-pagination__link" href=link(page.page + 1)>"Page suivante"</a></li> })}
                    </ul>
                </nav>
            }
        })}
    }
}

const CHAMPS: &[(&str, &str)] = &[
    ("nom", "Nom"),
    ("prenom", "Prénom"),
    ("siret", "SIRET"),
    ("email", "Adresse électronique"),
    ("departements", "Départements d'agrément"),
    ("financeur", "Département financeur"),
    ("etablissements", "Établissements"),
];

pub const RENVOYES: [(&str, &str); 8] = [
    ("type", ""),
    ("nom", ""),
    ("prenom", ""),
    ("siret", ""),
    ("email", ""),
    ("departements", ""),
    ("financeur", ""),
    ("etablissements", ""),
];

/// `/liste-blanche/nouvelle` and `/liste-blanche/{id}`.
#[component]
pub fn EntreePage() -> impl IntoView {
    let params = use_params_map();
    let id: Option<i32> = params.read_untracked().get("id").and_then(|id| id.parse().ok());
    let data = Resource::new(move || id, load_entree);
    let titre = if id.is_some() { "Modifier un agrément" } else { "Ajouter un agrément" };
    view! {
        <Title text=format!("{titre} - e-MJPM")/>
        <div class="fr-container fr-py-4w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><a class="fr-breadcrumb__link" href="/liste-blanche">"Liste blanche"</a></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">{titre}</a></li>
                </ol>
            </nav>
            <h1>{titre}</h1>
            <Charge data=data vue=move |formulaire| view! { <FormulaireAgrement formulaire/> }/>
        </div>
    }
}

#[component]
fn FormulaireAgrement(formulaire: FormulaireEntree) -> impl IntoView {
    let posted = Posted::from_query();
    let submitted = posted.has("nom");
    let entree = formulaire.entree.clone();
    let action = entree.as_ref().map(|e| format!("/liste-blanche/{}", e.id)).unwrap_or_else(|| "/liste-blanche".into());
    // The type is chosen once, then shown (a GET form switches it on a new entry).
    let kind = entree
        .as_ref()
        .map(|e| e.kind.clone())
        .unwrap_or_else(|| posted.value_or("type", use_query_map().read_untracked().get("type").unwrap_or_default()));
    let kind = if TYPES.iter().any(|(k, _)| *k == kind) { kind } else { String::new() };
    if kind.is_empty() {
        return view! {
            <form method="get" action="/liste-blanche/nouvelle" class="emjpm-formulaire">
                <SelectField posted=posted name="type" label="Type de mandataire" options=type_options() required=true/>
                <button class="fr-btn fr-mt-2w" type="submit">"Continuer"</button>
            </form>
        }
        .into_any();
    }
    let person = kind != "service";
    let e = entree.clone();
    let initial = move |f: fn(&super::liste_blanche::Entree) -> String| e.as_ref().map(f).unwrap_or_default();
    let type_label = TYPES.iter().find(|(k, _)| *k == kind).map(|(_, l)| *l).unwrap_or("");
    let departements_initiaux = entree.as_ref().map(|e| e.departements.clone()).unwrap_or_default();
    let etablissements_initiaux = entree.as_ref().map(|e| e.etablissements.clone()).unwrap_or_default();
    let ailleurs = entree.as_ref().map(|e| e.ailleurs.clone()).unwrap_or_default();
    let financeur = entree.as_ref().and_then(|e| e.financeur.clone()).unwrap_or_default();
    view! {
        <p>{format!("Type : {type_label}")}</p>
        {(!ailleurs.is_empty()).then(|| view! {
            <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
                <p>{format!("Également agréé hors de votre territoire : {}. Ces agréments restent inchangés.", ailleurs.join(", "))}</p>
            </div>
        })}
        <ErrorSummary posted=posted.clone() title="L'agrément n'est pas enregistré" fields=CHAMPS/>
        <form method="post" action=action class="emjpm-formulaire" novalidate=true>
            <input type="hidden" name="type" value=kind.clone()/>
            <TextField posted=posted.clone() name="nom" label=if person { "Nom" } else { "Nom du service" } required=true
                initial=initial(|e| e.nom.clone())/>
            {person.then(|| view! {
                <TextField posted=posted.clone() name="prenom" label="Prénom" required=true initial=initial(|e| e.prenom.clone())/>
            })}
            {(kind != "prepose").then(|| view! {
                <TextField posted=posted.clone() name="siret" label=if kind == "individuel" { "SIRET" } else { "SIRET (facultatif)" }
                    inputmode="numeric" required={kind == "individuel"} hint="14 chiffres" initial=initial(|e| e.siret.clone())/>
            })}
            <TextField posted=posted.clone() name="email" label="Adresse électronique (facultatif)" input_type="email"
                hint="Sert à proposer cet agrément quand le mandataire s'inscrit" initial=initial(|e| e.email.clone())/>
            {if kind == "prepose" {
                view! {
                    <CheckboxGroup posted=posted.clone() name="etablissements" legend="Établissements où il est préposé"
                        options=formulaire.etablissements.clone() initial=etablissements_initiaux submitted/>
                }.into_any()
            } else {
                view! {
                    <CheckboxGroup posted=posted.clone() name="departements" legend="Départements d'agrément"
                        options=formulaire.departements.clone() initial=departements_initiaux submitted/>
                    {(kind == "individuel").then(|| view! {
                        <SelectField posted=posted.clone() name="financeur" label="Département financeur"
                            options=formulaire.departements.clone() initial=financeur
                            empty="Inchangé, ou le seul département coché"/>
                    })}
                }.into_any()
            }}
            <button class="fr-btn fr-mt-2w" type="submit">"Enregistrer"</button>
        </form>
    }
    .into_any()
}
