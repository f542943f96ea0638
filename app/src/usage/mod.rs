//! Usage, measured without tracking anyone outside the service: first-party
//! only, no third-party script, no cookie beyond the session, nothing sent
//! elsewhere. Two records, both kept 13 months (`retention`):
//!
//! - the **useful actions** of each account (`usages`), written by the
//!   services themselves in the transaction of the action, so that a recorded
//!   action is one that happened: sign-in, search, reservation, acceptance,
//!   capacity declared or confirmed, feedback, a direction's visit of its
//!   figures. The adoption funnel, the cohorts and the users to rescue read
//!   this and the accounts — no second source of truth;
//! - the **daily page views** per route pattern and role (`vues_pages`): no
//!   account, no address, one atomic upsert per page shown.

use serde::{Deserialize, Serialize};

/// A useful action of an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    Connexion,
    Recherche,
    Reservation,
    Acceptation,
    /// Capacity declared, changed or confirmed (a professional's figures).
    Capacite,
    Avis,
    /// A direction opened its territory's figures.
    VisiteChiffres,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Connexion,
        Action::Recherche,
        Action::Reservation,
        Action::Acceptation,
        Action::Capacite,
        Action::Avis,
        Action::VisiteChiffres,
    ];

    /// The value stored in `usages.action`.
    pub fn code(self) -> &'static str {
        match self {
            Action::Connexion => "connexion",
            Action::Recherche => "recherche",
            Action::Reservation => "reservation",
            Action::Acceptation => "acceptation",
            Action::Capacite => "capacite",
            Action::Avis => "avis",
            Action::VisiteChiffres => "visite_chiffres",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// How the action is named to the team.
    pub fn label(self) -> &'static str {
        match self {
            Action::Connexion => "connexion",
            Action::Recherche => "recherche de mandataire",
            Action::Reservation => "réservation",
            Action::Acceptation => "acceptation d'une mesure",
            Action::Capacite => "capacité déclarée ou confirmée",
            Action::Avis => "avis donné",
            Action::VisiteChiffres => "consultation des chiffres du territoire",
        }
    }
}

/// A read (a search, a visit of the figures) is recorded at most once per
/// account in this interval (`record_quietly`): the users to rescue count
/// searching sessions, not keystrokes.
pub const INTERVALLE_LECTURES: chrono::Duration = chrono::Duration::hours(1);

/// How long both records are kept.
pub const CONSERVATION_MOIS: u32 = 13;

/// The Monday of `day`'s week: the weeks of the actions and of the cohorts
/// run from Monday to Sunday, UTC.
pub fn lundi(day: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
}

#[cfg(feature = "ssr")]
pub use server::{count_page_views, rebuild_weeks, record, record_for, record_quietly, territory_of};

#[cfg(feature = "ssr")]
mod server {
    use super::Action;
    use crate::accounts::guard::{Caller, Scope, Territoire};
    use crate::db::entities::{departements, gestionnaires, usages};
    use crate::errors::AppError;
    use crate::state::AppState;
    use axum::extract::{MatchedPath, Request, State};
    use axum::http::{header, Method, StatusCode};
    use axum::middleware::Next;
    use axum::response::Response;
    use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, NotSet, Set, Statement};

    /// Records a useful action of `caller`; meant to run in the action's own
    /// transaction. An administrator acting "en tant que" someone does not
    /// act for them: nothing is recorded.
    pub async fn record(db: &impl ConnectionTrait, caller: &Caller, action: Action) -> Result<(), sea_orm::DbErr> {
        if caller.incarnation.is_some() {
            return Ok(());
        }
        record_for(db, caller.user_id, action).await
    }

    /// Records a useful action of the account `user_id` (a sign-in, before
    /// there is a caller), and counts it in its week (`actions_semaine`: one
    /// atomic upsert whose last time never moves back — two actions at once
    /// leave the later).
    pub async fn record_for(db: &impl ConnectionTrait, user_id: i32, action: Action) -> Result<(), sea_orm::DbErr> {
        let at = chrono::Utc::now().fixed_offset();
        usages::ActiveModel { id: NotSet, at: Set(at), user_id: Set(user_id), action: Set(action.code().into()) }.insert(db).await?;
        count_in_week(db, user_id, action, at, at).await?;
        Ok(())
    }

    /// Counts an action at `at` in its week's row, in one atomic upsert that
    /// changes the row only when its last time is before `avant` (an action
    /// in hand: `at`, so the last time never moves back; a read: `at` less
    /// the interval of reads). True when the row was written.
    async fn count_in_week(
        db: &impl ConnectionTrait,
        user_id: i32,
        action: Action,
        at: chrono::DateTime<chrono::FixedOffset>,
        avant: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<bool, sea_orm::DbErr> {
        let backend = db.get_database_backend();
        let p = |i: usize| crate::db::parametre(backend, i);
        let sql = format!(
            "INSERT INTO actions_semaine (user_id, action, semaine, derniere_at) VALUES ({}, {}, {}, {}) \
             ON CONFLICT (user_id, action, semaine) DO UPDATE SET derniere_at = excluded.derniere_at \
             WHERE actions_semaine.derniere_at < {}",
            p(1),
            p(2),
            p(3),
            p(4),
            p(5)
        );
        let values: [sea_orm::Value; 5] =
            [user_id.into(), action.code().into(), super::lundi(at.date_naive()).into(), at.into(), avant.into()];
        Ok(db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?.rows_affected() > 0)
    }

    /// Recomputes the actions by week from `usages`, after actions were
    /// loaded in bulk (demo data, tests) rather than recorded one by one. The
    /// Monday (UTC) of an action is computed as [`super::lundi`] does.
    pub async fn rebuild_weeks(db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
        let lundi = match db.get_database_backend() {
            DbBackend::Postgres => "CAST(date_trunc('week', at AT TIME ZONE 'UTC') AS date)",
            _ => "date(at, 'weekday 0', '-6 days')",
        };
        db.execute_unprepared("DELETE FROM actions_semaine").await?;
        db.execute_unprepared(&format!(
            "INSERT INTO actions_semaine (user_id, action, semaine, derniere_at) \
             SELECT user_id, action, {lundi}, MAX(at) FROM usages GROUP BY user_id, action, {lundi}"
        ))
        .await?;
        Ok(())
    }

    /// Records an action that is a read (a search, a visit of the figures) at
    /// most once per account every [`super::INTERVALLE_LECTURES`]: a judge who
    /// refines a search ten times in a minute made one attempt, and a read
    /// must not cost a write (the search's speed goals). Most reads find
    /// their last record less than an hour old and write nothing (a search
    /// learns it with the session, without a query of its own); otherwise
    /// one conditional upsert decides atomically (parallel reads record
    /// once) and the action is kept in the same transaction. A failure to
    /// record is logged, never shown, and never refuses the read.
    pub async fn record_quietly(db: &sea_orm::DatabaseConnection, caller: &Caller, action: Action) {
        if caller.incarnation.is_some() {
            return;
        }
        if let Err(error) = record_read(db, caller, action).await {
            tracing::warn!("usage non enregistré ({}) : {error}", action.code());
        }
    }

    async fn record_read(db: &sea_orm::DatabaseConnection, caller: &Caller, action: Action) -> Result<(), sea_orm::DbErr> {
        use crate::db::entities::actions_semaine;
        let user_id = caller.user_id;
        let at = chrono::Utc::now().fixed_offset();
        let seuil = at - super::INTERVALLE_LECTURES;
        let semaine = super::lundi(at.date_naive());
        // A search's last record came with the session (no round trip).
        let derniere = match action {
            Action::Recherche => caller.derniere_recherche,
            _ => actions_semaine::Entity::find_by_id((user_id, action.code().to_string(), semaine)).one(db).await?.map(|w| w.derniere_at),
        };
        if derniere.is_some_and(|at| at > seuil) {
            return Ok(());
        }
        let txn = crate::db::begin(db).await?;
        if count_in_week(&txn, user_id, action, at, seuil).await? {
            usages::ActiveModel { id: NotSet, at: Set(at), user_id: Set(user_id), action: Set(action.code().into()) }.insert(&txn).await?;
        }
        txn.commit().await
    }

    /// Where `caller` works: its département and région as far as its role
    /// says (a national direction and the team: nowhere in particular).
    pub async fn territory_of(db: &impl ConnectionTrait, caller: &Caller) -> Result<(Option<String>, Option<String>), AppError> {
        let departement = match &caller.scope {
            Scope::Tribunal { departement_code, .. } => Some(departement_code.clone()),
            Scope::Gestionnaire { gestionnaire_id, .. } => {
                gestionnaires::Entity::find_by_id(*gestionnaire_id).one(db).await?.map(|g| g.departement_code)
            }
            Scope::Territoire(Territoire::Departement(code)) => Some(code.clone()),
            Scope::Territoire(Territoire::Region(region)) => return Ok((None, Some(region.clone()))),
            Scope::Territoire(Territoire::National) | Scope::Admin => None,
        };
        let Some(departement) = departement else { return Ok((None, None)) };
        let region = departements::Entity::find_by_id(departement.clone()).one(db).await?.map(|d| d.region_code);
        Ok((Some(departement), region))
    }

    /// Counts each page shown (HTML, 200) under its route pattern and the
    /// role of the session that asked (empty for a visitor), in one atomic
    /// upsert that also reads the role — after the answer, off its path.
    pub async fn count_page_views(State(state): State<AppState>, request: Request, next: Next) -> Response {
        let route = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
        let route = route.filter(|r| request.method() == Method::GET && !r.starts_with("/api/"));
        let token = crate::accounts::session::token_from_headers(request.headers());
        let response = next.run(request).await;
        let html = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
        if let (Some(route), true, true) = (route, response.status() == StatusCode::OK, html) {
            let db = state.db.clone();
            tokio::spawn(async move {
                if let Err(error) = count_view(&db, &route, token.as_deref()).await {
                    tracing::warn!("vue de page non comptée ({route}) : {error}");
                }
            });
        }
        response
    }

    async fn count_view(db: &sea_orm::DatabaseConnection, route: &str, token: Option<&str>) -> Result<(), sea_orm::DbErr> {
        let backend = db.get_database_backend();
        let p = |i: usize| crate::db::parametre(backend, i);
        let now = chrono::Utc::now();
        let jour = crate::rules::heure::a_paris(&now).date_naive();
        let session = token.map(crate::accounts::session::token_id).unwrap_or_default();
        let sql = format!(
            "INSERT INTO vues_pages (jour, route, role, nombre) VALUES ({jour}, {route}, \
             COALESCE((SELECT u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = {session} AND s.expires_at > {now}), ''), 1) \
             ON CONFLICT (jour, route, role) DO UPDATE SET nombre = vues_pages.nombre + 1",
            jour = p(1),
            route = p(2),
            session = p(3),
            now = p(4),
        );
        let values: [sea_orm::Value; 4] = [jour.into(), route.into(), session.into(), now.fixed_offset().into()];
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_stored_code() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.code()), Some(action));
        }
        assert_eq!(Action::parse("clic"), None);
    }

    #[test]
    fn a_week_runs_from_monday_to_sunday() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        for d in ["2026-11-30", "2026-12-02", "2026-12-06"] {
            assert_eq!(lundi(day(d)), day("2026-11-30"), "{d}");
        }
        assert_eq!(lundi(day("2026-12-07")), day("2026-12-07"));
        assert_eq!(lundi(day("2027-01-01")), day("2026-12-28"), "across the year");
    }
}
