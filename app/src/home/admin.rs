//! Home of the product team: accounts by role, professionals, courts, measures.

use crate::errors::AppError;
use crate::layout::kit::{Charge, Chiffre, Tableau};
use crate::measures::StatusCounts;
use crate::rules::texte::format_count;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComptesParRole {
    pub role: String,
    pub actifs: i64,
    pub inactifs: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccueilAdmin {
    pub comptes: Vec<ComptesParRole>,
    pub gestionnaires: i64,
    pub tribunaux: i64,
    pub mesures: StatusCounts,
    /// Sign-ups waiting for a decision.
    pub inscriptions: u64,
}

#[leptos::server(prefix = "/api/fn", endpoint = "accueil_admin")]
pub async fn load_accueil_admin() -> Result<AccueilAdmin, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let db = crate::state::app_state()?.db;
    super::service::accueil_admin(&db, &caller).await
}

/// One scheduled job as the admin page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TachePlanifiee {
    pub nom: String,
    pub derniere_execution: Option<String>,
    pub resultat: Option<String>,
    pub succes: Option<bool>,
}

/// A queued mail whose last attempt failed (the recipient is not shown).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourrielEnEchec {
    pub id: i64,
    pub tentatives: i32,
    pub derniere_erreur: String,
    pub prochain_essai: String,
}

/// The scheduled jobs and the e-mail outbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TachesAdmin {
    pub taches: Vec<TachePlanifiee>,
    pub courriels_en_attente: i64,
    pub courriels_envoyes: i64,
    pub courriels_en_echec: i64,
    /// Minutes the oldest mail not sent yet has waited.
    pub plus_ancien_en_attente_minutes: Option<i64>,
    /// Why mails do not go out: the sending job's last result, when it failed
    /// (sending disabled, SMTP server refusing…).
    pub envoi_en_panne: Option<String>,
    /// The most recently failed mails, at most 10.
    pub echecs: Vec<CourrielEnEchec>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "taches_admin")]
pub async fn load_taches_admin() -> Result<TachesAdmin, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let db = crate::state::app_state()?.db;
    super::service::taches_admin(&db, &caller).await
}

/// The DSFR table of scheduled jobs and the outbox figures.
#[component]
fn Taches() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_taches_admin());
    view! {
        <Charge data=data attente="Chargement des tâches planifiées…" vue=move |t| view! {
                        <h2 class="fr-mt-4w">"Tâches planifiées"</h2>
                        <Tableau legende="Tâches planifiées" colonnes=vec!["Tâche", "Dernière exécution", "Résultat", "Succès"]>
                                {t.taches.iter().map(|j| view! {
                                    <tr>
                                        <th scope="row">{j.nom.clone()}</th>
                                        <td>{j.derniere_execution.clone().unwrap_or_else(|| "jamais".to_string())}</td>
                                        <td>{j.resultat.clone().unwrap_or_default()}</td>
                                        <td>{match j.succes {
                                            Some(true) => view! { <p class="fr-badge fr-badge--success fr-badge--sm">"oui"</p> }.into_any(),
                                            Some(false) => view! { <p class="fr-badge fr-badge--error fr-badge--sm">"non"</p> }.into_any(),
                                            None => view! { <span>"—"</span> }.into_any(),
                                        }}</td>
                                    </tr>
                                }).collect_view()}
                        </Tableau>
                        <h2 class="fr-mt-4w">"Courriels"</h2>
                        {t.envoi_en_panne.clone().map(|raison| view! {
                            <div class="fr-alert fr-alert--error fr-mb-2w" id="envoi-en-panne">
                                <h3 class="fr-alert__title">"Les courriels ne partent pas"</h3>
                                <p>{raison}</p>
                            </div>
                        })}
                        <div class="fr-grid-row fr-grid-row--gutters fr-mb-2w">
                            <Chiffre valeur=format_count(t.courriels_en_attente) libelle="en file d'attente"/>
                            <Chiffre valeur=format_count(t.courriels_envoyes) libelle="envoyés"/>
                            <Chiffre valeur=format_count(t.courriels_en_echec) libelle="en échec (nouvel essai prévu)"/>
                            {t.plus_ancien_en_attente_minutes.map(|minutes| view! {
                                <Chiffre valeur=crate::rules::texte::duree(minutes) libelle="d'attente pour le plus ancien"/>
                            })}
                        </div>
                        {(!t.echecs.is_empty()).then(|| view! {
                            <Tableau legende="Derniers courriels en échec" colonnes=vec!["Courriel", "Tentatives", "Dernière erreur", "Prochain essai"]>
                                    {t.echecs.iter().map(|c| view! {
                                        <tr>
                                            <th scope="row">{format!("n° {}", c.id)}</th>
                                            <td>{c.tentatives}</td>
                                            <td>{c.derniere_erreur.clone()}</td>
                                            <td>{c.prochain_essai.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                            </Tableau>
                        })}
                    }/>
    }
}

#[component]
pub fn AdminHome() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_accueil_admin());
    view! {
        <Title text="Administration - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <h1>"Administration"</h1>
            <ul class="fr-btns-group fr-btns-group--inline-md fr-mb-3w">
                <li><a class="fr-btn fr-btn--secondary" href="/admin/deploiement">"Déploiement"</a></li>
                <li><a class="fr-btn fr-btn--secondary" href="/admin/invitations">"Invitations"</a></li>
                <li><a class="fr-btn fr-btn--secondary" href="/admin/a-relancer">"Utilisateurs à relancer"</a></li>
                <li><a class="fr-btn fr-btn--secondary" href="/admin/avis">"Avis des utilisateurs"</a></li>
                <li><a class="fr-btn fr-btn--secondary" href="/direction/statistiques">"Statistiques"</a></li>
                <li><a class="fr-btn fr-btn--secondary" href="/admin/evolutions">"Évolutions"</a></li>
            </ul>
            <Charge data=data vue=move |home| view! {
                            {(home.inscriptions > 0).then(|| view! {
                                <div class="fr-alert fr-alert--info fr-mb-3w">
                                    <p><a href="/admin/inscriptions">{crate::rules::texte::compte(home.inscriptions as i64, "inscription à valider", "inscriptions à valider")}</a></p>
                                </div>
                            })}
                            <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
                                <Chiffre valeur=format_count(home.gestionnaires) libelle="mandataires et services"/>
                                <Chiffre valeur=format_count(home.tribunaux) libelle="tribunaux"/>
                                <Chiffre valeur=format_count(home.mesures.en_cours) libelle="mesures en cours"/>
                                <Chiffre valeur=format_count(home.mesures.en_attente) libelle="réservations en attente"/>
                            </div>
                            <Tableau legende="Comptes par rôle" colonnes=vec!["Rôle", "Actifs", "Inactifs"]>
                                    {home.comptes.iter().map(|c| view! {
                                        <tr><th scope="row">{c.role.clone()}</th>
                                            <td>{format_count(c.actifs)}</td><td>{format_count(c.inactifs)}</td></tr>
                                    }).collect_view()}
                            </Tableau>
                        }/>
            <Taches/>
        </div>
    }
}
