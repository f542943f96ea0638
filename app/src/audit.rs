//! The append-only audit log: who did what, when, from where.

use crate::db::entities::audit_events;
use sea_orm::{ActiveModelTrait, NotSet, Set};

/// One event to record.
pub struct AuditEvent<'a> {
    pub actor_user_id: Option<i32>,
    pub role: Option<&'a str>,
    pub action: &'a str,
    pub target: Option<(&'a str, String)>,
    pub summary: Option<String>,
    pub ip: Option<String>,
}

/// Records an event. A failure to record is logged, never shown to the user, and
/// never undoes the action (the caller decides whether it runs in a transaction).
pub async fn record(db: &impl sea_orm::ConnectionTrait, event: AuditEvent<'_>) {
    let (target_type, target_id) = match event.target {
        Some((kind, id)) => (Some(kind.to_string()), Some(id)),
        None => (None, None),
    };
    let row = audit_events::ActiveModel {
        id: NotSet,
        at: Set(chrono::Utc::now().fixed_offset()),
        actor_user_id: Set(event.actor_user_id),
        real_actor_user_id: Set(None),
        role: Set(event.role.map(str::to_string)),
        action: Set(event.action.to_string()),
        target_type: Set(target_type),
        target_id: Set(target_id),
        summary: Set(event.summary),
        ip: Set(event.ip),
    };
    if let Err(err) = row.insert(db).await {
        tracing::error!("journal d'audit : écriture impossible ({err})");
    }
}
