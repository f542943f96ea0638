//! Home of professionals (individuel, préposé, service member): capacity at a
//! glance, and for a service each antenne's figures. Built for a phone first.

use crate::errors::AppError;
use crate::layout::kit::{Charge, Chiffre, Tableau};
use crate::rules::texte::{depuis, format_count};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// Capacity figures of a gestionnaire or an antenne.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capacite {
    pub nom: String,
    pub ville: String,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub disponibles: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccueilMandataire {
    /// individuel | prepose | service
    pub kind: String,
    pub capacite: Capacite,
    pub suspendu: bool,
    pub motif_suspension: Option<String>,
    /// Days since the professional last confirmed its figures or acted on its
    /// measures (what judges see as its figures' freshness).
    pub jours_depuis_mise_a_jour: i64,
    /// May confirm or change the capacity (not a service's plain member).
    pub modifiable: bool,
    pub antennes: Vec<Capacite>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "accueil_mandataire")]
pub async fn load_accueil_mandataire() -> Result<AccueilMandataire, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::MANDATAIRES).await?;
    let db = crate::state::app_state()?.db;
    super::service::accueil_mandataire(&db, &caller).await
}

fn availability_detail(c: &Capacite) -> String {
    if c.disponibles < 0 {
        format!("surcapacité de {}", format_count(i64::from(-c.disponibles)))
    } else {
        format!("sur {} mesures souhaitées", format_count(i64::from(c.mesures_max)))
    }
}

#[component]
pub fn MandataireHome() -> impl IntoView {
    use crate::measures::pages::load_mesures;
    let data = Resource::new(crate::realtime::changements, |_| load_accueil_mandataire());
    let pending = Resource::new(crate::realtime::changements, |_| load_mesures("statut=en_attente&par_page=20".into()));
    let confirmed = crate::layout::cadre::fait().as_deref() == Some("chiffres");
    let posted = crate::layout::form::Posted::from_query();
    view! {
        <Title text="Mon activité - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <h1>"Mon activité"</h1>
            {confirmed.then(|| view! {
                <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
                    <p>"Vos chiffres sont confirmés : les juges les voient à jour d'aujourd'hui."</p>
                </div>
            })}
            <crate::layout::form::ErrorSummary posted title="Vos chiffres ne sont pas confirmés" fields=&[]/>
            // Its own figures first (what it confirms), then what waits for it.
            <Charge data vue=|home| view! { <MesChiffres home/> }/>
            <Charge data=pending vue=|page| view! { <ReservationsEnAttente page/> }/>
        </div>
    }
}

/// The professional's own figures, which it confirms, and its antennes'.
#[component]
fn MesChiffres(home: AccueilMandataire) -> impl IntoView {
    let c = home.capacite.clone();
    let stale = home.jours_depuis_mise_a_jour > crate::rules::capacity::JOURS_AVANT_OBSOLESCENCE;
    view! {
        <p class="fr-text--lead">{c.nom.clone()} " — " {c.ville.clone()}</p>
        {home.suspendu.then(|| view! {
            <div class="fr-alert fr-alert--warning fr-mb-3w">
                <h2 class="fr-alert__title">"Vous ne recevez plus de nouvelles mesures"</h2>
                <p>"Motif : " {home.motif_suspension.clone().unwrap_or_default()}</p>
            </div>
        })}
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-2w">
            <Chiffre valeur=format_count(i64::from(c.en_cours)) libelle="mesures en cours"
                detail=format!("sur {} souhaitées", format_count(i64::from(c.mesures_max)))/>
            <Chiffre valeur=format_count(i64::from(c.en_attente)) libelle="réservations en attente"/>
            <Chiffre valeur=format_count(i64::from(c.disponibles)) libelle="places disponibles"
                detail=availability_detail(&c)/>
        </div>
        <p class=if stale { "fr-badge fr-badge--warning" } else { "fr-text--sm" } id="fraicheur">
            {format!("Chiffres mis à jour {}", depuis(home.jours_depuis_mise_a_jour))}
        </p>
        {home.modifiable.then(|| view! {
            <form method="post" action="/mandataire/capacite/confirmer" class="fr-mb-2w">
                <ul class="fr-btns-group fr-btns-group--inline-md">
                    <li><button type="submit" class="fr-btn" aria-describedby="fraicheur">"Confirmer mes chiffres"</button></li>
                    <li><a class="fr-btn fr-btn--secondary" href="/mandataire/capacite">"Modifier ma capacité"</a></li>
                </ul>
            </form>
        })}
        {(!home.antennes.is_empty()).then(|| view! {
            <h2 class="fr-h4 fr-mt-4w">"Mes antennes"</h2>
            <Tableau legende="Capacité de chaque antenne" legende_cachee=true colonnes=vec!["Antenne", "En cours / souhaitées", "En attente", "Disponibles"]>
                    {home.antennes.iter().map(|a| view! {
                        <tr>
                            <th scope="row">{a.nom.clone()}<br/><span class="fr-text--xs">{a.ville.clone()}</span></th>
                            <td>{format!("{} / {}", a.en_cours, a.mesures_max)}</td>
                            <td>{a.en_attente}</td><td>{crate::rules::capacity::disponibles_en_clair(a.disponibles, false)}</td>
                        </tr>
                    }).collect_view()}
            </Tableau>
        })}
    }
}

/// What waits for the professional's answer (the first page of it).
#[component]
fn ReservationsEnAttente(page: crate::measures::listing::PageMesures) -> impl IntoView {
    use crate::measures::pages::{Espace, MesureCarte};
    match page.total {
        0 => view! {
            <p class="fr-mb-3w">"Aucune réservation en attente."</p>
        }
        .into_any(),
        _ => view! {
            <h2 class="fr-h4 fr-mt-4w">{match page.total {
                1 => "1 réservation en attente".to_string(),
                n => format!("{} réservations en attente", format_count(n as i64)),
            }}</h2>
            <ul class="emjpm-mesures fr-mb-2w">
                {page.resultats.into_iter().map(|ligne| view! { <MesureCarte espace=Espace::Mandataire ligne/> }).collect_view()}
            </ul>
            {(page.total > u64::from(page.par_page)).then(|| view! {
                <p><a href="/mandataire/mesures?statut=en_attente">"Toutes les réservations en attente"</a></p>
            })}
        }
        .into_any(),
    }
}
