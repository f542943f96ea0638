//! Measures (mesures de protection): statuses and counts, reservation and the
//! rest of a measure's life, counters.

use serde::{Deserialize, Serialize};

/// How many measures are in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub en_attente: i64,
    pub en_cours: i64,
    pub eteinte: i64,
}

/// Une mesure telle que la voient le tribunal, le mandataire et l'API. La
/// personne protégée n'est jamais nommée.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mesure {
    pub id: i64,
    /// `en_attente`, `en_cours` ou `eteinte`.
    pub statut: String,
    pub gestionnaire_id: i32,
    pub antenne_id: Option<i32>,
    pub tribunal_id: i32,
    pub numero_rg: String,
    pub cabinet: Option<String>,
    /// Nature, champ et lieu de vie du dernier état.
    pub nature: String,
    pub champ: Option<String>,
    pub lieu_vie: Option<String>,
    pub type_etablissement: Option<String>,
    /// Code INSEE.
    pub commune: Option<String>,
    pub code_postal: Option<String>,
    pub pays: String,
    pub civilite: Option<String>,
    pub annee_naissance: Option<i32>,
    pub urgent: bool,
    /// Date `AAAA-MM-JJ`.
    pub date_previsionnelle_jugement: Option<String>,
    /// Horodatage RFC 3339.
    pub date_reservation: Option<String>,
    /// Date `AAAA-MM-JJ`.
    pub date_nomination: Option<String>,
    /// Date `AAAA-MM-JJ`.
    pub date_fin: Option<String>,
    pub cause_sortie: Option<String>,
    /// Le mandataire a refusé la réservation, et pourquoi.
    pub refus: Option<Refus>,
}

/// Le motif d'une réservation refusée.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refus {
    /// `pas_de_place`, `hors_zone`, `conflit_interets` ou `autre`.
    pub motif: String,
    /// Le motif en clair (« Pas de place »).
    pub libelle: String,
    /// Les mots du mandataire (toujours présents pour `autre`).
    pub precision: Option<String>,
}

impl Refus {
    pub fn new(motif: String, precision: Option<String>) -> Refus {
        let libelle = crate::rules::vocabulary::label(&crate::rules::vocabulary::MOTIFS_REFUS, &motif).unwrap_or("Autre motif").to_string();
        Refus { motif, libelle, precision }
    }

    /// "Pas de place" or "Autre motif : déménagement prévu".
    pub fn en_clair(&self) -> String {
        match &self.precision {
            Some(p) => format!("{} : {p}", self.libelle),
            None => self.libelle.clone(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::db::entities::mesures::Model> for Mesure {
    fn from(m: crate::db::entities::mesures::Model) -> Self {
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        Mesure {
            id: m.id,
            statut: m.statut,
            gestionnaire_id: m.gestionnaire_id,
            antenne_id: m.antenne_id,
            tribunal_id: m.tribunal_id,
            numero_rg: m.numero_rg,
            cabinet: m.cabinet,
            nature: m.nature,
            champ: m.champ,
            lieu_vie: m.lieu_vie,
            type_etablissement: m.type_etablissement,
            commune: m.commune_code,
            code_postal: m.code_postal,
            pays: m.pays,
            civilite: m.civilite,
            annee_naissance: m.annee_naissance,
            urgent: m.urgent,
            date_previsionnelle_jugement: m.date_prevue_jugement.map(day),
            date_reservation: m.date_reservation.map(|d| d.to_rfc3339()),
            date_nomination: m.date_nomination.map(day),
            date_fin: m.date_fin.map(day),
            cause_sortie: m.cause_sortie,
            refus: m.refus_motif.map(|motif| Refus::new(motif, m.refus_precision)),
        }
    }
}

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod counters;
pub mod creation;
pub mod creation_form;
#[cfg(feature = "ssr")]
pub mod expiry;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod lifecycle;
pub mod listing;
#[cfg(feature = "ssr")]
pub mod page_mesure;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reopening;
pub mod reservation;
pub mod reservation_form;

#[cfg(feature = "ssr")]
pub mod counts {
    use super::StatusCounts;
    use crate::db::entities::mesures;
    use crate::errors::AppError;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

    /// Counts the measures matching `condition`, by status, in one query.
    pub async fn by_status(db: &impl ConnectionTrait, condition: Condition) -> Result<StatusCounts, AppError> {
        let rows: Vec<(String, i64)> = mesures::Entity::find()
            .select_only()
            .column(mesures::Column::Statut)
            .column_as(Expr::col(mesures::Column::Id).count(), "n")
            .filter(condition)
            .group_by(mesures::Column::Statut)
            .into_tuple()
            .all(db)
            .await?;
        let mut counts = StatusCounts::default();
        for (statut, n) in rows {
            match statut.as_str() {
                "en_attente" => counts.en_attente = n,
                "en_cours" => counts.en_cours = n,
                "eteinte" => counts.eteinte = n,
                other => tracing::warn!("statut de mesure inconnu : {other}"),
            }
        }
        Ok(counts)
    }
}
