//! `/admin/comptes`: the administrators find any account (name or address,
//! role, active or not), deactivate or reactivate it, and move a judge or a
//! greffier (role magistrat ↔ greffier, tribunal, cabinet). Every act is
//! audited; deactivating closes the account's sessions at once; nobody
//! deactivates their own account.

use crate::errors::AppError;
use crate::layout::form::{Posted, SelectField, TextField};
use crate::layout::kit::Charge;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub use crate::rules::pagination::PAR_PAGE;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneCompte {
    pub id: i32,
    pub nom: String,
    pub email: String,
    pub role: String,
    pub rattachement: String,
    pub actif: bool,
    pub derniere_connexion: Option<String>,
    /// The caller's own account (not deactivable from here).
    pub moi: bool,
    /// A sign-up waiting for a decision (decided on `/admin/inscriptions`).
    pub inscription: bool,
    /// An administrator may sign in as this account (active, not an administrator).
    pub incarnable: bool,
    /// Signs in with a one-time code (an administrator may remove it).
    pub double_authentification: bool,
    /// For a magistrat or greffier: (role code, tribunal, cabinet), to move it.
    pub juridiction: Option<(String, i32, String)>,
    /// For a direction: (level, région, département, name), to move it.
    pub territoire: Option<(String, String, String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageComptes {
    pub total: u64,
    pub page: u64,
    pub comptes: Vec<LigneCompte>,
    /// Every tribunal (id, "Nom (département)") when the page shows a judge or greffier.
    pub tribunaux: Vec<(i32, String)>,
    /// Every région and département (code, name) when the page shows a direction.
    pub regions: Vec<(String, String)>,
    pub departements: Vec<(String, String)>,
}

/// Where an administrator moves a judge or a greffier.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeRattachement {
    /// `magistrat` or `greffier`.
    pub role: String,
    pub tribunal_id: Option<i32>,
    pub cabinet: Option<String>,
}

/// Where an administrator moves a direction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeTerritoire {
    pub kind: String,
    pub region_code: String,
    pub departement_code: String,
    pub structure: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct FiltresComptes {
    pub q: Option<String>,
    pub role: Option<String>,
    pub statut: Option<String>,
    pub page: Option<String>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "comptes_admin")]
pub async fn load_comptes(query: String) -> Result<PageComptes, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let filtres: FiltresComptes = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))?;
    let db = crate::state::app_state()?.db;
    super::comptes::list(&db, caller.user_id, &filtres).await.inspect_err(AppError::set_response_status)
}

const STATUTS: &[(&str, &str)] = &[("actif", "Actifs"), ("inactif", "Désactivés")];

#[component]
pub fn ComptesPage() -> impl IntoView {
    let query = use_query_map();
    let posted = Posted::from_query();
    let search = move || {
        let pairs: Vec<String> = query
            .read()
            .clone()
            .into_iter()
            .filter(|(k, v)| ["q", "role", "statut", "page"].contains(&&**k) && !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::layout::kit::urlencode(&v)))
            .collect();
        pairs.join("&")
    };
    let data = Resource::new(search, load_comptes);
    let fait = query.read_untracked().get("fait").map(|f| match f.as_str() {
        "reactive" => "Compte réactivé.",
        "double-authentification" => "Double authentification retirée : la personne se connecte avec son mot de passe seul et peut la réactiver dans Mon compte ; un administrateur la réactive à sa prochaine connexion.",
        "rattachement" => "Rôle et tribunal enregistrés : ils valent dès la prochaine page de la personne.",
        "territoire" => "Territoire enregistré : il vaut dès la prochaine page de la personne.",
        "incarnation" => "Vous êtes revenu à votre compte d'administrateur.",
        _ => "Compte désactivé : ses sessions sont fermées.",
    });
    use crate::rules::roles::Role;
    let roles: Vec<(String, String)> = Role::ALL.iter().map(|r| (r.as_str().to_string(), r.label().to_string())).collect();
    let statuts: Vec<(String, String)> = STATUTS.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect();
    view! {
        <Title text="Comptes - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <h1>"Comptes"</h1>
            {fait.map(|m| view! { <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>{m}</p></div> })}
            {posted.general_error().map(|m| view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert" id="erreurs"><p>{m}</p></div> })}
            <form method="get" action="/admin/comptes" class="fr-mb-3w">
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-5">
                        <TextField posted=posted.clone() name="q" label="Nom ou adresse électronique" input_type="search"
                            initial=query.read_untracked().get("q").unwrap_or_default()/>
                    </div>
                    <div class="fr-col-12 fr-col-md-4">
                        <SelectField posted=posted.clone() name="role" label="Rôle" options=roles empty="Tous les rôles"
                            initial=query.read_untracked().get("role").unwrap_or_default()/>
                    </div>
                    <div class="fr-col-12 fr-col-md-3">
                        <SelectField posted=posted.clone() name="statut" label="Statut" options=statuts empty="Tous"
                            initial=query.read_untracked().get("statut").unwrap_or_default()/>
                    </div>
                </div>
                <button class="fr-btn fr-mt-2w" type="submit">"Filtrer"</button>
            </form>
            <Charge data=data vue=move |page| view! { <ListeComptes page retour=format!("/admin/comptes?{}", search())/> }/>
        </div>
    }
}

#[component]
fn ListeComptes(page: PageComptes, retour: String) -> impl IntoView {
    let pages = crate::rules::pagination::nombre_de_pages(page.total);
    let tribunaux = page.tribunaux.clone();
    let regions = page.regions.clone();
    let departements = page.departements.clone();
    view! {
        <p role="status">{match page.total {
            0 => "Aucun compte ne correspond.".to_string(),
            1 => "1 compte".to_string(),
            n => format!("{} comptes — page {} sur {pages}", crate::rules::texte::format_count(n as i64), page.page),
        }}</p>
        <ul class="emjpm-mesures">
            {page.comptes.into_iter().map(|c| {
                let retour = retour.clone();
                let action = if c.actif { "desactiver" } else { "reactiver" };
                view! {
                    <li class="emjpm-mesure">
                        <p class="fr-mb-1v"><strong>{c.nom.clone()}</strong>" — "{c.email.clone()}
                            {match (c.inscription, c.actif) {
                                (true, _) => Some(view! { " " <span class="fr-badge fr-badge--sm fr-badge--new">"inscription à valider"</span> }.into_any()),
                                (false, false) => Some(view! { " " <span class="fr-badge fr-badge--sm fr-badge--warning">"désactivé"</span> }.into_any()),
                                (false, true) => None,
                            }}
                            {c.double_authentification.then(|| view! { " " <span class="fr-badge fr-badge--sm fr-badge--info">"double authentification"</span> })}
                        </p>
                        <p class="fr-text--sm fr-mb-1v">{c.role.clone()}{(!c.rattachement.is_empty()).then(|| format!(" — {}", c.rattachement))}
                            {format!(" — dernière connexion : {}", c.derniere_connexion.clone().unwrap_or_else(|| "jamais".into()))}</p>
                        {c.juridiction.clone().map(|(role, tribunal_id, cabinet)| {
                            let id = c.id;
                            view! {
                                <details class="fr-mb-1w">
                                    <summary>{format!("Changer le rôle ou le tribunal de {}", c.nom)}</summary>
                                    <form method="post" action=format!("/admin/comptes/{id}/rattachement") class="emjpm-formulaire">
                                        <input type="hidden" name="retour" value=retour.clone()/>
                                        <div class="fr-select-group">
                                            <label class="fr-label" for=format!("role-{id}")>"Rôle"</label>
                                            <select class="fr-select" id=format!("role-{id}") name="role">
                                                <option value="magistrat" selected=role == "magistrat">"Magistrat"</option>
                                                <option value="greffier" selected=role == "greffier">"Greffier"</option>
                                            </select>
                                        </div>
                                        <div class="fr-select-group">
                                            <label class="fr-label" for=format!("tribunal-{id}")>"Tribunal"</label>
                                            <select class="fr-select" id=format!("tribunal-{id}") name="tribunal_id">
                                                {tribunaux.iter().map(|(t, nom)| view! {
                                                    <option value=t.to_string() selected=*t == tribunal_id>{nom.clone()}</option>
                                                }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="fr-input-group">
                                            <label class="fr-label" for=format!("cabinet-{id}")>"Cabinet"</label>
                                            <input class="fr-input" id=format!("cabinet-{id}") name="cabinet" value=cabinet/>
                                        </div>
                                        <button class="fr-btn fr-btn--sm" type="submit">"Enregistrer"</button>
                                    </form>
                                </details>
                            }
                        })}
                        {c.inscription.then(|| view! {
                            <p class="fr-text--sm"><a href="/admin/inscriptions">"Décider de cette inscription"</a></p>
                        })}
                        {c.territoire.clone().map(|(niveau, region, departement, structure)| {
                            let id = c.id;
                            let options = |list: &Vec<(String, String)>, chosen: String| list.iter().map(|(code, nom)| {
                                let selected = *code == chosen;
                                view! { <option value=code.clone() selected=selected>{nom.clone()}</option> }
                            }).collect_view();
                            view! {
                                <details class="fr-mb-1w">
                                    <summary>{format!("Changer le territoire de {}", c.nom)}</summary>
                                    <form method="post" action=format!("/admin/comptes/{id}/territoire") class="emjpm-formulaire">
                                        <input type="hidden" name="retour" value=retour.clone()/>
                                        <div class="fr-select-group">
                                            <label class="fr-label" for=format!("niveau-{id}")>"Niveau"</label>
                                            <select class="fr-select" id=format!("niveau-{id}") name="direction_type">
                                                {crate::accounts::inscription::DIRECTIONS.iter().map(|(code, nom)| view! {
                                                    <option value=*code selected={*code == niveau}>{*nom}</option>
                                                }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="fr-select-group">
                                            <label class="fr-label" for=format!("departement-{id}")>"Département (direction départementale)"</label>
                                            <select class="fr-select" id=format!("departement-{id}") name="departement_code">
                                                <option value="">"Sans objet"</option>
                                                {options(&departements, departement)}
                                            </select>
                                        </div>
                                        <div class="fr-select-group">
                                            <label class="fr-label" for=format!("region-{id}")>"Région (direction régionale)"</label>
                                            <select class="fr-select" id=format!("region-{id}") name="region_code">
                                                <option value="">"Sans objet"</option>
                                                {options(&regions, region)}
                                            </select>
                                        </div>
                                        <div class="fr-input-group">
                                            <label class="fr-label" for=format!("structure-{id}")>"Nom de la direction"</label>
                                            <input class="fr-input" id=format!("structure-{id}") name="structure" value=structure/>
                                        </div>
                                        <button class="fr-btn fr-btn--sm" type="submit">"Enregistrer"</button>
                                    </form>
                                </details>
                            }
                        })}
                        {c.incarnable.then(|| {
                            let id = c.id;
                            view! {
                                <details class="fr-mb-1w">
                                    <summary>{format!("Se connecter en tant que {}", c.nom)}</summary>
                                    <form method="post" action=format!("/admin/comptes/{id}/incarner") class="emjpm-formulaire">
                                        <input type="hidden" name="retour" value=retour.clone()/>
                                        <div class="fr-input-group">
                                            <label class="fr-label" for=format!("motif-{id}")>"Motif (obligatoire)"
                                                <span class="fr-hint-text">"Journalisé ; la session dure 30 minutes et un bandeau le rappelle sur chaque page"</span></label>
                                            <input class="fr-input" id=format!("motif-{id}") name="motif" required=true/>
                                        </div>
                                        <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">{format!("Se connecter en tant que {}", c.nom)}</button>
                                    </form>
                                </details>
                            }
                        })}
                        {(c.double_authentification && !c.moi).then(|| view! {
                            <form method="post" action=format!("/admin/comptes/{}/double-authentification", c.id) class="fr-mb-1w">
                                <input type="hidden" name="retour" value=retour.clone()/>
                                <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                                    {format!("Réinitialiser la double authentification de {} (téléphone perdu)", c.nom)}
                                </button>
                            </form>
                        })}
                        {(!c.moi && !c.inscription).then(|| view! {
                            <form method="post" action=format!("/admin/comptes/{}/{action}", c.id)>
                                <input type="hidden" name="retour" value=retour/>
                                <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
                                    {if c.actif { format!("Désactiver le compte de {}", c.nom) } else { format!("Réactiver le compte de {}", c.nom) }}
                                </button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
