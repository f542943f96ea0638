//! Who is calling, and what they may reach: derived from the session only, never
//! from a parameter. Every server function and API handler starts here.

use crate::accounts::session;
use crate::accounts::user::CurrentUser;
use crate::db::entities::{directions, gestionnaire_membres, greffiers, magistrats, tribunaux, users};
use crate::errors::AppError;
use crate::rules::roles::Role;
use crate::state::AppState;
use sea_orm::{DatabaseConnection, EntityTrait};

/// The signed-in caller of a request.
#[derive(Clone, Debug, PartialEq)]
pub struct Caller {
    pub user_id: i32,
    pub email: String,
    pub prenom: String,
    pub nom: String,
    pub role: Role,
    pub scope: Scope,
}

/// What the caller's data reach is, resolved from its attachments.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    /// The product team: everything.
    Admin,
    /// A magistrat or greffier: its tribunal (and the département it sits in).
    Tribunal { tribunal_id: i32, departement_code: String },
    /// An individuel, préposé or service member: its gestionnaire.
    Gestionnaire { gestionnaire_id: i32, service_admin: bool },
    /// A direction: its territory.
    Territoire(Territoire),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Territoire {
    National,
    Region(String),
    Departement(String),
}

impl Caller {
    /// Refuses callers whose role is not among `allowed`.
    pub fn require(&self, allowed: &[Role]) -> Result<(), AppError> {
        if allowed.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Interdit)
        }
    }

    pub fn current_user(&self) -> CurrentUser {
        CurrentUser {
            id: self.user_id,
            prenom: self.prenom.clone(),
            nom: self.nom.clone(),
            email: self.email.clone(),
            role: self.role,
        }
    }
}

/// The caller owning a session token, or None when the token opens no live session
/// of an active user.
pub async fn caller_from_token(db: &DatabaseConnection, token: &str) -> Result<Option<Caller>, AppError> {
    let Some(session) = session::find_live(db, token).await? else {
        return Ok(None);
    };
    let Some(user) = users::Entity::find_by_id(session.user_id).one(db).await? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    let Some(role) = Role::parse(&user.role) else {
        return Err(AppError::interne(format!("rôle inconnu « {} » (utilisateur {})", user.role, user.id)));
    };
    let scope = scope_of(db, &user, role).await?;
    Ok(Some(Caller {
        user_id: user.id,
        email: user.email,
        prenom: user.prenom,
        nom: user.nom,
        role,
        scope,
    }))
}

/// Resolves the attachment that gives a role its scope. An account whose
/// attachment is missing reaches nothing.
async fn scope_of(db: &DatabaseConnection, user: &users::Model, role: Role) -> Result<Scope, AppError> {
    let missing = || AppError::interne(format!("compte {} ({}) sans rattachement", user.id, role.as_str()));
    Ok(match role {
        Role::Admin => Scope::Admin,
        Role::Magistrat | Role::Greffier => {
            let tribunal_id = if role == Role::Magistrat {
                magistrats::Entity::find_by_id(user.id).one(db).await?.map(|m| m.tribunal_id)
            } else {
                greffiers::Entity::find_by_id(user.id).one(db).await?.map(|g| g.tribunal_id)
            }
            .ok_or_else(missing)?;
            let tribunal = tribunaux::Entity::find_by_id(tribunal_id).one(db).await?.ok_or_else(missing)?;
            Scope::Tribunal { tribunal_id, departement_code: tribunal.departement_code }
        }
        Role::Individuel | Role::Prepose | Role::Service => {
            let membre = gestionnaire_membres::Entity::find_by_id(user.id).one(db).await?.ok_or_else(missing)?;
            Scope::Gestionnaire { gestionnaire_id: membre.gestionnaire_id, service_admin: membre.admin }
        }
        Role::Direction => {
            let direction = directions::Entity::find_by_id(user.id).one(db).await?.ok_or_else(missing)?;
            Scope::Territoire(match (direction.kind.as_str(), direction.region_code, direction.departement_code) {
                ("national", _, _) => Territoire::National,
                ("regional", Some(region), _) => Territoire::Region(region),
                ("departemental", _, Some(departement)) => Territoire::Departement(departement),
                _ => return Err(missing()),
            })
        }
    })
}

/// The caller of the current server function or server-rendered page.
pub async fn caller() -> Result<Caller, AppError> {
    let state = crate::state::app_state()?;
    let parts = leptos::prelude::use_context::<http::request::Parts>()
        .ok_or_else(|| AppError::interne("requête absente du contexte"))?;
    let token = session::token_from_headers(&parts.headers).ok_or(AppError::NonConnecte)?;
    caller_from_token(&state.db, &token).await?.ok_or(AppError::NonConnecte)
}

/// The caller of the current server function, refused unless its role is allowed.
pub async fn caller_with_role(allowed: &[Role]) -> Result<Caller, AppError> {
    let caller = caller().await?;
    caller.require(allowed)?;
    Ok(caller)
}

/// API handlers take `Caller` as an argument: anonymous requests get 401.
impl axum::extract::FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session::token_from_headers(&parts.headers).ok_or(AppError::NonConnecte)?;
        caller_from_token(&state.db, &token).await?.ok_or(AppError::NonConnecte)
    }
}

/// The pages reserved to some roles. Visitors are sent to the sign-in page, other
/// roles to their own home. Server functions check again on their own.
pub fn page_roles(path: &str) -> Option<&'static [Role]> {
    const RULES: [(&str, &[Role]); 4] = [
        ("/admin", &[Role::Admin]),
        ("/tribunal", &[Role::Magistrat, Role::Greffier]),
        ("/mandataire", &[Role::Individuel, Role::Prepose, Role::Service]),
        ("/direction", &[Role::Direction]),
    ];
    RULES
        .iter()
        .find(|(prefix, _)| path == *prefix || path.starts_with(&format!("{prefix}/")))
        .map(|(_, roles)| *roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_open_its_own_home_only() {
        for role in Role::ALL {
            for other in Role::ALL {
                let allowed = page_roles(other.home_path()).expect("home pages are guarded");
                assert_eq!(
                    allowed.contains(&role),
                    role.home_path() == other.home_path(),
                    "{role:?} on {}",
                    other.home_path()
                );
            }
        }
        assert_eq!(page_roles("/connexion"), None);
        assert_eq!(page_roles("/administrateur"), None, "prefix must end at a path segment");
        assert!(page_roles("/admin/comptes").is_some());
    }
}
