//! The rollout map: each département's outline as an SVG path, drawn on the
//! server (readable without JavaScript) from the boundaries the search's map
//! already uses (`carte/departements.geojson` of the built site, from
//! Natural Earth). Metropolitan France fills the frame; the overseas
//! départements each get a small box below it.

use serde::{Deserialize, Serialize};

/// The drawing's size (SVG user units).
pub const LARGEUR: f64 = 600.0;
pub const HAUTEUR_METROPOLE: f64 = 560.0;
/// One overseas box (square), under the metropolitan frame.
pub const ENCART: f64 = 110.0;
pub const HAUTEUR: f64 = HAUTEUR_METROPOLE + ENCART + 20.0;

/// One département's outline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contour {
    pub code: String,
    /// SVG path data.
    pub d: String,
}

/// The rings of a (multi)polygon, as (longitude, latitude) points.
pub type Anneaux = Vec<Vec<(f64, f64)>>;

/// Whether a département is overseas (drawn in its own box).
pub fn outre_mer(code: &str) -> bool {
    code.starts_with("97")
}

/// The path data of rings fitted in the box (x, y, width, height): an
/// equirectangular projection corrected at the box's mean latitude (at this
/// scale, indistinguishable from the official maps), one decimal.
pub fn chemin(anneaux: &[Vec<(f64, f64)>], emprise: Emprise, boite: (f64, f64, f64, f64)) -> String {
    let (bx, by, bw, bh) = boite;
    let k = (emprise.lat_moyenne().to_radians()).cos();
    let largeur = (emprise.lon_max - emprise.lon_min) * k;
    let hauteur = emprise.lat_max - emprise.lat_min;
    let echelle = (bw / largeur).min(bh / hauteur);
    // Centred in its box.
    let (ox, oy) = (bx + (bw - largeur * echelle) / 2.0, by + (bh - hauteur * echelle) / 2.0);
    let mut d = String::new();
    for anneau in anneaux {
        let mut previous = String::new();
        for (i, (lon, lat)) in anneau.iter().enumerate() {
            let x = ox + (lon - emprise.lon_min) * k * echelle;
            let y = oy + (emprise.lat_max - lat) * echelle;
            let point = format!("{x:.1} {y:.1}");
            if point == previous {
                continue;
            }
            d.push_str(if i == 0 { "M" } else { "L" });
            d.push_str(&point);
            previous = point;
        }
        d.push('Z');
    }
    d
}

/// The bounding box of some rings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Emprise {
    pub lon_min: f64,
    pub lon_max: f64,
    pub lat_min: f64,
    pub lat_max: f64,
}

impl Emprise {
    pub fn of<'a>(anneaux: impl IntoIterator<Item = &'a Vec<(f64, f64)>>) -> Option<Emprise> {
        let mut e: Option<Emprise> = None;
        for (lon, lat) in anneaux.into_iter().flatten().copied() {
            e = Some(match e {
                None => Emprise { lon_min: lon, lon_max: lon, lat_min: lat, lat_max: lat },
                Some(e) => Emprise {
                    lon_min: e.lon_min.min(lon),
                    lon_max: e.lon_max.max(lon),
                    lat_min: e.lat_min.min(lat),
                    lat_max: e.lat_max.max(lat),
                },
            });
        }
        e.filter(|e| e.lon_max > e.lon_min && e.lat_max > e.lat_min)
    }

    fn lat_moyenne(&self) -> f64 {
        (self.lat_min + self.lat_max) / 2.0
    }
}

/// Every outline from a GeoJSON text (features with `code` and a Polygon or
/// MultiPolygon): metropolitan France in the main frame, each overseas
/// département in its box, in code order.
pub fn contours(geojson: &str) -> Option<Vec<Contour>> {
    let value: serde_json::Value = serde_json::from_str(geojson).ok()?;
    let mut shapes: Vec<(String, Anneaux)> = Vec::new();
    for feature in value.get("features")?.as_array()? {
        let code = feature.pointer("/properties/code")?.as_str()?.to_string();
        let geometry = feature.get("geometry")?;
        let polygons: Vec<&serde_json::Value> = match geometry.get("type")?.as_str()? {
            "Polygon" => vec![geometry.get("coordinates")?],
            "MultiPolygon" => geometry.get("coordinates")?.as_array()?.iter().collect(),
            _ => continue,
        };
        let mut anneaux = Vec::new();
        for polygon in polygons {
            for ring in polygon.as_array()? {
                let points: Vec<(f64, f64)> =
                    ring.as_array()?.iter().filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?))).collect();
                anneaux.push(points);
            }
        }
        shapes.push((code, anneaux));
    }
    shapes.sort_by(|a, b| a.0.cmp(&b.0));
    let metropole = Emprise::of(shapes.iter().filter(|(c, _)| !outre_mer(c)).flat_map(|(_, a)| a.iter()))?;
    let mut encart = 0.0;
    let mut out = Vec::new();
    for (code, anneaux) in &shapes {
        let (emprise, boite) = if outre_mer(code) {
            let boite = (encart * (ENCART + 12.0), HAUTEUR_METROPOLE + 10.0, ENCART, ENCART);
            encart += 1.0;
            (Emprise::of(anneaux.iter())?, boite)
        } else {
            (metropole, (0.0, 0.0, LARGEUR, HAUTEUR_METROPOLE))
        };
        out.push(Contour { code: code.clone(), d: chemin(anneaux, emprise, boite) });
    }
    Some(out)
}

/// The outlines of the built site's boundaries file, read once per process
/// (a file of the build, like the pages' code); none when the site was not
/// built (the table still says everything).
#[cfg(feature = "ssr")]
pub fn du_site(site_root: &str) -> Option<Vec<Contour>> {
    static CONTOURS: std::sync::OnceLock<Option<Vec<Contour>>> = std::sync::OnceLock::new();
    CONTOURS
        .get_or_init(|| {
            let path = std::path::Path::new(site_root).join("carte/departements.geojson");
            let text = std::fs::read_to_string(&path).ok()?;
            let contours = contours(&text);
            if contours.is_none() {
                tracing::warn!("frontières des départements illisibles : {}", path.display());
            }
            contours
        })
        .clone()
}

/// A département drawn: its outline, its fill and what its tooltip says.
pub struct Forme {
    pub d: String,
    pub remplissage: String,
    pub titre: String,
}

/// A map of France drawn on the server (readable without JavaScript): its
/// title and description for assistive technologies, the départements as
/// given, a hatched pattern `url(#{id}-motif)` (background, line) for the
/// class colour alone must not tell, and its caption. The table that
/// follows it on the page gives the same figures. Not links: a picture (one
/// tab stop per département would be a hundred).
#[leptos::component]
pub fn CarteFrance(
    id: &'static str,
    titre: String,
    description: String,
    formes: Vec<Forme>,
    motif: (&'static str, &'static str),
    legende: String,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let (titre_id, desc_id, motif_id) = (format!("{id}-titre"), format!("{id}-desc"), format!("{id}-motif"));
    let references = format!("{titre_id} {desc_id}");
    view! {
        <figure class="fr-mb-3w emjpm-carte-deploiement">
            <svg role="img" aria-labelledby=references viewBox=format!("0 0 {LARGEUR} {HAUTEUR}")
                width="100%" xmlns="http://www.w3.org/2000/svg">
                <title id=titre_id>{titre}</title>
                <desc id=desc_id>{description}</desc>
                <defs>
                    <pattern id=motif_id width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="6" height="6" fill=motif.0/><line x1="0" y1="0" x2="0" y2="6" stroke=motif.1 stroke-width="2.5"/>
                    </pattern>
                </defs>
                {formes.into_iter().map(|f| view! {
                    <path d=f.d fill=f.remplissage stroke="#3a3a3a" stroke-width="0.6"><title>{f.titre}</title></path>
                }).collect_view()}
            </svg>
            <figcaption class="fr-text--sm">{legende}</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_fill_their_frame_and_overseas_get_their_own_box() {
        let geojson = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"59"},"geometry":{"type":"Polygon","coordinates":[[[2.0,51.0],[4.0,51.0],[4.0,50.0],[2.0,50.0],[2.0,51.0]]]}},
            {"type":"Feature","properties":{"code":"13"},"geometry":{"type":"MultiPolygon","coordinates":[[[[4.0,44.0],[6.0,44.0],[6.0,43.0],[4.0,43.0],[4.0,44.0]]]]}},
            {"type":"Feature","properties":{"code":"974"},"geometry":{"type":"Polygon","coordinates":[[[55.2,-20.9],[55.8,-20.9],[55.8,-21.4],[55.2,-21.4],[55.2,-20.9]]]}}
        ]}"#;
        let contours = contours(geojson).expect("readable");
        assert_eq!(contours.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["13", "59", "974"]);
        let nord = &contours[1].d;
        assert!(nord.starts_with('M') && nord.ends_with('Z'), "{nord}");
        // The top of the Nord is the top of the frame; La Réunion sits below it.
        assert!(nord.contains(" 0.0"), "{nord}");
        let reunion = &contours[2].d;
        let ys: Vec<f64> = reunion
            .trim_end_matches('Z')
            .split(['M', 'L'])
            .filter(|p| !p.is_empty())
            .map(|p| p.split(' ').nth(1).and_then(|y| y.parse().ok()).expect("y"))
            .collect();
        assert!(ys.iter().all(|y| *y >= HAUTEUR_METROPOLE), "{reunion}");
        assert!(super::contours("pas du json").is_none());
    }
}
