//! The users to rescue, on SQLite and PostgreSQL: every reason found on the
//! Nord fixture where each one is set up (and its near misses are not), the
//! team's backlog first, the last useful action said; the team only.

use crate::common;

use common::nord::{fixture, get, login, page_html, send_json};
use sea_orm::ConnectionTrait;
use serde_json::json;

#[tokio::test]
async fn each_reason_finds_its_people_and_only_them() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let ago = |days: i64| (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
        // A sign-up waiting 10 days, and one of today (not late).
        for (email, age) in [("attente.longue@exemple.fr", 10), ("attente.courte@exemple.fr", 0)] {
            let id = common::insert_user(&t.db, email, "greffier", false).await;
            t.db.execute_unprepared(&format!(
                "INSERT INTO greffiers (user_id, tribunal_id) VALUES ({id}, 1); INSERT INTO inscriptions (user_id, created_at) VALUES ({id}, '{}');",
                ago(age)
            ))
            .await
            .expect("inscription");
        }
        // The greffier's account is 8 days old, never used.
        t.db.execute_unprepared(&format!("UPDATE users SET created_at = '{}' WHERE email = 'greffe.lille@exemple.fr'", ago(8)))
            .await
            .expect("âge");
        // Petit asked for a new password 2 days ago and left the link.
        t.db.execute_unprepared(&format!(
            "INSERT INTO jetons_mot_de_passe (jeton_hash, user_id, created_at, expires_at) SELECT 'h1', id, '{}', '{}' FROM users WHERE email = 'petit@exemple.fr'",
            ago(2),
            ago(1)
        ))
        .await
        .expect("lien");
        // The Lille judge searches today, and searched 2 and 3 days ago (a
        // search is counted once an hour at most); the Arras judge too, then
        // reserves with Petit.
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let arras = login(&app, "juge.arras@exemple.fr").await;
        for juge in [&lille, &arras] {
            assert_eq!(get(&app, Some(juge), "/api/v1/gestionnaires").await.0, 200, "{b}");
        }
        for (email, days) in
            [("juge.lille@exemple.fr", 2), ("juge.lille@exemple.fr", 3), ("juge.arras@exemple.fr", 2), ("juge.arras@exemple.fr", 3)]
        {
            t.db.execute_unprepared(&format!(
                "INSERT INTO usages (at, user_id, action) SELECT '{}', id, 'recherche' FROM users WHERE email = '{email}'",
                ago(days)
            ))
            .await
            .expect("recherches passées");
        }
        app::usage::rebuild_weeks(&t.db).await.expect("actions par semaine");
        let reservation = json!({"gestionnaire_id": 2, "numero_rg": "RELANCE/1", "civilite": "madame", "annee_naissance": 1948, "nature": "tutelle", "urgent": false});
        assert_eq!(send_json(&app, Some(&arras), "POST", "/api/v1/mesures", reservation).await.0, 201, "{b}");
        // …reserved 10 days ago, still unanswered.
        t.db.execute_unprepared(&format!("UPDATE mesures SET created_at = '{}' WHERE numero_rg LIKE 'RELANCE%'", ago(10)))
            .await
            .expect("âge");
        // Martin's figures are 70 days old; ATMP Nord's antennes all declare 0.
        t.db.execute_unprepared(&format!("UPDATE gestionnaires SET derniere_mise_a_jour = '{}' WHERE id = 1", ago(70)))
            .await
            .expect("chiffres");
        t.db.execute_unprepared("UPDATE antennes SET mesures_max = 0 WHERE gestionnaire_id = 3").await.expect("antennes");

        let admin = login(&app, "admin@exemple.fr").await;
        let (status, list) = get(&app, Some(&admin), "/api/v1/a-relancer").await;
        assert_eq!(status, 200, "{b}: {list}");
        let found: Vec<(String, String)> = list
            .as_array()
            .expect("liste")
            .iter()
            .map(|p| (p["raison"].as_str().expect("raison").to_string(), p["email"].as_str().expect("email").to_string()))
            .collect();
        let expected: Vec<(String, String)> = [
            ("inscription_en_attente", "attente.longue@exemple.fr"),
            ("jamais_connecte", "greffe.lille@exemple.fr"),
            ("acces_perdu", "petit@exemple.fr"),
            ("recherche_sans_reservation", "juge.lille@exemple.fr"),
            ("reservation_sans_reponse", "petit@exemple.fr"),
            ("chiffres_anciens", "martin@exemple.fr"),
            ("antennes_a_zero", "atmp.admin@exemple.fr"),
        ]
        .iter()
        .map(|(r, e)| (r.to_string(), e.to_string()))
        .collect();
        assert_eq!(found, expected, "{b}: {list}");
        let juge = &list[3];
        assert_eq!(juge["territoire"], "59 — Nord", "{b}");
        assert!(juge["derniere_action"].as_str().is_some_and(|a| a.starts_with("recherche de mandataire le ")), "{b}: {juge}");

        let page = page_html(&app, &admin, "/admin/a-relancer").await;
        assert!(page.contains("7 personnes à relancer") && page.contains("attente.longue@exemple.fr"), "{b}");
        assert_eq!(get(&app, Some(&lille), "/api/v1/a-relancer").await.0, 403, "{b}");
        assert_eq!(get(&app, None, "/api/v1/a-relancer").await.0, 401, "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_team_nudges_once_marks_handled_edits_templates_and_sees_what_worked() {
    use common::client::{last_mail, submit};
    use common::count;
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let ago = |days: i64| (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
        t.db.execute_unprepared(&format!(
            "UPDATE users SET created_at = '{}' WHERE email IN ('greffe.lille@exemple.fr', 'juge.arras@exemple.fr', 'petit@exemple.fr')",
            ago(8)
        ))
        .await
        .expect("âge");
        let id_of = |email: &str| {
            let db = &t.db;
            let sql = format!("SELECT id FROM users WHERE email = '{email}'");
            async move {
                let row = db
                    .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql))
                    .await
                    .expect("lecture")
                    .expect("compte");
                row.try_get_by_index::<i32>(0).expect("id")
            }
        };
        let (greffe, arras, petit) =
            (id_of("greffe.lille@exemple.fr").await, id_of("juge.arras@exemple.fr").await, id_of("petit@exemple.fr").await);
        let admin = login(&app, "admin@exemple.fr").await;

        // Two administrators nudge the greffier at the same moment: one mail.
        let uri = format!("/admin/a-relancer/{greffe}/relancer");
        let fields = [("raison", "jamais_connecte")];
        let (a, c) = tokio::join!(submit(&app, Some(&admin), &uri, &fields), submit(&app, Some(&admin), &uri, &fields));
        let sent = [a.1.as_str(), c.1.as_str()];
        assert_eq!(sent.iter().filter(|s| s.starts_with("/admin/a-relancer?fait=relance")).count(), 1, "{b}: {sent:?}");
        assert!(sent.iter().any(|s| s.contains("d%C3%A9j%C3%A0+%C3%A9t%C3%A9+relanc%C3%A9") || s.contains("saisie=1")), "{b}: {sent:?}");
        assert_eq!(count(&t.db, "courriels WHERE destinataire = 'greffe.lille@exemple.fr'").await, 1, "{b}");
        let mail = last_mail(&t.db, "greffe.lille@exemple.fr").await;
        assert_eq!(mail.sujet, "Votre compte e-MJPM vous attend", "{b}");
        assert!(mail.texte.starts_with("Bonjour Camille,"), "{b}: {}", mail.texte);
        assert_eq!(count(&t.db, &format!("audit_events WHERE action = 'relance' AND target_id = '{greffe}'")).await, 1, "{b}");
        // Out of the list while followed.
        let (_, list) = get(&app, Some(&admin), "/api/v1/a-relancer").await;
        let emails: Vec<&str> = list.as_array().expect("liste").iter().filter_map(|p| p["email"].as_str()).collect();
        assert!(!emails.contains(&"greffe.lille@exemple.fr") && emails.contains(&"juge.arras@exemple.fr"), "{b}: {emails:?}");

        // The team's own template, used for the next nudge.
        let (status, sent) = submit(
            &app,
            Some(&admin),
            "/admin/a-relancer/modeles/jamais_connecte",
            &[("sujet", "On vous attend !"), ("texte", "Bonjour {prenom},\n\nUne question ? Appelez-nous.")],
        )
        .await;
        assert_eq!((status, sent.starts_with("/admin/a-relancer?fait=modele")), (303, true), "{b}: {sent}");
        submit(&app, Some(&admin), &format!("/admin/a-relancer/{arras}/relancer"), &fields).await;
        let mail = last_mail(&t.db, "juge.arras@exemple.fr").await;
        assert_eq!(mail.sujet, "On vous attend !", "{b}");
        assert!(mail.texte.contains("Bonjour Camille,\n\nUne question ? Appelez-nous."), "{b}: {}", mail.texte);
        for (uri, fields) in [
            ("/admin/a-relancer/modeles/inconnue", vec![("sujet", "x"), ("texte", "y")]),
            ("/admin/a-relancer/modeles/jamais_connecte", vec![("sujet", ""), ("texte", "y")]),
        ] {
            let (_, sent) = submit(&app, Some(&admin), uri, &fields).await;
            assert!(sent.contains("saisie=1"), "{b}: {uri} {sent}");
        }

        // Handled by phone: a note is required.
        let uri = format!("/admin/a-relancer/{petit}/traiter");
        let (_, sent) = submit(&app, Some(&admin), &uri, &[("raison", "jamais_connecte"), ("note", " ")]).await;
        assert!(sent.contains("saisie=1"), "{b}: {sent}");
        let (_, sent) = submit(&app, Some(&admin), &uri, &[("raison", "jamais_connecte"), ("note", "Appelé : mot de passe renvoyé")]).await;
        assert!(sent.starts_with("/admin/a-relancer?fait=traite"), "{b}: {sent}");
        assert_eq!(count(&t.db, "courriels WHERE destinataire = 'petit@exemple.fr'").await, 0, "{b}: no mail when handled otherwise");

        // The greffier signs in: its nudge worked.
        login(&app, "greffe.lille@exemple.fr").await;
        let page = page_html(&app, &admin, "/admin/a-relancer").await;
        assert!(page.contains("Effet des relances") && page.contains("Modèles de courriel"), "{b}");
        let (_, list) = get(&app, Some(&admin), "/api/v1/a-relancer").await;
        assert!(
            list.as_array().expect("liste").iter().all(|p| p["email"] != "petit@exemple.fr" || p["raison"] != "jamais_connecte"),
            "{b}"
        );
        let suivi = app::rescue::relance::suivi(&t.db).await.expect("suivi");
        let courriel = suivi.iter().find(|s| s.raison == "jamais_connecte" && s.mode == "courriel").expect("courriels");
        assert_eq!((courriel.nombre, courriel.reussies), (2, 1), "{b}: the greffier signed in, the Arras judge not yet");
        let traite = suivi.iter().find(|s| s.mode == "traite").expect("traité");
        assert_eq!((traite.nombre, traite.reussies), (1, 0), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn quiet_users_are_counted_by_threshold_and_asked_why_once() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let ago = |days: i64| (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
        // Everyone validated 100 days ago; the Lille judge reserved 10 days
        // ago, the greffier 45 days ago, Martin declared its capacity 70 days ago.
        t.db.execute_unprepared(&format!("UPDATE users SET valide_at = '{}', created_at = '{}'", ago(100), ago(100))).await.expect("âge");
        for (email, action, days) in [
            ("juge.lille@exemple.fr", "reservation", 10),
            ("greffe.lille@exemple.fr", "reservation", 45),
            ("martin@exemple.fr", "capacite", 70),
            // Not a useful action of a judge: still quiet.
            ("juge.arras@exemple.fr", "recherche", 1),
        ] {
            t.db.execute_unprepared(&format!(
                "INSERT INTO usages (at, user_id, action) SELECT '{}', id, '{action}' FROM users WHERE email = '{email}'",
                ago(days)
            ))
            .await
            .expect("usage");
        }
        app::usage::rebuild_weeks(&t.db).await.expect("actions par semaine");
        let admin = login(&app, "admin@exemple.fr").await;
        let page = |app: axum::Router, admin: String| async move {
            let (status, _, body) = common::send(&app, common::client::form_post(Some(&admin), "/api/fn/a_relancer", &[])).await;
            assert_eq!(status, 200, "{body}");
            serde_json::from_str::<serde_json::Value>(&body).expect("json")["inactifs"].clone()
        };
        let inactifs = page(app.clone(), admin.clone()).await;
        let groupe = |territoire: &str, role: &str| -> Vec<i64> {
            inactifs["groupes"]
                .as_array()
                .expect("groupes")
                .iter()
                .find(|g| g["territoire"] == territoire && g["role"] == role)
                .map(|g| g["nombres"].as_array().expect("n").iter().map(|n| n.as_i64().expect("n")).collect())
                .unwrap_or_default()
        };
        assert_eq!(groupe("59 — Nord", "Greffier"), [1, 0, 0], "{b}: {inactifs}");
        assert_eq!(groupe("59 — Nord", "Magistrat"), Vec::<i64>::new(), "{b}: the Lille judge is active");
        assert_eq!(groupe("59 — Nord", "Mandataire individuel"), [1, 1, 0], "{b}");
        assert_eq!(groupe("62 — Pas-de-Calais", "Magistrat"), [1, 1, 1], "{b}: searching is not reserving");
        assert!(inactifs["personnes"].as_array().expect("liste").iter().all(|p| p["email"] != "juge.lille@exemple.fr"), "{b}");

        // Asked why: one mail, even when two administrators click together.
        let id: i32 =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT id FROM users WHERE email = 'greffe.lille@exemple.fr'",
            ))
            .await
            .expect("lecture")
            .expect("compte")
            .try_get("", "id")
            .expect("id");
        let other = login(&app, "admin@exemple.fr").await;
        let uri = format!("/admin/a-relancer/pourquoi/{id}");
        let (a, c) =
            tokio::join!(common::client::submit(&app, Some(&admin), &uri, &[]), common::client::submit(&app, Some(&other), &uri, &[]));
        assert_eq!((a.0, c.0), (303, 303), "{b}");
        assert_eq!(common::count(&t.db, "pourquoi").await, 1, "{b}");
        assert_eq!(common::count(&t.db, "courriels WHERE destinataire = 'greffe.lille@exemple.fr'").await, 1, "{b}: {a:?} {c:?}");
        // Its links open the question with the answer chosen; one button answers.
        let texte = common::client::last_mail(&t.db, "greffe.lille@exemple.fr").await.texte;
        let start = texte.find("/pourquoi/").expect("lien") + "/pourquoi/".len();
        let jeton: String = texte[start..].chars().take_while(char::is_ascii_hexdigit).collect();
        let html = page_html(&app, "", &format!("/pourquoi/{jeton}?reponse=trop_complique")).await;
        assert!(html.contains("value=\"trop_complique\" checked"), "{b}");
        assert_eq!(common::count(&t.db, "pourquoi WHERE reponse IS NOT NULL").await, 0, "{b}: opening is not answering");
        let (status, sent) = common::client::submit(&app, None, &format!("/pourquoi/{jeton}"), &[("reponse", "inconnue")]).await;
        assert!(status == 303 && sent.contains("saisie=1"), "{b}: {sent}");
        let answer = [("reponse", "autre"), ("precision", "Mon service a fermé")];
        let (status, sent) = common::client::submit(&app, None, &format!("/pourquoi/{jeton}"), &answer).await;
        assert_eq!((status, sent), (303, format!("/pourquoi/{jeton}?fait=1")), "{b}");
        let inactifs = page(app.clone(), admin.clone()).await;
        let autre = inactifs["reponses"].as_array().expect("réponses").iter().find(|r| r[0] == "Autre raison").expect("autre").clone();
        assert_eq!(autre[1], 1, "{b}");
        assert_eq!(inactifs["precisions"][0], "Mon service a fermé", "{b}");
        // Another link, or an old one, answers nothing.
        assert!(page_html(&app, "", "/pourquoi/00ff").await.contains("plus valable"), "{b}");
        let (status, _) = common::client::submit(&app, None, "/pourquoi/00ff", &answer).await;
        assert_eq!(status, 303, "{b}");
        assert_eq!(common::count(&t.db, "pourquoi WHERE reponse IS NOT NULL").await, 1, "{b}");
        t.cleanup().await;
    }
}

/// The page (not the JSON) on a long list: how many people each reason
/// holds, then one reason's people fifty at a time, in the JSON's order; a
/// nudge from page 2 comes back to page 2; an unknown reason is refused.
#[tokio::test]
async fn the_page_counts_each_reason_and_shows_one_reasons_people_fifty_at_a_time() {
    use app::db::entities::users;
    use common::client::{form_post, submit};
    use sea_orm::{ActiveModelTrait, Set};
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let ten_days_ago = (chrono::Utc::now() - chrono::Duration::days(10)).fixed_offset();
        // 55 greffiers validated 10 days ago, never signed in.
        for i in 0..55 {
            let greffier = users::ActiveModel {
                email: Set(format!("greffe{i:02}@exemple.fr")),
                password_hash: Set("sans objet".into()),
                role: Set("greffier".into()),
                prenom: Set("Dominique".into()),
                nom: Set(format!("Greffe {i:02}")),
                active: Set(true),
                valide_at: Set(Some(ten_days_ago)),
                notifier_acceptation: Set(false),
                totp_actif: Set(false),
                created_at: Set(ten_days_ago),
                updated_at: Set(ten_days_ago),
                ..Default::default()
            }
            .insert(&t.db)
            .await
            .expect("greffier");
            t.db.execute_unprepared(&format!("INSERT INTO greffiers (user_id, tribunal_id) VALUES ({}, 1)", greffier.id))
                .await
                .expect("greffe");
        }
        // Martin's figures are 70 days old: another reason.
        let old = (chrono::Utc::now() - chrono::Duration::days(70)).to_rfc3339();
        t.db.execute_unprepared(&format!("UPDATE gestionnaires SET derniere_mise_a_jour = '{old}' WHERE id = 1")).await.expect("chiffres");
        let admin = login(&app, "admin@exemple.fr").await;
        // The JSON: 50 a page, how many in all in `X-Total-Count`, none past the end.
        let json_page = |uri: String| {
            let (app, admin) = (app.clone(), admin.clone());
            async move {
                let request = axum::http::Request::get(uri).header(axum::http::header::COOKIE, admin).body(axum::body::Body::empty());
                let (status, headers, body) = common::send(&app, request.expect("requête")).await;
                assert_eq!(status, 200, "{body}");
                let total = headers.get("x-total-count").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
                let emails: Vec<(String, String)> = serde_json::from_str::<serde_json::Value>(&body)
                    .expect("json")
                    .as_array()
                    .expect("liste")
                    .iter()
                    .map(|p| (p["raison"].as_str().expect("raison").to_string(), p["email"].as_str().expect("email").to_string()))
                    .collect();
                (total, emails)
            }
        };
        let (total, premiere) = json_page("/api/v1/a-relancer".into()).await;
        let (total_2, deuxieme) = json_page("/api/v1/a-relancer?page=2".into()).await;
        assert_eq!((total, total_2, premiere.len(), deuxieme.len()), (Some(56), Some(56), 50, 6), "{b}");
        assert_eq!(deuxieme.last().map(|(r, _)| r.as_str()), Some("chiffres_anciens"), "{b}: the list's order across pages");
        assert_eq!(json_page("/api/v1/a-relancer?page=3".into()).await, (Some(56), vec![]), "{b}: past the end, none");
        let jamais: Vec<String> =
            premiere.iter().chain(&deuxieme).filter(|(r, _)| r == "jamais_connecte").map(|(_, e)| e.clone()).collect();
        assert_eq!(jamais.len(), 55, "{b}");
        let (total, anciens) = json_page("/api/v1/a-relancer?raison=chiffres_anciens".into()).await;
        assert_eq!((total, anciens), (Some(1), vec![("chiffres_anciens".to_string(), "martin@exemple.fr".to_string())]), "{b}");
        let (status, refus) = get(&app, Some(&admin), "/api/v1/a-relancer?raison=inconnue").await;
        assert_eq!(status, 400, "{b}: {refus}");
        assert!(refus.to_string().contains("Raison inconnue"), "{b}: {refus}");

        let page = |fields: Vec<(&'static str, &'static str)>| {
            let (app, admin) = (app.clone(), admin.clone());
            async move {
                let (status, _, body) = common::send(&app, form_post(Some(&admin), "/api/fn/a_relancer", &fields)).await;
                (status, body)
            }
        };
        let liste = |body: &str| serde_json::from_str::<serde_json::Value>(body).expect("json")["liste"].clone();
        let emails = |liste: &serde_json::Value| -> Vec<String> {
            liste["personnes"].as_array().expect("personnes").iter().map(|p| p["email"].as_str().expect("email").to_string()).collect()
        };
        // By default, the first reason holding someone, its first 50.
        let (status, body) = page(vec![]).await;
        assert_eq!(status, 200, "{b}: {body}");
        let premiere = liste(&body);
        let raisons: Vec<(String, u64)> = premiere["raisons"]
            .as_array()
            .expect("raisons")
            .iter()
            .map(|r| (r["raison"].as_str().expect("code").to_string(), r["nombre"].as_u64().expect("nombre")))
            .collect();
        assert_eq!(raisons, [("jamais_connecte".to_string(), 55), ("chiffres_anciens".to_string(), 1)], "{b}");
        assert_eq!(
            (premiere["raison"].as_str(), premiere["page"].as_u64(), premiere["total"].as_u64()),
            (Some("jamais_connecte"), Some(1), Some(55)),
            "{b}"
        );
        assert_eq!(emails(&premiere), jamais[..50], "{b}: the JSON's order, fifty");
        // Page 2: the last five; a page past the end shows the last one.
        for asked in ["2", "9"] {
            let (status, body) = page(vec![("raison", "jamais_connecte"), ("page", asked)]).await;
            assert_eq!(status, 200, "{b}: {body}");
            let deuxieme = liste(&body);
            assert_eq!(deuxieme["page"], 2, "{b}: page {asked}");
            assert_eq!(emails(&deuxieme), jamais[50..], "{b}: page {asked}");
        }
        let (_, body) = page(vec![("raison", "chiffres_anciens")]).await;
        assert_eq!(emails(&liste(&body)), ["martin@exemple.fr"], "{b}");
        let (status, body) = page(vec![("raison", "inconnue")]).await;
        assert_eq!(status, 400, "{b}: {body}");
        assert!(body.contains("Raison inconnue : « inconnue »"), "{b}: {body}");

        // The HTML: the counts as links, page 2's people, the way back.
        let html = page_html(&app, &admin, "/admin/a-relancer?raison=jamais_connecte&page=2").await;
        assert!(html.contains("56 personnes à relancer"), "{b}");
        assert!(html.contains("href=\"/admin/a-relancer?raison=chiffres_anciens\""), "{b}");
        assert!(html.contains("55 personnes — page 2 sur 2") && html.contains("Page précédente"), "{b}");
        assert!(html.contains(&jamais[54]) && !html.contains(&format!(">{}<", jamais[0])), "{b}");
        let id: i32 =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                format!("SELECT id FROM users WHERE email = '{}'", jamais[54]),
            ))
            .await
            .expect("lecture")
            .expect("compte")
            .try_get_by_index(0)
            .expect("id");
        let retour = "/admin/a-relancer?raison=jamais_connecte&page=2";
        let (status, sent) =
            submit(&app, Some(&admin), &format!("/admin/a-relancer/{id}/relancer"), &[("raison", "jamais_connecte"), ("retour", retour)])
                .await;
        assert_eq!((status, sent.as_str()), (303, "/admin/a-relancer?raison=jamais_connecte&page=2&fait=relance"), "{b}");
        t.cleanup().await;
    }
}
