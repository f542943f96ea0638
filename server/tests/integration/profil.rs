//! A professional's profile, on SQLite and PostgreSQL: contact, address placed
//! through the commune table, natures, competences and preferred tribunals —
//! refused fields change nothing, tribunals only where it is approved, a
//! service's profile by its admins only, and the judges' search sees the result.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, get, login};
use common::{count, send};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::Value;

fn post(cookie: &str, form: &[(&str, &str)]) -> Request<Body> {
    Request::post("/mandataire/profil")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(form).expect("formulaire")))
        .expect("requête")
}

fn load(cookie: &str) -> Request<Body> {
    Request::post("/api/fn/load_profil")
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::empty())
        .expect("requête")
}

const GOOD: [(&str, &str); 9] = [
    ("email", " cabinet.martin@exemple.fr "),
    ("telephone", "+33 3 20 99 88 77"),
    ("adresse", "5 place du Trichon"),
    ("commune", "Roubaix (59100)"),
    ("natures", "tutelle"),
    ("natures", "curatelle_renforcee"),
    ("competences", "anglais"),
    ("autres_competences", "néerlandais"),
    ("tribunaux", "1"),
];

/// The gestionnaire's stored profile: (email, téléphone, commune, code postal, natures, compétences).
async fn stored(db: &DatabaseConnection, id: i32) -> (String, String, String, String, String, String) {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT email, telephone, commune_code, code_postal, natures_acceptees, competences FROM gestionnaires WHERE id = {id}"
            ),
        ))
        .await
        .expect("lecture")
        .expect("ligne");
    let get = |c: &str| row.try_get::<String>("", c).expect(c);
    (get("email"), get("telephone"), get("commune_code"), get("code_postal"), get("natures_acceptees"), get("competences"))
}

fn ids(results: &Value) -> Vec<i64> {
    results["resultats"].as_array().expect("résultats").iter().filter_map(|r| r["id"].as_i64()).collect()
}

#[tokio::test]
async fn a_professional_keeps_its_profile_and_the_judges_see_it() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let martin = login(&app, "martin@exemple.fr").await;
        let juge = login(&app, "juge.lille@exemple.fr").await;

        // Only the tribunals of the départements where Martin is approved (Nord).
        let (status, _, body) = send(&app, load(&martin)).await;
        assert_eq!(status, 200, "{b}: {body}");
        let profil: Value = serde_json::from_str(&body).expect("json");
        let offered: Vec<i64> = profil["tribunaux"].as_array().expect("tribunaux").iter().filter_map(|t| t["id"].as_i64()).collect();
        assert_eq!(offered, [1], "{b}: {profil}");
        assert_eq!(profil["natures"].as_array().map(Vec::len), Some(9), "{b}: every nature by default");

        // Refused: each bad field named in the redirect, nothing written.
        let before = stored(&t.db, 1).await;
        let audit_before = count(&t.db, "audit_events").await;
        let mut bad = GOOD.to_vec();
        bad[0] = ("email", "cabinet.martin");
        bad[1] = ("telephone", "12");
        bad[3] = ("commune", "Atlantide");
        let (status, headers, _) = send(&app, post(&martin, &bad)).await;
        let location = crate::common::where_sent(&headers);
        assert_eq!(status, 303, "{b}: {location}");
        assert!(
            location.starts_with("/mandataire/profil?") && location.contains("erreur_email=") && location.contains("erreur_telephone="),
            "{b}: {location}"
        );
        assert!(location.contains("natures=tutelle&natures=curatelle_renforcee"), "{b}: ticked boxes sent back: {location}");
        let mut unknown_town = GOOD.to_vec();
        unknown_town[3] = ("commune", "Atlantide");
        let (_, headers, _) = send(&app, post(&martin, &unknown_town)).await;
        assert!(crate::common::where_sent(&headers).contains("erreur_commune="), "{b}");
        let mut arras = GOOD.to_vec();
        arras[8] = ("tribunaux", "2");
        let (_, headers, _) = send(&app, post(&martin, &arras)).await;
        assert!(crate::common::where_sent(&headers).contains("erreur_tribunaux="), "{b}: not approved in the Pas-de-Calais");
        assert_eq!(stored(&t.db, 1).await, before, "{b}");
        assert_eq!(count(&t.db, "audit_events").await, audit_before, "{b}");

        // Saved: written one way, placed at Roubaix, Lille preferred, audited.
        let (status, headers, _) = send(&app, post(&martin, &GOOD)).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("location")), (303, "/mandataire/profil?fait=profil"), "{b}");
        assert_eq!(
            stored(&t.db, 1).await,
            (
                "cabinet.martin@exemple.fr".into(),
                "03 20 99 88 77".into(),
                "59512".into(),
                "59100".into(),
                "curatelle_renforcee,tutelle".into(),
                "anglais,néerlandais".into()
            ),
            "{b}"
        );
        assert_eq!(count(&t.db, "gestionnaire_tribunaux WHERE gestionnaire_id = 1 AND tribunal_id = 1").await, 1, "{b}");
        assert_eq!(count(&t.db, "audit_events WHERE action = 'gestionnaire.profil'").await, 1, "{b}");

        // The judges' search reads it at once.
        let (_, found) = get(&app, Some(&juge), "/api/v1/gestionnaires?nature=sauvegarde_justice&par_page=100").await;
        assert!(!ids(&found).contains(&1), "{b}: a nature Martin no longer accepts: {found}");
        let (_, found) = get(&app, Some(&juge), "/api/v1/gestionnaires?nature=tutelle&competence=neerlandais").await;
        assert_eq!(ids(&found), [1], "{b}: {found}");
        assert_eq!(found["resultats"][0]["prefere"], true, "{b}");
        assert_eq!(found["resultats"][0]["commune"], "Roubaix", "{b}");

        // A service: its admin may, a plain member may not (and only reads it).
        let admin = login(&app, "atmp.admin@exemple.fr").await;
        let membre = login(&app, "atmp.membre@exemple.fr").await;
        let (_, _, body) = send(&app, load(&membre)).await;
        let profil: Value = serde_json::from_str(&body).expect("json");
        assert_eq!(profil["modifiable"], false, "{b}");
        let offered = profil["tribunaux"].as_array().map(Vec::len);
        assert_eq!(offered, Some(2), "{b}: approved in the Nord and the Pas-de-Calais");
        let before = stored(&t.db, 3).await;
        let (status, _, _) = send(&app, post(&membre, &GOOD)).await;
        assert_eq!(status, 403, "{b}");
        assert_eq!(stored(&t.db, 3).await, before, "{b}");
        let mut service = GOOD.to_vec();
        service.push(("tribunaux", "2"));
        let (status, headers, _) = send(&app, post(&admin, &service)).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("location")), (303, "/mandataire/profil?fait=profil"), "{b}");
        assert_eq!(count(&t.db, "gestionnaire_tribunaux WHERE gestionnaire_id = 3").await, 2, "{b}");
        t.cleanup().await;
    }
}
