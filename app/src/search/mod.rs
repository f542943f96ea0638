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
pub mod raisons;

use serde::{Deserialize, Serialize};

/// Chiffres de capacité (d'un mandataire, ou des antennes d'un service dans un département).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacite {
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub disponibles: i32,
}

/// Un mandataire dans un résultat de recherche.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resultat {
    pub id: i32,
    #[serde(rename = "type")]
    pub kind: String,
    /// Nom du service, ou « Prénom Nom ».
    pub nom: String,
    /// Clé de tri : nom puis prénom (nom du service pour un service).
    #[serde(skip)]
    pub nom_tri: String,
    /// Nom de la commune.
    pub commune: String,
    pub code_postal: String,
    pub departement: String,
    pub latitude: f64,
    pub longitude: f64,
    /// Distance géodésique en km depuis la commune cherchée : depuis le siège ou,
    /// pour un service, depuis son antenne la plus proche si elle l'est plus (`antenne_proche`).
    pub distance_km: Option<f64>,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub disponibles: i32,
    pub suspendu: bool,
    /// A déclaré le tribunal de l'appelant comme préféré.
    pub prefere: bool,
    /// Horodatage RFC 3339.
    pub derniere_mise_a_jour: String,
    /// Jours entiers depuis `derniere_mise_a_jour` (horloge du serveur).
    pub jours_depuis_mise_a_jour: i64,
    /// Dernière réservation d'une mesure de ce mandataire par le tribunal de l'appelant
    /// (RFC 3339) ; absente s'il ne l'a jamais sollicité.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derniere_reservation_tribunal: Option<String>,
    /// Pourquoi ce mandataire est proposé et classé là : le critère du tri d'abord
    /// (voir `Raison` pour les codes).
    #[serde(default)]
    pub raisons: Vec<raisons::Raison>,
    /// Pour un service ayant des antennes dans le département cherché : leurs chiffres.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dans_departement: Option<Capacite>,
    /// Pour un service dont une antenne est plus proche de la commune cherchée que
    /// son siège : cette antenne, d'où `distance_km` est mesurée.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub antenne_proche: Option<AntenneProche>,
}

/// L'antenne d'un service la plus proche de la commune cherchée : où elle est et
/// ce qu'elle peut prendre (le total du service est dans le résultat lui-même).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AntenneProche {
    pub id: i32,
    pub nom: String,
    /// Nom de la commune.
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

/// Une page de résultats.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageResultats {
    pub total: usize,
    pub page: u32,
    pub par_page: u32,
    pub resultats: Vec<Resultat>,
}
