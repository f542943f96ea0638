//! The pages every State service has, open to anyone, and linked from every
//! footer: the presentation at `/` (a visitor was sent to the sign-in form),
//! the accessibility statement, the legal notice, the site map, the personal
//! data page with its controller, DPO and rights; `robots.txt` lets only those
//! be indexed.

use crate::common;
use axum::body::Body;
use axum::http::{header, Request};
use common::send;

async fn anonymous(app: &axum::Router, uri: &str) -> (u16, String) {
    let (status, _, body) = send(app, Request::get(uri).body(Body::empty()).expect("req")).await;
    (status, body)
}

#[tokio::test]
async fn every_visitor_reads_the_services_public_pages() {
    let t = common::sqlite().await;
    let app = common::app(&t.db);
    let (status, home) = anonymous(&app, "/").await;
    assert_eq!(status, 200, "a presentation, not a redirect: {home}");
    assert!(home.contains("<h1>e-MJPM</h1>") && home.contains(r#"href="/inscription""#) && home.contains(r#"href="/connexion""#));
    for (uri, words) in [
        ("/accessibilite", &["Déclaration d'accessibilité", "non conforme", "Défenseur des droits", "Libre réponse 71120"][..]),
        (
            "/mentions-legales",
            &["Mentions légales", "Direction générale de la cohésion sociale", "Directeur de la publication", "Hébergement"][..],
        ),
        ("/plan-du-site", &["Plan du site", r#"href="/tribunal/recherche""#, r#"href="/accessibilite""#][..]),
        ("/donnees-personnelles", &["Responsable du traitement", "Délégué à la protection des données", "rectification", "CNIL"][..]),
    ] {
        let (status, page) = anonymous(&app, uri).await;
        assert_eq!(status, 200, "{uri}");
        let text = page.replace("<!>", "").replace("&#x27;", "'").replace("&#39;", "'");
        for word in words {
            assert!(text.contains(word), "{uri}: « {word} »");
        }
        // The DSFR footer links the mandatory pages.
        for link in ["/accessibilite", "/mentions-legales", "/donnees-personnelles", "/plan-du-site"] {
            let footer = &page[page.find("fr-footer__bottom-list").unwrap_or(0)..];
            assert!(footer.contains(&format!(r#"href="{link}""#)), "{uri}: footer link {link}: {}", &footer[..footer.len().min(900)]);
        }
    }
    let (status, headers, robots) = send(&app, Request::get("/robots.txt").body(Body::empty()).expect("req")).await;
    assert_eq!(status, 200);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap_or_default().starts_with("text/plain"));
    assert!(robots.contains("Allow: /accessibilite$") && robots.ends_with("Disallow: /\n"), "{robots}");
    // Private pages still send a visitor to the sign-in form.
    let (status, headers, _) = send(&app, Request::get("/tribunal").body(Body::empty()).expect("req")).await;
    assert_eq!((status, headers[header::LOCATION].to_str().unwrap_or_default()), (303, "/connexion"));
    t.cleanup().await;
}
