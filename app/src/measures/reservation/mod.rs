//! A judge or greffier reserves a measure with a professional: the measure is
//! created `en_attente` (or an `eteinte` one with the same numéro RG is reopened),
//! the professional's counters move in the same transaction, and the event is
//! journalled. A full or suspended professional is a warning, not a refusal.

use super::Mesure;
use crate::errors::AppError;
use crate::rules::rg::normalise_rg;
use crate::rules::vocabulary::{self, CHAMPS, CIVILITES, NATURES};
use serde::{Deserialize, Serialize};

/// Ce qu'envoient le formulaire de réservation et `POST /api/v1/mesures`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeReservation {
    /// Le mandataire (ignoré quand une réservation en attente est modifiée : son
    /// mandataire ne change pas).
    #[serde(default)]
    pub gestionnaire_id: i32,
    /// Pour un service : une de ses antennes (facultatif).
    #[serde(default)]
    pub antenne_id: Option<i32>,
    /// Tel que saisi (`12/345`, `2612345`…) : ramené à 8 caractères.
    #[serde(default)]
    pub numero_rg: String,
    /// Vide : le cabinet du juge qui réserve.
    #[serde(default)]
    pub cabinet: Option<String>,
    /// Date `AAAA-MM-JJ`.
    #[serde(default)]
    pub date_previsionnelle_jugement: Option<String>,
    /// `madame` ou `monsieur`.
    #[serde(default)]
    pub civilite: String,
    #[serde(default)]
    pub annee_naissance: Option<i32>,
    /// Code de nature (`tutelle`, `curatelle_renforcee`…).
    #[serde(default)]
    pub nature: String,
    /// Code de champ (`protection_bien`…), facultatif.
    #[serde(default)]
    pub champ: Option<String>,
    #[serde(default)]
    pub urgent: bool,
    /// Où vit la personne protégée : le code INSEE de sa commune (le formulaire
    /// l'exige ; le mandataire la voit, et sa distance, avant d'accepter).
    /// Facultatif dans l'API.
    #[serde(default)]
    pub commune: Option<String>,
}

/// A request that passed every check of its own fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Reservation {
    pub gestionnaire_id: i32,
    pub antenne_id: Option<i32>,
    pub numero_rg: String,
    pub cabinet: Option<String>,
    pub date_previsionnelle_jugement: Option<chrono::NaiveDate>,
    pub civilite: String,
    pub annee_naissance: i32,
    pub nature: String,
    pub champ: Option<String>,
    pub urgent: bool,
    /// INSEE code (its existence is checked against the database).
    pub commune_code: Option<String>,
}

pub const CABINET_MAX: usize = 32;

/// Blank optional text is no text.
fn filled(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl DemandeReservation {
    /// Checks every field; all the refusals at once, one French message per field.
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<Reservation, AppError> {
        use chrono::Datelike;
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut refuse = |field: &str, message: String| errors.push((field.to_string(), message));
        if self.gestionnaire_id <= 0 {
            refuse("gestionnaire_id", "Indiquez le mandataire auprès duquel réserver.".into());
        }
        let numero_rg = normalise_rg(&self.numero_rg).map_err(|e| refuse("numero_rg", e.to_string())).ok();
        let cabinet = filled(&self.cabinet).map(str::to_string);
        if cabinet.as_ref().is_some_and(|c| c.chars().count() > CABINET_MAX) {
            refuse("cabinet", format!("Le cabinet compte au plus {CABINET_MAX} caractères."));
        }
        let date = match filled(&self.date_previsionnelle_jugement) {
            None => None,
            Some(text) => match crate::rules::heure::jour_saisi(text).ok_or(()) {
                Ok(date) if (today.year() - 1..=today.year() + 2).contains(&date.year()) => Some(date),
                Ok(_) => {
                    refuse(
                        "date_previsionnelle_jugement",
                        format!("La date prévisionnelle du jugement doit se situer entre {} et {}.", today.year() - 1, today.year() + 2),
                    );
                    None
                }
                Err(_) => {
                    refuse(
                        "date_previsionnelle_jugement",
                        format!("Date prévisionnelle du jugement illisible : « {text} » (attendu : {}).", crate::rules::heure::FORMAT_DATE),
                    );
                    None
                }
            },
        };
        let civilite = self.civilite.trim();
        if !vocabulary::is_valid(&CIVILITES, civilite) {
            refuse("civilite", "Choisissez la civilité de la personne protégée (Madame ou Monsieur).".into());
        }
        let annee = match self.annee_naissance {
            None => {
                refuse("annee_naissance", "L'année de naissance de la personne protégée est obligatoire.".into());
                None
            }
            Some(year) if !(1900..=today.year()).contains(&year) => {
                refuse("annee_naissance", format!("L'année de naissance doit être comprise entre 1900 et {}.", today.year()));
                None
            }
            Some(year) => Some(year),
        };
        let nature = self.nature.trim();
        if !vocabulary::is_valid(&NATURES, nature) {
            refuse("nature", "Choisissez la nature de la mesure dans la liste.".into());
        }
        let champ = filled(&self.champ).map(str::to_string);
        if champ.as_deref().is_some_and(|c| !vocabulary::is_valid(&CHAMPS, c)) {
            refuse("champ", "Choisissez le champ de la mesure dans la liste.".into());
        }
        let commune_code = filled(&self.commune).map(str::to_uppercase);
        if let Some(code) = commune_code.as_deref().filter(|c| !crate::search::criteria::is_insee_code(c)) {
            refuse("commune", format!("Code commune (INSEE) invalide : « {code} » (5 caractères)."));
        }
        match (numero_rg, annee) {
            (Some(numero_rg), Some(annee_naissance)) if errors.is_empty() => Ok(Reservation {
                gestionnaire_id: self.gestionnaire_id,
                antenne_id: self.antenne_id,
                numero_rg,
                cabinet,
                date_previsionnelle_jugement: date,
                civilite: civilite.to_string(),
                annee_naissance,
                nature: nature.to_string(),
                champ,
                urgent: self.urgent,
                commune_code,
            }),
            _ => Err(AppError::Champs(errors)),
        }
    }
}

/// La réponse à une réservation : la mesure, et un avertissement quand le
/// mandataire était complet ou suspendu (la réservation est faite quand même).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MesureReservee {
    #[serde(flatten)]
    pub mesure: Mesure,
    pub avertissement: Option<String>,
}

#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::{amend, modification, reserve};

#[cfg(test)]
mod tests {
    use super::*;

    fn demande() -> DemandeReservation {
        DemandeReservation {
            gestionnaire_id: 1,
            numero_rg: "12/345".into(),
            civilite: "madame".into(),
            annee_naissance: Some(1950),
            nature: "tutelle".into(),
            ..Default::default()
        }
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Champs(champs) => champs.into_iter().map(|(f, _)| f).collect(),
            other => panic!("erreur de champs attendue : {other:?}"),
        }
    }

    #[test]
    fn a_good_request_is_normalised() {
        let r = demande().validate(today()).expect("valide");
        assert_eq!(r.numero_rg, "00012345");
        assert_eq!(r.cabinet, None);
        let mut d = demande();
        d.numero_rg = "2612345".into();
        d.cabinet = Some("  ".into());
        d.date_previsionnelle_jugement = Some("2027-01-15".into());
        d.champ = Some("protection_bien".into());
        let r = d.validate(today()).expect("valide");
        assert_eq!(r.numero_rg, "02612345");
        assert_eq!(r.date_previsionnelle_jugement, chrono::NaiveDate::from_ymd_opt(2027, 1, 15));
    }

    #[test]
    fn every_bad_field_is_named() {
        let d = DemandeReservation {
            gestionnaire_id: 1,
            numero_rg: "123456789".into(),
            cabinet: Some("x".repeat(40)),
            date_previsionnelle_jugement: Some("15 janvier".into()),
            civilite: "mademoiselle".into(),
            annee_naissance: Some(1899),
            nature: "tutelle_imaginaire".into(),
            champ: Some("tout".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(d.validate(today()).unwrap_err()),
            ["numero_rg", "cabinet", "date_previsionnelle_jugement", "civilite", "annee_naissance", "nature", "champ"]
        );
        let mut d = demande();
        d.annee_naissance = Some(2027);
        d.date_previsionnelle_jugement = Some("2031-01-01".into());
        assert_eq!(fields(d.validate(today()).unwrap_err()), ["date_previsionnelle_jugement", "annee_naissance"]);
        let mut d = demande();
        d.annee_naissance = None;
        d.numero_rg = String::new();
        assert_eq!(fields(d.validate(today()).unwrap_err()), ["numero_rg", "annee_naissance"]);
        assert_eq!(demande().validate(today()).map(|r| r.annee_naissance), Ok(1950));
    }
}
