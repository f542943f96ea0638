//! The service's public impact (`/statistiques`, no sign-in, and
//! `GET /api/v1/statistiques/publiques`): what e-MJPM has changed, with no
//! personal data — territories open and planned, tribunals and professionals
//! using it, measures reserved through it per month, the median time from a
//! reservation to its acceptance, the share of professionals whose
//! availability is fresh, the users' satisfaction. Every count under 5 is
//! shown as "moins de 5" (`rules::statistiques`).
//!
//! Computed once a day by the job `statistiques-publiques` and kept in the
//! table `statistiques`; the page and the JSON read that one row (computed
//! then if it is missing), so that a crawler never makes the database count.
//!
//! Layers: the figures' types here, their computation in `service.rs`, the
//! JSON in `api.rs`, the page in `page.rs`.

#[cfg(feature = "ssr")]
pub mod agregats;
#[cfg(feature = "ssr")]
pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
pub mod territoire;

use serde::{Deserialize, Serialize};

/// How many months the figures look back (the current one included).
pub const MOIS: usize = 12;

/// The public figures. A count is absent (`null`) when it is under 5.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatistiquesPubliques {
    /// Date et heure du calcul (RFC 3339) ; les chiffres sont recalculés chaque jour.
    pub calculees_le: String,
    /// Départements ouverts (« 59 — Nord »), par code.
    pub departements_ouverts: Vec<String>,
    /// Départements en pilote.
    pub departements_pilotes: Vec<String>,
    /// Départements pas encore ouverts dont l'ouverture est prévue, avec la date.
    pub departements_prevus: Vec<OuverturePrevue>,
    /// Tribunaux dont au moins un juge ou un greffier a un compte actif (null : moins de 5).
    pub tribunaux: Option<i64>,
    /// Mandataires (individuels, préposés, services) dont au moins un membre a un compte actif
    /// (null : moins de 5).
    pub mandataires: Option<i64>,
    /// Mesures réservées par le service, chacun des 12 derniers mois (le mois en cours compris,
    /// le plus ancien d'abord).
    pub reservations_par_mois: Vec<MoisNombre>,
    /// Mesures réservées puis acceptées ces 12 derniers mois (null : moins de 5).
    pub acceptations: Option<i64>,
    /// Délai médian entre la réservation et l'acceptation de ces mesures, en minutes (null : moins
    /// de 5 acceptations).
    pub delai_median_minutes: Option<i64>,
    /// Mandataires agréés en activité (non suspendus) (null : moins de 5).
    pub mandataires_agrees: Option<i64>,
    /// Part des mandataires agréés en activité dont les disponibilités datent de moins de 30
    /// jours, en pour cent (null : moins de 5 mandataires).
    pub disponibilites_a_jour: Option<i64>,
    /// Avis des 12 derniers mois : « bien », « moyen », « mal » (chacun null sous 5).
    pub avis: [Option<i64>; 3],
    /// Avis des 12 derniers mois en tout (null : moins de 5).
    pub avis_total: Option<i64>,
    /// Part des avis « bien », en pour cent (null : moins de 5 avis en tout).
    pub satisfaction: Option<i64>,
}

/// A month's count (`AAAA-MM`, Paris time).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoisNombre {
    pub mois: String,
    /// null : moins de 5.
    pub nombre: Option<i64>,
}

/// A département whose opening is planned.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OuverturePrevue {
    /// « 75 — Paris ».
    pub departement: String,
    /// AAAA-MM-JJ.
    pub date_prevue: String,
}

/// "novembre 2026" for `2026-11`.
pub fn mois_en_clair(mois: &str) -> String {
    const NOMS: [&str; 12] =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
    match mois.split_once('-').and_then(|(a, m)| Some((a, m.parse::<usize>().ok()?))) {
        Some((annee, m @ 1..=12)) => format!("{} {annee}", NOMS[m - 1]),
        _ => mois.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_said_in_french() {
        assert_eq!(mois_en_clair("2026-11"), "novembre 2026");
        assert_eq!(mois_en_clair("2027-01"), "janvier 2027");
        assert_eq!(mois_en_clair("n'importe"), "n'importe");
    }
}
