//! Runs a checked search for a caller. Scope comes from the caller's session
//! (its tribunal), never from the request; free text only narrows that scope.
//!
//! The candidates of the scope are read in one query with their counters (kept
//! exact on every write, so availability never scans measures), then filtered,
//! measured and sorted in memory: a scope holds at most a few thousand rows.

use super::criteria::{Criteres, Perimetre, Tri};
use super::{Capacite, PageResultats, Resultat};
use crate::accounts::guard::{Caller, Scope};
use crate::db::entities::{antennes, communes, departements, gestionnaire_tribunaux, gestionnaires};
use crate::errors::AppError;
use crate::rules::capacity::disponibles;
use crate::rules::geo::{distance_km, nom_recherche};
use crate::territories::approvals::approved_in;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// The tribunal the caller searches for (magistrats and greffiers only).
fn tribunal_of(caller: &Caller) -> Result<(i32, &str), AppError> {
    match &caller.scope {
        Scope::Tribunal { tribunal_id, departement_code } => Ok((*tribunal_id, departement_code)),
        _ => Err(AppError::Interdit),
    }
}

/// Condition on `gestionnaires` for the chosen perimeter.
async fn scope_condition(
    db: &impl ConnectionTrait,
    perimetre: &Perimetre,
    tribunal_id: i32,
    departement: &str,
) -> Result<Condition, AppError> {
    Ok(match perimetre {
        Perimetre::Tribunal => Condition::any().add(approved_in(&[departement.to_string()])).add(
            gestionnaires::Column::Id.in_subquery(
                Query::select()
                    .column(gestionnaire_tribunaux::Column::GestionnaireId)
                    .from(gestionnaire_tribunaux::Entity)
                    .and_where(gestionnaire_tribunaux::Column::TribunalId.eq(tribunal_id))
                    .to_owned(),
            ),
        ),
        Perimetre::Departement(code) => {
            if departements::Entity::find_by_id(code.clone()).one(db).await?.is_none() {
                return Err(AppError::Invalide(format!(
                    "Paramètre « perimetre » : le département « {code} » n'existe pas."
                )));
            }
            approved_in(std::slice::from_ref(code))
        }
        Perimetre::National => Condition::all().add(gestionnaires::Column::ListeBlancheId.is_not_null()),
    })
}

/// The département whose antennes give a service's local availability.
fn departement_of_perimeter<'a>(perimetre: &'a Perimetre, tribunal_departement: &'a str) -> Option<&'a str> {
    match perimetre {
        Perimetre::Tribunal => Some(tribunal_departement),
        Perimetre::Departement(code) => Some(code),
        Perimetre::National => None,
    }
}

/// True when a comma-separated list is empty (accepts everything) or holds `value`.
fn accepts(list: &str, value: &str) -> bool {
    list.trim().is_empty() || list.split(',').any(|item| item.trim() == value)
}

pub async fn search(db: &impl ConnectionTrait, caller: &Caller, criteres: &Criteres) -> Result<PageResultats, AppError> {
    let (tribunal_id, tribunal_departement) = tribunal_of(caller)?;
    let origin = match &criteres.commune {
        Some(code) => Some(communes::Entity::find_by_id(code.clone()).one(db).await?.ok_or_else(|| {
            AppError::Invalide(format!("Paramètre « commune » : aucune commune n'a le code INSEE « {code} »."))
        })?),
        None => None,
    };
    let scope = scope_condition(db, &criteres.perimetre, tribunal_id, tribunal_departement).await?;
    let mut query = gestionnaires::Entity::find().filter(scope);
    if let Some(kind) = &criteres.kind {
        query = query.filter(gestionnaires::Column::Kind.eq(kind.as_str()));
    }
    let rows: Vec<Row> = query
        .select_only()
        .columns([
            gestionnaires::Column::Id,
            gestionnaires::Column::Nom,
            gestionnaires::Column::Prenom,
            gestionnaires::Column::Siret,
            gestionnaires::Column::Suspendu,
            gestionnaires::Column::NaturesAcceptees,
            gestionnaires::Column::Competences,
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
        .all(db)
        .await?;

    let preferred: HashSet<i32> = gestionnaire_tribunaux::Entity::find()
        .select_only()
        .column(gestionnaire_tribunaux::Column::GestionnaireId)
        .filter(gestionnaire_tribunaux::Column::TribunalId.eq(tribunal_id))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let service_ids: Vec<i32> = rows.iter().filter(|g| g.kind == "service").map(|g| g.id).collect();
    let mut offices: HashMap<i32, Vec<Office>> = HashMap::new();
    if !service_ids.is_empty() {
        let antennes: Vec<(i32, String, f64, f64, i32, i32, i32)> = antennes::Entity::find()
            .select_only()
            .columns([
                antennes::Column::GestionnaireId,
                antennes::Column::DepartementCode,
                antennes::Column::Latitude,
                antennes::Column::Longitude,
                antennes::Column::MesuresMax,
                antennes::Column::EnCours,
                antennes::Column::EnAttente,
            ])
            .filter(antennes::Column::GestionnaireId.is_in(service_ids))
            .into_tuple()
            .all(db)
            .await?;
        for (gestionnaire_id, departement, latitude, longitude, mesures_max, en_cours, en_attente) in antennes {
            offices.entry(gestionnaire_id).or_default().push(Office {
                departement,
                latitude,
                longitude,
                mesures_max,
                en_cours,
                en_attente,
            });
        }
    }
    // Town names: of every candidate when the free text may match a town, else of
    // the returned page only.
    let text = criteres.q.as_deref().map(nom_recherche).filter(|t| !t.is_empty());
    let mut towns = HashMap::new();
    if text.is_some() {
        towns = town_names(db, rows.iter().map(|g| g.commune_code.clone()).collect()).await?;
    }

    let local_departement = departement_of_perimeter(&criteres.perimetre, tribunal_departement);
    let competence = criteres.competence.as_deref().map(nom_recherche);
    let mut candidates: Vec<Candidate> = Vec::with_capacity(rows.len());
    for g in rows {
        if let Some(nature) = &criteres.nature {
            if !accepts(&g.natures_acceptees, nature) {
                continue;
            }
        }
        if let Some(wanted) = &competence {
            if !g.competences.split(',').any(|c| nom_recherche(c) == *wanted) {
                continue;
            }
        }
        if let Some(text) = &text {
            let haystack = nom_recherche(&format!(
                "{} {} {} {}",
                g.nom,
                g.prenom.as_deref().unwrap_or(""),
                towns.get(&g.commune_code).map(String::as_str).unwrap_or(""),
                g.siret.as_deref().unwrap_or("")
            ));
            if !haystack.contains(text.as_str()) {
                continue;
            }
        }
        let own_offices = offices.get(&g.id).map(Vec::as_slice).unwrap_or(&[]);
        let distance = origin.as_ref().map(|o| {
            std::iter::once((g.latitude, g.longitude))
                .chain(own_offices.iter().map(|a| (a.latitude, a.longitude)))
                .map(|(lat, lon)| distance_km(o.latitude, o.longitude, lat, lon))
                .fold(f64::INFINITY, f64::min)
        });
        if let (Some(rayon), Some(d)) = (criteres.rayon_km, distance) {
            if d > rayon {
                continue;
            }
        }
        let dans_departement = local_departement.and_then(|code| {
            let local: Vec<&Office> = own_offices.iter().filter(|a| a.departement == code).collect();
            (!local.is_empty()).then(|| {
                let (max, en_cours, en_attente) = local.iter().fold((0, 0, 0), |(m, c, a), x| {
                    (m + x.mesures_max, c + x.en_cours, a + x.en_attente)
                });
                Capacite {
                    mesures_max: max,
                    en_cours,
                    en_attente,
                    disponibles: disponibles(max, en_cours, en_attente, g.suspendu),
                }
            })
        });
        let global = disponibles(g.mesures_max, g.en_cours, g.en_attente, g.suspendu);
        // A judge asking for "places disponibles" means here: the local figure of a
        // service when it has antennes in the département, else the global one.
        let available_here = dans_departement.map(|c| c.disponibles).unwrap_or(global);
        if criteres.disponible && (g.suspendu || available_here <= 0) {
            continue;
        }
        candidates.push(Candidate { row: g, distance, dans_departement, global });
    }
    sort(&mut candidates, criteres.tri);
    let total = candidates.len();
    let start = ((criteres.page - 1) as usize).saturating_mul(criteres.par_page as usize);
    let page: Vec<Candidate> = candidates.into_iter().skip(start).take(criteres.par_page as usize).collect();
    if text.is_none() {
        towns = town_names(db, page.iter().map(|c| c.row.commune_code.clone()).collect()).await?;
    }
    let now = chrono::Utc::now().fixed_offset();
    let resultats = page
        .into_iter()
        .map(|Candidate { row: g, distance, dans_departement, global }| Resultat {
            nom: crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref()),
            nom_tri: sort_name(&g.nom, g.prenom.as_deref()),
            commune: towns.get(&g.commune_code).cloned().unwrap_or_default(),
            id: g.id,
            kind: g.kind,
            code_postal: g.code_postal,
            departement: g.departement_code,
            latitude: g.latitude,
            longitude: g.longitude,
            distance_km: distance.map(|d| (d * 10.0).round() / 10.0),
            mesures_max: g.mesures_max,
            en_cours: g.en_cours,
            en_attente: g.en_attente,
            disponibles: global,
            suspendu: g.suspendu,
            prefere: preferred.contains(&g.id),
            jours_depuis_mise_a_jour: (now - g.derniere_mise_a_jour).num_days().max(0),
            derniere_mise_a_jour: g.derniere_mise_a_jour.to_rfc3339(),
            dans_departement,
        })
        .collect();
    Ok(PageResultats { total, page: criteres.page, par_page: criteres.par_page, resultats })
}

/// The columns of a gestionnaire the search needs (not its whole row).
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

/// An antenne as the search sees it.
struct Office {
    departement: String,
    latitude: f64,
    longitude: f64,
    mesures_max: i32,
    en_cours: i32,
    en_attente: i32,
}

/// A professional that passed the filters, before sorting and paging.
struct Candidate {
    row: Row,
    distance: Option<f64>,
    dans_departement: Option<Capacite>,
    global: i32,
}

async fn town_names(db: &impl ConnectionTrait, codes: Vec<String>) -> Result<HashMap<String, String>, AppError> {
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    let mut unique = codes;
    unique.sort();
    unique.dedup();
    let mut names = HashMap::new();
    // Chunks keep the IN list under the databases' parameter limits.
    for chunk in unique.chunks(1000) {
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

/// Family name then first name, accent- and case-insensitive.
fn sort_name(nom: &str, prenom: Option<&str>) -> String {
    nom_recherche(&format!("{nom} {}", prenom.unwrap_or("")))
}

/// What the sort orders look at.
pub trait Sortable {
    fn id(&self) -> i32;
    fn distance(&self) -> Option<f64>;
    fn suspendu(&self) -> bool;
    /// Available places where the judge looks (a service's local figure, else global).
    fn here(&self) -> i32;
    fn name_key(&self) -> String;
}

impl Sortable for Resultat {
    fn id(&self) -> i32 {
        self.id
    }
    fn distance(&self) -> Option<f64> {
        self.distance_km
    }
    fn suspendu(&self) -> bool {
        self.suspendu
    }
    fn here(&self) -> i32 {
        self.disponibles_ici()
    }
    fn name_key(&self) -> String {
        self.nom_tri.clone()
    }
}

impl Sortable for Candidate {
    fn id(&self) -> i32 {
        self.row.id
    }
    fn distance(&self) -> Option<f64> {
        self.distance
    }
    fn suspendu(&self) -> bool {
        self.row.suspendu
    }
    fn here(&self) -> i32 {
        self.dans_departement.map(|c| c.disponibles).unwrap_or(self.global)
    }
    fn name_key(&self) -> String {
        sort_name(&self.row.nom, self.row.prenom.as_deref())
    }
}

/// Sort orders. Suspended professionals always come last when sorting by
/// availability; ties are broken by name then id so that pages are stable (names
/// are only normalised for ties, or once per row when sorting by name).
pub fn sort<T: Sortable>(results: &mut [T], tri: Tri) {
    let by_name = |a: &T, b: &T| a.name_key().cmp(&b.name_key()).then(a.id().cmp(&b.id()));
    match tri {
        Tri::Distance => results.sort_by(|a, b| {
            a.distance()
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.distance().unwrap_or(f64::INFINITY))
                .then_with(|| by_name(a, b))
        }),
        Tri::Disponibilite => results.sort_by(|a, b| {
            let key = |r: &T| (r.suspendu(), std::cmp::Reverse(r.here()));
            key(a).cmp(&key(b)).then_with(|| by_name(a, b))
        }),
        Tri::Nom => results.sort_by_cached_key(|r| (r.name_key(), r.id())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resultat(id: i32, nom: &str, disponibles: i32, suspendu: bool, distance: Option<f64>) -> Resultat {
        Resultat {
            id,
            kind: "individuel".into(),
            nom: nom.into(),
            nom_tri: crate::rules::geo::nom_recherche(nom),
            commune: String::new(),
            code_postal: String::new(),
            departement: "59".into(),
            latitude: 0.0,
            longitude: 0.0,
            distance_km: distance,
            mesures_max: 10,
            en_cours: 0,
            en_attente: 0,
            disponibles,
            suspendu,
            prefere: false,
            derniere_mise_a_jour: String::new(),
            jours_depuis_mise_a_jour: 0,
            dans_departement: None,
        }
    }

    #[test]
    fn natures_list_empty_means_all() {
        assert!(accepts("", "tutelle"));
        assert!(accepts("tutelle,curatelle_renforcee", "curatelle_renforcee"));
        assert!(!accepts("tutelle", "curatelle_simple"));
    }

    #[test]
    fn sort_orders() {
        let mut r = vec![
            resultat(1, "Émile Zola", 5, false, Some(3.0)),
            resultat(2, "Albert Camus", -2, false, Some(1.0)),
            resultat(3, "Boris Vian", 9, true, Some(2.0)),
            resultat(4, "Colette", 5, false, Some(1.0)),
        ];
        sort(&mut r, Tri::Distance);
        assert_eq!(r.iter().map(|x| x.id).collect::<Vec<_>>(), [2, 4, 3, 1]);
        sort(&mut r, Tri::Disponibilite);
        assert_eq!(r.iter().map(|x| x.id).collect::<Vec<_>>(), [4, 1, 2, 3], "suspended last, ties by name");
        sort(&mut r, Tri::Nom);
        assert_eq!(r.iter().map(|x| x.id).collect::<Vec<_>>(), [2, 3, 4, 1], "accents ignored");
    }
}
