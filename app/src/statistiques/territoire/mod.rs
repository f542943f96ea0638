//! The statistics of a territory (`/direction/statistiques`,
//! `GET /api/v1/statistiques`): for a period and optional filters, the
//! measures of the territory's tribunals — new ones per month (reserved
//! through the service or recorded directly), by nature, champ, lieu de vie
//! and kind of professional, the measures in progress at each month's end,
//! the closings by cause —, the reservations' outcome and delay, and the
//! professionals approved in the territory today: their load, the freshness
//! of their figures, their number by département, the new approvals.
//!
//! Directions see their territory (from their session), the team any.
//! Every figure is a table ([`TableauStat`]): the page draws it (a chart
//! for the monthly ones, then the table), and the CSV and XLSX exports are
//! written from the same tables, so that they always say the same thing.
//! Filtered on one tribunal (below the département), counts under 5 are
//! shown as "moins de 5" (`rules::statistiques`).
//!
//! Layers: the figures' types here, their computation in `service.rs`, the
//! JSON and the exports in `api.rs` and `export.rs`, the page in `page.rs`.

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

/// What the statistics are asked for (`?debut=&fin=&departement=&tribunal=&type=`).
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiltresStatistiques {
    /// Premier jour de la période (AAAA-MM-JJ, inclus) ; par défaut le premier jour du mois, il y a 11 mois.
    /// Les chiffres se comptent par mois entiers : la période commence au premier jour de ce mois.
    pub debut: Option<String>,
    /// Dernier jour de la période (AAAA-MM-JJ, inclus) ; par défaut aujourd'hui. 60 mois au plus. La période
    /// finit au dernier jour de ce mois (aujourd'hui pour le mois en cours).
    pub fin: Option<String>,
    /// Code d'un département du territoire (`59`).
    pub departement: Option<String>,
    /// Identifiant d'un tribunal du territoire : les mesures de ce tribunal seulement.
    pub tribunal: Option<String>,
    /// `individuel`, `prepose` ou `service`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "ssr", param(rename = "type"))]
    pub type_mandataire: Option<String>,
}

/// The statistics of a territory over a period.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatistiquesTerritoire {
    /// Le territoire (« Département Nord (59) », « France entière »), avec les filtres choisis.
    pub territoire: String,
    /// Premier jour de la période (AAAA-MM-JJ), le premier d'un mois.
    pub debut: String,
    /// Dernier jour de la période (AAAA-MM-JJ) : le dernier d'un mois, ou aujourd'hui.
    pub fin: String,
    /// Vrai quand les nombres de moins de 5 sont masqués (filtre sur un tribunal).
    pub petits_nombres_masques: bool,
    /// Les chiffres clés de la période.
    pub essentiel: Essentiel,
    /// Chaque tableau de la page, dans son ordre.
    pub tableaux: Vec<TableauStat>,
}

/// The headline figures (null: under 5 while small counts are hidden, or
/// nothing to compute).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Essentiel {
    /// Mesures réservées par le service sur la période.
    pub reservees: Option<i64>,
    /// Mesures enregistrées directement par les mandataires sur la période.
    pub enregistrees: Option<i64>,
    /// Mesures en cours à la fin de la période.
    pub en_cours: Option<i64>,
    /// Délai médian de la réservation à l'acceptation, en minutes comptées en heures entières (arrondies), pour les
    /// acceptations de la période.
    pub delai_median_minutes: Option<i64>,
    /// Part des mandataires agréés en activité dont les chiffres datent de plus de 30 jours, en pour cent.
    pub part_chiffres_anciens: Option<i64>,
}

/// One table of figures: rows of a label and one value per column.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableauStat {
    /// Code stable du tableau (`mesures_par_mois`…), pour l'export d'un seul tableau.
    pub code: String,
    pub titre: String,
    /// Ce que le tableau compte, en une phrase.
    pub explication: String,
    /// Intitulé de la colonne des libellés, puis de chaque colonne de valeurs.
    pub colonnes: Vec<String>,
    pub lignes: Vec<LigneStat>,
    /// Vrai quand le tableau est aussi dessiné (une barre par ligne et par colonne de valeurs).
    pub graphique: bool,
}

/// A row of a table.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneStat {
    pub libelle: String,
    /// Une valeur par colonne de valeurs ; null : moins de 5 (masqué), ou sans objet.
    pub valeurs: Vec<Option<i64>>,
}

/// The choices of the page's filters: the territory's départements and
/// tribunals, as (value, label).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChoixStatistiques {
    /// Today in Paris (AAAA-MM-JJ), from the server's clock: the usual periods end there.
    pub aujourdhui: String,
    pub departements: Vec<(String, String)>,
    pub tribunaux: Vec<(String, String)>,
}

/// The codes of the tables, in the page's order.
pub const TABLEAUX: [&str; 13] = [
    "mesures_par_mois",
    "mesures_par_nature",
    "mesures_par_champ",
    "mesures_par_lieu_de_vie",
    "mesures_par_type_de_mandataire",
    "mesures_en_cours_par_mois",
    "fins_de_mesure_par_mois",
    "reservations",
    "charge_des_mandataires",
    "disponibilites_par_departement",
    "fraicheur_des_chiffres",
    "mandataires_agrees_par_departement",
    "agrements_par_mois",
];
