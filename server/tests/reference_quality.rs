//! The embedded reference geography: complete, consistent, and close to La Poste's
//! official postal base (`../shared/data/reference/codes-postaux-geoloc.csv`,
//! read at test time, never copied into the repository).

mod common;

use app::rules::geo::distance_km;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

struct Commune {
    departement: String,
    latitude: f64,
    longitude: f64,
}

fn reference_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/reference"))
}

fn communes() -> HashMap<String, Commune> {
    let file = std::fs::File::open(reference_dir().join("communes.tsv.gz")).expect("communes.tsv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).expect("gzip");
    text.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 7, "{line}");
            (
                f[0].to_string(),
                Commune {
                    departement: f[2].to_string(),
                    latitude: f[5].parse().expect("latitude"),
                    longitude: f[6].parse().expect("longitude"),
                },
            )
        })
        .collect()
}

/// Within metropolitan France (with Corsica) or one of the five overseas départements.
fn in_france(lat: f64, lon: f64) -> bool {
    let boxes = [
        (41.3, 51.2, -5.2, 9.6),     // métropole et Corse
        (15.8, 16.6, -61.9, -60.9),  // Guadeloupe
        (14.3, 14.9, -61.3, -60.8),  // Martinique
        (2.1, 5.8, -54.7, -51.6),    // Guyane
        (-21.4, -20.8, 55.2, 55.9),  // La Réunion
        (-13.1, -12.6, 44.9, 45.4),  // Mayotte
    ];
    boxes.iter().any(|(lat0, lat1, lon0, lon1)| (*lat0..=*lat1).contains(&lat) && (*lon0..=*lon1).contains(&lon))
}

#[test]
fn every_commune_and_departement_is_there() {
    let communes = communes();
    assert!(communes.len() >= 34_800, "{} communes", communes.len());
    for arrondissement in ["75101", "75120", "69381", "69389", "13201", "13216"] {
        assert!(communes.contains_key(arrondissement), "{arrondissement}");
    }
    let departements = std::fs::read_to_string(reference_dir().join("departements.tsv")).expect("départements");
    let rows: Vec<Vec<&str>> = departements.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    // 101 départements and the 6 inhabited overseas collectivités.
    assert_eq!(rows.len(), 107);
    let collectivites = ["975", "977", "978", "986", "987", "988"];
    assert_eq!(rows.iter().filter(|r| !collectivites.contains(&r[0])).count(), 101);
    for row in &rows {
        assert!(communes.values().any(|c| c.departement == row[0]), "communes du {}", row[0]);
        assert!(communes.contains_key(row[3]), "chef-lieu {} du {}", row[3], row[0]);
    }
    let outside: Vec<&String> = communes
        .iter()
        .filter(|(_, c)| !c.departement.starts_with("97") || ["971", "972", "973", "974", "976"].contains(&c.departement.as_str()))
        .filter(|(_, c)| !c.departement.starts_with("98"))
        .filter(|(_, c)| !in_france(c.latitude, c.longitude))
        .map(|(k, _)| k)
        .collect();
    assert!(outside.is_empty(), "hors de France : {outside:?}");
}

#[test]
fn points_are_close_to_la_poste_base() {
    let Some(la_poste) = common::shared_data("reference/codes-postaux-geoloc.csv") else { return };
    let ours = communes();
    let mut reader = csv::Reader::from_path(&la_poste).expect("base La Poste");
    // The first row of each INSEE code (the base repeats codes, one row per postal code).
    let mut theirs: HashMap<String, (f64, f64)> = HashMap::new();
    for record in reader.records() {
        let record = record.expect("ligne");
        let (insee, lat, lon) = (&record[1], record[3].parse::<f64>(), record[4].parse::<f64>());
        if let (Ok(lat), Ok(lon)) = (lat, lon) {
            theirs.entry(insee.to_string()).or_insert((lat, lon));
        }
    }
    let mut distances: Vec<(f64, String)> = theirs
        .iter()
        .filter_map(|(code, (lat, lon))| ours.get(code).map(|c| (distance_km(c.latitude, c.longitude, *lat, *lon), code.clone())))
        .collect();
    distances.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = distances.len();
    let at = |q: f64| distances[((n as f64 * q) as usize).min(n - 1)].0;
    println!(
        "comparées : {n} communes ; médiane {:.2} km ; p90 {:.2} km ; p99 {:.2} km ; max {:.1} km",
        at(0.5),
        at(0.9),
        at(0.99),
        distances[n - 1].0
    );
    println!("plus grands écarts : {:?}", distances.iter().rev().take(5).collect::<Vec<_>>());
    assert!(n >= 34_000, "{n} communes comparées");
    assert!(at(0.5) < 2.0, "médiane {:.2} km", at(0.5));
    assert!(at(0.99) < 10.0, "p99 {:.2} km", at(0.99));
}
