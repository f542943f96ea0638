//! The fairness view's figures: the tribunal's scope from the search's copy
//! of the professionals (no query), the tribunal's reservations of the last
//! 12 months in one query, the arithmetic in `rules::repartition`.

use super::{LigneRepartition, Repartition};
use crate::accounts::guard::{Caller, Scope};
use crate::db::entities::tribunaux;
use crate::errors::AppError;
use crate::rules::repartition::{ecart, gini, part, part_du_premier_dixieme, MOIS};
use crate::search::index::SearchIndex;
use chrono::{DateTime, FixedOffset, Months, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Statement};
use std::collections::HashMap;

/// The tribunal `caller` may look at: a judge's or greffier's own (another
/// one asked for is refused), a tribunal of a direction's territory, any
/// for the team. Directions and the team name it (`tribunal`).
async fn tribunal_of(db: &DatabaseConnection, caller: &Caller, tribunal: Option<&str>) -> Result<tribunaux::Model, AppError> {
    let asked = match tribunal.map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => Some(
            text.parse::<i32>()
                .map_err(|_| AppError::Invalide(format!("Paramètre « tribunal » : « {text} » n'est pas un numéro de tribunal.")))?,
        ),
    };
    let id = match (&caller.scope, asked) {
        (Scope::Tribunal { tribunal_id, .. }, None) => *tribunal_id,
        (Scope::Tribunal { tribunal_id, .. }, Some(asked)) if asked == *tribunal_id => asked,
        (Scope::Tribunal { .. }, Some(_)) => return Err(AppError::Interdit),
        (Scope::Territoire(_) | Scope::Admin, None) => {
            return Err(AppError::Invalide("Paramètre « tribunal » : choisissez un tribunal.".into()));
        }
        (Scope::Territoire(_) | Scope::Admin, Some(asked)) => asked,
        (Scope::Gestionnaire { .. }, _) => return Err(AppError::Interdit),
    };
    let found = tribunaux::Entity::find_by_id(id).one(db).await?;
    if let Scope::Territoire(_) = caller.scope {
        // Outside the territory and unknown alike answer 403: a direction
        // does not learn which numbers exist elsewhere.
        let (departements, _) = crate::territories::liste_blanche::territory(db, caller).await?;
        let dedans = found.as_ref().is_some_and(|t| departements.iter().any(|d| d.code == t.departement_code));
        if !dedans {
            return Err(AppError::Interdit);
        }
    }
    found.ok_or(AppError::Introuvable)
}

/// The fairness view of the tribunal `caller` may look at (see [`tribunal_of`]).
#[tracing::instrument(skip_all, err)]
pub async fn repartition(
    db: &DatabaseConnection,
    index: &SearchIndex,
    caller: &Caller,
    tribunal: Option<&str>,
) -> Result<Repartition, AppError> {
    let tribunal = tribunal_of(db, caller, tribunal).await?;
    let now = Utc::now().fixed_offset();
    let debut = now.checked_sub_months(Months::new(MOIS)).unwrap_or(now);
    let snapshot = index.snapshot(db, caller.search_version).await?;
    let scope: Vec<_> = snapshot
        .professionals
        .iter()
        .filter(|p| crate::search::engine::in_default_scope(p, tribunal.id, &tribunal.departement_code))
        .collect();

    // The tribunal's reservations of the period, counted per professional
    // here: read through the index on (tribunal, date of reservation), the
    // period's rows only. (A GROUP BY in SQL made SQLite walk every measure
    // of the tribunal through the unique index instead: 30,000 rows for
    // Lille on the france data.)
    let backend = db.get_database_backend();
    let p = |i: usize| crate::db::parametre(backend, i);
    let sql =
        format!("SELECT gestionnaire_id, date_reservation FROM mesures WHERE tribunal_id = {} AND date_reservation >= {}", p(1), p(2));
    let mut recues: HashMap<i32, (u64, DateTime<FixedOffset>)> = HashMap::new();
    for row in db.query_all_raw(Statement::from_sql_and_values(backend, sql, [tribunal.id.into(), debut.into()])).await? {
        let at: DateTime<FixedOffset> = row.try_get("", "date_reservation")?;
        let recue = recues.entry(row.try_get("", "gestionnaire_id")?).or_insert((0, at));
        recue.0 += 1;
        recue.1 = recue.1.max(at);
    }
    let dans_perimetre: std::collections::HashSet<i32> = scope.iter().map(|p| p.id).collect();
    let reservations_hors_perimetre = recues.iter().filter(|(id, _)| !dans_perimetre.contains(id)).map(|(_, (n, _))| n).sum();

    let capacites: Vec<(i64, i64)> = scope
        .iter()
        .map(|p| {
            let ici = crate::search::engine::capacite_ici(p, &tribunal.departement_code);
            let souhaitees = if p.suspendu { 0 } else { i64::from(ici.mesures_max.max(0)) };
            (souhaitees, i64::from(ici.disponibles))
        })
        .collect();
    let capacite_totale: u64 = capacites.iter().map(|(c, _)| u64::try_from(*c).unwrap_or_default()).sum();
    let nombres: Vec<u64> = scope.iter().map(|p| recues.get(&p.id).map_or(0, |(n, _)| *n)).collect();
    let total: u64 = nombres.iter().sum();
    let mut lignes: Vec<LigneRepartition> = scope
        .iter()
        .zip(&capacites)
        .zip(&nombres)
        .map(|((p, (souhaitees, disponibles)), n)| {
            let part_reservations = part(*n, total);
            let part_capacite = part(u64::try_from(*souhaitees).unwrap_or_default(), capacite_totale);
            LigneRepartition {
                gestionnaire_id: p.id,
                nom: crate::professionals::display_name(&p.kind, &p.nom, p.prenom.as_deref()),
                kind: p.kind.clone(),
                reservations: *n,
                part_reservations,
                mesures_souhaitees: *souhaitees,
                part_capacite,
                ecart_points: ecart(part_reservations, part_capacite),
                disponibles: *disponibles,
                derniere_reservation: recues.get(&p.id).map(|(_, at)| crate::rules::heure::a_paris(at).format("%Y-%m-%d").to_string()),
            }
        })
        .collect();
    // The least solicited for their room first; ties by name, then id (stable).
    lignes.sort_by(|a, b| {
        a.ecart_points.total_cmp(&b.ecart_points).then_with(|| a.nom.cmp(&b.nom)).then(a.gestionnaire_id.cmp(&b.gestionnaire_id))
    });
    let jamais_sollicites = lignes.iter().filter(|l| l.reservations == 0 && l.disponibles > 0).cloned().collect();
    Ok(Repartition {
        tribunal_id: tribunal.id,
        tribunal: tribunal.nom,
        debut: crate::rules::heure::a_paris(&debut).format("%Y-%m-%d").to_string(),
        fin: crate::rules::heure::a_paris(&now).format("%Y-%m-%d").to_string(),
        reservations: total,
        reservations_hors_perimetre,
        mandataires: scope.len() as u64,
        part_premier_dixieme: part_du_premier_dixieme(&nombres),
        gini: gini(&nombres),
        lignes,
        jamais_sollicites,
    })
}

/// The tribunals a direction may look at (those of its territory), by name:
/// the choices of `/direction/repartition`.
pub async fn tribunaux_du_territoire(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<(String, String)>, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    caller.require(&[crate::rules::roles::Role::Direction])?;
    let (departements, _) = crate::territories::liste_blanche::territory(db, caller).await?;
    let codes: Vec<String> = departements.into_iter().map(|d| d.code).collect();
    Ok(tribunaux::Entity::find()
        .filter(tribunaux::Column::DepartementCode.is_in(codes))
        .order_by_asc(tribunaux::Column::Nom)
        .order_by_asc(tribunaux::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id.to_string(), format!("{} ({})", t.nom, t.departement_code)))
        .collect())
}
