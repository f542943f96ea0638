//! `GET /api/v1/evenements`: the server-sent events stream of a signed-in page.

use super::diffusion::*;
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use std::time::Duration;
use tokio::sync::broadcast;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/evenements", get(events))
}

/// How often an open stream checks that its session still exists, when no
/// change came to make it check sooner.
pub const SESSION_CHECK: Duration = Duration::from_secs(30);

/// `GET /api/v1/evenements`: one `changement` event (data: the new version)
/// each time the data the caller's pages show changed — its tribunal's
/// professionals and measures for a judge or greffier, its own capacity and
/// measures for a professional; a change elsewhere is not told. For the
/// people whose pages follow changes, and only while their session lives: a
/// signed-out, expired or deactivated session ends its streams at the next
/// change that concerns them, or within [`SESSION_CHECK`].
async fn events(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
) -> Result<Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>>, AppError> {
    use crate::accounts::guard::Scope;
    if !super::follows_changes(caller.role) {
        return Err(AppError::Interdit);
    }
    let portee = match &caller.scope {
        Scope::Tribunal { tribunal_id, departement_code } => {
            Portee::Tribunal { tribunal_id: *tribunal_id, departement_code: departement_code.clone() }
        }
        Scope::Gestionnaire { gestionnaire_id, .. } => Portee::Gestionnaire(*gestionnaire_id),
        _ => return Err(AppError::Interdit),
    };
    let token = crate::accounts::session::token_from_headers(&headers).ok_or(AppError::NonConnecte)?;
    let vu = state.diffusion.empreinte(&state, &portee, caller.search_version).await?;
    let receiver = state.diffusion.0.subscribe();
    let stream = Flux { receiver, state, token, portee, vu };
    let stream = futures_util::stream::unfold(stream, |mut flux| async move {
        loop {
            let received = tokio::time::timeout(SESSION_CHECK, flux.receiver.recv()).await;
            let version = match received {
                // The server is stopping: end the stream so that it can.
                Ok(Ok(version)) if version == CLOSING => return None,
                Ok(Ok(version)) => Some(version),
                // A slow page missed some notices: the next one tells it all.
                Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
                Ok(Err(broadcast::error::RecvError::Closed)) => return None,
                Err(_) => None,
            };
            let Some(mut version) = version else {
                // No change for a while: is the session still there?
                if !flux.session_lives().await {
                    return None;
                }
                continue;
            };
            // Notices queued meanwhile: the newest tells it all.
            loop {
                match flux.receiver.try_recv() {
                    Ok(newer) if newer == CLOSING => return None,
                    Ok(newer) => version = version.max(newer),
                    Err(broadcast::error::TryRecvError::Lagged(_)) => continue,
                    Err(_) => break,
                }
            }
            // The session is checked before anything is told (not for the
            // changes that do not concern the page: thousands of open pages
            // would each read their session at every change).
            if flux.concerned(version).await {
                if !flux.session_lives().await {
                    return None;
                }
                return Some((Ok(Event::default().event("changement").data(version.to_string())), flux));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))))
}

/// One open stream: its relay of notices, the session it serves, and the
/// digest of what its page saw last.
struct Flux {
    receiver: broadcast::Receiver<i64>,
    state: AppState,
    token: String,
    portee: Portee,
    vu: u64,
}

impl Flux {
    /// Whether the stream's session is still open (a database that cannot
    /// answer keeps the stream: the page learns nothing meanwhile).
    async fn session_lives(&self) -> bool {
        !matches!(crate::accounts::guard::caller_from_token(&self.state.db, &self.token).await, Ok(None))
    }

    /// Whether the change to `version` concerns this page (when it cannot be
    /// told, it is told: a page reloading once too often loses nothing).
    async fn concerned(&mut self, version: i64) -> bool {
        match self.state.diffusion.empreinte(&self.state, &self.portee, version).await {
            Ok(digest) if digest == self.vu => false,
            Ok(digest) => {
                self.vu = digest;
                true
            }
            Err(_) => true,
        }
    }
}
