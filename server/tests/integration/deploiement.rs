//! The rollout console, on SQLite and PostgreSQL: a département's state changed
//! (checked, audited, one row per département), the JSON of every département
//! with its funnel, and the funnel's arithmetic on the Nord fixture where every
//! number is known.

use crate::common;

use common::client::submit;
use common::count;
use common::nord::{fixture, get, login, page_html, send_json, submit_form};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

fn departement<'a>(all: &'a Value, code: &str) -> &'a Value {
    all.as_array().expect("liste").iter().find(|d| d["code"] == code).expect("département")
}

fn steps(d: &Value) -> Vec<(String, i64)> {
    d["entonnoir"]
        .as_array()
        .expect("étapes")
        .iter()
        .map(|e| (e["etape"].as_str().expect("étape").to_string(), e["nombre"].as_i64().expect("nombre")))
        .collect()
}

#[tokio::test]
async fn the_team_opens_a_departement_and_every_change_is_checked_and_audited() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;

        let (status, all) = get(&app, Some(&admin), "/api/v1/deploiement").await;
        assert_eq!(status, 200, "{b}: {all}");
        assert_eq!(all.as_array().map(Vec::len), Some(3), "{b}: every département");
        assert_eq!(departement(&all, "59")["etat"], "non_ouvert", "{b}: not open until the team says so");

        // Pilot without a date: opened today; the wave is kept.
        let (status, sent) = submit(
            &app,
            Some(&admin),
            "/admin/deploiement/59",
            &[("etat", "pilote"), ("vague", "Hauts-de-France"), ("date_prevue", ""), ("date_ouverture", "")],
        )
        .await;
        assert_eq!((status, sent.as_str()), (303, "/admin/deploiement/59?fait=etat"), "{b}");
        let (_, all) = get(&app, Some(&admin), "/api/v1/deploiement").await;
        let nord = departement(&all, "59");
        assert_eq!((nord["etat"].as_str(), nord["vague"].as_str()), (Some("pilote"), Some("Hauts-de-France")), "{b}: {nord}");
        assert!(nord["date_ouverture"].as_str().is_some_and(|d| d.len() == 10), "{b}: opened today (Paris): {nord}");
        // Open, then a planned opening for Paris.
        submit(
            &app,
            Some(&admin),
            "/admin/deploiement/59",
            &[("etat", "ouvert"), ("vague", "Hauts-de-France"), ("date_ouverture", "2026-03-02")],
        )
        .await;
        submit(
            &app,
            Some(&admin),
            "/admin/deploiement/75",
            &[("etat", "non_ouvert"), ("vague", "Île-de-France — rentrée"), ("date_prevue", "2027-09-01")],
        )
        .await;
        let (_, all) = get(&app, Some(&admin), "/api/v1/deploiement").await;
        assert_eq!(departement(&all, "59")["date_ouverture"], "2026-03-02", "{b}");
        assert_eq!(departement(&all, "75")["date_prevue"], "2027-09-01", "{b}");
        assert_eq!(departement(&all, "75")["date_ouverture"], Value::Null, "{b}");
        assert_eq!(count(&t.db, "deploiements").await, 2, "{b}: one row per département");
        assert_eq!(count(&t.db, "audit_events WHERE action = 'deploiement.etat' AND target_id = '59'").await, 2, "{b}");
        assert_eq!(
            count(&t.db, "audit_events WHERE action = 'deploiement.etat' AND summary LIKE '%pilote → ouvert%'").await,
            1,
            "{b}: the journal says what changed"
        );

        // Refusals change nothing.
        for fields in [
            vec![("etat", "ferme")],
            vec![("etat", "ouvert"), ("date_ouverture", "2099-01-01")],
            vec![("etat", "pilote"), ("date_prevue", "bientôt")],
        ] {
            let (status, sent) = submit(&app, Some(&admin), "/admin/deploiement/62", &fields).await;
            assert_eq!(status, 303, "{b}");
            assert!(sent.contains("saisie=1"), "{b}: {fields:?} {sent}");
        }
        assert_eq!(count(&t.db, "deploiements WHERE departement_code = '62'").await, 0, "{b}");
        let (_, sent) = submit(&app, Some(&admin), "/admin/deploiement/99", &[("etat", "ouvert")]).await;
        assert!(sent.contains("Élément introuvable") || sent.contains("%C3%89l%C3%A9ment"), "{b}: {sent}");

        // The pages.
        let page = page_html(&app, &admin, "/admin/deploiement").await;
        assert!(page.contains("1 ouverts, 0 en pilote, 2 non ouverts."), "{b}");
        assert!(page.contains("Déploiement par département") && page.contains("59 — Nord"), "{b}");
        let page = page_html(&app, &admin, "/admin/deploiement/59").await;
        assert!(
            page.contains("Tribunal judiciaire de Lille") && page.contains("ATMP Nord") && page.contains("Entonnoir d'adoption"),
            "{b}"
        );
        // Nobody else.
        let juge = login(&app, "juge.lille@exemple.fr").await;
        assert_eq!(get(&app, Some(&juge), "/api/v1/deploiement").await.0, 403, "{b}");
        assert_eq!(get(&app, None, "/api/v1/deploiement").await.0, 401, "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_funnel_counts_each_step_from_the_accounts_and_their_useful_actions() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        // A greffier of Lille waiting for validation.
        let inscrit = common::insert_user(&t.db, "inscrit@exemple.fr", "greffier", false).await;
        let now = chrono::Utc::now().to_rfc3339();
        t.db.execute_unprepared(&format!(
            "INSERT INTO greffiers (user_id, tribunal_id) VALUES ({inscrit}, 1); INSERT INTO inscriptions (user_id, created_at) VALUES ({inscrit}, '{now}');"
        ))
        .await
        .expect("inscription");
        // Nord: the judge reserves; Martin accepts it and declares its capacity;
        // ATMP's admin only signs in; the greffier and ATMP's member never do.
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let reservation = json!({"gestionnaire_id": 1, "numero_rg": "ENTON/1", "civilite": "madame", "annee_naissance": 1948, "nature": "tutelle", "urgent": false});
        let (status, mesure) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation).await;
        assert_eq!(status, 201, "{b}: {mesure}");
        let martin = login(&app, "martin@exemple.fr").await;
        let acceptation = json!({"date_nomination": "2026-11-02", "lieu_vie": "domicile", "commune": "59512"});
        assert_eq!(
            send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{}/acceptation", mesure["id"]), acceptation).await.0,
            200,
            "{b}"
        );
        assert_eq!(
            send_json(&app, Some(&martin), "PUT", "/api/v1/moi/capacite", json!({"mesures_max": 12, "suspendu": false})).await.0,
            200,
            "{b}"
        );
        login(&app, "atmp.admin@exemple.fr").await;
        // Pas-de-Calais: Petit declares its capacity but never accepted a measure.
        let petit = login(&app, "petit@exemple.fr").await;
        assert_eq!(
            send_json(&app, Some(&petit), "PUT", "/api/v1/moi/capacite", json!({"mesures_max": 12, "suspendu": false})).await.0,
            200,
            "{b}"
        );

        // Two invitations sent in the Nord, one imported and not sent yet.
        let now = chrono::Utc::now().to_rfc3339();
        t.db.execute_unprepared(&format!(
            "INSERT INTO invitations (email, role, prenom, nom, departement_code, importee_at, envoyee_at) VALUES \
             ('a@exemple.fr', 'magistrat', 'A', 'A', '59', '{now}', '{now}'), ('b@exemple.fr', 'individuel', 'B', 'B', '59', '{now}', '{now}'), \
             ('c@exemple.fr', 'magistrat', 'C', 'C', '59', '{now}', NULL)"
        ))
        .await
        .expect("invitations");
        let admin = login(&app, "admin@exemple.fr").await;
        let (_, all) = get(&app, Some(&admin), "/api/v1/deploiement").await;
        let expected = |n: [i64; 6]| {
            ["invite", "compte_demande", "valide", "premiere_connexion", "premiere_action", "actif"]
                .iter()
                .map(|s| s.to_string())
                .zip(n)
                .collect::<Vec<_>>()
        };
        // Nord: judge, greffier, Martin, ATMP's admin and member + the waiting greffier.
        assert_eq!(steps(departement(&all, "59")), expected([2, 6, 5, 3, 2, 2]), "{b}");
        // Pas-de-Calais: the Arras judge and Petit; Petit signed in, no first useful action yet.
        assert_eq!(steps(departement(&all, "62")), expected([0, 2, 2, 1, 0, 0]), "{b}");
        assert_eq!(steps(departement(&all, "75")), expected([0, 0, 0, 0, 0, 0]), "{b}");

        // An action older than 30 days is a first action, no longer activity.
        t.db.execute_unprepared(&format!(
            "UPDATE usages SET at = '{}' WHERE action IN ('capacite', 'acceptation')",
            (chrono::Utc::now() - chrono::Duration::days(31)).to_rfc3339()
        ))
        .await
        .expect("ancienneté");
        app::usage::rebuild_weeks(&t.db).await.expect("actions par semaine");
        let (_, all) = get(&app, Some(&admin), "/api/v1/deploiement").await;
        assert_eq!(steps(departement(&all, "59")), expected([2, 6, 5, 3, 2, 1]), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_direction_reads_its_own_territorys_funnel_only_and_never_the_individuals() {
    for t in common::databases().await {
        fixture(&t.db).await;
        common::nord::ddets_du_nord(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let ddets = login(&app, "ddets59@exemple.fr").await;
        let numbers =
            |v: &Value| v["etapes"].as_array().expect("étapes").iter().map(|e| e["nombre"].as_i64().expect("n")).collect::<Vec<_>>();

        // Its own département by default: judge, greffier, Martin, ATMP ×2 and itself.
        let (status, nord) = get(&app, Some(&ddets), "/api/v1/adoption").await;
        assert_eq!(status, 200, "{b}: {nord}");
        assert_eq!(nord["territoire"], "59 — Nord", "{b}");
        assert_eq!(numbers(&nord), [0, 6, 6, 1, 0, 0], "{b}: only the direction signed in");
        assert!(!nord.to_string().contains("exemple.fr"), "{b}: counts, never people");
        let (_, juges) = get(&app, Some(&ddets), "/api/v1/adoption?territoire=59&role=magistrat").await;
        assert_eq!(numbers(&juges), [0, 1, 1, 0, 0, 0], "{b}: {juges}");
        // Another territory, or the région around it: refused.
        for other in ["62", "r-32", "75"] {
            assert_eq!(get(&app, Some(&ddets), &format!("/api/v1/adoption?territoire={other}")).await.0, 403, "{b}: {other}");
        }
        let page = common::nord::page_html(&app, &ddets, "/direction/adoption?role=magistrat").await;
        assert!(page.contains("Entonnoir d'adoption — 59 — Nord") && page.contains("Comptes demandés"), "{b}");

        // The team: any territory; a région sums its départements.
        let admin = login(&app, "admin@exemple.fr").await;
        let (status, region) = get(&app, Some(&admin), "/api/v1/adoption?territoire=r-32").await;
        assert_eq!(status, 200, "{b}: {region}");
        assert_eq!(numbers(&region)[1], 8, "{b}: Nord's 6 and Pas-de-Calais's 2");
        for bad in ["territoire=99", "territoire=r-99", "role=admin", "role=roi", "du=hier"] {
            assert_eq!(get(&app, Some(&admin), &format!("/api/v1/adoption?{bad}")).await.0, 400, "{b}: {bad}");
        }
        let juge = login(&app, "juge.lille@exemple.fr").await;
        assert_eq!(get(&app, Some(&juge), "/api/v1/adoption").await.0, 403, "{b}");
        assert_eq!(get(&app, None, "/api/v1/adoption").await.0, 401, "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn weekly_cohorts_count_each_weeks_validated_people_active_in_the_weeks_after() {
    use chrono::{Datelike, Duration, Utc};
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        // Three people validated two weeks ago (cohort 9 of 0…11, 11 being this week).
        let now = Utc::now();
        let lundi = (now - Duration::days(i64::from(now.weekday().num_days_from_monday())))
            .date_naive()
            .and_hms_opt(12, 0, 0)
            .expect("midi")
            .and_utc();
        let cohorte = lundi - Duration::weeks(2) + Duration::days(1);
        t.db.execute_unprepared(&format!(
            "UPDATE users SET valide_at = '{}' WHERE email IN ('juge.lille@exemple.fr', 'greffe.lille@exemple.fr', 'martin@exemple.fr')",
            cohorte.to_rfc3339()
        ))
        .await
        .expect("validation");
        // The judge reserves the week after (S+1) and during its own week (not counted);
        // the greffier only searches (not a useful action).
        let usage = |email: &str, action: &str, at: chrono::DateTime<Utc>| {
            format!(
                "INSERT INTO usages (at, user_id, action) SELECT '{}', id, '{action}' FROM users WHERE email = '{email}';",
                at.to_rfc3339()
            )
        };
        let sql = [
            usage("juge.lille@exemple.fr", "reservation", lundi - Duration::weeks(1) + Duration::days(2)),
            usage("juge.lille@exemple.fr", "reservation", cohorte + Duration::hours(2)),
            usage("greffe.lille@exemple.fr", "recherche", lundi - Duration::weeks(1) + Duration::days(2)),
        ]
        .concat();
        t.db.execute_unprepared(&sql).await.expect("usages");
        app::usage::rebuild_weeks(&t.db).await.expect("actions par semaine");

        let (status, adoption) = get(&app, Some(&admin), "/api/v1/adoption").await;
        assert_eq!(status, 200, "{b}: {adoption}");
        let cohortes = adoption["cohortes"].as_array().expect("cohortes");
        assert_eq!(cohortes.len(), 12, "{b}");
        assert_eq!(cohortes[9]["semaine"], (lundi - Duration::weeks(2)).date_naive().to_string(), "{b}");
        assert_eq!(cohortes[9]["valides"], 3, "{b}: {}", cohortes[9]);
        assert_eq!(cohortes[9]["actifs"][0], 1, "{b}: the judge, the week after");
        assert_eq!(cohortes[9]["actifs"][1], Value::Null, "{b}: this week is not over");
        assert_eq!(cohortes[11]["valides"], 4, "{b}: the four others, validated this week");
        assert!(cohortes[11]["actifs"].as_array().expect("semaines").iter().all(Value::is_null), "{b}");
        assert_eq!(cohortes[0]["actifs"][0], 0, "{b}: a past week without anyone counts 0");
        // A direction's cohorts are its territory's.
        common::nord::ddets_du_nord(&t.db).await;
        let ddets = login(&app, "ddets59@exemple.fr").await;
        let (_, nord) = get(&app, Some(&ddets), "/api/v1/adoption?role=magistrat").await;
        assert_eq!(nord["cohortes"][9]["valides"], 1, "{b}: the Lille judge only: {}", nord["cohortes"][9]);
        let page = page_html(&app, &admin, "/admin/deploiement/59").await;
        assert!(page.contains("Cohortes hebdomadaires — 59 — Nord") && page.contains("1 (33 %)"), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn sign_ups_from_a_territory_not_open_wait_apart_and_are_validated_in_one_action_once_it_opens() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        // The Nord is open; a greffier waits in Lille, another in Arras (Pas-de-Calais, not open).
        let (status, _) = submit_form(&app, &admin, "/admin/deploiement/59", &[("etat", "ouvert"), ("vague", "HdF")]).await;
        assert_eq!(status, 303, "{b}");
        for (email, tribunal) in [("attente.lille@exemple.fr", 1), ("attente.arras@exemple.fr", 2)] {
            let id = common::insert_user(&t.db, email, "greffier", false).await;
            t.db.execute_unprepared(&format!(
                "INSERT INTO greffiers (user_id, tribunal_id) VALUES ({id}, {tribunal}); \
                 INSERT INTO inscriptions (user_id, created_at) VALUES ({id}, CURRENT_TIMESTAMP);"
            ))
            .await
            .expect("inscription");
        }
        // An individuel of Arras whose SIRET no approval holds.
        let individuel = [
            ("role", "individuel"),
            ("prenom", "Zoé"),
            ("nom", "Zorro"),
            ("email", "zorro@exemple.fr"),
            ("telephone", "0321000000"),
            ("nouveau", "une phrase assez longue"),
            ("confirmation", "une phrase assez longue"),
            ("siret", "73282932000074"),
            ("adresse", "1 place des Héros"),
            ("commune", "Arras (62000)"),
            ("mesures_max", "20"),
        ];
        assert_eq!(submit(&app, None, "/inscription", &individuel).await.1, "/inscription?envoye=1", "{b}");

        let page = page_html(&app, &admin, "/admin/inscriptions").await;
        let attente = page.find("Liste d'attente : territoires pas encore ouverts (2)").expect("liste d'attente");
        let lille = page.find("attente.lille@exemple.fr").expect("Lille");
        let arras = page.find("attente.arras@exemple.fr").expect("Arras");
        assert!(lille < attente && attente < arras, "{b}: Lille to decide, Arras waiting");
        assert!(page.contains("62 — Pas-de-Calais (pas encore ouvert)"), "{b}");

        // Not open: no validation in bulk.
        let (status, sent) = submit_form(&app, &admin, "/admin/deploiement/62/inscriptions", &[]).await;
        assert!(status == 303 && sent.contains("saisie=1") && sent.contains("Ouvrez+d"), "{b}: {sent}");
        assert_eq!(count(&t.db, "users WHERE email = 'attente.arras@exemple.fr' AND active").await, 0, "{b}");
        // Opened in pilot: the greffier is validated, the individuel left to the team.
        submit_form(&app, &admin, "/admin/deploiement/62", &[("etat", "pilote")]).await;
        let page = page_html(&app, &admin, "/admin/deploiement/62").await;
        assert!(page.contains("Valider 2 inscriptions en attente"), "{b}");
        let (status, sent) = submit_form(&app, &admin, "/admin/deploiement/62/inscriptions", &[]).await;
        assert_eq!((status, sent.as_str()), (303, "/admin/deploiement/62?fait=inscriptions&n=1&reste=1"), "{b}");
        assert_eq!(count(&t.db, "users WHERE email = 'attente.arras@exemple.fr' AND active").await, 1, "{b}");
        assert_eq!(count(&t.db, "users WHERE email = 'zorro@exemple.fr' AND NOT active").await, 1, "{b}");
        assert_eq!(count(&t.db, "users WHERE email = 'attente.lille@exemple.fr' AND NOT active").await, 1, "{b}: another département");
        assert_eq!(common::client::last_mail(&t.db, "attente.arras@exemple.fr").await.sujet, "Votre compte e-MJPM est activé", "{b}");
        // Only the team.
        let juge = login(&app, "juge.lille@exemple.fr").await;
        assert_eq!(submit_form(&app, &juge, "/admin/deploiement/62/inscriptions", &[]).await.0, 403, "{b}");
        t.cleanup().await;
    }
}
