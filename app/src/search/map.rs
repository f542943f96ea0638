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
    commune: &'a str,
    etat: &'static str,
    etat_label: &'static str,
    disponibles: i32,
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
            let here = r.disponibles_ici();
            let etat = Disponibilite::of(here, r.suspendu);
            Point {
                id: r.id,
                nom: &r.nom,
                commune: &r.commune,
                etat: match etat {
                    Disponibilite::Disponible => "Disponible",
                    Disponibilite::Complet => "Complet",
                    Disponibilite::Surcapacite => "Surcapacite",
                    Disponibilite::Suspendu => "Suspendu",
                },
                etat_label: etat.label(),
                disponibles: here,
                latitude: r.latitude,
                longitude: r.longitude,
                href: format!("/tribunal/mandataires/{}", r.id),
            }
        })
        .collect();
    let origine = recherche.commune.as_ref().map(|c| Origine { nom: &c.nom, latitude: c.latitude, longitude: c.longitude });
    (
        serde_json::to_string(&points).unwrap_or_else(|_| "[]".into()),
        origine.and_then(|o| serde_json::to_string(&o).ok()),
    )
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
