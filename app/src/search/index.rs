//! What the judge's search reads, held in memory and checked against the
//! database on every search.
//!
//! A search filters at most a few thousand professionals; reading and decoding
//! them from the database for every search costs far more than filtering them.
//! So each server process keeps a read-only copy of the searchable data
//! (professionals with their counters, antennes, approvals, preferred tribunals,
//! each tribunal's last reservation, town names), tagged with the database's `search_version`. Triggers raise that
//! number in the same transaction as any change to those tables (migration
//! m20261124_000005), so one tiny query per search tells whether the copy is
//! current; when it is not, it is read again before the search runs. The
//! database stays the only source of truth: several processes can serve one
//! PostgreSQL, and a change made through one is seen by the next search on any.

use crate::db::entities::{antennes, communes, departements, gestionnaire_tribunaux, gestionnaires, search_version};
use crate::errors::AppError;
use crate::rules::geo::nom_recherche;
use crate::territories::approvals::approved_departements;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

/// A professional as the search sees it, with its text already normalised.
pub struct GestionnaireIndexe {
    pub id: i32,
    pub kind: String,
    pub nom: String,
    pub prenom: Option<String>,
    pub suspendu: bool,
    /// Natures accepted; empty means all.
    pub natures_acceptees: Vec<String>,
    /// Languages and competences, normalised (`nom_recherche`).
    pub competences: Vec<String>,
    pub code_postal: String,
    pub commune: String,
    pub departement_code: String,
    pub latitude: f64,
    pub longitude: f64,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub derniere_mise_a_jour: chrono::DateTime<chrono::FixedOffset>,
    /// Has a liste blanche entry (may be searched nationally).
    pub approved: bool,
    /// Départements where it is approved (same rule as `approvals::approved_in`).
    pub approved_departements: Vec<String>,
    /// Tribunaux it declared as preferred.
    pub preferred_tribunals: Vec<i32>,
    /// When each tribunal last reserved one of its measures (`repartition::dernieres`).
    pub dernieres_reservations: HashMap<i32, chrono::DateTime<chrono::FixedOffset>>,
    pub antennes: Vec<AntenneIndexee>,
    /// Name, first name, town and SIRET, normalised: what free text matches.
    pub text: String,
    /// Family name then first name, normalised: the name sort key.
    pub sort_name: String,
}

/// An antenne of a service.
pub struct AntenneIndexee {
    pub id: i32,
    pub nom: String,
    /// Town name.
    pub commune: String,
    pub code_postal: String,
    pub departement: String,
    pub latitude: f64,
    pub longitude: f64,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
}

/// The searchable data at one `search_version`.
pub struct Snapshot {
    pub version: i64,
    pub professionals: Vec<GestionnaireIndexe>,
    pub departements: HashSet<String>,
}

/// The process's copy, shared by every request (see the module comment).
#[derive(Default)]
pub struct SearchIndex {
    current: RwLock<Option<Arc<Snapshot>>>,
    /// One reload at a time: the other searches wait for it instead of reading
    /// the same rows again.
    reloading: tokio::sync::Mutex<()>,
    /// Communes' points already asked for (reference data: a commune's point
    /// does not move; a code never asked for is read from the database).
    points: RwLock<HashMap<String, (f64, f64)>>,
}

impl SearchIndex {
    /// The searchable data, at least as new as `version` (the caller's
    /// `search_version`, read with its session at the start of the request).
    pub async fn snapshot(&self, db: &DatabaseConnection, version: i64) -> Result<Arc<Snapshot>, AppError> {
        if let Some(snapshot) = self.cached(version) {
            return Ok(snapshot);
        }
        let _guard = self.reloading.lock().await;
        if let Some(snapshot) = self.cached(version) {
            return Ok(snapshot);
        }
        // Tagged with the version read before loading: if a change commits while
        // loading, the next search sees a newer number and reloads.
        let version = current_version(db).await?.max(version);
        let snapshot = Arc::new(load(db, version).await?);
        *self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }

    /// The copy if it is at least as new as `version` (versions only grow).
    fn cached(&self, version: i64) -> Option<Arc<Snapshot>> {
        let current = self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        current.as_ref().filter(|s| s.version >= version).cloned()
    }

    /// The point (latitude, longitude) of a commune by INSEE code; None when no
    /// commune has that code.
    pub async fn commune_point(&self, db: &DatabaseConnection, code: &str) -> Result<Option<(f64, f64)>, AppError> {
        if let Some(point) = self.points.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(code) {
            return Ok(Some(*point));
        }
        let point: Option<(f64, f64)> = communes::Entity::find_by_id(code.to_string())
            .select_only()
            .columns([communes::Column::Latitude, communes::Column::Longitude])
            .into_tuple()
            .one(db)
            .await?;
        if let Some(point) = point {
            self.points.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(code.to_string(), point);
        }
        Ok(point)
    }
}

pub async fn current_version(db: &impl ConnectionTrait) -> Result<i64, AppError> {
    search_version::Entity::find_by_id(1)
        .select_only()
        .column(search_version::Column::Version)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or_else(|| AppError::interne("search_version : ligne absente (migrations incomplètes ?)"))
}

/// The columns of a gestionnaire the search needs.
#[derive(sea_orm::FromQueryResult)]
struct Row {
    id: i32,
    kind: String,
    nom: String,
    prenom: Option<String>,
    siret: Option<String>,
    suspendu: bool,
    natures_acceptees: String,
    competences: String,
    liste_blanche_id: Option<i32>,
    code_postal: String,
    commune_code: String,
    departement_code: String,
    latitude: f64,
    longitude: f64,
    mesures_max: i32,
    en_cours: i32,
    en_attente: i32,
    derniere_mise_a_jour: chrono::DateTime<chrono::FixedOffset>,
}

fn split_list(list: &str, normalise: bool) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| if normalise { nom_recherche(item) } else { item.to_string() })
        .collect()
}

/// Reads the searchable data (in one transaction: a consistent view on SQLite).
async fn load(db: &DatabaseConnection, version: i64) -> Result<Snapshot, AppError> {
    let tx = crate::db::begin(db).await?;
    let rows: Vec<Row> = gestionnaires::Entity::find()
        .select_only()
        .columns([
            gestionnaires::Column::Id,
            gestionnaires::Column::Nom,
            gestionnaires::Column::Prenom,
            gestionnaires::Column::Siret,
            gestionnaires::Column::Suspendu,
            gestionnaires::Column::NaturesAcceptees,
            gestionnaires::Column::Competences,
            gestionnaires::Column::ListeBlancheId,
            gestionnaires::Column::CodePostal,
            gestionnaires::Column::CommuneCode,
            gestionnaires::Column::DepartementCode,
            gestionnaires::Column::Latitude,
            gestionnaires::Column::Longitude,
            gestionnaires::Column::MesuresMax,
            gestionnaires::Column::EnCours,
            gestionnaires::Column::EnAttente,
            gestionnaires::Column::DerniereMiseAJour,
        ])
        .column_as(gestionnaires::Column::Kind, "kind")
        .into_model::<Row>()
        .all(&tx)
        .await?;
    let approvals = approved_departements(&tx).await?;
    let mut preferred: HashMap<i32, Vec<i32>> = HashMap::new();
    let pairs: Vec<(i32, i32)> = gestionnaire_tribunaux::Entity::find()
        .select_only()
        .columns([gestionnaire_tribunaux::Column::GestionnaireId, gestionnaire_tribunaux::Column::TribunalId])
        .into_tuple()
        .all(&tx)
        .await?;
    for (gestionnaire, tribunal) in pairs {
        preferred.entry(gestionnaire).or_default().push(tribunal);
    }
    let mut antennes_par_gestionnaire: HashMap<i32, Vec<AntenneIndexee>> = HashMap::new();
    #[derive(sea_orm::FromQueryResult)]
    struct AntenneRow {
        id: i32,
        gestionnaire_id: i32,
        nom: String,
        code_postal: String,
        commune_code: String,
        departement_code: String,
        latitude: f64,
        longitude: f64,
        mesures_max: i32,
        en_cours: i32,
        en_attente: i32,
    }
    let antennes: Vec<AntenneRow> = antennes::Entity::find()
        .select_only()
        .columns([
            antennes::Column::Id,
            antennes::Column::GestionnaireId,
            antennes::Column::Nom,
            antennes::Column::CodePostal,
            antennes::Column::CommuneCode,
            antennes::Column::DepartementCode,
            antennes::Column::Latitude,
            antennes::Column::Longitude,
            antennes::Column::MesuresMax,
            antennes::Column::EnCours,
            antennes::Column::EnAttente,
        ])
        .into_model::<AntenneRow>()
        .all(&tx)
        .await?;
    let towns =
        town_names(&tx, rows.iter().map(|g| g.commune_code.clone()).chain(antennes.iter().map(|a| a.commune_code.clone())).collect())
            .await?;
    for a in antennes {
        antennes_par_gestionnaire.entry(a.gestionnaire_id).or_default().push(AntenneIndexee {
            id: a.id,
            commune: towns.get(&a.commune_code).cloned().unwrap_or_default(),
            nom: a.nom,
            code_postal: a.code_postal,
            departement: a.departement_code,
            latitude: a.latitude,
            longitude: a.longitude,
            mesures_max: a.mesures_max,
            en_cours: a.en_cours,
            en_attente: a.en_attente,
        });
    }
    let mut dernieres = crate::repartition::dernieres::toutes(&tx).await?;
    let departements: HashSet<String> = departements::Entity::find()
        .select_only()
        .column(departements::Column::Code)
        .into_tuple::<String>()
        .all(&tx)
        .await?
        .into_iter()
        .collect();
    tx.commit().await?;

    let professionals = rows
        .into_iter()
        .map(|g| {
            let commune = towns.get(&g.commune_code).cloned().unwrap_or_default();
            let prenom = g.prenom.as_deref().unwrap_or("");
            GestionnaireIndexe {
                text: nom_recherche(&format!("{} {prenom} {commune} {}", g.nom, g.siret.as_deref().unwrap_or(""))),
                sort_name: nom_recherche(&format!("{} {prenom}", g.nom)),
                approved: g.liste_blanche_id.is_some(),
                approved_departements: g.liste_blanche_id.and_then(|entry| approvals.get(&entry).cloned()).unwrap_or_default(),
                preferred_tribunals: preferred.remove(&g.id).unwrap_or_default(),
                dernieres_reservations: dernieres.remove(&g.id).unwrap_or_default(),
                antennes: antennes_par_gestionnaire.remove(&g.id).unwrap_or_default(),
                natures_acceptees: split_list(&g.natures_acceptees, false),
                competences: split_list(&g.competences, true),
                id: g.id,
                kind: g.kind,
                nom: g.nom,
                prenom: g.prenom,
                suspendu: g.suspendu,
                code_postal: g.code_postal,
                commune,
                departement_code: g.departement_code,
                latitude: g.latitude,
                longitude: g.longitude,
                mesures_max: g.mesures_max,
                en_cours: g.en_cours,
                en_attente: g.en_attente,
                derniere_mise_a_jour: g.derniere_mise_a_jour,
            }
        })
        .collect();
    Ok(Snapshot { version, professionals, departements })
}

/// Town names by INSEE code (also used by the lists of measures).
pub(crate) async fn town_names(db: &impl ConnectionTrait, mut codes: Vec<String>) -> Result<HashMap<String, String>, AppError> {
    codes.sort();
    codes.dedup();
    let mut names = HashMap::new();
    // Chunks keep the IN list under the databases' parameter limits.
    for chunk in codes.chunks(1000) {
        let rows: Vec<(String, String)> = communes::Entity::find()
            .select_only()
            .columns([communes::Column::Code, communes::Column::Nom])
            .filter(communes::Column::Code.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        names.extend(rows);
    }
    Ok(names)
}
