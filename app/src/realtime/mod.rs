//! Pages that follow capacity live: server-sent events.
//!
//! Every write that changes what judges and professionals see (measures and
//! their counters, capacity, suspension, antennes, approvals…) raises the
//! database's `search_version` in its own transaction (triggers, see the
//! migration `search_version`). On PostgreSQL that transaction also sends
//! `NOTIFY emjpm_changements` at its commit: each server process `LISTEN`s and
//! reads the new version at once (and every [`RELEVE`] all the same, in case a
//! notice was lost while its listening connection was down). On SQLite each
//! process reads the version every [`POLL`] — one tiny query per process,
//! whatever the number of open pages. Either way the process pushes an event to
//! the pages it serves when the version moved, so a change made through any
//! process, or by hand in the database, reaches the pages of every process.
//!
//! The browser side (`realtime.js`) keeps one `EventSource` per page and bumps a
//! counter that the pages' resources depend on, so they reload their data.

use leptos::prelude::*;

/// The counter of changes seen by this page (0 on the server and before the
/// first event). Resources that include it in their source reload on change.
#[derive(Clone, Copy)]
pub struct Changements(pub ReadSignal<u64>);

/// The current count of changes, tracked (0 when no counter is provided).
pub fn changements() -> u64 {
    use_context::<Changements>().map(|c| c.0.get()).unwrap_or(0)
}

/// Installs the counter at the root of the application.
pub fn provide_changements() {
    let (count, set_count) = signal(0u64);
    provide_context(Changements(count));
    provide_context(set_count);
}

/// Whose pages follow changes: judges, greffiers and professionals (search,
/// fiche, homes, lists of measures). Administrators' and directions' pages do
/// not, and get no stream.
pub fn follows_changes(role: crate::rules::roles::Role) -> bool {
    use crate::rules::roles::Role::*;
    matches!(role, Magistrat | Greffier | Individuel | Prepose | Service)
}

/// In the browser, once a user whose pages follow changes is signed in: opens
/// the page's event stream (once) and bumps the counter on every change.
/// Anonymous pages (sign-in) open none.
pub fn listen_when_signed_in(signed_in: bool) {
    #[cfg(feature = "hydrate")]
    if signed_in {
        if let Some(set_count) = use_context::<WriteSignal<u64>>() {
            js::listen(set_count);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = signed_in;
}

#[cfg(feature = "hydrate")]
mod js {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/realtime.js")]
    extern "C" {
        #[wasm_bindgen(js_name = ecouterChangements)]
        fn ecouter_changements(url: &str, callback: &Closure<dyn Fn()>);
    }

    pub fn listen(set_count: WriteSignal<u64>) {
        thread_local!(static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
        if LISTENING.with(|l| l.replace(true)) {
            return;
        }
        let callback = Closure::<dyn Fn()>::new(move || set_count.update(|n| *n += 1));
        ecouter_changements("/api/v1/evenements", &callback);
        // One listener for the page's whole life.
        callback.forget();
    }
}

#[cfg(feature = "ssr")]
mod diffusion;
#[cfg(feature = "ssr")]
mod handlers;
#[cfg(feature = "ssr")]
pub use diffusion::{watch, watch_every, Diffusion, CLOSING, POLL, RELEVE};
#[cfg(feature = "ssr")]
pub use handlers::{routes, SESSION_CHECK};
