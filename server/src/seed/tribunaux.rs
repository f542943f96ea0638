//! `emjpm import-tribunaux FILE`: the Ministry of Justice's court list
//! (`nom,code_postal,ville,siret,adresse`), geocoded through the commune table.
//! Idempotent on SIRET; all or nothing: one bad line and nothing is written.

use super::placeholders;
use app::rules::geo::{departement_of_postal_code, nom_recherche};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::path::Path;

#[derive(Debug)]
pub struct ImportReport {
    pub importes: usize,
    pub crees: usize,
    pub mis_a_jour: usize,
    /// Lines whose text was repaired (UTF-8 read as Latin-1).
    pub reparations: Vec<String>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} tribunaux importés ({} créés, {} mis à jour).", self.importes, self.crees, self.mis_a_jour)?;
        for r in &self.reparations {
            writeln!(f, "  {r}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("fichier illisible « {0} » : {1}")]
    Fichier(String, String),
    #[error("aucun tribunal importé ; corrigez ces lignes :\n{}", .0.join("\n"))]
    Lignes(Vec<String>),
    #[error("les communes ne sont pas chargées : lancez d'abord `emjpm seed-reference`")]
    SansReferentiel,
    #[error("base de données : {0}")]
    Base(#[from] sea_orm::DbErr),
}

/// Text decoded as Latin-1 from UTF-8 bytes ("Pointe-Ã -Pitre") back to UTF-8.
pub fn repair_mojibake(text: &str) -> Option<String> {
    if !text.contains(['Ã', 'Â']) {
        return None;
    }
    // A no-break space (U+00A0) often became a plain space on the way: try both.
    let candidates = [text.to_string(), text.replace("Ã ", "Ã\u{a0}")];
    for candidate in candidates {
        let bytes: Option<Vec<u8>> = candidate.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
        if let Some(Ok(repaired)) = bytes.map(String::from_utf8) {
            if repaired != text {
                return Some(repaired);
            }
        }
    }
    None
}

pub use app::rules::siret::is_valid_siret;

/// The kind of court, from its name.
pub fn kind_of(nom: &str) -> &'static str {
    let n = nom_recherche(nom);
    if n.starts_with("tribunal de proximite") {
        "tribunal_proximite"
    } else if n.starts_with("tribunal judiciaire") {
        "tribunal_judiciaire"
    } else if n.starts_with("tribunal de premiere instance") {
        "tribunal_premiere_instance"
    } else {
        "autre"
    }
}

/// The town's name without "CEDEX" and its number.
fn town_name(ville: &str) -> String {
    let n = nom_recherche(ville);
    match n.find(" cedex") {
        Some(i) => n[..i].trim().to_string(),
        None => n,
    }
}

struct Place {
    commune_code: String,
    departement: String,
    latitude: f64,
    longitude: f64,
}

/// The commune of a postal code and town name (postal code first, then the town's
/// name within the postal code's département, for CEDEX codes).
async fn locate(db: &impl ConnectionTrait, code_postal: &str, ville: &str) -> Result<Option<Place>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let wanted = town_name(ville);
    let by_postal_code = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            placeholders(
                backend,
                "SELECT c.code, c.nom_recherche, c.departement_code, c.latitude, c.longitude FROM communes c \
                 JOIN communes_codes_postaux p ON p.commune_code = c.code WHERE p.code_postal = ? ORDER BY c.population DESC",
            ),
            [code_postal.into()],
        ))
        .await?;
    let mut candidates = Vec::new();
    for row in &by_postal_code {
        candidates.push((
            row.try_get::<String>("", "code")?,
            row.try_get::<String>("", "nom_recherche")?,
            row.try_get::<String>("", "departement_code")?,
            row.try_get::<f64>("", "latitude")?,
            row.try_get::<f64>("", "longitude")?,
        ));
    }
    let chosen = candidates
        .iter()
        .find(|c| c.1 == wanted)
        .or_else(|| candidates.iter().find(|c| wanted.starts_with(&c.1) || c.1.starts_with(&wanted)))
        // Merged communes keep the old name inside the new one (Briey → Val de Briey).
        .or_else(|| candidates.iter().find(|c| format!(" {} ", c.1).contains(&format!(" {wanted} "))))
        .or(if candidates.len() == 1 { candidates.first() } else { None })
        .cloned();
    let chosen = match chosen {
        Some(c) => Some(c),
        None => {
            let Some(departement) = departement_of_postal_code(code_postal) else { return Ok(None) };
            let row = db
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    placeholders(
                        backend,
                        "SELECT code, nom_recherche, departement_code, latitude, longitude FROM communes \
                         WHERE departement_code = ? AND (nom_recherche = ? OR nom_recherche LIKE ?) \
                         ORDER BY nom_recherche = ? DESC, population DESC",
                    ),
                    // CEDEX codes are not postal codes of a commune: the town's name in
                    // its département, exact or as the start of the name
                    // ("saint ouen" → "saint ouen sur seine").
                    [departement.into(), wanted.clone().into(), format!("{wanted} %").into(), wanted.clone().into()],
                ))
                .await?;
            match row {
                Some(r) => Some((
                    r.try_get::<String>("", "code")?,
                    r.try_get::<String>("", "nom_recherche")?,
                    r.try_get::<String>("", "departement_code")?,
                    r.try_get::<f64>("", "latitude")?,
                    r.try_get::<f64>("", "longitude")?,
                )),
                None => None,
            }
        }
    };
    Ok(chosen.map(|(code, _, departement, latitude, longitude)| Place { commune_code: code, departement, latitude, longitude }))
}

pub async fn import_tribunaux(db: &DatabaseConnection, path: &Path) -> Result<ImportReport, ImportError> {
    let text = std::fs::read(path).map_err(|e| ImportError::Fichier(path.display().to_string(), e.to_string()))?;
    let text =
        String::from_utf8(text).map_err(|_| ImportError::Fichier(path.display().to_string(), "le fichier n'est pas en UTF-8".into()))?;
    let communes = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT COUNT(*) AS n FROM communes".to_string()))
        .await?
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0);
    if communes == 0 {
        return Err(ImportError::SansReferentiel);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| ImportError::Fichier(path.display().to_string(), e.to_string()))?.clone();
    let expected = ["nom", "code_postal", "ville", "siret", "adresse"];
    let index: Vec<Option<usize>> = expected.iter().map(|h| headers.iter().position(|x| x.trim() == *h)).collect();
    if index.iter().any(Option::is_none) {
        return Err(ImportError::Fichier(
            path.display().to_string(),
            format!("en-tête attendu : {} (reçu : {})", expected.join(","), headers.iter().collect::<Vec<_>>().join(",")),
        ));
    }
    let field = |record: &csv::StringRecord, i: usize| record.get(index[i].unwrap_or(0)).unwrap_or("").trim().to_string();

    let txn = app::db::begin(db).await?;
    let mut errors = Vec::new();
    let mut report = ImportReport { importes: 0, crees: 0, mis_a_jour: 0, reparations: Vec::new() };
    let mut seen = std::collections::HashSet::new();
    let now = chrono::Utc::now().fixed_offset();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("ligne {line} : illisible ({e})"));
                continue;
            }
        };
        let mut values: Vec<String> = (0..5).map(|k| field(&record, k)).collect();
        for value in values.iter_mut() {
            if let Some(repaired) = repair_mojibake(value) {
                report.reparations.push(format!("ligne {line} : « {value} » réparé en « {repaired} »"));
                *value = repaired;
            }
        }
        let [nom, code_postal, ville, siret, adresse] = <[String; 5]>::try_from(values).unwrap_or_default();
        if nom.is_empty() {
            errors.push(format!("ligne {line} : nom absent"));
            continue;
        }
        if !is_valid_siret(&siret) {
            errors.push(format!("ligne {line} : SIRET invalide « {siret} » (14 chiffres, clé de Luhn)"));
            continue;
        }
        if !seen.insert(siret.clone()) {
            errors.push(format!("ligne {line} : SIRET {siret} déjà présent plus haut dans le fichier"));
            continue;
        }
        let Some(place) = locate(&txn, &code_postal, &ville).await? else {
            errors.push(format!("ligne {line} : aucune commune pour « {code_postal} {ville} »"));
            continue;
        };
        let exists = txn
            .query_one_raw(Statement::from_sql_and_values(
                txn.get_database_backend(),
                placeholders(txn.get_database_backend(), "SELECT id FROM tribunaux WHERE siret = ?"),
                [siret.clone().into()],
            ))
            .await?
            .is_some();
        let columns = [
            ("nom", Expr::val(nom.clone())),
            ("type", Expr::val(kind_of(&nom))),
            ("siret", Expr::val(siret.clone())),
            ("adresse", Expr::val(adresse)),
            ("code_postal", Expr::val(code_postal)),
            ("ville", Expr::val(ville)),
            ("commune_code", Expr::val(place.commune_code)),
            ("departement_code", Expr::val(place.departement)),
            ("latitude", Expr::val(place.latitude)),
            ("longitude", Expr::val(place.longitude)),
            ("demo", Expr::val(false)),
            ("created_at", Expr::val(now)),
            ("updated_at", Expr::val(now)),
        ];
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("tribunaux"))
            .columns(columns.iter().map(|(c, _)| Alias::new(*c)))
            .values(columns.iter().map(|(_, v)| v.clone()))
            .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?
            .on_conflict(
                OnConflict::column(Alias::new("siret"))
                    .update_columns(columns.iter().filter(|(c, _)| !matches!(*c, "siret" | "created_at")).map(|(c, _)| Alias::new(*c)))
                    .to_owned(),
            );
        txn.execute(&insert).await?;
        report.importes += 1;
        if exists {
            report.mis_a_jour += 1;
        } else {
            report.crees += 1;
        }
    }
    if !errors.is_empty() {
        txn.rollback().await?;
        return Err(ImportError::Lignes(errors));
    }
    txn.commit().await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_mojibake_is_repaired() {
        assert_eq!(repair_mojibake("Pointe-Ã -Pitre").as_deref(), Some("Pointe-à-Pitre"));
        assert_eq!(repair_mojibake("Ã‰vry").as_deref(), None, "not Latin-1: left for the report");
        assert_eq!(repair_mojibake("Ã©vreux").as_deref(), Some("évreux"));
        assert_eq!(repair_mojibake("Lille"), None);
    }

    #[test]
    fn siret_luhn() {
        assert!(is_valid_siret("17380111900020"));
        assert!(!is_valid_siret("17380111900021"));
        assert!(!is_valid_siret("1738011190002"));
    }

    #[test]
    fn kinds_and_towns() {
        assert_eq!(kind_of("Tribunal judiciaire de Lille"), "tribunal_judiciaire");
        assert_eq!(kind_of("Tribunal de proximité de Roubaix"), "tribunal_proximite");
        assert_eq!(town_name("LILLE CEDEX 9"), "lille");
        assert_eq!(town_name("LA ROCHE SUR YON"), "la roche sur yon");
    }
}
