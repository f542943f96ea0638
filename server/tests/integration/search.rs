//! The judge's search through `GET /api/v1/gestionnaires` and the commune
//! autocomplete, on SQLite and PostgreSQL: scope, filters, distance, sort orders,
//! availability, pagination, bad parameters, refusals.

use crate::common;

use axum::body::Body;
use axum::http::Request;
use common::nord::{fixture, get, login, page_html};
use common::send;
use sea_orm::ConnectionTrait;
use serde_json::Value;

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
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?q=Alice%20Martin").await;
        assert_eq!(ids(&page), [1], "{b}: first name then name: every word, in any order");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?q=martin%20roubaix").await;
        assert_eq!(page["total"], 0, "{b}: every word must be found");
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
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/gestionnaires",
        "/api/v1/gestionnaires/{id}",
        "/api/v1/communes",
        "/api/v1/mesures",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    let parameters = doc["paths"]["/api/v1/gestionnaires"]["get"]["parameters"].as_array().expect("paramètres").clone();
    let names: Vec<&str> = parameters.iter().filter_map(|p| p["name"].as_str()).collect();
    for name in ["commune", "nature", "competence", "type", "disponible", "rayon_km", "q", "perimetre", "tri", "page", "par_page"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let (status, _, page) = send(&app, Request::get("/api/explorateur/").body(Body::empty()).expect("req")).await;
    assert_eq!(status, 200, "the interactive explorer");
    assert!(page.contains("swagger"), "{page}");
    // The reference, an accessible page written from the same document: every
    // call, its parameters, its body's fields and its answers, for a visitor.
    let (status, _, page) = send(&app, Request::get("/api/docs").body(Body::empty()).expect("req")).await;
    assert_eq!(status, 200, "the reference");
    let text = page.replace("<!>", "").replace("&#x27;", "'");
    for words in [
        "<h1>Documentation de l'API</h1>",
        "GET /api/v1/gestionnaires",
        "POST /api/v1/mesures/{id}/refus",
        "Refuser une réservation",
        "rayon_km (requête)",
        "Corps JSON (",
        "<code>numero_rg</code>",
        // The fields' descriptions are French, as the rest of the page.
        "ramené à 8 caractères",
        "<code>201</code>",
        r#"href="/api/openapi.json""#,
    ] {
        assert!(text.contains(words), "« {words} » in {}", &text[text.find("<h1>").unwrap_or(0)..].chars().take(3000).collect::<String>());
    }
    t.cleanup().await;
}

/// The search keeps a copy of its data in memory; any write to the database —
/// through the product, another server process or by hand — must show in the
/// next search.
#[tokio::test]
async fn the_next_search_sees_every_write_at_once() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let b = t.backend;
        let martin = |page: &Value| page["resultats"].as_array().expect("a").iter().find(|r| r["id"] == 1).cloned();
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires").await;
        assert_eq!(martin(&page).expect("Martin")["disponibles"], 4, "{b}");

        t.db.execute_unprepared("UPDATE gestionnaires SET en_attente = en_attente + 3 WHERE id = 1").await.expect("compteur");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires").await;
        assert_eq!(martin(&page).expect("Martin")["disponibles"], 1, "{b}: a counter change");

        t.db.execute_unprepared("UPDATE gestionnaires SET suspendu = true WHERE id = 1").await.expect("suspension");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?disponible=true").await;
        assert!(martin(&page).is_none(), "{b}: a suspension");

        t.db.execute_unprepared("UPDATE antennes SET en_cours = 30 WHERE id = 1").await.expect("antenne");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires").await;
        let service = page["resultats"].as_array().expect("a").iter().find(|r| r["id"] == 3).cloned().expect("service");
        assert_eq!(service["dans_departement"]["disponibles"], 0, "{b}: an antenne's counter");

        t.db.execute_unprepared("DELETE FROM liste_blanche_departements WHERE liste_blanche_id = 1").await.expect("agrément");
        t.db.execute_unprepared("INSERT INTO gestionnaire_tribunaux (gestionnaire_id, tribunal_id) VALUES (5, 1)")
            .await
            .expect("préférence");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires").await;
        assert_eq!(sorted(ids(&page)), [2, 3, 4, 5], "{b}: an approval withdrawn, a tribunal preferred");

        t.db.execute_unprepared("UPDATE communes SET nom = 'Roubaix-Ville' WHERE code = '59512'").await.expect("commune");
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?q=roubaix%20ville").await;
        assert_eq!(ids(&page), [3], "{b}: a town renamed");
        t.cleanup().await;
    }
}

/// The approval rule exists as a SQL condition (counts on the homes) and as a
/// map read into the search's memory: both must say the same.
#[tokio::test]
async fn both_forms_of_the_approval_rule_agree() {
    use sea_orm::{EntityTrait, QueryFilter, QuerySelect};
    for t in common::databases().await {
        fixture(&t.db).await;
        let map = app::territories::approvals::approved_departements(&t.db).await.expect("agréments");
        let entries: Vec<(i32, Option<i32>)> = app::db::entities::gestionnaires::Entity::find()
            .select_only()
            .columns([app::db::entities::gestionnaires::Column::Id, app::db::entities::gestionnaires::Column::ListeBlancheId])
            .into_tuple()
            .all(&t.db)
            .await
            .expect("gestionnaires");
        for departement in ["59", "62", "75"] {
            let mut by_sql: Vec<i32> = app::db::entities::gestionnaires::Entity::find()
                .select_only()
                .column(app::db::entities::gestionnaires::Column::Id)
                .filter(app::territories::approvals::approved_in(&[departement.to_string()]))
                .into_tuple()
                .all(&t.db)
                .await
                .expect("requête");
            by_sql.sort();
            let by_map: Vec<i32> = entries
                .iter()
                .filter(|(_, entry)| entry.and_then(|e| map.get(&e)).is_some_and(|d| d.iter().any(|d| d == departement)))
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(by_sql, by_map, "{} : département {departement}", t.backend);
            assert!(!by_sql.is_empty());
        }
        t.cleanup().await;
    }
}

/// Homonyms of Saint-Amand-les-Eaux (Nord) far and near, and Bousignies-sur-Roubaix.
async fn saint_amands(db: &sea_orm::DatabaseConnection) {
    db.execute_unprepared(
        "INSERT INTO regions (code, nom) VALUES ('75', 'Nouvelle-Aquitaine');
         INSERT INTO departements (code, nom, region_code, chef_lieu) VALUES ('23', 'Creuse', '75', '23096');
         INSERT INTO communes (code, nom, nom_recherche, departement_code, codes_postaux, population, latitude, longitude) VALUES
           ('23184', 'Saint-Amand', 'saint amand', '23', '23200', 50000, 45.9667, 2.2167),
           ('62736', 'Saint-Amand', 'saint amand', '62', '62760', 200, 50.1667, 2.5333),
           ('59094', 'Bousignies-sur-Roubaix', 'bousignies sur roubaix', '59', '59780', 400, 50.6167, 3.2833);
         INSERT INTO communes_codes_postaux (code_postal, commune_code) VALUES
           ('23200', '23184'), ('62760', '62736'), ('59780', '59094');",
    )
    .await
    .expect("communes homonymes");
}

/// What the search page's server function answers for a query string.
async fn rechercher(app: &axum::Router, cookie: &str, query: &str) -> (u16, Value) {
    let body = format!("query={}", app::layout::kit::urlencode(query));
    let request = Request::post("/api/fn/rechercher")
        .header(axum::http::header::COOKIE, cookie)
        .header(axum::http::header::ACCEPT, "application/json")
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("requête");
    let (status, _, body) = send(app, request).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
}

#[tokio::test]
async fn communes_near_the_court_come_first_and_an_ambiguous_place_is_asked() {
    for t in common::databases().await {
        fixture(&t.db).await;
        saint_amands(&t.db).await;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let arras = login(&app, "juge.arras@exemple.fr").await;
        let b = t.backend;
        let places = |v: &Value| -> Vec<String> {
            v.as_array()
                .expect("tableau")
                .iter()
                .map(|c| format!("{} {}", c["nom"].as_str().expect("nom"), c["departement"].as_str().expect("dép")))
                .collect()
        };
        // The département, then the région, then the rest — before the name's
        // exactness and the population.
        let (status, found) = get(&app, Some(&lille), "/api/v1/communes?q=St-Amand").await;
        assert_eq!(status, 200, "{b}: {found}");
        assert_eq!(places(&found), ["Saint-Amand-les-Eaux 59", "Saint-Amand 62", "Saint-Amand 23"], "{b}: from Lille");
        let (_, found) = get(&app, Some(&arras), "/api/v1/communes?q=St-Amand").await;
        assert_eq!(places(&found), ["Saint-Amand 62", "Saint-Amand-les-Eaux 59", "Saint-Amand 23"], "{b}: from Arras");
        // Nowhere in particular (an administrator): exact names, then the most populated.
        let admin = login(&app, "admin@exemple.fr").await;
        let (status, found) = get(&app, Some(&admin), "/api/v1/communes?q=St-Amand").await;
        assert_eq!(status, 200, "{b}: {found}");
        assert_eq!(places(&found), ["Saint-Amand 23", "Saint-Amand 62", "Saint-Amand-les-Eaux 59"], "{b}: from nowhere");

        // A submitted "St-Amand" is not guessed: the judge chooses, nearest first.
        let (status, page) = rechercher(&app, &lille, "lieu=St-Amand").await;
        assert_eq!(status, 200, "{b}: {page}");
        assert_eq!(places(&page["communes_a_choisir"]), ["Saint-Amand-les-Eaux 59", "Saint-Amand 62", "Saint-Amand 23"], "{b}");
        assert_eq!(page["resultats"]["total"], 0, "{b}: no results before the choice");
        assert!(page["commune"].is_null(), "{b}");
        // The choice as the page's link writes it: that commune, its homonyms offered.
        let (_, page) = rechercher(&app, &lille, "lieu=Saint-Amand+(62760)").await;
        assert_eq!(page["commune"]["code"], "62736", "{b}: {page}");
        assert_eq!(places(&page["autres_communes"]), ["Saint-Amand 23"], "{b}: homonyms only");
        assert!(page["resultats"]["total"].as_u64().unwrap_or(0) > 0, "{b}: results once chosen");
        // One commune of that exact name: no question, and no "other communes"
        // that merely contain the word (Bousignies-sur-Roubaix).
        let (_, page) = rechercher(&app, &lille, "lieu=Roubaix").await;
        assert_eq!(page["commune"]["code"], "59512", "{b}: {page}");
        assert_eq!(page["autres_communes"], serde_json::json!([]), "{b}");
        assert_eq!(page["communes_a_choisir"], serde_json::json!([]), "{b}");
        // The page without JavaScript asks the same question, with links.
        let (status, _, html) = send(
            &app,
            Request::get("/tribunal/recherche?lieu=St-Amand")
                .header(axum::http::header::COOKIE, &lille)
                .body(Body::empty())
                .expect("requête"),
        )
        .await;
        assert_eq!(status, 200, "{b}");
        assert!(html.contains("Plusieurs communes correspondent à « St-Amand » : laquelle ?"), "{b}: {html}");
        let first = html.find("Saint-Amand-les-Eaux (59230)").expect("Saint-Amand-les-Eaux proposée");
        let far = html.find("Saint-Amand (23200)").expect("Saint-Amand (Creuse) proposée");
        assert!(first < far, "{b}: the nearest first");

        // A form's commune field asks for the postal code instead of guessing.
        let near = app::search::communes::Proximite::of_departement(&t.db, "59").await.expect("proximité");
        let err = app::search::communes::resolve_field(&t.db, "St-Amand", &near).await.expect_err("ambiguë");
        let message = format!("{err:?}");
        assert!(message.contains("Plusieurs communes correspondent à « St-Amand »"), "{b}: {message}");
        assert!(message.contains("« Saint-Amand-les-Eaux (59230) »"), "{b}: {message}");
        let found = app::search::communes::resolve_field(&t.db, "Saint-Amand (23200)", &near).await.expect("choisie");
        assert_eq!(found.code, "23184", "{b}");
        t.cleanup().await;
    }
}

/// A service measured from one of its antennes names that antenne — on the
/// card, on the map and in the API — with its point and its own places, then
/// the service's total; measured from its head office, nothing changes.
#[tokio::test]
async fn a_services_distance_names_the_antenne_it_is_measured_from() {
    for t in common::databases().await {
        let b = t.backend;
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        // From Dunkerque: ATMP Nord's antenne there (30 − 25 = 5 places), not
        // its head office in Roubaix.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?commune=59183").await;
        let service = page["resultats"][0].clone();
        assert_eq!(service["id"], 3, "{b}: {page}");
        let antenne = &service["antenne_proche"];
        assert_eq!(antenne["nom"], "Antenne de Dunkerque", "{b}: {service}");
        assert_eq!((antenne["commune"].as_str(), antenne["code_postal"].as_str()), (Some("Dunkerque"), Some("59140")), "{b}");
        assert_eq!((antenne["latitude"].as_f64(), antenne["longitude"].as_f64()), (Some(51.0344), Some(2.3768)), "{b}");
        assert_eq!((antenne["distance_km"].as_f64(), service["distance_km"].as_f64()), (Some(0.0), Some(0.0)), "{b}");
        assert_eq!((antenne["disponibles"].as_i64(), service["disponibles"].as_i64()), (Some(5), Some(55)), "{b}: its own, then the total");
        // From Lille the head office (Roubaix, 10 km) is nearest: no antenne named.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?commune=59350").await;
        let service = page["resultats"].as_array().expect("a").iter().find(|r| r["id"] == 3).cloned().expect("service");
        assert!(service["antenne_proche"].is_null(), "{b}: {service}");

        // The card: head office, then the antenne with its distance and places, then the service's total.
        let html = page_html(&app, &lille, "/tribunal/recherche?lieu=Dunkerque%20(59140)&commune=59183").await;
        let start = html.find(r#"data-id="3""#).unwrap_or_else(|| panic!("{b}: the service's card"));
        let card = &html[start..];
        let card = &card[..card.find("</li>").unwrap_or(card.len())];
        let text = card.replace("<!>", "");
        assert!(text.contains("Antenne la plus proche : <strong>Antenne de Dunkerque</strong>, Dunkerque (59140) — 0,0 km"), "{b}: {text}");
        assert!(
            text.contains("Roubaix (59000)<") && !text.contains("Roubaix (59000) — "),
            "{b}: no distance beside the head office: {text}"
        );
        assert!(text.contains("Disponibles à cette antenne</dt><dd>5<"), "{b}: {text}");
        assert!(text.contains("Disponibles (tout le service)</dt><dd>55<"), "{b}: {text}");
        // (The map's marker, drawn in the browser: `app::search::map`'s unit test.)
        t.cleanup().await;
    }
}
