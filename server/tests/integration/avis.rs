//! "Donner mon avis" and the team's follow-up, on SQLite and PostgreSQL: the
//! form without JavaScript and the API, what the server records (never what
//! is typed for page, role and territory), the limits (sizes, rate under a
//! parallel burst, another site's Origin), the team's filters, answers by mail
//! and évolutions whose completion mails those who asked, once.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::client::{last_mail, submit};
use common::nord::{fixture, get, login, page_html, refused_page, send_json};
use common::{count, send};
use serde_json::{json, Value};

async fn scalar_text(db: &sea_orm::DatabaseConnection, sql: &str) -> Option<String> {
    use sea_orm::ConnectionTrait;
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql.to_string())).await.expect("lecture")?;
    row.try_get_by_index::<Option<String>>(0).expect("texte")
}

#[tokio::test]
async fn anyone_gives_an_avis_and_the_server_records_page_role_and_territory_itself() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);

        // A visitor, without JavaScript: the footer's link names the page.
        let page = page_html(&app, "", "/avis?depuis=%2Ftribunal%2Fmesures%2F42").await;
        assert!(
            page.contains("Page concernée") && page.contains("/tribunal/mesures/{id}"),
            "{b}: {}",
            common::nord::excerpt(&page, "Page")
        );
        assert!(page.contains("N'écrivez rien sur une personne protégée"), "{b}: the warning is shown");
        let (status, location) = submit(
            &app,
            None,
            "/avis",
            &[
                ("niveau", "mal"),
                ("objectif", "Trouver un mandataire"),
                ("commentaire", "<script>alert('x')</script>\nDeuxième ligne"),
                ("page", "/tribunal/mesures/42?rg=12"),
            ],
        )
        .await;
        assert_eq!((status, location.as_str()), (303, "/avis?fait=merci"), "{b}");
        assert_eq!(
            count(&t.db, "avis WHERE role IS NULL AND user_id IS NULL AND page = '/tribunal/mesures/{id}' AND niveau = 'mal'").await,
            1,
            "{b}"
        );

        // A judge through the API: role and territory from the session, even
        // when the body claims others (unknown fields are ignored).
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let (status, body) = send_json(
            &app,
            Some(&juge),
            "POST",
            "/api/v1/avis",
            json!({"niveau": "bien", "commentaire": "Rapide", "recontacter": true, "page": "https://ailleurs.example/x", "role": "admin", "departement_code": "75"}),
        )
        .await;
        assert_eq!(status, 201, "{b}: {body}");
        let id = body["id"].as_i64().expect("id");
        assert_eq!(
            count(&t.db, &format!("avis WHERE id = {id} AND role = 'magistrat' AND departement_code = '59' AND region_code = '32' AND page IS NULL AND courriel IS NULL AND recontacter")).await,
            1,
            "{b}: another site's address is not kept"
        );
        // A professional of the Pas-de-Calais.
        let petit = login(&app, "petit@exemple.fr").await;
        let (status, _) = send_json(&app, Some(&petit), "POST", "/api/v1/avis", json!({"niveau": "moyen"})).await;
        assert_eq!(status, 201, "{b}");
        assert_eq!(scalar_text(&t.db, "SELECT departement_code FROM avis WHERE role = 'individuel'").await.as_deref(), Some("62"), "{b}");

        // The team reads the comment as text, never as markup.
        let admin = login(&app, "admin@exemple.fr").await;
        let page = page_html(&app, &admin, "/admin/avis").await;
        assert!(
            page.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") || page.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
            "{b}: {}",
            common::nord::excerpt(&page, "alert")
        );
        assert!(!page.contains("<script>alert"), "{b}: the comment must not become markup");
        assert!(page.contains("Satisfaction par mois"), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_bad_avis_is_refused_with_french_messages_and_changes_nothing() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let (status, body) = send_json(&app, None, "POST", "/api/v1/avis", json!({"niveau": "génial", "recontacter": true})).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert_eq!(body["champs"]["niveau"], "Indiquez comment cela s'est passé : bien, moyen ou mal.", "{b}");
        assert_eq!(body["champs"]["courriel"], "Indiquez votre adresse électronique pour être recontacté.", "{b}");
        let (status, body) =
            send_json(&app, None, "POST", "/api/v1/avis", json!({"niveau": "bien", "commentaire": "x".repeat(2001)})).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert!(body["champs"]["commentaire"].as_str().is_some_and(|m| m.contains("2000")), "{b}: {body}");
        let (status, body) = send_json(&app, None, "POST", "/api/v1/avis", json!({"commentaire": "sans niveau"})).await;
        assert_eq!(status, 400, "{b}: {body}");

        // The form goes back with what was typed and the message.
        let (status, sent) =
            submit(&app, None, "/avis", &[("niveau", ""), ("commentaire", "Mon texte"), ("page", "/tribunal/recherche")]).await;
        assert_eq!(status, 303, "{b}");
        assert!(sent.starts_with("/avis?depuis=%2Ftribunal%2Frecherche&saisie=1"), "{b}: {sent}");
        let page = refused_page(&app, "", &sent).await;
        assert!(page.contains("Votre avis n'a pas été envoyé") && page.contains("bien, moyen ou mal"), "{b}");
        assert!(page.contains(">Mon texte</textarea>"), "{b}: {}", common::nord::excerpt(&page, "commentaire\""));

        // Another site cannot post an avis in a visitor's name.
        let request = Request::post("/api/v1/avis")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ORIGIN, "https://ailleurs.example")
            .header(header::HOST, "emjpm.example.fr")
            .body(Body::from(r#"{"niveau": "mal"}"#))
            .expect("requête");
        assert_eq!(send(&app, request).await.0, 403, "{b}");
        assert_eq!(count(&t.db, "avis").await, 0, "{b}: nothing was recorded");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_burst_of_parallel_avis_gets_exactly_the_allowed_number() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let burst = app::feedback::AVIS_PAR_FENETRE as usize + 6;
        let mut tasks = Vec::new();
        for i in 0..burst {
            let (app, juge) = (app.clone(), juge.clone());
            tasks.push(tokio::spawn(async move {
                let request = Request::post("/api/v1/avis")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::COOKIE, juge)
                    .body(Body::from(json!({"niveau": "bien", "commentaire": format!("n° {i}")}).to_string()))
                    .expect("requête");
                let (status, headers, _) = send(&app, request).await;
                (status, headers.get(header::RETRY_AFTER).is_some())
            }));
        }
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.expect("tâche"));
        }
        let created = answers.iter().filter(|(s, _)| *s == 201).count();
        let limited = answers.iter().filter(|(s, retry)| *s == 429 && *retry).count();
        assert_eq!((created, limited), (app::feedback::AVIS_PAR_FENETRE as usize, 6), "{b}: {answers:?}");
        assert_eq!(count(&t.db, "avis").await, app::feedback::AVIS_PAR_FENETRE, "{b}");
        // Another person is not limited by the judge's burst.
        let greffe = login(&app, "greffe.lille@exemple.fr").await;
        assert_eq!(send_json(&app, Some(&greffe), "POST", "/api/v1/avis", json!({"niveau": "moyen"})).await.0, 201, "{b}");
        t.cleanup().await;
    }
}

async fn give(app: &axum::Router, cookie: Option<&str>, body: Value) -> i64 {
    let (status, answer) = send_json(app, cookie, "POST", "/api/v1/avis", body).await;
    assert_eq!(status, 201, "{answer}");
    answer["id"].as_i64().expect("id")
}

#[tokio::test]
async fn the_team_filters_follows_up_and_answers_by_mail() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let petit = login(&app, "petit@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let du_juge = give(
            &app,
            Some(&juge),
            json!({"niveau": "mal", "commentaire": "Trop lent", "recontacter": true, "page": "/tribunal/recherche"}),
        )
        .await;
        let sans_contact = give(&app, Some(&petit), json!({"niveau": "bien", "page": "/mandataire"})).await;
        let visiteur = give(&app, None, json!({"niveau": "moyen", "recontacter": true, "courriel": "marie@exemple.fr"})).await;

        let ids = |v: &Value| v.as_array().expect("liste").iter().map(|a| a["id"].as_i64().expect("id")).collect::<Vec<_>>();
        let (status, all) = get(&app, Some(&admin), "/api/v1/avis").await;
        assert_eq!(status, 200, "{b}: {all}");
        assert_eq!(ids(&all), [visiteur, sans_contact, du_juge], "{b}: newest first");
        for (query, expected) in [
            ("role=magistrat", vec![du_juge]),
            ("role=visiteur", vec![visiteur]),
            ("niveau=bien", vec![sans_contact]),
            ("territoire=59", vec![du_juge]),
            ("territoire=62", vec![sans_contact]),
            ("territoire=r-32", vec![sans_contact, du_juge]),
            ("page=%2Ftribunal%2Frecherche", vec![du_juge]),
            ("statut=nouveau", vec![visiteur, sans_contact, du_juge]),
            ("du=2000-01-01&au=2000-12-31", vec![]),
        ] {
            let (status, list) = get(&app, Some(&admin), &format!("/api/v1/avis?{query}")).await;
            assert_eq!(status, 200, "{b} {query}: {list}");
            assert_eq!(ids(&list), expected, "{b}: {query}");
        }
        for query in ["role=roi", "niveau=super", "du=hier", "du=2026-02-01&au=2026-01-01", "numero=0"] {
            let (status, answer) = get(&app, Some(&admin), &format!("/api/v1/avis?{query}")).await;
            assert_eq!(status, 400, "{b} {query}: {answer}");
        }
        assert_eq!(all[2]["contact"], "juge.lille@exemple.fr", "{b}: a signed-in person is answered at the account's address");
        assert_eq!(all[1]["contact"], Value::Null, "{b}");
        // Nobody else reads them.
        assert_eq!(get(&app, Some(&juge), "/api/v1/avis").await.0, 403, "{b}");
        assert_eq!(get(&app, None, "/api/v1/avis").await.0, 401, "{b}");

        // Follow-up: status and tags, audited.
        let (status, sent) = submit(
            &app,
            Some(&admin),
            &format!("/admin/avis/{du_juge}/suivi"),
            &[("statut", "a_l_etude"), ("etiquettes", "Lenteur, carte, lenteur"), ("retour", "/admin/avis?statut=nouveau")],
        )
        .await;
        assert_eq!((status, sent.as_str()), (303, format!("/admin/avis?statut=nouveau&fait=suivi#avis-{du_juge}").as_str()), "{b}");
        assert_eq!(
            scalar_text(&t.db, &format!("SELECT etiquettes FROM avis WHERE id = {du_juge}")).await.as_deref(),
            Some("lenteur,carte"),
            "{b}"
        );
        assert_eq!(count(&t.db, &format!("audit_events WHERE action = 'avis.suivi' AND target_id = '{du_juge}'")).await, 1, "{b}");
        let (_, sent) = submit(&app, Some(&admin), &format!("/admin/avis/{du_juge}/suivi"), &[("statut", "termine")]).await;
        assert!(sent.contains("saisie=1"), "{b}: an unknown status is refused: {sent}");
        assert_eq!(count(&t.db, &format!("avis WHERE id = {du_juge} AND statut = 'a_l_etude'")).await, 1, "{b}: unchanged");

        // An answer by mail, to those who asked only.
        let (status, sent) = submit(
            &app,
            Some(&admin),
            &format!("/admin/avis/{du_juge}/reponse"),
            &[("reponse", "Merci, la recherche sera plus rapide en janvier.")],
        )
        .await;
        assert_eq!(status, 303, "{b}");
        assert!(sent.contains("fait=reponse"), "{b}: {sent}");
        let mail = last_mail(&t.db, "juge.lille@exemple.fr").await;
        assert_eq!(mail.sujet, "Réponse à votre avis sur e-MJPM", "{b}");
        assert!(mail.texte.contains("plus rapide en janvier") && mail.texte.contains("Trop lent"), "{b}: {}", mail.texte);
        let (_, sent) = submit(&app, Some(&admin), &format!("/admin/avis/{sans_contact}/reponse"), &[("reponse", "Bonjour")]).await;
        assert!(sent.contains("saisie=1"), "{b}: no answer to who did not ask: {sent}");
        assert_eq!(count(&t.db, "avis_reponses").await, 1, "{b}");
        let (_, list) = get(&app, Some(&admin), "/api/v1/avis?role=magistrat").await;
        assert_eq!(list[0]["reponses"][0]["destinataire"], "juge.lille@exemple.fr", "{b}: {list}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn an_evolution_marked_done_mails_each_asker_once_even_when_marked_twice_at_once() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let greffe = login(&app, "greffe.lille@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let premier = give(&app, Some(&juge), json!({"niveau": "mal", "commentaire": "Export CSV ?", "recontacter": true})).await;
        let second = give(&app, Some(&juge), json!({"niveau": "moyen", "commentaire": "Toujours pas d'export", "recontacter": true})).await;
        let visiteur = give(&app, None, json!({"niveau": "moyen", "recontacter": true, "courriel": "marie@exemple.fr"})).await;
        let discret = give(&app, Some(&greffe), json!({"niveau": "mal", "commentaire": "Export"})).await;

        let (status, sent) = submit(
            &app,
            Some(&admin),
            "/admin/evolutions",
            &[("titre", "Export CSV des mesures"), ("description", "Depuis la liste."), ("statut", "prevue")],
        )
        .await;
        assert_eq!(status, 303, "{b}: {sent}");
        let evolution = scalar_text(&t.db, "SELECT CAST(MAX(id) AS TEXT) FROM evolutions").await.expect("évolution");
        assert_eq!(count(&t.db, "evolutions WHERE statut = 'prevue'").await, 1, "{b}");
        for id in [premier, second, visiteur, discret] {
            let (status, _) =
                submit(&app, Some(&admin), &format!("/admin/avis/{id}/suivi"), &[("statut", "prevu"), ("evolution_id", &evolution)]).await;
            assert_eq!(status, 303, "{b}");
        }
        let (_, sent) = submit(&app, Some(&admin), "/admin/evolutions", &[("titre", ""), ("statut", "prevue")]).await;
        assert!(sent.contains("saisie=1"), "{b}: a title is required: {sent}");

        // Two administrators mark it done at the same moment.
        let mails_before = count(&t.db, "courriels").await;
        let fields = [("titre", "Export CSV des mesures"), ("description", "Depuis la liste."), ("statut", "fait")];
        let uri = format!("/admin/evolutions/{evolution}");
        let (a, c) = tokio::join!(submit(&app, Some(&admin), &uri, &fields), submit(&app, Some(&admin), &uri, &fields));
        assert_eq!((a.0, c.0), (303, 303), "{b}: {a:?} {c:?}");
        assert_eq!(
            count(&t.db, "courriels").await - mails_before,
            2,
            "{b}: the judge once (two avis), the visitor once, not the greffier who did not ask"
        );
        assert_eq!(count(&t.db, "courriels WHERE destinataire = 'marie@exemple.fr' AND sujet LIKE 'Évolution faite%'").await, 1, "{b}");
        assert_eq!(count(&t.db, "courriels WHERE destinataire = 'greffe.lille@exemple.fr'").await, 0, "{b}");
        assert_eq!(count(&t.db, "avis WHERE statut = 'fait'").await, 4, "{b}: the linked avis are closed");
        assert_eq!(count(&t.db, "avis WHERE informe_at IS NOT NULL").await, 3, "{b}");
        assert!(count(&t.db, "audit_events WHERE action = 'evolution.modification'").await >= 2, "{b}");
        let page = page_html(&app, &admin, "/admin/evolutions").await;
        assert!(page.contains("Export CSV des mesures") && page.contains("faite le"), "{b}");
        t.cleanup().await;
    }
}
