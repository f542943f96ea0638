//! Computing the public figures (one query each), keeping them in
//! `statistiques`, and reading them back.

use super::{MoisNombre, OuverturePrevue, StatistiquesPubliques, MOIS};
use crate::db::entities::{departements, deploiements, statistiques};
use crate::db::Parametres;
use crate::errors::AppError;
use crate::rules::heure::{a_paris, minuit_a_paris};
use crate::rules::statistiques::{pourcentage_public, public, quantile};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Set, Statement};

/// The row of the public figures in `statistiques`.
pub const NOM: &str = "publiques";

/// The month (`AAAA-MM`) of an instant, read in Paris.
fn mois_de(at: DateTime<FixedOffset>) -> String {
    a_paris(&at).format("%Y-%m").to_string()
}

/// The first days of the last [`MOIS`] months (Paris), the oldest first.
fn premiers_jours(now: DateTime<Utc>) -> Vec<NaiveDate> {
    let today = a_paris(&now).date_naive();
    let mut day = today.with_day(1).unwrap_or(today);
    let mut out = vec![day];
    while out.len() < MOIS {
        day = (day - chrono::Duration::days(1)).with_day(1).unwrap_or(day);
        out.push(day);
    }
    out.reverse();
    out
}

/// One count (column `n`) of a query without parameters.
async fn nombre(db: &impl ConnectionTrait, sql: &str) -> Result<i64, AppError> {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

/// Computes the public figures as of `now`.
#[tracing::instrument(skip_all, err)]
pub async fn calculer(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<StatistiquesPubliques, AppError> {
    let backend = db.get_database_backend();
    let mois = premiers_jours(now);
    let debut = minuit_a_paris(mois[0]);

    // Territories: the rollout of every département that has one.
    let noms: std::collections::HashMap<String, String> =
        departements::Entity::find().all(db).await?.into_iter().map(|d| (d.code.clone(), format!("{} — {}", d.code, d.nom))).collect();
    let mut etats = deploiements::Entity::find().all(db).await?;
    etats.sort_by(|a, b| a.departement_code.cmp(&b.departement_code));
    let nom = |code: &str| noms.get(code).cloned().unwrap_or_else(|| code.to_string());
    let dans = |etat: &str| etats.iter().filter(|e| e.etat == etat).map(|e| nom(&e.departement_code)).collect::<Vec<_>>();
    let departements_prevus = etats
        .iter()
        .filter(|e| e.etat == "non_ouvert")
        .filter_map(|e| {
            Some(OuverturePrevue { departement: nom(&e.departement_code), date_prevue: e.date_prevue?.format("%Y-%m-%d").to_string() })
        })
        .collect();

    // Who uses it: tribunals with a judge or greffier, professionals with a member, whose account is active.
    let tribunaux = nombre(
        db,
        "SELECT COUNT(DISTINCT t) AS n FROM (SELECT m.tribunal_id AS t FROM magistrats m JOIN users u ON u.id = m.user_id WHERE u.active \
         UNION SELECT g.tribunal_id FROM greffiers g JOIN users u ON u.id = g.user_id WHERE u.active) s",
    )
    .await?;
    let mandataires = nombre(
        db,
        "SELECT COUNT(DISTINCT gm.gestionnaire_id) AS n FROM gestionnaire_membres gm JOIN users u ON u.id = gm.user_id WHERE u.active",
    )
    .await?;

    // Measures reserved through the service, by month (Paris months: counted here).
    let mut p = Parametres::new(backend);
    let sql = format!("SELECT date_reservation FROM mesures WHERE date_reservation >= {}", p.lier(debut));
    let mut par_mois: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for row in db.query_all_raw(Statement::from_sql_and_values(backend, sql, p.values)).await? {
        let at: DateTime<FixedOffset> = row.try_get("", "date_reservation")?;
        *par_mois.entry(mois_de(at)).or_default() += 1;
    }
    let reservations_par_mois = mois
        .iter()
        .map(|jour| {
            let cle = jour.format("%Y-%m").to_string();
            MoisNombre { nombre: public(par_mois.get(&cle).copied().unwrap_or(0)), mois: cle }
        })
        .collect();

    // From a reservation to its acceptance: each accepted reservation's delay.
    let mut p = Parametres::new(backend);
    let sql = format!(
        "SELECT m.date_reservation AS reservee, e.at AS acceptee FROM mesure_evenements e JOIN mesures m ON m.id = e.mesure_id \
         WHERE e.action = 'acceptee' AND e.at >= {} AND m.date_reservation IS NOT NULL",
        p.lier(debut)
    );
    let mut delais: Vec<i64> = Vec::new();
    for row in db.query_all_raw(Statement::from_sql_and_values(backend, sql, p.values)).await? {
        let (reservee, acceptee): (DateTime<FixedOffset>, DateTime<FixedOffset>) =
            (row.try_get("", "reservee")?, row.try_get("", "acceptee")?);
        if acceptee >= reservee {
            delais.push((acceptee - reservee).num_minutes());
        }
    }
    let acceptations = public(delais.len() as i64);
    let delai_median_minutes = acceptations.and_then(|_| quantile(&mut delais, 0.5));

    // Fresh availability among the approved professionals at work: not yet
    // flagged as stale to judges.
    let mut p = Parametres::new(backend);
    let frais = p.lier((now - chrono::Duration::days(crate::rules::capacity::JOURS_AVANT_OBSOLESCENCE)).fixed_offset());
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT COUNT(*) AS n, SUM(CASE WHEN derniere_mise_a_jour >= {frais} THEN 1 ELSE 0 END) AS frais \
                 FROM gestionnaires WHERE liste_blanche_id IS NOT NULL AND NOT suspendu"
            ),
            p.values,
        ))
        .await?;
    let (agrees, a_jour) = match row {
        Some(r) => (r.try_get::<i64>("", "n")?, r.try_get::<Option<i64>>("", "frais")?.unwrap_or(0)),
        None => (0, 0),
    };

    // Satisfaction: the avis of the period by level.
    let mut p = Parametres::new(backend);
    let sql = format!("SELECT niveau, COUNT(*) AS n FROM avis WHERE created_at >= {} GROUP BY niveau", p.lier(debut));
    let mut avis = [0i64; 3];
    for row in db.query_all_raw(Statement::from_sql_and_values(backend, sql, p.values)).await? {
        let n: i64 = row.try_get("", "n")?;
        match row.try_get::<String>("", "niveau")?.as_str() {
            "bien" => avis[0] += n,
            "moyen" => avis[1] += n,
            _ => avis[2] += n,
        }
    }

    Ok(StatistiquesPubliques {
        calculees_le: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        departements_ouverts: dans("ouvert"),
        departements_pilotes: dans("pilote"),
        departements_prevus,
        tribunaux: public(tribunaux),
        mandataires: public(mandataires),
        reservations_par_mois,
        acceptations,
        delai_median_minutes,
        mandataires_agrees: public(agrees),
        disponibilites_a_jour: pourcentage_public(a_jour, agrees),
        avis: avis.map(public),
        avis_total: public(avis.iter().sum()),
        satisfaction: pourcentage_public(avis[0], avis.iter().sum()),
    })
}

/// Computes the figures and keeps them (one upsert): the daily job, and the
/// first reader when none are kept yet.
pub async fn enregistrer(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<StatistiquesPubliques, AppError> {
    let figures = calculer(db, now).await?;
    let donnees = serde_json::to_string(&figures).map_err(|e| AppError::Interne(format!("statistiques illisibles : {e}")))?;
    statistiques::Entity::insert(statistiques::ActiveModel {
        nom: Set(NOM.to_string()),
        calculees_at: Set(now.fixed_offset()),
        donnees: Set(donnees),
    })
    .on_conflict(
        OnConflict::column(statistiques::Column::Nom)
            .update_columns([statistiques::Column::CalculeesAt, statistiques::Column::Donnees])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(figures)
}

/// The kept figures (one read); computed and kept first when there are none
/// yet, or when they were kept in an older shape (after an upgrade).
pub async fn lire(db: &DatabaseConnection) -> Result<StatistiquesPubliques, AppError> {
    if let Some(row) = statistiques::Entity::find_by_id(NOM.to_string()).one(db).await? {
        if let Ok(figures) = serde_json::from_str(&row.donnees) {
            return Ok(figures);
        }
    }
    enregistrer(db, Utc::now()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twelve_months_end_with_the_current_one_in_paris() {
        // 31 December 23:30 UTC is already January in Paris.
        let now = DateTime::parse_from_rfc3339("2026-12-31T23:30:00Z").map(|d| d.with_timezone(&Utc)).ok().unwrap_or_default();
        let mois = premiers_jours(now);
        assert_eq!(mois.len(), 12);
        assert_eq!(mois[11].format("%Y-%m-%d").to_string(), "2027-01-01");
        assert_eq!(mois[0].format("%Y-%m-%d").to_string(), "2026-02-01");
        let at = DateTime::parse_from_rfc3339("2026-03-31T22:30:00Z").ok().unwrap_or_default();
        assert_eq!(mois_de(at), "2026-04", "summer time: 00:30 in Paris");
    }
}
