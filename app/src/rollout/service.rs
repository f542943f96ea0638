//! The rollout service (administrators): every département's state with its
//! funnel, one département's page, and a change of state, audited.

use super::{DemandeDeploiement, DepartementDeploiement, FicheDepartement, ETATS};
use crate::accounts::guard::Caller;
use crate::adoption::{self, Perimetre};
use crate::audit::AuditEvent;
use crate::db::entities::{departements, deploiements, regions};
use crate::errors::AppError;
use crate::rules::roles::Role;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, Statement};
use std::collections::HashMap;

fn jour(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Every département, in code order, with its rollout and funnel: three queries.
#[tracing::instrument(skip_all, err)]
pub async fn list(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<DepartementDeploiement>, AppError> {
    caller.require(&Role::ADMIN)?;
    let regions: HashMap<String, String> = regions::Entity::find().all(db).await?.into_iter().map(|r| (r.code, r.nom)).collect();
    let etats: HashMap<String, deploiements::Model> =
        deploiements::Entity::find().all(db).await?.into_iter().map(|d| (d.departement_code.clone(), d)).collect();
    let entonnoirs = adoption::par_departement(db, &Perimetre::default()).await?;
    Ok(departements::Entity::find()
        .order_by_asc(departements::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            let etat = etats.get(&d.code);
            DepartementDeploiement {
                region: regions.get(&d.region_code).cloned().unwrap_or_default(),
                etat: etat.map_or("non_ouvert".to_string(), |e| e.etat.clone()),
                vague: etat.and_then(|e| e.vague.clone()),
                date_prevue: jour(etat.and_then(|e| e.date_prevue)),
                date_ouverture: jour(etat.and_then(|e| e.date_ouverture)),
                entonnoir: entonnoirs.get(&Some(d.code.clone())).copied().unwrap_or_default().etapes(),
                code: d.code,
                nom: d.nom,
            }
        })
        .collect())
}

/// One département's page: its rollout and funnel, tribunals, approved
/// professionals and waiting sign-ups.
#[tracing::instrument(skip_all, err)]
pub async fn fiche(db: &DatabaseConnection, caller: &Caller, code: &str) -> Result<FicheDepartement, AppError> {
    caller.require(&Role::ADMIN)?;
    let d = departements::Entity::find_by_id(code.to_string()).one(db).await?.ok_or(AppError::Introuvable)?;
    let region = regions::Entity::find_by_id(d.region_code.clone()).one(db).await?.map(|r| r.nom).unwrap_or_default();
    let etat = deploiements::Entity::find_by_id(code.to_string()).one(db).await?;
    // Its funnel and weekly cohorts, as its direction reads them.
    let filtres = adoption::FiltresAdoption { territoire: Some(code.to_string()), ..Default::default() };
    let adoption = adoption::funnel(db, caller, &filtres).await?;
    let backend = db.get_database_backend();
    let p1 = crate::db::parametre(backend, 1);
    let rows = |sql: String| db.query_all_raw(Statement::from_sql_and_values(backend, sql, [code.into()]));
    let tribunaux = rows(format!(
        "SELECT t.nom, (SELECT COUNT(*) FROM magistrats m WHERE m.tribunal_id = t.id) + (SELECT COUNT(*) FROM greffiers g WHERE g.tribunal_id = t.id) AS comptes \
         FROM tribunaux t WHERE t.departement_code = {p1} ORDER BY t.nom"
    ))
    .await?
    .into_iter()
    .map(|r| Ok((r.try_get::<String>("", "nom")?, r.try_get::<i64>("", "comptes")?)))
    .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let professionnels = rows(format!(
        "SELECT g.id, g.type AS kind, g.nom, g.prenom FROM gestionnaires g \
         JOIN liste_blanche_departements l ON l.liste_blanche_id = g.liste_blanche_id \
         WHERE l.departement_code = {p1} ORDER BY g.nom, g.id"
    ))
    .await?
    .into_iter()
    .map(|r| {
        let kind: String = r.try_get("", "kind")?;
        let nom = crate::professionals::display_name(
            &kind,
            &r.try_get::<String>("", "nom")?,
            r.try_get::<Option<String>>("", "prenom")?.as_deref(),
        );
        let libelle = crate::rules::vocabulary::label(&crate::rules::vocabulary::TYPES_GESTIONNAIRE, &kind).unwrap_or("").to_string();
        Ok((r.try_get::<i32>("", "id")?, nom, libelle))
    })
    .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let inscriptions = rows(format!(
        "WITH c AS ({}) SELECT c.prenom, c.nom, c.role, i.created_at FROM inscriptions i JOIN c ON c.id = i.user_id \
         WHERE c.departement = {p1} ORDER BY i.created_at",
        adoption::COMPTES
    ))
    .await?
    .into_iter()
    .map(|r| {
        let role = Role::parse(&r.try_get::<String>("", "role")?).map(|r| r.label().to_string()).unwrap_or_default();
        let depuis: chrono::DateTime<chrono::FixedOffset> = r.try_get("", "created_at")?;
        Ok((
            format!("{} {}", r.try_get::<String>("", "prenom")?, r.try_get::<String>("", "nom")?),
            role,
            depuis.format("%d/%m/%Y").to_string(),
        ))
    })
    .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let mut vagues: Vec<String> = deploiements::Entity::find().all(db).await?.into_iter().filter_map(|d| d.vague).collect();
    vagues.sort();
    vagues.dedup();
    Ok(FicheDepartement {
        departement: DepartementDeploiement {
            code: d.code,
            nom: d.nom,
            region,
            etat: etat.as_ref().map_or("non_ouvert".to_string(), |e| e.etat.clone()),
            vague: etat.as_ref().and_then(|e| e.vague.clone()),
            date_prevue: jour(etat.as_ref().and_then(|e| e.date_prevue)),
            date_ouverture: jour(etat.as_ref().and_then(|e| e.date_ouverture)),
            entonnoir: adoption.etapes,
        },
        cohortes: adoption.cohortes,
        tribunaux,
        professionnels,
        validation_groupee: matches!(etat.as_ref().map(|e| e.etat.as_str()), Some("pilote" | "ouvert")),
        inscriptions,
        vagues,
    })
}

/// Whether the team uses the rollout: some département is in pilot or open.
pub async fn rollout_used(db: &impl ConnectionTrait) -> Result<bool, AppError> {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    Ok(deploiements::Entity::find().filter(deploiements::Column::Etat.is_in(["pilote", "ouvert"])).count(db).await? > 0)
}

/// What a validation in bulk did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidationGroupee {
    pub validees: u64,
    /// Left to the team: an individuel or préposé with no plain liste
    /// blanche entry (none, or several), or decided meanwhile.
    pub laissees: u64,
}

/// Validates in one action the waiting sign-ups of a département once it is
/// in pilot or open (administrators): each as `/admin/inscriptions` would —
/// an individuel or préposé linked to its one plain liste blanche entry
/// (same SIRET, address or établissement), or left to the team.
#[tracing::instrument(skip_all, err)]
pub async fn valider_inscriptions(
    db: &DatabaseConnection,
    caller: &Caller,
    code: &str,
    base_url: &str,
    ip: Option<String>,
) -> Result<ValidationGroupee, AppError> {
    caller.require(&Role::ADMIN)?;
    departements::Entity::find_by_id(code.to_string()).one(db).await?.ok_or(AppError::Introuvable)?;
    let etat = deploiements::Entity::find_by_id(code.to_string()).one(db).await?.map(|e| e.etat);
    if !matches!(etat.as_deref(), Some("pilote" | "ouvert")) {
        return Err(AppError::Conflit(
            "Ouvrez d'abord le département (pilote ou ouvert) : ses inscriptions attendent son ouverture.".into(),
        ));
    }
    let backend = db.get_database_backend();
    let p1 = crate::db::parametre(backend, 1);
    let sql = format!(
        "WITH c AS ({}) SELECT i.user_id FROM inscriptions i JOIN c ON c.id = i.user_id WHERE c.departement = {p1} ORDER BY i.created_at",
        adoption::COMPTES
    );
    let waiting: Vec<i32> = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [code.into()]))
        .await?
        .into_iter()
        .map(|r| r.try_get::<i32>("", "user_id"))
        .collect::<Result<_, _>>()?;
    let mut bilan = ValidationGroupee::default();
    for user_id in waiting {
        let decided = match crate::accounts::inscription::obvious_entry(db, user_id).await? {
            Some(entry) => match crate::accounts::inscription::accept(db, caller, user_id, entry, base_url, ip.clone()).await {
                Ok(()) => true,
                // Decided by someone else meanwhile, or the entry taken: left.
                Err(AppError::Conflit(_) | AppError::Champs(_) | AppError::Introuvable) => false,
                Err(other) => return Err(other),
            },
            None => false,
        };
        if decided {
            bilan.validees += 1;
        } else {
            bilan.laissees += 1;
        }
    }
    Ok(bilan)
}

/// Sets a département's rollout (administrators), in one upsert, audited
/// with what changed.
#[tracing::instrument(skip_all, err)]
pub async fn change(
    db: &DatabaseConnection,
    caller: &Caller,
    code: &str,
    demande: &DemandeDeploiement,
    ip: Option<String>,
) -> Result<(), AppError> {
    caller.require(&Role::ADMIN)?;
    let today = crate::rules::heure::a_paris(&chrono::Utc::now()).date_naive();
    let valide = demande.valider(today).map_err(AppError::Champs)?;
    let tx = crate::db::begin(db).await?;
    let departement = departements::Entity::find_by_id(code.to_string()).one(&tx).await?.ok_or(AppError::Introuvable)?;
    let avant = deploiements::Entity::find_by_id(code.to_string()).one(&tx).await?;
    let row = deploiements::ActiveModel {
        departement_code: sea_orm::Set(code.to_string()),
        etat: sea_orm::Set(valide.etat.clone()),
        vague: sea_orm::Set(valide.vague.clone()),
        date_prevue: sea_orm::Set(valide.date_prevue),
        date_ouverture: sea_orm::Set(valide.date_ouverture),
        updated_at: sea_orm::Set(chrono::Utc::now().fixed_offset()),
    };
    deploiements::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(deploiements::Column::DepartementCode)
                .update_columns([
                    deploiements::Column::Etat,
                    deploiements::Column::Vague,
                    deploiements::Column::DatePrevue,
                    deploiements::Column::DateOuverture,
                    deploiements::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(&tx)
        .await?;
    let etat_avant = avant.as_ref().map_or("non_ouvert", |a| a.etat.as_str());
    let libelle = |code: &str| crate::rules::vocabulary::label(&ETATS, code).unwrap_or(code).to_lowercase();
    AuditEvent::by(caller, "deploiement.etat")
        .target("departement", code)
        .summary(format!(
            "{} — {} : {} → {}{}",
            departement.code,
            departement.nom,
            libelle(etat_avant),
            libelle(&valide.etat),
            valide.vague.as_ref().map(|v| format!(" (vague « {v} »)")).unwrap_or_default()
        ))
        .ip(ip)
        .record(&tx)
        .await;
    tx.commit().await?;
    Ok(())
}
