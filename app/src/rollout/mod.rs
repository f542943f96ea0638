//! The rollout of the service, territory by territory (the product team):
//! every département has a state — not open, pilot, open — with the wave it
//! belongs to and its planned and actual opening dates. `/admin/deploiement`
//! shows them on a map of France and in a table with the same data, each
//! département's page its tribunals, approved professionals and adoption
//! funnel; changing a state is audited.
//!
//! Layers: the rules and types here, the service in `service.rs`, the form in
//! `handlers.rs`, `GET /api/v1/deploiement` in `api.rs`, the pages in
//! `page.rs`, the map's shapes in `carte.rs`.

#[cfg(feature = "ssr")]
pub mod api;
pub mod carte;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;

use crate::adoption::EtapeEntonnoir;
use crate::rules::vocabulary::Term;
use serde::{Deserialize, Serialize};

/// A département's rollout states.
pub const ETATS: [Term; 3] = [("non_ouvert", "Non ouvert"), ("pilote", "Pilote"), ("ouvert", "Ouvert")];

pub const VAGUE_MAX: usize = 80;

/// The fields of the state form, sent back as typed after a refusal.
pub const CHAMPS: [(&str, &str); 4] =
    [("etat", "État"), ("vague", "Vague"), ("date_prevue", "Ouverture prévue"), ("date_ouverture", "Ouverture effective")];

/// A département in the rollout (`GET /api/v1/deploiement`, `/admin/deploiement`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartementDeploiement {
    /// Code du département (`59`, `2A`, `974`).
    pub code: String,
    pub nom: String,
    pub region: String,
    /// `non_ouvert`, `pilote` ou `ouvert`.
    pub etat: String,
    /// La vague d'ouverture (« Hauts-de-France »), si elle est choisie.
    pub vague: Option<String>,
    /// Date d'ouverture prévue (AAAA-MM-JJ).
    pub date_prevue: Option<String>,
    /// Date d'ouverture effective (AAAA-MM-JJ).
    pub date_ouverture: Option<String>,
    /// L'entonnoir d'adoption des comptes du département, étape par étape.
    pub entonnoir: Vec<EtapeEntonnoir>,
}

/// A change of a département's rollout (the team's form).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeDeploiement {
    pub etat: String,
    pub vague: String,
    pub date_prevue: String,
    pub date_ouverture: String,
}

/// A change once checked.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploiementValide {
    pub etat: String,
    pub vague: Option<String>,
    pub date_prevue: Option<chrono::NaiveDate>,
    pub date_ouverture: Option<chrono::NaiveDate>,
}

impl DemandeDeploiement {
    /// Checks a change made on `aujourdhui`: a known state; a département
    /// opened (pilot or open) has an opening date, today unless given, never
    /// in the future; one not open has none.
    pub fn valider(&self, aujourdhui: chrono::NaiveDate) -> Result<DeploiementValide, Vec<(String, String)>> {
        let mut refus = Vec::new();
        if !crate::rules::vocabulary::is_valid(&ETATS, &self.etat) {
            refus.push(("etat".to_string(), "Choisissez un état : non ouvert, pilote ou ouvert.".to_string()));
        }
        let vague = Some(self.vague.trim().to_string()).filter(|v| !v.is_empty());
        if vague.as_ref().is_some_and(|v| v.chars().count() > VAGUE_MAX) {
            refus.push(("vague".into(), format!("Le nom de la vague compte au plus {VAGUE_MAX} caractères.")));
        }
        let mut date = |champ: &str, texte: &str| match texte.trim() {
            "" => None,
            texte => {
                let jour = crate::rules::heure::jour_saisi(texte);
                if jour.is_none() {
                    refus.push((champ.to_string(), "Date illisible : attendu JJ/MM/AAAA.".to_string()));
                }
                jour
            }
        };
        let date_prevue = date("date_prevue", &self.date_prevue);
        let mut date_ouverture = date("date_ouverture", &self.date_ouverture);
        if self.etat == "non_ouvert" {
            date_ouverture = None;
        } else if date_ouverture.is_none() && !refus.iter().any(|(c, _)| c == "date_ouverture") {
            date_ouverture = Some(aujourdhui);
        }
        if date_ouverture.is_some_and(|d| d > aujourdhui) {
            refus
                .push(("date_ouverture".into(), "La date d'ouverture ne peut pas être dans le futur : indiquez-la en date prévue.".into()));
        }
        if !refus.is_empty() {
            return Err(refus);
        }
        Ok(DeploiementValide { etat: self.etat.clone(), vague, date_prevue, date_ouverture })
    }
}

/// Whether a sign-up from a département in state `etat` waits on the waiting
/// list: its territory is neither in pilot nor open — once the team uses the
/// rollout at all (`rollout_used`: some département in pilot or open); an
/// instance that never opened one keeps every sign-up in the usual list.
pub fn en_liste_attente(rollout_used: bool, etat: Option<&str>) -> bool {
    rollout_used && !matches!(etat, Some("pilote" | "ouvert"))
}

/// A département's page (`/admin/deploiement/{code}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FicheDepartement {
    pub departement: DepartementDeploiement,
    /// (name, accounts of its judges and greffiers).
    pub tribunaux: Vec<(String, i64)>,
    /// (id, name, kind label) of the professionals approved there.
    pub professionnels: Vec<(i32, String, String)>,
    /// Sign-ups of this département waiting for the team (name, role, since).
    pub inscriptions: Vec<(String, String, String)>,
    /// Whether its sign-ups may be validated in one action (the département
    /// is in pilot or open).
    pub validation_groupee: bool,
    /// The waves already named, to choose one.
    pub vagues: Vec<String>,
    /// The weekly cohorts of its accounts.
    pub cohortes: Vec<crate::adoption::Cohorte>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn jour(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_sign_up_waits_only_for_a_territory_not_open_once_the_rollout_is_used() {
        assert!(en_liste_attente(true, None));
        assert!(en_liste_attente(true, Some("non_ouvert")));
        assert!(!en_liste_attente(true, Some("pilote")));
        assert!(!en_liste_attente(true, Some("ouvert")));
        assert!(!en_liste_attente(false, None), "no rollout: no waiting list");
    }

    #[test]
    fn an_opened_departement_has_an_opening_date_never_in_the_future() {
        let today = jour("2026-12-06");
        let demande = DemandeDeploiement { etat: "pilote".into(), vague: " Île-de-France ".into(), ..Default::default() };
        let valide = demande.valider(today).expect("valid");
        assert_eq!((valide.date_ouverture, valide.vague.as_deref()), (Some(today), Some("Île-de-France")));
        let futur = DemandeDeploiement { etat: "ouvert".into(), date_ouverture: "2027-01-04".into(), ..Default::default() };
        assert_eq!(futur.valider(today).expect_err("future")[0].0, "date_ouverture");
        let ferme = DemandeDeploiement {
            etat: "non_ouvert".into(),
            date_ouverture: "2026-01-04".into(),
            date_prevue: "2027-09-01".into(),
            ..Default::default()
        };
        let valide = ferme.valider(today).expect("valid");
        assert_eq!((valide.date_ouverture, valide.date_prevue), (None, Some(jour("2027-09-01"))));
        let faux = DemandeDeploiement { etat: "ferme".into(), date_prevue: "bientôt".into(), ..Default::default() };
        let champs: Vec<String> = faux.valider(today).expect_err("refused").into_iter().map(|(c, _)| c).collect();
        assert_eq!(champs, ["etat", "date_prevue"]);
    }
}
