//! The measures' figures kept ahead, in `statistiques_mesures`: one count
//! per fact, month, tribunal and kind of professional, and the same for the
//! whole of France under the tribunal [`FRANCE`] (0). A territory's
//! statistics read these rows — France's a thousand a year, a
//! département's as many — instead of counting a million measures at each
//! view (`statistiques::territoire::service`).
//!
//! The rule is [`faits`]: what one measure, as it is now, adds to the
//! figures. Every write of a measure calls [`suivre`] in its own
//! transaction with the row before and after: the facts of the old row are
//! taken away, those of the new one added, by `nombre = nombre + n` (two
//! writers never lose an update). [`recompter`] counts everything again
//! from the measures; the tests check that it equals the table after every
//! kind of write, and [`reconstruire`] replaces the table with it (after
//! the migration that created it, and after the demo data's bulk loading).
//!
//! The retention job deletes old closed measures without touching these
//! counts: they are anonymous, and the figures of past years stay as they
//! were published.

use crate::db::entities::mesures;
use crate::rules::heure::a_paris;
use chrono::{DateTime, FixedOffset, NaiveDate};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};
use std::collections::{BTreeMap, HashMap};

pub const TABLE: &str = "statistiques_mesures";

/// The "tribunal" of the counts of the whole of France (no tribunal has it).
pub const FRANCE: i32 = 0;

/// The row of `statistiques` that asks the server to count everything
/// again (left by the migration that created the table).
pub const A_RECONSTRUIRE: &str = "agregats_a_reconstruire";

/// The facts, and what their `valeur` holds.
pub mod fait {
    /// A new measure, in the month of its reservation (reserved through
    /// the service) or of its recording (recorded directly): `reservee` or
    /// `directe`.
    pub const NOUVELLE: &str = "nouvelle";
    /// A new measure reserved as urgent, in the month of its reservation.
    pub const URGENTE: &str = "urgente";
    /// The same new measures by nature, champ and lieu de vie (the code, ""
    /// when none).
    pub const NATURE: &str = "nature";
    pub const CHAMP: &str = "champ";
    pub const LIEU_VIE: &str = "lieu_vie";
    /// A measure named (accepted or recorded), in the month of its date de
    /// nomination.
    pub const NOMMEE: &str = "nommee";
    /// A named measure leaving the stock, in the month of its date de fin
    /// (or of its nomination, if it ended before): the stock at a month's
    /// end is the named measures up to then less these.
    pub const SORTIE: &str = "sortie";
    /// A closing (a named measure that ended), in the month of its date de
    /// fin, by cause ("" when none).
    pub const FIN: &str = "fin";
    /// An event of a reservation's life ([`super::EVENEMENTS`]), in the
    /// month it happened: the action.
    pub const EVENEMENT: &str = "evenement";
    /// A reservation that reopened a closed measure, in the month it was made.
    pub const ROUVRANTE: &str = "rouvrante";
    /// An acceptance, by its delay since the measure's last reservation, in
    /// whole hours rounded ("2"): the quantiles of rounded delays are the
    /// rounded quantiles, so the hours shown are exact.
    pub const DELAI: &str = "delai";
}

/// The events of a reservation's life the statistics count.
pub const EVENEMENTS: [&str; 5] = ["reservee", "acceptee", "refusee", "annulee", "expiree"];

/// What one event adds to the figures: `reservee_avant`, for an
/// acceptance, the instant of the measure's last reservation at or before
/// it (from its events: a reopening later overwrites the measure's own date).
pub fn faits_evenement(
    action: &str,
    at: DateTime<FixedOffset>,
    details: Option<&str>,
    reservee_avant: Option<DateTime<FixedOffset>>,
) -> Vec<Fait> {
    if !EVENEMENTS.contains(&action) {
        return Vec::new();
    }
    let le_mois = mois(a_paris(&at).date_naive());
    let mut out = vec![(le_mois.clone(), fait::EVENEMENT, action.to_string())];
    if action == "reservee" && details == Some(crate::measures::reopening::RESERVATION_ROUVRANTE) {
        out.push((le_mois.clone(), fait::ROUVRANTE, String::new()));
    }
    if let Some(reservee) = reservee_avant.filter(|r| action == "acceptee" && *r <= at) {
        out.push((le_mois, fait::DELAI, (((at - reservee).num_minutes() + 30) / 60).to_string()));
    }
    out
}

/// What the facts of a measure depend on.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Trace {
    pub tribunal_id: i32,
    pub gestionnaire_id: i32,
    pub statut: String,
    pub nature: String,
    pub champ: Option<String>,
    pub lieu_vie: Option<String>,
    pub date_nomination: Option<NaiveDate>,
    pub date_fin: Option<NaiveDate>,
    pub cause_sortie: Option<String>,
    pub date_reservation: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
    pub urgent: bool,
}

impl From<&mesures::Model> for Trace {
    fn from(m: &mesures::Model) -> Self {
        Trace {
            tribunal_id: m.tribunal_id,
            gestionnaire_id: m.gestionnaire_id,
            statut: m.statut.clone(),
            nature: m.nature.clone(),
            champ: m.champ.clone(),
            lieu_vie: m.lieu_vie.clone(),
            date_nomination: m.date_nomination,
            date_fin: m.date_fin,
            cause_sortie: m.cause_sortie.clone(),
            date_reservation: m.date_reservation,
            created_at: m.created_at,
            urgent: m.urgent,
        }
    }
}

/// One fact of a measure: (month "AAAA-MM", fact, value); each counts 1.
pub type Fait = (String, &'static str, String);

fn mois(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// What a measure adds to the figures, as it is now.
pub fn faits(m: &Trace) -> Vec<Fait> {
    // New: every measure once, reserved or recorded, whatever became of it
    // (a cancelled reservation was still asked of the service).
    let nouvelle = a_paris(&m.date_reservation.unwrap_or(m.created_at)).date_naive();
    let origine = if m.date_reservation.is_some() { "reservee" } else { "directe" };
    let valeur = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut out = vec![
        (mois(nouvelle), fait::NOUVELLE, origine.to_string()),
        (mois(nouvelle), fait::NATURE, m.nature.clone()),
        (mois(nouvelle), fait::CHAMP, valeur(&m.champ)),
        (mois(nouvelle), fait::LIEU_VIE, valeur(&m.lieu_vie)),
    ];
    if m.urgent && m.date_reservation.is_some() {
        out.push((mois(nouvelle), fait::URGENTE, String::new()));
    }
    // Named: accepted or recorded (a reservation cancelled or declined ends
    // `eteinte` without a date de nomination, and never was).
    if let Some(nomination) = m.date_nomination.filter(|_| matches!(m.statut.as_str(), "en_cours" | "eteinte")) {
        out.push((mois(nomination), fait::NOMMEE, String::new()));
        if let Some(fin) = m.date_fin {
            out.push((mois(fin.max(nomination)), fait::SORTIE, String::new()));
            if m.statut == "eteinte" {
                out.push((mois(fin), fait::FIN, valeur(&m.cause_sortie)));
            }
        }
    }
    out
}

/// A count's key before the professional's kind is known.
type Cle = (i32, i32, String, &'static str, String);

/// Where a fact of a measure of `tribunal_id` counts: its tribunal, and France.
fn comptee_pour(tribunal_id: i32) -> [i32; 2] {
    [tribunal_id, FRANCE]
}

/// Adds `n` times the facts of a measure of this tribunal and professional.
fn ajouter(deltas: &mut BTreeMap<Cle, i64>, tribunal_id: i32, gestionnaire_id: i32, faits: Vec<Fait>, n: i64) {
    for (mois, fait, valeur) in faits {
        for tribunal in comptee_pour(tribunal_id) {
            *deltas.entry((tribunal, gestionnaire_id, mois.clone(), fait, valeur.clone())).or_default() += n;
        }
    }
}

/// The row as it was before the conditional UPDATE of a transition
/// (`measures::lifecycle::switch`) moved its status from `statut`.
pub fn au_statut(m: &mesures::Model, statut: &str) -> mesures::Model {
    mesures::Model { statut: statut.to_string(), ..m.clone() }
}

/// Moves the figures for one write of a measure, in the write's
/// transaction: `avant` the row before (None for a new measure), `apres`
/// the row after (None once deleted). Facts both rows share are not
/// written; the others in a fixed order (two transactions take the rows'
/// locks in the same order).
pub async fn suivre(db: &impl ConnectionTrait, avant: Option<&mesures::Model>, apres: Option<&mesures::Model>) -> Result<(), DbErr> {
    let mut deltas = BTreeMap::new();
    if let Some(avant) = avant {
        ajouter(&mut deltas, avant.tribunal_id, avant.gestionnaire_id, faits(&Trace::from(avant)), -1);
    }
    if let Some(apres) = apres {
        ajouter(&mut deltas, apres.tribunal_id, apres.gestionnaire_id, faits(&Trace::from(apres)), 1);
    }
    ecrire(db, deltas).await
}

/// Counts one event of a measure's reservation, in the event's transaction
/// (the other actions count nothing).
pub async fn evenement(
    db: &impl ConnectionTrait,
    mesure: &mesures::Model,
    action: &str,
    at: DateTime<FixedOffset>,
    details: Option<&str>,
) -> Result<(), DbErr> {
    use crate::db::entities::mesure_evenements;
    if !EVENEMENTS.contains(&action) {
        return Ok(());
    }
    let reservee_avant = if action == "acceptee" {
        mesure_evenements::Entity::find()
            .filter(mesure_evenements::Column::MesureId.eq(mesure.id))
            .filter(mesure_evenements::Column::Action.eq("reservee"))
            .filter(mesure_evenements::Column::At.lte(at))
            .order_by_desc(mesure_evenements::Column::At)
            .one(db)
            .await?
            .map(|e| e.at)
    } else {
        None
    };
    let mut deltas = BTreeMap::new();
    ajouter(&mut deltas, mesure.tribunal_id, mesure.gestionnaire_id, faits_evenement(action, at, details, reservee_avant), 1);
    ecrire(db, deltas).await
}

/// Adds the deltas, in their (sorted) order.
async fn ecrire(db: &impl ConnectionTrait, deltas: BTreeMap<Cle, i64>) -> Result<(), DbErr> {
    for ((tribunal_id, gestionnaire_id, mois, fait, valeur), n) in deltas {
        if n == 0 {
            continue;
        }
        // The professional's kind read in the same statement.
        let sql = format!(
            "INSERT INTO {TABLE} (fait, mois, tribunal_id, type_mandataire, valeur, nombre) \
             SELECT {}, {}, {}, g.type, {}, {} FROM gestionnaires g WHERE g.id = {} \
             ON CONFLICT (fait, mois, tribunal_id, type_mandataire, valeur) DO UPDATE SET nombre = {TABLE}.nombre + excluded.nombre",
            p(db, 1),
            p(db, 2),
            p(db, 3),
            p(db, 4),
            p(db, 5),
            p(db, 6)
        );
        let values: Vec<sea_orm::Value> =
            vec![fait.into(), mois.into(), tribunal_id.into(), valeur.into(), n.into(), gestionnaire_id.into()];
        db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    }
    Ok(())
}

fn p(db: &impl ConnectionTrait, i: usize) -> String {
    crate::db::parametre(db.get_database_backend(), i)
}

/// A count of `statistiques_mesures`: (fact, month, tribunal, kind, value).
pub type Compte = (String, String, i32, String, String);

/// Every count, from the measures as they are and their events (zeros left out).
pub async fn recompter(db: &impl ConnectionTrait) -> Result<BTreeMap<Compte, i64>, DbErr> {
    use crate::db::entities::{gestionnaires, mesure_evenements};
    let types: HashMap<i32, String> = gestionnaires::Entity::find()
        .select_only()
        .columns([gestionnaires::Column::Id, gestionnaires::Column::Kind])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut comptes: BTreeMap<Compte, i64> = BTreeMap::new();
    // A page of measures at a time, by id: the memory stays that of one page.
    let mut apres = 0i64;
    loop {
        let page: Vec<(i64, Trace)> = mesures::Entity::find()
            .filter(mesures::Column::Id.gt(apres))
            .order_by_asc(mesures::Column::Id)
            .limit(20_000)
            .all(db)
            .await?
            .iter()
            .map(|m| (m.id, Trace::from(m)))
            .collect();
        let (Some((premier, _)), Some((dernier, _))) = (page.first(), page.last()) else { break };
        let (premier, dernier) = (*premier, *dernier);
        apres = dernier;
        let mut compter = |m: &Trace, faits: Vec<Fait>| {
            let kind = types.get(&m.gestionnaire_id).cloned().unwrap_or_default();
            for (mois, fait, valeur) in faits {
                for tribunal in comptee_pour(m.tribunal_id) {
                    *comptes.entry((fait.to_string(), mois.clone(), tribunal, kind.clone(), valeur.clone())).or_default() += 1;
                }
            }
        };
        for (_, m) in &page {
            compter(m, faits(m));
        }
        // Their events, in the order they happened (an acceptance's delay runs
        // from the measure's last reservation before it).
        let evenements = mesure_evenements::Entity::find()
            .filter(mesure_evenements::Column::MesureId.between(premier, dernier))
            .filter(mesure_evenements::Column::Action.is_in(EVENEMENTS))
            .order_by_asc(mesure_evenements::Column::MesureId)
            .order_by_asc(mesure_evenements::Column::At)
            .order_by_asc(mesure_evenements::Column::Id)
            .all(db)
            .await?;
        let traces: HashMap<i64, &Trace> = page.iter().map(|(id, m)| (*id, m)).collect();
        let mut reservee: Option<(i64, DateTime<FixedOffset>)> = None;
        for e in evenements {
            let Some(m) = traces.get(&e.mesure_id) else { continue };
            let avant = reservee.filter(|(id, _)| *id == e.mesure_id).map(|(_, at)| at);
            compter(m, faits_evenement(&e.action, e.at, e.details.as_deref(), avant));
            if e.action == "reservee" {
                reservee = Some((e.mesure_id, e.at));
            }
        }
    }
    Ok(comptes)
}

/// The counts as stored (zeros left out).
pub async fn lire(db: &impl ConnectionTrait) -> Result<BTreeMap<Compte, i64>, DbErr> {
    let sql = format!("SELECT fait, mois, tribunal_id, type_mandataire, valeur, nombre FROM {TABLE} WHERE nombre <> 0");
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    rows.iter()
        .map(|r| {
            Ok((
                (
                    r.try_get("", "fait")?,
                    r.try_get("", "mois")?,
                    r.try_get("", "tribunal_id")?,
                    r.try_get("", "type_mandataire")?,
                    r.try_get("", "valeur")?,
                ),
                r.try_get::<i64>("", "nombre")?,
            ))
        })
        .collect()
}

/// The counts that differ from a recount: (count, stored, recounted).
pub async fn ecarts(db: &impl ConnectionTrait) -> Result<Vec<(Compte, i64, i64)>, DbErr> {
    let (stockes, recomptes) = (lire(db).await?, recompter(db).await?);
    let mut out = Vec::new();
    for cle in stockes.keys().chain(recomptes.keys()).collect::<std::collections::BTreeSet<_>>() {
        let (a, b) = (stockes.get(cle).copied().unwrap_or(0), recomptes.get(cle).copied().unwrap_or(0));
        if a != b {
            out.push((cle.clone(), a, b));
        }
    }
    Ok(out)
}

/// Replaces every count by a recount, in the caller's transaction (the
/// demo data's loading, which writes measures in bulk).
pub async fn reconstruire(db: &impl ConnectionTrait) -> Result<usize, DbErr> {
    let comptes = recompter(db).await?;
    db.execute_unprepared(&format!("DELETE FROM {TABLE}")).await?;
    let lignes: Vec<(Compte, i64)> = comptes.into_iter().collect();
    for paquet in lignes.chunks(500) {
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(paquet.len() * 6);
        let mut tuples = Vec::with_capacity(paquet.len());
        for ((fait, mois, tribunal_id, kind, valeur), n) in paquet {
            let i = values.len();
            tuples.push(format!("({})", (1..=6).map(|k| p(db, i + k)).collect::<Vec<_>>().join(", ")));
            values.extend([
                fait.clone().into(),
                mois.clone().into(),
                (*tribunal_id).into(),
                kind.clone().into(),
                valeur.clone().into(),
                (*n).into(),
            ]);
        }
        let sql = format!("INSERT INTO {TABLE} (fait, mois, tribunal_id, type_mandataire, valeur, nombre) VALUES {}", tuples.join(", "));
        db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    }
    Ok(lignes.len())
}

/// After the migrations: counts everything once if a migration asked for
/// it — these figures and the search's last reservations by tribunal
/// (`repartition::dernieres`). Several instances may start together:
/// deleting the request is the transaction's first write, so one of them
/// counts, the others find nothing to do; on PostgreSQL the measures are
/// locked against writes meanwhile (a write made during the recount would
/// be lost), on SQLite the first write already locks the database.
pub async fn reconstruire_si_besoin(db: &DatabaseConnection) -> Result<Option<usize>, DbErr> {
    let tx = crate::db::begin(db).await?;
    let demande = tx
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            format!("DELETE FROM statistiques WHERE nom = {}", p(db, 1)),
            [A_RECONSTRUIRE.into()],
        ))
        .await?;
    if demande.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    if db.get_database_backend() == DbBackend::Postgres {
        tx.execute_unprepared("LOCK TABLE mesures IN SHARE MODE").await?;
    }
    let n = reconstruire(&tx).await?;
    // The search's last reservations by tribunal, kept ahead the same way.
    crate::repartition::dernieres::reconstruire(&tx).await?;
    tx.commit().await?;
    Ok(Some(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap_or_default()
    }

    fn mesure() -> Trace {
        Trace {
            tribunal_id: 1,
            gestionnaire_id: 2,
            statut: "en_attente".into(),
            nature: "tutelle".into(),
            champ: None,
            lieu_vie: None,
            date_nomination: None,
            date_fin: None,
            cause_sortie: None,
            date_reservation: Some(at("2026-01-31T23:30:00+00:00")),
            created_at: at("2026-01-31T23:30:00+00:00"),
            urgent: false,
        }
    }

    fn f(mois: &str, fait: &'static str, valeur: &str) -> Fait {
        (mois.to_string(), fait, valeur.to_string())
    }

    #[test]
    fn a_reservation_counts_in_its_month_in_paris_time() {
        // 23:30 UTC on 31 January is 00:30 on 1 February in Paris.
        assert_eq!(
            faits(&mesure()),
            [
                f("2026-02", fait::NOUVELLE, "reservee"),
                f("2026-02", fait::NATURE, "tutelle"),
                f("2026-02", fait::CHAMP, ""),
                f("2026-02", fait::LIEU_VIE, "")
            ]
        );
    }

    #[test]
    fn a_recorded_measure_is_new_when_recorded_and_named_on_its_date() {
        let m = Trace {
            statut: "en_cours".into(),
            date_reservation: None,
            created_at: at("2026-03-10T09:00:00+00:00"),
            date_nomination: Some(day(2025, 11, 4)),
            lieu_vie: Some("domicile".into()),
            ..mesure()
        };
        let out = faits(&m);
        assert_eq!(out[0], f("2026-03", fait::NOUVELLE, "directe"));
        assert_eq!(out[3], f("2026-03", fait::LIEU_VIE, "domicile"));
        assert_eq!(out[4..], [f("2025-11", fait::NOMMEE, "")]);
    }

    #[test]
    fn a_closed_measure_leaves_the_stock_and_counts_its_cause() {
        let m = Trace {
            statut: "eteinte".into(),
            date_nomination: Some(day(2025, 11, 4)),
            date_fin: Some(day(2026, 6, 30)),
            cause_sortie: Some("deces".into()),
            ..mesure()
        };
        assert_eq!(faits(&m)[4..], [f("2025-11", fait::NOMMEE, ""), f("2026-06", fait::SORTIE, ""), f("2026-06", fait::FIN, "deces")]);
        // Ended before its nomination (an error in old data): in the stock in no month.
        let avant = Trace { date_fin: Some(day(2025, 9, 1)), ..m };
        assert_eq!(faits(&avant)[4..6], [f("2025-11", fait::NOMMEE, ""), f("2025-11", fait::SORTIE, "")]);
    }

    #[test]
    fn an_urgent_reservation_counts_as_urgent_in_its_month() {
        let m = Trace { urgent: true, ..mesure() };
        assert_eq!(faits(&m)[4..], [f("2026-02", fait::URGENTE, "")]);
        // Recorded directly: never reserved, so never urgent.
        assert_eq!(faits(&Trace { date_reservation: None, ..m }).len(), 4);
    }

    #[test]
    fn an_acceptance_counts_its_delay_in_rounded_hours_from_the_last_reservation() {
        let (reservee, acceptee) = (at("2026-03-31T21:00:00+00:00"), at("2026-03-31T23:40:00+00:00"));
        // 2 h 40 → 3 h; 23:40 UTC is 1 April in Paris.
        assert_eq!(
            faits_evenement("acceptee", acceptee, None, Some(reservee)),
            [f("2026-04", fait::EVENEMENT, "acceptee"), f("2026-04", fait::DELAI, "3")]
        );
        assert_eq!(faits_evenement("acceptee", acceptee, None, None).len(), 1, "no reservation known: no delay");
        let rouvrante = Some(crate::measures::reopening::RESERVATION_ROUVRANTE);
        assert_eq!(faits_evenement("reservee", reservee, rouvrante, None)[1], f("2026-03", fait::ROUVRANTE, ""));
        assert!(faits_evenement("etat", reservee, None, None).is_empty(), "not a reservation's event");
    }

    #[test]
    fn a_reservation_cancelled_or_declined_was_new_but_never_named() {
        let m = Trace { statut: "eteinte".into(), date_fin: Some(day(2026, 2, 3)), ..mesure() };
        assert_eq!(faits(&m).len(), 4);
    }
}
