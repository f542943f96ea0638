//! The figures of each role's home (server only): one function per page,
//! taking the caller, called by the page's server function.

use super::admin::{AccueilAdmin, ComptesParRole, CourrielEnEchec, TachePlanifiee, TachesAdmin};
use super::direction::AccueilDirection;
use super::mandataire::{AccueilMandataire, Capacite};
use super::tribunal::AccueilTribunal;
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use sea_orm::DatabaseConnection;

/// The figures of `tribunal`'s page (see `home::tribunal::AccueilTribunal`).
pub async fn accueil_tribunal(db: &DatabaseConnection, caller: &Caller) -> Result<AccueilTribunal, AppError> {
    use crate::accounts::guard::Scope;
    use crate::db::entities::{departements, gestionnaires, mesures, tribunaux};
    use crate::rules::{capacity::disponibles, roles::Role};
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};

    caller.require(&Role::TRIBUNAL)?;
    let Scope::Tribunal { tribunal_id, departement_code } = &caller.scope else {
        return Err(AppError::Interdit);
    };
    let tribunal_id = *tribunal_id;
    let tribunal = tribunaux::Entity::find_by_id(tribunal_id).one(db).await?.ok_or(AppError::Introuvable)?;
    let departement = departements::Entity::find_by_id(departement_code.clone())
        .one(db)
        .await?
        .map(|d| format!("{} ({})", d.nom, d.code))
        .unwrap_or_else(|| departement_code.clone());
    let capacities: Vec<(i32, i32, i32, bool)> = gestionnaires::Entity::find()
        .select_only()
        .columns([
            gestionnaires::Column::MesuresMax,
            gestionnaires::Column::EnCours,
            gestionnaires::Column::EnAttente,
            gestionnaires::Column::Suspendu,
        ])
        .filter(crate::territories::approvals::approved_in(std::slice::from_ref(departement_code)))
        .into_tuple()
        .all(db)
        .await?;
    let available: Vec<i32> = capacities
        .iter()
        .map(|&(max, en_cours, en_attente, suspendu)| disponibles(max, en_cours, en_attente, suspendu))
        .filter(|&places| places > 0)
        .collect();
    let mesures = crate::measures::counts::by_status(db, Condition::all().add(mesures::Column::TribunalId.eq(tribunal_id))).await?;
    Ok(AccueilTribunal {
        tribunal: tribunal.nom,
        departement,
        mandataires: capacities.len() as i64,
        mandataires_avec_places: available.len() as i64,
        places_disponibles: available.iter().map(|&p| i64::from(p)).sum(),
        mesures,
    })
}

/// The figures of `mandataire`'s page (see `home::mandataire::AccueilMandataire`).
pub async fn accueil_mandataire(db: &DatabaseConnection, caller: &Caller) -> Result<AccueilMandataire, AppError> {
    use crate::db::entities::{antennes, communes, gestionnaires};
    use crate::rules::{capacity::disponibles, roles::Role};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    caller.require(&Role::MANDATAIRES)?;
    let gestionnaire_id = caller.gestionnaire_id()?;
    let g = gestionnaires::Entity::find_by_id(gestionnaire_id).one(db).await?.ok_or(AppError::Introuvable)?;
    let town = |code: String| async move {
        Ok::<_, AppError>(communes::Entity::find_by_id(code.clone()).one(db).await?.map(|c| c.nom).unwrap_or(code))
    };
    let nom = crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref());
    let capacite = Capacite {
        nom,
        ville: town(g.commune_code.clone()).await?,
        mesures_max: g.mesures_max,
        en_cours: g.en_cours,
        en_attente: g.en_attente,
        disponibles: disponibles(g.mesures_max, g.en_cours, g.en_attente, g.suspendu),
    };
    let mut antennes_out = Vec::new();
    for a in antennes::Entity::find()
        .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
        .order_by_asc(antennes::Column::Nom)
        .all(db)
        .await?
    {
        antennes_out.push(Capacite {
            nom: a.nom,
            ville: town(a.commune_code).await?,
            mesures_max: a.mesures_max,
            en_cours: a.en_cours,
            en_attente: a.en_attente,
            disponibles: disponibles(a.mesures_max, a.en_cours, a.en_attente, g.suspendu),
        });
    }
    Ok(AccueilMandataire {
        kind: g.kind,
        capacite,
        suspendu: g.suspendu,
        motif_suspension: g.motif_suspension,
        jours_depuis_mise_a_jour: (chrono::Utc::now().fixed_offset() - g.derniere_mise_a_jour).num_days().max(0),
        modifiable: crate::professionals::capacite::may_edit(caller).is_ok(),
        antennes: antennes_out,
    })
}

/// The figures of `direction`'s page (see `home::direction::AccueilDirection`).
pub async fn accueil_direction(db: &DatabaseConnection, caller: &Caller) -> Result<AccueilDirection, AppError> {
    use crate::accounts::guard::Scope;
    use crate::db::entities::{directions, gestionnaires, tribunaux};
    use crate::rules::roles::Role;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

    caller.require(&[Role::Direction])?;
    // A direction's visit of its figures is its useful action (adoption funnel).
    crate::usage::record_quietly(db, caller, crate::usage::Action::VisiteChiffres).await;
    let Scope::Territoire(_) = &caller.scope else {
        return Err(AppError::Interdit);
    };
    let structure = directions::Entity::find_by_id(caller.user_id).one(db).await?.map(|d| d.structure).unwrap_or_default();
    // The territory's départements: the one rule, shared with the liste blanche and the journal.
    let (departements, _) = crate::territories::liste_blanche::territory(db, caller).await?;
    let label = crate::territories::liste_blanche::territoire_en_clair(db, caller, &departements).await?;
    let codes: Vec<String> = departements.into_iter().map(|d| d.code).collect();
    let rows: Vec<(String, i32, i32)> = gestionnaires::Entity::find()
        .select_only()
        .columns([gestionnaires::Column::Kind, gestionnaires::Column::EnCours, gestionnaires::Column::EnAttente])
        .filter(crate::territories::approvals::approved_in(&codes))
        .into_tuple()
        .all(db)
        .await?;
    let count_kind = |kind: &str| rows.iter().filter(|(k, _, _)| k == kind).count() as i64;
    let tribunaux = tribunaux::Entity::find().filter(tribunaux::Column::DepartementCode.is_in(codes.clone())).count(db).await? as i64;
    Ok(AccueilDirection {
        structure,
        territoire: label,
        departements: codes.len(),
        individuels: count_kind("individuel"),
        preposes: count_kind("prepose"),
        services: count_kind("service"),
        mesures_en_cours: rows.iter().map(|r| i64::from(r.1)).sum(),
        mesures_en_attente: rows.iter().map(|r| i64::from(r.2)).sum(),
        tribunaux,
    })
}

/// The figures of `admin`'s page (see `home::admin::AccueilAdmin`).
pub async fn accueil_admin(db: &DatabaseConnection, caller: &Caller) -> Result<AccueilAdmin, AppError> {
    use crate::db::entities::{gestionnaires, tribunaux, users};
    use crate::rules::roles::Role;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{Condition, EntityTrait, PaginatorTrait, QuerySelect};

    caller.require(&Role::ADMIN)?;
    let rows: Vec<(String, bool, i64)> = users::Entity::find()
        .select_only()
        .columns([users::Column::Role, users::Column::Active])
        .column_as(Expr::col(users::Column::Id).count(), "n")
        .group_by(users::Column::Role)
        .group_by(users::Column::Active)
        .into_tuple()
        .all(db)
        .await?;
    let comptes = Role::ALL
        .iter()
        .map(|role| {
            let count = |active: bool| rows.iter().filter(|(r, a, _)| r == role.as_str() && *a == active).map(|(_, _, n)| *n).sum();
            ComptesParRole { role: role.label().to_string(), actifs: count(true), inactifs: count(false) }
        })
        .collect();
    Ok(AccueilAdmin {
        comptes,
        gestionnaires: gestionnaires::Entity::find().count(db).await? as i64,
        tribunaux: tribunaux::Entity::find().count(db).await? as i64,
        mesures: crate::measures::counts::by_status(db, Condition::all()).await?,
        inscriptions: crate::accounts::inscription::pending_count(db).await?,
    })
}

/// The figures of `admin`'s page (see `home::admin::TachesAdmin`).
pub async fn taches_admin(db: &DatabaseConnection, caller: &Caller) -> Result<TachesAdmin, AppError> {
    use crate::db::entities::{courriels, jobs};
    use crate::rules::roles::Role;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

    caller.require(&Role::ADMIN)?;
    let moment = |d: chrono::DateTime<chrono::FixedOffset>| d.with_timezone(&chrono::Utc).format("%d/%m/%Y %H:%M:%S UTC").to_string();
    let taches: Vec<TachePlanifiee> = jobs::Entity::find()
        .order_by_asc(jobs::Column::Nom)
        .all(db)
        .await?
        .into_iter()
        .map(|j| TachePlanifiee {
            nom: j.nom,
            derniere_execution: j.derniere_execution.map(moment),
            resultat: j.dernier_resultat,
            succes: j.dernier_succes,
        })
        .collect();
    let pending = crate::notifications::waiting;
    let echecs = pending()
        .filter(courriels::Column::Tentatives.gt(0))
        .order_by_desc(courriels::Column::EnvoiApres)
        .limit(10)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CourrielEnEchec {
            id: c.id,
            tentatives: c.tentatives,
            derniere_erreur: c.derniere_erreur.unwrap_or_default(),
            prochain_essai: moment(c.envoi_apres),
        })
        .collect();
    let plus_ancien = pending().order_by_asc(courriels::Column::CreatedAt).one(db).await?;
    let plus_ancien_en_attente_minutes =
        plus_ancien.map(|c| (chrono::Utc::now() - c.created_at.with_timezone(&chrono::Utc)).num_minutes().max(0));
    let envoi_en_panne = taches
        .iter()
        .find(|t: &&TachePlanifiee| t.nom == crate::notifications::TACHE_ENVOI_COURRIELS && t.succes == Some(false))
        .map(|t| t.resultat.clone().unwrap_or_default());
    Ok(TachesAdmin {
        plus_ancien_en_attente_minutes,
        envoi_en_panne,
        taches,
        courriels_en_attente: pending().count(db).await? as i64,
        courriels_envoyes: courriels::Entity::find().filter(courriels::Column::EnvoyeAt.is_not_null()).count(db).await? as i64,
        courriels_en_echec: pending().filter(courriels::Column::Tentatives.gt(0)).count(db).await? as i64,
        echecs,
    })
}
