//! The retention job on back-dated rows, on SQLite and PostgreSQL: what is past
//! its time goes, the rest stays, inactive accounts are warned then deactivated.

use crate::common;

use app::db::entities::{audit_events, courriels, users};
use app::retention::{self, Conservation};
use chrono::{Duration, Months, Utc};
use common::count;
use common::nord::{fixture, login, send_json};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, Set};
use serde_json::json;

async fn audit_at(db: &sea_orm::DatabaseConnection, action: &str, at: chrono::DateTime<Utc>) {
    audit_events::ActiveModel {
        id: NotSet,
        at: Set(at.fixed_offset()),
        actor_user_id: Set(None),
        real_actor_user_id: Set(None),
        role: Set(None),
        action: Set(action.into()),
        target_type: Set(None),
        target_id: Set(None),
        summary: Set(Some("daté".into())),
        ip: Set(None),
    }
    .insert(db)
    .await
    .expect("événement daté");
}

async fn set_user(db: &sea_orm::DatabaseConnection, email: &str, last_login: chrono::DateTime<Utc>, warned: Option<chrono::DateTime<Utc>>) {
    let user = users::Entity::find().filter(users::Column::Email.eq(email)).one(db).await.expect("lecture").expect("compte");
    let mut row: users::ActiveModel = user.into();
    row.last_login_at = Set(Some(last_login.fixed_offset()));
    row.averti_inactivite_at = Set(warned.map(|w| w.fixed_offset()));
    row.update(db).await.expect("mise à jour");
}

#[tokio::test]
async fn the_retention_job_removes_what_is_past_its_time_only() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let now = Utc::now();
        let months = |n: u32| now.checked_sub_months(Months::new(n)).expect("date");

        // Two closed measures: six years and four years after their end.
        let mut ids = Vec::new();
        for rg in ["VIEILLE/1", "RECENTE/1"] {
            let demande = json!({ "gestionnaire_id": 1, "numero_rg": rg, "civilite": "madame", "annee_naissance": 1930, "nature": "tutelle", "urgent": false });
            let (status, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", demande).await;
            assert_eq!(status, 201, "{b}: {body}");
            ids.push(body["id"].as_i64().expect("id"));
        }
        for (id, ended) in ids.iter().zip([months(72), months(48)]) {
            t.db.execute_unprepared(&format!(
                "UPDATE mesures SET statut = 'eteinte', cause_sortie = 'deces', date_fin = '{}' WHERE id = {id}",
                ended.date_naive()
            ))
            .await
            .expect("clôture datée");
        }
        // The counters no longer count them.
        t.db.execute_unprepared("UPDATE gestionnaires SET en_attente = en_attente - 2 WHERE id = 1").await.expect("compteurs");

        audit_at(&t.db, "connexion", months(13)).await;
        audit_at(&t.db, "connexion_echec", months(11)).await;
        audit_at(&t.db, "mesure.reservation", months(61)).await;
        audit_at(&t.db, "mesure.reservation", months(59)).await;
        for (sent, sujet) in [(now - Duration::days(40), "ancien"), (now - Duration::days(10), "récent")] {
            courriels::ActiveModel {
                id: NotSet,
                destinataire: Set("x@exemple.fr".into()),
                sujet: Set(sujet.into()),
                texte: Set(String::new()),
                html: Set(String::new()),
                created_at: Set(sent.fixed_offset()),
                envoi_apres: Set(sent.fixed_offset()),
                tentatives: Set(0),
                envoye_at: Set(Some(sent.fixed_offset())),
                derniere_erreur: Set(None),
                reserve_jusqua: Set(None),
            }
            .insert(&t.db)
            .await
            .expect("courriel daté");
        }
        // Martin: 6½ months without sign-in, never warned → warned. Petit: 8
        // months, warned 2 months ago → deactivated. The admin: never touched.
        set_user(&t.db, "martin@exemple.fr", now - Duration::days(200), None).await;
        set_user(&t.db, "petit@exemple.fr", months(8), Some(months(2))).await;
        set_user(&t.db, "admin@exemple.fr", months(30), None).await;
        let petit = login(&app, "petit@exemple.fr").await;
        set_user(&t.db, "petit@exemple.fr", months(8), Some(months(2))).await;

        // Two sign-ups nobody decided: four months and one month old.
        for (email, asked) in [("vieille.demande@exemple.fr", months(4)), ("recente.demande@exemple.fr", months(1))] {
            let id = common::insert_user(&t.db, email, "greffier", false).await;
            t.db.execute_unprepared(&format!(
                "INSERT INTO inscriptions (user_id, created_at) VALUES ({id}, '{}')",
                asked.fixed_offset().to_rfc3339()
            ))
            .await
            .expect("inscription datée");
        }

        // Two avis: 25 months old (past the 24 months) with an answer, and one month old.
        for (commentaire, given) in [("ancien", months(25)), ("recent", months(1))] {
            t.db.execute_unprepared(&format!(
                "INSERT INTO avis (created_at, niveau, objectif, commentaire, recontacter, statut, etiquettes)
                 VALUES ('{}', 'bien', '', '{commentaire}', false, 'nouveau', '')",
                given.fixed_offset().to_rfc3339()
            ))
            .await
            .expect("avis daté");
        }
        t.db.execute_unprepared(&format!(
            "INSERT INTO avis_reponses (avis_id, destinataire, texte, created_at)
             SELECT id, 'x@exemple.fr', 'Merci', '{}' FROM avis WHERE commentaire = 'ancien'",
            months(24).fixed_offset().to_rfc3339()
        ))
        .await
        .expect("réponse");

        // Usage 14 months old (past the 13 months) and recent: an action and a day of page views each.
        for (age, route) in [(months(14), "/ancienne"), (months(1), "/recente")] {
            t.db.execute_unprepared(&format!(
                "INSERT INTO usages (at, user_id, action) SELECT '{at}', id, 'recherche' FROM users WHERE email = 'juge.lille@exemple.fr';
                 INSERT INTO vues_pages (jour, route, role, nombre) VALUES ('{jour}', '{route}', '', 3);",
                at = age.fixed_offset().to_rfc3339(),
                jour = age.date_naive(),
            ))
            .await
            .expect("usage daté");
        }
        // A greffier whose only action is past the 13 months: its last time goes too.
        t.db.execute_unprepared(&format!(
            "INSERT INTO usages (at, user_id, action) SELECT '{}', id, 'recherche' FROM users WHERE email = 'greffe.lille@exemple.fr'",
            months(14).fixed_offset().to_rfc3339()
        ))
        .await
        .expect("usage ancien");
        app::usage::rebuild_weeks(&t.db).await.expect("actions par semaine");

        let bilan = retention::run(&t.db, &Conservation::default(), now, "http://emjpm.test").await.expect("conservation");
        assert_eq!(bilan.mesures, 1, "{b}: {bilan:?}");
        assert_eq!(bilan.usages, 3, "{b}: the two old actions and the old day of page views");
        assert_eq!(
            count(&t.db, "actions_semaine w JOIN users u ON u.id = w.user_id WHERE w.action = 'recherche' AND u.email IN ('juge.lille@exemple.fr', 'greffe.lille@exemple.fr')")
                .await,
            1,
            "{b}: the week of the judge's recent search stays, the weeks 14 months old go"
        );
        assert_eq!(
            (count(&t.db, "usages WHERE action = 'recherche'").await, count(&t.db, "vues_pages WHERE route = '/recente'").await),
            (1, 1),
            "{b}"
        );
        assert_eq!(bilan.avis, 1, "{b}");
        assert_eq!(count(&t.db, "avis WHERE commentaire = 'recent'").await, 1, "{b}: the recent avis stays");
        assert_eq!(count(&t.db, "avis_reponses").await, 0, "{b}: the answers go with their avis");
        assert_eq!(bilan.inscriptions, 1, "{b}");
        assert_eq!(count(&t.db, "users WHERE email = 'vieille.demande@exemple.fr'").await, 0, "{b}: removed");
        assert_eq!(count(&t.db, "users WHERE email = 'recente.demande@exemple.fr'").await, 1, "{b}: still waiting");
        assert_eq!(
            count(&t.db, "courriels WHERE destinataire = 'vieille.demande@exemple.fr' AND texte LIKE '%sans décision pendant 3 mois%'")
                .await,
            1,
            "{b}"
        );
        assert_eq!(count(&t.db, "audit_events WHERE action = 'inscription.expiration'").await, 1, "{b}");
        assert_eq!(count(&t.db, "mesures WHERE numero_rg LIKE 'VIEILLE%'").await, 0, "{b}");
        assert_eq!(count(&t.db, "mesures WHERE numero_rg LIKE 'RECENTE%'").await, 1, "{b}");
        assert_eq!(count(&t.db, &format!("mesure_evenements WHERE mesure_id = {}", ids[0])).await, 0, "{b}: its journal goes with it");
        assert_eq!(bilan.journal_connexions, 1, "{b}");
        assert_eq!(bilan.audit, 1, "{b}");
        assert_eq!(count(&t.db, "audit_events WHERE summary = 'daté'").await, 2, "{b}: the recent ones stay");
        assert_eq!(bilan.courriels, 1, "{b}");
        assert_eq!((bilan.comptes_avertis, bilan.comptes_desactives), (1, 1), "{b}: {bilan:?}");
        assert_eq!(count(&t.db, "courriels WHERE destinataire = 'martin@exemple.fr' AND sujet LIKE '%désactivé%'").await, 1, "{b}");
        assert_eq!(count(&t.db, "users WHERE email = 'petit@exemple.fr' AND active = false").await, 1, "{b}");
        assert_eq!(
            count(&t.db, "users WHERE email = 'admin@exemple.fr' AND active = true AND averti_inactivite_at IS NULL").await,
            1,
            "{b}"
        );
        assert_eq!(common::nord::get(&app, Some(&petit), "/api/v1/mesures").await.0, 401, "{b}: its sessions are closed");
        assert!(bilan.phrase().contains("1 mesure éteinte supprimée,"), "{}", bilan.phrase());

        // A second run finds nothing more; signing in clears the warning.
        let again = retention::run(&t.db, &Conservation::default(), now, "http://emjpm.test").await.expect("conservation");
        assert_eq!((again.mesures, again.comptes_avertis, again.comptes_desactives), (0, 0, 0), "{b}: {again:?}");
        login(&app, "martin@exemple.fr").await;
        assert_eq!(count(&t.db, "users WHERE email = 'martin@exemple.fr' AND averti_inactivite_at IS NULL").await, 1, "{b}");
        t.cleanup().await;
    }
}

#[test]
fn deactivation_must_follow_the_warning() {
    assert!(Conservation::default().with_inactivity(6, 7).is_ok());
    assert!(Conservation::default().with_inactivity(7, 7).is_err());
    assert!(Conservation::default().with_inactivity(0, 3).is_err());
}
