//! `/admin/a-relancer`: the people who need a hand, grouped by reason.

use super::{ARelancer, Gabarit, ListeARelancer, PageARelancer, Raison, SuiviRelances};
use crate::errors::AppError;
use crate::layout::kit::{Charge, FilAriane, Tableau};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page's data; `raison` and `page` choose which people are listed.
#[leptos::server(prefix = "/api/fn", endpoint = "a_relancer")]
pub async fn load_a_relancer(raison: Option<String>, page: Option<String>) -> Result<PageARelancer, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let db = crate::state::app_state()?.db;
    let data = async {
        Ok(PageARelancer {
            liste: super::service::page(&db, &caller, raison.as_deref(), page.as_deref()).await?,
            suivi: super::relance::suivi(&db).await?,
            gabarits: super::relance::gabarits(&db).await?,
            inactifs: super::inactifs::page(&db, &caller).await?,
        })
    };
    data.await.inspect_err(AppError::set_response_status)
}

#[component]
pub fn ARelancerPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let choix = move || {
        let query = query.read();
        (query.get("raison"), query.get("page"))
    };
    let data = Resource::new(choix, |(raison, page)| load_a_relancer(raison, page));
    let posted = crate::layout::form::Posted::from_query();
    let fait = leptos_router::hooks::use_query_map().read_untracked().get("fait").map(|f| match f.as_str() {
        "relance" => "Relance envoyée : le courriel part dans les minutes qui viennent. La personne quitte la liste pendant 14 jours.",
        "traite" => "Marqué comme traité : la personne quitte la liste pendant 14 jours.",
        "renvoi" => "Invitation renvoyée avec un nouveau lien, valable 30 jours : le courriel part dans les minutes qui viennent.",
        "pourquoi" => "Question envoyée : le courriel part dans les minutes qui viennent ; la réponse s'affichera ici.",
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
                <Liste liste=page.liste/>
                <Inactifs inactifs=page.inactifs/>
                <Suivi suivi=page.suivi/>
                <Gabarits gabarits=page.gabarits/>
            }/>
        </div>
    }
}

/// How many people each reason holds (each a link to its people), then one
/// page of the chosen reason's people with what the team can do for each.
#[component]
fn Liste(liste: ListeARelancer) -> impl IntoView {
    use crate::layout::kit::query_string;
    let Some(choisie) = liste.raison.clone() else {
        return view! { <p role="status">"Personne à relancer aujourd'hui."</p> }.into_any();
    };
    let lien = |raison: &str, page: u64| {
        let mut pairs = vec![("raison", raison.to_string())];
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        format!("/admin/a-relancer?{}", query_string(pairs))
    };
    let retour = lien(&choisie, liste.page);
    let libelle = super::ordre_des_raisons().into_iter().find(|(c, _)| *c == choisie).map_or("", |(_, l)| l);
    let pages = crate::rules::pagination::nombre_de_pages(liste.total);
    let personnes = liste.personnes.clone();
    let lignes = if choisie == super::INVITATION_INUTILISEE.0 {
        view! { <Invitations invitations=personnes retour=retour.clone()/> }.into_any()
    } else {
        view! { <Comptes personnes raison=choisie.clone() retour=retour.clone()/> }.into_any()
    };
    let raisons = liste
        .raisons
        .iter()
        .map(|r| {
            let courante = (r.raison == choisie).then_some("page");
            view! {
                <tr>
                    <th scope="row"><a href=lien(&r.raison, 1) aria-current=courante>{r.libelle.clone()}</a></th>
                    <td>{crate::rules::texte::format_count(r.nombre as i64)}</td>
                </tr>
            }
        })
        .collect_view();
    let precedente = (liste.page > 1).then(|| lien(&choisie, liste.page - 1));
    let suivante = (liste.page < pages).then(|| lien(&choisie, liste.page + 1));
    view! {
        <p role="status">{crate::rules::texte::compte(liste.tous() as i64, "personne à relancer", "personnes à relancer")}</p>
        <Tableau legende="Personnes à relancer par raison" colonnes=vec!["Raison", "Personnes"]>
            {raisons}
        </Tableau>
        <h2 class="fr-h5 fr-mt-3w" id="personnes">{libelle}</h2>
        <p>{match liste.total {
            0 => "Personne pour cette raison aujourd'hui.".to_string(),
            n if pages == 1 => crate::rules::texte::compte(n as i64, "personne", "personnes"),
            n => format!("{} — page {} sur {pages}", crate::rules::texte::compte(n as i64, "personne", "personnes"), liste.page),
        }}</p>
        {(liste.total > 0).then_some(lignes)}
        {(pages > 1).then(|| view! {
            <nav class="fr-pagination" role="navigation" aria-label="Pagination des personnes à relancer">
                <ul class="fr-pagination__list">
                    {precedente.map(|href| view! { <li><a class="fr-pagination__link fr-pagination__link--prev" href=href>"Page précédente"</a></li> })}
                    {suivante.map(|href| view! { <li><a class="fr-pagination__link fr-pagination__link--next" href=href>"Page suivante"</a></li> })}
                </ul>
            </nav>
        })}
    }
    .into_any()
}

/// One page of a reason's accounts: nudge each by mail, or mark it handled.
#[component]
fn Comptes(personnes: Vec<ARelancer>, raison: String, retour: String) -> impl IntoView {
    let libelle = Raison::parse(&raison).map_or("", |r| r.label());
    view! {
        <Tableau legende=libelle legende_cachee=true colonnes=vec!["Personne", "Rôle", "Territoire", "Depuis", "Dernière action", "Aider"]>
            {personnes.into_iter().map(|l| {
                let id = l.compte_id.unwrap_or_default();
                let code = raison.clone();
                view! {
                    <tr>
                        <Personne l=l.clone()/>
                        <td>
                            <form method="post" action=format!("/admin/a-relancer/{id}/relancer") class="fr-mb-1w">
                                <input type="hidden" name="raison" value=code.clone()/>
                                <input type="hidden" name="retour" value=retour.clone()/>
                                <button class="fr-btn fr-btn--sm" type="submit">{format!("Relancer {} par courriel", l.nom)}</button>
                            </form>
                            <details>
                                <summary>{format!("Marquer {} comme traité", l.nom)}</summary>
                                <form method="post" action=format!("/admin/a-relancer/{id}/traiter")>
                                    <input type="hidden" name="raison" value=code.clone()/>
                                    <input type="hidden" name="retour" value=retour.clone()/>
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
    }
}

/// The cells that say who a person to rescue is: name and address, role,
/// territory, since when, last action — the same in both tables.
#[component]
fn Personne(l: ARelancer) -> impl IntoView {
    view! {
        <th scope="row">{l.nom}<br/><span class="fr-text--sm">{l.email}</span></th>
        <td>{crate::rules::roles::Role::parse(&l.role).map(|r| r.label()).unwrap_or("")}</td>
        <td>{l.territoire.unwrap_or_default()}</td>
        <td>{l.depuis}</td>
        <td>{l.derniere_action.unwrap_or_else(|| "aucune".into())}</td>
    }
}

/// The invitations left unused: re-sent with a fresh link, or followed up
/// on /admin/invitations.
#[component]
fn Invitations(invitations: Vec<ARelancer>, retour: String) -> impl IntoView {
    let (code, label) = super::INVITATION_INUTILISEE;
    view! {
        <Tableau legende=label legende_cachee=true colonnes=vec!["Personne", "Rôle", "Territoire", "Envoyée le", "Dernière action", "Aider"]>
            {invitations.into_iter().map(|l| {
                let id = l.invitation_id.unwrap_or_default();
                view! {
                    <tr>
                        <Personne l=l.clone()/>
                        <td>
                            <form method="post" action=format!("/admin/invitations/{id}/renvoyer") data-raison=code>
                                <input type="hidden" name="retour" value=retour.clone()/>
                                <button class="fr-btn fr-btn--sm" type="submit">{format!("Renvoyer l'invitation à {}", l.nom)}</button>
                            </form>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </Tableau>
    }
    .into_any()
}

/// Users gone quiet: counts by territory and role, the quietest with their
/// last activity and "why?", the answers counted.
#[component]
fn Inactifs(inactifs: super::inactifs::PageInactifs) -> impl IntoView {
    use super::inactifs::SEUILS;
    view! {
        <h2 class="fr-h4 fr-mt-4w" id="inactifs">"Utilisateurs inactifs"</h2>
        <p>"Comptes validés et actifs sans action utile (réservation, capacité ou acceptation, consultation des chiffres selon le rôle) "
           "depuis 30, 60 ou 90 jours. La règle de conservation (avertissement à 6 mois, désactivation à 7) reste la même."</p>
        {if inactifs.groupes.is_empty() {
            view! { <p role="status">"Personne n'est inactif depuis 30 jours."</p> }.into_any()
        } else {
            view! {
                <Tableau legende="Inactifs par territoire et rôle" colonnes=vec!["Territoire", "Rôle", "30 jours et plus", "60 jours et plus", "90 jours et plus"]>
                    {inactifs.groupes.into_iter().map(|g| view! {
                        <tr><th scope="row">{g.territoire}</th><td>{g.role}</td>
                            <td>{g.nombres[0]}</td><td>{g.nombres[1]}</td><td>{g.nombres[2]}</td></tr>
                    }).collect_view()}
                </Tableau>
                <Tableau legende="Les plus anciens inactifs (100 au plus)" colonnes=vec!["Personne", "Rôle", "Territoire", "Dernière activité", "Pourquoi ?"]>
                    {inactifs.personnes.into_iter().map(|p| {
                        let id = p.compte_id;
                        let seuil = super::inactifs::seuil(p.jours).unwrap_or(SEUILS[0]);
                        view! {
                            <tr>
                                <th scope="row">{p.nom.clone()}<br/><span class="fr-text--sm">{p.email.clone()}</span></th>
                                <td>{p.role.clone()}</td>
                                <td>{p.territoire.clone()}</td>
                                <td>{format!("{} ({} jours ; plus de {seuil})", p.derniere_activite, p.jours)}</td>
                                <td>{match p.demande.clone() {
                                    Some(d) => view! { <p class="fr-text--sm fr-mb-0">{d}</p> }.into_any(),
                                    None => view! {
                                        <form method="post" action=format!("/admin/a-relancer/pourquoi/{id}")>
                                            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">{format!("Demander pourquoi à {}", p.nom)}</button>
                                        </form>
                                    }.into_any(),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </Tableau>
            }.into_any()
        }}
        <h3 class="fr-h5">{format!("Leurs réponses ({} question(s) posée(s))", inactifs.demandes)}</h3>
        <Tableau legende="Pourquoi ils n'utilisent plus e-MJPM" legende_cachee=true colonnes=vec!["Réponse", "Nombre"]>
            {inactifs.reponses.into_iter().map(|(label, n)| view! { <tr><th scope="row">{label}</th><td>{n}</td></tr> }).collect_view()}
        </Tableau>
        {(!inactifs.precisions.is_empty()).then(|| view! {
            <p class="fr-mb-1w">"Ce qu'ils en disent (les plus récents) :"</p>
            <ul>{inactifs.precisions.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
        })}
    }
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

/// The question of a "why" link (anyone holding the link).
#[leptos::server(prefix = "/api/fn", endpoint = "pourquoi")]
pub async fn question_pourquoi(jeton: String) -> Result<super::inactifs::QuestionPourquoi, AppError> {
    let db = crate::state::app_state()?.db;
    super::inactifs::question(&db, &jeton).await.inspect_err(AppError::set_response_status)
}

/// `/pourquoi/{jeton}`: one question, the answer chosen in the mail already
/// ticked, one button.
#[component]
pub fn PourquoiPage() -> impl IntoView {
    use leptos_router::hooks::{use_params_map, use_query_map};
    let params = use_params_map();
    let jeton = move || params.read().get("jeton").unwrap_or_default();
    let data = Resource::new(jeton, question_pourquoi);
    let query = use_query_map().read_untracked();
    let choisie = query.get("reponse");
    let merci = query.get("fait").is_some();
    view! {
        <Title text="Pourquoi n'utilisez-vous plus e-MJPM ? - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-8">
                <h1>"Pourquoi n'utilisez-vous plus e-MJPM ?"</h1>
                {merci.then(|| view! { <div class="fr-alert fr-alert--success fr-mb-3w" role="status"><p>"Merci, votre réponse est enregistrée. Vous pouvez encore la changer ci-dessous."</p></div> })}
                <Charge data vue=move |q| view! { <Question question=q jeton=jeton() choisie=choisie.clone()/> }/>
            </div></div>
        </div>
    }
}

#[component]
fn Question(question: super::inactifs::QuestionPourquoi, jeton: String, choisie: Option<String>) -> impl IntoView {
    use super::inactifs::{QuestionPourquoi, Reponse, PRECISION_MAX};
    let posted = crate::layout::form::Posted::from_query();
    match question {
        QuestionPourquoi::Invalide => view! {
            <div class="fr-alert fr-alert--warning" role="status"><p>{super::inactifs::LIEN_INVALIDE}</p></div>
        }
        .into_any(),
        QuestionPourquoi::Ouverte { prenom, reponse, precision } => {
            let cochee = posted.value_or("reponse", choisie.or(reponse).unwrap_or_default());
            let erreur = posted.error("reponse");
            let classe = if erreur.is_some() { "fr-fieldset fr-fieldset--error" } else { "fr-fieldset" };
            let precision = posted.value_or("precision", precision);
            view! {
                <p>{format!("{prenom}, une seule question : elle nous aide à améliorer e-MJPM.")}</p>
                {posted.general_error().map(|m| view! { <div class="fr-alert fr-alert--error fr-mb-2w" role="alert"><p>{m}</p></div> })}
                <form method="post" action=format!("/pourquoi/{jeton}")>
                    <fieldset class=classe id="reponse" aria-labelledby="reponse-legende">
                        <legend class="fr-fieldset__legend" id="reponse-legende">"Ce qui vous correspond le mieux"</legend>
                        {Reponse::ALL.into_iter().map(|r| {
                            let id = format!("reponse-{}", r.code());
                            view! {
                                <div class="fr-fieldset__element"><div class="fr-radio-group">
                                    <input type="radio" id=id.clone() name="reponse" value=r.code() checked=cochee == r.code()/>
                                    <label class="fr-label" for=id>{r.label()}</label>
                                </div></div>
                            }
                        }).collect_view()}
                        {erreur.map(|m| view! { <p class="fr-message fr-message--error fr-fieldset__element">{m}</p> })}
                    </fieldset>
                    <div class="fr-input-group">
                        <label class="fr-label" for="precision">"En quelques mots (facultatif)"
                            <span class="fr-hint-text">"N'écrivez rien sur une personne protégée."</span></label>
                        <textarea class="fr-input" id="precision" name="precision" rows="3" maxlength=PRECISION_MAX>{crate::layout::form::textarea_text(&precision)}</textarea>
                    </div>
                    <button class="fr-btn" type="submit">"Envoyer ma réponse"</button>
                </form>
            }
            .into_any()
        }
    }
}
