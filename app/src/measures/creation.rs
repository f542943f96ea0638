//! A professional records a measure it was appointed to without a reservation
//! in e-MJPM (a court not yet using the service, a measure from before): the
//! measure starts `en_cours`, with its date de nomination and lieu de vie as its
//! first état, and counts in the professional's capacity at once.
//!
//! Its fields are a reservation's (numéro RG, cabinet, person, nature, champ)
//! and an acceptance's (date de nomination, lieu de vie, antenne), checked by
//! the same rules, plus the tribunal that ordered it.

use super::lifecycle::{DemandeAcceptation, DemandeLieuDeVie};
use super::reservation::DemandeReservation;
use crate::errors::AppError;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/moi/mesures` et le formulaire « Nouvelle mesure ».
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeCreation {
    /// Le tribunal qui a prononcé la mesure.
    #[serde(default)]
    pub tribunal_id: Option<i32>,
    /// Pour un service : l'antenne qui la suit (facultatif).
    #[serde(default)]
    pub antenne_id: Option<i32>,
    /// Tel que saisi (`12/345`…) : ramené à 8 caractères.
    #[serde(default)]
    pub numero_rg: String,
    #[serde(default)]
    pub cabinet: Option<String>,
    /// `madame` ou `monsieur`.
    #[serde(default)]
    pub civilite: String,
    #[serde(default)]
    pub annee_naissance: Option<i32>,
    #[serde(default)]
    pub nature: String,
    #[serde(default)]
    pub champ: Option<String>,
    /// Date `AAAA-MM-JJ`, pas dans le futur.
    #[serde(default)]
    pub date_nomination: String,
    #[serde(flatten)]
    pub lieu: DemandeLieuDeVie,
}

/// A creation whose fields passed their own checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Creation {
    pub tribunal_id: i32,
    pub mesure: super::reservation::Reservation,
    pub acceptation: super::lifecycle::Acceptation,
}

impl DemandeCreation {
    /// Every refusal at once, in the form's order: tribunal, then the
    /// reservation's fields, then the acceptance's.
    pub fn validate(&self, gestionnaire_id: i32, today: chrono::NaiveDate) -> Result<Creation, AppError> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let tribunal_id = self.tribunal_id.filter(|id| *id > 0);
        if tribunal_id.is_none() {
            errors.push(("tribunal_id".into(), "Choisissez le tribunal qui a prononcé la mesure.".into()));
        }
        let reservation = DemandeReservation {
            gestionnaire_id,
            antenne_id: self.antenne_id,
            numero_rg: self.numero_rg.clone(),
            cabinet: self.cabinet.clone(),
            date_previsionnelle_jugement: None,
            civilite: self.civilite.clone(),
            annee_naissance: self.annee_naissance,
            nature: self.nature.clone(),
            champ: self.champ.clone(),
            urgent: false,
            // Where the person lives is the acceptance's lieu de vie here.
            commune: None,
        }
        .validate(today);
        let acceptation =
            DemandeAcceptation { date_nomination: self.date_nomination.clone(), lieu: self.lieu.clone(), antenne_id: self.antenne_id }
                .validate(today);
        // Both rules refuse with field messages only.
        for refused in [reservation.as_ref().err(), acceptation.as_ref().err()].into_iter().flatten() {
            if let AppError::Champs(champs) = refused {
                errors.extend(champs.iter().cloned());
            }
        }
        match (tribunal_id, reservation, acceptation) {
            (Some(tribunal_id), Ok(mesure), Ok(acceptation)) if errors.is_empty() => Ok(Creation { tribunal_id, mesure, acceptation }),
            _ => Err(AppError::Champs(errors)),
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::guard::Caller;
    use crate::db::entities::{antennes, mesures, tribunaux};
    use crate::measures::counters;
    use crate::measures::lifecycle::{check_commune, insert_etat, journal};
    use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, SqlErr};

    fn champ(field: &str, message: String) -> AppError {
        AppError::Champs(vec![(field.to_string(), message)])
    }

    /// Why an RG already known for this tribunal and professional cannot be created again.
    fn already(numero_rg: &str, statut: &str) -> AppError {
        let numero_rg = crate::rules::rg::display_rg(numero_rg);
        champ(
            "numero_rg",
            match statut {
                "en_attente" => format!("Le tribunal vous a déjà réservé la mesure RG {numero_rg} : acceptez-la depuis sa page."),
                "en_cours" => format!("La mesure RG {numero_rg} de ce tribunal est déjà parmi vos mesures en cours."),
                _ => format!("La mesure RG {numero_rg} de ce tribunal est éteinte : réactivez-la depuis sa page."),
            },
        )
    }

    /// What the form offers the professional: every tribunal, its antennes.
    pub async fn choices(db: &DatabaseConnection, caller: &Caller) -> Result<crate::measures::creation_form::ChoixCreation, AppError> {
        use crate::db::entities::{antennes, tribunaux};
        use crate::measures::creation_form::ChoixCreation;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let gestionnaire_id = caller.gestionnaire_id()?;
        let tribunaux = tribunaux::Entity::find()
            .order_by_asc(tribunaux::Column::DepartementCode)
            .order_by_asc(tribunaux::Column::Nom)
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, format!("{} ({})", t.nom, t.departement_code)))
            .collect();
        let antennes = antennes::Entity::find()
            .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
            .order_by_asc(antennes::Column::Nom)
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.nom))
            .collect();
        Ok(ChoixCreation { tribunaux, antennes, aujourdhui: chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string() })
    }

    /// Creates one of the caller's measures, `en_cours` from its date de nomination.
    #[tracing::instrument(skip_all, err(level = "info"))]
    pub async fn create(
        db: &DatabaseConnection,
        caller: &Caller,
        demande: &DemandeCreation,
        ip: Option<String>,
    ) -> Result<mesures::Model, AppError> {
        crate::db::retry_on_conflict(|| {
            let ip = ip.clone();
            async move {
                let gestionnaire_id = caller.gestionnaire_id()?;
                let now = chrono::Utc::now().fixed_offset();
                let creation = demande.validate(gestionnaire_id, now.date_naive())?;
                if tribunaux::Entity::find_by_id(creation.tribunal_id).one(db).await?.is_none() {
                    return Err(champ("tribunal_id", "Ce tribunal n'existe pas : choisissez-le dans la liste.".into()));
                }
                if let Some(antenne_id) = creation.mesure.antenne_id {
                    antennes::Entity::find_by_id(antenne_id)
                        .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
                        .one(db)
                        .await?
                        .ok_or_else(|| champ("antenne_id", "Cette antenne n'est pas la vôtre.".into()))?;
                }
                let lieu = &creation.acceptation.lieu;
                let code_postal = check_commune(db, lieu).await?;
                let m = &creation.mesure;
                let tx = crate::db::begin(db).await?;
                // Counters first: on SQLite the first write takes the write lock.
                counters::adjust(&tx, gestionnaire_id, m.antenne_id, 1, 0, counters::Auteur::Professionnel).await?;
                if let Some(existing) = mesures::Entity::find()
                    .filter(mesures::Column::TribunalId.eq(creation.tribunal_id))
                    .filter(mesures::Column::GestionnaireId.eq(gestionnaire_id))
                    .filter(mesures::Column::NumeroRg.eq(&m.numero_rg))
                    .one(&tx)
                    .await?
                {
                    return Err(already(&m.numero_rg, &existing.statut));
                }
                let row = mesures::ActiveModel {
                    gestionnaire_id: Set(gestionnaire_id),
                    antenne_id: Set(m.antenne_id),
                    tribunal_id: Set(creation.tribunal_id),
                    numero_rg: Set(m.numero_rg.clone()),
                    statut: Set("en_cours".into()),
                    cabinet: Set(m.cabinet.clone()),
                    nature: Set(m.nature.clone()),
                    champ: Set(m.champ.clone()),
                    civilite: Set(Some(m.civilite.clone())),
                    annee_naissance: Set(Some(m.annee_naissance)),
                    urgent: Set(false),
                    date_nomination: Set(Some(creation.acceptation.date_nomination)),
                    lieu_vie: Set(Some(lieu.lieu_vie.clone())),
                    type_etablissement: Set(lieu.type_etablissement.clone()),
                    commune_code: Set(lieu.commune_code.clone()),
                    code_postal: Set(code_postal.clone()),
                    pays: Set(lieu.pays.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                };
                let mesure = match row.insert(&tx).await {
                    Ok(mesure) => mesure,
                    // Created twice at the same instant: the unique index keeps one.
                    Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                        return Err(already(&m.numero_rg, "en_cours"));
                    }
                    Err(err) => return Err(err.into()),
                };
                crate::statistiques::agregats::suivre(&tx, None, Some(&mesure)).await?;
                insert_etat(&tx, mesure.id, creation.acceptation.date_nomination, &mesure.nature, mesure.champ.clone(), lieu, code_postal)
                    .await?;
                journal(&tx, caller, &mesure, "creee", Some(format!("nomination le {}", creation.acceptation.date_nomination)), ip).await?;
                tx.commit().await?;
                Ok(mesure)
            }
        })
        .await
    }
}

#[cfg(feature = "ssr")]
pub use server::{choices, create};

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
    }

    fn demande() -> DemandeCreation {
        DemandeCreation {
            tribunal_id: Some(1),
            numero_rg: "25/777".into(),
            civilite: "madame".into(),
            annee_naissance: Some(1940),
            nature: "tutelle".into(),
            date_nomination: "2025-03-01".into(),
            lieu: DemandeLieuDeVie { lieu_vie: "domicile".into(), commune: Some("59350".into()), ..Default::default() },
            ..Default::default()
        }
    }

    #[test]
    fn a_creation_is_a_reservation_and_an_acceptance() {
        let c = demande().validate(7, today()).expect("valide");
        assert_eq!((c.tribunal_id, c.mesure.gestionnaire_id, c.mesure.numero_rg.as_str()), (1, 7, "00025777"));
        assert_eq!(c.acceptation.date_nomination, chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("date"));
        assert!(!c.mesure.urgent);
    }

    #[test]
    fn every_bad_field_is_named_in_the_forms_order() {
        let bad = DemandeCreation {
            tribunal_id: None,
            numero_rg: String::new(),
            nature: "x".into(),
            date_nomination: "2027-01-01".into(),
            lieu: DemandeLieuDeVie::default(),
            ..demande()
        };
        match bad.validate(7, today()) {
            Err(AppError::Champs(champs)) => {
                let fields: Vec<&str> = champs.iter().map(|(f, _)| f.as_str()).collect();
                assert_eq!(fields, ["tribunal_id", "numero_rg", "nature", "date_nomination", "lieu_vie", "commune"]);
            }
            other => panic!("erreur de champs attendue : {other:?}"),
        }
    }
}
