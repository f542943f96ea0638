//! A small Nord / Pas-de-Calais / Paris world shared by the search and measure
//! tests: two tribunaux (Lille, Arras), six gestionnaires with their approvals,
//! judges and greffiers, and helpers to sign in and call the API.

use super::{insert_user, send, TEST_PASSWORD};
use axum::body::Body;
use axum::http::{header, Request};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;

const NOW: &str = "'2026-11-20T10:00:00+00:00'";

/// Two régions, four départements, a few communes, two tribunaux, and six
/// gestionnaires (see each comment) with their approvals.
pub async fn fixture(db: &DatabaseConnection) {
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
    for (email, role, tribunal) in
        [("juge.lille@exemple.fr", "magistrat", 1), ("greffe.lille@exemple.fr", "greffier", 1), ("juge.arras@exemple.fr", "magistrat", 2)]
    {
        let id = insert_user(db, email, role, true).await;
        let table = if role == "magistrat" { "magistrats" } else { "greffiers" };
        db.execute_unprepared(&format!("INSERT INTO {table} (user_id, tribunal_id) VALUES ({id}, {tribunal})"))
            .await
            .expect("rattachement");
    }
    insert_user(db, "admin@exemple.fr", "admin", true).await;
    // Professionals' accounts: Martin, Petit, ATMP Nord's admin and a plain member.
    for (email, role, gestionnaire, admin) in [
        ("martin@exemple.fr", "individuel", 1, true),
        ("petit@exemple.fr", "individuel", 2, true),
        ("atmp.admin@exemple.fr", "service", 3, true),
        ("atmp.membre@exemple.fr", "service", 3, false),
    ] {
        let id = insert_user(db, email, role, true).await;
        db.execute_unprepared(&format!(
            "INSERT INTO gestionnaire_membres (user_id, gestionnaire_id, admin) VALUES ({id}, {gestionnaire}, {admin})"
        ))
        .await
        .expect("membre");
    }
    // PostgreSQL sequences do not move on explicit ids.
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        for table in ["tribunaux", "etablissements", "liste_blanche", "gestionnaires", "antennes"] {
            db.execute_unprepared(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                .await
                .expect("séquence");
        }
    }
}

/// The Nord's DDETS (a départemental direction), `ddets59@exemple.fr`; its user id.
pub async fn ddets_du_nord(db: &DatabaseConnection) -> i32 {
    let id = insert_user(db, "ddets59@exemple.fr", "direction", true).await;
    db.execute_unprepared(&format!(
        "INSERT INTO directions (user_id, type, departement_code, structure) VALUES ({id}, 'departemental', '59', 'DDETS du Nord')"
    ))
    .await
    .expect("direction");
    id
}

/// Signs in through the JSON API and returns the session cookie. An
/// administrator's code serves once only (RFC 6238): a second sign-in within the
/// same 30 seconds sends the next step's code, a third waits for the next step.
pub async fn login(app: &axum::Router, email: &str) -> String {
    let mut body = String::new();
    for attempt in 0..4 {
        if attempt == 2 {
            let wait = 30 - chrono::Utc::now().timestamp().rem_euclid(30);
            tokio::time::sleep(std::time::Duration::from_secs(u64::try_from(wait).unwrap_or(30))).await;
        }
        let json = serde_json::json!({ "email": email, "password": TEST_PASSWORD, "code": super::totp_code(attempt % 2) });
        let request = Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
            .expect("requête");
        let (status, headers, answer) = send(app, request).await;
        if status == 200 {
            return headers[header::SET_COOKIE].to_str().expect("ascii").split(';').next().expect("cookie").to_string();
        }
        assert!(status == 401 && answer.contains("déjà servi"), "{status} {answer}");
        body = answer;
    }
    panic!("connexion impossible : {body}");
}

pub async fn get(app: &axum::Router, cookie: Option<&str>, uri: &str) -> (u16, Value) {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let (status, _, body) = send(app, request.body(Body::empty()).expect("requête")).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
}

/// Sends a JSON body with a method (POST, PUT, DELETE…); returns status and JSON.
pub async fn send_json(app: &axum::Router, cookie: Option<&str>, method: &str, uri: &str, body: Value) -> (u16, Value) {
    let mut request = Request::builder().method(method).uri(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let (status, _, body) = send(app, request.body(Body::from(body.to_string())).expect("requête")).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
}

/// The fixture's counters stand for measures that are not in the database: the
/// tests that recount start from zero.
pub async fn zero_counters(db: &DatabaseConnection) {
    db.execute_unprepared("UPDATE gestionnaires SET en_cours = 0, en_attente = 0; UPDATE antennes SET en_cours = 0, en_attente = 0;")
        .await
        .expect("remise à zéro");
}

/// Posts a form as a browser without JavaScript does: status and where it
/// sends the browser, with a refusal's draft ([`super::where_sent`]).
pub async fn submit_form(app: &axum::Router, cookie: &str, uri: &str, form: &[(&str, &str)]) -> (u16, String) {
    let request = Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(form).expect("formulaire")))
        .expect("requête");
    let (status, headers, _) = send(app, request).await;
    (status, super::where_sent(&headers))
}

/// A page's HTML, which must answer 200.
pub async fn page_html(app: &axum::Router, cookie: &str, uri: &str) -> String {
    let (status, body) = get(app, Some(cookie), uri).await;
    assert_eq!(status, 200, "{uri}: {body}");
    body.as_str().map(str::to_string).unwrap_or_else(|| body.to_string())
}

/// The page a refused form sends the browser back to, as the browser shows it:
/// `sent` is what [`super::where_sent`] read (the address, then the draft),
/// the page is asked with `cookie` and the draft's cookie.
pub async fn refused_page(app: &axum::Router, cookie: &str, sent: &str) -> String {
    let (address, draft) = sent.split_once(' ').unwrap_or((sent, ""));
    let address = address.split('#').next().unwrap_or(address);
    let cookies = format!("{cookie}; {}={draft}", app::layout::saisie::COOKIE);
    page_html(app, &cookies, address).await
}

/// 300 characters of `page` from `needle` (or from its start), for messages.
pub fn excerpt<'a>(page: &'a str, needle: &str) -> &'a str {
    let start = page.find(needle).unwrap_or(0);
    let end = (start + 300).min(page.len());
    let end = (end..=page.len()).find(|i| page.is_char_boundary(*i)).unwrap_or(page.len());
    &page[start..end]
}
