//! The map beside the search results, drawn by `carte.js` (Leaflet) once the page
//! is hydrated. Without JavaScript the map stays hidden and the list suffices.

use super::page::Recherche;
use crate::rules::capacity::Disponibilite;
use serde::Serialize;

/// What a marker needs.
#[derive(Serialize)]
struct Point<'a> {
    id: i32,
    nom: &'a str,
    /// The town (for a service measured from an antenne: "antenne, town").
    commune: String,
    etat: &'static str,
    etat_label: &'static str,
    disponibles: i32,
    /// The places as the card says them (never negative).
    disponibles_label: String,
    latitude: f64,
    longitude: f64,
    href: String,
}

#[derive(Serialize)]
struct Origine<'a> {
    nom: &'a str,
    latitude: f64,
    longitude: f64,
}

/// The JSON the map script receives: markers, and the searched commune.
pub fn map_data(recherche: &Recherche) -> (String, Option<String>) {
    let points: Vec<Point> = recherche
        .resultats
        .resultats
        .iter()
        .map(|r| {
            // A service whose nearest place is an antenne is drawn there, with
            // that antenne's places (as its card says).
            let (here, commune, (latitude, longitude)) = match &r.antenne_proche {
                Some(a) => (a.capacite.disponibles, format!("{}, {}", a.nom, a.commune), (a.latitude, a.longitude)),
                None => (r.disponibles_ici(), r.commune.clone(), (r.latitude, r.longitude)),
            };
            let etat = Disponibilite::of(here, r.suspendu);
            Point {
                id: r.id,
                nom: &r.nom,
                commune,
                etat: match etat {
                    Disponibilite::Disponible => "Disponible",
                    Disponibilite::Complet => "Complet",
                    Disponibilite::Surcapacite => "Surcapacite",
                    Disponibilite::Suspendu => "Suspendu",
                },
                etat_label: etat.label(),
                disponibles: here,
                disponibles_label: crate::rules::capacity::disponibles_en_clair(here, r.suspendu),
                latitude,
                longitude,
                href: format!("/tribunal/mandataires/{}", r.id),
            }
        })
        .collect();
    let origine = recherche.commune.as_ref().map(|c| Origine { nom: &c.nom, latitude: c.latitude, longitude: c.longitude });
    (serde_json::to_string(&points).unwrap_or_else(|_| "[]".into()), origine.and_then(|o| serde_json::to_string(&o).ok()))
}

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/search/carte.js")]
    extern "C" {
        #[wasm_bindgen(js_name = carteAfficher)]
        pub fn carte_afficher(
            element_id: &str,
            points: &str,
            origine: Option<String>,
            tiles: Option<String>,
            ressources: &str,
        ) -> js_sys::Promise;
    }
}

/// Draws (or redraws) the map for a search. Browser only.
#[cfg(feature = "hydrate")]
pub fn show(element_id: &str, recherche: &Recherche) {
    let (points, origine) = map_data(recherche);
    if let Some(element) = leptos::prelude::document().get_element_by_id(element_id) {
        let _ = element.remove_attribute("hidden");
    }
    let promise = js::carte_afficher(element_id, &points, origine, recherche.fond_de_carte.clone(), &recherche.ressources);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(err) = wasm_bindgen_futures::JsFuture::from(promise).await {
            leptos::logging::warn!("carte indisponible : {err:?}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{AntenneProche, Capacite, PageResultats, Resultat};

    fn service(antenne_proche: Option<AntenneProche>) -> Resultat {
        Resultat {
            id: 3,
            kind: "service".into(),
            nom: "ATMP Nord".into(),
            nom_tri: "atmp nord".into(),
            commune: "Roubaix".into(),
            code_postal: "59100".into(),
            departement: "59".into(),
            latitude: 50.69,
            longitude: 3.17,
            distance_km: Some(0.0),
            mesures_max: 100,
            en_cours: 110,
            en_attente: 0,
            disponibles: -10,
            suspendu: false,
            prefere: false,
            derniere_mise_a_jour: String::new(),
            jours_depuis_mise_a_jour: 0,
            dans_departement: None,
            antenne_proche,
            derniere_reservation_tribunal: None,
            raisons: Vec::new(),
        }
    }

    fn points(resultat: Resultat) -> serde_json::Value {
        let recherche = Recherche {
            commune: None,
            autres_communes: Vec::new(),
            communes_a_choisir: Vec::new(),
            resultats: PageResultats { total: 1, page: 1, par_page: 20, resultats: vec![resultat] },
            departement_tribunal: "59".into(),
            fond_de_carte: None,
            ressources: String::new(),
        };
        serde_json::from_str(&map_data(&recherche).0).expect("json")
    }

    #[test]
    fn a_service_measured_from_an_antenne_is_drawn_there_with_its_places() {
        let antenne = AntenneProche {
            id: 1,
            nom: "Antenne de Dunkerque".into(),
            commune: "Dunkerque".into(),
            code_postal: "59140".into(),
            latitude: 51.03,
            longitude: 2.37,
            distance_km: 0.0,
            capacite: Capacite { mesures_max: 30, en_cours: 25, en_attente: 0, disponibles: 5 },
        };
        let p = &points(service(Some(antenne)))[0];
        assert_eq!((p["latitude"].as_f64(), p["longitude"].as_f64()), (Some(51.03), Some(2.37)));
        assert_eq!(p["commune"], "Antenne de Dunkerque, Dunkerque");
        assert_eq!((p["disponibles"].as_i64(), p["disponibles_label"].as_str()), (Some(5), Some("5")));
        // Its head office otherwise, and never a negative number in words.
        let p = &points(service(None))[0];
        assert_eq!((p["latitude"].as_f64(), p["commune"].as_str()), (Some(50.69), Some("Roubaix")));
        assert_eq!(p["disponibles_label"], "aucune (10 au-delà de la capacité)");
    }
}
