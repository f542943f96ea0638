//! `emjpm seed-demo --scale <departement:CODE|region:CODE|france> [--seed N]`: a
//! realistic, deterministic population for demonstrations, tests and benchmarks.
//!
//! Courts, judges and greffiers, approved professionals of the three kinds spread
//! by population (≈2,400 individuels, ≈700 préposés, ≈400 services with ≈1,200
//! antennes for `france`), and ≈1,000,000 measures in every status (≈700,000 en
//! cours). Counters are computed while generating, so they equal the measures.
//! Everything is written in one transaction, with multi-row INSERTs.

use super::{placeholders, BulkInsert};
use anyhow::{bail, Context, Result};
use app::rules::vocabulary::{CAUSES_SORTIE, COMPETENCES, TYPES_ETABLISSEMENT};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Instant;

pub const DEMO_PASSWORD: &str = "demo-emjpm";
/// The SIRET of the demo's approved individuel without an account (Camille
/// Lambert, approved in the demo's home département).
pub const SIRET_NOUVEAU_MANDATAIRE: &str = "90123456000018";
/// The demo administrator's second factor (administrators must have one): add
/// this key to an authenticator app, or `oathtool --totp -b` it. Demo data
/// only — never a real account.
pub const DEMO_ADMIN_TOTP: &str = "EMJPMDEMOEMJPMDEMOEMJPMDEMOEMJPM";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scale {
    Departement(String),
    Region(String),
    France,
}

impl FromStr for Scale {
    type Err = anyhow::Error;

    fn from_str(value: &str) -> Result<Self> {
        let value = value.trim();
        match value.split_once(':') {
            _ if value == "france" => Ok(Scale::France),
            Some(("departement", code)) if !code.is_empty() => Ok(Scale::Departement(code.to_uppercase())),
            Some(("region", code)) if !code.is_empty() => Ok(Scale::Region(code.to_string())),
            _ => {
                bail!("échelle inconnue « {value} » : attendu departement:CODE (ex. departement:59), region:CODE (ex. region:32) ou france")
            }
        }
    }
}

#[derive(Debug)]
pub struct DemoReport {
    pub tribunaux: usize,
    pub utilisateurs: usize,
    pub gestionnaires: usize,
    pub antennes: usize,
    pub mesures: usize,
    pub en_cours: usize,
    pub secondes: f64,
}

impl std::fmt::Display for DemoReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Données de démonstration : {} tribunaux, {} comptes, {} mandataires, {} antennes, {} mesures (dont {} en cours) en {:.1} s.",
            self.tribunaux, self.utilisateurs, self.gestionnaires, self.antennes, self.mesures, self.en_cours, self.secondes
        )
    }
}

/// National totals, scaled down by population for smaller scales.
const INDIVIDUELS: f64 = 2400.0;
const PREPOSES: f64 = 700.0;
const SERVICES: f64 = 400.0;

#[derive(Clone)]
struct Commune {
    code: String,
    nom: String,
    code_postal: String,
    population: i64,
    latitude: f64,
    longitude: f64,
}

struct Departement {
    code: String,
    nom: String,
    region: String,
    chef_lieu: String,
    communes: Vec<Commune>,
    /// Cumulative populations, to draw communes weighted by population.
    cumulative: Vec<i64>,
    population: i64,
}

impl Departement {
    fn commune(&self, rng: &mut ChaCha8Rng) -> &Commune {
        let total = *self.cumulative.last().unwrap_or(&1);
        let pick = rng.gen_range(0..total.max(1));
        let i = self.cumulative.partition_point(|&c| c <= pick).min(self.communes.len() - 1);
        &self.communes[i]
    }

    fn by_code(&self, code: &str) -> Option<&Commune> {
        self.communes.iter().find(|c| c.code == code)
    }
}

/// Explicit ids, so that rows can reference each other without round trips.
#[derive(Default)]
struct Ids {
    user: i32,
    tribunal: i32,
    etablissement: i32,
    liste_blanche: i32,
    gestionnaire: i32,
    antenne: i32,
    mesure: i64,
    etat: i64,
}

struct Tribunal {
    id: i32,
    judges: Vec<i32>,
}

fn val<T: Into<sea_orm::Value>>(v: T) -> SimpleExpr {
    Expr::val(v)
}

fn null() -> SimpleExpr {
    Expr::val(Option::<String>::None)
}

fn opt(v: Option<String>) -> SimpleExpr {
    Expr::val(v)
}

pub async fn seed_demo(db: &DatabaseConnection, scale: Scale, seed: u64) -> Result<DemoReport> {
    let started = Instant::now();
    let backend = db.get_database_backend();
    let count = |sql: &str| {
        let sql = sql.to_string();
        async move {
            let row = db.query_one_raw(Statement::from_string(backend, sql)).await?;
            Ok::<i64, anyhow::Error>(row.and_then(|r| r.try_get::<i64>("", "n").ok()).unwrap_or(0))
        }
    };
    if count("SELECT COUNT(*) AS n FROM communes").await? == 0 {
        bail!("les communes ne sont pas chargées : lancez d'abord `emjpm seed-reference`");
    }
    if count("SELECT COUNT(*) AS n FROM users WHERE email = 'admin@demo.emjpm.local'").await? > 0 {
        bail!("des données de démonstration sont déjà présentes dans cette base ; utilisez une base vide");
    }
    let departements = load_geography(db, &scale).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let password = app::accounts::password::hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("hachage du mot de passe : {e}"))?;
    let now = Utc::now().fixed_offset();
    let today = now.date_naive();

    let txn = app::db::begin(db).await?;
    let mut ids = Ids {
        user: max_id(&txn, "users").await? as i32,
        tribunal: max_id(&txn, "tribunaux").await? as i32,
        etablissement: max_id(&txn, "etablissements").await? as i32,
        liste_blanche: max_id(&txn, "liste_blanche").await? as i32,
        gestionnaire: max_id(&txn, "gestionnaires").await? as i32,
        antenne: max_id(&txn, "antennes").await? as i32,
        mesure: max_id(&txn, "mesures").await?,
        etat: max_id(&txn, "mesure_etats").await?,
    };
    let mut w = Writers::new();
    let france_population = 68_000_000.0_f64;

    // Demo accounts live in Nord when the scale has it, else in its first département.
    let home = departements.iter().position(|d| d.code == "59").unwrap_or(0);
    let mut report = DemoReport { tribunaux: 0, utilisateurs: 0, gestionnaires: 0, antennes: 0, mesures: 0, en_cours: 0, secondes: 0.0 };

    // Courts: the imported ones, else one tribunal judiciaire per département.
    let mut tribunaux: HashMap<String, Tribunal> = HashMap::new();
    for d in &departements {
        let existing = txn
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                placeholders(backend, "SELECT id FROM tribunaux WHERE departement_code = ? AND type = 'tribunal_judiciaire' ORDER BY id"),
                [d.code.clone().into()],
            ))
            .await?
            .and_then(|r| r.try_get::<i32>("", "id").ok());
        let id = match existing {
            Some(id) => id,
            None => {
                ids.tribunal += 1;
                let chef_lieu = d.by_code(&d.chef_lieu).unwrap_or(&d.communes[0]).clone();
                w.tribunaux
                    .push(
                        &txn,
                        vec![
                            val(ids.tribunal),
                            val(format!("Tribunal judiciaire {}", app::rules::texte::de(&chef_lieu.nom))),
                            val("tribunal_judiciaire"),
                            val(format!("{} place du Palais de Justice", rng.gen_range(1..40))),
                            val(chef_lieu.code_postal.clone()),
                            val(chef_lieu.nom.clone()),
                            val(chef_lieu.code.clone()),
                            val(d.code.clone()),
                            val(chef_lieu.latitude),
                            val(chef_lieu.longitude),
                            val(true),
                            val(now),
                            val(now),
                        ],
                    )
                    .await?;
                report.tribunaux += 1;
                ids.tribunal
            }
        };
        tribunaux.insert(d.code.clone(), Tribunal { id, judges: Vec::new() });
    }
    w.tribunaux.flush(&txn).await?;

    // Judges and greffiers.
    for (i, d) in departements.iter().enumerate() {
        let tribunal = tribunaux.get_mut(&d.code).context("tribunal")?;
        let (magistrats, greffiers) = (rng.gen_range(1..=3), rng.gen_range(1..=2));
        for k in 0..magistrats + greffiers {
            let role = if k < magistrats { "magistrat" } else { "greffier" };
            let (prenom, nom) = person(&mut rng);
            let email = if i == home && k == 0 {
                "magistrat.lille@demo.emjpm.local".to_string()
            } else if i == home && k == magistrats {
                "greffier.lille@demo.emjpm.local".to_string()
            } else {
                format!("{}.{}.{}@justice.demo.emjpm.local", slug(prenom), slug(nom), ids.user + 1)
            };
            let user = w.user(&txn, &mut ids, &email, role, prenom, nom, &password, now).await?;
            let table = if role == "magistrat" { &mut w.magistrats } else { &mut w.greffiers };
            table.push(&txn, vec![val(user), val(tribunal.id), val(format!("{}", k + 1))]).await?;
            if role == "magistrat" {
                tribunal.judges.push(user);
            }
        }
    }
    w.user(&txn, &mut ids, "admin@demo.emjpm.local", "admin", "Alex", "Durand", &password, now).await?;
    let home_d = &departements[home];
    let dir = w
        .user(
            &txn,
            &mut ids,
            &format!("direction.{}@demo.emjpm.local", home_d.code.to_lowercase()),
            "direction",
            "Dominique",
            "Lefèvre",
            &password,
            now,
        )
        .await?;
    let dir_email_59 = home_d.code == "59";
    w.directions
        .push(&txn, vec![val(dir), val("departemental"), null(), val(home_d.code.clone()), val(format!("DDETS {}", de(&home_d.nom)))])
        .await?;
    let region_nom = region_name(&txn, &home_d.region).await?;
    let dreets = w
        .user(
            &txn,
            &mut ids,
            if dir_email_59 { "direction.hdf@demo.emjpm.local" } else { "direction.region@demo.emjpm.local" },
            "direction",
            "Claude",
            "Moreau",
            &password,
            now,
        )
        .await?;
    w.directions
        .push(&txn, vec![val(dreets), val("regional"), val(home_d.region.clone()), null(), val(format!("DREETS {region_nom}"))])
        .await?;

    // Professionals, département by département.
    for (i, d) in departements.iter().enumerate() {
        let share = d.population as f64 / france_population;
        let counts = [
            ("individuel", ((INDIVIDUELS * share).round() as usize).max(3)),
            ("prepose", ((PREPOSES * share).round() as usize).max(1)),
            ("service", ((SERVICES * share).round() as usize).max(1)),
        ];
        let tribunal = &tribunaux[&d.code];
        for (kind, n) in counts {
            for k in 0..n {
                let demo_account = (i == home && k == 0).then(|| format!("{kind}@demo.emjpm.local"));
                let other = departements.choose(&mut rng).map(|o| o.code.clone());
                let g = Professional { kind, departement: d, tribunal, demo_account, other_departement: other };
                g.create(&txn, &mut w, &mut ids, &mut rng, &password, now, today, &mut report).await?;
                if w.pending() > 40_000 {
                    w.flush(&txn).await?;
                }
            }
        }
    }
    // An approved individuel who has no account yet: signing up with this
    // SIRET, the administrators are proposed this entry (the rollout's usual case).
    ids.liste_blanche += 1;
    w.liste_blanche
        .push(
            &txn,
            vec![
                val(ids.liste_blanche),
                val("individuel"),
                val("Lambert"),
                val("Camille"),
                val(SIRET_NOUVEAU_MANDATAIRE),
                val("camille.lambert@mandataires.demo.emjpm.local"),
                val(now),
                val(now),
            ],
        )
        .await?;
    w.lb_departements.push(&txn, vec![val(ids.liste_blanche), val(home_d.code.clone()), val(true)]).await?;
    w.flush(&txn).await?;
    super::console::seed(&txn, &mut rng, now).await?;
    reservations_par_le_service(&txn, today).await?;
    // The measures were written in bulk: their figures are counted once, at the end.
    app::statistiques::agregats::reconstruire(&txn).await?;
    app::repartition::dernieres::reconstruire(&txn).await?;
    txn.execute_unprepared(&format!(
        "UPDATE users SET totp_secret = '{DEMO_ADMIN_TOTP}', totp_actif = true WHERE email = 'admin@demo.emjpm.local'"
    ))
    .await?;
    if backend == DatabaseBackend::Postgres {
        for table in ["users", "tribunaux", "etablissements", "liste_blanche", "gestionnaires", "antennes", "mesures", "mesure_etats"] {
            txn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
            ))
            .await?;
        }
    }
    txn.commit().await?;
    report.utilisateurs = w.users.inserted;
    report.gestionnaires = w.gestionnaires.inserted;
    report.antennes = w.antennes.inserted;
    report.mesures = w.mesures.inserted;
    report.secondes = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The service's history in the open territory (Hauts-de-France, open
/// since before these 12 months): seven in ten of the measures named there
/// in the last 12 months were reserved by their tribunal two days and a few
/// hours before, then accepted within two days — with their `reservee` and
/// `acceptee` events; every pending reservation has its `reservee` event.
/// Decided by each measure's id, not by the random generator, so that the
/// rest of the demo data stays exactly as it was.
async fn reservations_par_le_service(db: &impl ConnectionTrait, today: NaiveDate) -> Result<()> {
    let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
    // Timestamps are written in UTC with a "T", as the application writes them.
    let decale = |colonne: &str, heures: &str| {
        if postgres {
            format!("{colonne} + ({heures}) * interval '1 hour'")
        } else {
            format!("strftime('%Y-%m-%dT%H:%M:%S+00:00', {colonne}, ({heures}) || ' hours')")
        }
    };
    let depuis = (today - Duration::days(365)).format("%Y-%m-%d");
    db.execute_unprepared(&format!(
        "UPDATE mesures SET date_reservation = {} WHERE date_reservation IS NULL AND date_nomination >= '{depuis}' AND id % 10 < 7 \
         AND tribunal_id IN (SELECT t.id FROM tribunaux t JOIN departements d ON d.code = t.departement_code WHERE d.region_code = '32')",
        decale("created_at", "-48 - id % 9")
    ))
    .await?;
    db.execute_unprepared(
        "INSERT INTO mesure_evenements (mesure_id, at, action, actor_user_id) \
         SELECT id, date_reservation, 'reservee', reservee_par FROM mesures WHERE date_reservation IS NOT NULL",
    )
    .await?;
    db.execute_unprepared(&format!(
        "INSERT INTO mesure_evenements (mesure_id, at, action) SELECT id, {}, 'acceptee' FROM mesures \
         WHERE date_reservation IS NOT NULL AND date_nomination IS NOT NULL",
        decale("date_reservation", "1 + id % 47")
    ))
    .await?;
    Ok(())
}

/// "du Nord", "de la Somme", "de l'Aisne", "des Yvelines"...
fn de(nom: &str) -> String {
    let first = nom.chars().next().unwrap_or('A');
    if nom.starts_with("Hauts-")
        || nom.starts_with("Yvelines")
        || nom.starts_with("Landes")
        || nom.starts_with("Vosges")
        || nom.starts_with("Ardennes")
        || nom.starts_with("Bouches-")
        || nom.starts_with("Côtes-")
        || nom.starts_with("Deux-")
        || nom.starts_with("Alpes-")
        || nom.starts_with("Pyrénées")
    {
        format!("des {nom}")
    } else if "AEIOUÉÈÎ".contains(first) {
        format!("de l'{nom}")
    } else if [
        "Nord",
        "Pas-de-Calais",
        "Rhône",
        "Var",
        "Gard",
        "Cher",
        "Doubs",
        "Jura",
        "Lot",
        "Loiret",
        "Finistère",
        "Calvados",
        "Morbihan",
        "Tarn",
        "Gers",
        "Cantal",
        "Val-d'Oise",
        "Val-de-Marne",
        "Haut-Rhin",
        "Bas-Rhin",
        "Loir-et-Cher",
        "Puy-de-Dôme",
        "Maine-et-Loire",
        "Lot-et-Garonne",
        "Tarn-et-Garonne",
        "Territoire de Belfort",
    ]
    .contains(&nom)
    {
        format!("du {nom}")
    } else {
        format!("de la {nom}")
    }
}

async fn region_name(db: &impl ConnectionTrait, code: &str) -> Result<String> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            placeholders(backend, "SELECT nom FROM regions WHERE code = ?"),
            [code.into()],
        ))
        .await?;
    Ok(row.and_then(|r| r.try_get::<String>("", "nom").ok()).unwrap_or_else(|| code.to_string()))
}

async fn max_id(db: &impl ConnectionTrait, table: &str) -> Result<i64> {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT MAX(id) AS n FROM {table}"))).await?;
    Ok(row
        .and_then(|r| {
            r.try_get::<Option<i64>>("", "n").ok().flatten().or_else(|| r.try_get::<Option<i32>>("", "n").ok().flatten().map(i64::from))
        })
        .unwrap_or(0))
}

/// The départements of the scale with their communes.
async fn load_geography(db: &DatabaseConnection, scale: &Scale) -> Result<Vec<Departement>> {
    let backend = db.get_database_backend();
    let (filter, value) = match scale {
        Scale::Departement(code) => ("WHERE code = ?", Some(code.clone())),
        Scale::Region(code) => ("WHERE region_code = ?", Some(code.clone())),
        Scale::France => ("", None),
    };
    let sql = placeholders(backend, &format!("SELECT code, nom, region_code, chef_lieu FROM departements {filter} ORDER BY code"));
    let rows = match value {
        Some(v) => db.query_all_raw(Statement::from_sql_and_values(backend, sql, [v.into()])).await?,
        None => db.query_all_raw(Statement::from_string(backend, sql)).await?,
    };
    if rows.is_empty() {
        bail!(match scale {
            Scale::Departement(code) => format!("département inconnu : {code}"),
            Scale::Region(code) => format!("région inconnue : {code}"),
            Scale::France => "aucun département chargé : lancez `emjpm seed-reference`".to_string(),
        });
    }
    let mut departements = Vec::new();
    for row in rows {
        let code: String = row.try_get("", "code")?;
        let communes_rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                placeholders(backend, "SELECT code, nom, codes_postaux, population, latitude, longitude FROM communes WHERE departement_code = ? ORDER BY code"),
                [code.clone().into()],
            ))
            .await?;
        let mut communes = Vec::new();
        for c in communes_rows {
            let postal: String = c.try_get("", "codes_postaux")?;
            communes.push(Commune {
                code: c.try_get("", "code")?,
                nom: c.try_get("", "nom")?,
                code_postal: postal.split(',').next().unwrap_or("").to_string(),
                population: i64::from(c.try_get::<i32>("", "population")?),
                latitude: c.try_get("", "latitude")?,
                longitude: c.try_get("", "longitude")?,
            });
        }
        // Paris, Lyon, Marseille: the arrondissements, not the whole city, hold people.
        let arrondissements = communes.iter().any(|c| matches!(&c.code[..], "75101" | "69381" | "13201"));
        if arrondissements {
            communes.retain(|c| !matches!(&c.code[..], "75056" | "69123" | "13055"));
        }
        if communes.is_empty() {
            continue;
        }
        let mut cumulative = Vec::with_capacity(communes.len());
        let mut total = 0;
        for c in &communes {
            total += c.population.max(1);
            cumulative.push(total);
        }
        departements.push(Departement {
            nom: row.try_get("", "nom")?,
            region: row.try_get("", "region_code")?,
            chef_lieu: row.try_get("", "chef_lieu")?,
            code,
            population: total,
            communes,
            cumulative,
        });
    }
    Ok(departements)
}

/// The tables written, each with its batch.
struct Writers {
    users: BulkInsert,
    tribunaux: BulkInsert,
    magistrats: BulkInsert,
    greffiers: BulkInsert,
    directions: BulkInsert,
    etablissements: BulkInsert,
    liste_blanche: BulkInsert,
    lb_departements: BulkInsert,
    lb_etablissements: BulkInsert,
    gestionnaires: BulkInsert,
    antennes: BulkInsert,
    membres: BulkInsert,
    preferes: BulkInsert,
    mesures: BulkInsert,
    etats: BulkInsert,
}

const LOCATED: [&str; 6] = ["adresse", "code_postal", "commune_code", "departement_code", "latitude", "longitude"];

impl Writers {
    fn new() -> Self {
        Writers {
            users: BulkInsert::manual(
                "users",
                &["id", "email", "password_hash", "role", "prenom", "nom", "telephone", "active", "created_at", "updated_at"],
            ),
            tribunaux: BulkInsert::manual(
                "tribunaux",
                &[
                    "id",
                    "nom",
                    "type",
                    "adresse",
                    "code_postal",
                    "ville",
                    "commune_code",
                    "departement_code",
                    "latitude",
                    "longitude",
                    "demo",
                    "created_at",
                    "updated_at",
                ],
            ),
            magistrats: BulkInsert::manual("magistrats", &["user_id", "tribunal_id", "cabinet"]),
            greffiers: BulkInsert::manual("greffiers", &["user_id", "tribunal_id", "cabinet"]),
            directions: BulkInsert::manual("directions", &["user_id", "type", "region_code", "departement_code", "structure"]),
            etablissements: BulkInsert::manual(
                "etablissements",
                &["id", "nom", "finess", "type_etablissement", LOCATED[0], LOCATED[1], LOCATED[2], LOCATED[3], LOCATED[4], LOCATED[5]],
            ),
            liste_blanche: BulkInsert::manual(
                "liste_blanche",
                &["id", "type", "nom", "prenom", "siret", "email", "created_at", "updated_at"],
            ),
            lb_departements: BulkInsert::manual("liste_blanche_departements", &["liste_blanche_id", "departement_code", "financeur"]),
            lb_etablissements: BulkInsert::manual("liste_blanche_etablissements", &["liste_blanche_id", "etablissement_id"]),
            gestionnaires: BulkInsert::manual(
                "gestionnaires",
                &[
                    "id",
                    "type",
                    "nom",
                    "prenom",
                    "siret",
                    "email",
                    "telephone",
                    "suspendu",
                    "motif_suspension",
                    "natures_acceptees",
                    "competences",
                    "liste_blanche_id",
                    "created_at",
                    "updated_at",
                    LOCATED[0],
                    LOCATED[1],
                    LOCATED[2],
                    LOCATED[3],
                    LOCATED[4],
                    LOCATED[5],
                    "mesures_max",
                    "en_cours",
                    "en_attente",
                    "derniere_mise_a_jour",
                ],
            ),
            antennes: BulkInsert::manual(
                "antennes",
                &[
                    "id",
                    "gestionnaire_id",
                    "nom",
                    "contact",
                    "email",
                    "telephone",
                    "created_at",
                    "updated_at",
                    LOCATED[0],
                    LOCATED[1],
                    LOCATED[2],
                    LOCATED[3],
                    LOCATED[4],
                    LOCATED[5],
                    "mesures_max",
                    "en_cours",
                    "en_attente",
                    "derniere_mise_a_jour",
                ],
            ),
            membres: BulkInsert::manual("gestionnaire_membres", &["user_id", "gestionnaire_id", "admin"]),
            preferes: BulkInsert::manual("gestionnaire_tribunaux", &["gestionnaire_id", "tribunal_id"]),
            mesures: BulkInsert::manual(
                "mesures",
                &[
                    "id",
                    "gestionnaire_id",
                    "antenne_id",
                    "tribunal_id",
                    "numero_rg",
                    "cabinet",
                    "statut",
                    "nature",
                    "champ",
                    "lieu_vie",
                    "type_etablissement",
                    "civilite",
                    "annee_naissance",
                    "commune_code",
                    "code_postal",
                    "pays",
                    "urgent",
                    "date_prevue_jugement",
                    "date_nomination",
                    "date_fin",
                    "cause_sortie",
                    "reservee_par",
                    "date_reservation",
                    "created_at",
                    "updated_at",
                ],
            ),
            etats: BulkInsert::manual(
                "mesure_etats",
                &[
                    "id",
                    "mesure_id",
                    "date_changement",
                    "nature",
                    "champ",
                    "lieu_vie",
                    "type_etablissement",
                    "commune_code",
                    "code_postal",
                    "pays",
                    "created_at",
                ],
            ),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn user(
        &mut self,
        db: &impl ConnectionTrait,
        ids: &mut Ids,
        email: &str,
        role: &str,
        prenom: &str,
        nom: &str,
        password: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<i32> {
        ids.user += 1;
        self.users
            .push(
                db,
                vec![
                    val(ids.user),
                    val(email.to_lowercase()),
                    val(password.to_string()),
                    val(role),
                    val(prenom),
                    val(nom),
                    val(format!("03 20 {:02} {:02} {:02}", ids.user % 100, (ids.user / 100) % 100, (ids.user * 7) % 100)),
                    val(true),
                    val(now),
                    val(now),
                ],
            )
            .await?;
        Ok(ids.user)
    }

    fn pending(&self) -> usize {
        self.mesures.pending() + self.etats.pending()
    }

    /// In dependency order.
    async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<()> {
        for table in [
            &mut self.users,
            &mut self.tribunaux,
            &mut self.magistrats,
            &mut self.greffiers,
            &mut self.directions,
            &mut self.etablissements,
            &mut self.liste_blanche,
            &mut self.lb_departements,
            &mut self.lb_etablissements,
            &mut self.gestionnaires,
            &mut self.antennes,
            &mut self.membres,
            &mut self.preferes,
            &mut self.mesures,
            &mut self.etats,
        ] {
            table.flush(db).await?;
        }
        Ok(())
    }
}

const PRENOMS: [&str; 40] = [
    "Camille",
    "Claire",
    "Julie",
    "Sophie",
    "Nathalie",
    "Isabelle",
    "Sandrine",
    "Céline",
    "Aurélie",
    "Emilie",
    "Marie",
    "Anne",
    "Laurence",
    "Valérie",
    "Christine",
    "Hélène",
    "Caroline",
    "Audrey",
    "Élodie",
    "Fatima",
    "Thomas",
    "Nicolas",
    "Julien",
    "Sébastien",
    "Olivier",
    "Laurent",
    "Stéphane",
    "Christophe",
    "Frédéric",
    "David",
    "Pierre",
    "Jérôme",
    "Mathieu",
    "Vincent",
    "Karim",
    "Mehdi",
    "Antoine",
    "François",
    "Yann",
    "Hugo",
];
const NOMS: [&str; 40] = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefèvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
];
const RUES: [&str; 12] = [
    "rue de la République",
    "rue Victor Hugo",
    "avenue Jean Jaurès",
    "rue Pasteur",
    "boulevard Gambetta",
    "rue Nationale",
    "place du Général de Gaulle",
    "rue de la Gare",
    "rue Jules Ferry",
    "avenue de la Liberté",
    "rue du Moulin",
    "rue des Écoles",
];
const SERVICES_NOMS: [&str; 6] = ["ATMP", "UDAF", "Association tutélaire", "Sauvegarde", "APAJH", "Tutelles et curatelles"];
const MOTIFS: [&str; 3] = ["Congé maternité", "Surcharge d'activité", "Cessation d'activité prochaine"];

fn person(rng: &mut ChaCha8Rng) -> (&'static str, &'static str) {
    (PRENOMS[rng.gen_range(0..PRENOMS.len())], NOMS[rng.gen_range(0..NOMS.len())])
}

fn slug(text: &str) -> String {
    app::rules::geo::nom_recherche(text).replace(' ', "-")
}

/// A SIRET with a valid Luhn key.
fn siret(rng: &mut ChaCha8Rng) -> String {
    let mut digits: Vec<u32> = (0..13).map(|_| rng.gen_range(0..10)).collect();
    digits[0] = rng.gen_range(1..10);
    let check = app::rules::siret::luhn_key(&digits);
    digits.push(check);
    digits.iter().map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect()
}

/// A point near a commune's (≤ ~1 km), for an address in it.
fn near(c: &Commune, rng: &mut ChaCha8Rng) -> (f64, f64) {
    (c.latitude + rng.gen_range(-0.008..0.008), c.longitude + rng.gen_range(-0.011..0.011))
}

fn located(c: &Commune, d: &Departement, rng: &mut ChaCha8Rng) -> Vec<SimpleExpr> {
    let (lat, lon) = near(c, rng);
    vec![
        val(format!("{} {}", rng.gen_range(1..180), RUES[rng.gen_range(0..RUES.len())])),
        val(c.code_postal.clone()),
        val(c.code.clone()),
        val(d.code.clone()),
        val(lat),
        val(lon),
    ]
}

fn weighted<'a>(rng: &mut ChaCha8Rng, items: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (item, weight) in items {
        if pick < *weight {
            return item;
        }
        pick -= weight;
    }
    items[0].0
}

const NATURES_POIDS: [(&str, u32); 9] = [
    ("curatelle_renforcee", 45),
    ("tutelle", 35),
    ("curatelle_simple", 8),
    ("sauvegarde_justice", 5),
    ("mesure_accompagnement_judiciaire", 3),
    ("subroge_curateur", 1),
    ("subroge_tuteur", 1),
    ("mandat_protection_future", 1),
    ("mesure_ad_hoc", 1),
];
const CHAMPS_POIDS: [(&str, u32); 3] = [("protection_bien_personne", 85), ("protection_bien", 12), ("protection_personne", 3)];
const LIEUX_POIDS: [(&str, u32); 4] = [("domicile", 60), ("etablissement", 30), ("etablissement_conservation_domicile", 7), ("sdf", 3)];

struct Professional<'a> {
    kind: &'static str,
    departement: &'a Departement,
    tribunal: &'a Tribunal,
    demo_account: Option<String>,
    other_departement: Option<String>,
}

/// An office (the gestionnaire itself, or an antenne) measures are counted on.
struct Office {
    antenne: Option<i32>,
    capacity: i32,
    en_cours: i32,
    en_attente: i32,
}

impl Professional<'_> {
    #[allow(clippy::too_many_arguments)]
    async fn create(
        &self,
        db: &impl ConnectionTrait,
        w: &mut Writers,
        ids: &mut Ids,
        rng: &mut ChaCha8Rng,
        password: &str,
        now: DateTime<FixedOffset>,
        today: NaiveDate,
        report: &mut DemoReport,
    ) -> Result<()> {
        let d = self.departement;
        let demo = self.demo_account.is_some();
        // Demo professionals sit in the département's chef-lieu (Lille for Nord).
        let commune = if demo { d.by_code(&d.chef_lieu).unwrap_or(&d.communes[0]).clone() } else { d.commune(rng).clone() };
        let (prenom, nom) = person(rng);
        let (nom, prenom): (String, Option<String>) = match self.kind {
            "service" => {
                (format!("{} {} {}", SERVICES_NOMS[rng.gen_range(0..SERVICES_NOMS.len())], de(&d.nom), ids.gestionnaire + 1), None)
            }
            _ => (nom.to_string(), Some(prenom.to_string())),
        };
        let siret = siret(rng);
        ids.gestionnaire += 1;
        ids.liste_blanche += 1;
        let (g, lb) = (ids.gestionnaire, ids.liste_blanche);
        let email = self.demo_account.clone().unwrap_or_else(|| format!("{}.{g}@mandataires.demo.emjpm.local", slug(&nom)));
        w.liste_blanche
            .push(
                db,
                vec![
                    val(lb),
                    val(self.kind),
                    val(nom.clone()),
                    opt(prenom.clone()),
                    val(siret.clone()),
                    val(email.clone()),
                    val(now),
                    val(now),
                ],
            )
            .await?;
        // Approval: individuels and services by département (one financeur),
        // préposés through their établissement.
        match self.kind {
            "prepose" => {
                ids.etablissement += 1;
                let kind = if rng.gen_bool(0.5) { "etablissement_hospitalier" } else { "etablissement_personne_agee" };
                let label = if kind == "etablissement_hospitalier" { "Centre hospitalier" } else { "EHPAD" };
                let mut row = vec![
                    val(ids.etablissement),
                    val(format!("{label} de {}", commune.nom)),
                    val(format!("{:09}", rng.gen_range(10_000_000..999_999_999))),
                    val(kind),
                ];
                row.extend(located(&commune, d, rng));
                w.etablissements.push(db, row).await?;
                w.lb_etablissements.push(db, vec![val(lb), val(ids.etablissement)]).await?;
            }
            _ => {
                w.lb_departements.push(db, vec![val(lb), val(d.code.clone()), val(true)]).await?;
                if let Some(other) = self.other_departement.as_ref().filter(|o| **o != d.code && rng.gen_bool(0.15)) {
                    w.lb_departements.push(db, vec![val(lb), val(other.clone()), val(false)]).await?;
                }
            }
        }
        // Capacity and activity. Services carry most measures.
        let capacity: i32 = match self.kind {
            "individuel" => rng.gen_range(30..=90),
            "prepose" => rng.gen_range(30..=120),
            _ => rng.gen_range(400..=2200),
        };
        let suspendu = !demo && rng.gen_bool(0.03);
        let stale = !demo && rng.gen_bool(0.2);
        let derniere = now - Duration::days(if stale { rng.gen_range(31..400) } else { rng.gen_range(0..30) });
        let competences: Vec<&str> = if rng.gen_bool(0.15) {
            {
                let n = rng.gen_range(1..=2);
                COMPETENCES.choose_multiple(rng, n).copied().collect()
            }
        } else {
            Vec::new()
        };
        let natures = if rng.gen_bool(0.1) { "tutelle,curatelle_renforcee,curatelle_simple" } else { "" };

        // Offices: a service's antennes share its capacity (Σ ≤ capacity).
        let mut offices = Vec::new();
        let mut antenne_rows = Vec::new();
        if self.kind == "service" {
            let n = if demo { 2 } else { rng.gen_range(2..=4) };
            let mut remaining = capacity;
            for k in 0..n {
                let share = if k + 1 == n { remaining } else { (capacity as f64 * rng.gen_range(0.2..0.45)) as i32 };
                let share = share.min(remaining);
                remaining -= share;
                ids.antenne += 1;
                let place = if k == 0 { commune.clone() } else { d.commune(rng).clone() };
                antenne_rows.push((ids.antenne, place, k));
                offices.push(Office { antenne: Some(ids.antenne), capacity: share, en_cours: 0, en_attente: 0 });
            }
        } else {
            offices.push(Office { antenne: None, capacity, en_cours: 0, en_attente: 0 });
        }

        // Measures.
        let mut rg = 0u32;
        let judges = &self.tribunal.judges;
        for office in offices.iter_mut() {
            let load = rng.gen_range(0.75..1.15);
            let en_cours = (office.capacity as f64 * load).round() as i32;
            let en_attente = if suspendu { 0 } else { rng.gen_range(0..=if self.kind == "service" { 25 } else { 4 }) };
            let eteintes = (en_cours as f64 * 0.4).round() as i32;
            for (statut, n) in [("en_cours", en_cours), ("en_attente", en_attente), ("eteinte", eteintes)] {
                for _ in 0..n {
                    rg += 1;
                    self.measure(db, w, ids, rng, g, office.antenne, statut, rg, judges, now, today).await?;
                }
            }
            office.en_cours = en_cours;
            office.en_attente = en_attente;
            report.mesures += (en_cours + en_attente + eteintes) as usize;
            report.en_cours += en_cours as usize;
        }
        let total_en_cours: i32 = offices.iter().map(|o| o.en_cours).sum();
        let total_en_attente: i32 = offices.iter().map(|o| o.en_attente).sum();

        let mut row = vec![
            val(g),
            val(self.kind),
            val(nom.clone()),
            opt(prenom.clone()),
            val(siret),
            val(email.clone()),
            val(format!(
                "0{} {:02} {:02} {:02} {:02}",
                rng.gen_range(1..6),
                rng.gen_range(0..100),
                rng.gen_range(0..100),
                rng.gen_range(0..100),
                rng.gen_range(0..100)
            )),
            val(suspendu),
            opt(suspendu.then(|| MOTIFS[rng.gen_range(0..MOTIFS.len())].to_string())),
            val(natures),
            val(competences.join(",")),
            val(lb),
            val(now),
            val(now),
        ];
        row.extend(located(&commune, d, rng));
        row.extend([val(capacity), val(total_en_cours), val(total_en_attente), val(derniere)]);
        w.gestionnaires.push(db, row).await?;
        for ((id, place, k), office) in antenne_rows.into_iter().zip(&offices) {
            let mut row = vec![
                val(id),
                val(g),
                val(if k == 0 {
                    format!("Siège {}", app::rules::texte::de(&place.nom))
                } else {
                    format!("Antenne {}", app::rules::texte::de(&place.nom))
                }),
                val(format!("{} {}", PRENOMS[rng.gen_range(0..PRENOMS.len())], NOMS[rng.gen_range(0..NOMS.len())])),
                val(format!("antenne.{id}@mandataires.demo.emjpm.local")),
                val(format!(
                    "03 {:02} {:02} {:02} {:02}",
                    rng.gen_range(0..100),
                    rng.gen_range(0..100),
                    rng.gen_range(0..100),
                    rng.gen_range(0..100)
                )),
                val(now),
                val(now),
            ];
            row.extend(located(&place, d, rng));
            row.extend([val(office.capacity), val(office.en_cours), val(office.en_attente), val(derniere)]);
            w.antennes.push(db, row).await?;
        }
        // Accounts: one per individuel or préposé, one to four per service (the first is admin).
        let members = if self.kind == "service" && !demo { rng.gen_range(1..=4) } else { 1 };
        for m in 0..members {
            let (p, n) = if self.kind == "service" { person(rng) } else { (prenom.as_deref().unwrap_or("Camille"), nom.as_str()) };
            let login = match (&self.demo_account, m) {
                (Some(demo), 0) => demo.clone(),
                _ => format!("{}.{}.{}@mandataires.demo.emjpm.local", slug(p), slug(n), ids.user + 1),
            };
            let user = w.user(db, ids, &login, self.kind, p, n, password, now).await?;
            w.membres.push(db, vec![val(user), val(g), val(m == 0)]).await?;
        }
        if demo || rng.gen_bool(0.2) {
            w.preferes.push(db, vec![val(g), val(self.tribunal.id)]).await?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn measure(
        &self,
        db: &impl ConnectionTrait,
        w: &mut Writers,
        ids: &mut Ids,
        rng: &mut ChaCha8Rng,
        gestionnaire: i32,
        antenne: Option<i32>,
        statut: &str,
        rg: u32,
        judges: &[i32],
        now: DateTime<FixedOffset>,
        today: NaiveDate,
    ) -> Result<()> {
        ids.mesure += 1;
        let id = ids.mesure;
        let person = self.departement.commune(rng);
        let nature = weighted(rng, &NATURES_POIDS);
        let champ = weighted(rng, &CHAMPS_POIDS);
        let accepted = statut != "en_attente";
        let lieu = accepted.then(|| weighted(rng, &LIEUX_POIDS));
        let type_etablissement = lieu
            .filter(|l| l.starts_with("etablissement"))
            .map(|_| TYPES_ETABLISSEMENT[rng.gen_range(0..TYPES_ETABLISSEMENT.len())].0.to_string());
        let nomination = accepted.then(|| today - Duration::days(rng.gen_range(30..15 * 365)));
        let fin = (statut == "eteinte").then(|| {
            let start = nomination.unwrap_or(today);
            let span = (today - start).num_days().max(1);
            start + Duration::days(rng.gen_range(1..=span))
        });
        let reserved = (!accepted).then(|| now - Duration::days(rng.gen_range(0..60)) - Duration::minutes(rng.gen_range(0..1440)));
        let year = nomination.map(|d| d.format("%y").to_string()).unwrap_or_else(|| today.format("%y").to_string());
        let created =
            reserved.unwrap_or_else(|| nomination.and_then(|d| d.and_hms_opt(10, 0, 0)).map(|d| d.and_utc().fixed_offset()).unwrap_or(now));
        let judge = judges.get(rng.gen_range(0..judges.len().max(1))).copied();
        w.mesures
            .push(
                db,
                vec![
                    val(id),
                    val(gestionnaire),
                    val(antenne),
                    val(self.tribunal.id),
                    val(format!("{year}{rg:06}")),
                    val(format!("{}", rng.gen_range(1..=3))),
                    val(statut.to_string()),
                    val(nature),
                    val(champ),
                    opt(lieu.map(str::to_string)),
                    opt(type_etablissement.clone()),
                    val(if rng.gen_bool(0.52) { "madame" } else { "monsieur" }),
                    val(rng.gen_range(1925..=2005)),
                    val(person.code.clone()),
                    val(person.code_postal.clone()),
                    val("FR"),
                    val(!accepted && rng.gen_bool(0.1)),
                    val((!accepted).then(|| today + Duration::days(rng.gen_range(1..60)))),
                    val(nomination),
                    val(fin),
                    opt(fin.map(|_| CAUSES_SORTIE[rng.gen_range(0..CAUSES_SORTIE.len())].0.to_string())),
                    val(if accepted { None } else { judge }),
                    val(reserved),
                    val(created),
                    val(now),
                ],
            )
            .await?;
        if let (Some(date), Some(lieu)) = (nomination, lieu) {
            ids.etat += 1;
            w.etats
                .push(
                    db,
                    vec![
                        val(ids.etat),
                        val(id),
                        val(date),
                        val(nature),
                        val(champ),
                        val(lieu),
                        opt(type_etablissement),
                        val(person.code.clone()),
                        val(person.code_postal.clone()),
                        val("FR"),
                        val(created),
                    ],
                )
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales() {
        assert_eq!("france".parse::<Scale>().ok(), Some(Scale::France));
        assert_eq!("departement:2a".parse::<Scale>().ok(), Some(Scale::Departement("2A".into())));
        assert_eq!("region:32".parse::<Scale>().ok(), Some(Scale::Region("32".into())));
        let err = "pays:fr".parse::<Scale>().expect_err("refusé");
        assert!(err.to_string().contains("departement:CODE"));
    }

    #[test]
    fn generated_sirets_pass_luhn() {
        assert!(app::rules::siret::is_valid_siret(SIRET_NOUVEAU_MANDATAIRE));
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            assert!(super::super::tribunaux::is_valid_siret(&siret(&mut rng)));
        }
    }
}
