//! A service's antennes (its local offices): its admins create, edit and
//! delete them — name, contact, address placed through the commune table,
//! capacity. The antennes share the service's capacity: their sum never
//! exceeds it. An antenne still following measures cannot be deleted.

use super::capacite::DemandeCapaciteAntenne;
use crate::errors::AppError;
use crate::rules::contact;
use serde::{Deserialize, Serialize};

pub const NOM_MAX: usize = 100;

/// One antenne as its service's pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Antenne {
    pub id: i32,
    pub nom: String,
    pub contact: String,
    pub email: String,
    pub telephone: String,
    pub adresse: String,
    /// "Dunkerque (59140)".
    pub commune: String,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
}

/// What the antenne form sends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeAntenne {
    pub nom: String,
    pub contact: String,
    pub email: String,
    pub telephone: String,
    pub adresse: String,
    /// As typed: "Dunkerque (59140)", "59140", "Dunkerque".
    pub commune: String,
    pub mesures_max: Option<i32>,
}

/// An antenne whose fields passed their own checks.
#[derive(Clone, Debug, PartialEq)]
pub struct AntenneValide {
    pub nom: String,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub adresse: String,
    pub commune: String,
    pub mesures_max: i32,
}

impl DemandeAntenne {
    pub fn validate(&self) -> Result<AntenneValide, AppError> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut refuse = |field: &str, message: String| errors.push((field.to_string(), message));
        let nom = self.nom.trim().to_string();
        if nom.is_empty() {
            refuse("nom", "Indiquez le nom de l'antenne.".into());
        } else if nom.chars().count() > NOM_MAX {
            refuse("nom", format!("Le nom compte au plus {NOM_MAX} caractères."));
        }
        let contact = Some(self.contact.trim().to_string()).filter(|c| !c.is_empty());
        if contact.as_ref().is_some_and(|c| c.chars().count() > NOM_MAX) {
            refuse("contact", format!("Le contact compte au plus {NOM_MAX} caractères."));
        }
        let email = match self.email.trim() {
            "" => None,
            typed => contact::email(typed).map_err(|m| refuse("email", m.into())).ok(),
        };
        let telephone = match self.telephone.trim() {
            "" => None,
            typed => contact::telephone(typed).map_err(|m| refuse("telephone", m.into())).ok(),
        };
        let adresse = self.adresse.trim().to_string();
        if adresse.is_empty() {
            refuse("adresse", "Indiquez l'adresse de l'antenne (numéro et voie).".into());
        } else if adresse.chars().count() > super::profil::ADRESSE_MAX {
            refuse("adresse", format!("L'adresse compte au plus {} caractères.", super::profil::ADRESSE_MAX));
        }
        let commune = self.commune.trim().to_string();
        if commune.is_empty() {
            refuse("commune", "Indiquez la commune de l'antenne (nom ou code postal).".into());
        }
        let mesures_max = match (DemandeCapaciteAntenne { mesures_max: self.mesures_max }).validate() {
            Ok(n) => Some(n),
            Err(AppError::Champs(champs)) => {
                errors.extend(champs);
                None
            }
            Err(other) => return Err(other),
        };
        match mesures_max {
            Some(mesures_max) if errors.is_empty() => Ok(AntenneValide { nom, contact, email, telephone, adresse, commune, mesures_max }),
            _ => Err(AppError::Champs(errors)),
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::capacite::{antennes_total, over_service_capacity};
    use super::*;
    use crate::accounts::guard::Caller;
    use crate::audit::AuditEvent;
    use crate::db::entities::{antennes, gestionnaires, mesures};
    use crate::search::communes::{place, Proximite};
    use sea_orm::sea_query::Expr;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
    };

    /// The caller's service, if the caller is one of its admins.
    fn own_service(caller: &Caller) -> Result<i32, AppError> {
        caller.require(&[crate::rules::roles::Role::Service])?;
        super::super::capacite::may_edit(caller)
    }

    pub async fn list(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<Antenne>, AppError> {
        let gestionnaire_id = caller.gestionnaire_id()?;
        let rows = antennes::Entity::find()
            .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
            .order_by_asc(antennes::Column::Nom)
            .all(db)
            .await?;
        let codes: Vec<String> = rows.iter().map(|a| a.commune_code.clone()).collect();
        let towns = crate::search::index::town_names(db, codes).await?;
        Ok(rows
            .into_iter()
            .map(|a| Antenne {
                commune: format!("{} ({})", towns.get(&a.commune_code).cloned().unwrap_or_default(), a.code_postal),
                id: a.id,
                nom: a.nom,
                contact: a.contact.unwrap_or_default(),
                email: a.email.unwrap_or_default(),
                telephone: a.telephone.unwrap_or_default(),
                adresse: a.adresse,
                mesures_max: a.mesures_max,
                en_cours: a.en_cours,
                en_attente: a.en_attente,
            })
            .collect())
    }

    /// Locks the service's row (its lock orders concurrent antenne changes) and
    /// checks Σ antennes ≤ service with `mesures_max` for the antenne `except`.
    async fn check_share(tx: &DatabaseTransaction, service_id: i32, except: Option<i32>, mesures_max: i32) -> Result<(), AppError> {
        let now = chrono::Utc::now().fixed_offset();
        gestionnaires::Entity::update_many()
            .col_expr(gestionnaires::Column::UpdatedAt, Expr::value(now))
            .filter(gestionnaires::Column::Id.eq(service_id))
            .exec(tx)
            .await?;
        let service = gestionnaires::Entity::find_by_id(service_id).one(tx).await?.ok_or(AppError::Introuvable)?;
        let total = antennes_total(tx, service_id, except).await? + i64::from(mesures_max);
        match over_service_capacity(service.mesures_max, total) {
            Some(message) => Err(AppError::Champs(vec![("mesures_max".into(), message)])),
            None => Ok(()),
        }
    }

    /// One name per antenne of a service (case and accents aside), so that a
    /// form sent twice does not make two antennes. Called under the service's
    /// lock (`check_share`).
    async fn check_name(tx: &DatabaseTransaction, service_id: i32, except: Option<i32>, nom: &str) -> Result<(), AppError> {
        use sea_orm::sea_query::ExprTrait;
        let mut homonymes = antennes::Entity::find()
            .filter(antennes::Column::GestionnaireId.eq(service_id))
            .filter(crate::db::sans_accents(antennes::Column::Nom).eq(crate::rules::geo::sans_accents(nom.trim())));
        if let Some(id) = except {
            homonymes = homonymes.filter(antennes::Column::Id.ne(id));
        }
        match homonymes.one(tx).await? {
            Some(_) => Err(AppError::Champs(vec![(
                "nom".into(),
                format!("Votre service a déjà une antenne « {} » : choisissez un autre nom.", nom.trim()),
            )])),
            None => Ok(()),
        }
    }

    #[tracing::instrument(skip_all, err(level = "info"))]

    pub async fn create(db: &DatabaseConnection, caller: &Caller, demande: &DemandeAntenne, ip: Option<String>) -> Result<i32, AppError> {
        let service_id = own_service(caller)?;
        let a = demande.validate()?;
        let (commune, code_postal) = place(db, &a.commune, &Proximite::of(db, caller).await?).await?;
        let tx = crate::db::begin(db).await?;
        check_share(&tx, service_id, None, a.mesures_max).await?;
        check_name(&tx, service_id, None, &a.nom).await?;
        let now = chrono::Utc::now().fixed_offset();
        let saved = antennes::ActiveModel {
            gestionnaire_id: Set(service_id),
            nom: Set(a.nom.clone()),
            contact: Set(a.contact),
            email: Set(a.email),
            telephone: Set(a.telephone),
            adresse: Set(a.adresse),
            code_postal: Set(code_postal),
            commune_code: Set(commune.code.clone()),
            departement_code: Set(commune.departement.clone()),
            latitude: Set(commune.latitude),
            longitude: Set(commune.longitude),
            mesures_max: Set(a.mesures_max),
            en_cours: Set(0),
            en_attente: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            derniere_mise_a_jour: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        AuditEvent::by(caller, "antenne.creation")
            .target("antenne", saved.id)
            .summary(format!("« {} » à {}, {} mesures souhaitées", a.nom, commune.nom, a.mesures_max))
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(saved.id)
    }

    #[tracing::instrument(skip_all, err(level = "info"))]

    pub async fn update(
        db: &DatabaseConnection,
        caller: &Caller,
        id: i32,
        demande: &DemandeAntenne,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        let gestionnaire_id = caller.gestionnaire_id()?;
        // Another service's antenne is "not found", before any other check.
        antennes::Entity::find_by_id(id)
            .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
            .one(db)
            .await?
            .ok_or(AppError::Introuvable)?;
        let service_id = own_service(caller)?;
        let a = demande.validate()?;
        let (commune, code_postal) = place(db, &a.commune, &Proximite::of(db, caller).await?).await?;
        let tx = crate::db::begin(db).await?;
        check_share(&tx, service_id, Some(id), a.mesures_max).await?;
        check_name(&tx, service_id, Some(id), &a.nom).await?;
        let current = antennes::Entity::find_by_id(id).one(&tx).await?.ok_or(AppError::Introuvable)?;
        let now = chrono::Utc::now().fixed_offset();
        let before = (current.nom.clone(), current.mesures_max);
        let mut row = current.into_active_model();
        row.nom = Set(a.nom.clone());
        row.contact = Set(a.contact);
        row.email = Set(a.email);
        row.telephone = Set(a.telephone);
        row.adresse = Set(a.adresse);
        row.code_postal = Set(code_postal);
        row.commune_code = Set(commune.code.clone());
        row.departement_code = Set(commune.departement.clone());
        row.latitude = Set(commune.latitude);
        row.longitude = Set(commune.longitude);
        row.mesures_max = Set(a.mesures_max);
        row.updated_at = Set(now);
        if before.1 != a.mesures_max {
            row.derniere_mise_a_jour = Set(now);
        }
        row.update(&tx).await?;
        AuditEvent::by(caller, "antenne.modification")
            .target("antenne", id)
            .summary(format!("« {} » → « {} », à {}, mesures souhaitées {} → {}", before.0, a.nom, commune.nom, before.1, a.mesures_max))
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(level = "info"))]

    pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i32, ip: Option<String>) -> Result<(), AppError> {
        let gestionnaire_id = caller.gestionnaire_id()?;
        antennes::Entity::find_by_id(id)
            .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
            .one(db)
            .await?
            .ok_or(AppError::Introuvable)?;
        let service_id = own_service(caller)?;
        let tx = crate::db::begin(db).await?;
        // The service's row first, as every antenne change (lock order).
        check_share(&tx, service_id, Some(id), 0).await?;
        let antenne = antennes::Entity::find_by_id(id).one(&tx).await?.ok_or(AppError::Introuvable)?;
        let suivies = antenne.en_cours + antenne.en_attente;
        if suivies > 0 {
            return Err(AppError::Conflit(format!(
                "L'antenne « {} » suit encore {} en cours ou en attente : rattachez-les à une autre antenne \
                 (nouvel état ou acceptation) avant de la supprimer.",
                antenne.nom,
                crate::rules::texte::compte(i64::from(suivies), "mesure", "mesures")
            )));
        }
        // Closed measures keep their history, without the office that no longer exists
        // (the antenne is in none of the figures of `statistiques::agregats`).
        mesures::Entity::update_many()
            .col_expr(mesures::Column::AntenneId, Expr::value(Option::<i32>::None))
            .filter(mesures::Column::AntenneId.eq(id))
            .exec(&tx)
            .await?;
        antennes::Entity::delete_by_id(id).exec(&tx).await?;
        AuditEvent::by(caller, "antenne.suppression")
            .target("antenne", id)
            .summary(format!("« {} »", antenne.nom))
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(feature = "ssr")]
pub use server::{create, delete, list, update};

#[cfg(test)]
mod tests {
    use super::*;

    fn demande() -> DemandeAntenne {
        DemandeAntenne {
            nom: " Antenne de Lens ".into(),
            contact: "".into(),
            email: "".into(),
            telephone: "03 21 00 00 00".into(),
            adresse: "2 rue de Paris".into(),
            commune: "Lens (62300)".into(),
            mesures_max: Some(20),
        }
    }

    #[test]
    fn an_antenne_is_named_placed_and_sized() {
        let a = demande().validate().expect("valide");
        assert_eq!(
            (a.nom.as_str(), a.contact, a.email, a.telephone.as_deref(), a.mesures_max),
            ("Antenne de Lens", None, None, Some("03 21 00 00 00"), 20)
        );
        let bad = DemandeAntenne {
            nom: "".into(),
            email: "lens".into(),
            telephone: "1".into(),
            adresse: "".into(),
            commune: "".into(),
            mesures_max: Some(-3),
            ..demande()
        };
        match bad.validate() {
            Err(AppError::Champs(champs)) => {
                let fields: Vec<&str> = champs.iter().map(|(f, _)| f.as_str()).collect();
                assert_eq!(fields, ["nom", "email", "telephone", "adresse", "commune", "mesures_max"]);
            }
            other => panic!("erreur de champs attendue : {other:?}"),
        }
    }
}
