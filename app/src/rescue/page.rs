//! `/admin/a-relancer`: the people who need a hand, grouped by reason.

use super::{ARelancer, Gabarit, PageARelancer, Raison, SuiviRelances};
use crate::errors::AppError;
use crate::layout::kit::{Charge, FilAriane, Tableau};
use leptos::prelude::*;
use leptos_meta::Title;

#[leptos::server(prefix = "/api/fn", endpoint = "a_relancer")]
pub async fn load_a_relancer() -> Result<PageARelancer, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let db = crate::state::app_state()?.db;
    let page = async {
        Ok(PageARelancer {
            personnes: super::service::list(&db, &caller).await?,
            suivi: super::relance::suivi(&db).await?,
            gabarits: super::relance::gabarits(&db).await?,
        })
    };
    page.await.inspect_err(AppError::set_response_status)
}

#[component]
pub fn ARelancerPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_a_relancer());
    let posted = crate::layout::form::Posted::from_query();
    let fait = leptos_router::hooks::use_query_map().read_untracked().get("fait").map(|f| match f.as_str() {
        "relance" => "Relance envoyée : le courriel part dans les minutes qui viennent. La personne quitte la liste pendant 14 jours.",
        "traite" => "Marqué comme traité : la personne quitte la liste pendant 14 jours.",
        _ => "Modèle de courriel enregistré.",
    });
    view! {
        <Title text="Utilisateurs à relancer - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/admin", "Administration")] page="Utilisateurs à relancer"/>
            <h1>"Utilisateurs à relancer"</h1>
            <p>"Les personnes qui ont besoin d'un coup de main, raison par raison ; les inscriptions qui attendent l'équipe d'abord."</p>
            {fait.map(|m| view! { <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>{m}</p></div> })}
            {posted.general_error().map(|m| view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert" id="erreurs"><p>{m}</p></div> })}
            <Charge data vue=|page: PageARelancer| view! {
                <Liste liste=page.personnes/>
                <Suivi suivi=page.suivi/>
                <Gabarits gabarits=page.gabarits/>
            }/>
        </div>
    }
}

#[component]
fn Liste(liste: Vec<ARelancer>) -> impl IntoView {
    if liste.is_empty() {
        return view! { <p role="status">"Personne à relancer aujourd'hui."</p> }.into_any();
    }
    let total = liste.len();
    view! {
        <p role="status">{crate::rules::texte::compte(total as i64, "personne à relancer", "personnes à relancer")}</p>
        {Raison::ALL.into_iter().filter_map(|raison| {
            let lignes: Vec<ARelancer> = liste.iter().filter(|l| l.raison == raison.code()).cloned().collect();
            (!lignes.is_empty()).then(|| view! {
                <h2 class="fr-h5 fr-mt-3w">{format!("{} ({})", raison.label(), lignes.len())}</h2>
                <Tableau legende=raison.label() legende_cachee=true colonnes=vec!["Personne", "Rôle", "Territoire", "Depuis", "Dernière action", "Aider"]>
                    {lignes.into_iter().map(|l| {
                        let id = l.compte_id;
                        let code = raison.code();
                        view! {
                            <tr>
                                <th scope="row">{l.nom.clone()}<br/><span class="fr-text--sm">{l.email.clone()}</span></th>
                                <td>{crate::rules::roles::Role::parse(&l.role).map(|r| r.label()).unwrap_or("")}</td>
                                <td>{l.territoire.clone().unwrap_or_default()}</td>
                                <td>{l.depuis.clone()}</td>
                                <td>{l.derniere_action.clone().unwrap_or_else(|| "aucune".into())}</td>
                                <td>
                                    <form method="post" action=format!("/admin/a-relancer/{id}/relancer") class="fr-mb-1w">
                                        <input type="hidden" name="raison" value=code/>
                                        <button class="fr-btn fr-btn--sm" type="submit">{format!("Relancer {} par courriel", l.nom)}</button>
                                    </form>
                                    <details>
                                        <summary>{format!("Marquer {} comme traité", l.nom)}</summary>
                                        <form method="post" action=format!("/admin/a-relancer/{id}/traiter")>
                                            <input type="hidden" name="raison" value=code/>
                                            <div class="fr-input-group">
                                                <label class="fr-label" for=format!("note-{code}-{id}")>"Comment la personne a été aidée"</label>
                                                <input class="fr-input" id=format!("note-{code}-{id}") name="note" required=true maxlength=super::NOTE_MAX/>
                                            </div>
                                            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">"Marquer comme traité"</button>
                                        </form>
                                    </details>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </Tableau>
            })
        }).collect_view()}
    }
    .into_any()
}

/// How the nudges did: per reason and way, how many, and how many were
/// followed by the expected action within 14 days.
#[component]
fn Suivi(suivi: Vec<SuiviRelances>) -> impl IntoView {
    view! {
        <h2 class="fr-h4 fr-mt-4w">"Effet des relances"</h2>
        {if suivi.is_empty() {
            view! { <p>"Aucune relance pour l'instant."</p> }.into_any()
        } else {
            view! {
                <Tableau legende="Relances et leur effet dans les 14 jours" colonnes=vec!["Raison", "Relance", "Nombre", "Suivies de l'action attendue", "Taux de réussite"]>
                    {suivi.into_iter().map(|s| {
                        let raison = Raison::parse(&s.raison).map(|r| r.label()).unwrap_or("");
                        let mode = if s.mode == "traite" { "traitée (appel, visite…)" } else { "courriel" };
                        view! {
                            <tr>
                                <th scope="row">{raison}</th>
                                <td>{mode}</td>
                                <td>{s.nombre}</td>
                                <td>{s.reussies}</td>
                                <td>{crate::adoption::conversion(s.nombre, s.reussies)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </Tableau>
            }.into_any()
        }}
    }
}

/// The mail templates, one per reason, which the team edits.
#[component]
fn Gabarits(gabarits: Vec<Gabarit>) -> impl IntoView {
    view! {
        <h2 class="fr-h4 fr-mt-4w">"Modèles de courriel"</h2>
        <p>"« {prenom} » est remplacé par le prénom de la personne."</p>
        {gabarits.into_iter().map(|g| {
            let label = Raison::parse(&g.raison).map(|r| r.label()).unwrap_or("");
            let code = g.raison.clone();
            view! {
                <details class="fr-mb-2w">
                    <summary>{format!("Modèle : {label}")}</summary>
                    <form method="post" action=format!("/admin/a-relancer/modeles/{code}")>
                        <div class="fr-input-group">
                            <label class="fr-label" for=format!("sujet-{code}")>"Objet"</label>
                            <input class="fr-input" id=format!("sujet-{code}") name="sujet" value=g.sujet.clone() required=true maxlength=super::SUJET_MAX/>
                        </div>
                        <div class="fr-input-group">
                            <label class="fr-label" for=format!("texte-{code}")>"Texte"</label>
                            <textarea class="fr-input" id=format!("texte-{code}") name="texte" rows="6" required=true>{crate::layout::form::textarea_text(&g.texte)}</textarea>
                        </div>
                        <button class="fr-btn fr-btn--sm" type="submit">"Enregistrer le modèle"</button>
                    </form>
                </details>
            }
        }).collect_view()}
    }
}
