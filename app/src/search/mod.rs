//! The judge's search: who can take this measure, near this person, now.

#[cfg(feature = "ssr")]
pub mod api;
pub mod communes;
pub mod criteria;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod index;
pub mod map;
pub mod page;

use serde::{Deserialize, Serialize};

/// Capacity figures (of a gestionnaire, or of a service's antennes in a département).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacite {
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub disponibles: i32,
}

/// One professional in a search result.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resultat {
    pub id: i32,
    #[serde(rename = "type")]
    pub kind: String,
    /// Service name, or "Prénom Nom".
    pub nom: String,
    /// Sort key: family name then first name (service name for a service).
    #[serde(skip)]
    pub nom_tri: String,
    /// Town name.
    pub commune: String,
    pub code_postal: String,
    pub departement: String,
    pub latitude: f64,
    pub longitude: f64,
    /// Geodesic km from the searched commune: from the head office, or for a
    /// service from its nearest antenne when that is nearer (`antenne_proche`).
    pub distance_km: Option<f64>,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub disponibles: i32,
    pub suspendu: bool,
    /// Declared the caller's tribunal as preferred.
    pub prefere: bool,
    /// RFC 3339.
    pub derniere_mise_a_jour: String,
    /// Whole days since `derniere_mise_a_jour` (computed by the server's clock).
    pub jours_depuis_mise_a_jour: i64,
    /// For a service with antennes in the searched département: their figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dans_departement: Option<Capacite>,
    /// For a service whose antenne is nearer the searched commune than its head
    /// office: that antenne, the place `distance_km` is measured from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub antenne_proche: Option<AntenneProche>,
}

/// The antenne of a service nearest the searched commune: where it is and what
/// it can take (the service's total is in the result itself).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AntenneProche {
    pub id: i32,
    pub nom: String,
    /// Town name.
    pub commune: String,
    pub code_postal: String,
    pub latitude: f64,
    pub longitude: f64,
    pub distance_km: f64,
    #[serde(flatten)]
    pub capacite: Capacite,
}

impl Resultat {
    /// The places a judge looks at: a service's figure in the searched
    /// département when it has antennes there, else the global one.
    pub fn disponibles_ici(&self) -> i32 {
        places_here(self.dans_departement, self.disponibles)
    }
}

/// The places a judge looks at: a service's figure in the judge's département
/// (from its antennes there) when it has one, else the professional's global one.
pub fn places_here(dans_departement: Option<Capacite>, global: i32) -> i32 {
    dans_departement.map(|c| c.disponibles).unwrap_or(global)
}

/// A page of results.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageResultats {
    pub total: usize,
    pub page: u32,
    pub par_page: u32,
    pub resultats: Vec<Resultat>,
}
