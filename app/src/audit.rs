//! The append-only audit log: who did what, when, from where.

use crate::db::entities::audit_events;
use sea_orm::{ActiveModelTrait, NotSet, Set};

tokio::task_local! {
    /// The administrator really acting in this request when it runs in a
    /// session opened "en tant que" (set by the guard, read by `record`).
    static REAL_ACTOR: std::cell::Cell<Option<i32>>;
}

/// Runs a request with its own real-actor slot (a layer of the router).
pub async fn scope_real_actor(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    REAL_ACTOR.scope(std::cell::Cell::new(None), next.run(request)).await
}

/// Notes the administrator acting in the current request (no-op outside one).
pub fn set_real_actor(admin_user_id: i32) {
    let _ = REAL_ACTOR.try_with(|slot| slot.set(Some(admin_user_id)));
}

/// One event to record.
pub struct AuditEvent<'a> {
    pub actor_user_id: Option<i32>,
    pub role: Option<&'a str>,
    pub action: &'a str,
    pub target: Option<(&'a str, String)>,
    pub summary: Option<String>,
    pub ip: Option<String>,
}

impl<'a> AuditEvent<'a> {
    /// An event done by the signed-in `caller` (its account and role).
    pub fn by(caller: &crate::accounts::guard::Caller, action: &'a str) -> Self {
        AuditEvent { actor_user_id: Some(caller.user_id), role: Some(caller.role.as_str()), action, target: None, summary: None, ip: None }
    }

    /// An event done by the product itself (a job, a visitor's request).
    pub fn system(action: &'a str) -> Self {
        AuditEvent { actor_user_id: None, role: None, action, target: None, summary: None, ip: None }
    }

    /// What the event is about: a kind (`user`, `mesure`, `antenne`…) and its id.
    pub fn target(mut self, kind: &'a str, id: impl ToString) -> Self {
        self.target = Some((kind, id.to_string()));
        self
    }

    /// A sentence for the journal, in French.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = Some(summary.into());
        self
    }

    /// Where the request came from, when known.
    pub fn ip(mut self, ip: Option<String>) -> Self {
        self.ip = ip;
        self
    }

    /// Records the event (see [`record`]).
    pub async fn record(self, db: &impl sea_orm::ConnectionTrait) {
        record(db, self).await
    }
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
        real_actor_user_id: Set(REAL_ACTOR.try_with(|slot| slot.get()).ok().flatten()),
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
