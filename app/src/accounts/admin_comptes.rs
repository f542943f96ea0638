//! `/admin/comptes`: the administrators find any account (name or address,
//! role, active or not), deactivate or reactivate it, and move a judge or a
//! greffier (role magistrat ↔ greffier, tribunal, cabinet). Every act is
//! audited; deactivating closes the account's sessions at once; nobody
//! deactivates their own account.

use crate::errors::AppError;
use crate::layout::form::{Posted, SelectField, TextField};
use crate::layout::kit::ErrorAlert;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub const PAR_PAGE: u64 = 50;

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
    server::list(&db, caller.user_id, &filtres).await.inspect_err(AppError::set_response_status)
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::{FiltresComptes, LigneCompte, PageComptes, PAR_PAGE};
    use crate::accounts::guard::Caller;
    use crate::audit::AuditEvent;
    use crate::db::entities::{directions, gestionnaire_membres, gestionnaires, greffiers, magistrats, sessions, tribunaux, users};
    use crate::errors::AppError;
    use crate::rules::roles::Role;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
    use std::collections::HashMap;

    pub async fn list(db: &DatabaseConnection, me: i32, filtres: &FiltresComptes) -> Result<PageComptes, AppError> {
        let mut query = users::Entity::find();
        if let Some(q) = filtres.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            if q.chars().count() > 100 {
                return Err(AppError::Invalide("Recherche de 100 caractères au plus.".into()));
            }
            // Each word in the address, the first name or the name: "anne françois".
            query = query.filter(crate::db::chaque_mot_dans(q, &[users::Column::Email, users::Column::Nom, users::Column::Prenom]));
        }
        if let Some(role) = filtres.role.as_deref().filter(|r| !r.is_empty()) {
            let role = Role::parse(role).ok_or_else(|| AppError::Invalide(format!("Rôle inconnu : « {role} ».")))?;
            query = query.filter(users::Column::Role.eq(role.as_str()));
        }
        match filtres.statut.as_deref().unwrap_or_default() {
            "" => {}
            "actif" => query = query.filter(users::Column::Active.eq(true)),
            "inactif" => query = query.filter(users::Column::Active.eq(false)),
            other => return Err(AppError::Invalide(format!("Statut inconnu : « {other} »."))),
        }
        let page = filtres.page.as_deref().and_then(|p| p.parse::<u64>().ok()).unwrap_or(1).clamp(1, 1_000_000);
        let total = query.clone().count(db).await?;
        let rows = query
            .order_by_asc(users::Column::Nom)
            .order_by_asc(users::Column::Prenom)
            .order_by_asc(users::Column::Id)
            .offset((page - 1) * PAR_PAGE)
            .limit(PAR_PAGE)
            .all(db)
            .await?;
        let ids: Vec<i32> = rows.iter().map(|u| u.id).collect();
        let rattachements = attachments(db, &ids).await?;
        let waiting: Vec<i32> = crate::db::entities::inscriptions::Entity::find()
            .filter(crate::db::entities::inscriptions::Column::UserId.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|i| i.user_id)
            .collect();
        let mut juridictions: HashMap<i32, (String, i32, String)> = HashMap::new();
        for m in magistrats::Entity::find().filter(magistrats::Column::UserId.is_in(ids.clone())).all(db).await? {
            juridictions.insert(m.user_id, ("magistrat".into(), m.tribunal_id, m.cabinet.unwrap_or_default()));
        }
        for g in greffiers::Entity::find().filter(greffiers::Column::UserId.is_in(ids.clone())).all(db).await? {
            juridictions.insert(g.user_id, ("greffier".into(), g.tribunal_id, g.cabinet.unwrap_or_default()));
        }
        let mut territoires: HashMap<i32, (String, String, String, String)> = HashMap::new();
        for d in directions::Entity::find().filter(directions::Column::UserId.is_in(ids.clone())).all(db).await? {
            territoires.insert(d.user_id, (d.kind, d.region_code.unwrap_or_default(), d.departement_code.unwrap_or_default(), d.structure));
        }
        let (regions, departements) = if territoires.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            let choix = crate::accounts::inscription::choices(db, Some(Role::Direction)).await?;
            (choix.regions, choix.departements)
        };
        let tribunaux = if juridictions.is_empty() {
            Vec::new()
        } else {
            tribunaux::Entity::find()
                .order_by_asc(tribunaux::Column::DepartementCode)
                .order_by_asc(tribunaux::Column::Nom)
                .all(db)
                .await?
                .into_iter()
                .map(|t| (t.id, format!("{} ({})", t.nom, t.departement_code)))
                .collect()
        };
        let comptes = rows
            .into_iter()
            .map(|u| LigneCompte {
                id: u.id,
                nom: format!("{} {}", u.prenom, u.nom),
                rattachement: rattachements.get(&u.id).cloned().unwrap_or_default(),
                incarnable: u.active && u.role != Role::Admin.as_str() && u.id != me,
                double_authentification: u.totp_actif,
                role: Role::parse(&u.role).map(|r| r.label().to_string()).unwrap_or(u.role),
                email: u.email,
                actif: u.active,
                derniere_connexion: u.last_login_at.map(|d| d.format("%d/%m/%Y").to_string()),
                moi: u.id == me,
                inscription: waiting.contains(&u.id),
                juridiction: juridictions.remove(&u.id),
                territoire: territoires.remove(&u.id),
            })
            .collect();
        Ok(PageComptes { total, page, comptes, tribunaux, regions, departements })
    }

    /// Tribunal, professional or territory of each account, in five queries.
    async fn attachments(db: &DatabaseConnection, ids: &[i32]) -> Result<HashMap<i32, String>, AppError> {
        let mut out = HashMap::new();
        let mut juges: Vec<(i32, i32)> = magistrats::Entity::find()
            .filter(magistrats::Column::UserId.is_in(ids.to_vec()))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.user_id, m.tribunal_id))
            .collect();
        juges.extend(
            greffiers::Entity::find()
                .filter(greffiers::Column::UserId.is_in(ids.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|g| (g.user_id, g.tribunal_id)),
        );
        // Only the tribunaux of this page's judges and greffiers.
        let tribunal_names: HashMap<i32, String> = tribunaux::Entity::find()
            .filter(tribunaux::Column::Id.is_in(juges.iter().map(|(_, t)| *t).collect::<Vec<_>>()))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.nom))
            .collect();
        for (user_id, tribunal_id) in juges {
            out.insert(user_id, tribunal_names.get(&tribunal_id).cloned().unwrap_or_default());
        }
        let membres = gestionnaire_membres::Entity::find()
            .filter(gestionnaire_membres::Column::UserId.is_in(ids.to_vec()))
            .find_also_related(gestionnaires::Entity)
            .all(db)
            .await?;
        for (membre, gestionnaire) in membres {
            if let Some(g) = gestionnaire {
                out.insert(membre.user_id, crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref()));
            }
        }
        for d in directions::Entity::find().filter(directions::Column::UserId.is_in(ids.to_vec())).all(db).await? {
            out.insert(d.user_id, d.structure);
        }
        Ok(out)
    }

    /// Moves a judge or a greffier: its role (one or the other), its tribunal
    /// and cabinet, in one transaction, audited with before and after. Its
    /// next request already has the new scope (read from the session each time).
    pub async fn set_tribunal(
        db: &DatabaseConnection,
        caller: &Caller,
        id: i32,
        demande: &super::DemandeRattachement,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        caller.require(&Role::ADMIN)?;
        let user = users::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Introuvable)?;
        let before = match (magistrats::Entity::find_by_id(id).one(db).await?, greffiers::Entity::find_by_id(id).one(db).await?) {
            (Some(m), _) => ("magistrat", m.tribunal_id, m.cabinet),
            (None, Some(g)) => ("greffier", g.tribunal_id, g.cabinet),
            (None, None) => {
                return Err(AppError::Conflit("Seuls les magistrats et les greffiers changent de rôle ou de tribunal ici.".into()))
            }
        };
        let mut errors: Vec<(String, String)> = Vec::new();
        let role = match demande.role.as_str() {
            "magistrat" | "greffier" => demande.role.clone(),
            _ => {
                errors.push(("role".into(), "Choisissez magistrat ou greffier.".into()));
                String::new()
            }
        };
        let cabinet = demande.cabinet.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        if cabinet.as_ref().is_some_and(|c| c.chars().count() > crate::measures::reservation::CABINET_MAX) {
            errors.push(("cabinet".into(), "Le cabinet compte au plus 32 caractères.".into()));
        }
        let tribunal = match demande.tribunal_id {
            Some(t) => tribunaux::Entity::find_by_id(t).one(db).await?,
            None => None,
        };
        if tribunal.is_none() {
            errors.push(("tribunal_id".into(), "Choisissez le tribunal dans la liste.".into()));
        }
        let Some(tribunal) = tribunal.filter(|_| errors.is_empty()) else {
            return Err(AppError::Champs(errors));
        };
        let tx = crate::db::begin(db).await?;
        magistrats::Entity::delete_by_id(id).exec(&tx).await?;
        greffiers::Entity::delete_by_id(id).exec(&tx).await?;
        if role == "magistrat" {
            sea_orm::ActiveModelTrait::insert(
                magistrats::ActiveModel {
                    user_id: sea_orm::Set(id),
                    tribunal_id: sea_orm::Set(tribunal.id),
                    cabinet: sea_orm::Set(cabinet.clone()),
                },
                &tx,
            )
            .await?;
        } else {
            sea_orm::ActiveModelTrait::insert(
                greffiers::ActiveModel {
                    user_id: sea_orm::Set(id),
                    tribunal_id: sea_orm::Set(tribunal.id),
                    cabinet: sea_orm::Set(cabinet.clone()),
                },
                &tx,
            )
            .await?;
        }
        users::Entity::update_many()
            .col_expr(users::Column::Role, Expr::value(role.clone()))
            .col_expr(users::Column::UpdatedAt, Expr::value(chrono::Utc::now().fixed_offset()))
            .filter(users::Column::Id.eq(id))
            .exec(&tx)
            .await?;
        AuditEvent::by(caller, "compte_rattachement")
            .target("user", id)
            .summary(format!(
                "{} : {} du tribunal {} (cabinet {}) → {role} du tribunal {} (cabinet {})",
                user.email,
                before.0,
                before.1,
                before.2.unwrap_or_else(|| "-".into()),
                tribunal.id,
                cabinet.unwrap_or_else(|| "-".into())
            ))
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a direction: its level, territory and name, in one statement,
    /// audited with before and after; its next request has the new scope.
    pub async fn set_territory(
        db: &DatabaseConnection,
        caller: &Caller,
        id: i32,
        demande: &super::DemandeTerritoire,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        caller.require(&Role::ADMIN)?;
        users::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Introuvable)?;
        let Some(before) = directions::Entity::find_by_id(id).one(db).await? else {
            return Err(AppError::Conflit("Seules les directions ont un territoire.".into()));
        };
        let detail = crate::accounts::inscription::territoire_direction(
            &demande.kind,
            &demande.region_code,
            &demande.departement_code,
            &demande.structure,
        )
        .map_err(AppError::Champs)?;
        crate::accounts::inscription::territory_exists(db, &detail).await?;
        let crate::accounts::inscription::Detail::Direction { kind, region_code, departement_code, structure } = detail else {
            return Err(AppError::interne("territoire attendu"));
        };
        let tx = crate::db::begin(db).await?;
        directions::Entity::update_many()
            .col_expr(directions::Column::Kind, Expr::value(kind.clone()))
            .col_expr(directions::Column::RegionCode, Expr::value(region_code.clone()))
            .col_expr(directions::Column::DepartementCode, Expr::value(departement_code.clone()))
            .col_expr(directions::Column::Structure, Expr::value(structure.clone()))
            .filter(directions::Column::UserId.eq(id))
            .exec(&tx)
            .await?;
        let show = |kind: &str, r: Option<&str>, d: Option<&str>, s: &str| format!("{s} ({kind} {})", r.or(d).unwrap_or("France"));
        AuditEvent::by(caller, "compte_territoire")
            .target("user", id)
            .summary(format!(
                "{} → {}",
                show(&before.kind, before.region_code.as_deref(), before.departement_code.as_deref(), &before.structure),
                show(&kind, region_code.as_deref(), departement_code.as_deref(), &structure)
            ))
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(())
    }

    /// Activates or deactivates an account (never one's own); closes its
    /// sessions when deactivating. Returns false when nothing changed.
    pub async fn set_active(db: &DatabaseConnection, caller: &Caller, id: i32, active: bool, ip: Option<String>) -> Result<(), AppError> {
        caller.require(&Role::ADMIN)?;
        if id == caller.user_id {
            return Err(AppError::Conflit("Vous ne pouvez pas désactiver votre propre compte.".into()));
        }
        if crate::accounts::inscription::is_pending(db, id).await? {
            return Err(AppError::Conflit(
                "Ce compte est une inscription en attente : validez-la ou refusez-la depuis « Inscriptions ».".into(),
            ));
        }
        let tx = crate::db::begin(db).await?;
        let changed = users::Entity::update_many()
            .col_expr(users::Column::Active, Expr::value(active))
            .col_expr(users::Column::UpdatedAt, Expr::value(chrono::Utc::now().fixed_offset()))
            .filter(users::Column::Id.eq(id))
            .filter(users::Column::Active.eq(!active))
            .exec(&tx)
            .await?;
        if changed.rows_affected == 0 {
            let exists = users::Entity::find_by_id(id).one(&tx).await?.is_some();
            return Err(if exists {
                AppError::Conflit(if active { "Ce compte est déjà actif." } else { "Ce compte est déjà désactivé." }.into())
            } else {
                AppError::Introuvable
            });
        }
        if !active {
            sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(id)).exec(&tx).await?;
        }
        AuditEvent::by(caller, if active { "compte_reactive" } else { "compte_desactive" })
            .target("user", id)
            .summary(if active { "inactif → actif" } else { "actif → inactif, sessions fermées" })
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(())
    }
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
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <ListeComptes page retour=format!("/admin/comptes?{}", search())/> }.into_any(),
                        Err(error) => view! { <ErrorAlert error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn ListeComptes(page: PageComptes, retour: String) -> impl IntoView {
    let pages = page.total.div_ceil(PAR_PAGE).max(1);
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
