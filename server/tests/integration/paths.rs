//! Paths are made canonical before any guard reads them, on SQLite and
//! PostgreSQL: `..`, `.` and doubled slashes — percent-encoded dots too — are
//! resolved by a permanent redirect to the path they mean, so a judge asking for
//! `/compte/../admin/journal` is led to `/admin/journal` and refused there, never
//! shown the administrators' page; encoded slashes and backslashes in a segment
//! are refused (400).

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login};
use common::send;

fn page(cookie: &str, uri: &str) -> Request<Body> {
    Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).expect("req")
}

#[tokio::test]
async fn a_path_with_dot_segments_never_opens_a_page_past_its_guard() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;

        for (uri, canonical) in [
            ("/compte/../admin/journal", "/admin/journal"),
            ("/compte/%2e%2e/admin/journal", "/admin/journal"),
            ("/compte/%2E./admin/journal?du=2026-01-01", "/admin/journal?du=2026-01-01"),
            ("/compte/.%2e/admin/journal", "/admin/journal"),
            ("/compte/./../admin//journal", "/admin/journal"),
            ("//admin/journal", "/admin/journal"),
            ("/tribunal/../../../admin", "/admin"),
            ("/compte/%2e/../admin/comptes/", "/admin/comptes/"),
        ] {
            let (status, headers, body) = send(&app, page(&juge, uri)).await;
            assert_eq!(status, 308, "{b}: {uri}: {body}");
            assert_eq!(headers[header::LOCATION].to_str().expect("ascii"), canonical, "{b}: {uri}");
            assert!(!body.contains("Journal d'audit") && !body.contains("Administration"), "{b}: {uri}");
            // Where it leads, the guard sends the judge home.
            let (status, headers, body) = send(&app, page(&juge, canonical)).await;
            assert_eq!(
                (status, headers.get(header::LOCATION).map(|l| l.to_str().expect("ascii"))),
                (303, Some("/tribunal")),
                "{b}: {canonical}: {body}"
            );
            // Writes too are sent to the path they mean (308 keeps the method).
            let post = Request::post(uri).header(header::COOKIE, &juge).body(Body::empty()).expect("req");
            assert_eq!(send(&app, post).await.0, 308, "{b}: POST {uri}");
        }
        // An administrator is led to the same page, and opens it there.
        let (status, headers, _) = send(&app, page(&admin, "/compte/../admin/journal")).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (308, "/admin/journal"), "{b}");
        let (status, _, body) = send(&app, page(&admin, "/admin/journal")).await;
        assert_eq!(status, 200, "{b}");
        assert!(body.contains("Journal d'audit"), "{b}");

        // A slash or backslash hidden in a segment has no canonical meaning here.
        for uri in ["/compte/..%2fadmin/journal", "/compte/..%2Fadmin", "/compte/..%5cadmin/journal", "/%5c%5cexemple.org/"] {
            let (status, headers, body) = send(&app, page(&juge, uri)).await;
            assert_eq!(status, 400, "{b}: {uri}: {body}");
            assert!(headers.get(header::LOCATION).is_none(), "{b}: {uri}");
            assert!(body.contains("Adresse"), "{b}: {uri}: {body}");
        }

        // Canonical paths are untouched.
        for uri in ["/tribunal", "/compte", "/tribunal/mesures?tri=rg", "/mot-de-passe-oublie"] {
            let (status, _, _) = send(&app, page(&juge, uri)).await;
            assert_eq!(status, 200, "{b}: {uri}");
        }
        t.cleanup().await;
    }
}
