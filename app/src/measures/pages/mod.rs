//! The measures' pages, for the tribunal (`/tribunal/mesures…`) and for the
//! professional (`/mandataire/mesures…`): a filtered list, and one measure with
//! its états, its journal and the actions its status allows. The same
//! components serve both sides; the server functions scope by the session.
//! Actions are plain forms (see `layout::form` and `measures::handlers`).
//!
//! `liste.rs`: the filtered list; `detail.rs`: one measure and its forms.

mod detail;
mod liste;

pub use detail::*;
pub use liste::*;

use super::listing::LigneMesure;
use crate::rules::vocabulary::{self, NATURES, STATUTS};
use leptos::prelude::*;
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
