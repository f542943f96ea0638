//! Server functions (`/api/fn/…`) given bad input, on SQLite and PostgreSQL:
//! an argument that does not parse (a number too large, a word for a number, a
//! missing one), a filter value unknown, a function that does not exist — each
//! is the caller's mistake, answered 400 with a French message, never 500.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login};
use common::send;

fn call(cookie: &str, name: &str, args: &str) -> Request<Body> {
    Request::post(format!("/api/fn/{name}"))
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(args.to_string()))
        .expect("req")
}

#[tokio::test]
async fn bad_arguments_of_server_functions_are_answered_400_in_french() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let query = |q: &str| serde_urlencoded::to_string([("query", q)]).expect("args");
        for (cookie, name, args, expected) in [
            (&juge, "load_mesure", "id=9223372036854775808".to_string(), "format attendu"),
            (&juge, "load_mesure", "id=-9223372036854775809".to_string(), "format attendu"),
            (&juge, "load_mesure", "id=abc".to_string(), "format attendu"),
            (&juge, "load_mesure", String::new(), "format attendu"),
            (&juge, "load_modification", "id=1e3".to_string(), "format attendu"),
            (&juge, "fiche_mandataire", "id=2147483648".to_string(), "format attendu"),
            (&juge, "modifier_note", "id=x&contenu=Bonjour".to_string(), "format attendu"),
            (&admin, "entree_liste_blanche", "id=9223372036854775808".to_string(), "format attendu"),
            (&juge, "load_mesures", query("tri=xyz"), "« xyz » inconnue"),
            (&juge, "load_mesures", query("page=0"), "page"),
            (&juge, "load_mesures", query("du=hier"), "jj/mm/aaaa"),
            (&juge, "rechercher", query("tri=xyz"), "tri"),
            (&admin, "comptes_admin", query("statut=xyz"), "Statut inconnu"),
            (&admin, "journal_admin", query("du=hier"), "jj/mm/aaaa"),
            (&juge, "n_existe_pas", String::new(), "Fonction inconnue"),
        ] {
            let (status, headers, body) = send(&app, call(cookie, name, &args)).await;
            assert_eq!(status, 400, "{b}: {name}({args}): {body}");
            assert!(body.contains(expected), "{b}: {name}({args}): {body}");
            let lower = body.to_lowercase();
            assert!(
                !["error", "deseriali", "expected", "missing", "failed", "could not"].iter().any(|w| lower.contains(w)),
                "{b}: {name}({args}): the message is French only: {body}"
            );
            // The page's own code reads the refusal as the application's error.
            if name != "n_existe_pas" {
                let error: app::errors::AppError = serde_json::from_str(&body).expect("AppError");
                assert_eq!(error.status_code(), 400, "{b}: {name}({args}): {error:?}");
                assert!(headers.contains_key("serverfnerror"), "{b}: {name}");
            }
        }
        // Another method than the function's own.
        let get = Request::get("/api/fn/load_mesure?id=1").header(header::COOKIE, &juge).body(Body::empty()).expect("req");
        let (status, _, body) = send(&app, get).await;
        assert_eq!(status, 400, "{b}: {body}");
        assert!(body.contains("méthode GET"), "{b}: {body}");
        // Refusals keep their own status: not signed in, not found.
        let (status, _, body) = send(&app, call("", "load_mesure", "id=1")).await;
        assert_eq!(status, 401, "{b}: {body}");
        let (status, _, body) = send(&app, call(&juge, "load_mesure", "id=999999")).await;
        assert_eq!(status, 404, "{b}: {body}");
        // Good arguments still work.
        let (status, _, body) = send(&app, call(&juge, "load_mesures", &query("tri=rg"))).await;
        assert_eq!(status, 200, "{b}: {body}");
        t.cleanup().await;
    }
}
