//! Signing in with an e-mail and a password, shared by the sign-in page and the
//! JSON API so that both follow the same rules.

use crate::accounts::{password, second_facteur, session, throttle};
use crate::audit::{self, AuditEvent};
use crate::db::entities::users;
use crate::errors::AppError;
use crate::rules::roles::Role;
use crate::rules::throttle::Decision;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

/// Why a sign-in failed. The same message for an unknown e-mail and a wrong
/// password, so that nobody can learn which addresses have an account.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("Adresse électronique ou mot de passe incorrect.")]
    Identifiants,
    #[error("Ce compte n'est pas actif : il attend sa validation par l'équipe e-MJPM ou a été désactivé.")]
    Inactif,
    /// Too many recent failures for this address or this IP: the password was
    /// not even checked.
    #[error("{}", .0.message().unwrap_or_default())]
    Limite(Decision),
    #[error(transparent)]
    Interne(#[from] AppError),
}

impl SignInError {
    /// Short code carried in the sign-in page's URL after a failed form post.
    pub fn code(&self) -> &'static str {
        match self {
            SignInError::Identifiants => "identifiants",
            SignInError::Inactif => "inactif",
            SignInError::Limite(Decision::Verrouillee { .. }) => "verrouillage",
            SignInError::Limite(_) => "attente",
            SignInError::Interne(_) => "interne",
        }
    }
}

/// Where a sign-in stands once the password is right.
pub enum Etape {
    /// Boxed: the session and user row are large next to the waiting variant.
    Connecte(Box<NewSession>),
    /// The account has a second factor (or is an administrator who must set one
    /// up, `enrolement`): no session yet; `jeton` is the waiting sign-in's token,
    /// for its short-lived cookie (`second_facteur::COOKIE_NAME`).
    CodeRequis { jeton: String, enrolement: bool },
}

pub struct NewSession {
    pub user: users::Model,
    pub role: Role,
    /// The session token for the cookie.
    pub token: String,
}

/// E-mails are stored trimmed and lower-case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Where a sign-in comes from (for the session, the throttle and the audit log)
/// and the site's address (for the administrators' mail when an account locks).
pub struct Origine<'a> {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub base_url: &'a str,
    /// The unlock link mailed to the owner of a blocked address, brought back
    /// by the sign-in form (`/connexion?deverrouillage=…`).
    pub deverrouillage: Option<&'a str>,
}

/// Records a refused sign-in with the address typed (no actor: nobody is
/// signed in).
async fn audit_refusal(db: &DatabaseConnection, action: &str, email: &str, ip: Option<String>) {
    let summary = format!("adresse saisie : {}", email.chars().take(120).collect::<String>());
    let event = AuditEvent::system(action).summary(summary).ip(ip);
    audit::record(db, event).await;
}

pub async fn sign_in(db: &DatabaseConnection, email: &str, password_typed: &str, origine: Origine<'_>) -> Result<Etape, SignInError> {
    let Origine { ip, user_agent, base_url, deverrouillage } = origine;
    let email = normalise_email(email);
    let user = users::Entity::find().filter(users::Column::Email.eq(email.as_str())).one(db).await.map_err(AppError::from)?;
    // The attempt is counted before any password check (one atomic statement
    // per counter), with the same rule for known and unknown addresses.
    let tentative = match throttle::tenter(db, &email, ip.as_deref(), user.as_ref(), deverrouillage, base_url).await? {
        Ok(tentative) => tentative,
        Err(decision) => {
            audit_refusal(db, "connexion_limitee", &email, ip).await;
            return Err(SignInError::Limite(decision));
        }
    };
    // Verify against a dummy hash for unknown e-mails: same work, same timing.
    let hash = user.as_ref().map(|u| u.password_hash.as_str()).unwrap_or(password::dummy_hash());
    let password_ok = password::verify_password(password_typed, hash);
    let Some(user) = user.clone().filter(|_| password_ok) else {
        // The attempt keeps its places: it was a failure.
        audit_refusal(db, "connexion_echec", &email, ip).await;
        return Err(SignInError::Identifiants);
    };
    if !user.active {
        return Err(SignInError::Inactif);
    }
    let role = role_of(&user)?;
    if second_facteur::requis(&user, role) {
        tentative.mot_de_passe_juste(db).await?;
        let jeton = second_facteur::ouvrir_attente(db, &user, ip, user_agent).await?;
        return Ok(Etape::CodeRequis { jeton, enrolement: !user.totp_actif });
    }
    tentative.reussie(db, user.id).await?;
    Ok(Etape::Connecte(Box::new(open_session(db, user, role, ip, user_agent).await?)))
}

/// The account's role (an unknown code is a data error, never a sign-in).
pub(crate) fn role_of(user: &users::Model) -> Result<Role, AppError> {
    Role::parse(&user.role).ok_or_else(|| AppError::interne(format!("rôle inconnu « {} » (utilisateur {})", user.role, user.id)))
}

/// The last step of every sign-in (after the password, and the second factor
/// when the account has one): the session, the date of the sign-in, the audit.
pub(crate) async fn open_session(
    db: &DatabaseConnection,
    user: users::Model,
    role: Role,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<NewSession, AppError> {
    let token = session::open(db, user.id, ip.clone(), user_agent).await?;
    let mut active: users::ActiveModel = user.clone().into();
    active.last_login_at = Set(Some(chrono::Utc::now().fixed_offset()));
    // Signing in keeps the account: a pending inactivity warning is void.
    active.averti_inactivite_at = Set(None);
    let user = active.update(db).await.map_err(AppError::from)?;
    crate::usage::record_for(db, user.id, crate::usage::Action::Connexion).await?;
    audit::record(
        db,
        AuditEvent {
            actor_user_id: Some(user.id),
            role: Some(role.as_str()),
            action: "connexion",
            target: Some(("user", user.id.to_string())),
            summary: user.totp_actif.then(|| "avec double authentification".to_string()),
            ip,
        },
    )
    .await;
    Ok(NewSession { user, role, token })
}
