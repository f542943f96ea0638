//! The second factor: one-time codes (TOTP, RFC 6238: 6 digits, 30-second
//! steps, HMAC-SHA-1 — what every authenticator app reads), optional for every
//! account and mandatory for administrators.
//!
//! A sign-in whose password is right and whose account has a second factor
//! opens no session: it becomes a *waiting sign-in* (table
//! `connexions_en_attente`, a 10-minute cookie) until the code is typed. An
//! administrator without a second factor is shown a fresh secret there and
//! enrols before its first session. A code is accepted once only
//! (`users.totp_dernier_pas`, moved by a conditional UPDATE so that two
//! servers cannot both accept it).

use crate::accounts::guard::Caller;
use crate::accounts::second_facteur_pages::{CodeAttendu, Enrolement};
use crate::accounts::session;
use crate::accounts::sign_in::{open_session, role_of, NewSession, Origine};
use crate::accounts::throttle;
use crate::audit::{self, AuditEvent};
use crate::db::entities::{connexions_en_attente, users};
use crate::errors::AppError;
use crate::rules::roles::Role;
use crate::rules::throttle::Decision;
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use totp_rs::{Builder, Secret, Totp};

/// The waiting sign-in's cookie.
pub const COOKIE_NAME: &str = "emjpm_connexion";
/// Time to open the authenticator app (or to enrol) after the password.
const ATTENTE_MINUTES: i64 = 10;
/// Wrong codes accepted on one waiting sign-in; then the password is asked again
/// (and each wrong code counts as a failed sign-in for the throttle).
pub const TENTATIVES_MAX: i32 = 5;
/// The name the authenticator app shows next to the account.
const EMETTEUR: &str = "e-MJPM";

/// Whether signing in as `user` needs a code: it enrolled, or it is an
/// administrator (who enrols at its next sign-in if it has not yet).
pub fn requis(user: &users::Model, role: Role) -> bool {
    user.totp_actif || role == Role::Admin
}

/// A new secret: 160 random bits (RFC 4226's recommendation), in base32.
pub fn nouveau_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::from(bytes).to_base32()
}

fn totp(secret: &str, email: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret).map_err(|err| AppError::interne(format!("secret TOTP illisible : {err}")))?;
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(EMETTEUR))
        .with_account_name(email)
        .build()
        .map_err(|err| AppError::interne(format!("TOTP : {err}")))
}

/// The code an authenticator app shows at `unix_seconds` for `secret` (the
/// tests and the demo's documentation use it).
pub fn code_at(secret: &str, unix_seconds: u64) -> Result<String, AppError> {
    Ok(totp(secret, "compte")?.generate(unix_seconds).to_string())
}

fn now_unix() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap_or_default()
}

/// What a person needs to add e-MJPM to its authenticator app: the secret's
/// key in groups of four, and its `otpauth://` address as an SVG QR code.
pub fn enrolement(secret: &str, email: &str) -> Result<Enrolement, AppError> {
    let url = totp(secret, email)?.to_url().map_err(|err| AppError::interne(format!("adresse otpauth : {err}")))?;
    let qr = qrcode::QrCode::new(url.as_bytes()).map_err(|err| AppError::interne(format!("QR code : {err}")))?;
    let qr_svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    let cle = secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    Ok(Enrolement { cle, qr_svg })
}

/// The outcome of checking a typed code.
#[derive(Debug, PartialEq)]
enum Verification {
    Valide,
    Incorrect,
    /// Right, but already accepted once (the next one comes within 30 s).
    DejaUtilise,
}

/// Checks `code` against the user's secret (one step of clock drift either way)
/// and, when right, records its step so that it never serves again.
async fn verifier(db: &impl ConnectionTrait, user: &users::Model, code: &str) -> Result<Verification, AppError> {
    let Some(secret) = user.totp_secret.as_deref() else { return Ok(Verification::Incorrect) };
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(Verification::Incorrect);
    }
    let Some(pas) = totp(secret, &user.email)?.check(&code, now_unix()) else { return Ok(Verification::Incorrect) };
    let pas = i64::try_from(pas).map_err(AppError::interne)?;
    let pris = users::Entity::update_many()
        .col_expr(users::Column::TotpDernierPas, Expr::value(pas))
        .filter(users::Column::Id.eq(user.id))
        .filter(users::Column::TotpDernierPas.is_null().or(users::Column::TotpDernierPas.lt(pas)))
        .exec(db)
        .await?;
    Ok(if pris.rows_affected == 1 { Verification::Valide } else { Verification::DejaUtilise })
}

const CODE_INCORRECT: &str = "Code incorrect ou expiré : saisissez les 6 chiffres que votre application affiche maintenant.";
const CODE_DEJA_UTILISE: &str = "Ce code a déjà servi : attendez le suivant (30 secondes au plus).";

/// Opens a waiting sign-in for `user` (whose password was right) and returns
/// its token. An account still without a second factor gets a fresh secret.
pub async fn ouvrir_attente(
    db: &DatabaseConnection,
    user: &users::Model,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<String, AppError> {
    let now = Utc::now().fixed_offset();
    if !user.totp_actif {
        users::Entity::update_many()
            .col_expr(users::Column::TotpSecret, Expr::value(nouveau_secret()))
            .filter(users::Column::Id.eq(user.id))
            .exec(db)
            .await?;
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let jeton = hex::encode(bytes);
    connexions_en_attente::Entity::insert(connexions_en_attente::ActiveModel {
        id: Set(session::token_id(&jeton)),
        user_id: Set(user.id),
        tentatives: Set(0),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(ATTENTE_MINUTES)),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(255).collect())),
    })
    .exec(db)
    .await?;
    Ok(jeton)
}

/// Removes the waiting sign-ins nobody finished (hourly security purge);
/// returns how many.
pub async fn purge(db: &impl ConnectionTrait, now: chrono::DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    let removed = connexions_en_attente::Entity::delete_many()
        .filter(connexions_en_attente::Column::ExpiresAt.lt(now.fixed_offset()))
        .exec(db)
        .await?;
    Ok(removed.rows_affected)
}

/// `Set-Cookie` of a waiting sign-in (`None`: removes it).
pub fn cookie(jeton: Option<&str>, secure: bool) -> String {
    match jeton {
        Some(jeton) => session::set_cookie(COOKIE_NAME, jeton, ATTENTE_MINUTES * 60, secure),
        None => session::set_cookie(COOKIE_NAME, "", 0, secure),
    }
}

/// A live waiting sign-in and its (active) account.
async fn attente(db: &impl ConnectionTrait, jeton: &str) -> Result<Option<(connexions_en_attente::Model, users::Model)>, AppError> {
    let now = Utc::now().fixed_offset();
    let Some(attente) = connexions_en_attente::Entity::find_by_id(session::token_id(jeton))
        .filter(connexions_en_attente::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let user = users::Entity::find_by_id(attente.user_id).one(db).await?.filter(|u| u.active);
    Ok(user.map(|user| (attente, user)))
}

/// What the code page shows for the waiting sign-in `jeton` (None: none live).
pub async fn etape(db: &DatabaseConnection, jeton: &str) -> Result<Option<CodeAttendu>, AppError> {
    let Some((attente, user)) = attente(db, jeton).await? else { return Ok(None) };
    let enrolement = match (&user.totp_secret, user.totp_actif) {
        (Some(secret), false) => Some(enrolement(secret, &user.email)?),
        _ => None,
    };
    Ok(Some(CodeAttendu { email: user.email, enrolement, tentatives_restantes: TENTATIVES_MAX - attente.tentatives }))
}

/// Why a code did not open the session.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// No such waiting sign-in (expired, finished, or its account was closed).
    #[error("Cette connexion a expiré : saisissez de nouveau votre adresse et votre mot de passe.")]
    Expiree,
    #[error("{CODE_INCORRECT}")]
    Incorrect { restantes: i32 },
    #[error("{CODE_DEJA_UTILISE}")]
    DejaUtilise,
    /// The last allowed wrong code: the waiting sign-in is gone.
    #[error("Trop de codes incorrects : saisissez de nouveau votre adresse et votre mot de passe.")]
    Epuisee,
    #[error("{}", .0.message().unwrap_or_default())]
    Limite(Decision),
    #[error(transparent)]
    Interne(#[from] AppError),
}

impl CodeError {
    pub fn code(&self) -> &'static str {
        match self {
            CodeError::Expiree => "code_expire",
            CodeError::Incorrect { .. } => "incorrect",
            CodeError::DejaUtilise => "deja_utilise",
            CodeError::Epuisee => "code_epuise",
            CodeError::Limite(Decision::Verrouillee { .. }) => "verrouillage",
            CodeError::Limite(_) => "attente",
            CodeError::Interne(_) => "interne",
        }
    }
}

/// The second step of a sign-in: the code typed for the waiting sign-in
/// `jeton`. Right, it opens the session (and, on an enrolment, turns the
/// second factor on); wrong, it counts against the waiting sign-in and the
/// throttle.
pub async fn confirmer(db: &DatabaseConnection, jeton: &str, code: &str, origine: Origine<'_>) -> Result<NewSession, CodeError> {
    let Origine { ip, user_agent, .. } = origine;
    let Some((attente, user)) = attente(db, jeton).await? else { return Err(CodeError::Expiree) };
    // Counted before the code is checked, each in one atomic statement: the
    // throttle's place, then one of the waiting sign-in's TENTATIVES_MAX tries.
    let tentative = match throttle::tenter_verification(db, &user.email, ip.as_deref()).await? {
        Ok(tentative) => tentative,
        Err(decision) => return Err(CodeError::Limite(decision)),
    };
    let essai = connexions_en_attente::Entity::update_many()
        .col_expr(connexions_en_attente::Column::Tentatives, Expr::col(connexions_en_attente::Column::Tentatives).add(1))
        .filter(connexions_en_attente::Column::Id.eq(attente.id.clone()))
        .filter(connexions_en_attente::Column::Tentatives.lt(TENTATIVES_MAX))
        .exec_with_returning(db)
        .await
        .map_err(AppError::from)?;
    let Some(rang) = essai.first().map(|a| a.tentatives) else {
        // Every try of this waiting sign-in is taken (or it is gone).
        connexions_en_attente::Entity::delete_by_id(attente.id).exec(db).await.map_err(AppError::from)?;
        return Err(CodeError::Epuisee);
    };
    let verification = verifier(db, &user, code).await?;
    // A code already used is no guess (whoever typed it knew a right code):
    // it is refused but counts neither here nor for the throttle.
    if verification == Verification::DejaUtilise {
        tentative.mot_de_passe_juste(db).await?;
        connexions_en_attente::Entity::update_many()
            .col_expr(connexions_en_attente::Column::Tentatives, Expr::col(connexions_en_attente::Column::Tentatives).sub(1))
            .filter(connexions_en_attente::Column::Id.eq(attente.id))
            .exec(db)
            .await
            .map_err(AppError::from)?;
        return Err(CodeError::DejaUtilise);
    }
    if verification == Verification::Incorrect {
        let summary = format!("code incorrect (tentative {rang} sur {TENTATIVES_MAX})");
        record(db, &user, "connexion_echec_code", Some(summary), ip).await;
        if rang >= TENTATIVES_MAX {
            connexions_en_attente::Entity::delete_by_id(attente.id).exec(db).await.map_err(AppError::from)?;
            return Err(CodeError::Epuisee);
        }
        return Err(CodeError::Incorrect { restantes: TENTATIVES_MAX - rang });
    }
    // One session per waiting sign-in, even if the form is posted twice.
    let pris = connexions_en_attente::Entity::delete_by_id(attente.id).exec(db).await.map_err(AppError::from)?;
    if pris.rows_affected != 1 {
        return Err(CodeError::Expiree);
    }
    tentative.reussie(db, user.id).await?;
    let role = role_of(&user)?;
    let user = if user.totp_actif {
        user
    } else {
        activate(db, user.id).await?;
        record(db, &user, "double_authentification.activation", Some("à la connexion".into()), ip.clone()).await;
        users::Entity::find_by_id(user.id).one(db).await.map_err(AppError::from)?.ok_or(CodeError::Expiree)?
    };
    Ok(open_session(db, user, role, ip, user_agent).await?)
}

async fn activate(db: &impl ConnectionTrait, user_id: i32) -> Result<(), AppError> {
    users::Entity::update_many()
        .col_expr(users::Column::TotpActif, Expr::value(true))
        .filter(users::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn record(db: &impl ConnectionTrait, user: &users::Model, action: &str, summary: Option<String>, ip: Option<String>) {
    audit::record(
        db,
        AuditEvent {
            actor_user_id: Some(user.id),
            role: Some(user.role.as_str()),
            action,
            target: Some(("user", user.id.to_string())),
            summary,
            ip,
        },
    )
    .await;
}

// --- The person's own second factor ("Mon compte") ---------------------------

fn refus_incarnation(caller: &Caller) -> Result<(), AppError> {
    match caller.incarnation {
        Some(_) => Err(AppError::Conflit(
            "Pendant une connexion « en tant que », la double authentification de la personne ne se change pas.".into(),
        )),
        None => Ok(()),
    }
}

async fn own_account(db: &impl ConnectionTrait, caller: &Caller) -> Result<users::Model, AppError> {
    users::Entity::find_by_id(caller.user_id).one(db).await?.ok_or(AppError::NonConnecte)
}

fn champ_code(message: &str) -> AppError {
    AppError::Champs(vec![("code".into(), message.into())])
}

/// Starts an enrolment: a fresh secret, not required until a code confirms it.
pub async fn preparer(db: &DatabaseConnection, caller: &Caller) -> Result<(), AppError> {
    refus_incarnation(caller)?;
    if own_account(db, caller).await?.totp_actif {
        return Err(AppError::Conflit("La double authentification est déjà activée sur votre compte.".into()));
    }
    users::Entity::update_many()
        .col_expr(users::Column::TotpSecret, Expr::value(nouveau_secret()))
        .filter(users::Column::Id.eq(caller.user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The enrolment under way for the caller (None when there is none or its
/// second factor is already on).
pub async fn enrolement_en_cours(db: &DatabaseConnection, caller: &Caller) -> Result<Option<Enrolement>, AppError> {
    let user = own_account(db, caller).await?;
    match (&user.totp_secret, user.totp_actif) {
        (Some(secret), false) => Ok(Some(enrolement(secret, &user.email)?)),
        _ => Ok(None),
    }
}

/// Confirms the enrolment under way with a first code.
pub async fn activer(db: &DatabaseConnection, caller: &Caller, code: &str, ip: Option<String>) -> Result<(), AppError> {
    refus_incarnation(caller)?;
    let user = own_account(db, caller).await?;
    if user.totp_actif {
        return Err(AppError::Conflit("La double authentification est déjà activée sur votre compte.".into()));
    }
    if user.totp_secret.is_none() {
        return Err(AppError::Conflit("Commencez par « Activer la double authentification » dans Mon compte.".into()));
    }
    match verifier(db, &user, code).await? {
        Verification::Valide => {}
        Verification::Incorrect => return Err(champ_code(CODE_INCORRECT)),
        Verification::DejaUtilise => return Err(champ_code(CODE_DEJA_UTILISE)),
    }
    activate(db, user.id).await?;
    record(db, &user, "double_authentification.activation", Some("depuis Mon compte".into()), ip).await;
    Ok(())
}

/// Turns the caller's second factor off, proven by a current code. Never for
/// an administrator: it is mandatory for them.
pub async fn desactiver(db: &DatabaseConnection, caller: &Caller, code: &str, ip: Option<String>) -> Result<(), AppError> {
    refus_incarnation(caller)?;
    if caller.role == Role::Admin {
        return Err(AppError::Conflit("La double authentification est obligatoire pour les administrateurs.".into()));
    }
    let user = own_account(db, caller).await?;
    if !user.totp_actif {
        return Err(AppError::Conflit("La double authentification n'est pas activée sur votre compte.".into()));
    }
    match verifier(db, &user, code).await? {
        Verification::Valide => {}
        Verification::Incorrect => return Err(champ_code(CODE_INCORRECT)),
        Verification::DejaUtilise => return Err(champ_code(CODE_DEJA_UTILISE)),
    }
    clear(db, user.id).await?;
    record(db, &user, "double_authentification.desactivation", None, ip).await;
    Ok(())
}

async fn clear(db: &impl ConnectionTrait, user_id: i32) -> Result<(), AppError> {
    users::Entity::update_many()
        .col_expr(users::Column::TotpSecret, Expr::value(Option::<String>::None))
        .col_expr(users::Column::TotpActif, Expr::value(false))
        .col_expr(users::Column::TotpDernierPas, Expr::value(Option::<i64>::None))
        .filter(users::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// An administrator removes the second factor of an account whose person lost
/// its phone: it signs in with its password alone (an administrator enrols
/// again at its next sign-in). Its waiting sign-ins end.
pub async fn reinitialiser(db: &DatabaseConnection, admin: &Caller, user_id: i32, ip: Option<String>) -> Result<(), AppError> {
    admin.require(&Role::ADMIN)?;
    let user = users::Entity::find_by_id(user_id).one(db).await?.ok_or(AppError::Introuvable)?;
    if !user.totp_actif {
        return Err(AppError::Conflit("Ce compte n'a pas de double authentification.".into()));
    }
    if user.id == admin.user_id {
        return Err(AppError::Conflit("Un administrateur ne réinitialise pas sa propre double authentification.".into()));
    }
    clear(db, user.id).await?;
    connexions_en_attente::Entity::delete_many().filter(connexions_en_attente::Column::UserId.eq(user.id)).exec(db).await?;
    AuditEvent::by(admin, "double_authentification.reinitialisation")
        .target("user", user.id)
        .summary(user.email.clone())
        .ip(ip)
        .record(db)
        .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B (SHA-1, 8 digits there; the last 6 here).
    #[test]
    fn codes_follow_rfc_6238() {
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
        assert_eq!(code_at(&secret, 1_111_111_109).unwrap(), "081804");
        assert_eq!(code_at(&secret, 2_000_000_000).unwrap(), "279037");
    }

    #[test]
    fn a_new_secret_is_160_bits_and_shows_as_groups_and_a_qr_code() {
        let secret = nouveau_secret();
        assert_eq!(secret.len(), 32);
        assert_ne!(secret, nouveau_secret());
        let enrolement = enrolement(&secret, "camille@exemple.fr").unwrap();
        assert_eq!(enrolement.cle.replace(' ', ""), secret);
        assert_eq!(enrolement.cle.split(' ').count(), 8);
        assert!(enrolement.qr_svg.contains("<svg") && !enrolement.qr_svg.contains("<script"));
    }

    #[test]
    fn administrators_always_need_a_code_others_once_enrolled() {
        let user = |actif| users::Model {
            id: 1,
            email: "a@b.fr".into(),
            password_hash: String::new(),
            role: "magistrat".into(),
            prenom: String::new(),
            nom: String::new(),
            telephone: None,
            active: true,
            created_at: Utc::now().fixed_offset(),
            updated_at: Utc::now().fixed_offset(),
            last_login_at: None,
            averti_inactivite_at: None,
            notifier_acceptation: false,
            totp_secret: None,
            totp_actif: actif,
            totp_dernier_pas: None,
            valide_at: None,
        };
        assert!(requis(&user(false), Role::Admin));
        assert!(!requis(&user(false), Role::Magistrat));
        assert!(requis(&user(true), Role::Magistrat));
    }
}
