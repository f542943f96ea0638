//! Signing up and the administrators' decision, on SQLite and PostgreSQL: a
//! sign-up opens an inactive account that no judge sees; an administrator links
//! it to its liste blanche entry and activates it, or refuses it with a reason
//! (everything it created is deleted); the person is mailed each time; an
//! address that already has an account gets the same page; bad input changes
//! nothing; one IP address cannot flood the administrators.

use crate::common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request};
use common::nord::{fixture, get, login};
use common::{count, send};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

const MOT_DE_PASSE: &str = "cheval agrafe lumineux";

fn post(cookie: Option<&str>, uri: &str, form: &[(&str, &str)], ip: &str) -> Request<Body> {
    let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let mut request = request.body(Body::from(serde_urlencoded::to_string(form).expect("formulaire"))).expect("requête");
    let addr: std::net::SocketAddr = format!("{ip}:4000").parse().expect("adresse");
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

/// Status and `Location` of a form post.
async fn submit(app: &axum::Router, cookie: Option<&str>, uri: &str, form: &[(&str, &str)]) -> (u16, String) {
    let (status, headers, _) = send(app, post(cookie, uri, form, "192.0.2.1")).await;
    (status, crate::common::where_sent(&headers))
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> Option<i64> {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await
        .expect("lecture")
        .map(|row| row.try_get_by_index::<i64>(0).or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from)).expect("nombre"))
}

async fn last_mail(db: &DatabaseConnection, email: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT sujet, texte FROM courriels WHERE destinataire = '{email}' ORDER BY id DESC"),
        ))
        .await
        .expect("lecture")
        .unwrap_or_else(|| panic!("aucun courriel pour {email}"));
    format!("{}\n{}", row.try_get::<String>("", "sujet").expect("sujet"), row.try_get::<String>("", "texte").expect("texte"))
}

/// An approved individuel (Nord) and an approved préposé (CHU de Lille) who
/// have no account yet: entries 7 and 8 of the liste blanche.
async fn approved_without_account(db: &DatabaseConnection) {
    db.execute_unprepared(
        "INSERT INTO liste_blanche (id, type, nom, prenom, siret, email, created_at, updated_at) VALUES
           (7, 'individuel', 'Lambert', 'Camille', '73282932000074', NULL, '2026-11-01T00:00:00+00:00', '2026-11-01T00:00:00+00:00'),
           (8, 'prepose', 'Girard', 'Inès', NULL, NULL, '2026-11-01T00:00:00+00:00', '2026-11-01T00:00:00+00:00');
         INSERT INTO liste_blanche_departements (liste_blanche_id, departement_code, financeur) VALUES (7, '59', true);
         INSERT INTO liste_blanche_etablissements (liste_blanche_id, etablissement_id) VALUES (8, 1);",
    )
    .await
    .expect("liste blanche");
}

const INDIVIDUEL: [(&str, &str); 14] = [
    ("role", "individuel"),
    ("prenom", "Camille"),
    ("nom", "Lambert"),
    ("email", " Camille.Lambert@Exemple.fr"),
    ("telephone", "03 20 11 22 33"),
    ("siret", "732 829 320 00074"),
    ("adresse", "3 rue Esquermoise"),
    ("commune", "Lille (59000)"),
    ("mesures_max", "35"),
    ("tribunaux", "1"),
    ("tribunaux", "2"),
    ("nouveau", MOT_DE_PASSE),
    ("confirmation", MOT_DE_PASSE),
    ("cabinet", ""),
];

async fn sign_in_status(app: &axum::Router, email: &str, password: &str) -> u16 {
    let request = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::json!({ "email": email, "password": password }).to_string()))
        .expect("requête");
    send(app, request).await.0
}

#[tokio::test]
async fn an_individuel_signs_up_is_linked_to_its_approval_and_signs_in() {
    for t in common::databases().await {
        fixture(&t.db).await;
        approved_without_account(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let users_before = count(&t.db, "users").await;

        let (status, location) = submit(&app, None, "/inscription", &INDIVIDUEL).await;
        assert_eq!((status, location.as_str()), (303, "/inscription?envoye=1"), "{b}");
        let user = scalar(&t.db, "SELECT id FROM users WHERE email = 'camille.lambert@exemple.fr' AND active = false")
            .await
            .expect("compte inactif");
        let g =
            scalar(&t.db, &format!("SELECT gestionnaire_id FROM gestionnaire_membres WHERE user_id = {user}")).await.expect("gestionnaire");
        assert_eq!(count(&t.db, &format!("gestionnaires WHERE id = {g} AND liste_blanche_id IS NULL AND siret = '73282932000074' AND commune_code = '59350' AND mesures_max = 35")).await, 1, "{b}");
        assert_eq!(count(&t.db, &format!("inscriptions WHERE user_id = {user}")).await, 1, "{b}");
        assert!(last_mail(&t.db, "camille.lambert@exemple.fr").await.contains("bien enregistrée"), "{b}");
        assert!(last_mail(&t.db, "admin@exemple.fr").await.contains("Inscription à valider : Camille Lambert"), "{b}");
        assert_ne!(sign_in_status(&app, "camille.lambert@exemple.fr", MOT_DE_PASSE).await, 200, "{b}: not before validation");
        // Not approved yet: no judge sees it, although it declared the Lille tribunal.
        let (_, page) = get(&app, Some(&juge), "/api/v1/gestionnaires?perimetre=national").await;
        assert!(page["resultats"].as_array().expect("a").iter().all(|r| r["id"] != g), "{b}: {page}");
        let (status, _) = get(&app, Some(&juge), &format!("/api/v1/gestionnaires/{g}")).await;
        assert_eq!(status, 404, "{b}: its page neither");

        // The same address again: the same answer, no second account, a mail to the owner.
        let (status, location) = submit(&app, None, "/inscription", &INDIVIDUEL).await;
        assert_eq!((status, location.as_str()), (303, "/inscription?envoye=1"), "{b}");
        assert_eq!(count(&t.db, "users").await, users_before + 1, "{b}");
        assert!(last_mail(&t.db, "camille.lambert@exemple.fr").await.contains("déjà un compte"), "{b}");

        // The administrator sees it with its approval proposed by SIRET.
        let (status, body) =
            common::nord::send_json(&app, Some(&admin), "POST", "/api/fn/inscriptions_en_attente", serde_json::json!({})).await;
        assert_eq!(status, 200, "{b}: {body}");
        let mine = body.as_array().expect("liste").iter().find(|i| i["user_id"] == user).cloned().expect("l'inscription");
        assert_eq!(mine["candidats"][0]["id"], 7, "{b}: {mine}");
        assert!(mine["candidats"][0]["raisons"].to_string().contains("même SIRET"), "{b}: {mine}");
        let (_, body) = common::nord::send_json(&app, Some(&juge), "POST", "/api/fn/inscriptions_en_attente", serde_json::json!({})).await;
        assert!(!body.to_string().contains("Lambert"), "{b}: a judge reads nothing");

        // An entry already linked to someone else is refused, nothing changes.
        let (status, location) =
            submit(&app, Some(&admin), &format!("/admin/inscriptions/{user}/valider"), &[("liste_blanche_id", "1")]).await;
        assert_eq!(status, 303, "{b}");
        assert!(location.contains("erreur_liste_blanche_id="), "{b}: {location}");
        assert_eq!(count(&t.db, &format!("inscriptions WHERE user_id = {user}")).await, 1, "{b}: still waiting");

        let (status, location) =
            submit(&app, Some(&admin), &format!("/admin/inscriptions/{user}/valider"), &[("liste_blanche_id", "7")]).await;
        assert_eq!((status, location.as_str()), (303, "/admin/inscriptions?fait=valide"), "{b}");
        assert_eq!(count(&t.db, &format!("users WHERE id = {user} AND active = true")).await, 1, "{b}");
        assert_eq!(count(&t.db, &format!("gestionnaires WHERE id = {g} AND liste_blanche_id = 7")).await, 1, "{b}");
        assert_eq!(
            scalar(&t.db, &format!("SELECT MAX(tribunal_id) FROM gestionnaire_tribunaux WHERE gestionnaire_id = {g}")).await,
            Some(1),
            "{b}: Arras (Pas-de-Calais) dropped, not approved there"
        );
        assert_eq!(count(&t.db, &format!("gestionnaire_tribunaux WHERE gestionnaire_id = {g}")).await, 1, "{b}");
        assert!(last_mail(&t.db, "camille.lambert@exemple.fr").await.contains("est activé"), "{b}");
        assert_eq!(count(&t.db, &format!("audit_events WHERE action = 'inscription.validation' AND target_id = '{user}'")).await, 1, "{b}");
        assert_eq!(sign_in_status(&app, "camille.lambert@exemple.fr", MOT_DE_PASSE).await, 200, "{b}");
        let (_, page) = get(&app, Some(&juge), "/api/v1/gestionnaires").await;
        assert!(page["resultats"].as_array().expect("a").iter().any(|r| r["id"] == g), "{b}: approved in Nord, found by Lille");

        // Decided once only.
        let (_, location) = submit(&app, Some(&admin), &format!("/admin/inscriptions/{user}/refuser"), &[("motif", "Doublon")]).await;
        assert!(location.contains("erreur="), "{b}: {location}");
        assert_eq!(count(&t.db, &format!("users WHERE id = {user}")).await, 1, "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_refused_sign_up_is_deleted_and_told_why() {
    for t in common::databases().await {
        fixture(&t.db).await;
        approved_without_account(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        let gestionnaires = count(&t.db, "gestionnaires").await;
        let prepose = [
            ("role", "prepose"),
            ("prenom", "Inès"),
            ("nom", "Girard"),
            ("email", "ines.girard@exemple.fr"),
            ("telephone", "0320998877"),
            ("etablissement_id", "1"),
            ("mesures_max", "20"),
            ("nouveau", MOT_DE_PASSE),
            ("confirmation", MOT_DE_PASSE),
        ];
        assert_eq!(submit(&app, None, "/inscription", &prepose).await.0, 303, "{b}");
        let user = scalar(&t.db, "SELECT id FROM users WHERE email = 'ines.girard@exemple.fr'").await.expect("compte");
        assert_eq!(
            count(
                &t.db,
                "gestionnaires WHERE type = 'prepose' AND nom = 'Girard' AND commune_code = '59350' AND adresse = '2 avenue Oscar Lambret'"
            )
            .await,
            1,
            "{b}: at its établissement"
        );
        let (_, body) = common::nord::send_json(&app, Some(&admin), "POST", "/api/fn/inscriptions_en_attente", serde_json::json!({})).await;
        let mine = body.as_array().expect("liste").iter().find(|i| i["user_id"] == user).cloned().expect("l'inscription");
        assert_eq!(mine["candidats"][0]["id"], 8, "{b}: {mine}");
        assert!(mine["details"].to_string().contains("CHU de Lille"), "{b}: {mine}");

        let (_, location) = submit(&app, Some(&admin), &format!("/admin/inscriptions/{user}/refuser"), &[("motif", "  ")]).await;
        assert!(location.contains("erreur_motif="), "{b}: {location}");
        assert_eq!(count(&t.db, &format!("inscriptions WHERE user_id = {user}")).await, 1, "{b}");
        let (_, location) =
            submit(&app, Some(&admin), &format!("/admin/inscriptions/{user}/refuser"), &[("motif", "Établissement inconnu de la DDETS")])
                .await;
        assert_eq!(location, "/admin/inscriptions?fait=refuse", "{b}");
        assert_eq!(count(&t.db, &format!("users WHERE id = {user}")).await, 0, "{b}: the account is deleted");
        assert_eq!(count(&t.db, "gestionnaires").await, gestionnaires, "{b}: with its gestionnaire");
        assert!(last_mail(&t.db, "ines.girard@exemple.fr").await.contains("Motif : Établissement inconnu de la DDETS"), "{b}");
        assert_eq!(count(&t.db, "audit_events WHERE action = 'inscription.refus'").await, 1, "{b}");
        // Refused, the person may ask again.
        assert_eq!(submit(&app, None, "/inscription", &prepose).await.0, 303, "{b}");
        assert_eq!(count(&t.db, "users WHERE email = 'ines.girard@exemple.fr' AND active = false").await, 1, "{b}");

        // A judge: its tribunal's scope from the first sign-in.
        let juge = [
            ("role", "magistrat"),
            ("prenom", "Paul"),
            ("nom", "Roux"),
            ("email", "paul.roux@exemple.fr"),
            ("tribunal_id", "2"),
            ("cabinet", "4"),
            ("nouveau", MOT_DE_PASSE),
            ("confirmation", MOT_DE_PASSE),
        ];
        assert_eq!(submit(&app, None, "/inscription", &juge).await.0, 303, "{b}");
        let paul = scalar(&t.db, "SELECT id FROM users WHERE email = 'paul.roux@exemple.fr'").await.expect("juge");
        let (_, location) = submit(&app, Some(&admin), &format!("/admin/inscriptions/{paul}/valider"), &[]).await;
        assert_eq!(location, "/admin/inscriptions?fait=valide", "{b}");
        assert_eq!(count(&t.db, &format!("magistrats WHERE user_id = {paul} AND tribunal_id = 2 AND cabinet = '4'")).await, 1, "{b}");
        assert_eq!(sign_in_status(&app, "paul.roux@exemple.fr", MOT_DE_PASSE).await, 200, "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn bad_sign_ups_change_nothing_and_one_address_cannot_flood() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let users = count(&t.db, "users").await;
        let mails = count(&t.db, "courriels").await;
        let mut form = INDIVIDUEL.to_vec();
        form[5] = ("siret", "73282932000075");
        form[7] = ("commune", "Atlantide");
        let (status, location) = submit(&app, None, "/inscription", &form).await;
        assert_eq!(status, 303, "{b}");
        assert!(location.starts_with("/inscription?role=individuel"), "{b}: {location}");
        assert!(location.contains("erreur_siret="), "{b}: {location}");
        assert!(location.contains("erreur_commune="), "{b}: every error at once, the commune's too: {location}");
        assert!(!location.contains("agrafe"), "{b}: never the password in a URL");
        form[5] = ("siret", "73282932000074");
        let (_, location) = submit(&app, None, "/inscription", &form).await;
        assert!(location.contains("erreur_commune="), "{b}: {location}");
        for (role, field) in [("admin", "erreur="), ("service", "erreur_service_id=")] {
            let (_, location) = submit(
                &app,
                None,
                "/inscription",
                &[
                    ("role", role),
                    ("service_id", "1"),
                    ("prenom", "A"),
                    ("nom", "B"),
                    ("email", "a@exemple.fr"),
                    ("nouveau", MOT_DE_PASSE),
                    ("confirmation", MOT_DE_PASSE),
                ],
            )
            .await;
            assert!(location.contains(field), "{b}: {role} → {location}");
        }
        assert_eq!((count(&t.db, "users").await, count(&t.db, "courriels").await), (users, mails), "{b}: nothing written");

        // Ten sign-ups an hour from one address; the eleventh is refused.
        for n in 0..11 {
            let email = format!("personne{n}@exemple.fr");
            let form = [
                ("role", "greffier"),
                ("prenom", "A"),
                ("nom", "B"),
                ("email", email.as_str()),
                ("tribunal_id", "1"),
                ("nouveau", MOT_DE_PASSE),
                ("confirmation", MOT_DE_PASSE),
            ];
            let (_, headers, _) = send(&app, post(None, "/inscription", &form, "198.51.100.7")).await;
            let location = crate::common::where_sent(&headers);
            if n < 10 {
                assert_eq!(location, "/inscription?envoye=1", "{b}: {n}");
            } else {
                assert!(location.contains("erreur=Trop"), "{b}: {location}");
            }
        }
        assert_eq!(count(&t.db, "users").await, users + 10, "{b}");
        // Another address is not held back.
        let form = [
            ("role", "greffier"),
            ("prenom", "A"),
            ("nom", "B"),
            ("email", "autre@exemple.fr"),
            ("tribunal_id", "1"),
            ("nouveau", MOT_DE_PASSE),
            ("confirmation", MOT_DE_PASSE),
        ];
        assert_eq!(submit(&app, None, "/inscription", &form).await.1, "/inscription?envoye=1", "{b}");
        t.cleanup().await;
    }
}

/// What a refused form sent comes back on the form without passing through the
/// address (logs, history, Referer): the address says only `saisie=1`, the
/// typed values and messages travel in a short-lived cookie the server alone
/// reads, shown on that page only, removed by the next accepted form.
#[tokio::test]
async fn a_refused_sign_up_keeps_what_was_typed_out_of_the_address() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let mut form = INDIVIDUEL.to_vec();
        form[5] = ("siret", "73282932000075");
        let (status, headers, _) = send(&app, post(None, "/inscription", &form, "192.0.2.7")).await;
        assert_eq!(status, 303, "{b}");
        let location = headers[header::LOCATION].to_str().expect("ascii");
        assert_eq!(location, "/inscription?role=individuel&saisie=1#erreurs", "{b}: nothing typed in the address");
        let set_cookie = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|c| c.to_str().ok())
            .find(|c| c.starts_with("emjpm_saisie="))
            .expect("the draft's cookie");
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("Max-Age=600"), "{b}: {set_cookie}");
        let sent = common::where_sent(&headers);

        // The form shows what was typed and why it was refused…
        let page = common::nord::refused_page(&app, "autre=1", &sent).await;
        for typed in ["Lambert", "03 20 11 22 33", "3 rue Esquermoise", "73282932000075"] {
            assert!(page.contains(&format!("value=\"{typed}\"")), "{b}: {typed}: {}", common::nord::excerpt(&page, "erreurs"));
        }
        assert!(page.contains("id=\"siret-erreur\""), "{b}: {}", common::nord::excerpt(&page, "erreurs"));
        assert!(page.contains("id=\"saisie-refusee\""), "{b}: the draft embedded for hydration");
        assert!(!page.contains(MOT_DE_PASSE), "{b}: never the password");
        // …only with the mark, only on its page, only with the cookie.
        let draft = common::draft_cookie(&headers).expect("draft");
        let with_draft = format!("emjpm_saisie={draft}");
        for (uri, cookie) in [("/inscription?role=individuel", with_draft.as_str()), ("/inscription?role=individuel&saisie=1", "autre=1")] {
            let (_, body) = get(&app, Some(cookie), uri).await;
            let body = body.as_str().map(str::to_string).unwrap_or_else(|| body.to_string());
            assert!(!body.contains("Esquermoise") && !body.contains("siret-erreur"), "{b}: {uri} with {cookie}");
        }
        let (_, body) = get(&app, Some(&with_draft), "/connexion?saisie=1").await;
        assert!(!body.to_string().contains("Esquermoise"), "{b}: another page");

        // The next accepted form removes the draft.
        form[5] = ("siret", "73282932000074");
        let (status, headers, _) = send(&app, post(Some(&with_draft), "/inscription", &form, "192.0.2.7")).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/inscription?envoye=1"), "{b}");
        let cleared = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|c| c.to_str().ok())
            .any(|c| c.starts_with("emjpm_saisie=;") && c.contains("Max-Age=0"));
        assert!(cleared, "{b}: {headers:?}");
        t.cleanup().await;
    }
}
