//! The administrators' service on accounts (server only): the filtered list,
//! deactivation and reactivation (sessions closed at once), a direction's
//! territory, a judge's or greffier's role, tribunal and cabinet. Every change
//! is audited; nobody deactivates their own account.

use super::admin_comptes::{FiltresComptes, LigneCompte, PageComptes, PAR_PAGE};
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
    let page = crate::rules::pagination::page_demandee(filtres.page.as_deref());
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
    demande: &super::admin_comptes::DemandeRattachement,
    ip: Option<String>,
) -> Result<(), AppError> {
    caller.require(&Role::ADMIN)?;
    let user = users::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Introuvable)?;
    let before = match (magistrats::Entity::find_by_id(id).one(db).await?, greffiers::Entity::find_by_id(id).one(db).await?) {
        (Some(m), _) => ("magistrat", m.tribunal_id, m.cabinet),
        (None, Some(g)) => ("greffier", g.tribunal_id, g.cabinet),
        (None, None) => return Err(AppError::Conflit("Seuls les magistrats et les greffiers changent de rôle ou de tribunal ici.".into())),
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
    demande: &super::admin_comptes::DemandeTerritoire,
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
