//! The audit log's search (server side): filters read, scope applied from
//! the caller, one page of events, and the reading itself audited.

use super::*;
use crate::accounts::guard::Caller;
use crate::audit::AuditEvent;
use crate::db::entities::{audit_events, users};
use crate::rules::heure::{a_paris, fin_du_jour_a_paris, jour_filtre, minuit_a_paris};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

fn text(value: &Option<String>, name: &str) -> Result<Option<String>, AppError> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() > 100 => Err(AppError::Invalide(format!("« {name} » : 100 caractères au plus."))),
        Some(v) => Ok(Some(v.replace(['%', '_'], ""))),
        None => Ok(None),
    }
}

/// Names of the events' targets, by (kind, id): "mesure RG 22/22795",
/// "compte de Anne Martin", the professional's or the antenne's name.
async fn target_names(
    db: &DatabaseConnection,
    rows: &[audit_events::Model],
    people: &HashMap<i32, users::Model>,
) -> Result<HashMap<(String, String), String>, AppError> {
    use crate::db::entities::{antennes, gestionnaires, mesures};
    let ids_of = |kind: &str| -> Vec<i64> {
        rows.iter().filter(|r| r.target_type.as_deref() == Some(kind)).filter_map(|r| r.target_id.as_deref()?.parse::<i64>().ok()).collect()
    };
    let mut names = HashMap::new();
    for (id, u) in people {
        names.insert(("user".to_string(), id.to_string()), format!("compte de {} {}", u.prenom, u.nom));
    }
    for m in mesures::Entity::find().filter(mesures::Column::Id.is_in(ids_of("mesure"))).all(db).await? {
        names.insert(("mesure".into(), m.id.to_string()), format!("mesure RG {}", crate::rules::rg::display_rg(&m.numero_rg)));
    }
    let small = |ids: Vec<i64>| ids.into_iter().filter_map(|id| i32::try_from(id).ok()).collect::<Vec<i32>>();
    for g in gestionnaires::Entity::find().filter(gestionnaires::Column::Id.is_in(small(ids_of("gestionnaire")))).all(db).await? {
        let nom = crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref());
        names.insert(("gestionnaire".into(), g.id.to_string()), nom);
    }
    for a in antennes::Entity::find().filter(antennes::Column::Id.is_in(small(ids_of("antenne")))).all(db).await? {
        names.insert(("antenne".into(), a.id.to_string()), a.nom);
    }
    Ok(names)
}

/// The events whose target lies in a direction's territory.
async fn in_territory(db: &DatabaseConnection, caller: &Caller) -> Result<Condition, AppError> {
    use crate::db::entities::{antennes, gestionnaire_membres, gestionnaires, greffiers, liste_blanche, magistrats, mesures, tribunaux};
    use sea_orm::sea_query::{Alias, SelectStatement};
    let (territoire, _) = crate::territories::liste_blanche::territory(db, caller).await?;
    let codes: Vec<String> = territoire.iter().map(|d| d.code.clone()).collect();
    let tribunaux_ici = Query::select()
        .column(tribunaux::Column::Id)
        .from(tribunaux::Entity)
        .and_where(tribunaux::Column::DepartementCode.is_in(codes.clone()))
        .to_owned();
    let gestionnaires_ici = Query::select()
        .column(gestionnaires::Column::Id)
        .from(gestionnaires::Entity)
        .cond_where(crate::territories::approvals::approved_in(&codes))
        .to_owned();
    // Targets are stored as text: compare with the ids cast to text.
    let as_text = |table: &str, column: &str, mut select: SelectStatement| {
        select.clear_selects();
        select.expr(Expr::col((Alias::new(table), Alias::new(column))).cast_as(Alias::new("TEXT")));
        select
    };
    let of = |kind: &str, ids: SelectStatement| {
        Condition::all().add(audit_events::Column::TargetType.eq(kind)).add(audit_events::Column::TargetId.in_subquery(ids))
    };
    let mesures_ici = as_text(
        "mesures",
        "id",
        Query::select().from(mesures::Entity).and_where(mesures::Column::TribunalId.in_subquery(tribunaux_ici.clone())).to_owned(),
    );
    let gestionnaires_texte = as_text(
        "gestionnaires",
        "id",
        Query::select().from(gestionnaires::Entity).cond_where(crate::territories::approvals::approved_in(&codes)).to_owned(),
    );
    let entrees_ici = as_text(
        "liste_blanche",
        "id",
        Query::select().from(liste_blanche::Entity).cond_where(crate::territories::approvals::entries_in(&codes)).to_owned(),
    );
    let antennes_ici = as_text(
        "antennes",
        "id",
        Query::select().from(antennes::Entity).and_where(antennes::Column::DepartementCode.is_in(codes.clone())).to_owned(),
    );
    let comptes = |table: &str, select: SelectStatement| of("user", as_text(table, "user_id", select));
    let national = matches!(caller.scope, crate::accounts::guard::Scope::Territoire(crate::accounts::guard::Territoire::National));
    let mut condition = Condition::any()
        .add(of("mesure", mesures_ici))
        .add(of("gestionnaire", gestionnaires_texte))
        .add(of("liste_blanche", entrees_ici))
        .add(of("antenne", antennes_ici))
        .add(comptes(
            "magistrats",
            Query::select()
                .from(magistrats::Entity)
                .and_where(magistrats::Column::TribunalId.in_subquery(tribunaux_ici.clone()))
                .to_owned(),
        ))
        .add(comptes(
            "greffiers",
            Query::select().from(greffiers::Entity).and_where(greffiers::Column::TribunalId.in_subquery(tribunaux_ici)).to_owned(),
        ))
        .add(comptes(
            "gestionnaire_membres",
            Query::select()
                .from(gestionnaire_membres::Entity)
                .and_where(gestionnaire_membres::Column::GestionnaireId.in_subquery(gestionnaires_ici))
                .to_owned(),
        ));
    // (Other directions' agents are not the territory's business.)
    if national {
        condition = Condition::any().add(condition).add(audit_events::Column::TargetType.is_not_null());
    }
    Ok(condition)
}

pub async fn search(db: &DatabaseConnection, caller: &Caller, filtres: &FiltresJournal) -> Result<PageJournal, AppError> {
    caller.require(&[crate::rules::roles::Role::Admin, crate::rules::roles::Role::Direction])?;
    let mut condition = Condition::all();
    let direction = caller.role == crate::rules::roles::Role::Direction;
    if direction {
        condition = condition.add(in_territory(db, caller).await?).add(
            ACTIONS_DES_DIRECTIONS.iter().fold(Condition::any(), |any, prefix| any.add(audit_events::Column::Action.starts_with(*prefix))),
        );
    }
    if let Some(acteur) = text(&filtres.acteur, "acteur")? {
        let columns = [users::Column::Email, users::Column::Nom, users::Column::Prenom];
        condition = condition.add(
            audit_events::Column::ActorUserId.in_subquery(
                Query::select()
                    .column(users::Column::Id)
                    .from(users::Entity)
                    .cond_where(crate::db::chaque_mot_dans(&acteur, &columns))
                    .to_owned(),
            ),
        );
    }
    if let Some(action) = text(&filtres.action, "action")? {
        condition = condition.add(audit_events::Column::Action.starts_with(action.as_str()));
    }
    if let Some(cible) = text(&filtres.cible, "cible")? {
        condition = condition.add(audit_events::Column::TargetType.eq(cible.as_str()));
    }
    if let Some(id) = text(&filtres.cible_id, "cible_id")? {
        condition = condition.add(audit_events::Column::TargetId.eq(id.as_str()));
    }
    if let Some(ip) = text(&filtres.ip, "ip")? {
        if direction {
            return Err(AppError::Invalide("Les adresses IP ne sont pas consultables par les directions.".into()));
        }
        condition = condition.add(audit_events::Column::Ip.starts_with(ip.as_str()));
    }
    if let Some(du) = jour_filtre(filtres.du.as_deref(), "du")? {
        condition = condition.add(audit_events::Column::At.gte(minuit_a_paris(du)));
    }
    if let Some(au) = jour_filtre(filtres.au.as_deref(), "au")? {
        condition = condition.add(audit_events::Column::At.lt(fin_du_jour_a_paris(au)));
    }
    let page = crate::rules::pagination::page_demandee(filtres.page.as_deref());
    let query = audit_events::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(audit_events::Column::At)
        .order_by_desc(audit_events::Column::Id)
        .offset((page - 1) * PAR_PAGE)
        .limit(PAR_PAGE)
        .all(db)
        .await?;
    // Targeted accounts are named too ("compte de Anne Martin", not "user 14").
    let target_users =
        rows.iter().filter(|r| r.target_type.as_deref() == Some("user")).filter_map(|r| r.target_id.as_deref()?.parse::<i32>().ok());
    let ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_user_id).chain(target_users).collect();
    let people: HashMap<i32, users::Model> =
        users::Entity::find().filter(users::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|u| (u.id, u)).collect();
    let names: HashMap<i32, String> = people.iter().map(|(id, u)| (*id, format!("{} {} <{}>", u.prenom, u.nom, u.email))).collect();
    let cibles = target_names(db, &rows, &people).await?;
    let lignes = rows
        .into_iter()
        .map(|r| LigneJournal {
            quand: a_paris(&r.at).format("%d/%m/%Y %H:%M:%S").to_string(),
            acteur: match r.actor_user_id {
                Some(id) => names.get(&id).cloned().unwrap_or_else(|| format!("compte {id}")),
                None => "système".into(),
            },
            role: r.role,
            action: action_en_clair(&r.action),
            cible: r.target_type.as_ref().map(|t| {
                let id = r.target_id.clone().unwrap_or_default();
                cibles.get(&(t.clone(), id.clone())).cloned().unwrap_or_else(|| format!("{t} {id}"))
            }),
            resume: r.summary,
            // IP addresses are for the administrators only.
            ip: if direction { None } else { r.ip },
        })
        .collect();
    // Reading the log is an act on personal data too.
    AuditEvent::by(caller, "journal.consultation")
        .summary(format!("{}, page {page}", crate::rules::texte::compte(total as i64, "événement", "événements")))
        .record(db)
        .await;
    Ok(PageJournal { total, page, lignes })
}
