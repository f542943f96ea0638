//! Runs a checked search for a caller. Scope comes from the caller's session
//! (its tribunal), never from the request; free text only narrows that scope.
//!
//! The professionals are read from the process's copy of the searchable data
//! (`search::index`, checked against the database's version on every call), with
//! their counters (kept exact on every write, so availability never scans
//! measures), then filtered, measured and sorted in memory.

use super::criteria::{Criteres, Perimetre, Tri};
use super::index::{AntenneIndexee, GestionnaireIndexe, SearchIndex};
use super::raisons::Raison;
use super::{AntenneProche, Capacite, PageResultats, Resultat};
use crate::accounts::guard::{Caller, Scope};
use crate::errors::AppError;
use crate::rules::capacity::disponibles;
use crate::rules::geo::{distance_km, nom_recherche};
use sea_orm::DatabaseConnection;

/// The tribunal the caller searches for (magistrats and greffiers only).
fn tribunal_of(caller: &Caller) -> Result<(i32, &str), AppError> {
    match &caller.scope {
        Scope::Tribunal { tribunal_id, departement_code } => Ok((*tribunal_id, departement_code)),
        _ => Err(AppError::Interdit),
    }
}

/// Whether a professional is in the chosen perimeter: approved in the tribunal's
/// département or, approved elsewhere, preferring the tribunal; approved in the
/// named département; approved anywhere (national). Never one that is not on
/// the liste blanche (a sign-up not linked yet), whatever it declared.
fn in_scope(p: &GestionnaireIndexe, perimetre: &Perimetre, tribunal_id: i32, tribunal_departement: &str) -> bool {
    match perimetre {
        Perimetre::Tribunal => {
            p.approved_departements.iter().any(|d| d == tribunal_departement)
                || (p.approved && p.preferred_tribunals.contains(&tribunal_id))
        }
        Perimetre::Departement(code) => p.approved_departements.iter().any(|d| d == code),
        Perimetre::National => p.approved,
    }
}

/// Whether a professional is in a judge's default scope (its tribunal's).
pub(crate) fn in_default_scope(p: &GestionnaireIndexe, tribunal_id: i32, tribunal_departement: &str) -> bool {
    in_scope(p, &Perimetre::Tribunal, tribunal_id, tribunal_departement)
}

/// The département whose antennes give a service's local availability.
fn departement_of_perimeter<'a>(perimetre: &'a Perimetre, tribunal_departement: &'a str) -> Option<&'a str> {
    match perimetre {
        Perimetre::Tribunal => Some(tribunal_departement),
        Perimetre::Departement(code) => Some(code),
        Perimetre::National => None,
    }
}

/// True when the accepted natures are none (accepts everything) or hold `value`.
fn accepts(natures: &[String], value: &str) -> bool {
    natures.is_empty() || natures.iter().any(|n| n == value)
}

/// The place of `p` nearest `(latitude, longitude)`: its head antenne (None) or
/// one of its antennes (its index), and the distance in km.
fn nearest_place(p: &GestionnaireIndexe, (lat0, lon0): (f64, f64)) -> (Option<usize>, f64) {
    let head_office = (None, distance_km(lat0, lon0, p.latitude, p.longitude));
    p.antennes
        .iter()
        .enumerate()
        .map(|(i, a)| (Some(i), distance_km(lat0, lon0, a.latitude, a.longitude)))
        .fold(head_office, |best, place| if place.1 < best.1 { place } else { best })
}

fn round_km(d: f64) -> f64 {
    (d * 10.0).round() / 10.0
}

/// The antenne a result's distance is measured from, with its own figures.
fn antenne_proche(antenne: &AntenneIndexee, distance: f64, suspendu: bool) -> AntenneProche {
    AntenneProche {
        id: antenne.id,
        nom: antenne.nom.clone(),
        commune: antenne.commune.clone(),
        code_postal: antenne.code_postal.clone(),
        latitude: antenne.latitude,
        longitude: antenne.longitude,
        distance_km: round_km(distance),
        capacite: Capacite {
            mesures_max: antenne.mesures_max,
            en_cours: antenne.en_cours,
            en_attente: antenne.en_attente,
            disponibles: disponibles(antenne.mesures_max, antenne.en_cours, antenne.en_attente, suspendu),
        },
    }
}

/// A service's figures from its antennes in one département (None without any there).
fn local_capacity(antennes: &[AntenneIndexee], departement: &str, suspendu: bool) -> Option<Capacite> {
    let local = antennes.iter().filter(|a| a.departement == departement);
    let mut found = false;
    let (mut max, mut en_cours, mut en_attente) = (0, 0, 0);
    for antenne in local {
        found = true;
        max += antenne.mesures_max;
        en_cours += antenne.en_cours;
        en_attente += antenne.en_attente;
    }
    found.then(|| Capacite { mesures_max: max, en_cours, en_attente, disponibles: disponibles(max, en_cours, en_attente, suspendu) })
}

/// A professional's figures as a tribunal of `departement` sees them: a
/// service's antennes there when it has some, else its global figures (the
/// search's "ici", also read by the fairness view).
pub(crate) fn capacite_ici(p: &GestionnaireIndexe, departement: &str) -> Capacite {
    local_capacity(&p.antennes, departement, p.suspendu).unwrap_or(Capacite {
        mesures_max: p.mesures_max,
        en_cours: p.en_cours,
        en_attente: p.en_attente,
        disponibles: disponibles(p.mesures_max, p.en_cours, p.en_attente, p.suspendu),
    })
}

pub async fn search(db: &DatabaseConnection, index: &SearchIndex, caller: &Caller, criteres: &Criteres) -> Result<PageResultats, AppError> {
    let started = std::time::Instant::now();
    let page = run_search(db, index, caller, criteres).await;
    crate::observability::observe_search(started);
    if page.is_ok() {
        crate::usage::record_quietly(db, caller, crate::usage::Action::Recherche).await;
    }
    page
}

async fn run_search(db: &DatabaseConnection, index: &SearchIndex, caller: &Caller, criteres: &Criteres) -> Result<PageResultats, AppError> {
    let (tribunal_id, tribunal_departement) = tribunal_of(caller)?;
    let origin: Option<(f64, f64)> = match &criteres.commune {
        Some(code) => Some(
            index
                .commune_point(db, code)
                .await?
                .ok_or_else(|| AppError::Invalide(format!("Paramètre « commune » : {}", super::communes::code_inconnu(code))))?,
        ),
        None => None,
    };
    let snapshot = index.snapshot(db, caller.search_version).await?;
    if let Perimetre::Departement(code) = &criteres.perimetre {
        if !snapshot.departements.contains(code) {
            return Err(AppError::Invalide(format!("Paramètre « perimetre » : le département « {code} » n'existe pas.")));
        }
    }
    // Every word typed must be found, in any order ("Marie Vincent", "Vincent Lille").
    let words: Vec<String> = criteres.q.as_deref().map(nom_recherche).unwrap_or_default().split_whitespace().map(String::from).collect();
    let local_departement = departement_of_perimeter(&criteres.perimetre, tribunal_departement);
    let competence = criteres.competence.as_deref().map(nom_recherche);
    let mut candidates: Vec<Candidate> = Vec::new();
    for p in &snapshot.professionals {
        if !in_scope(p, &criteres.perimetre, tribunal_id, tribunal_departement) {
            continue;
        }
        if criteres.kind.as_ref().is_some_and(|kind| kind.as_str() != p.kind) {
            continue;
        }
        if criteres.nature.as_deref().is_some_and(|nature| !accepts(&p.natures_acceptees, nature)) {
            continue;
        }
        if competence.as_ref().is_some_and(|wanted| !p.competences.contains(wanted)) {
            continue;
        }
        if !words.iter().all(|word| p.text.contains(word.as_str())) {
            continue;
        }
        let nearest = origin.map(|point| nearest_place(p, point));
        let distance = nearest.map(|(_, d)| d);
        if let (Some(rayon), Some(d)) = (criteres.rayon_km, distance) {
            if d > rayon {
                continue;
            }
        }
        let dans_departement = local_departement.and_then(|code| local_capacity(&p.antennes, code, p.suspendu));
        let global = disponibles(p.mesures_max, p.en_cours, p.en_attente, p.suspendu);
        let nearest_antenne = nearest.and_then(|(antenne, _)| antenne);
        let derniere_reservation = p.dernieres_reservations.get(&tribunal_id).copied();
        let candidate = Candidate { professional: p, distance, nearest_antenne, dans_departement, global, derniere_reservation };
        // A judge asking for "places disponibles" means here: the local figure of a
        // service when it has antennes in the département, else the global one.
        if criteres.disponible && (p.suspendu || candidate.here() <= 0) {
            continue;
        }
        candidates.push(candidate);
    }
    sort(&mut candidates, criteres.tri);
    let total = candidates.len();
    let start = ((criteres.page - 1) as usize).saturating_mul(criteres.par_page as usize);
    let now = chrono::Utc::now().fixed_offset();
    let resultats = candidates
        .into_iter()
        .skip(start)
        .take(criteres.par_page as usize)
        .map(|c| (raisons(&c, criteres, tribunal_id, now), c))
        .map(|(raisons, Candidate { professional: p, distance, nearest_antenne, dans_departement, global, derniere_reservation })| {
            Resultat {
                nom: crate::professionals::display_name(&p.kind, &p.nom, p.prenom.as_deref()),
                nom_tri: p.sort_name.clone(),
                commune: p.commune.clone(),
                id: p.id,
                kind: p.kind.clone(),
                code_postal: p.code_postal.clone(),
                departement: p.departement_code.clone(),
                latitude: p.latitude,
                longitude: p.longitude,
                distance_km: distance.map(round_km),
                antenne_proche: nearest_antenne.map(|i| antenne_proche(&p.antennes[i], distance.unwrap_or_default(), p.suspendu)),
                mesures_max: p.mesures_max,
                en_cours: p.en_cours,
                en_attente: p.en_attente,
                disponibles: global,
                suspendu: p.suspendu,
                prefere: p.preferred_tribunals.contains(&tribunal_id),
                jours_depuis_mise_a_jour: (now - p.derniere_mise_a_jour).num_days().max(0),
                derniere_mise_a_jour: p.derniere_mise_a_jour.to_rfc3339(),
                derniere_reservation_tribunal: derniere_reservation.map(|at| at.to_rfc3339()),
                dans_departement,
                raisons,
            }
        })
        .collect();
    Ok(PageResultats { total, page: criteres.page, par_page: criteres.par_page, resultats })
}

/// A professional that passed the filters, before sorting and paging.
struct Candidate<'a> {
    professional: &'a GestionnaireIndexe,
    distance: Option<f64>,
    /// The antenne `distance` is measured from (index in `antennes`), if not the head antenne.
    nearest_antenne: Option<usize>,
    dans_departement: Option<Capacite>,
    global: i32,
    /// When the caller's tribunal last reserved one of its measures.
    derniere_reservation: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// Why a professional is proposed and ranked there (`search::raisons`): the
/// reason its sort order looks at first, then the others in a fixed order.
fn raisons(c: &Candidate, criteres: &Criteres, tribunal_id: i32, now: chrono::DateTime<chrono::FixedOffset>) -> Vec<Raison> {
    let p = c.professional;
    let distance = c.distance.map(|d| Raison::new(if c.nearest_antenne.is_some() { "antenne_km" } else { "distance_km" }, round_km(d)));
    let places_antenne = c.nearest_antenne.map(|i| {
        let a = &p.antennes[i];
        Raison::new("places_antenne", disponibles(a.mesures_max, a.en_cours, a.en_attente, p.suspendu))
    });
    let places = Raison::new("places_libres", c.here());
    let reservation = match c.derniere_reservation {
        Some(at) => Raison::new("derniere_reservation_jours", (now - at).num_days().max(0)),
        None => Raison::new("jamais_reserve", ""),
    };
    let premiere = match criteres.tri {
        Tri::Distance => distance.clone(),
        Tri::Disponibilite => Some(places.clone()),
        Tri::Equitable => Some(reservation.clone()),
        Tri::Nom => None,
    };
    let autres = [
        distance,
        places_antenne,
        Some(places),
        criteres.nature.as_ref().map(|n| Raison::new("nature_acceptee", n)),
        criteres.competence.as_ref().map(|c| Raison::new("competence", c.trim())),
        p.preferred_tribunals.contains(&tribunal_id).then(|| Raison::new("tribunal_prefere", tribunal_id)),
        Some(Raison::new("chiffres_mis_a_jour_jours", (now - p.derniere_mise_a_jour).num_days().max(0))),
        Some(reservation),
    ];
    let mut out: Vec<Raison> = premiere.iter().cloned().collect();
    out.extend(autres.into_iter().flatten().filter(|r| premiere.as_ref() != Some(r)));
    out
}

/// What the sort orders look at.
pub trait Sortable {
    fn id(&self) -> i32;
    fn distance(&self) -> Option<f64>;
    fn suspendu(&self) -> bool;
    /// Available places where the judge looks (a service's local figure, else global).
    fn here(&self) -> i32;
    fn name_key(&self) -> &str;
    /// When the caller's tribunal last reserved one of its measures (Unix microseconds).
    fn reservee_le(&self) -> Option<i64>;
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
    fn name_key(&self) -> &str {
        &self.nom_tri
    }
    fn reservee_le(&self) -> Option<i64> {
        self.derniere_reservation_tribunal
            .as_deref()
            .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
            .map(|at| at.timestamp_micros())
    }
}

impl Sortable for Candidate<'_> {
    fn id(&self) -> i32 {
        self.professional.id
    }
    fn distance(&self) -> Option<f64> {
        self.distance
    }
    fn suspendu(&self) -> bool {
        self.professional.suspendu
    }
    fn here(&self) -> i32 {
        super::places_here(self.dans_departement, self.global)
    }
    fn name_key(&self) -> &str {
        &self.professional.sort_name
    }
    fn reservee_le(&self) -> Option<i64> {
        self.derniere_reservation.map(|at| at.timestamp_micros())
    }
}

/// Sort orders. Suspended professionals always come last when sorting by
/// availability; ties are broken by name then id so that pages are stable (names
/// are normalised once, when the data is read).
pub fn sort<T: Sortable>(results: &mut [T], tri: Tri) {
    let by_name = |a: &T, b: &T| a.name_key().cmp(b.name_key()).then(a.id().cmp(&b.id()));
    match tri {
        Tri::Distance => results.sort_by(|a, b| {
            a.distance().unwrap_or(f64::INFINITY).total_cmp(&b.distance().unwrap_or(f64::INFINITY)).then_with(|| by_name(a, b))
        }),
        Tri::Disponibilite => results.sort_by(|a, b| {
            let key = |r: &T| (r.suspendu(), std::cmp::Reverse(r.here()));
            key(a).cmp(&key(b)).then_with(|| by_name(a, b))
        }),
        Tri::Nom => results.sort_by(by_name),
        // Those with free places here first; among them, never asked by the
        // tribunal, then asked longest ago (`None` sorts before any date);
        // then the nearest.
        Tri::Equitable => results.sort_by(|a, b| {
            let key = |r: &T| (r.suspendu() || r.here() <= 0, r.reservee_le());
            key(a)
                .cmp(&key(b))
                .then_with(|| a.distance().unwrap_or(f64::INFINITY).total_cmp(&b.distance().unwrap_or(f64::INFINITY)))
                .then_with(|| by_name(a, b))
        }),
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
            antenne_proche: None,
            derniere_reservation_tribunal: None,
            raisons: Vec::new(),
        }
    }

    #[test]
    fn natures_list_empty_means_all() {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(accepts(&[], "tutelle"));
        assert!(accepts(&list(&["tutelle", "curatelle_renforcee"]), "curatelle_renforcee"));
        assert!(!accepts(&list(&["tutelle"]), "curatelle_simple"));
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
        // Fair distribution: with places (1, 4) before without (2 full, 3 suspended);
        // never asked (4) before asked (1); each group by the oldest reservation.
        for x in r.iter_mut() {
            x.derniere_reservation_tribunal = match x.id {
                1 => Some("2026-10-01T09:00:00+00:00".into()),
                2 => Some("2026-01-01T09:00:00+00:00".into()),
                3 => Some("2026-12-01T09:00:00+00:00".into()),
                _ => None,
            };
        }
        sort(&mut r, Tri::Equitable);
        assert_eq!(r.iter().map(|x| x.id).collect::<Vec<_>>(), [4, 1, 2, 3]);
    }
}
