//! A professional's profile as judges see it: contact details, address (placed
//! through the commune table), the natures of measures it accepts, its
//! languages and competences, and its preferred tribunals — chosen among those
//! of the départements where it is approved (habilitation is never
//! self-declared). A service's profile is its admins' to change.

use crate::errors::AppError;
use crate::rules::contact;
use crate::rules::vocabulary::{self, COMPETENCES, NATURES};
use serde::{Deserialize, Serialize};

pub const ADRESSE_MAX: usize = 200;
pub const COMPETENCE_MAX: usize = 60;
pub const COMPETENCES_MAX: usize = 20;

/// A tribunal the professional may declare as preferred.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TribunalPossible {
    pub id: i32,
    pub nom: String,
    pub departement: String,
    pub prefere: bool,
}

/// The profile page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profil {
    pub gestionnaire_id: i32,
    pub nom: String,
    pub email: String,
    pub telephone: String,
    pub adresse: String,
    /// "Lille (59000)".
    pub commune: String,
    /// Nature codes accepted; every nature when it holds them all.
    pub natures: Vec<String>,
    pub competences: Vec<String>,
    pub tribunaux: Vec<TribunalPossible>,
    /// False for a service member who is not one of its admins.
    pub modifiable: bool,
}

/// What the profile form sends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeProfil {
    pub email: String,
    pub telephone: String,
    pub adresse: String,
    /// As typed: "Lille (59000)", "59000", "Lille".
    pub commune: String,
    pub natures: Vec<String>,
    /// Ticked among [`COMPETENCES`].
    pub competences: Vec<String>,
    /// Others, separated by commas.
    pub autres_competences: String,
    pub tribunaux: Vec<i32>,
}

/// A profile whose fields passed their own checks (the commune and the
/// tribunals are checked against the database by the server).
#[derive(Clone, Debug, PartialEq)]
pub struct ProfilValide {
    pub email: String,
    pub telephone: String,
    pub adresse: String,
    pub commune: String,
    /// Stored list: empty means every nature.
    pub natures_acceptees: String,
    pub competences: String,
    pub tribunaux: Vec<i32>,
}

/// Every nature ticked is stored as "all" (empty), so that a nature added to
/// the vocabulary later is accepted too.
fn natures_stored(natures: &[String]) -> String {
    if NATURES.iter().all(|(code, _)| natures.iter().any(|n| n == code)) {
        String::new()
    } else {
        NATURES.iter().filter(|(code, _)| natures.iter().any(|n| n == code)).map(|(code, _)| *code).collect::<Vec<_>>().join(",")
    }
}

/// The stored list as the form's ticked boxes.
pub fn natures_shown(stored: &str) -> Vec<String> {
    let listed: Vec<&str> = stored.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    NATURES.iter().filter(|(code, _)| listed.is_empty() || listed.contains(code)).map(|(code, _)| code.to_string()).collect()
}

impl DemandeProfil {
    pub fn validate(&self) -> Result<ProfilValide, AppError> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut refuse = |field: &str, message: String| errors.push((field.to_string(), message));
        let email = contact::email(&self.email).map_err(|m| refuse("email", m.into())).unwrap_or_default();
        let telephone = contact::telephone(&self.telephone).map_err(|m| refuse("telephone", m.into())).unwrap_or_default();
        let adresse = self.adresse.trim().to_string();
        if adresse.is_empty() {
            refuse("adresse", "Indiquez l'adresse (numéro et voie) où les juges et les personnes protégées vous joignent.".into());
        } else if adresse.chars().count() > ADRESSE_MAX {
            refuse("adresse", format!("L'adresse compte au plus {ADRESSE_MAX} caractères."));
        }
        let commune = self.commune.trim().to_string();
        if commune.is_empty() {
            refuse("commune", "Indiquez la commune de votre adresse (nom ou code postal).".into());
        } else if commune.chars().count() > 100 {
            refuse("commune", "La commune compte au plus 100 caractères.".into());
        }
        if self.natures.is_empty() {
            refuse("natures", "Cochez au moins une nature de mesure que vous acceptez.".into());
        } else if self.natures.iter().any(|n| !vocabulary::is_valid(&NATURES, n)) {
            refuse("natures", "Une des natures cochées n'existe pas : rechargez la page.".into());
        }
        let mut competences: Vec<String> = Vec::new();
        for c in self.competences.iter().map(|c| c.trim()) {
            if !COMPETENCES.contains(&c) {
                refuse("competences", "Une des compétences cochées n'existe pas : rechargez la page.".into());
                break;
            }
            if !competences.iter().any(|k| k == c) {
                competences.push(c.to_string());
            }
        }
        for autre in self.autres_competences.split([',', ';']).map(str::trim).filter(|a| !a.is_empty()) {
            if autre.chars().count() > COMPETENCE_MAX {
                refuse("autres_competences", format!("Chaque langue ou compétence compte au plus {COMPETENCE_MAX} caractères."));
                break;
            }
            let lower = autre.to_lowercase();
            if !competences.iter().any(|k| k.to_lowercase() == lower) {
                competences.push(autre.to_string());
            }
        }
        if competences.len() > COMPETENCES_MAX {
            refuse("autres_competences", format!("{COMPETENCES_MAX} langues ou compétences au plus."));
        }
        let mut tribunaux = self.tribunaux.clone();
        tribunaux.sort_unstable();
        tribunaux.dedup();
        if errors.is_empty() {
            Ok(ProfilValide {
                email,
                telephone,
                adresse,
                commune,
                natures_acceptees: natures_stored(&self.natures),
                competences: competences.join(","),
                tribunaux,
            })
        } else {
            Err(AppError::Champs(errors))
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::guard::Caller;
    use crate::audit::AuditEvent;
    use crate::db::entities::{gestionnaire_tribunaux, gestionnaires, tribunaux};
    use crate::search::communes;
    use crate::territories::approvals::approved_departements_of;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
    };

    /// The tribunals of the départements where `g` is approved.
    async fn possible_tribunals(db: &impl ConnectionTrait, g: &gestionnaires::Model) -> Result<Vec<tribunaux::Model>, AppError> {
        let Some(entry) = g.liste_blanche_id else { return Ok(Vec::new()) };
        let departements = approved_departements_of(db, entry).await?;
        Ok(tribunaux::Entity::find()
            .filter(tribunaux::Column::DepartementCode.is_in(departements))
            .order_by_asc(tribunaux::Column::DepartementCode)
            .order_by_asc(tribunaux::Column::Nom)
            .all(db)
            .await?)
    }

    pub async fn read(db: &DatabaseConnection, caller: &Caller) -> Result<Profil, AppError> {
        let gestionnaire_id = caller.gestionnaire_id()?;
        let g = gestionnaires::Entity::find_by_id(gestionnaire_id).one(db).await?.ok_or(AppError::Introuvable)?;
        let preferes: Vec<i32> = gestionnaire_tribunaux::Entity::find()
            .filter(gestionnaire_tribunaux::Column::GestionnaireId.eq(gestionnaire_id))
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.tribunal_id)
            .collect();
        let tribunaux = possible_tribunals(db, &g)
            .await?
            .into_iter()
            .map(|t| TribunalPossible { prefere: preferes.contains(&t.id), id: t.id, nom: t.nom, departement: t.departement_code })
            .collect();
        let commune = match crate::db::entities::communes::Entity::find_by_id(g.commune_code.clone()).one(db).await? {
            Some(c) => format!("{} ({})", c.nom, g.code_postal),
            None => g.code_postal.clone(),
        };
        Ok(Profil {
            gestionnaire_id,
            nom: super::super::display_name(&g.kind, &g.nom, g.prenom.as_deref()),
            modifiable: super::super::capacite::may_edit(caller).is_ok(),
            email: g.email,
            telephone: g.telephone,
            adresse: g.adresse,
            commune,
            natures: natures_shown(&g.natures_acceptees),
            competences: g.competences.split(',').map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect(),
            tribunaux,
        })
    }

    /// Saves the caller's profile: the gestionnaire's row and its preferred
    /// tribunals in one transaction, audited.
    pub async fn update(db: &DatabaseConnection, caller: &Caller, demande: &DemandeProfil, ip: Option<String>) -> Result<(), AppError> {
        let gestionnaire_id = super::super::capacite::may_edit(caller)?;
        let profil = demande.validate()?;
        let (commune, code_postal) = communes::place(db, &profil.commune, &communes::Proximite::of(db, caller).await?).await?;
        let tx = crate::db::begin(db).await?;
        let g = gestionnaires::Entity::find_by_id(gestionnaire_id).one(&tx).await?.ok_or(AppError::Introuvable)?;
        let possible: Vec<i32> = possible_tribunals(&tx, &g).await?.into_iter().map(|t| t.id).collect();
        if profil.tribunaux.iter().any(|t| !possible.contains(t)) {
            return Err(AppError::Champs(vec![(
                "tribunaux".into(),
                "Vous ne pouvez préférer que des tribunaux des départements où vous êtes agréé.".into(),
            )]));
        }
        let changes: Vec<&str> = [
            ("adresse électronique", g.email != profil.email),
            ("téléphone", g.telephone != profil.telephone),
            ("adresse", g.adresse != profil.adresse || g.commune_code != commune.code || g.code_postal != code_postal),
            ("natures", g.natures_acceptees != profil.natures_acceptees),
            ("compétences", g.competences != profil.competences),
        ]
        .into_iter()
        .filter_map(|(name, changed)| changed.then_some(name))
        .collect();
        let mut row = g.into_active_model();
        row.email = Set(profil.email.clone());
        row.telephone = Set(profil.telephone.clone());
        row.adresse = Set(profil.adresse.clone());
        row.code_postal = Set(code_postal);
        row.commune_code = Set(commune.code.clone());
        row.departement_code = Set(commune.departement.clone());
        row.latitude = Set(commune.latitude);
        row.longitude = Set(commune.longitude);
        row.natures_acceptees = Set(profil.natures_acceptees.clone());
        row.competences = Set(profil.competences.clone());
        row.updated_at = Set(chrono::Utc::now().fixed_offset());
        row.update(&tx).await?;
        gestionnaire_tribunaux::Entity::delete_many()
            .filter(gestionnaire_tribunaux::Column::GestionnaireId.eq(gestionnaire_id))
            .exec(&tx)
            .await?;
        for tribunal_id in &profil.tribunaux {
            gestionnaire_tribunaux::ActiveModel { gestionnaire_id: Set(gestionnaire_id), tribunal_id: Set(*tribunal_id) }
                .insert(&tx)
                .await?;
        }
        AuditEvent::by(caller, "gestionnaire.profil")
            .target("gestionnaire", gestionnaire_id)
            .summary(format!(
                "profil enregistré{}; tribunaux préférés : {:?}",
                if changes.is_empty() { String::new() } else { format!(" ({})", changes.join(", ")) },
                profil.tribunaux
            ))
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(feature = "ssr")]
pub use server::{read, update};

#[cfg(test)]
mod tests {
    use super::*;

    fn demande() -> DemandeProfil {
        DemandeProfil {
            email: "contact@exemple.fr".into(),
            telephone: "0320123456".into(),
            adresse: "12 rue Nationale".into(),
            commune: "Lille (59000)".into(),
            natures: vec!["tutelle".into(), "curatelle_renforcee".into()],
            competences: vec!["anglais".into()],
            autres_competences: "néerlandais, Anglais ; accompagnement budgétaire".into(),
            tribunaux: vec![3, 1, 3],
        }
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Champs(champs) => champs.into_iter().map(|(f, _)| f).collect(),
            other => panic!("erreur de champs attendue : {other:?}"),
        }
    }

    #[test]
    fn a_good_profile_is_written_one_way() {
        let p = demande().validate().expect("valide");
        assert_eq!(p.telephone, "03 20 12 34 56");
        assert_eq!(p.natures_acceptees, "curatelle_renforcee,tutelle", "in the vocabulary's order");
        assert_eq!(p.competences, "anglais,néerlandais,accompagnement budgétaire", "no double, whatever the case");
        assert_eq!(p.tribunaux, [1, 3]);
    }

    #[test]
    fn every_nature_ticked_means_all_and_none_is_refused() {
        let all: Vec<String> = NATURES.iter().map(|(c, _)| c.to_string()).collect();
        let p = DemandeProfil { natures: all.clone(), ..demande() }.validate().expect("valide");
        assert_eq!(p.natures_acceptees, "");
        assert_eq!(natures_shown(""), all);
        assert_eq!(natures_shown("tutelle"), ["tutelle"]);
        assert_eq!(fields(DemandeProfil { natures: vec![], ..demande() }.validate().unwrap_err()), ["natures"]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = DemandeProfil {
            email: "contact".into(),
            telephone: "12".into(),
            adresse: " ".into(),
            commune: "".into(),
            natures: vec!["tutelle_imaginaire".into()],
            competences: vec!["klingon".into()],
            autres_competences: "x".repeat(61),
            tribunaux: vec![],
        };
        assert_eq!(
            fields(bad.validate().unwrap_err()),
            ["email", "telephone", "adresse", "commune", "natures", "competences", "autres_competences"]
        );
    }
}
