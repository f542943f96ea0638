//! Who is calling, and what they may reach: derived from the session only, never
//! from a parameter. Every server function and API handler starts here.

use crate::accounts::session;
use crate::accounts::user::CurrentUser;
use crate::errors::AppError;
use crate::rules::roles::Role;
use crate::state::AppState;
use sea_orm::DatabaseConnection;

/// The signed-in caller of a request.
#[derive(Clone, Debug, PartialEq)]
pub struct Caller {
    pub user_id: i32,
    pub email: String,
    pub prenom: String,
    pub nom: String,
    pub role: Role,
    pub scope: Scope,
    /// Set when an administrator acts as this user ("se connecter en tant que").
    pub incarnation: Option<Incarnation>,
    /// The database's `search_version` when this request began, read with the
    /// session: the search serves its in-memory copy when it is at least that
    /// new, without another round trip to the database.
    pub search_version: i64,
    /// When this account's last search was recorded as a useful action, read
    /// with the session: a search decides without another round trip that
    /// it need not be recorded again (`usage::record_quietly`).
    pub derniere_recherche: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// Who is really acting in a session opened "en tant que", and until when.
#[derive(Clone, Debug, PartialEq)]
pub struct Incarnation {
    pub admin_user_id: i32,
    /// "Prénom Nom" of the administrator.
    pub admin: String,
    pub fin: chrono::DateTime<chrono::FixedOffset>,
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

    /// The caller's tribunal: magistrats and greffiers only (403 otherwise).
    pub fn tribunal_id(&self) -> Result<i32, AppError> {
        self.require(&Role::TRIBUNAL)?;
        match self.scope {
            Scope::Tribunal { tribunal_id, .. } => Ok(tribunal_id),
            _ => Err(AppError::Interdit),
        }
    }

    /// The gestionnaire whose measures the caller follows: professionals only
    /// (403 otherwise).
    pub fn gestionnaire_id(&self) -> Result<i32, AppError> {
        self.require(&Role::MANDATAIRES)?;
        match self.scope {
            Scope::Gestionnaire { gestionnaire_id, .. } => Ok(gestionnaire_id),
            _ => Err(AppError::Interdit),
        }
    }

    pub fn current_user(&self) -> CurrentUser {
        CurrentUser {
            id: self.user_id,
            prenom: self.prenom.clone(),
            nom: self.nom.clone(),
            email: self.email.clone(),
            role: self.role,
            incarne_par: self.incarnation.as_ref().map(|i| i.admin.clone()),
            incarnation_fin: self.incarnation.as_ref().map(|i| crate::rules::heure::a_paris(&i.fin).format("%H:%M").to_string()),
        }
    }
}

/// The session, its user and the user's attachments (and the search data's
/// version), in one query: this runs on every request, and one round trip
/// instead of five is most of its cost.
const CALLER_SQL: &str = "
    SELECT u.id AS user_id, u.email, u.prenom, u.nom, u.role, u.active, s.last_seen_at,
           COALESCE(m.tribunal_id, g.tribunal_id) AS tribunal_id, t.departement_code AS tribunal_departement,
           gm.gestionnaire_id, gm.admin AS service_admin,
           d.type AS direction_kind, d.region_code AS direction_region, d.departement_code AS direction_departement,
           s.incarne_par, s.expires_at, ia.prenom AS incarne_prenom, ia.nom AS incarne_nom,
           ia.active AS incarne_actif, ia.role AS incarne_role,
           (SELECT sv.version FROM search_version sv WHERE sv.id = 1) AS search_version,
           (SELECT w.derniere_at FROM actions_semaine w WHERE w.user_id = u.id AND w.action = 'recherche'
            ORDER BY w.semaine DESC LIMIT 1) AS derniere_recherche
    FROM sessions s
    JOIN users u ON u.id = s.user_id
    LEFT JOIN magistrats m ON m.user_id = u.id
    LEFT JOIN greffiers g ON g.user_id = u.id
    LEFT JOIN tribunaux t ON t.id = COALESCE(m.tribunal_id, g.tribunal_id)
    LEFT JOIN gestionnaire_membres gm ON gm.user_id = u.id
    LEFT JOIN directions d ON d.user_id = u.id
    LEFT JOIN users ia ON ia.id = s.incarne_par
    WHERE s.id = $1 AND s.expires_at > $2";

/// The caller owning a session token, or None when the token opens no live session
/// of an active user.
pub async fn caller_from_token(db: &DatabaseConnection, token: &str) -> Result<Option<Caller>, AppError> {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let now = chrono::Utc::now().fixed_offset();
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => CALLER_SQL.to_string(),
        _ => CALLER_SQL.replace("$1", "?").replace("$2", "?"),
    };
    let statement = Statement::from_sql_and_values(backend, sql, [session::token_id(token).into(), now.into()]);
    let Some(row) = db.query_one_raw(statement).await? else {
        return Ok(None);
    };
    let text = |name: &str| row.try_get::<String>("", name);
    let optional = |name: &str| row.try_get::<Option<String>>("", name);
    let user_id: i32 = row.try_get("", "user_id")?;
    if !row.try_get::<bool>("", "active")? {
        return Ok(None);
    }
    let role_code = text("role")?;
    let Some(role) = Role::parse(&role_code) else {
        return Err(AppError::interne(format!("rôle inconnu « {role_code} » (utilisateur {user_id})")));
    };
    let missing = || AppError::interne(format!("compte {user_id} ({}) sans rattachement", role.as_str()));
    let scope = match role {
        Role::Admin => Scope::Admin,
        Role::Magistrat | Role::Greffier => Scope::Tribunal {
            tribunal_id: row.try_get::<Option<i32>>("", "tribunal_id")?.ok_or_else(missing)?,
            departement_code: optional("tribunal_departement")?.ok_or_else(missing)?,
        },
        Role::Individuel | Role::Prepose | Role::Service => Scope::Gestionnaire {
            gestionnaire_id: row.try_get::<Option<i32>>("", "gestionnaire_id")?.ok_or_else(missing)?,
            service_admin: row.try_get::<Option<bool>>("", "service_admin")?.unwrap_or(false),
        },
        Role::Direction => Scope::Territoire(
            match (optional("direction_kind")?.as_deref(), optional("direction_region")?, optional("direction_departement")?) {
                (Some("national"), _, _) => Territoire::National,
                (Some("regional"), Some(region), _) => Territoire::Region(region),
                (Some("departemental"), _, Some(departement)) => Territoire::Departement(departement),
                _ => return Err(missing()),
            },
        ),
    };
    let incarnation = match row.try_get::<Option<i32>>("", "incarne_par")? {
        None => None,
        Some(admin_user_id) => {
            // Opened by someone who is no longer an active administrator: over.
            let still_admin = row.try_get::<Option<bool>>("", "incarne_actif")?.unwrap_or(false)
                && optional("incarne_role")?.as_deref() == Some(Role::Admin.as_str());
            if !still_admin {
                return Ok(None);
            }
            // Every audit event of this request names the administrator as the real actor.
            crate::audit::set_real_actor(admin_user_id);
            Some(Incarnation {
                admin_user_id,
                admin: format!("{} {}", optional("incarne_prenom")?.unwrap_or_default(), optional("incarne_nom")?.unwrap_or_default()),
                fin: row.try_get("", "expires_at")?,
            })
        }
    };
    let last_seen: chrono::DateTime<chrono::FixedOffset> = row.try_get("", "last_seen_at")?;
    session::touch_if_stale(db, token, last_seen, now).await?;
    let search_version = row.try_get::<Option<i64>>("", "search_version")?.unwrap_or_default();
    Ok(Some(Caller {
        user_id,
        email: text("email")?,
        prenom: text("prenom")?,
        nom: text("nom")?,
        role,
        scope,
        incarnation,
        search_version,
        derniere_recherche: row.try_get("", "derniere_recherche")?,
    }))
}

/// The caller of the current server function or server-rendered page; a
/// refusal gives the server function's answer its status (401), not 500.
pub async fn caller() -> Result<Caller, AppError> {
    current_caller().await.inspect_err(AppError::set_response_status)
}

/// The caller, if any, without touching the answer's status (the header asks
/// who is signed in on every page, visitors included).
pub async fn current_caller() -> Result<Caller, AppError> {
    let state = crate::state::app_state()?;
    let parts = leptos::prelude::use_context::<http::request::Parts>().ok_or_else(|| AppError::interne("requête absente du contexte"))?;
    let token = session::token_from_headers(&parts.headers).ok_or(AppError::NonConnecte)?;
    caller_from_token(&state.db, &token).await?.ok_or(AppError::NonConnecte)
}

/// The caller of the current server function, refused (403) unless its role is
/// allowed.
pub async fn caller_with_role(allowed: &[Role]) -> Result<Caller, AppError> {
    let caller = caller().await?;
    caller.require(allowed).inspect_err(AppError::set_response_status)?;
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
    // The first rule that matches decides: the territory's statistics are
    // the directions' and the team's.
    const RULES: [(&str, &[Role]); 7] = [
        ("/direction/statistiques", &Role::PILOTAGE),
        ("/liste-blanche", &Role::PILOTAGE),
        ("/compte", &Role::ALL),
        ("/admin", &Role::ADMIN),
        ("/tribunal", &Role::TRIBUNAL),
        ("/mandataire", &Role::MANDATAIRES),
        ("/direction", &[Role::Direction]),
    ];
    RULES.iter().find(|(prefix, _)| path == *prefix || path.starts_with(&format!("{prefix}/"))).map(|(_, roles)| *roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_open_its_own_home_only() {
        for role in Role::ALL {
            for other in Role::ALL {
                let allowed = page_roles(other.home_path()).expect("home pages are guarded");
                assert_eq!(allowed.contains(&role), role.home_path() == other.home_path(), "{role:?} on {}", other.home_path());
            }
        }
        assert_eq!(page_roles("/connexion"), None);
        assert_eq!(page_roles("/administrateur"), None, "prefix must end at a path segment");
        assert!(page_roles("/admin/comptes").is_some());
    }
}
