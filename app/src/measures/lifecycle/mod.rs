//! A measure's life after its reservation: the professional accepts it (with the
//! date de nomination and the lieu de vie: the first état), records new états,
//! closes it and may reactivate it; the tribunal may cancel it while it is pending.
//!
//! Each transition is one conditional UPDATE (`… WHERE statut = 'en_attente'`),
//! so two requests racing on the same measure cannot both move it, followed in
//! the same transaction by [`counters::adjust`](super::counters::adjust), the
//! measure's journal and the audit log.

use crate::errors::AppError;
use crate::rules::vocabulary::{self, CAUSES_SORTIE, CHAMPS, LIEUX_DE_VIE, NATURES, TYPES_ETABLISSEMENT};
use serde::{Deserialize, Serialize};

/// Où vit la personne protégée, tel que l'envoient les formulaires et l'API.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeLieuDeVie {
    /// `domicile`, `etablissement`, `etablissement_conservation_domicile` ou `sdf`.
    #[serde(default)]
    pub lieu_vie: String,
    /// Obligatoire quand la personne vit en établissement.
    #[serde(default)]
    pub type_etablissement: Option<String>,
    /// Code INSEE de la commune (obligatoire en France).
    #[serde(default)]
    pub commune: Option<String>,
    /// Code pays ISO 3166-1 alpha-2 ; `FR` quand il est vide.
    #[serde(default)]
    pub pays: Option<String>,
}

/// A lieu de vie whose fields passed their own checks (the commune's existence
/// is checked against the database by the server).
#[derive(Clone, Debug, PartialEq)]
pub struct LieuDeVie {
    pub lieu_vie: String,
    pub type_etablissement: Option<String>,
    pub commune_code: Option<String>,
    pub pays: String,
}

/// `POST /api/v1/mesures/{id}/acceptation` et le formulaire d'acceptation.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeAcceptation {
    /// Date `AAAA-MM-JJ`, pas dans le futur.
    #[serde(default)]
    pub date_nomination: String,
    #[serde(flatten)]
    pub lieu: DemandeLieuDeVie,
    /// Pour un service : l'antenne qui prend la mesure (facultatif).
    #[serde(default)]
    pub antenne_id: Option<i32>,
}

/// `POST /api/v1/mesures/{id}/cloture` et le formulaire de clôture.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeCloture {
    /// `mainlevee`, `deces`, `caducite`, `dessaisissement_famille` ou `dessaisissement_autre_mjpm`.
    #[serde(default)]
    pub cause_sortie: String,
    /// Date `AAAA-MM-JJ`, ni dans le futur ni avant la date de nomination.
    #[serde(default)]
    pub date_fin: String,
}

/// `POST /api/v1/mesures/{id}/refus` et le formulaire « Refuser » : le mandataire
/// refuse une réservation qu'il n'a pas acceptée.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeRefus {
    /// `pas_de_place`, `hors_zone`, `conflit_interets` ou `autre`.
    #[serde(default)]
    pub motif: String,
    /// Les mots du mandataire : obligatoires pour `autre`, facultatifs sinon.
    #[serde(default)]
    pub precision: Option<String>,
}

/// The longest precision of a refusal.
pub const PRECISION_REFUS_MAX: usize = 500;

/// `POST /api/v1/mesures/{id}/etats` et le formulaire d'état : un changement de
/// nature, de champ ou de lieu de vie à une date.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeEtat {
    /// Date `AAAA-MM-JJ`, pas dans le futur.
    #[serde(default)]
    pub date_changement: String,
    #[serde(default)]
    pub nature: String,
    #[serde(default)]
    pub champ: Option<String>,
    #[serde(flatten)]
    pub lieu: DemandeLieuDeVie,
}

/// Collects one French message per refused field.
#[derive(Default)]
struct Refusals(Vec<(String, String)>);

impl Refusals {
    fn refuse(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_string(), message.into()));
    }

    fn into_result<T>(self, value: Option<T>) -> Result<T, AppError> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(AppError::Champs(self.0)),
        }
    }
}

/// A past or present day typed (`rules::heure::jour_saisi`).
fn past_date(refusals: &mut Refusals, field: &str, label: &str, text: &str, today: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        refusals.refuse(field, format!("La {label} est obligatoire."));
        return None;
    }
    match crate::rules::heure::jour_saisi(text).ok_or(()) {
        Ok(date) if date > today => {
            refusals.refuse(field, format!("La {label} ne peut pas être dans le futur."));
            None
        }
        Ok(date) if date < chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or(date) => {
            refusals.refuse(field, format!("La {label} doit être postérieure à 1950."));
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            let attendu = crate::rules::heure::FORMAT_DATE;
            refusals.refuse(field, format!("{} illisible : « {text} » (attendu : {attendu}).", crate::rules::texte::capitalise(label)));
            None
        }
    }
}

fn blank_to_none(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

impl DemandeLieuDeVie {
    fn check(&self, refusals: &mut Refusals) -> Option<LieuDeVie> {
        let before = refusals.0.len();
        let lieu_vie = self.lieu_vie.trim();
        if !vocabulary::is_valid(&LIEUX_DE_VIE, lieu_vie) {
            refusals.refuse("lieu_vie", "Choisissez le lieu de vie de la personne protégée dans la liste.");
        }
        let in_establishment = lieu_vie.starts_with("etablissement");
        let type_etablissement = blank_to_none(&self.type_etablissement);
        match (&type_etablissement, in_establishment) {
            (None, true) => refusals.refuse("type_etablissement", "Précisez le type d'établissement."),
            (Some(t), true) if !vocabulary::is_valid(&TYPES_ETABLISSEMENT, t) => {
                refusals.refuse("type_etablissement", "Choisissez le type d'établissement dans la liste.")
            }
            _ => {}
        }
        let pays = blank_to_none(&self.pays).unwrap_or_else(|| "FR".into()).to_uppercase();
        if pays.len() != 2 || !pays.chars().all(|c| c.is_ascii_uppercase()) {
            refusals.refuse("pays", "Le pays s'écrit avec son code à deux lettres (FR, BE, ES…).");
        }
        let commune_code = blank_to_none(&self.commune).map(|c| c.to_uppercase());
        match (&commune_code, pays.as_str()) {
            (None, "FR") if lieu_vie != "sdf" => refusals.refuse("commune", "Indiquez la commune où vit la personne protégée."),
            (Some(code), _) if !crate::search::criteria::is_insee_code(code) => {
                refusals.refuse("commune", format!("Code commune (INSEE) invalide : « {code} » (5 caractères)."))
            }
            (Some(_), p) if p != "FR" => refusals.refuse("commune", "Une commune française ne va qu'avec le pays FR."),
            _ => {}
        }
        (refusals.0.len() == before).then(|| LieuDeVie {
            lieu_vie: lieu_vie.to_string(),
            // Only an établissement has a type.
            type_etablissement: type_etablissement.filter(|_| in_establishment),
            commune_code,
            pays,
        })
    }
}

/// An acceptance that passed its own checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Acceptation {
    pub date_nomination: chrono::NaiveDate,
    pub lieu: LieuDeVie,
    pub antenne_id: Option<i32>,
}

impl DemandeAcceptation {
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<Acceptation, AppError> {
        let mut refusals = Refusals::default();
        let date = past_date(&mut refusals, "date_nomination", "date de nomination", &self.date_nomination, today);
        let lieu = self.lieu.check(&mut refusals);
        let value = date.zip(lieu).map(|(date_nomination, lieu)| Acceptation { date_nomination, lieu, antenne_id: self.antenne_id });
        refusals.into_result(value)
    }
}

/// A closing that passed its own checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Cloture {
    pub cause_sortie: String,
    pub date_fin: chrono::NaiveDate,
}

impl DemandeCloture {
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<Cloture, AppError> {
        let mut refusals = Refusals::default();
        let cause = self.cause_sortie.trim();
        if !vocabulary::is_valid(&CAUSES_SORTIE, cause) {
            refusals.refuse("cause_sortie", "Choisissez la cause de sortie de la mesure dans la liste.");
        }
        let date = past_date(&mut refusals, "date_fin", "date de fin", &self.date_fin, today);
        let value = date.map(|date_fin| Cloture { cause_sortie: cause.to_string(), date_fin });
        refusals.into_result(value)
    }
}

impl DemandeRefus {
    /// (motif, precision) once checked.
    pub fn validate(&self) -> Result<(String, Option<String>), AppError> {
        let mut refusals = Refusals::default();
        let motif = self.motif.trim();
        if !vocabulary::is_valid(&vocabulary::MOTIFS_REFUS, motif) {
            refusals.refuse("motif", "Choisissez le motif du refus dans la liste.");
        }
        let precision = blank_to_none(&self.precision);
        match &precision {
            None if motif == "autre" => refusals.refuse("precision", "Précisez le motif du refus."),
            Some(p) if p.chars().count() > PRECISION_REFUS_MAX => {
                refusals.refuse("precision", format!("{PRECISION_REFUS_MAX} caractères au plus."))
            }
            Some(p) => {
                if let Some(c) = crate::rules::texte::caractere_interdit(p, true) {
                    refusals.refuse("precision", crate::rules::texte::refus("La précision", c));
                }
            }
            None => {}
        }
        refusals.into_result(Some((motif.to_string(), precision)))
    }
}

/// A new état that passed its own checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Etat {
    pub date_changement: chrono::NaiveDate,
    pub nature: String,
    pub champ: Option<String>,
    pub lieu: LieuDeVie,
}

impl DemandeEtat {
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<Etat, AppError> {
        let mut refusals = Refusals::default();
        let date = past_date(&mut refusals, "date_changement", "date du changement", &self.date_changement, today);
        let nature = self.nature.trim();
        if !vocabulary::is_valid(&NATURES, nature) {
            refusals.refuse("nature", "Choisissez la nature de la mesure dans la liste.");
        }
        let champ = blank_to_none(&self.champ);
        if champ.as_deref().is_some_and(|c| !vocabulary::is_valid(&CHAMPS, c)) {
            refusals.refuse("champ", "Choisissez le champ de la mesure dans la liste.");
        }
        let lieu = self.lieu.check(&mut refusals);
        let value = date.zip(lieu).map(|(date_changement, lieu)| Etat { date_changement, nature: nature.to_string(), champ, lieu });
        refusals.into_result(value)
    }
}

#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::{accept, add_etat, cancel, close, reactivate, refuse, visible};
#[cfg(feature = "ssr")]
pub(crate) use service::{check_commune, insert_etat, journal, switch, Owner};

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Champs(champs) => champs.into_iter().map(|(f, _)| f).collect(),
            other => panic!("erreur de champs attendue : {other:?}"),
        }
    }

    fn domicile(commune: &str) -> DemandeLieuDeVie {
        DemandeLieuDeVie { lieu_vie: "domicile".into(), commune: Some(commune.into()), ..Default::default() }
    }

    #[test]
    fn an_acceptance_needs_a_past_date_and_a_place() {
        let good = DemandeAcceptation { date_nomination: "2026-11-02".into(), lieu: domicile("59350"), antenne_id: None };
        let a = good.validate(today()).expect("valide");
        assert_eq!((a.lieu.pays.as_str(), a.lieu.commune_code.as_deref()), ("FR", Some("59350")));
        let future = DemandeAcceptation { date_nomination: "2026-11-28".into(), ..good.clone() };
        assert_eq!(fields(future.validate(today()).unwrap_err()), ["date_nomination"]);
        let nothing = DemandeAcceptation::default();
        assert_eq!(fields(nothing.validate(today()).unwrap_err()), ["date_nomination", "lieu_vie", "commune"]);
        let french = DemandeAcceptation { date_nomination: "02/11/2026".into(), ..good.clone() };
        assert_eq!(
            french.validate(today()).expect("as people write it").date_nomination,
            good.validate(today()).expect("iso").date_nomination
        );
        let unreadable = DemandeAcceptation { date_nomination: "2 novembre".into(), ..good };
        assert_eq!(fields(unreadable.validate(today()).unwrap_err()), ["date_nomination"]);
    }

    #[test]
    fn an_establishment_needs_its_type_and_abroad_needs_no_commune() {
        let mut lieu = DemandeLieuDeVie { lieu_vie: "etablissement".into(), commune: Some("59350".into()), ..Default::default() };
        let mut refusals = Refusals::default();
        assert_eq!(lieu.check(&mut refusals), None);
        assert_eq!(refusals.0[0].0, "type_etablissement");
        lieu.type_etablissement = Some("etablissement_hospitalier".into());
        let checked = lieu.check(&mut Refusals::default()).expect("valide");
        assert_eq!(checked.type_etablissement.as_deref(), Some("etablissement_hospitalier"));
        let abroad = DemandeLieuDeVie {
            lieu_vie: "domicile".into(),
            pays: Some("be".into()),
            type_etablissement: Some("autre_etablissement".into()),
            ..Default::default()
        };
        let checked = abroad.check(&mut Refusals::default()).expect("valide");
        assert_eq!((checked.pays.as_str(), checked.commune_code, checked.type_etablissement), ("BE", None, None));
        let both = DemandeLieuDeVie { pays: Some("BE".into()), ..domicile("59350") };
        let mut refusals = Refusals::default();
        assert_eq!(both.check(&mut refusals), None);
        assert_eq!(refusals.0[0].0, "commune");
        let sdf = DemandeLieuDeVie { lieu_vie: "sdf".into(), ..Default::default() };
        assert!(sdf.check(&mut Refusals::default()).is_some(), "a homeless person has no commune");
    }

    #[test]
    fn a_closing_needs_a_known_cause_and_a_past_date() {
        let good = DemandeCloture { cause_sortie: "deces".into(), date_fin: "2026-11-27".into() };
        assert_eq!(good.validate(today()).map(|c| c.cause_sortie), Ok("deces".into()));
        let bad = DemandeCloture { cause_sortie: "lassitude".into(), date_fin: "2027-01-01".into() };
        assert_eq!(fields(bad.validate(today()).unwrap_err()), ["cause_sortie", "date_fin"]);
    }

    #[test]
    fn a_new_etat_checks_nature_champ_and_place() {
        let good = DemandeEtat {
            date_changement: "2026-10-01".into(),
            nature: "tutelle".into(),
            champ: Some("protection_bien".into()),
            lieu: domicile("59350"),
        };
        assert_eq!(good.validate(today()).map(|e| e.nature), Ok("tutelle".into()));
        let bad = DemandeEtat { nature: "x".into(), champ: Some("y".into()), lieu: DemandeLieuDeVie::default(), ..good };
        assert_eq!(fields(bad.validate(today()).unwrap_err()), ["nature", "champ", "lieu_vie", "commune"]);
    }
}
