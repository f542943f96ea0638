//! Every transition of a measure's life against a snapshot of its row, its états
//! and its events (docs/mesures-cycle-de-vie.md), on SQLite and PostgreSQL. The
//! rule under test: no user action deletes a measure's history; a reservation
//! that reopened a closed measure, once cancelled or expired, puts the closed
//! measure back exactly as it was.

use crate::common;

use app::db::entities::{mesure_etats, mesure_evenements, mesures};
use common::nord::{fixture, get, login, send_json, zero_counters};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

/// A measure's row, états and events as stored.
#[derive(Debug, PartialEq)]
struct Snapshot {
    row: mesures::Model,
    etats: Vec<mesure_etats::Model>,
    evenements: Vec<mesure_evenements::Model>,
}

async fn snapshot(db: &DatabaseConnection, id: i64) -> Snapshot {
    let row = mesures::Entity::find_by_id(id).one(db).await.expect("lecture").expect("la mesure existe toujours");
    let etats = mesure_etats::Entity::find()
        .filter(mesure_etats::Column::MesureId.eq(id))
        .order_by_asc(mesure_etats::Column::Id)
        .all(db)
        .await
        .expect("états");
    let evenements = mesure_evenements::Entity::find()
        .filter(mesure_evenements::Column::MesureId.eq(id))
        .order_by_asc(mesure_evenements::Column::Id)
        .all(db)
        .await
        .expect("événements");
    Snapshot { row, etats, evenements }
}

/// The actions of the events added since `before`, oldest first.
fn added_actions(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    assert_eq!(after.evenements[..before.evenements.len()], before.evenements[..], "the earlier events are kept as they were");
    after.evenements[before.evenements.len()..].iter().map(|e| e.action.clone()).collect()
}

fn reservation(rg: &str) -> Value {
    json!({ "gestionnaire_id": 1, "numero_rg": rg, "civilite": "monsieur", "annee_naissance": 1962,
            "nature": "curatelle_simple", "champ": "protection_bien", "urgent": true, "cabinet": "7" })
}

/// Martin records RG `rg` of Lille's tribunal directly (en cours, in an
/// établissement) and closes it: a measure never reserved through e-MJPM.
async fn recorded_and_closed(app: &axum::Router, martin: &str, rg: &str) -> i64 {
    let creation = json!({
        "tribunal_id": 1, "numero_rg": rg, "cabinet": "3", "civilite": "madame", "annee_naissance": 1940,
        "nature": "tutelle", "champ": "protection_bien_personne", "date_nomination": "2024-03-01",
        "lieu_vie": "etablissement", "type_etablissement": "etablissement_hospitalier", "commune": "59512"
    });
    let (status, body) = send_json(app, Some(martin), "POST", "/api/v1/moi/mesures", creation).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().expect("id");
    close(app, martin, id).await;
    id
}

async fn close(app: &axum::Router, martin: &str, id: i64) {
    let (status, body) = send_json(
        app,
        Some(martin),
        "POST",
        &format!("/api/v1/mesures/{id}/cloture"),
        json!({ "cause_sortie": "deces", "date_fin": "2026-06-30" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn reserve(app: &axum::Router, juge: &str, rg: &str) -> i64 {
    let (status, body) = send_json(app, Some(juge), "POST", "/api/v1/mesures", reservation(rg)).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

async fn cancel(app: &axum::Router, juge: &str, id: i64) {
    let (status, body) = send_json(app, Some(juge), "DELETE", &format!("/api/v1/mesures/{id}"), Value::Null).await;
    assert_eq!(status, 204, "{body}");
}

async fn exact_counters(db: &DatabaseConnection, b: &str) {
    let drift = app::measures::counters::verify(db).await.expect("recomptage");
    assert!(drift.is_empty(), "{b}: counters drifted: {drift:?}");
}

#[tokio::test]
async fn cancelling_a_reopening_puts_the_closed_measure_back_exactly() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;

        // 1. Recorded directly, closed, reopened by a judge, cancelled.
        let id = recorded_and_closed(&app, &martin, "24/00100").await;
        let closed = snapshot(&t.db, id).await;
        assert_eq!(reserve(&app, &juge, "24/00100").await, id, "{b}: the closed measure is reopened");
        let reopened = snapshot(&t.db, id).await;
        assert_eq!((reopened.row.statut.as_str(), reopened.row.date_nomination), ("en_attente", None), "{b}");
        assert!(reopened.row.avant_reouverture.is_some(), "{b}: the closed measure is kept in the row");
        assert_eq!(reopened.etats, closed.etats, "{b}: reserving touches no état");
        assert_eq!(added_actions(&closed, &reopened), ["reservee"], "{b}");
        cancel(&app, &juge, id).await;
        let after = snapshot(&t.db, id).await;
        assert_eq!(after.row, closed.row, "{b}: every column back as it was");
        assert_eq!(after.etats, closed.etats, "{b}");
        assert_eq!(added_actions(&closed, &after), ["reservee", "annulee"], "{b}: the reservation stays in the history");
        exact_counters(&t.db, b).await;
        // It can still be reactivated by its professional (it was 409 before).
        let (status, body) = send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{id}/reactivation"), json!({})).await;
        assert_eq!((status, body["date_nomination"].as_str()), (200, Some("2024-03-01")), "{b}: {body}");
        close(&app, &martin, id).await;

        // 2. Accepted in the product, closed, reopened, modified, then cancelled.
        let other = reserve(&app, &juge, "26/00200").await;
        let (status, body) = send_json(
            &app,
            Some(&martin),
            "POST",
            &format!("/api/v1/mesures/{other}/acceptation"),
            json!({ "date_nomination": "2026-01-05", "lieu_vie": "domicile", "commune": "59350" }),
        )
        .await;
        assert_eq!(status, 200, "{b}: {body}");
        close(&app, &martin, other).await;
        let closed = snapshot(&t.db, other).await;
        assert_eq!(reserve(&app, &juge, "26/00200").await, other, "{b}");
        let mut modified = reservation("26/00200");
        modified["nature"] = json!("tutelle");
        modified["annee_naissance"] = json!(1970);
        let (status, body) = send_json(&app, Some(&juge), "PUT", &format!("/api/v1/mesures/{other}"), modified.clone()).await;
        assert_eq!(status, 200, "{b}: {body}");
        // Its RG cannot change: the closed measure comes back under its own.
        modified["numero_rg"] = json!("26/00201");
        let (status, body) = send_json(&app, Some(&juge), "PUT", &format!("/api/v1/mesures/{other}"), modified).await;
        assert_eq!((status, body["champs"]["numero_rg"].is_string()), (422, true), "{b}: {body}");
        cancel(&app, &juge, other).await;
        let after = snapshot(&t.db, other).await;
        assert_eq!(after.row, closed.row, "{b}: the modification is undone with the reservation");
        assert_eq!(after.etats, closed.etats, "{b}");
        assert_eq!(added_actions(&closed, &after), ["reservee", "modifiee", "annulee"], "{b}");
        exact_counters(&t.db, b).await;

        // 3. A reservation that reopened nothing is kept, ended, with its history.
        let fresh = reserve(&app, &juge, "26/00300").await;
        let reserved = snapshot(&t.db, fresh).await;
        cancel(&app, &juge, fresh).await;
        let after = snapshot(&t.db, fresh).await;
        assert_eq!(
            (after.row.statut.as_str(), after.row.date_nomination, after.row.cause_sortie.as_deref()),
            ("eteinte", None, None),
            "{b}"
        );
        assert_eq!(after.row.date_fin, Some(chrono::Utc::now().date_naive()), "{b}");
        assert_eq!(added_actions(&reserved, &after), ["annulee"], "{b}");
        let (status, detail) = get(&app, Some(&juge), &format!("/api/v1/mesures/{fresh}")).await;
        assert_eq!((status, detail["statut"].as_str()), (200, Some("eteinte")), "{b}: {detail}");
        // Reserved again and cancelled again: the ended reservation comes back as it was.
        let ended = snapshot(&t.db, fresh).await;
        assert_eq!(reserve(&app, &juge, "26/00300").await, fresh, "{b}");
        cancel(&app, &juge, fresh).await;
        assert_eq!(snapshot(&t.db, fresh).await.row, ended.row, "{b}");
        exact_counters(&t.db, b).await;
        t.cleanup().await;
    }
}

#[tokio::test]
async fn an_expired_reopening_puts_the_closed_measure_back_and_an_accepted_one_keeps_its_history() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;

        // Expiry of a reopening (the job, three months later).
        let id = recorded_and_closed(&app, &martin, "24/00400").await;
        let closed = snapshot(&t.db, id).await;
        assert_eq!(reserve(&app, &juge, "24/00400").await, id, "{b}");
        let later = chrono::Utc::now() + chrono::Duration::days(92);
        let bilan = app::measures::expiry::expire_pending(&t.db, later, "http://emjpm.test").await.expect("expiration");
        assert_eq!(bilan.expirees, 1, "{b}");
        let after = snapshot(&t.db, id).await;
        assert_eq!(after.row, closed.row, "{b}: the expiry puts the closed measure back");
        assert_eq!(after.etats, closed.etats, "{b}");
        assert_eq!(added_actions(&closed, &after), ["reservee", "expiree"], "{b}");
        exact_counters(&t.db, b).await;

        // Accepting a reopening: the reopening becomes the measure's life, the
        // earlier états and events stay, a new état is added.
        assert_eq!(reserve(&app, &juge, "24/00400").await, id, "{b}");
        let reopened = snapshot(&t.db, id).await;
        let (status, body) = send_json(
            &app,
            Some(&martin),
            "POST",
            &format!("/api/v1/mesures/{id}/acceptation"),
            json!({ "date_nomination": "2026-02-01", "lieu_vie": "domicile", "commune": "59350" }),
        )
        .await;
        assert_eq!(status, 200, "{b}: {body}");
        let accepted = snapshot(&t.db, id).await;
        assert_eq!(accepted.row.avant_reouverture, None, "{b}: nothing left to put back");
        assert_eq!(accepted.etats[..closed.etats.len()], closed.etats[..], "{b}: earlier états kept");
        assert_eq!(accepted.etats.len(), closed.etats.len() + 1, "{b}: the acceptance's état");
        assert_eq!(added_actions(&reopened, &accepted), ["acceptee"], "{b}");
        let (status, _) = send_json(&app, Some(&juge), "DELETE", &format!("/api/v1/mesures/{id}"), Value::Null).await;
        assert_eq!(status, 409, "{b}: an accepted measure is no longer the tribunal's to cancel");

        // État, closing, reactivation: each keeps every earlier état and event.
        let (status, body) = send_json(
            &app,
            Some(&martin),
            "POST",
            &format!("/api/v1/mesures/{id}/etats"),
            json!({ "date_changement": "2026-03-01", "nature": "tutelle", "lieu_vie": "sdf" }),
        )
        .await;
        assert_eq!(status, 201, "{b}: {body}");
        let with_etat = snapshot(&t.db, id).await;
        assert_eq!(with_etat.etats[..accepted.etats.len()], accepted.etats[..], "{b}");
        assert_eq!(added_actions(&accepted, &with_etat), ["etat"], "{b}");
        close(&app, &martin, id).await;
        let closed_again = snapshot(&t.db, id).await;
        assert_eq!(closed_again.etats, with_etat.etats, "{b}");
        assert_eq!(added_actions(&with_etat, &closed_again), ["cloturee"], "{b}");
        let (status, _) = send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{id}/reactivation"), json!({})).await;
        assert_eq!(status, 200, "{b}");
        let reactivated = snapshot(&t.db, id).await;
        assert_eq!(reactivated.etats, with_etat.etats, "{b}");
        assert_eq!(added_actions(&closed_again, &reactivated), ["reactivee"], "{b}");
        assert_eq!(reactivated.row.date_nomination, closed_again.row.date_nomination, "{b}");
        exact_counters(&t.db, b).await;
        t.cleanup().await;
    }
}

async fn mails(db: &DatabaseConnection, to: &str, subject: &str) -> i64 {
    common::count(db, &format!("courriels WHERE destinataire = '{to}' AND sujet LIKE '%{subject}%'")).await
}

#[tokio::test]
async fn a_professional_declines_a_reservation_with_its_reason_and_the_judge_is_told() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        let petit = login(&app, "petit@exemple.fr").await;
        let refus = |path: String, body: Value| {
            let (app, martin) = (app.clone(), martin.clone());
            async move { send_json(&app, Some(&martin), "POST", &path, body).await }
        };

        // Bad requests and other people change nothing.
        let id = reserve(&app, &juge, "26/00300").await;
        let pending = snapshot(&t.db, id).await;
        let (status, body) = refus(format!("/api/v1/mesures/{id}/refus"), json!({ "motif": "trop_loin" })).await;
        assert_eq!((status, body["champs"]["motif"].is_string()), (422, true), "{b}: {body}");
        let (status, body) = refus(format!("/api/v1/mesures/{id}/refus"), json!({ "motif": "autre", "precision": "  " })).await;
        assert_eq!((status, body["champs"]["precision"].is_string()), (422, true), "{b}: autre needs words: {body}");
        let (status, _) =
            send_json(&app, Some(&petit), "POST", &format!("/api/v1/mesures/{id}/refus"), json!({ "motif": "pas_de_place" })).await;
        assert_eq!(status, 404, "{b}: not Petit's");
        let (status, _) =
            send_json(&app, Some(&juge), "POST", &format!("/api/v1/mesures/{id}/refus"), json!({ "motif": "pas_de_place" })).await;
        assert_eq!(status, 403, "{b}: judges do not decline");
        assert_eq!(snapshot(&t.db, id).await, pending, "{b}: refusals change nothing");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (0, 1), "{b}");

        // Declined: ended with its reason, out of the counters, journaled,
        // audited, the judge mailed; once only.
        let (status, body) =
            refus(format!("/api/v1/mesures/{id}/refus"), json!({ "motif": "autre", "precision": "Déménagement prévu" })).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(body["statut"], "eteinte", "{b}");
        assert_eq!(body["refus"], json!({ "motif": "autre", "libelle": "Autre motif", "precision": "Déménagement prévu" }), "{b}");
        assert!(body["date_nomination"].is_null(), "{b}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (0, 0), "{b}");
        exact_counters(&t.db, b).await;
        let after = snapshot(&t.db, id).await;
        assert_eq!(added_actions(&pending, &after), ["refusee"], "{b}");
        assert_eq!(after.etats, pending.etats, "{b}");
        assert_eq!(mails(&t.db, "juge.lille@exemple.fr", "Réservation refusée : RG").await, 1, "{b}: the judge is told");
        assert_eq!(common::count(&t.db, &format!("audit_events WHERE action = 'mesure.refusee' AND target_id = '{id}'")).await, 1, "{b}");
        let (_, seen) = get(&app, Some(&juge), &format!("/api/v1/mesures/{id}")).await;
        assert_eq!(seen["refus"]["motif"], "autre", "{b}: the judge sees why: {seen}");
        let (status, body) = refus(format!("/api/v1/mesures/{id}/refus"), json!({ "motif": "pas_de_place" })).await;
        assert_eq!(status, 409, "{b}: once only: {body}");

        // Reserved again with the same professional: a new question, no old answer.
        assert_eq!(reserve(&app, &juge, "26/00300").await, id, "{b}");
        let (_, again) = get(&app, Some(&juge), &format!("/api/v1/mesures/{id}")).await;
        assert!(again["refus"].is_null(), "{b}: {again}");
        cancel(&app, &juge, id).await;
        let (_, cancelled) = get(&app, Some(&juge), &format!("/api/v1/mesures/{id}")).await;
        assert_eq!(cancelled["refus"]["motif"], "autre", "{b}: cancelling the new reservation puts the declined one back");

        // A reopening declined: the closed measure comes back exactly.
        let closed_id = recorded_and_closed(&app, &martin, "24/00400").await;
        let closed = snapshot(&t.db, closed_id).await;
        assert_eq!(reserve(&app, &juge, "24/00400").await, closed_id, "{b}");
        let (status, body) = refus(format!("/api/v1/mesures/{closed_id}/refus"), json!({ "motif": "conflit_interets" })).await;
        assert_eq!(status, 200, "{b}: {body}");
        let back = snapshot(&t.db, closed_id).await;
        assert_eq!(back.row, closed.row, "{b}: every column back as it was");
        assert_eq!(added_actions(&closed, &back), ["reservee", "refusee"], "{b}");
        assert_eq!(mails(&t.db, "juge.lille@exemple.fr", "Réservation refusée : RG").await, 2, "{b}: the judge who reopened is told");

        // Accepting and declining at once: exactly one wins.
        let raced = reserve(&app, &juge, "26/00500").await;
        let accept = {
            let (app, martin) = (app.clone(), martin.clone());
            async move {
                send_json(
                    &app,
                    Some(&martin),
                    "POST",
                    &format!("/api/v1/mesures/{raced}/acceptation"),
                    json!({ "date_nomination": "2026-11-02", "lieu_vie": "domicile", "commune": "59350" }),
                )
                .await
                .0
            }
        };
        let decline = async { refus(format!("/api/v1/mesures/{raced}/refus"), json!({ "motif": "hors_zone" })).await.0 };
        // Both in flight at once: each decides in its own conditional UPDATE.
        let (accepted, declined) = tokio::join!(accept, decline);
        let mut statuses = [accepted, declined];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{b}: one wins, the other is told");
        exact_counters(&t.db, b).await;
        t.cleanup().await;
    }
}
