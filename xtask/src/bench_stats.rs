//! `cargo xtask bench stats`: the figures on the `france` demo data (about a
//! million measures), after giving the last 12 months a history through the
//! service — six in ten measures named in those months reserved by a
//! tribunal first, with their `reservee` and `acceptee` events (the demo
//! data records them directly). For each of: the national statistics (JSON
//! and page, the team), the Nord's (its DDETS), the public page and its JSON,
//! the fairness view of the Lille tribunal — 30 sequential requests, the
//! time of each measured by the client on the same machine. Goals (issue
//! 19): the national statistics page and the public page ≤ 150 ms p95, the
//! fairness view ≤ 50 ms.

use crate::bench_console::{bases, france, get, login_admin, mesure, sql};
use crate::bench_search::{login_with, serve, Server};
use anyhow::{Context, Result};
use std::path::Path;

const ADRESSES: [(&str, &str); 4] = [
    ("statistiques nationales (JSON, 12 mois)", "/api/v1/statistiques"),
    ("page Statistiques du territoire, France (12 mois)", "/direction/statistiques"),
    ("page publique /statistiques", "/statistiques"),
    ("chiffres publics (JSON)", "/api/v1/statistiques/publiques"),
];

pub fn stats(server: &Path) -> Result<()> {
    let dir = crate::shell::root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let mut table = vec!["| base | page | p50 (ms) | p95 (ms) | max (ms) |".to_string(), "|---|---|---|---|---|".to_string()];
    for label in bases() {
        let url = france(server, label, "stats", &dir)?;
        let sql = |statement: &str| sql(label, "stats", &dir, statement);
        let il_y_a_un_an = if label == "PostgreSQL" { "CURRENT_DATE - 365" } else { "date('now', '-365 days')" };
        sql(&format!(
            "UPDATE mesures SET date_reservation = created_at WHERE date_reservation IS NULL AND date_nomination >= {il_y_a_un_an} AND id % 10 < 6"
        ))?;
        // The demo data's own history (the open territory's) is kept: only
        // the measures without one get theirs (one statement: its SELECT is
        // read before anything is inserted).
        let sans_histoire =
            "date_reservation IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mesure_evenements e WHERE e.mesure_id = mesures.id)";
        // Accepted a few hours later (0 to 71), written in UTC as the application writes.
        let plus_tard = if label == "PostgreSQL" {
            "date_reservation + (id % 72) * interval '1 hour'".to_string()
        } else {
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', date_reservation, '+' || (id % 72) || ' hours')".to_string()
        };
        sql(&format!(
            "INSERT INTO mesure_evenements (mesure_id, at, action) \
             SELECT id, date_reservation, 'reservee' FROM mesures WHERE {sans_histoire} \
             UNION ALL SELECT id, {plus_tard}, 'acceptee' FROM mesures WHERE date_nomination IS NOT NULL AND {sans_histoire}"
        ))?;
        sql("ANALYZE")?;
        let mesures = sql("SELECT COUNT(*) FROM mesures")?;
        let evenements = sql("SELECT COUNT(*) FROM mesure_evenements")?;
        println!("{label} : {mesures} mesures, {evenements} événements");
        let lille: i64 =
            sql("SELECT id FROM tribunaux WHERE nom = 'Tribunal judiciaire de Lille'")?.parse().context("tribunal de Lille absent")?;
        let (_served, port): (Server, u16) = serve(server, &url)?;
        let admin = login_admin(port)?;
        // The public figures are computed once, then read from their row.
        get(port, &admin, "/api/v1/statistiques/publiques")?;
        for (what, address) in ADRESSES {
            table.push(mesure(port, &admin, label, what, address)?);
        }
        let ddets = login_with(port, r#"{"email":"direction.59@demo.emjpm.local","password":"demo-emjpm"}"#)?;
        table.push(mesure(port, &ddets, label, "statistiques du Nord (JSON, sa DDETS)", "/api/v1/statistiques")?);
        let repartition = format!("/api/v1/repartition?tribunal={lille}");
        table.push(mesure(port, &admin, label, "répartition du tribunal de Lille (JSON)", &repartition)?);
    }
    println!("\n{}", table.join("\n"));
    Ok(())
}
