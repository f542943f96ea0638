//! A form sent twice at once (a double click, a retried request) creates one
//! record: an observation, an état, an antenne. Both sendings run in parallel;
//! SQLite and PostgreSQL. (A double click on "Ajouter l'observation" saved two
//! notes.)

use crate::common;
use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login, send_json};
use common::{count, send};
use serde_json::json;

fn form(cookie: &str, uri: &str, fields: &[(&str, &str)]) -> Request<Body> {
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(fields).expect("formulaire")))
        .expect("requête")
}

#[tokio::test]
async fn a_form_sent_twice_at_once_creates_one_record() {
    for t in common::databases().await {
        let b = t.backend;
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        let atmp = login(&app, "atmp.admin@exemple.fr").await;

        // An observation, twice at once: one note; another text is another note.
        let note = [("gestionnaire_id", "1"), ("contenu", "Très réactive au téléphone.")];
        let (a, b2) =
            tokio::join!(send(&app, form(&juge, "/api/fn/ajouter_note", &note)), send(&app, form(&juge, "/api/fn/ajouter_note", &note)));
        assert_eq!((a.0, b2.0), (200, 200), "{b}: both answered as saved: {} / {}", a.2, b2.2);
        assert_eq!(count(&t.db, "notes").await, 1, "{b}: one note");
        let other = [("gestionnaire_id", "1"), ("contenu", "Absente en août.")];
        assert_eq!(send(&app, form(&juge, "/api/fn/ajouter_note", &other)).await.0, 200, "{b}");
        assert_eq!(count(&t.db, "notes").await, 2, "{b}: a different text is a new note");

        // An état, twice at once: one état.
        let demande =
            json!({ "gestionnaire_id": 1, "numero_rg": "26/00088", "civilite": "madame", "annee_naissance": 1950, "nature": "tutelle" });
        let (status, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", demande).await;
        assert_eq!(status, 201, "{b}: {body}");
        let id = body["id"].as_i64().expect("id");
        let acceptation = json!({ "date_nomination": "2026-11-02", "lieu_vie": "domicile", "commune": "59512" });
        let (status, body) = send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{id}/acceptation"), acceptation).await;
        assert_eq!(status, 200, "{b}: {body}");
        let etats = count(&t.db, &format!("mesure_etats WHERE mesure_id = {id}")).await;
        let etat = json!({ "date_changement": "2026-11-20", "nature": "curatelle_simple", "lieu_vie": "sdf" });
        let uri = format!("/api/v1/mesures/{id}/etats");
        let (a, b2) = tokio::join!(
            send_json(&app, Some(&martin), "POST", &uri, etat.clone()),
            send_json(&app, Some(&martin), "POST", &uri, etat.clone())
        );
        assert!(a.0 < 300 && b2.0 < 300, "{b}: {a:?} / {b2:?}");
        assert_eq!(count(&t.db, &format!("mesure_etats WHERE mesure_id = {id}")).await, etats + 1, "{b}: one état");

        // An antenne, twice at once: one antenne, the other sending told why.
        let antenne = [("nom", "Antenne de Lille"), ("adresse", "8 rue Solférino"), ("commune", "Lille (59800)"), ("mesures_max", "10")];
        let before = count(&t.db, "antennes").await;
        let (a, b2) = tokio::join!(
            send(&app, form(&atmp, "/mandataire/antennes", &antenne)),
            send(&app, form(&atmp, "/mandataire/antennes", &antenne))
        );
        assert_eq!(count(&t.db, "antennes").await, before + 1, "{b}: one antenne");
        let locations: Vec<String> = [&a, &b2].iter().map(|r| crate::common::where_sent(&r.1)).collect();
        assert!(locations.iter().any(|l| l.contains("fait=ajoutee")), "{b}: {locations:?}");
        assert!(locations.iter().any(|l| l.contains("erreur_nom=")), "{b}: {locations:?}");
        // Renaming another antenne to that name is refused too (case and accents aside).
        let (_, headers, _) = send(
            &app,
            form(
                &atmp,
                "/mandataire/antennes/1",
                &[("nom", "ANTENNE DE LILLE"), ("adresse", "3 quai"), ("commune", "Dunkerque (59140)"), ("mesures_max", "30")],
            ),
        )
        .await;
        let location = crate::common::where_sent(&headers);
        assert!(location.contains("erreur_nom="), "{b}: {location}");
        t.cleanup().await;
    }
}
