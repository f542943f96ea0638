//! "Mon compte"'s service: what the page shows (attachment, open sessions,
//! preferences) and the changes made from it. Called by the page's server
//! function and by its forms' handlers (`accounts/handlers.rs`).

use super::compte::{Compte, SessionOuverte};
use crate::accounts::guard::{Caller, Scope, Territoire};
use crate::accounts::session;
use crate::audit::AuditEvent;
use crate::db::entities::{gestionnaires, sessions, tribunaux, users};
use crate::errors::AppError;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

/// The caller's account page; `token` is the session of this request (marked
/// as the current one in the list).
pub async fn load(db: &DatabaseConnection, caller: &Caller, token: Option<&str>) -> Result<Compte, AppError> {
    let rattachement = match &caller.scope {
        Scope::Admin => "Équipe e-MJPM".to_string(),
        Scope::Tribunal { tribunal_id, .. } => {
            tribunaux::Entity::find_by_id(*tribunal_id).one(db).await?.map(|t| t.nom).unwrap_or_default()
        }
        Scope::Gestionnaire { gestionnaire_id, service_admin } => {
            let nom = gestionnaires::Entity::find_by_id(*gestionnaire_id)
                .one(db)
                .await?
                .map(|g| crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref()))
                .unwrap_or_default();
            if *service_admin {
                format!("{nom} (administrateur du service)")
            } else {
                nom
            }
        }
        Scope::Territoire(Territoire::National) => "Direction nationale".to_string(),
        Scope::Territoire(Territoire::Region(code)) => format!("Direction régionale (région {code})"),
        Scope::Territoire(Territoire::Departement(code)) => format!("Direction départementale ({code})"),
    };
    let user = crate::db::entities::users::Entity::find_by_id(caller.user_id).one(db).await?.ok_or(AppError::NonConnecte)?;
    let courante = token.map(session::token_id);
    let now = chrono::Utc::now().fixed_offset();
    let paris = |d: chrono::DateTime<chrono::FixedOffset>| crate::rules::heure::a_paris(&d).format("%d/%m/%Y à %H:%M").to_string();
    let sessions = sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(caller.user_id))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .order_by_desc(sessions::Column::LastSeenAt)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SessionOuverte {
            ouverte_le: paris(s.created_at),
            vue_le: paris(s.last_seen_at),
            ip: s.ip,
            navigateur: s.user_agent.map(|ua| navigateur(&ua)),
            courante: courante.as_deref() == Some(s.id.as_str()),
        })
        .collect();
    Ok(Compte {
        prenom: caller.prenom.clone(),
        nom: caller.nom.clone(),
        email: caller.email.clone(),
        role: caller.role.label().to_string(),
        rattachement,
        sessions,
        notifier_acceptation: matches!(caller.scope, Scope::Tribunal { .. }).then_some(user.notifier_acceptation),
        double_authentification: user.totp_actif,
        double_authentification_obligatoire: caller.role == crate::rules::roles::Role::Admin,
    })
}

/// Closes every session of the caller, this one included; how many.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn sign_out_everywhere(db: &DatabaseConnection, caller: &Caller, ip: Option<String>) -> Result<u64, AppError> {
    let closed = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(caller.user_id)).exec(db).await?.rows_affected;
    AuditEvent::by(caller, "deconnexion_partout")
        .target("user", caller.user_id)
        .summary(crate::rules::texte::compte(closed as i64, "session fermée", "sessions fermées"))
        .ip(ip)
        .record(db)
        .await;
    Ok(closed)
}

/// A judge or greffier chooses whether to be told when a measure it reserved
/// is accepted.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn set_acceptance_mails(db: &DatabaseConnection, caller: &Caller, wanted: bool, ip: Option<String>) -> Result<(), AppError> {
    caller.require(&crate::rules::roles::Role::TRIBUNAL)?;
    users::Entity::update_many()
        .col_expr(users::Column::NotifierAcceptation, Expr::value(wanted))
        .filter(users::Column::Id.eq(caller.user_id))
        .exec(db)
        .await?;
    AuditEvent::by(caller, "preferences_courriels")
        .target("user", caller.user_id)
        .summary(format!("prévenu des acceptations : {}", if wanted { "oui" } else { "non" }))
        .ip(ip)
        .record(db)
        .await;
    Ok(())
}

/// "Firefox sur Android" from a User-Agent, or the first 80 characters.
fn navigateur(user_agent: &str) -> String {
    let browser = ["Edg/", "Firefox/", "Chrome/", "Safari/"].iter().find(|b| user_agent.contains(**b)).map(|b| match *b {
        "Edg/" => "Edge",
        "Firefox/" => "Firefox",
        "Chrome/" => "Chrome",
        _ => "Safari",
    });
    let system =
        [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux")]
            .iter()
            .find(|(needle, _)| user_agent.contains(needle))
            .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} sur {s}"),
        (Some(b), None) => b.to_string(),
        _ => user_agent.chars().take(80).collect(),
    }
}
