//! The measures' pages, for the tribunal (`/tribunal/mesures…`) and for the
//! professional (`/mandataire/mesures…`): a filtered list, and one measure with
//! its états, its journal and the actions its status allows. The same
//! components serve both sides; the server functions scope by the session.
//! Actions are plain forms (see `layout::form` and `measures::forms`).

use super::listing::{ChoixFiltres, DetailMesure, LigneMesure, PageMesures, TRIS_MESURES};
use crate::errors::AppError;
use crate::layout::form::{options, ErrorSummary, Posted, SelectField, TextField};
use crate::layout::kit::ErrorAlert;
use crate::rules::vocabulary::{self, CAUSES_SORTIE, CHAMPS, LIEUX_DE_VIE, NATURES, STATUTS, TYPES_ETABLISSEMENT};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// Which side a page is on: its base path and words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Espace {
    Tribunal,
    Mandataire,
}

impl Espace {
    pub fn base(self) -> &'static str {
        match self {
            Espace::Tribunal => "/tribunal/mesures",
            Espace::Mandataire => "/mandataire/mesures",
        }
    }

    fn home(self) -> (&'static str, &'static str) {
        match self {
            Espace::Tribunal => ("/tribunal", "Accueil du tribunal"),
            Espace::Mandataire => ("/mandataire", "Mon activité"),
        }
    }

    fn title(self) -> &'static str {
        match self {
            Espace::Tribunal => "Mesures du tribunal",
            Espace::Mandataire => "Mes mesures",
        }
    }
}

/// A page of measures for the list page and the professional's home.
#[leptos::server(prefix = "/api/fn", endpoint = "load_mesures")]
pub async fn load_mesures(query: String) -> Result<PageMesures, AppError> {
    use super::listing::{list, FiltresMesures};
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
    super::listing::choices(&db, &caller).await.inspect_err(AppError::set_response_status)
}

/// One measure, and what its forms need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageMesure {
    pub detail: DetailMesure,
    /// The professional's antennes (id, name), for a service's acceptance.
    pub antennes: Vec<(i32, String)>,
    /// The caller may act as the professional (accept, close…).
    pub professionnel: bool,
    /// The caller may act as the tribunal (cancel).
    pub tribunal: bool,
    /// Today, `AAAA-MM-JJ` (default dates of the forms).
    pub aujourdhui: String,
    /// For the professional: how far the person's commune is from its office
    /// (the measure's antenne, else the professional's address), in km.
    pub distance_km: Option<f64>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "load_mesure")]
pub async fn load_mesure(id: i64) -> Result<PageMesure, AppError> {
    use crate::db::entities::antennes;
    use crate::rules::roles::Role;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    let detail = super::listing::detail(&db, &caller, id).await.inspect_err(AppError::set_response_status)?;
    let professionnel = matches!(caller.role, Role::Individuel | Role::Prepose | Role::Service);
    let antennes = if professionnel {
        antennes::Entity::find()
            .select_only()
            .columns([antennes::Column::Id, antennes::Column::Nom])
            .filter(antennes::Column::GestionnaireId.eq(detail.ligne.mesure.gestionnaire_id))
            .order_by_asc(antennes::Column::Nom)
            .into_tuple()
            .all(&db)
            .await?
    } else {
        Vec::new()
    };
    let distance_km = if professionnel { distance_from_office(&db, &detail.ligne.mesure).await? } else { None };
    Ok(PageMesure {
        detail,
        antennes,
        professionnel,
        distance_km,
        tribunal: matches!(caller.role, Role::Magistrat | Role::Greffier),
        aujourdhui: chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string(),
    })
}

/// How far the person's commune is from the office that follows the measure:
/// its antenne's point, else its professional's.
#[cfg(feature = "ssr")]
async fn distance_from_office(db: &sea_orm::DatabaseConnection, m: &super::Mesure) -> Result<Option<f64>, AppError> {
    use crate::db::entities::{antennes, communes, gestionnaires};
    use sea_orm::EntityTrait;
    let Some(code) = &m.commune else { return Ok(None) };
    let Some(commune) = communes::Entity::find_by_id(code.clone()).one(db).await? else { return Ok(None) };
    let antenne = match m.antenne_id {
        Some(id) => antennes::Entity::find_by_id(id).one(db).await?.map(|a| (a.latitude, a.longitude)),
        None => None,
    };
    let office = match antenne {
        Some(point) => Some(point),
        None => gestionnaires::Entity::find_by_id(m.gestionnaire_id).one(db).await?.map(|g| (g.latitude, g.longitude)),
    };
    Ok(office.map(|(lat, lon)| crate::rules::geo::distance_km(lat, lon, commune.latitude, commune.longitude)))
}

fn label(list: &[vocabulary::Term], code: &str) -> String {
    vocabulary::label(list, code).unwrap_or(code).to_string()
}

/// `2026-11-02` → `02/11/2026`; RFC 3339 → its day.
pub fn french_date(iso: &str) -> String {
    let day = iso.get(..10).unwrap_or(iso);
    match (day.get(..4), day.get(5..7), day.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// The status, or "Refusée" for a reservation the professional declined.
fn status_badge(statut: &str, refusee: bool) -> impl IntoView {
    if refusee {
        return view! { <span class="fr-badge fr-badge--warning">"Refusée"</span> }.into_any();
    }
    let class = match statut {
        "en_attente" => "fr-badge fr-badge--new",
        "en_cours" => "fr-badge fr-badge--success",
        _ => "fr-badge",
    };
    view! { <span class=class>{label(&STATUTS, statut)}</span> }.into_any()
}

fn breadcrumb(espace: Espace, current: Option<String>) -> impl IntoView {
    let (home, home_label) = espace.home();
    view! {
        <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
            <ol class="fr-breadcrumb__list">
                <li><a class="fr-breadcrumb__link" href=home>{home_label}</a></li>
                {match current {
                    None => view! { <li><a class="fr-breadcrumb__link" aria-current="page">{espace.title()}</a></li> }.into_any(),
                    Some(current) => view! {
                        <li><a class="fr-breadcrumb__link" href=espace.base()>{espace.title()}</a></li>
                        <li><a class="fr-breadcrumb__link" aria-current="page">{current}</a></li>
                    }.into_any(),
                }}
            </ol>
        </nav>
    }
}

/// One measure as a card in a list (the home's pending list and the list page).
#[component]
pub fn MesureCarte(espace: Espace, ligne: LigneMesure) -> impl IntoView {
    let m = &ligne.mesure;
    let href = format!("{}/{}", espace.base(), m.id);
    let qui = match espace {
        Espace::Tribunal => ligne.gestionnaire.clone(),
        Espace::Mandataire => ligne.tribunal.clone(),
    };
    let personne = format!(
        "{}{}",
        m.civilite.as_deref().map(|c| label(&vocabulary::CIVILITES, c)).unwrap_or_default(),
        m.annee_naissance.map(|a| format!(", {} en {a}", vocabulary::ne_ou_nee(m.civilite.as_deref()))).unwrap_or_default()
    );
    view! {
        <li class="emjpm-mesure">
            <p class="fr-mb-1v">
                {status_badge(&m.statut, m.refus.is_some())} " "
                {m.urgent.then(|| view! { <span class="fr-badge fr-badge--error">"Urgente"</span> })}
            </p>
            <h3 class="fr-h6 fr-mb-1v"><a href=href>{format!("RG {}", crate::rules::rg::display_rg(&m.numero_rg))}</a></h3>
            <p class="fr-text--sm fr-mb-0">{label(&NATURES, &m.nature)} " — " {personne}</p>
            <p class="fr-text--sm fr-mb-0">{qui}
                {ligne.antenne.clone().map(|a| format!(" — {a}"))}
                {ligne.ville.clone().map(|v| format!(" — {v}"))}
            </p>
            <p class="fr-text--xs fr-mb-0">{m.date_reservation.as_deref().map(|d| format!("Réservée le {}", french_date(d)))}
                {m.date_nomination.as_deref().map(|d| format!(" · nommé le {}", french_date(d)))}
                {m.date_fin.as_deref().map(|d| format!(" · fin le {}", french_date(d)))}
            </p>
            {m.refus.as_ref().map(|r| view! { <p class="fr-text--sm fr-mb-0">{format!("Refusée : {}", r.en_clair())}</p> })}
        </li>
    }
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
    let query_string = move || {
        let pairs: Vec<String> = query
            .read()
            .clone()
            .into_iter()
            .map(|(k, v)| format!("{}={}", crate::layout::kit::urlencode(&k), crate::layout::kit::urlencode(&v)))
            .collect();
        pairs.join("&")
    };
    let data = Resource::new(move || (query_string(), crate::realtime::changements()), |(query, _)| load_mesures(query));
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
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <ListeResultats espace page/> }.into_any(),
                        Err(error) => view! { <ErrorAlert error/> }.into_any(),
                    }
                })}
            </Suspense>
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
        let mut pairs: Vec<String> = query
            .read_untracked()
            .clone()
            .into_iter()
            .filter(|(k, v)| k != "page" && !v.is_empty())
            .map(|(k, v)| format!("{}={}", crate::layout::kit::urlencode(&k), crate::layout::kit::urlencode(&v)))
            .collect();
        pairs.push(format!("page={n}"));
        format!("{}?{}", espace.base(), pairs.join("&"))
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

#[component]
pub fn TribunalMesurePage() -> impl IntoView {
    view! { <MesurePage espace=Espace::Tribunal/> }
}

#[component]
pub fn MandataireMesurePage() -> impl IntoView {
    view! { <MesurePage espace=Espace::Mandataire/> }
}

/// Confirmations after a successful action, by fixed code (no text travels in
/// the URL).
fn confirmation(code: &str) -> Option<&'static str> {
    Some(match code {
        "acceptee" => "Mesure acceptée : elle compte désormais dans vos mesures en cours.",
        "etat" => "Le nouvel état est enregistré.",
        "cloturee" => "Mesure clôturée.",
        "reactivee" => "Mesure réactivée : elle compte de nouveau dans vos mesures en cours.",
        "modifiee" => "La réservation est modifiée : le mandataire en est prévenu.",
        "creee" => "Mesure enregistrée : elle compte désormais dans vos mesures en cours.",
        "refusee" => "Réservation refusée : le tribunal en est prévenu, elle ne compte plus dans vos mesures en attente.",
        _ => return None,
    })
}

#[component]
fn MesurePage(espace: Espace) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    // Not live: a measure cancelled from this very page would be reloaded (and
    // found gone) before the redirect; its actions reload the page anyway.
    let data = Resource::new(id, load_mesure);
    let done = use_query_map().read_untracked().get("fait").and_then(|c| confirmation(&c));
    view! {
        <div class="fr-container fr-py-4w">
            {breadcrumb(espace, Some("Mesure".into()))}
            {done.map(|m| view! { <div class="fr-alert fr-alert--success fr-mb-3w" role="status"><p>{m}</p></div> })}
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <MesureDetail espace page/> }.into_any(),
                        Err(error) => view! { <Title text="Mesure - e-MJPM"/><h1>"Mesure"</h1><ErrorAlert error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn MesureDetail(espace: Espace, page: PageMesure) -> impl IntoView {
    let ligne = page.detail.ligne.clone();
    let m = ligne.mesure.clone();
    let action = |verb: &str| format!("{}/{}/{verb}", espace.base(), m.id);
    let posted = Posted::from_query();
    let rows: Vec<(&str, String)> = [
        ("Tribunal", Some(ligne.tribunal.clone())),
        ("Cabinet", m.cabinet.clone()),
        ("Réservée par", ligne.reservee_par_nom.clone()),
        ("Réservée le", m.date_reservation.as_deref().map(french_date)),
        ("Jugement prévu le", m.date_previsionnelle_jugement.as_deref().map(french_date)),
        ("Mandataire", Some(ligne.gestionnaire.clone())),
        ("Antenne", ligne.antenne.clone()),
        ("Nature", Some(label(&NATURES, &m.nature))),
        ("Champ", m.champ.as_deref().map(|c| label(&CHAMPS, c))),
        (
            "Personne protégée",
            Some(format!(
                "{}{}",
                m.civilite.as_deref().map(|c| label(&vocabulary::CIVILITES, c)).unwrap_or_default(),
                m.annee_naissance.map(|a| format!(", {} en {a}", vocabulary::ne_ou_nee(m.civilite.as_deref()))).unwrap_or_default()
            )),
        ),
        (
            "Lieu de vie",
            m.lieu_vie.as_deref().map(|l| {
                let mut text = label(&LIEUX_DE_VIE, l);
                if let Some(t) = m.type_etablissement.as_deref() {
                    text.push_str(&format!(" ({})", label(&TYPES_ETABLISSEMENT, t)));
                }
                text
            }),
        ),
        (
            "Commune",
            ligne
                .ville
                .clone()
                .map(|v| {
                    format!(
                        "{v}{}{}",
                        m.code_postal.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(),
                        page.distance_km
                            .map(|d| format!(" — à {} km de votre bureau", crate::rules::geo::format_km(d)))
                            .unwrap_or_default()
                    )
                })
                .or_else(|| (m.pays != "FR").then(|| format!("Pays : {}", m.pays))),
        ),
        ("Nommé le", m.date_nomination.as_deref().map(french_date)),
        ("Fin le", m.date_fin.as_deref().map(french_date)),
        ("Cause de sortie", m.cause_sortie.as_deref().map(|c| label(&CAUSES_SORTIE, c))),
        ("Motif du refus", m.refus.as_ref().map(|r| r.en_clair())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
    .collect();
    let statut = m.statut.clone();
    let pro = page.professionnel;
    let titre = format!("Mesure RG {}", crate::rules::rg::display_rg(&m.numero_rg));
    view! {
        // The tab and the history say which measure, and in which space.
        <Title text=crate::layout::form::textarea_text(&format!("{titre} - {} - e-MJPM", espace.title()))/>
        <h1>{titre.clone()}</h1>
        <p>{status_badge(&m.statut, m.refus.is_some())} " "
            {m.urgent.then(|| view! { <span class="fr-badge fr-badge--error">"Urgente"</span> })}</p>
        <ErrorSummary posted=posted.clone() title="L'action n'est pas enregistrée" fields=&ALL_FIELDS/>
        <dl class="emjpm-fiche">
            {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
        {(pro && statut == "en_attente").then(|| view! {
            <AcceptForm posted=posted.clone() action=action("accepter") antennes=page.antennes.clone()
                aujourdhui=page.aujourdhui.clone() antenne=m.antenne_id ligne=ligne.clone()/>
            <RefusForm posted=posted.clone() action=action("refuser")/>
        })}
        {(pro && statut == "en_cours").then(|| view! {
            <EtatForm posted=posted.clone() action=action("etat") ligne=ligne.clone() aujourdhui=page.aujourdhui.clone()/>
            <ClotureForm posted=posted.clone() action=action("cloturer") aujourdhui=page.aujourdhui.clone()/>
        })}
        {(pro && statut == "eteinte" && m.date_nomination.is_some()).then(|| view! {
            <form method="post" action=action("reactiver") class="fr-mt-4w">
                <h2 class="fr-h4">"Réactiver la mesure"</h2>
                <p class="fr-text--sm">"La mesure revient en cours (par exemple après une clôture par erreur)."</p>
                <button class="fr-btn fr-btn--secondary" type="submit">"Réactiver"</button>
            </form>
        })}
        {(page.tribunal && statut == "en_attente").then(|| view! {
            <p class="fr-mt-4w"><a class="fr-btn fr-btn--secondary" href=action("modifier")>"Modifier la réservation"</a></p>
            <form method="post" action=action("annuler") class="fr-mt-4w">
                <h2 class="fr-h4">"Annuler la réservation"</h2>
                <p class="fr-text--sm">"Le mandataire n'a pas encore accepté cette mesure : vous pouvez l'annuler."</p>
                <button class="fr-btn fr-btn--secondary" type="submit">"Annuler la réservation"</button>
            </form>
        })}
        <h2 class="fr-h4 fr-mt-4w">"Historique des états"</h2>
        {if page.detail.etats.is_empty() {
            view! { <p>"Aucun état : la mesure n'a pas encore été acceptée."</p> }.into_any()
        } else {
            view! {
                <ul>
                    {page.detail.etats.iter().map(|e| view! {
                        <li>{format!("{} : {}{} — {}{}",
                            french_date(&e.date_changement),
                            label(&NATURES, &e.nature),
                            e.champ.as_deref().map(|c| format!(", {}", label(&CHAMPS, c))).unwrap_or_default(),
                            label(&LIEUX_DE_VIE, &e.lieu_vie),
                            e.ville.clone().map(|v| format!(", {v}")).unwrap_or_else(|| if e.pays != "FR" { format!(", {}", e.pays) } else { String::new() }))}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2 class="fr-h4 fr-mt-4w">"Journal"</h2>
        <ul>
            {page.detail.evenements.iter().map(|e| view! {
                <li>{format!("{} : {}{}", french_date(&e.date), action_label(&e.action),
                    e.details.clone().map(|d| format!(" ({d})")).unwrap_or_default())}</li>
            }).collect_view()}
        </ul>
    }
}

fn action_label(action: &str) -> &str {
    match action {
        "reservee" => "réservée par le tribunal",
        "acceptee" => "acceptée",
        "etat" => "nouvel état",
        "cloturee" => "clôturée",
        "reactivee" => "réactivée",
        "annulee" => "réservation annulée",
        "modifiee" => "réservation modifiée par le tribunal",
        "creee" => "enregistrée par le mandataire",
        "expiree" => "expirée",
        "refusee" => "refusée par le mandataire",
        other => other,
    }
}

/// Every field of the measure page's forms, in display order (error summary).
pub const ALL_FIELDS: [(&str, &str); 14] = [
    ("date_nomination", "Date de nomination"),
    ("date_changement", "Date du changement"),
    ("nature", "Nature"),
    ("champ", "Champ"),
    ("lieu_vie", "Lieu de vie"),
    ("type_etablissement", "Type d'établissement"),
    ("commune", "Commune"),
    ("pays", "Pays"),
    ("antenne_id", "Antenne"),
    ("cause_sortie", "Cause de sortie"),
    ("date_fin", "Date de fin"),
    ("mesures_max", "Mesures souhaitées"),
    ("motif", "Motif du refus"),
    ("precision", "Précision"),
];

/// Lieu de vie, type d'établissement, commune and pays: shared by the
/// acceptance and the état forms.
/// The current lieu de vie as the état form shows it first.
fn lieu_initial(ligne: Option<&LigneMesure>) -> (String, String, String, String) {
    let Some(ligne) = ligne else { return Default::default() };
    let m = &ligne.mesure;
    let commune = match (&ligne.ville, &m.code_postal) {
        (Some(ville), Some(cp)) => format!("{ville} ({cp})"),
        (Some(ville), None) => ville.clone(),
        _ => String::new(),
    };
    (m.lieu_vie.clone().unwrap_or_default(), m.type_etablissement.clone().unwrap_or_default(), commune, m.pays.clone())
}

#[component]
pub fn LieuDeVieFields(posted: Posted, #[prop(optional)] ligne: Option<LigneMesure>) -> impl IntoView {
    let (lieu_vie, type_etablissement, commune, pays) = lieu_initial(ligne.as_ref());
    view! {
        <SelectField posted=posted.clone() name="lieu_vie" label="Lieu de vie" options=options(&LIEUX_DE_VIE) required=true
            initial=lieu_vie/>
        <SelectField posted=posted.clone() name="type_etablissement" label="Type d'établissement (si établissement)"
            options=options(&TYPES_ETABLISSEMENT) initial=type_etablissement/>
        <TextField posted=posted.clone() name="commune" label="Commune de résidence"
            hint="Nom ou code postal, par exemple Roubaix ou 59100 (laisser vide si la personne vit à l'étranger)"
            initial=commune/>
        <TextField posted=posted name="pays" label="Pays" hint="Code à deux lettres : FR, BE, ES…"
            initial=if pays.is_empty() { "FR".to_string() } else { pays }/>
    }
}

#[component]
fn AcceptForm(
    posted: Posted,
    action: String,
    antennes: Vec<(i32, String)>,
    aujourdhui: String,
    antenne: Option<i32>,
    /// The reservation: its commune starts the lieu de vie's.
    ligne: LigneMesure,
) -> impl IntoView {
    let antenne_options: Vec<(String, String)> = antennes.iter().map(|(id, nom)| (id.to_string(), nom.clone())).collect();
    view! {
        <form method="post" action=action class="emjpm-formulaire fr-mt-4w" novalidate=true>
            <h2 class="fr-h4">"Accepter la mesure"</h2>
            <TextField posted=posted.clone() name="date_nomination" label="Date de nomination" input_type="date" required=true
                hint="Format : jj/mm/aaaa" initial=aujourdhui/>
            <LieuDeVieFields posted=posted.clone() ligne/>
            {(!antenne_options.is_empty()).then(|| view! {
                <SelectField posted=posted.clone() name="antenne_id" label="Antenne qui suit la mesure" options=antenne_options
                    empty="Le service (sans antenne)" initial=antenne.map(|a| a.to_string()).unwrap_or_default()/>
            })}
            <button class="fr-btn" type="submit">"Accepter la mesure"</button>
        </form>
    }
}

#[component]
fn EtatForm(posted: Posted, action: String, ligne: LigneMesure, aujourdhui: String) -> impl IntoView {
    let mesure = ligne.mesure.clone();
    view! {
        <form method="post" action=action class="emjpm-formulaire fr-mt-4w" novalidate=true>
            <h2 class="fr-h4">"Nouvel état"</h2>
            <p class="fr-text--sm">"Un changement de nature, de champ ou de lieu de vie, à partir d'une date."</p>
            <TextField posted=posted.clone() name="date_changement" label="Date du changement" input_type="date" required=true
                hint="Format : jj/mm/aaaa" initial=aujourdhui/>
            <SelectField posted=posted.clone() name="nature" label="Nature" options=options(&NATURES) required=true
                initial=mesure.nature.clone()/>
            <SelectField posted=posted.clone() name="champ" label="Champ" options=options(&CHAMPS)
                initial=mesure.champ.clone().unwrap_or_default()/>
            <LieuDeVieFields posted=posted.clone() ligne=ligne/>
            <button class="fr-btn" type="submit">"Enregistrer l'état"</button>
        </form>
    }
}

/// "Refuser": the professional declines the reservation, with its reason.
#[component]
fn RefusForm(posted: Posted, action: String) -> impl IntoView {
    view! {
        <form method="post" action=action class="emjpm-formulaire fr-mt-4w" novalidate=true>
            <h2 class="fr-h4">"Refuser la réservation"</h2>
            <p class="fr-text--sm">"Le tribunal est prévenu du refus et de son motif ; la mesure ne compte plus dans vos mesures en attente."</p>
            <SelectField posted=posted.clone() name="motif" label="Motif du refus" options=options(&vocabulary::MOTIFS_REFUS) required=true/>
            <TextField posted=posted name="precision" label="Précision"
                hint="Obligatoire pour « Autre motif » (500 caractères au plus)"/>
            <button class="fr-btn fr-btn--tertiary" type="submit">"Refuser la réservation"</button>
        </form>
    }
}

#[component]
fn ClotureForm(posted: Posted, action: String, aujourdhui: String) -> impl IntoView {
    view! {
        <form method="post" action=action class="emjpm-formulaire fr-mt-4w" novalidate=true>
            <h2 class="fr-h4">"Clôturer la mesure"</h2>
            <SelectField posted=posted.clone() name="cause_sortie" label="Cause de sortie" options=options(&CAUSES_SORTIE) required=true/>
            <TextField posted=posted name="date_fin" label="Date de fin" input_type="date" required=true
                hint="Format : jj/mm/aaaa" initial=aujourdhui/>
            <button class="fr-btn fr-btn--secondary" type="submit">"Clôturer la mesure"</button>
        </form>
    }
}
