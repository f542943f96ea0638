//! The liste blanche (approvals) as the State keeps it: a direction lists,
//! creates and edits the approved individuels (départements, one financeur),
//! préposés (établissements) and services (départements) **of its territory
//! only**; administrators everywhere. An entry is in a territory when one of
//! its départements (or its établissements' départements) is. A direction
//! never sees nor changes what lies outside: départements and établissements
//! of other territories are kept as they are when it saves.

use crate::errors::AppError;
use crate::rules::contact;
use serde::{Deserialize, Serialize};

pub use crate::rules::pagination::PAR_PAGE;
pub const NOM_MAX: usize = 100;
pub const TYPES: [(&str, &str); 3] =
    [("individuel", "Mandataire individuel"), ("prepose", "Préposé d'établissement"), ("service", "Service mandataire")];

/// One entry in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneListe {
    pub id: i32,
    pub type_label: String,
    pub nom: String,
    pub siret: Option<String>,
    pub email: Option<String>,
    /// "59 (financeur), 62".
    pub agrements: String,
    /// A gestionnaire of e-MJPM is linked to it (the professional signed up).
    pub inscrit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageListe {
    pub territoire: String,
    pub total: u64,
    pub page: u64,
    pub lignes: Vec<LigneListe>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct FiltresListe {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub page: Option<String>,
}

/// The edit form's content: the entry (none for a new one) and what the
/// caller may tick.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormulaireEntree {
    pub entree: Option<Entree>,
    /// (code, "59 — Nord") of the caller's territory.
    pub departements: Vec<(String, String)>,
    /// (id, "CHU de Lille — 59000 (59)") located in the territory.
    pub etablissements: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entree {
    pub id: i32,
    pub kind: String,
    pub nom: String,
    pub prenom: String,
    pub siret: String,
    pub email: String,
    /// Its départements within the territory, and the financeur among them.
    pub departements: Vec<String>,
    pub financeur: Option<String>,
    pub etablissements: Vec<String>,
    /// What other territories hold ("62 (financeur)"), shown, never changed here.
    pub ailleurs: Vec<String>,
}

/// What the form sends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeEntree {
    pub kind: String,
    pub nom: String,
    pub prenom: String,
    pub siret: String,
    pub email: String,
    pub departements: Vec<String>,
    pub financeur: String,
    pub etablissements: Vec<String>,
}

/// A form that passed the checks needing no database.
#[derive(Clone, Debug, PartialEq)]
pub struct EntreeValide {
    pub kind: String,
    pub nom: String,
    pub prenom: Option<String>,
    pub siret: Option<String>,
    pub email: Option<String>,
    pub departements: Vec<String>,
    pub financeur: Option<String>,
    pub etablissements: Vec<i32>,
}

impl DemandeEntree {
    pub fn validate(&self) -> Result<EntreeValide, AppError> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut refuse = |field: &str, message: &str| errors.push((field.to_string(), message.to_string()));
        let kind = self.kind.trim().to_string();
        if !TYPES.iter().any(|(k, _)| *k == kind) {
            return Err(AppError::Invalide("Type d'agrément inconnu : individuel, préposé ou service.".into()));
        }
        let person = kind != "service";
        let nom = self.nom.trim().to_string();
        if nom.is_empty() {
            refuse("nom", if person { "Indiquez le nom du mandataire." } else { "Indiquez le nom du service." });
        } else if nom.chars().count() > NOM_MAX {
            refuse("nom", "Le nom compte au plus 100 caractères.");
        }
        let prenom = Some(self.prenom.trim().to_string()).filter(|p| !p.is_empty() && person);
        if person && prenom.is_none() {
            refuse("prenom", "Indiquez le prénom du mandataire.");
        } else if prenom.as_ref().is_some_and(|p| p.chars().count() > NOM_MAX) {
            refuse("prenom", "Le prénom compte au plus 100 caractères.");
        }
        let siret: String = self.siret.chars().filter(|c| !c.is_whitespace()).collect();
        let siret = Some(siret).filter(|s| !s.is_empty() && kind != "prepose");
        match &siret {
            None if kind == "individuel" => refuse("siret", "Indiquez le SIRET du mandataire individuel (14 chiffres)."),
            Some(s) if !crate::rules::siret::is_valid_siret(s) => {
                refuse("siret", "Ce numéro SIRET n'est pas valide : vérifiez ses 14 chiffres.")
            }
            _ => {}
        }
        let email = match self.email.trim() {
            "" => None,
            typed => contact::email(typed).map(|e| e.to_lowercase()).map_err(|m| refuse("email", m)).ok(),
        };
        let mut departements: Vec<String> = Vec::new();
        let mut etablissements: Vec<i32> = Vec::new();
        let financeur = Some(self.financeur.trim().to_string()).filter(|f| !f.is_empty() && kind == "individuel");
        if kind == "prepose" {
            for e in &self.etablissements {
                match e.trim().parse::<i32>() {
                    Ok(id) if !etablissements.contains(&id) => etablissements.push(id),
                    Ok(_) => {}
                    Err(_) => refuse("etablissements", "Un des établissements choisis n'existe pas : rechargez la page."),
                }
            }
        } else {
            for d in self.departements.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
                if !departements.iter().any(|k| k == d) {
                    departements.push(d.to_string());
                }
            }
            if financeur.as_ref().is_some_and(|f| !departements.contains(f)) {
                refuse("financeur", "Le département financeur doit être l'un des départements cochés.");
            }
        }
        if errors.is_empty() {
            Ok(EntreeValide { kind, nom, prenom, siret, email, departements, financeur, etablissements })
        } else {
            Err(AppError::Champs(errors))
        }
    }
}

#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::*;

#[cfg(test)]
mod tests {
    use super::*;

    fn individuel() -> DemandeEntree {
        DemandeEntree {
            kind: "individuel".into(),
            nom: " Lambert ".into(),
            prenom: "Camille".into(),
            siret: "732 829 320 00074".into(),
            email: "Camille@Exemple.fr".into(),
            departements: vec!["59".into(), "62".into(), "59".into()],
            financeur: "62".into(),
            etablissements: vec!["3".into()],
        }
    }

    #[test]
    fn an_individuel_has_a_siret_departements_and_a_financeur_among_them() {
        let v = individuel().validate().expect("valide");
        assert_eq!(v.nom, "Lambert");
        assert_eq!(v.siret.as_deref(), Some("73282932000074"));
        assert_eq!(v.email.as_deref(), Some("camille@exemple.fr"));
        assert_eq!(v.departements, ["59", "62"]);
        assert_eq!(v.financeur.as_deref(), Some("62"));
        assert!(v.etablissements.is_empty(), "an individuel has no établissement");
        let fields = |d: DemandeEntree| match d.validate() {
            Err(AppError::Champs(c)) => c.into_iter().map(|(f, _)| f).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fields(DemandeEntree { financeur: "75".into(), siret: "1".into(), prenom: " ".into(), ..individuel() }),
            ["prenom", "siret", "financeur"]
        );
    }

    #[test]
    fn a_service_has_no_first_name_nor_financeur_and_a_prepose_establishments() {
        let s = DemandeEntree { kind: "service".into(), siret: String::new(), ..individuel() }.validate().expect("service");
        assert_eq!((s.prenom, s.financeur, s.siret), (None, None, None));
        let p = DemandeEntree { kind: "prepose".into(), etablissements: vec!["3".into(), "x".into()], ..individuel() }.validate();
        assert!(matches!(p, Err(AppError::Champs(c)) if c[0].0 == "etablissements"));
        let p = DemandeEntree { kind: "prepose".into(), ..individuel() }.validate().expect("préposé");
        assert_eq!((p.etablissements, p.departements, p.siret), (vec![3], vec![], None));
        assert!(matches!(DemandeEntree { kind: "autre".into(), ..individuel() }.validate(), Err(AppError::Invalide(_))));
    }
}
