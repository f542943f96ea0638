//! Pages render while another copy of the application is being built in the
//! same process (each test builds its own; a deployment may build several).
//!
//! Building the application walks its routes, and Leptos suspends every
//! resource whose first poll falls inside that walk — for good (a page
//! rendered at that moment never answered: 408 after 30 s, seen once in the
//! access matrix). The route list is therefore walked once per process.

use crate::common;
use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

#[tokio::test]
async fn a_page_renders_while_another_application_is_built() {
    let t = common::sqlite().await;
    fixture(&t.db).await;
    let app = common::app(&t.db);
    let cookie = login(&app, "martin@exemple.fr").await;

    // Another thread builds applications without a pause while pages render.
    let building = Arc::new(AtomicBool::new(true));
    let builder = {
        let building = Arc::clone(&building);
        let db = t.db.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            let _context = runtime.enter();
            let mut built = 0u32;
            while building.load(Ordering::Relaxed) {
                drop(common::app(&db));
                built += 1;
            }
            built
        })
    };
    let mut statuses = Vec::new();
    for _ in 0..40 {
        let request = Request::get("/mandataire/capacite").header(header::COOKIE, &cookie).body(Body::empty()).expect("requête");
        let response = app.clone().oneshot(request).await.expect("réponse");
        statuses.push(response.status().as_u16());
        if response.status() != 200 {
            break;
        }
    }
    building.store(false, Ordering::Relaxed);
    let built = builder.join().expect("construction");
    assert!(built > 0, "aucune application construite pendant les rendus");
    assert!(statuses.iter().all(|s| *s == 200), "rendus pendant la construction : {statuses:?}");
    t.cleanup().await;
}
