//! The members of a service: every member sees who they are; the service's
//! admins invite someone by e-mail (an account is opened, attached to the
//! service, with a single-use link to choose its password), make another
//! member admin or not, and remove a member (its account is closed). An admin
//! never acts on itself, so a service always keeps one.

use crate::errors::AppError;
use crate::rules::contact;
use serde::{Deserialize, Serialize};

/// How long an invitation link stays valid.
pub const INVITATION_JOURS: i64 = 7;
pub const NOM_MAX: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Membre {
    pub user_id: i32,
    pub prenom: String,
    pub nom: String,
    pub email: String,
    pub admin: bool,
    /// Has signed in at least once (an invitation not taken up yet otherwise).
    pub connecte: bool,
    /// The member reading the page.
    pub moi: bool,
}

/// What the invitation form sends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeInvitation {
    pub prenom: String,
    pub nom: String,
    pub email: String,
    pub admin: bool,
}

impl DemandeInvitation {
    /// (prénom, nom, address lower-cased) when every field is right.
    pub fn validate(&self) -> Result<(String, String, String), AppError> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut name = |field: &str, label: &str, value: &str| {
            let value = value.trim().to_string();
            if value.is_empty() {
                errors.push((field.into(), format!("Indiquez le {label} de la personne invitée.")));
            } else if value.chars().count() > NOM_MAX {
                errors.push((field.into(), format!("Le {label} compte au plus {NOM_MAX} caractères.")));
            }
            value
        };
        let prenom = name("prenom", "prénom", &self.prenom);
        let nom = name("nom", "nom", &self.nom);
        let email = match contact::email(&self.email) {
            Ok(email) => email.to_lowercase(),
            Err(message) => {
                errors.push(("email".into(), message.into()));
                String::new()
            }
        };
        if errors.is_empty() {
            Ok((prenom, nom, email))
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
    use crate::db::entities::{gestionnaire_membres, gestionnaires, sessions, users};
    use crate::notifications::{self, messages};
    use crate::rules::roles::Role;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

    /// The caller's service (any member may read).
    fn service_of(caller: &Caller) -> Result<i32, AppError> {
        caller.require(&[Role::Service])?;
        caller.gestionnaire_id()
    }

    pub async fn list(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<Membre>, AppError> {
        let service_id = service_of(caller)?;
        let membres =
            gestionnaire_membres::Entity::find().filter(gestionnaire_membres::Column::GestionnaireId.eq(service_id)).all(db).await?;
        let users = users::Entity::find()
            .filter(users::Column::Id.is_in(membres.iter().map(|m| m.user_id)))
            .filter(users::Column::Active.eq(true))
            .order_by_asc(users::Column::Nom)
            .order_by_asc(users::Column::Prenom)
            .all(db)
            .await?;
        Ok(users
            .into_iter()
            .map(|u| Membre {
                admin: membres.iter().any(|m| m.user_id == u.id && m.admin),
                connecte: u.last_login_at.is_some(),
                moi: u.id == caller.user_id,
                user_id: u.id,
                prenom: u.prenom,
                nom: u.nom,
                email: u.email,
            })
            .collect())
    }

    /// Opens an account for the invited person, attached to the caller's service,
    /// and mails it the link to choose its password.
    pub async fn invite(
        db: &DatabaseConnection,
        caller: &Caller,
        demande: &DemandeInvitation,
        base_url: &str,
        ip: Option<String>,
    ) -> Result<i32, AppError> {
        service_of(caller)?;
        let service_id = super::super::capacite::may_edit(caller)?;
        let (prenom, nom, email) = demande.validate()?;
        let taken = || AppError::Champs(vec![("email".into(), "Cette adresse électronique a déjà un compte e-MJPM.".into())]);
        if users::Entity::find().filter(users::Column::Email.eq(email.as_str())).one(db).await?.is_some() {
            return Err(taken());
        }
        // Nobody knows this password: the account opens through the link only.
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
        let password_hash = crate::accounts::password::hash_password(&hex::encode(secret)).map_err(AppError::interne)?;
        let now = chrono::Utc::now();
        let tx = crate::db::begin(db).await?;
        let user = match (users::ActiveModel {
            email: Set(email.clone()),
            password_hash: Set(password_hash),
            role: Set(Role::Service.as_str().to_string()),
            prenom: Set(prenom.clone()),
            nom: Set(nom.clone()),
            active: Set(true),
            valide_at: Set(Some(now.fixed_offset())),
            notifier_acceptation: Set(false),
            created_at: Set(now.fixed_offset()),
            updated_at: Set(now.fixed_offset()),
            ..Default::default()
        })
        .insert(&tx)
        .await
        {
            Ok(user) => user,
            // Invited twice at the same instant: the unique address keeps one.
            Err(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => return Err(taken()),
            Err(err) => return Err(err.into()),
        };
        gestionnaire_membres::ActiveModel { user_id: Set(user.id), gestionnaire_id: Set(service_id), admin: Set(demande.admin) }
            .insert(&tx)
            .await?;
        let service = gestionnaires::Entity::find_by_id(service_id).one(&tx).await?.map(|g| g.nom).unwrap_or_default();
        let lien =
            crate::accounts::password_reset::issue_link(&tx, user.id, chrono::Duration::days(INVITATION_JOURS), base_url, now).await?;
        let invitant = format!("{} {}", caller.prenom, caller.nom);
        notifications::enqueue(&tx, messages::invitation(&service, &invitant, &lien, INVITATION_JOURS).pour(&email)).await?;
        AuditEvent::by(caller, "membre.invitation")
            .target("user", user.id)
            .summary(format!("{prenom} {nom} <{email}>{}", if demande.admin { ", administrateur" } else { "" }))
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(user.id)
    }

    /// The membership of `user_id` in the caller's service, for an admin acting
    /// on another member (another service's member is "not found").
    async fn other_member(db: &DatabaseConnection, caller: &Caller, user_id: i32) -> Result<i32, AppError> {
        let service_id = service_of(caller)?;
        gestionnaire_membres::Entity::find()
            .filter(gestionnaire_membres::Column::GestionnaireId.eq(service_id))
            .filter(gestionnaire_membres::Column::UserId.eq(user_id))
            .one(db)
            .await?
            .ok_or(AppError::Introuvable)?;
        let service_id = super::super::capacite::may_edit(caller)?;
        if user_id == caller.user_id {
            return Err(AppError::Conflit(
                "Vous ne pouvez pas agir sur votre propre compte ici : demandez-le à un autre administrateur du service.".into(),
            ));
        }
        Ok(service_id)
    }

    pub async fn set_admin(
        db: &DatabaseConnection,
        caller: &Caller,
        user_id: i32,
        admin: bool,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        let service_id = other_member(db, caller, user_id).await?;
        let tx = crate::db::begin(db).await?;
        gestionnaire_membres::Entity::update_many()
            .col_expr(gestionnaire_membres::Column::Admin, Expr::value(admin))
            .filter(gestionnaire_membres::Column::GestionnaireId.eq(service_id))
            .filter(gestionnaire_membres::Column::UserId.eq(user_id))
            .exec(&tx)
            .await?;
        AuditEvent::by(caller, "membre.administrateur")
            .target("user", user_id)
            .summary(if admin { "nommé administrateur" } else { "n'est plus administrateur" })
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a member from the service and closes its account and sessions.
    pub async fn remove(db: &DatabaseConnection, caller: &Caller, user_id: i32, ip: Option<String>) -> Result<(), AppError> {
        let service_id = other_member(db, caller, user_id).await?;
        let tx = crate::db::begin(db).await?;
        gestionnaire_membres::Entity::delete_many()
            .filter(gestionnaire_membres::Column::GestionnaireId.eq(service_id))
            .filter(gestionnaire_membres::Column::UserId.eq(user_id))
            .exec(&tx)
            .await?;
        users::Entity::update_many()
            .col_expr(users::Column::Active, Expr::value(false))
            .col_expr(users::Column::UpdatedAt, Expr::value(chrono::Utc::now().fixed_offset()))
            .filter(users::Column::Id.eq(user_id))
            .exec(&tx)
            .await?;
        sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user_id)).exec(&tx).await?;
        AuditEvent::by(caller, "membre.retrait")
            .target("user", user_id)
            .summary("retiré du service, compte désactivé")
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(feature = "ssr")]
pub use server::{invite, list, remove, set_admin};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_names_a_person_and_an_address() {
        let d =
            DemandeInvitation { prenom: " Lucie ".into(), nom: "Bernard".into(), email: " Lucie.Bernard@Exemple.fr".into(), admin: false };
        assert_eq!(d.validate(), Ok(("Lucie".into(), "Bernard".into(), "lucie.bernard@exemple.fr".into())));
        match DemandeInvitation::default().validate() {
            Err(AppError::Champs(champs)) => {
                assert_eq!(champs.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["prenom", "nom", "email"])
            }
            other => panic!("erreur de champs attendue : {other:?}"),
        }
    }
}
