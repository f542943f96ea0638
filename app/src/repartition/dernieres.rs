//! When each tribunal last reserved a measure of each professional, in
//! `dernieres_reservations`: written in the reservation's transaction
//! ([`noter`]), read with the search's copy of the professionals
//! (`search::index`), where every result says it and the sort "répartition
//! équitable" puts those least recently asked by the tribunal first. A
//! reservation cancelled or declined was still asked: the date stays.

use chrono::{DateTime, FixedOffset};
use sea_orm::{ConnectionTrait, DbErr, Statement};
use std::collections::HashMap;

/// The tribunal reserved one of the professional's measures at `at`.
pub async fn noter(db: &impl ConnectionTrait, tribunal_id: i32, gestionnaire_id: i32, at: DateTime<FixedOffset>) -> Result<(), DbErr> {
    let p = |i| crate::db::parametre(db.get_database_backend(), i);
    // Timestamps are written in UTC: comparing them is right on SQLite's text too.
    let at = at.with_timezone(&chrono::Utc).fixed_offset();
    let sql = format!(
        "INSERT INTO dernieres_reservations (tribunal_id, gestionnaire_id, reservee_at) VALUES ({}, {}, {}) \
         ON CONFLICT (tribunal_id, gestionnaire_id) DO UPDATE SET reservee_at = excluded.reservee_at \
         WHERE dernieres_reservations.reservee_at < excluded.reservee_at",
        p(1),
        p(2),
        p(3)
    );
    db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, [tribunal_id.into(), gestionnaire_id.into(), at.into()]))
        .await?;
    Ok(())
}

/// Every professional's last reservation by tribunal: gestionnaire → (tribunal → when).
pub async fn toutes(db: &impl ConnectionTrait) -> Result<HashMap<i32, HashMap<i32, DateTime<FixedOffset>>>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT tribunal_id, gestionnaire_id, reservee_at FROM dernieres_reservations",
        ))
        .await?;
    let mut out: HashMap<i32, HashMap<i32, DateTime<FixedOffset>>> = HashMap::new();
    for row in rows {
        out.entry(row.try_get("", "gestionnaire_id")?)
            .or_default()
            .insert(row.try_get("", "tribunal_id")?, row.try_get("", "reservee_at")?);
    }
    Ok(out)
}

/// Counts them again from the history (the demo data's bulk loading): every
/// `reservee` event and every measure's date de réservation.
pub async fn reconstruire(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    db.execute_unprepared("DELETE FROM dernieres_reservations").await?;
    db.execute_unprepared(
        "INSERT INTO dernieres_reservations (tribunal_id, gestionnaire_id, reservee_at)
         SELECT tribunal_id, gestionnaire_id, MAX(at) FROM (
             SELECT m.tribunal_id, m.gestionnaire_id, e.at FROM mesure_evenements e JOIN mesures m ON m.id = e.mesure_id
             WHERE e.action = 'reservee'
             UNION ALL
             SELECT tribunal_id, gestionnaire_id, date_reservation FROM mesures WHERE date_reservation IS NOT NULL
         ) r GROUP BY tribunal_id, gestionnaire_id",
    )
    .await?;
    Ok(())
}
