//! Signing up (`/inscription`) and the administrators' decision on it.
//!
//! A sign-up opens an **inactive** account with its role's attachment — the
//! individuel's or préposé's own gestionnaire (not approved: outside every
//! search until it is linked to its liste blanche entry), the service joined,
//! the tribunal, the direction's territory — and a row in `inscriptions` that
//! says it waits. The administrators are mailed. One of them validates it
//! (linking an individuel or a préposé to its liste blanche entry, proposed by
//! SIRET, e-mail, name or établissement) or refuses it with a reason (the
//! account and what it created are deleted, so the person can sign up again).
//! The person is told by e-mail either way.
//!
//! The page answers the same whether the address already has an account or
//! not (that address is mailed instead): nobody learns who is registered.

use crate::errors::AppError;
use crate::rules::contact;
use crate::rules::roles::Role;
use serde::{Deserialize, Serialize};

/// The roles one can sign up for (administrators are named by administrators).
pub const ROLES: [Role; 6] = [Role::Individuel, Role::Prepose, Role::Service, Role::Magistrat, Role::Greffier, Role::Direction];
pub const NOM_MAX: usize = 100;
pub const ADRESSE_MAX: usize = 200;
pub const MOTIF_MAX: usize = 1000;
/// Sign-ups accepted from one IP address per hour.
pub const PAR_IP_PAR_HEURE: u64 = 10;
/// Direction kinds and how they are named.
pub const DIRECTIONS: [(&str, &str); 3] =
    [("departemental", "Départementale (DDETS)"), ("regional", "Régionale (DREETS)"), ("national", "Nationale (DGCS)")];

/// What the sign-up form sends (every field of every role; each role reads its own).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeInscription {
    pub role: String,
    pub prenom: String,
    pub nom: String,
    pub email: String,
    pub telephone: String,
    pub mot_de_passe: String,
    pub confirmation: String,
    pub siret: String,
    pub adresse: String,
    pub commune: String,
    pub mesures_max: Option<i32>,
    pub tribunaux: Vec<String>,
    pub etablissement_id: Option<i32>,
    pub service_id: Option<i32>,
    pub tribunal_id: Option<i32>,
    pub cabinet: String,
    pub direction_type: String,
    pub region_code: String,
    pub departement_code: String,
    pub structure: String,
}

/// A sign-up that passed the checks needing no database.
#[derive(Clone, Debug, PartialEq)]
pub struct InscriptionValide {
    pub role: Role,
    pub prenom: String,
    pub nom: String,
    pub email: String,
    pub telephone: Option<String>,
    pub mot_de_passe: String,
    pub detail: Detail,
}

/// What each role adds.
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    Individuel { siret: String, adresse: String, commune: String, mesures_max: i32, tribunaux: Vec<i32> },
    Prepose { etablissement_id: i32, mesures_max: i32 },
    Service { service_id: i32 },
    Juridiction { tribunal_id: i32, cabinet: Option<String> },
    Direction { kind: String, region_code: Option<String>, departement_code: Option<String>, structure: String },
}

impl DemandeInscription {
    pub fn validate(&self) -> Result<InscriptionValide, AppError> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut refuse = |field: &str, message: String| errors.push((field.to_string(), message));
        let role = match Role::parse(&self.role).filter(|r| ROLES.contains(r)) {
            Some(role) => role,
            None => return Err(AppError::Invalide("Choisissez d'abord votre profil dans la liste.".into())),
        };
        let text = |field: &str, value: &str, missing: &str, max: usize, refuse: &mut dyn FnMut(&str, String)| {
            let value = value.trim().to_string();
            if value.is_empty() {
                refuse(field, missing.to_string());
            } else if value.chars().count() > max {
                refuse(field, format!("{max} caractères au plus."));
            }
            value
        };
        let prenom = text("prenom", &self.prenom, "Indiquez votre prénom.", NOM_MAX, &mut refuse);
        let nom = text("nom", &self.nom, "Indiquez votre nom.", NOM_MAX, &mut refuse);
        let email = contact::email(&self.email).map(|e| e.to_lowercase()).map_err(|m| refuse("email", m.into())).unwrap_or_default();
        // A professional's telephone is shown to the judges: required.
        let professional = matches!(role, Role::Individuel | Role::Prepose);
        let telephone = if self.telephone.trim().is_empty() && !professional {
            None
        } else {
            contact::telephone(&self.telephone).map_err(|m| refuse("telephone", m.into())).ok()
        };
        for (field, message) in crate::rules::password_policy::refus_nouveau(&self.mot_de_passe, &self.confirmation, &email) {
            refuse(&field, message);
        }
        let mesures_max = |refuse: &mut dyn FnMut(&str, String)| match self.mesures_max {
            Some(n) if (0..=crate::professionals::capacite::MESURES_MAX_LIMITE).contains(&n) => n,
            Some(_) => {
                refuse(
                    "mesures_max",
                    format!(
                        "Le nombre de mesures souhaitées est compris entre 0 et {}.",
                        crate::professionals::capacite::MESURES_MAX_LIMITE
                    ),
                );
                0
            }
            None => {
                refuse("mesures_max", "Indiquez le nombre de mesures que vous souhaitez suivre.".into());
                0
            }
        };
        let detail = match role {
            Role::Individuel => {
                let siret: String = self.siret.chars().filter(|c| !c.is_whitespace()).collect();
                if siret.is_empty() {
                    refuse("siret", "Indiquez votre numéro SIRET (14 chiffres).".into());
                } else if !crate::rules::siret::is_valid_siret(&siret) {
                    refuse("siret", "Ce numéro SIRET n'est pas valide : vérifiez ses 14 chiffres.".into());
                }
                let adresse =
                    text("adresse", &self.adresse, "Indiquez l'adresse (numéro et voie) de votre activité.", ADRESSE_MAX, &mut refuse);
                let commune =
                    text("commune", &self.commune, "Indiquez la commune de votre adresse (nom ou code postal).", NOM_MAX, &mut refuse);
                let mesures_max = mesures_max(&mut refuse);
                let mut tribunaux = Vec::new();
                for t in self.tribunaux.iter().filter(|t| !t.is_empty()) {
                    match t.parse::<i32>() {
                        Ok(id) if !tribunaux.contains(&id) => tribunaux.push(id),
                        Ok(_) => {}
                        Err(_) => {
                            refuse("tribunaux", "Un des tribunaux choisis n'existe pas : rechargez la page.".into());
                            break;
                        }
                    }
                }
                Detail::Individuel { siret, adresse, commune, mesures_max, tribunaux }
            }
            Role::Prepose => {
                let mesures_max = mesures_max(&mut refuse);
                if self.etablissement_id.is_none() {
                    refuse("etablissement_id", "Choisissez l'établissement qui vous emploie.".into());
                }
                Detail::Prepose { etablissement_id: self.etablissement_id.unwrap_or_default(), mesures_max }
            }
            Role::Service => {
                if self.service_id.is_none() {
                    refuse("service_id", "Choisissez le service que vous rejoignez.".into());
                }
                Detail::Service { service_id: self.service_id.unwrap_or_default() }
            }
            Role::Magistrat | Role::Greffier => {
                if self.tribunal_id.is_none() {
                    refuse("tribunal_id", "Choisissez votre tribunal.".into());
                }
                let cabinet = Some(self.cabinet.trim().to_string()).filter(|c| !c.is_empty());
                if cabinet.as_ref().is_some_and(|c| c.chars().count() > crate::measures::reservation::CABINET_MAX) {
                    refuse("cabinet", format!("Le cabinet compte au plus {} caractères.", crate::measures::reservation::CABINET_MAX));
                }
                Detail::Juridiction { tribunal_id: self.tribunal_id.unwrap_or_default(), cabinet }
            }
            Role::Direction | Role::Admin => {
                match territoire_direction(&self.direction_type, &self.region_code, &self.departement_code, &self.structure) {
                    Ok(detail) => detail,
                    Err(champs) => {
                        for (field, message) in champs {
                            refuse(&field, message);
                        }
                        Detail::Direction { kind: String::new(), region_code: None, departement_code: None, structure: String::new() }
                    }
                }
            }
        };
        if errors.is_empty() {
            Ok(InscriptionValide { role, prenom, nom, email, telephone, mot_de_passe: self.mot_de_passe.clone(), detail })
        } else {
            Err(AppError::Champs(errors))
        }
    }
}

/// A direction's level and territory (national; régional with its région;
/// départemental with its département) and its name: the one rule for a
/// sign-up and for an administrator moving a direction.
pub fn territoire_direction(kind: &str, region: &str, departement: &str, structure: &str) -> Result<Detail, Vec<(String, String)>> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let kind = kind.trim().to_string();
    let code = |typed: &str| Some(typed.trim().to_string()).filter(|c| !c.is_empty());
    let (region_code, departement_code) = match kind.as_str() {
        "national" => (None, None),
        "regional" => (code(region), None),
        "departemental" => (None, code(departement)),
        _ => {
            errors.push(("direction_type".into(), "Choisissez le niveau de la direction.".into()));
            (None, None)
        }
    };
    if kind == "regional" && region_code.is_none() {
        errors.push(("region_code".into(), "Choisissez la région de la direction.".into()));
    }
    if kind == "departemental" && departement_code.is_none() {
        errors.push(("departement_code".into(), "Choisissez le département de la direction.".into()));
    }
    let structure = structure.trim().to_string();
    if structure.is_empty() {
        errors.push(("structure".into(), "Indiquez le nom de la direction (par exemple « DDETS du Nord »).".into()));
    } else if structure.chars().count() > NOM_MAX {
        errors.push(("structure".into(), format!("{NOM_MAX} caractères au plus.")));
    }
    if errors.is_empty() {
        Ok(Detail::Direction { kind, region_code, departement_code, structure })
    } else {
        Err(errors)
    }
}

/// What the sign-up form offers for a role (public lists).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChoixInscription {
    /// (id, "Nom (département)").
    pub tribunaux: Vec<(String, String)>,
    pub etablissements: Vec<(String, String)>,
    pub services: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
    pub departements: Vec<(String, String)>,
}

/// A sign-up waiting, as the administrators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InscriptionEnAttente {
    pub user_id: i32,
    pub role: String,
    pub role_label: String,
    pub nom: String,
    pub email: String,
    pub telephone: Option<String>,
    /// "28/11/2026 à 09:12" (Paris).
    pub demandee_le: String,
    /// What was declared, line by line (label, value).
    pub details: Vec<(String, String)>,
    /// Whether the account is linked to a liste blanche entry at validation.
    pub rattachable: bool,
    pub candidats: Vec<Candidat>,
    /// Where the account belongs ("62 — Pas-de-Calais"), when a département says it.
    pub territoire: Option<String>,
    /// Its territory is not open yet: the sign-up waits on the waiting list
    /// until the team opens it (`rollout`).
    pub liste_attente: bool,
}

/// A liste blanche entry an individuel or préposé may be linked to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidat {
    pub id: i32,
    pub nom: String,
    /// Why it is proposed ("même SIRET", "même adresse électronique"…).
    pub raisons: Vec<String>,
    /// Where it is approved ("59, 62" or établissements).
    pub agrements: String,
}

#[cfg(feature = "ssr")]
mod demande;
#[cfg(feature = "ssr")]
mod examen;
#[cfg(feature = "ssr")]
pub use demande::*;
#[cfg(feature = "ssr")]
pub use examen::*;

#[cfg(test)]
mod tests {
    use super::*;

    fn individuel() -> DemandeInscription {
        DemandeInscription {
            role: "individuel".into(),
            prenom: " Camille ".into(),
            nom: "Lambert".into(),
            email: "Camille.Lambert@Exemple.fr ".into(),
            telephone: "0320123456".into(),
            mot_de_passe: "une phrase assez longue".into(),
            confirmation: "une phrase assez longue".into(),
            siret: "732 829 320 00074".into(),
            adresse: "3 rue Esquermoise".into(),
            commune: "Lille (59000)".into(),
            mesures_max: Some(40),
            tribunaux: vec!["1".into(), "1".into(), "2".into()],
            ..Default::default()
        }
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Champs(champs) => champs.into_iter().map(|(f, _)| f).collect(),
            other => panic!("refus inattendu : {other:?}"),
        }
    }

    #[test]
    fn an_individuel_signs_up_with_a_valid_siret_an_address_and_a_capacity() {
        let valide = individuel().validate().expect("valide");
        assert_eq!(valide.email, "camille.lambert@exemple.fr");
        assert_eq!(valide.prenom, "Camille");
        assert_eq!(valide.telephone.as_deref(), Some("03 20 12 34 56"));
        assert_eq!(
            valide.detail,
            Detail::Individuel {
                siret: "73282932000074".into(),
                adresse: "3 rue Esquermoise".into(),
                commune: "Lille (59000)".into(),
                mesures_max: 40,
                tribunaux: vec![1, 2]
            }
        );
    }

    #[test]
    fn every_refusal_of_an_individuel_is_named_at_once() {
        let demande = DemandeInscription {
            siret: "73282932000075".into(),
            telephone: String::new(),
            mesures_max: Some(-1),
            confirmation: "autre chose encore".into(),
            adresse: " ".into(),
            ..individuel()
        };
        assert_eq!(fields(demande.validate().unwrap_err()), ["telephone", "confirmation", "siret", "adresse", "mesures_max"]);
    }

    #[test]
    fn each_role_asks_for_its_own_attachment() {
        let base = DemandeInscription { telephone: String::new(), ..individuel() };
        let refused = |role: &str| fields(DemandeInscription { role: role.into(), ..base.clone() }.validate().unwrap_err());
        assert_eq!(refused("prepose"), ["telephone", "etablissement_id"]);
        assert_eq!(refused("service"), ["service_id"]);
        assert_eq!(refused("magistrat"), ["tribunal_id"]);
        assert_eq!(refused("greffier"), ["tribunal_id"]);
        assert_eq!(refused("direction"), ["direction_type", "structure"]);
        let region =
            DemandeInscription { role: "direction".into(), direction_type: "regional".into(), structure: "DREETS".into(), ..base.clone() };
        assert_eq!(fields(region.validate().unwrap_err()), ["region_code"]);
        let juge = DemandeInscription { role: "magistrat".into(), tribunal_id: Some(3), cabinet: " 2 ".into(), ..base.clone() };
        let valide = juge.validate().expect("juge");
        assert_eq!(valide.telephone, None, "optional for a judge");
        assert_eq!(valide.detail, Detail::Juridiction { tribunal_id: 3, cabinet: Some("2".into()) });
    }

    #[test]
    fn nobody_signs_up_as_an_administrator_or_an_unknown_role() {
        for role in ["admin", "", "juge"] {
            let refused = DemandeInscription { role: role.into(), ..individuel() }.validate();
            assert!(matches!(refused, Err(AppError::Invalide(_))), "{role}");
        }
    }

    #[test]
    fn the_password_follows_the_policy() {
        let faible = DemandeInscription { mot_de_passe: "motdepasse".into(), confirmation: "motdepasse".into(), ..individuel() };
        assert_eq!(fields(faible.validate().unwrap_err()), ["nouveau"]);
    }
}
