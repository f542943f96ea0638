//! A professional with no place is said so before the judge reserves — on the
//! search's card, the fiche and the form, before their buttons — and no
//! negative number is ever shown: a suspended professional "ne prend plus de
//! mesures", one over capacity says by how much (SQLite and PostgreSQL).

use crate::common;
use common::nord::{excerpt, fixture, login, page_html};
use sea_orm::ConnectionTrait;

/// Whether `first` appears in `page`, before `then`.
fn before(page: &str, first: &str, then: &str) -> bool {
    matches!((page.find(first), page.find(then)), (Some(a), Some(b)) if a < b)
}

#[tokio::test]
async fn no_place_is_said_before_reserving_and_nothing_negative_is_shown() {
    for t in common::databases().await {
        let b = t.backend;
        fixture(&t.db).await;
        // Durand is suspended with 7 measures in progress (shown "7 / 0,
        // Disponibles −7" before); Petit is 2 over its capacity (10 / 10, 2 pending).
        t.db.execute_unprepared("UPDATE gestionnaires SET en_cours = 7 WHERE id = 4").await.expect("durand");
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;

        let durand = page_html(&app, &juge, "/tribunal/mandataires/4").await;
        assert!(durand.contains("7 / ne prend plus de mesures"), "{b}: {}", excerpt(&durand, "En cours"));
        assert!(durand.contains("aucune : ne prend plus de mesures"), "{b}: {}", excerpt(&durand, "Disponibles"));
        assert!(!durand.contains("−7") && !durand.contains(">-7<"), "{b}: nothing negative");
        assert!(before(&durand, "avertissement-capacite", "Réserver une mesure"), "{b}: said before the button");
        let form = page_html(&app, &juge, "/tribunal/mandataires/4/reserver").await;
        assert!(
            before(&form, "Ce mandataire ne prend plus de mesures", "<form method=\"post\" action=\"/tribunal/mandataires/"),
            "{b}: the form too: {}",
            excerpt(&form, "fr-alert")
        );

        let petit = page_html(&app, &juge, "/tribunal/mandataires/2").await;
        assert!(petit.contains("aucune (2 au-delà de la capacité)"), "{b}: {}", excerpt(&petit, "Disponibles"));
        assert!(!petit.contains(">-2<"), "{b}: nothing negative");
        assert!(before(&petit, "(2 mesures de trop)", "Réserver une mesure"), "{b}: {}", excerpt(&petit, "avertissement"));
        let form = page_html(&app, &juge, "/tribunal/mandataires/2/reserver").await;
        assert!(
            before(&form, "(2 mesures de trop)", "<form method=\"post\" action=\"/tribunal/mandataires/"),
            "{b}: {}",
            excerpt(&form, "fr-alert")
        );
        // A professional with places gets no warning.
        let martin = page_html(&app, &juge, "/tribunal/mandataires/1/reserver").await;
        assert!(!martin.contains("avertissement-capacite"), "{b}");

        // The search's card: the suspended one says it, with no negative number.
        let search = page_html(&app, &juge, "/tribunal/recherche?lieu=Lille&commune=59350").await;
        let card = &search[search.find("Durand").unwrap_or_else(|| panic!("{b}: Durand listed"))..];
        let card = &card[..card.find("</li>").unwrap_or(card.len())];
        assert!(card.contains("aucune : ne prend plus de mesures") && !card.contains(">-7<"), "{b}: {card}");
        t.cleanup().await;
    }
}
