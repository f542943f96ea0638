//! Lists of measures, scoped by the caller's session: a professional sees its own,
//! a judge or greffier its tribunal's, an admin all. Pending ones come first,
//! urgent ones first among them. Used by `GET /api/v1/mesures` and the pages.

use super::Mesure;
use crate::errors::AppError;
use crate::rules::vocabulary::{NATURES, STATUTS};
use crate::search::criteria::{invalid, one_of, positive_integer, present, PAR_PAGE_DEFAUT, PAR_PAGE_MAX};
use serde::{Deserialize, Serialize};

/// The filters of a list of measures, as typed in the URL.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FiltresMesures {
    /// `en_attente`, `en_cours` or `eteinte`.
    pub statut: Option<String>,
    /// A nature code.
    pub nature: Option<String>,
    /// An antenne of the caller's service.
    pub antenne: Option<String>,
    /// Numéro RG (or part of it), or the name of the commune where the person lives.
    pub q: Option<String>,
    /// The cabinet of the tribunal (exact).
    pub cabinet: Option<String>,
    /// Who reserved it: a user id (the tribunal's judges and greffiers).
    pub reservee_par: Option<String>,
    /// Who took it: a gestionnaire id.
    pub gestionnaire: Option<String>,
    /// The département where the protected person lives (`59`, `2A`, `974`).
    pub departement: Option<String>,
    /// Reserved on or after this day (`AAAA-MM-JJ`).
    pub du: Option<String>,
    /// Reserved on or before this day (`AAAA-MM-JJ`).
    pub au: Option<String>,
    /// `statut` (en attente d'abord, urgentes en tête ; défaut des mandataires), `recent` (dernières réservées ou
    /// nommées ; défaut des tribunaux) or `rg`.
    pub tri: Option<String>,
    /// Page number, from 1.
    pub page: Option<String>,
    /// Results per page (≤ 100).
    pub par_page: Option<String>,
}

/// The order of a list of measures. None chosen: a tribunal sees its latest
/// reservations first (the one just made is on top; urgent ones carry a badge),
/// a professional what waits for its answer first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriMesures {
    /// Pending first (urgent ones first among them), then in progress, then closed.
    Statut,
    /// Latest reserved (or appointed, for a measure recorded directly) first.
    Recent,
    /// By numéro RG.
    Rg,
}

pub const TRIS_MESURES: [crate::rules::vocabulary::Term; 3] =
    [("statut", "En attente d'abord"), ("recent", "Les plus récentes"), ("rg", "Numéro RG")];

fn identifier(parameter: &str, value: &Option<String>) -> Result<Option<i32>, AppError> {
    match present(value) {
        None => Ok(None),
        Some(v) => v.parse::<i32>().map(Some).map_err(|_| invalid(parameter, format!("« {v} » n'est pas un identifiant"))),
    }
}

fn day(parameter: &str, value: &Option<String>) -> Result<Option<chrono::NaiveDate>, AppError> {
    match present(value) {
        None => Ok(None),
        Some(v) => crate::rules::heure::jour_saisi(v)
            .map(Some)
            .ok_or_else(|| invalid(parameter, format!("« {v} » n'est pas une date ({})", crate::rules::heure::FORMAT_DATE))),
    }
}

/// The filters once checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CriteresMesures {
    pub statut: Option<String>,
    pub nature: Option<String>,
    pub antenne: Option<i32>,
    pub q: Option<String>,
    pub cabinet: Option<String>,
    pub reservee_par: Option<i32>,
    pub gestionnaire: Option<i32>,
    pub departement: Option<String>,
    pub du: Option<chrono::NaiveDate>,
    pub au: Option<chrono::NaiveDate>,
    /// None: the caller's default (`TriMesures::default_for`).
    pub tri: Option<TriMesures>,
    pub page: u32,
    pub par_page: u32,
}

impl FiltresMesures {
    pub fn validate(&self) -> Result<CriteresMesures, AppError> {
        let q = present(&self.q).map(str::to_string);
        if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
            return Err(invalid("q", "100 caractères au plus"));
        }
        let cabinet = present(&self.cabinet).map(str::to_string);
        if cabinet.as_ref().is_some_and(|c| c.chars().count() > crate::measures::reservation::CABINET_MAX) {
            return Err(invalid("cabinet", "32 caractères au plus"));
        }
        let departement = match present(&self.departement) {
            None => None,
            Some(code) if (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()) => {
                Some(code.to_ascii_uppercase())
            }
            Some(v) => return Err(invalid("departement", format!("« {v} » n'est pas un code de département (59, 2A, 974…)"))),
        };
        let (du, au) = (day("du", &self.du)?, day("au", &self.au)?);
        if let (Some(du), Some(au)) = (du, au) {
            if du > au {
                return Err(invalid("au", "la fin de la période précède son début"));
            }
        }
        let tri = match present(&self.tri) {
            None => None,
            Some("statut") => Some(TriMesures::Statut),
            Some("recent") => Some(TriMesures::Recent),
            Some("rg") => Some(TriMesures::Rg),
            Some(v) => return Err(invalid("tri", format!("valeur « {v} » inconnue (attendu : statut, recent ou rg)"))),
        };
        Ok(CriteresMesures {
            statut: one_of("statut", present(&self.statut), &STATUTS)?,
            nature: one_of("nature", present(&self.nature), &NATURES)?,
            antenne: identifier("antenne", &self.antenne)?,
            q,
            cabinet,
            reservee_par: identifier("reservee_par", &self.reservee_par)?,
            gestionnaire: identifier("gestionnaire", &self.gestionnaire)?,
            departement,
            du,
            au,
            tri,
            page: positive_integer("page", present(&self.page), 1, 100_000)?,
            par_page: positive_integer("par_page", present(&self.par_page), PAR_PAGE_DEFAUT, PAR_PAGE_MAX)?,
        })
    }
}

/// Une mesure dans une liste, avec les noms utiles au lecteur.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneMesure {
    #[serde(flatten)]
    pub mesure: Mesure,
    /// Nom du mandataire tel qu'il s'affiche.
    pub gestionnaire: String,
    /// Nom du tribunal.
    pub tribunal: String,
    pub antenne: Option<String>,
    /// Commune où vit la personne protégée.
    pub ville: Option<String>,
    /// Qui l'a réservée (côté tribunal).
    pub reservee_par_nom: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageMesures {
    pub total: u64,
    pub page: u32,
    pub par_page: u32,
    pub resultats: Vec<LigneMesure>,
}

/// What a list's filters offer the caller: its tribunal's judges and greffiers
/// and the professionals its measures went to, or its service's antennes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChoixFiltres {
    pub reservants: Vec<(i32, String)>,
    pub gestionnaires: Vec<(i32, String)>,
    pub antennes: Vec<(i32, String)>,
}

/// Un état de l'historique d'une mesure.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EtatMesure {
    /// Date `AAAA-MM-JJ`.
    pub date_changement: String,
    pub nature: String,
    pub champ: Option<String>,
    pub lieu_vie: String,
    pub type_etablissement: Option<String>,
    pub commune: Option<String>,
    pub ville: Option<String>,
    pub pays: String,
}

/// Une ligne du journal d'une mesure.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvenementMesure {
    /// Horodatage RFC 3339.
    pub date: String,
    /// `reservee`, `acceptee`, `etat`, `cloturee`, `reactivee`, `annulee`…
    pub action: String,
    pub details: Option<String>,
}

/// Une mesure avec ses états et son journal (les plus récents d'abord).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetailMesure {
    #[serde(flatten)]
    pub ligne: LigneMesure,
    pub etats: Vec<EtatMesure>,
    pub evenements: Vec<EvenementMesure>,
}

#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::{choices, detail, list, scope_condition, with_names};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked_and_named() {
        let ok = FiltresMesures { statut: Some("en_attente".into()), page: Some("2".into()), ..Default::default() };
        let c = ok.validate().expect("valide");
        assert_eq!((c.statut.as_deref(), c.page, c.par_page), (Some("en_attente"), 2, PAR_PAGE_DEFAUT));
        for (bad, name) in [
            (FiltresMesures { statut: Some("perdue".into()), ..Default::default() }, "statut"),
            (FiltresMesures { nature: Some("x".into()), ..Default::default() }, "nature"),
            (FiltresMesures { antenne: Some("deux".into()), ..Default::default() }, "antenne"),
            (FiltresMesures { par_page: Some("500".into()), ..Default::default() }, "par_page"),
        ] {
            match bad.validate() {
                Err(AppError::Invalide(message)) => assert!(message.contains(&format!("« {name} »")), "{message}"),
                other => panic!("{name}: {other:?}"),
            }
        }
        let blank = FiltresMesures { statut: Some(String::new()), q: Some("  ".into()), ..Default::default() };
        assert_eq!(blank.validate().map(|c| (c.statut, c.q)), Ok((None, None)));
    }
}
