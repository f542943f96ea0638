//! The judge's search through `GET /api/v1/gestionnaires` and the commune
//! autocomplete, on SQLite and PostgreSQL: scope, filters, distance, sort orders,
//! availability, pagination, bad parameters, refusals.

mod common;

use axum::body::Body;
use axum::http::{header, Request};
use common::{insert_user, send, TEST_PASSWORD};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;

const NOW: &str = "'2026-11-20T10:00:00+00:00'";

/// Two régions, four départements, a few communes, two tribunaux, and six
/// gestionnaires (see each comment) with their approvals.
async fn fixture(db: &DatabaseConnection) {
    let sql = format!(
        "INSERT INTO regions (code, nom) VALUES ('32', 'Hauts-de-France'), ('11', 'Île-de-France');
         INSERT INTO departements (code, nom, region_code, chef_lieu) VALUES
           ('59', 'Nord', '32', '59350'), ('62', 'Pas-de-Calais', '32', '62041'), ('75', 'Paris', '11', '75056');
         INSERT INTO communes (code, nom, nom_recherche, departement_code, codes_postaux, population, latitude, longitude) VALUES
           ('59350', 'Lille', 'lille', '59', '59000,59800', 236710, 50.63194, 3.0575),
           ('59512', 'Roubaix', 'roubaix', '59', '59100', 98828, 50.6942, 3.1746),
           ('59183', 'Dunkerque', 'dunkerque', '59', '59140,59240', 86279, 51.0344, 2.3768),
           ('62041', 'Arras', 'arras', '62', '62000', 41555, 50.2910, 2.7775),
           ('75056', 'Paris', 'paris', '75', '75001', 2133111, 48.8566, 2.3522),
           ('59546', 'Saint-Amand-les-Eaux', 'saint amand les eaux', '59', '59230', 16000, 50.4486, 3.4275);
         INSERT INTO communes_codes_postaux (code_postal, commune_code) VALUES
           ('59000', '59350'), ('59800', '59350'), ('59100', '59512'), ('59140', '59183'), ('59240', '59183'),
           ('62000', '62041'), ('75001', '75056'), ('59230', '59546');
         INSERT INTO tribunaux (id, nom, type, adresse, code_postal, ville, commune_code, departement_code, latitude, longitude, demo, created_at, updated_at) VALUES
           (1, 'Tribunal judiciaire de Lille', 'tribunal_judiciaire', '13 avenue du Peuple Belge', '59000', 'Lille', '59350', '59', 50.64, 3.06, true, {NOW}, {NOW}),
           (2, 'Tribunal judiciaire d''Arras', 'tribunal_judiciaire', 'Place des Etats d''Artois', '62000', 'Arras', '62041', '62', 50.29, 2.77, true, {NOW}, {NOW});
         INSERT INTO etablissements (id, nom, type_etablissement, adresse, code_postal, commune_code, departement_code, latitude, longitude) VALUES
           (1, 'CHU de Lille', 'etablissement_hospitalier', '2 avenue Oscar Lambret', '59000', '59350', '59', 50.61, 3.03);
         INSERT INTO liste_blanche (id, type, nom, prenom, created_at, updated_at) VALUES
           (1, 'individuel', 'Martin', 'Alice', {NOW}, {NOW}), (2, 'individuel', 'Petit', 'Bruno', {NOW}, {NOW}),
           (3, 'service', 'ATMP Nord', NULL, {NOW}, {NOW}), (4, 'prepose', 'Durand', 'Chloé', {NOW}, {NOW}),
           (5, 'individuel', 'Robert', 'Denis', {NOW}, {NOW});
         INSERT INTO liste_blanche_departements (liste_blanche_id, departement_code, financeur) VALUES
           (1, '59', true), (2, '62', true), (3, '59', true), (3, '62', false), (5, '75', true);
         INSERT INTO liste_blanche_etablissements (liste_blanche_id, etablissement_id) VALUES (4, 1);"
    );
    db.execute_unprepared(&sql).await.expect("géographie et agréments");
    // (id, type, nom, prenom, liste blanche, commune, dép, lat, lon, max, en cours, en attente, suspendu, natures, compétences)
    let gestionnaires = [
        (1, "individuel", "Martin", "'Alice'", "1", "59350", "59", 50.6319, 3.0575, 10, 5, 1, false, "", "anglais"),
        (2, "individuel", "Petit", "'Bruno'", "2", "62041", "62", 50.2910, 2.7775, 10, 10, 2, false, "", ""),
        (3, "service", "ATMP Nord", "NULL", "3", "59512", "59", 50.6942, 3.1746, 100, 45, 0, false, "", "langue des signes"),
        (4, "prepose", "Durand", "'Chloé'", "4", "59350", "59", 50.6319, 3.0575, 20, 0, 0, true, "tutelle", ""),
        (5, "individuel", "Robert", "'Denis'", "5", "75056", "75", 48.8566, 2.3522, 30, 0, 0, false, "", ""),
        (6, "individuel", "Sans Agrément", "'Eve'", "NULL", "59350", "59", 50.6319, 3.0575, 30, 0, 0, false, "", ""),
    ];
    for (id, kind, nom, prenom, lb, commune, dep, lat, lon, max, en_cours, en_attente, suspendu, natures, competences) in gestionnaires {
        db.execute_unprepared(&format!(
            "INSERT INTO gestionnaires (id, type, nom, prenom, siret, email, telephone, suspendu, natures_acceptees, competences,
               liste_blanche_id, created_at, updated_at, adresse, code_postal, commune_code, departement_code, latitude, longitude,
               mesures_max, en_cours, en_attente, derniere_mise_a_jour)
             VALUES ({id}, '{kind}', '{nom}', {prenom}, '1234567890000{id}', 'g{id}@exemple.fr', '0320000000', {suspendu}, '{natures}', '{competences}',
               {lb}, {NOW}, {NOW}, '1 rue de la Gare', '59000', '{commune}', '{dep}', {lat}, {lon}, {max}, {en_cours}, {en_attente}, {NOW})"
        ))
        .await
        .expect("gestionnaire");
    }
    // The service's antennes: Dunkerque (Nord) and Arras (Pas-de-Calais).
    db.execute_unprepared(&format!(
        "INSERT INTO antennes (id, gestionnaire_id, nom, created_at, updated_at, adresse, code_postal, commune_code, departement_code,
           latitude, longitude, mesures_max, en_cours, en_attente, derniere_mise_a_jour) VALUES
           (1, 3, 'Antenne de Dunkerque', {NOW}, {NOW}, '3 quai', '59140', '59183', '59', 51.0344, 2.3768, 30, 25, 0, {NOW}),
           (2, 3, 'Antenne d''Arras', {NOW}, {NOW}, '4 place', '62000', '62041', '62', 50.2910, 2.7775, 40, 20, 0, {NOW});
         INSERT INTO gestionnaire_tribunaux (gestionnaire_id, tribunal_id) VALUES (2, 1);"
    ))
    .await
    .expect("antennes");
    for (email, role, tribunal) in [
        ("juge.lille@exemple.fr", "magistrat", 1),
        ("greffe.lille@exemple.fr", "greffier", 1),
        ("juge.arras@exemple.fr", "magistrat", 2),
    ] {
        let id = insert_user(db, email, role, true).await;
        let table = if role == "magistrat" { "magistrats" } else { "greffiers" };
        db.execute_unprepared(&format!("INSERT INTO {table} (user_id, tribunal_id) VALUES ({id}, {tribunal})"))
            .await
            .expect("rattachement");
    }
    insert_user(db, "admin@exemple.fr", "admin", true).await;
    // PostgreSQL sequences do not move on explicit ids.
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        for table in ["tribunaux", "etablissements", "liste_blanche", "gestionnaires", "antennes"] {
            db.execute_unprepared(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                .await
                .expect("séquence");
        }
    }
}

async fn login(app: &axum::Router, email: &str) -> String {
    let request = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::json!({ "email": email, "password": TEST_PASSWORD }).to_string()))
        .expect("requête");
    let (status, headers, body) = send(app, request).await;
    assert_eq!(status, 200, "{body}");
    headers[header::SET_COOKIE].to_str().expect("ascii").split(';').next().expect("cookie").to_string()
}

async fn get(app: &axum::Router, cookie: Option<&str>, uri: &str) -> (u16, Value) {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let (status, _, body) = send(app, request.body(Body::empty()).expect("requête")).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
}

fn ids(page: &Value) -> Vec<i64> {
    page["resultats"].as_array().expect("résultats").iter().map(|r| r["id"].as_i64().expect("id")).collect()
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort();
    v
}

#[tokio::test]
async fn scope_comes_from_the_session_and_text_never_escapes_it() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let greffe = login(&app, "greffe.lille@exemple.fr").await;
        let arras = login(&app, "juge.arras@exemple.fr").await;
        let b = t.backend;

        let (status, page) = get(&app, Some(&lille), "/api/v1/gestionnaires").await;
        assert_eq!(status, 200, "{b}: {page}");
        assert_eq!(sorted(ids(&page)), [1, 2, 3, 4], "{b}: Nord approvals + Bruno who prefers Lille; never the unapproved one");
        assert_eq!(page["total"], 4);
        let bruno = page["resultats"].as_array().expect("a").iter().find(|r| r["id"] == 2).expect("Bruno").clone();
        assert_eq!(bruno["prefere"], true);
        let (_, same) = get(&app, Some(&greffe), "/api/v1/gestionnaires").await;
        assert_eq!(sorted(ids(&same)), [1, 2, 3, 4], "{b}: a greffier has the judges' scope");
        let (_, page) = get(&app, Some(&arras), "/api/v1/gestionnaires").await;
        assert_eq!(sorted(ids(&page)), [2, 3], "{b}");
        assert!(page["resultats"].as_array().expect("a").iter().all(|r| r["prefere"] == false));

        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?perimetre=departement:75").await;
        assert_eq!(ids(&page), [5], "{b}");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?perimetre=national&tri=nom").await;
        assert_eq!(ids(&page), [3, 4, 1, 2, 5], "{b}: by family name (ATMP, Durand, Martin, Petit, Robert)");

        // Free text stays inside the scope: Denis Robert (Paris) is not found from Lille by default.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?q=robert").await;
        assert_eq!(page["total"], 0, "{b}");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?q=robert&perimetre=national").await;
        assert_eq!(ids(&page), [5], "{b}");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?q=ROUBAIX").await;
        assert_eq!(ids(&page), [3], "{b}: the town is searched too");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?q=12345678900001").await;
        assert_eq!(ids(&page), [1], "{b}: and the SIRET");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn distance_availability_filters_sort_and_pages() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let b = t.backend;

        // From Lille: distance is the default order; a service is as near as its nearest office.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?commune=59350").await;
        assert_eq!(ids(&page), [4, 1, 3, 2], "{b}: 0 km (Durand, Martin by name), Roubaix, Arras");
        let r = page["resultats"].as_array().expect("a");
        assert_eq!(r[0]["distance_km"], 0.0);
        let roubaix = r[2]["distance_km"].as_f64().expect("km");
        assert!((9.0..11.0).contains(&roubaix), "{b}: Lille–Roubaix {roubaix}");
        let arras = r[3]["distance_km"].as_f64().expect("km");
        assert!((40.0..46.0).contains(&arras), "{b}: Lille–Arras {arras}");
        // From Dunkerque the service's antenne there makes it the nearest.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?commune=59183").await;
        assert_eq!(ids(&page)[0], 3, "{b}");
        assert_eq!(page["resultats"][0]["distance_km"], 0.0);
        // Without a commune there is no distance.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires").await;
        assert!(page["resultats"].as_array().expect("a").iter().all(|r| r["distance_km"].is_null()));

        // Availability: Martin 10−5−1 = 4; Petit 10−10−2 = −2 (over capacity); Durand suspended.
        let by_id = |page: &Value, id: i64| page["resultats"].as_array().expect("a").iter().find(|r| r["id"] == id).cloned().expect("id");
        assert_eq!(by_id(&page, 1)["disponibles"], 4);
        assert_eq!(by_id(&page, 2)["disponibles"], -2);
        assert_eq!(by_id(&page, 4)["disponibles"], 0, "{b}: a suspended capacity counts as 0");
        assert_eq!(by_id(&page, 4)["suspendu"], true);
        // The service in Nord: its Dunkerque antenne (30 − 25 = 5), and the global figure 100 − 45 = 55.
        let service = by_id(&page, 3);
        assert_eq!(service["disponibles"], 55);
        assert_eq!(service["dans_departement"]["disponibles"], 5, "{b}: {service}");
        assert_eq!(ids(&page), [3, 1, 2, 4], "{b}: by availability here (5, 4, −2), suspended last");

        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?disponible=true").await;
        assert_eq!(ids(&page), [3, 1], "{b}: neither over capacity nor suspended");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?nature=curatelle_renforcee").await;
        assert_eq!(sorted(ids(&page)), [1, 2, 3], "{b}: Durand only accepts tutelle");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?nature=tutelle").await;
        assert_eq!(sorted(ids(&page)), [1, 2, 3, 4], "{b}");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?competence=Langue%20des%20Signes").await;
        assert_eq!(ids(&page), [3], "{b}");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?type=individuel").await;
        assert_eq!(sorted(ids(&page)), [1, 2], "{b}");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?commune=59350&rayon_km=20").await;
        assert_eq!(ids(&page), [4, 1, 3], "{b}: Arras is beyond 20 km");

        // Pages.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?commune=59350&par_page=3&page=2").await;
        assert_eq!((page["total"].as_i64(), page["page"].as_i64(), page["par_page"].as_i64()), (Some(4), Some(2), Some(3)));
        assert_eq!(ids(&page), [2], "{b}");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?page=9").await;
        assert_eq!((page["total"].as_i64(), ids(&page).len()), (Some(4), 0));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn bad_parameters_and_other_roles_are_refused() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let b = t.backend;
        let (status, body) = get(&app, None, "/api/v1/gestionnaires").await;
        assert_eq!(status, 401, "{b}: {body}");
        let (status, body) = get(&app, Some(&admin), "/api/v1/gestionnaires").await;
        assert_eq!(status, 403, "{b}: {body}");
        for (query, parameter) in [
            ("type=notaire", "type"),
            ("tri=prix", "tri"),
            ("perimetre=departement:99", "perimetre"),
            ("commune=99999", "commune"),
            ("par_page=500", "par_page"),
            ("disponible=oui", "disponible"),
            ("type=individuel&type=service", "Paramètres"),
        ] {
            let (status, body) = get(&app, Some(&lille), &format!("/api/v1/gestionnaires?{query}")).await;
            assert_eq!(status, 400, "{b}: {query}");
            assert!(body["erreur"].as_str().expect("message").contains(parameter), "{b}: {query} → {body}");
        }
        let (status, _) = get(&app, None, "/api/v1/communes?q=lil").await;
        assert_eq!(status, 401);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn commune_autocomplete_by_name_or_postal_code() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let b = t.backend;
        let names = |v: &Value| -> Vec<String> {
            v.as_array().expect("tableau").iter().map(|c| c["nom"].as_str().expect("nom").to_string()).collect()
        };
        let (status, found) = get(&app, Some(&lille), "/api/v1/communes?q=LIL").await;
        assert_eq!(status, 200);
        assert_eq!(names(&found), ["Lille"], "{b}");
        assert_eq!(found[0]["code"], "59350");
        assert_eq!(found[0]["codes_postaux"], serde_json::json!(["59000", "59800"]));
        assert_eq!(found[0]["departement"], "59");
        let (_, found) = get(&app, Some(&lille), "/api/v1/communes?q=st%20amand").await;
        assert_eq!(names(&found), ["Saint-Amand-les-Eaux"], "{b}: st = saint");
        let (_, found) = get(&app, Some(&lille), "/api/v1/communes?q=amand").await;
        assert_eq!(names(&found), ["Saint-Amand-les-Eaux"], "{b}: a word inside the name");
        let (_, found) = get(&app, Some(&lille), "/api/v1/communes?q=59100").await;
        assert_eq!(names(&found), ["Roubaix"], "{b}");
        let (_, found) = get(&app, Some(&lille), "/api/v1/communes?q=59").await;
        assert_eq!(names(&found), ["Lille", "Roubaix", "Dunkerque", "Saint-Amand-les-Eaux"], "{b}: most populated first");
        let (_, found) = get(&app, Some(&lille), "/api/v1/communes?q=").await;
        assert_eq!(found, serde_json::json!([]));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn one_professional_and_the_openapi_document() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let b = t.backend;
        let (status, fiche) = get(&app, Some(&lille), "/api/v1/gestionnaires/3").await;
        assert_eq!(status, 200, "{b}: {fiche}");
        assert_eq!(fiche["nom"], "ATMP Nord");
        assert_eq!(fiche["antennes"].as_array().map(Vec::len), Some(2));
        assert_eq!(fiche["competences"], serde_json::json!(["langue des signes"]));
        let (status, _) = get(&app, Some(&lille), "/api/v1/gestionnaires/6").await;
        assert_eq!(status, 404, "{b}: a professional without approval is not shown");
        let (status, body) = get(&app, Some(&lille), "/api/v1/gestionnaires/abc").await;
        assert_eq!(status, 400, "{b}: {body}");
        let (status, _) = get(&app, Some(&admin), "/api/v1/gestionnaires/3").await;
        assert_eq!(status, 403);
        let (status, _) = get(&app, None, "/api/v1/gestionnaires/3").await;
        assert_eq!(status, 401);
        t.cleanup().await;
    }
    let t = common::sqlite().await;
    let app = common::app(&t.db);
    let (status, doc) = get(&app, None, "/api/openapi.json").await;
    assert_eq!(status, 200);
    for path in ["/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/gestionnaires", "/api/v1/gestionnaires/{id}", "/api/v1/communes"] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    let parameters = doc["paths"]["/api/v1/gestionnaires"]["get"]["parameters"].as_array().expect("paramètres").clone();
    let names: Vec<&str> = parameters.iter().filter_map(|p| p["name"].as_str()).collect();
    for name in ["commune", "nature", "competence", "type", "disponible", "rayon_km", "q", "perimetre", "tri", "page", "par_page"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let (status, _, page) = send(&app, Request::get("/api/docs/").body(Body::empty()).expect("req")).await;
    assert_eq!(status, 200, "browsable page");
    assert!(page.contains("swagger"), "{page}");
    t.cleanup().await;
}
