//! The measures a caller may see (server only): the filtered list, the filters' choices
//! and one measure's detail, scoped by the session.
use super::*;
use crate::accounts::guard::{Caller, Scope};
use crate::db::entities::{antennes, communes, gestionnaires, mesure_etats, mesure_evenements, mesures, tribunaux, users};
use crate::professionals::display_name;
use crate::rules::geo::nom_recherche;
use crate::rules::roles::Role;
use crate::search::index::town_names;
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeSet, HashMap};

impl TriMesures {
    /// A tribunal's lists start with its latest reservations; the others
    /// with what waits for an answer.
    pub fn default_for(caller: &Caller) -> TriMesures {
        match caller.scope {
            Scope::Tribunal { .. } => TriMesures::Recent,
            _ => TriMesures::Statut,
        }
    }
}

/// The condition restricting measures to what the caller may see.
pub fn scope_condition(caller: &Caller) -> Result<Condition, AppError> {
    Ok(match &caller.scope {
        Scope::Admin => Condition::all(),
        Scope::Gestionnaire { gestionnaire_id, .. } => Condition::all().add(mesures::Column::GestionnaireId.eq(*gestionnaire_id)),
        Scope::Tribunal { tribunal_id, .. } => Condition::all().add(mesures::Column::TribunalId.eq(*tribunal_id)),
        Scope::Territoire(_) => return Err(AppError::Interdit),
    })
}

pub async fn list(db: &impl ConnectionTrait, caller: &Caller, criteres: &CriteresMesures) -> Result<PageMesures, AppError> {
    caller.require(&Role::MESURES)?;
    let mut condition = scope_condition(caller)?;
    if let Some(statut) = &criteres.statut {
        condition = condition.add(mesures::Column::Statut.eq(statut.as_str()));
    }
    if let Some(nature) = &criteres.nature {
        condition = condition.add(mesures::Column::Nature.eq(nature.as_str()));
    }
    if let Some(antenne) = criteres.antenne {
        condition = condition.add(mesures::Column::AntenneId.eq(antenne));
    }
    if let Some(q) = &criteres.q {
        let rg = q.trim().to_uppercase().replace(['/', ' ', '-'], "");
        let town = nom_recherche(q);
        condition = condition.add(
            Condition::any().add(mesures::Column::NumeroRg.contains(&rg)).add(
                mesures::Column::CommuneCode.in_subquery(
                    Query::select()
                        .column(communes::Column::Code)
                        .from(communes::Entity)
                        .and_where(communes::Column::NomRecherche.starts_with(&town))
                        .to_owned(),
                ),
            ),
        );
    }
    if let Some(cabinet) = &criteres.cabinet {
        condition = condition.add(mesures::Column::Cabinet.eq(cabinet.as_str()));
    }
    if let Some(user) = criteres.reservee_par {
        condition = condition.add(mesures::Column::ReserveePar.eq(user));
    }
    if let Some(gestionnaire) = criteres.gestionnaire {
        condition = condition.add(mesures::Column::GestionnaireId.eq(gestionnaire));
    }
    if let Some(departement) = &criteres.departement {
        condition = condition.add(
            mesures::Column::CommuneCode.in_subquery(
                Query::select()
                    .column(communes::Column::Code)
                    .from(communes::Entity)
                    .and_where(communes::Column::DepartementCode.eq(departement.as_str()))
                    .to_owned(),
            ),
        );
    }
    // Days in Paris time: a reservation at 00:30 in Paris belongs to that day.
    if let Some(du) = criteres.du {
        condition = condition.add(mesures::Column::DateReservation.gte(crate::rules::heure::minuit_a_paris(du)));
    }
    if let Some(au) = criteres.au {
        condition = condition.add(mesures::Column::DateReservation.lt(crate::rules::heure::fin_du_jour_a_paris(au)));
    }
    let query = mesures::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let query = match criteres.tri.unwrap_or(TriMesures::default_for(caller)) {
        // en_attente < en_cours < eteinte: pending first, then in progress.
        TriMesures::Statut => query
            .order_by_asc(mesures::Column::Statut)
            .order_by_desc(mesures::Column::Urgent)
            .order_by_desc(mesures::Column::DateReservation),
        TriMesures::Recent => query.order_by_desc(Expr::expr(Func::coalesce([
            Expr::col(mesures::Column::DateReservation),
            Expr::col(mesures::Column::CreatedAt),
        ]))),
        TriMesures::Rg => query.order_by_asc(mesures::Column::NumeroRg),
    };
    let rows = query
        .order_by_desc(mesures::Column::Id)
        .offset(u64::from((criteres.page - 1) * criteres.par_page))
        .limit(u64::from(criteres.par_page))
        .all(db)
        .await?;
    Ok(PageMesures { total, page: criteres.page, par_page: criteres.par_page, resultats: with_names(db, rows).await? })
}

/// The choices of the caller's list filters (see [`ChoixFiltres`]).
pub async fn choices(db: &impl ConnectionTrait, caller: &Caller) -> Result<ChoixFiltres, AppError> {
    use crate::db::entities::{greffiers, magistrats};
    caller.require(&Role::MESURES)?;
    let mut choix = ChoixFiltres::default();
    match &caller.scope {
        Scope::Tribunal { tribunal_id, .. } => {
            let mut staff: Vec<i32> = magistrats::Entity::find()
                .select_only()
                .column(magistrats::Column::UserId)
                .filter(magistrats::Column::TribunalId.eq(*tribunal_id))
                .into_tuple()
                .all(db)
                .await?;
            staff.extend(
                greffiers::Entity::find()
                    .select_only()
                    .column(greffiers::Column::UserId)
                    .filter(greffiers::Column::TribunalId.eq(*tribunal_id))
                    .into_tuple::<i32>()
                    .all(db)
                    .await?,
            );
            choix.reservants = users::Entity::find()
                .filter(users::Column::Id.is_in(staff))
                .order_by_asc(users::Column::Nom)
                .order_by_asc(users::Column::Prenom)
                .all(db)
                .await?
                .into_iter()
                .map(|u| (u.id, format!("{} {}", u.prenom, u.nom)))
                .collect();
            let taken: Vec<i32> = mesures::Entity::find()
                .select_only()
                .column(mesures::Column::GestionnaireId)
                .distinct()
                .filter(mesures::Column::TribunalId.eq(*tribunal_id))
                .into_tuple()
                .all(db)
                .await?;
            let mut gestionnaires: Vec<(i32, String)> = gestionnaires::Entity::find()
                .filter(gestionnaires::Column::Id.is_in(taken))
                .all(db)
                .await?
                .into_iter()
                .map(|g| (g.id, display_name(&g.kind, &g.nom, g.prenom.as_deref())))
                .collect();
            gestionnaires.sort_by_key(|a| nom_recherche(&a.1));
            choix.gestionnaires = gestionnaires;
        }
        Scope::Gestionnaire { gestionnaire_id, .. } => {
            choix.antennes = antennes::Entity::find()
                .select_only()
                .columns([antennes::Column::Id, antennes::Column::Nom])
                .filter(antennes::Column::GestionnaireId.eq(*gestionnaire_id))
                .order_by_asc(antennes::Column::Nom)
                .into_tuple()
                .all(db)
                .await?;
        }
        _ => {}
    }
    Ok(choix)
}

/// One measure the caller may see, with its history.
pub async fn detail(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<DetailMesure, AppError> {
    let mesure = crate::measures::lifecycle::visible(db, caller, id).await?;
    let etats = mesure_etats::Entity::find()
        .filter(mesure_etats::Column::MesureId.eq(id))
        .order_by_desc(mesure_etats::Column::DateChangement)
        .order_by_desc(mesure_etats::Column::Id)
        .all(db)
        .await?;
    let codes: BTreeSet<String> = etats.iter().filter_map(|e| e.commune_code.clone()).collect();
    let towns = town_names(db, codes.into_iter().collect()).await?;
    let evenements = mesure_evenements::Entity::find()
        .filter(mesure_evenements::Column::MesureId.eq(id))
        .order_by_desc(mesure_evenements::Column::At)
        .order_by_desc(mesure_evenements::Column::Id)
        .all(db)
        .await?;
    let ligne = with_names(db, vec![mesure]).await?.pop().ok_or(AppError::Introuvable)?;
    Ok(DetailMesure {
        ligne,
        etats: etats
            .into_iter()
            .map(|e| EtatMesure {
                date_changement: e.date_changement.format("%Y-%m-%d").to_string(),
                nature: e.nature,
                champ: e.champ,
                lieu_vie: e.lieu_vie,
                type_etablissement: e.type_etablissement,
                ville: e.commune_code.as_ref().and_then(|c| towns.get(c).cloned()),
                commune: e.commune_code,
                pays: e.pays,
            })
            .collect(),
        evenements: evenements
            .into_iter()
            .map(|e| EvenementMesure { date: e.at.to_rfc3339(), action: e.action, details: e.details })
            .collect(),
    })
}

/// Adds the professionals', antennes', towns' and reservers' names, with one
/// query per kind of name for the whole page.
pub async fn with_names(db: &impl ConnectionTrait, rows: Vec<mesures::Model>) -> Result<Vec<LigneMesure>, AppError> {
    let ids = |f: &dyn Fn(&mesures::Model) -> Option<i32>| rows.iter().filter_map(f).collect::<BTreeSet<i32>>();
    let gestionnaire_ids = ids(&|m| Some(m.gestionnaire_id));
    let tribunal_ids = ids(&|m| Some(m.tribunal_id));
    let antenne_ids = ids(&|m| m.antenne_id);
    let user_ids = ids(&|m| m.reservee_par);
    let codes: BTreeSet<String> = rows.iter().filter_map(|m| m.commune_code.clone()).collect();
    let gestionnaires: HashMap<i32, String> = gestionnaires::Entity::find()
        .filter(gestionnaires::Column::Id.is_in(gestionnaire_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, display_name(&g.kind, &g.nom, g.prenom.as_deref())))
        .collect();
    let tribunaux: HashMap<i32, String> = tribunaux::Entity::find()
        .select_only()
        .columns([tribunaux::Column::Id, tribunaux::Column::Nom])
        .filter(tribunaux::Column::Id.is_in(tribunal_ids))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let antennes: HashMap<i32, String> = antennes::Entity::find()
        .select_only()
        .columns([antennes::Column::Id, antennes::Column::Nom])
        .filter(antennes::Column::Id.is_in(antenne_ids))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let towns = town_names(db, codes.into_iter().collect()).await?;
    let reservers: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(user_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} {}", u.prenom, u.nom)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|m| LigneMesure {
            gestionnaire: gestionnaires.get(&m.gestionnaire_id).cloned().unwrap_or_default(),
            tribunal: tribunaux.get(&m.tribunal_id).cloned().unwrap_or_default(),
            antenne: m.antenne_id.and_then(|id| antennes.get(&id).cloned()),
            ville: m.commune_code.as_ref().and_then(|c| towns.get(c).cloned()),
            reservee_par_nom: m.reservee_par.and_then(|id| reservers.get(&id).cloned()),
            mesure: m.into(),
        })
        .collect())
}
