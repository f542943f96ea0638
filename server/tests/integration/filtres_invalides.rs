//! Every list's filters given nonsense — an impossible date, an unknown order,
//! a word for a page number — answer the page with a French message, never a
//! 500 (`/tribunal/mesures?du=…` gave one). Pages as browsers open them, on
//! SQLite and PostgreSQL.

use crate::common;
use common::nord::{fixture, get, login};

#[tokio::test]
async fn bad_filters_of_every_list_are_said_in_french() {
    for t in common::databases().await {
        let b = t.backend;
        fixture(&t.db).await;
        let ddets = common::nord::ddets_du_nord(&t.db).await;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let direction = login(&app, "ddets59@exemple.fr").await;
        for (cookie, uri, message) in [
            (&juge, "/tribunal/mesures?du=2026-02-30", "n'est pas une date"),
            (&juge, "/tribunal/mesures?au=hier&du=demain", "n'est pas une date"),
            (&juge, "/tribunal/mesures?tri=xyz", "inconnue"),
            (&juge, "/tribunal/mesures?page=deux", "page"),
            (&juge, "/tribunal/mesures?statut=perdue", "statut"),
            (&martin, "/mandataire/mesures?du=31/02/2026", "n'est pas une date"),
            (&martin, "/mandataire/mesures?nature=xyz", "nature"),
            (&juge, "/tribunal/recherche?tri=xyz", "tri"),
            (&juge, "/tribunal/recherche?rayon_km=-5", "rayon"),
            (&admin, "/admin/comptes?statut=xyz", "Statut inconnu"),
            (&admin, "/admin/comptes?role=roi", "Rôle inconnu"),
            (&admin, "/admin/journal?du=2026-13-01", "n'est pas une date"),
            (&direction, "/direction/journal?au=hier", "n'est pas une date"),
            (&direction, "/liste-blanche?type=xyz", "Type inconnu"),
        ] {
            let (status, body) = get(&app, Some(cookie), uri).await;
            let page = body.as_str().map(str::to_string).unwrap_or_else(|| body.to_string());
            assert!(status < 500, "{b}: {uri}: {status}");
            assert!(page.contains(message), "{b}: {uri}: « {message} » not said: {}", common::nord::excerpt(&page, "fr-alert"));
        }
        let _ = ddets;
        t.cleanup().await;
    }
}
