//! The team's feedback pages: `/admin/avis` (filters, satisfaction per role
//! and month, each avis with its follow-up and answers) and
//! `/admin/evolutions` (the list of product changes avis are linked to).

use super::{libelle, LigneAvis, LigneEvolution, PageAvis, Satisfaction, NIVEAUX, STATUTS, STATUTS_EVOLUTION};
use crate::errors::AppError;
use crate::layout::form::{ErrorSummary, Posted, SelectField, TextField};
use crate::layout::kit::{query_string, Charge, FilAriane, Tableau};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The filters the list reads from its address.
const FILTRES: [&str; 9] = ["role", "territoire", "page", "niveau", "statut", "du", "au", "evolution", "numero"];

#[leptos::server(prefix = "/api/fn", endpoint = "avis_admin")]
pub async fn load_avis(query: String) -> Result<PageAvis, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let filtres: super::FiltresAvis = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))?;
    let db = crate::state::app_state()?.db;
    super::service::page(&db, &caller, &filtres).await.inspect_err(AppError::set_response_status)
}

#[leptos::server(prefix = "/api/fn", endpoint = "evolutions_admin")]
pub async fn load_evolutions() -> Result<Vec<LigneEvolution>, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let db = crate::state::app_state()?.db;
    super::service::evolutions(&db, &caller).await.inspect_err(AppError::set_response_status)
}

fn role_label(code: &str) -> String {
    match crate::rules::roles::Role::parse(code) {
        Some(role) => role.label().to_string(),
        None => "Visiteur (non connecté)".to_string(),
    }
}

fn options(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect()
}

fn confirmation(code: &str) -> &'static str {
    match code {
        "reponse" => "Réponse envoyée : le courriel part dans les minutes qui viennent.",
        "creee" => "Évolution ajoutée à la liste.",
        "modifiee" => "Évolution enregistrée.",
        c if c.starts_with("informes-") => "Évolution marquée comme faite : les personnes qui l'avaient demandée et acceptaient d'être recontactées sont prévenues par courriel.",
        _ => "Suivi de l'avis enregistré.",
    }
}

#[component]
pub fn AdminAvisPage() -> impl IntoView {
    let query = use_query_map();
    let posted = Posted::from_query();
    let search = move || {
        let map = query.read();
        query_string(FILTRES.iter().filter_map(|k| map.get(k).filter(|v| !v.is_empty()).map(|v| (*k, v))))
    };
    let data = Resource::new(search, load_avis);
    let fait = query.read_untracked().get("fait").map(|f| confirmation(&f));
    view! {
        <Title text="Avis des utilisateurs - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/admin", "Administration")] page="Avis des utilisateurs"/>
            <h1>"Avis des utilisateurs"</h1>
            <p>"Ce que les utilisateurs disent d'e-MJPM, donné avec « Donner mon avis ». "
                <a href="/admin/evolutions">"Liste des évolutions"</a></p>
            {fait.map(|m| view! { <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>{m}</p></div> })}
            {posted.general_error().map(|m| view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert" id="erreurs"><p>{m}</p></div> })}
            <Charge data vue=move |page| view! { <ListeAvis page retour=format!("/admin/avis?{}", search())/> }/>
        </div>
    }
}

#[component]
fn ListeAvis(page: PageAvis, retour: String) -> impl IntoView {
    let posted = Posted::default();
    let query = use_query_map();
    let initial = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let mut roles: Vec<(String, String)> =
        crate::rules::roles::Role::ALL.iter().map(|r| (r.as_str().to_string(), r.label().to_string())).collect();
    roles.push(("visiteur".into(), "Visiteur (non connecté)".into()));
    let pages: Vec<(String, String)> = page.pages.iter().map(|p| (p.clone(), p.clone())).collect();
    let pages_total = crate::rules::pagination::nombre_de_pages(page.total);
    let lien_page = |numero: u64| {
        let map = query.read_untracked();
        let mut pairs: Vec<(&str, String)> =
            FILTRES.iter().filter(|k| **k != "numero").filter_map(|k| map.get(k).filter(|v| !v.is_empty()).map(|v| (*k, v))).collect();
        pairs.push(("numero", numero.to_string()));
        format!("/admin/avis?{}", query_string(pairs))
    };
    let evolutions = page.evolutions.clone();
    view! {
        <form method="get" action="/admin/avis" class="fr-mb-3w">
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-4">
                    <SelectField posted=posted.clone() name="role" label="Rôle" options=roles empty="Tous les rôles" initial=initial("role")/>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <SelectField posted=posted.clone() name="territoire" label="Territoire" options=page.territoires.clone() empty="Tous les territoires" initial=initial("territoire")/>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <SelectField posted=posted.clone() name="page" label="Page concernée" options=pages empty="Toutes les pages" initial=initial("page")/>
                </div>
                <div class="fr-col-12 fr-col-md-3">
                    <SelectField posted=posted.clone() name="niveau" label="Niveau" options=options(&NIVEAUX) empty="Tous" initial=initial("niveau")/>
                </div>
                <div class="fr-col-12 fr-col-md-3">
                    <SelectField posted=posted.clone() name="statut" label="Statut" options=options(&STATUTS) empty="Tous" initial=initial("statut")/>
                </div>
                <div class="fr-col-6 fr-col-md-3">
                    <TextField posted=posted.clone() name="du" label="Du" input_type="date" initial=initial("du")/>
                </div>
                <div class="fr-col-6 fr-col-md-3">
                    <TextField posted=posted.clone() name="au" label="Au" input_type="date" initial=initial("au")/>
                </div>
            </div>
            <button class="fr-btn fr-mt-2w" type="submit">"Filtrer"</button>
        </form>
        <SatisfactionParMois lignes=page.satisfaction.clone()/>
        <h2 class="fr-h4">"Avis"</h2>
        <p role="status">{match page.total {
            0 => "Aucun avis ne correspond.".to_string(),
            1 => "1 avis".to_string(),
            n => format!("{} avis — page {} sur {pages_total}", crate::rules::texte::format_count(n as i64), page.numero),
        }}</p>
        <ul class="emjpm-mesures">
            {page.avis.into_iter().map(|a| view! { <CarteAvis avis=a evolutions=evolutions.clone() retour=retour.clone()/> }).collect_view()}
        </ul>
        {(pages_total > 1).then(|| view! {
            <nav class="fr-mt-2w" aria-label="Pages de la liste">
                {(page.numero > 1).then(|| view! { <a class="fr-link fr-mr-3w" href=lien_page(page.numero - 1)>"Page précédente"</a> })}
                {(page.numero < pages_total).then(|| view! { <a class="fr-link" href=lien_page(page.numero + 1)>"Page suivante"</a> })}
            </nav>
        })}
    }
}

/// Satisfaction per month: a bar per month (all roles) in words and shapes,
/// then the table per role with the same numbers.
#[component]
fn SatisfactionParMois(lignes: Vec<Satisfaction>) -> impl IntoView {
    let mut par_mois: Vec<Satisfaction> = Vec::new();
    for l in &lignes {
        match par_mois.iter_mut().find(|m| m.mois == l.mois) {
            Some(m) => {
                m.bien += l.bien;
                m.moyen += l.moyen;
                m.mal += l.mal;
            }
            None => par_mois.push(Satisfaction { role: String::new(), ..l.clone() }),
        }
    }
    let hauteur = 28 * par_mois.len().max(1) + 10;
    view! {
        <h2 class="fr-h4">"Satisfaction par mois"</h2>
        {if lignes.is_empty() {
            view! { <p>"Aucun avis ces douze derniers mois."</p> }.into_any()
        } else {
            view! {
                <figure class="fr-mb-3w">
                    <svg role="img" aria-labelledby="satisfaction-titre satisfaction-desc" viewBox=format!("0 0 360 {hauteur}") width="100%"
                        class="emjpm-graphique" xmlns="http://www.w3.org/2000/svg">
                        <title id="satisfaction-titre">"Part des avis « bien », « moyen » et « mal » par mois"</title>
                        <desc id="satisfaction-desc">"Pour chaque mois, une barre partagée entre les avis bien (plein), moyen (hachuré) et mal (pointillé) ; le tableau qui suit donne les nombres."</desc>
                        <defs>
                            <pattern id="hachures" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                                <rect width="6" height="6" fill="#fceeac"/><line x1="0" y1="0" x2="0" y2="6" stroke="#716043" stroke-width="2"/>
                            </pattern>
                            <pattern id="points" width="5" height="5" patternUnits="userSpaceOnUse">
                                <rect width="5" height="5" fill="#ffe9e6"/><circle cx="2.5" cy="2.5" r="1.2" fill="#ce0500"/>
                            </pattern>
                        </defs>
                        {par_mois.iter().enumerate().map(|(i, m)| {
                            let y = 5 + 28 * i;
                            let total = m.total().max(1) as f64;
                            let largeur = 280.0;
                            let w_bien = largeur * m.bien as f64 / total;
                            let w_moyen = largeur * m.moyen as f64 / total;
                            let w_mal = largeur * m.mal as f64 / total;
                            view! {
                                <g>
                                    <text x="0" y=y + 16 font-size="11">{m.mois.clone()}</text>
                                    <rect x="60" y=y width=w_bien height="20" fill="#18753c"/>
                                    <rect x=60.0 + w_bien y=y width=w_moyen height="20" fill="url(#hachures)"/>
                                    <rect x=60.0 + w_bien + w_moyen y=y width=w_mal height="20" fill="url(#points)"/>
                                    <text x=345 y=y + 15 font-size="11" text-anchor="end">{format!("{} %", m.part_bien())}</text>
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                    <figcaption class="fr-text--sm">"Plein : bien ; hachuré : moyen ; pointillé : mal. À droite, la part des avis « bien »."</figcaption>
                </figure>
                <Tableau legende="Satisfaction par mois et par rôle (douze derniers mois)" colonnes=vec!["Mois", "Rôle", "Bien", "Moyen", "Mal", "Part « bien »"]>
                    {lignes.into_iter().map(|l| view! {
                        <tr>
                            <td>{l.mois.clone()}</td>
                            <td>{role_label(&l.role)}</td>
                            <td>{l.bien}</td>
                            <td>{l.moyen}</td>
                            <td>{l.mal}</td>
                            <td>{format!("{} %", l.part_bien())}</td>
                        </tr>
                    }).collect_view()}
                </Tableau>
            }.into_any()
        }}
    }
}

#[component]
fn CarteAvis(avis: LigneAvis, evolutions: Vec<(i32, String)>, retour: String) -> impl IntoView {
    let id = avis.id;
    let badge = match avis.niveau.as_str() {
        "bien" => "fr-badge fr-badge--sm fr-badge--success",
        "moyen" => "fr-badge fr-badge--sm fr-badge--warning",
        _ => "fr-badge fr-badge--sm fr-badge--error",
    };
    let qui = [
        Some(avis.auteur.clone().unwrap_or_else(|| "Visiteur".into())),
        avis.role.as_deref().map(role_label),
        avis.territoire.clone(),
        avis.page.clone().map(|p| format!("page {p}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" — ");
    let statut = avis.statut.clone();
    let evolution_choisie = avis.evolution.as_ref().map(|(e, _)| *e);
    view! {
        <li class="emjpm-mesure" id=format!("avis-{id}")>
            <p class="fr-mb-1v">
                <strong>{format!("Avis n° {id} du {}", avis.date)}</strong>" "
                <span class=badge>{libelle(&NIVEAUX, &avis.niveau)}</span>" "
                <span class="fr-badge fr-badge--sm fr-badge--info">{libelle(&STATUTS, &avis.statut)}</span>
                {avis.etiquettes.iter().map(|t| view! { " " <span class="fr-tag fr-tag--sm">{t.clone()}</span> }).collect_view()}
            </p>
            <p class="fr-text--sm fr-mb-1v">{qui}</p>
            {(!avis.objectif.is_empty()).then(|| view! { <p class="fr-mb-1v"><strong>"Cherchait à : "</strong>{avis.objectif.clone()}</p> })}
            {(!avis.commentaire.is_empty()).then(|| view! { <p class="fr-mb-1v emjpm-texte-saisi">{avis.commentaire.clone()}</p> })}
            {avis.evolution.clone().map(|(e, titre)| view! {
                <p class="fr-text--sm fr-mb-1v">"Évolution liée : "<a href=format!("/admin/evolutions#evolution-{e}")>{titre}</a></p>
            })}
            <p class="fr-text--sm fr-mb-1v">{match &avis.contact {
                Some(adresse) => format!("Accepte d'être recontacté : {adresse}"),
                None => "Ne souhaite pas être recontacté.".to_string(),
            }}</p>
            {(!avis.reponses.is_empty()).then(|| view! {
                <ul class="fr-text--sm">
                    {avis.reponses.iter().map(|r| view! {
                        <li>{format!("Réponse de {} le {} à {} : ", r.auteur, r.date, r.destinataire)}<span class="emjpm-texte-saisi">{r.texte.clone()}</span></li>
                    }).collect_view()}
                </ul>
            })}
            <details class="fr-mb-1w">
                <summary>{format!("Suivre l'avis n° {id}")}</summary>
                <form method="post" action=format!("/admin/avis/{id}/suivi") class="emjpm-formulaire">
                    <input type="hidden" name="retour" value=retour.clone()/>
                    <div class="fr-select-group">
                        <label class="fr-label" for=format!("statut-{id}")>"Statut"</label>
                        <select class="fr-select" id=format!("statut-{id}") name="statut">
                            {STATUTS.iter().map(|(code, label)| view! { <option value=*code selected=statut == *code>{*label}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="fr-input-group">
                        <label class="fr-label" for=format!("etiquettes-{id}")>"Étiquettes"
                            <span class="fr-hint-text">"Séparées par des virgules, par exemple : carte, lenteur"</span></label>
                        <input class="fr-input" id=format!("etiquettes-{id}") name="etiquettes" value=avis.etiquettes.join(", ")/>
                    </div>
                    <div class="fr-select-group">
                        <label class="fr-label" for=format!("evolution-{id}")>"Évolution liée"</label>
                        <select class="fr-select" id=format!("evolution-{id}") name="evolution_id">
                            <option value="" selected=evolution_choisie.is_none()>"Aucune"</option>
                            {evolutions.into_iter().map(|(e, titre)| view! {
                                <option value=e.to_string() selected=evolution_choisie == Some(e)>{format!("n° {e} — {titre}")}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button class="fr-btn fr-btn--sm" type="submit">"Enregistrer le suivi"</button>
                </form>
            </details>
            {avis.contact.clone().map(|adresse| view! {
                <details class="fr-mb-1w">
                    <summary>{format!("Répondre par courriel à l'avis n° {id}")}</summary>
                    <form method="post" action=format!("/admin/avis/{id}/reponse") class="emjpm-formulaire">
                        <input type="hidden" name="retour" value=retour.clone()/>
                        <div class="fr-input-group">
                            <label class="fr-label" for=format!("reponse-{id}")>{format!("Réponse (envoyée à {adresse})")}
                                <span class="fr-hint-text">{format!("{} caractères au plus", super::REPONSE_MAX)}</span></label>
                            <textarea class="fr-input" id=format!("reponse-{id}") name="reponse" rows="4" required=true maxlength=super::REPONSE_MAX></textarea>
                        </div>
                        <button class="fr-btn fr-btn--sm" type="submit">"Envoyer la réponse"</button>
                    </form>
                </details>
            })}
        </li>
    }
}

/// The fields of the évolution form, sent back as typed after a refusal.
pub const CHAMPS_EVOLUTION: [(&str, &str); 3] = [("titre", "Titre"), ("description", "Description"), ("statut", "Statut")];

#[component]
pub fn EvolutionsPage() -> impl IntoView {
    let query = use_query_map();
    let posted = Posted::from_query();
    let data = Resource::new(|| (), |_| load_evolutions());
    let fait = query.read_untracked().get("fait").map(|f| confirmation(&f));
    view! {
        <Title text="Évolutions - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/admin", "Administration"), ("/admin/avis", "Avis des utilisateurs")] page="Évolutions"/>
            <h1>"Évolutions"</h1>
            <p>"Les changements du produit que l'équipe étudie, prévoit ou a faits. Un avis y est lié depuis la liste des avis ; "
                "marquer une évolution « faite » prévient par courriel ceux qui l'avaient demandée et acceptaient d'être recontactés."</p>
            {fait.map(|m| view! { <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>{m}</p></div> })}
            <ErrorSummary posted=posted.clone() title="L'évolution n'a pas été enregistrée" fields=&CHAMPS_EVOLUTION/>
            <Charge data vue=move |lignes| view! { <ListeEvolutions lignes/> }/>
            <h2 class="fr-h4 fr-mt-4w">"Nouvelle évolution"</h2>
            <form method="post" action="/admin/evolutions" class="emjpm-formulaire">
                <TextField posted=posted.clone() name="titre" label="Titre" required=true/>
                <div class="fr-input-group">
                    <label class="fr-label" for="description">"Description"
                        <span class="fr-hint-text">{format!("{} caractères au plus ; elle figure dans le courriel envoyé quand l'évolution est faite.", super::DESCRIPTION_MAX)}</span></label>
                    <textarea class="fr-input" id="description" name="description" rows="3" maxlength=super::DESCRIPTION_MAX>{crate::layout::form::textarea_text(&posted.value_or("description", ""))}</textarea>
                </div>
                <SelectField posted=posted.clone() name="statut" label="Statut" options=options(&STATUTS_EVOLUTION) required=true initial="a_l_etude"/>
                <button class="fr-btn" type="submit">"Ajouter l'évolution"</button>
            </form>
        </div>
    }
}

#[component]
fn ListeEvolutions(lignes: Vec<LigneEvolution>) -> impl IntoView {
    if lignes.is_empty() {
        return view! { <p>"Aucune évolution pour l'instant."</p> }.into_any();
    }
    view! {
        <ul class="emjpm-mesures">
            {lignes.into_iter().map(|e| {
                let id = e.id;
                let statut = e.statut.clone();
                view! {
                    <li class="emjpm-mesure" id=format!("evolution-{id}")>
                        <p class="fr-mb-1v"><strong>{format!("n° {id} — {}", e.titre)}</strong>" "
                            <span class="fr-badge fr-badge--sm fr-badge--info">{libelle(&STATUTS_EVOLUTION, &e.statut)}</span></p>
                        {(!e.description.is_empty()).then(|| view! { <p class="fr-text--sm fr-mb-1v emjpm-texte-saisi">{e.description.clone()}</p> })}
                        <p class="fr-text--sm fr-mb-1v">
                            <a href=format!("/admin/avis?{}", query_string([("evolution", id.to_string())]))>{crate::rules::texte::compte(e.avis, "avis lié", "avis liés")}</a>
                            {format!(" ; {} à prévenir quand elle sera faite", e.a_informer)}
                            {e.fait_le.clone().map(|d| format!(" ; faite le {d}"))}
                        </p>
                        <details>
                            <summary>{format!("Modifier l'évolution n° {id}")}</summary>
                            <form method="post" action=format!("/admin/evolutions/{id}") class="emjpm-formulaire">
                                <input type="hidden" name="retour" value="/admin/evolutions"/>
                                <div class="fr-input-group">
                                    <label class="fr-label" for=format!("titre-{id}")>"Titre"</label>
                                    <input class="fr-input" id=format!("titre-{id}") name="titre" value=e.titre.clone() required=true/>
                                </div>
                                <div class="fr-input-group">
                                    <label class="fr-label" for=format!("description-{id}")>"Description"</label>
                                    <textarea class="fr-input" id=format!("description-{id}") name="description" rows="3">{crate::layout::form::textarea_text(&e.description)}</textarea>
                                </div>
                                <div class="fr-select-group">
                                    <label class="fr-label" for=format!("statut-evolution-{id}")>"Statut"</label>
                                    <select class="fr-select" id=format!("statut-evolution-{id}") name="statut">
                                        {STATUTS_EVOLUTION.iter().map(|(code, label)| view! { <option value=*code selected=statut == *code>{*label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button class="fr-btn fr-btn--sm" type="submit">"Enregistrer"</button>
                            </form>
                        </details>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
