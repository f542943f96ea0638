//! One measure: its états, its journal and the forms its status allows.

use super::*;
use crate::errors::AppError;
use crate::layout::form::{options, ErrorSummary, Posted, SelectField, TextField};
use crate::layout::kit::Charge;
use crate::measures::listing::{DetailMesure, LigneMesure};
use crate::rules::vocabulary::{self, CAUSES_SORTIE, CHAMPS, LIEUX_DE_VIE, NATURES, TYPES_ETABLISSEMENT};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

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
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    crate::measures::page_mesure::page_mesure(&db, &caller, id).await.inspect_err(AppError::set_response_status)
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
    let fait = use_query_map().read_untracked().get("fait");
    // After an acceptance, a short prompt for the professional's avis.
    let avis = fait.as_deref() == Some("acceptee");
    let done = fait.and_then(|c| confirmation(&c));
    view! {
        <div class="fr-container fr-py-4w">
            {breadcrumb(espace, Some("Mesure".into()))}
            {done.map(|m| view! {
                <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
                    <p>{m}</p>
                    {avis.then(|| view! {
                        <p><a class="fr-link" href="/avis?depuis=%2Fmandataire%2Fmesures%2F0">"Comment s'est passée l'acceptation ? Donner mon avis"</a></p>
                    })}
                </div>
            })}
            <Charge data=data titre_si_erreur="Mesure" vue=move |page| view! { <MesureDetail espace page/> }/>
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
