//! Fair distribution (`/tribunal/repartition`, `GET /api/v1/repartition`):
//! over the last 12 months, how a tribunal's reservations were spread among
//! the professionals of its scope (the judge's default search scope: approved
//! in the tribunal's département, or preferring the tribunal) compared with
//! their share of the declared capacity — a table sorted by gap, the share
//! going to the most solicited tenth, the Gini index, and the professionals
//! never solicited who have free places. No judge is ranked: the figures are
//! the tribunal's, never a person's.
//!
//! Judges and greffiers see their own tribunal; directions a tribunal of
//! their territory (`?tribunal=ID`); the team any tribunal. The arithmetic is
//! `rules::repartition`; the scope and the capacity "here" are the search's.

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod dernieres;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

/// The fairness view of one tribunal.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Repartition {
    pub tribunal_id: i32,
    /// Nom du tribunal.
    pub tribunal: String,
    /// Premier jour de la période (AAAA-MM-JJ), 12 mois avant aujourd'hui.
    pub debut: String,
    /// Dernier jour de la période (AAAA-MM-JJ) : aujourd'hui.
    pub fin: String,
    /// Réservations du tribunal sur la période, à des mandataires de son périmètre.
    pub reservations: u64,
    /// Réservations du tribunal sur la période à des mandataires hors de son périmètre
    /// (cherchés dans un autre département ou au niveau national).
    pub reservations_hors_perimetre: u64,
    /// Mandataires du périmètre du tribunal.
    pub mandataires: u64,
    /// Part des réservations allée au dixième des mandataires les plus sollicités (au moins un),
    /// en pour cent ; null sans réservation.
    pub part_premier_dixieme: Option<f64>,
    /// Indice de Gini des réservations entre les mandataires du périmètre (0 : toutes égales,
    /// vers 1 : concentrées sur quelques-uns) ; null sans réservation.
    pub gini: Option<f64>,
    /// Chaque mandataire du périmètre, le moins sollicité par rapport à sa capacité d'abord.
    pub lignes: Vec<LigneRepartition>,
    /// Les mandataires du périmètre jamais sollicités sur la période qui ont aujourd'hui des places libres.
    pub jamais_sollicites: Vec<LigneRepartition>,
}

/// One professional of the tribunal's scope.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneRepartition {
    pub gestionnaire_id: i32,
    pub nom: String,
    /// `individuel`, `prepose` ou `service`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Réservations du tribunal sur la période.
    pub reservations: u64,
    /// Part des réservations du tribunal (périmètre), en pour cent ; null sans réservation.
    pub part_reservations: Option<f64>,
    /// Mesures souhaitées déclarées, telles que le tribunal les voit (les antennes du département
    /// pour un service qui en a, sinon son chiffre global ; 0 si suspendu).
    pub mesures_souhaitees: i64,
    /// Part de la capacité déclarée du périmètre, en pour cent ; null si personne n'en déclare.
    pub part_capacite: Option<f64>,
    /// Écart en points : part des réservations moins part de la capacité.
    pub ecart_points: f64,
    /// Places libres aujourd'hui (négatif : au-delà de la capacité).
    pub disponibles: i64,
    /// Dernière réservation du tribunal (AAAA-MM-JJ), sur la période.
    pub derniere_reservation: Option<String>,
}
