//! A measure's life after its reservation, through the API, on SQLite and
//! PostgreSQL: acceptance, états, closing, reactivation, cancellation, lists
//! scoped by the session, capacity — and the counters, exact after every step
//! and after thousands of concurrent random operations.

use crate::common;

use app::measures::counters;
use app::statistiques::agregats;
use common::nord::{fixture, get, login, send_json, zero_counters};
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{json, Value};

fn demande(gestionnaire_id: i64, rg: &str) -> Value {
    json!({
        "gestionnaire_id": gestionnaire_id,
        "numero_rg": rg,
        "civilite": "monsieur",
        "annee_naissance": 1951,
        "nature": "curatelle_renforcee",
        "urgent": false
    })
}

fn acceptation(date: &str) -> Value {
    json!({ "date_nomination": date, "lieu_vie": "domicile", "commune": "59512" })
}

/// Mails queued for `destinataire` whose subject contains `sujet`.
async fn mails(db: &DatabaseConnection, destinataire: &str, sujet: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM courriels WHERE destinataire = '{destinataire}' AND sujet LIKE '%{sujet}%'"),
        ))
        .await
        .expect("comptage")
        .expect("ligne");
    row.try_get("", "n").expect("n")
}

async fn reserve(app: &axum::Router, cookie: &str, gestionnaire: i64, rg: &str) -> i64 {
    let (status, body) = send_json(app, Some(cookie), "POST", "/api/v1/mesures", demande(gestionnaire, rg)).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

#[tokio::test]
async fn a_professional_accepts_follows_closes_and_reactivates_its_measure() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        let petit = login(&app, "petit@exemple.fr").await;
        let arras = login(&app, "juge.arras@exemple.fr").await;
        let older = reserve(&app, &juge, 1, "26/00001").await;
        let urgent = {
            let mut d = demande(1, "26/00002");
            d["urgent"] = json!(true);
            let (status, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", d).await;
            assert_eq!(status, 201, "{body}");
            body["id"].as_i64().expect("id")
        };
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (0, 2), "{b}");
        // Martin is told by e-mail, the urgent one says so in its subject.
        assert_eq!(mails(&t.db, "martin@exemple.fr", "RG 26/00001").await, 1, "{b}");
        assert_eq!(mails(&t.db, "martin@exemple.fr", "[URGENT]").await, 1, "{b}");
        assert_eq!(mails(&t.db, "petit@exemple.fr", "").await, 0, "{b}");

        // Martin sees both pending, the urgent one first; others see nothing of them.
        let (status, list) = get(&app, Some(&martin), "/api/v1/mesures?statut=en_attente").await;
        assert_eq!(status, 200, "{b}: {list}");
        let ids: Vec<i64> = list["resultats"].as_array().expect("r").iter().map(|m| m["id"].as_i64().expect("id")).collect();
        assert_eq!(ids, [urgent, older], "{b}: urgent first");
        assert_eq!(list["total"], 2);
        assert_eq!(list["resultats"][0]["reservee_par_nom"], "Camille Test", "{b}: {list}");
        let (_, list) = get(&app, Some(&petit), "/api/v1/mesures").await;
        assert_eq!(list["total"], 0, "{b}: Petit sees none of Martin's measures");
        for (cookie, who) in [(&petit, "another professional"), (&arras, "another tribunal")] {
            let (status, _) = get(&app, Some(cookie), &format!("/api/v1/mesures/{older}")).await;
            assert_eq!(status, 404, "{b}: {who} is told nothing exists");
        }
        let (status, _) = get(&app, Some(&juge), &format!("/api/v1/mesures/{older}")).await;
        assert_eq!(status, 200, "{b}: the reserving tribunal sees it");

        // Accepting: bad fields named, nothing changes; then accepted once only.
        let (status, body) = send_json(
            &app,
            Some(&martin),
            "POST",
            &format!("/api/v1/mesures/{older}/acceptation"),
            json!({ "date_nomination": "2099-01-01", "lieu_vie": "etablissement", "commune": "99999" }),
        )
        .await;
        assert_eq!(status, 422, "{b}: {body}");
        let champs: Vec<&String> = body["champs"].as_object().expect("champs").keys().collect();
        assert_eq!(champs, ["date_nomination", "type_etablissement"], "{b}: {body}");
        let (status, body) = send_json(
            &app,
            Some(&martin),
            "POST",
            &format!("/api/v1/mesures/{older}/acceptation"),
            json!({ "date_nomination": "2026-11-02", "lieu_vie": "domicile", "commune": "99999" }),
        )
        .await;
        assert_eq!((status, body["champs"]["commune"].is_string()), (422, true), "{b}: unknown commune: {body}");
        let (status, _) =
            send_json(&app, Some(&petit), "POST", &format!("/api/v1/mesures/{older}/acceptation"), acceptation("2026-11-02")).await;
        assert_eq!(status, 404, "{b}: not Petit's");
        let (status, _) =
            send_json(&app, Some(&juge), "POST", &format!("/api/v1/mesures/{older}/acceptation"), acceptation("2026-11-02")).await;
        assert_eq!(status, 403, "{b}: judges do not accept");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (0, 2), "{b}: refusals change nothing");
        let (status, body) =
            send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{older}/acceptation"), acceptation("2026-11-02")).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!((body["statut"].as_str(), body["date_nomination"].as_str()), (Some("en_cours"), Some("2026-11-02")));
        assert_eq!((body["commune"].as_str(), body["code_postal"].as_str()), (Some("59512"), Some("59100")), "{b}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (1, 1), "{b}");
        let (status, body) =
            send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{older}/acceptation"), acceptation("2026-11-02")).await;
        assert_eq!(status, 409, "{b}: {body}");
        assert_eq!(mails(&t.db, "juge.lille@exemple.fr", "RG 26/00001").await, 0, "{b}: the judge did not ask to be told");
        assert!(body["erreur"].as_str().expect("message").contains("en cours"), "{b}: {body}");

        // États: the latest by date is what the measure shows.
        let etat = |date: &str, nature: &str| json!({ "date_changement": date, "nature": nature, "lieu_vie": "sdf" });
        let (status, body) =
            send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{older}/etats"), etat("2026-11-20", "tutelle")).await;
        assert_eq!((status, body["nature"].as_str(), body["lieu_vie"].as_str()), (201, Some("tutelle"), Some("sdf")), "{b}: {body}");
        let (status, body) =
            send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{older}/etats"), etat("2026-11-10", "curatelle_simple")).await;
        assert_eq!((status, body["nature"].as_str()), (201, Some("tutelle")), "{b}: an older état is history only");
        let (status, body) =
            send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{older}/etats"), etat("2026-10-01", "tutelle")).await;
        assert_eq!(status, 422, "{b}: before the nomination: {body}");
        let (_, detail) = get(&app, Some(&martin), &format!("/api/v1/mesures/{older}")).await;
        let dates: Vec<&str> =
            detail["etats"].as_array().expect("états").iter().map(|e| e["date_changement"].as_str().expect("d")).collect();
        assert_eq!(dates, ["2026-11-20", "2026-11-10", "2026-11-02"], "{b}: {detail}");
        assert_eq!(detail["etats"][2]["ville"], "Roubaix", "{b}");

        // Closing: a date before the nomination changes nothing; then eteinte.
        let (status, body) = send_json(
            &app,
            Some(&martin),
            "POST",
            &format!("/api/v1/mesures/{older}/cloture"),
            json!({ "cause_sortie": "deces", "date_fin": "2026-11-01" }),
        )
        .await;
        assert_eq!(status, 422, "{b}: {body}");
        let (_, still) = get(&app, Some(&martin), &format!("/api/v1/mesures/{older}")).await;
        assert_eq!(still["statut"], "en_cours", "{b}: the refused closing was rolled back");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (1, 1), "{b}");
        let (status, body) = send_json(
            &app,
            Some(&martin),
            "POST",
            &format!("/api/v1/mesures/{older}/cloture"),
            json!({ "cause_sortie": "deces", "date_fin": "2026-11-25" }),
        )
        .await;
        assert_eq!((status, body["statut"].as_str(), body["cause_sortie"].as_str()), (200, Some("eteinte"), Some("deces")), "{b}: {body}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (0, 1), "{b}");
        let (status, _) =
            send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{older}/etats"), etat("2026-11-26", "tutelle")).await;
        assert_eq!(status, 409, "{b}: no état on a closed measure");

        // Reactivation.
        let (status, body) = send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{older}/reactivation"), json!({})).await;
        assert_eq!((status, body["statut"].as_str(), body["date_fin"].is_null()), (200, Some("en_cours"), true), "{b}: {body}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (1, 1), "{b}");
        let (status, _) = send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{urgent}/reactivation"), json!({})).await;
        assert_eq!(status, 409, "{b}: a pending measure cannot be reactivated");
        let (_, detail) = get(&app, Some(&juge), &format!("/api/v1/mesures/{older}")).await;
        let actions: Vec<&str> =
            detail["evenements"].as_array().expect("journal").iter().map(|e| e["action"].as_str().expect("a")).collect();
        assert_eq!(actions, ["reactivee", "cloturee", "etat", "etat", "acceptee", "reservee"], "{b}: {detail}");
        assert!(counters::verify(&t.db).await.expect("recomptage").is_empty(), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_tribunal_cancels_a_pending_reservation_only() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let greffe = login(&app, "greffe.lille@exemple.fr").await;
        let arras = login(&app, "juge.arras@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        let id = reserve(&app, &juge, 1, "26/00010").await;
        for (cookie, status, who) in [(&arras, 404, "another tribunal"), (&martin, 403, "the professional")] {
            let (got, body) = send_json(&app, Some(cookie), "DELETE", &format!("/api/v1/mesures/{id}"), Value::Null).await;
            assert_eq!(got, status, "{b}: {who}: {body}");
        }
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (0, 1), "{b}");
        let (status, body) = send_json(&app, Some(&greffe), "DELETE", &format!("/api/v1/mesures/{id}"), Value::Null).await;
        assert_eq!(status, 204, "{b}: the tribunal's greffier may cancel: {body}");
        assert_eq!(mails(&t.db, "martin@exemple.fr", "RG 26/00010").await, 2, "{b}: reservation, then cancellation");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (0, 0), "{b}");
        let (status, detail) = get(&app, Some(&juge), &format!("/api/v1/mesures/{id}")).await;
        assert_eq!((status, detail["statut"].as_str()), (200, Some("eteinte")), "{b}: kept as an ended reservation: {detail}");

        // Accepted: no longer cancellable. Closed, then reserved again, then cancelled: back to eteinte.
        let id = reserve(&app, &juge, 1, "26/00011").await;
        send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{id}/acceptation"), acceptation("2026-11-02")).await;
        let (status, _) = send_json(&app, Some(&juge), "DELETE", &format!("/api/v1/mesures/{id}"), Value::Null).await;
        assert_eq!(status, 409, "{b}: accepted measures stay");
        let (status, _) = send_json(
            &app,
            Some(&martin),
            "POST",
            &format!("/api/v1/mesures/{id}/cloture"),
            json!({ "cause_sortie": "mainlevee", "date_fin": "2026-11-20" }),
        )
        .await;
        assert_eq!(status, 200, "{b}");
        let again = reserve(&app, &juge, 1, "26/00011").await;
        assert_eq!(again, id, "{b}: the closed measure is reopened");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (0, 1), "{b}");
        let (status, _) = send_json(&app, Some(&juge), "DELETE", &format!("/api/v1/mesures/{id}"), Value::Null).await;
        assert_eq!(status, 204, "{b}");
        let (_, detail) = get(&app, Some(&martin), &format!("/api/v1/mesures/{id}")).await;
        assert_eq!(detail["statut"], "eteinte", "{b}: history kept: {detail}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (0, 0), "{b}");
        assert!(counters::verify(&t.db).await.expect("recomptage").is_empty(), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_tribunal_modifies_a_pending_reservation_only() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let greffe = login(&app, "greffe.lille@exemple.fr").await;
        let arras = login(&app, "juge.arras@exemple.fr").await;
        let membre = login(&app, "atmp.membre@exemple.fr").await;
        let mut d = demande(3, "26/00030");
        d["antenne_id"] = json!(1);
        let (_, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", d.clone()).await;
        let id = body["id"].as_i64().expect("id");
        let url = format!("/api/v1/mesures/{id}");
        let before = get(&app, Some(&juge), &url).await.1;
        let mut changed = d.clone();
        changed["antenne_id"] = json!(2);
        changed["nature"] = json!("tutelle");
        changed["urgent"] = json!(true);
        for (cookie, status, who) in [(&arras, 404, "another tribunal"), (&membre, 403, "the professional")] {
            let (got, body) = send_json(&app, Some(cookie), "PUT", &url, changed.clone()).await;
            assert_eq!(got, status, "{b}: {who}: {body}");
        }
        // Every bad field named, the professional cannot change, nothing written.
        let mut bad = changed.clone();
        bad["numero_rg"] = json!("123456789");
        bad["annee_naissance"] = json!(1850);
        let (status, body) = send_json(&app, Some(&juge), "PUT", &url, bad).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert!(body["champs"]["numero_rg"].is_string() && body["champs"]["annee_naissance"].is_string(), "{b}: {body}");
        let mut other = changed.clone();
        other["gestionnaire_id"] = json!(1);
        let (status, body) = send_json(&app, Some(&juge), "PUT", &url, other).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert!(body["champs"]["gestionnaire_id"].is_string(), "{b}: {body}");
        let mut foreign = changed.clone();
        foreign["antenne_id"] = json!(999);
        let (status, _) = send_json(&app, Some(&juge), "PUT", &url, foreign).await;
        assert_eq!(status, 422, "{b}: an antenne of another service");
        assert_eq!(get(&app, Some(&juge), &url).await.1, before, "{b}: refusals change nothing");
        assert_eq!(mails(&t.db, "atmp.membre@exemple.fr", "modifiée").await, 0, "{b}");

        // The tribunal's greffier changes antenne, nature and urgency: counters follow the antenne.
        let (status, body) = send_json(&app, Some(&greffe), "PUT", &url, changed.clone()).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(
            (body["antenne_id"].as_i64(), body["nature"].as_str(), body["urgent"].as_bool()),
            (Some(2), Some("tutelle"), Some(true)),
            "{b}"
        );
        assert_eq!(common::counters(&t.db, "antennes", 1).await, (0, 0), "{b}");
        assert_eq!(common::counters(&t.db, "antennes", 2).await, (0, 1), "{b}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 3).await, (0, 1), "{b}");
        assert_eq!(mails(&t.db, "atmp.membre@exemple.fr", "[URGENT] Réservation modifiée : RG 26/00030").await, 1, "{b}");
        let (_, detail) = get(&app, Some(&membre), &url).await;
        let journal = detail["evenements"].to_string();
        assert!(journal.contains("modifiee") && journal.contains("antenne, nature, urgence"), "{b}: {detail}");

        // Another pending RG of the same professional cannot be taken.
        reserve(&app, &juge, 3, "26/00031").await;
        let mut taken = changed.clone();
        taken["numero_rg"] = json!("26/00031");
        let (status, body) = send_json(&app, Some(&juge), "PUT", &url, taken).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert!(body["champs"]["numero_rg"].as_str().unwrap_or_default().contains("26/00031"), "{b}: {body}");
        // A new RG is fine; the gestionnaire_id may be left out.
        let mut renamed = changed.clone();
        renamed["numero_rg"] = json!("26/00032");
        renamed.as_object_mut().expect("objet").remove("gestionnaire_id");
        let (status, body) = send_json(&app, Some(&juge), "PUT", &url, renamed).await;
        assert_eq!((status, body["numero_rg"].as_str()), (200, Some("02600032")), "{b}: {body}");

        // Accepted: no longer modifiable.
        send_json(&app, Some(&membre), "POST", &format!("{url}/acceptation"), acceptation("2026-11-02")).await;
        let (status, body) = send_json(&app, Some(&juge), "PUT", &url, changed).await;
        assert_eq!(status, 409, "{b}: {body}");
        assert!(counters::verify(&t.db).await.expect("recomptage").is_empty(), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_professional_records_a_measure_directly() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let martin = login(&app, "martin@exemple.fr").await;
        let membre = login(&app, "atmp.membre@exemple.fr").await;
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let creation = json!({
            "tribunal_id": 2, "numero_rg": "25/777", "cabinet": "3", "civilite": "madame", "annee_naissance": 1940,
            "nature": "tutelle", "champ": "protection_bien_personne", "date_nomination": "2025-03-01",
            "lieu_vie": "etablissement", "type_etablissement": "etablissement_hospitalier", "commune": "59512"
        });
        // Refusals: every field named, unknown tribunal, a judge — nothing written.
        let (status, body) = send_json(&app, Some(&martin), "POST", "/api/v1/moi/mesures", json!({ "lieu_vie": "domicile" })).await;
        assert_eq!(status, 422, "{b}: {body}");
        for field in ["tribunal_id", "numero_rg", "civilite", "annee_naissance", "nature", "date_nomination", "commune"] {
            assert!(body["champs"][field].is_string(), "{b}: {field} not named: {body}");
        }
        let mut unknown = creation.clone();
        unknown["tribunal_id"] = json!(99);
        let (status, body) = send_json(&app, Some(&martin), "POST", "/api/v1/moi/mesures", unknown).await;
        assert_eq!((status, body["champs"]["tribunal_id"].is_string()), (422, true), "{b}: {body}");
        let (status, _) = send_json(&app, Some(&juge), "POST", "/api/v1/moi/mesures", creation.clone()).await;
        assert_eq!(status, 403, "{b}");
        assert_eq!(common::count(&t.db, "mesures").await, 0, "{b}");

        // Created en cours, first état, counted at once, visible to its tribunal (Arras), not to Lille's.
        let (status, body) = send_json(&app, Some(&martin), "POST", "/api/v1/moi/mesures", creation.clone()).await;
        assert_eq!(status, 201, "{b}: {body}");
        assert_eq!(
            (body["statut"].as_str(), body["numero_rg"].as_str(), body["tribunal_id"].as_i64()),
            (Some("en_cours"), Some("00025777"), Some(2)),
            "{b}"
        );
        let id = body["id"].as_i64().expect("id");
        assert_eq!(common::counters(&t.db, "gestionnaires", 1).await, (1, 0), "{b}");
        let (_, detail) = get(&app, Some(&martin), &format!("/api/v1/mesures/{id}")).await;
        assert_eq!(detail["etats"].as_array().map(Vec::len), Some(1), "{b}: {detail}");
        assert!(detail["evenements"].to_string().contains("creee"), "{b}: {detail}");
        let arras = login(&app, "juge.arras@exemple.fr").await;
        assert_eq!(get(&app, Some(&arras), &format!("/api/v1/mesures/{id}")).await.0, 200, "{b}");
        assert_eq!(get(&app, Some(&juge), &format!("/api/v1/mesures/{id}")).await.0, 404, "{b}");

        // The same RG of the same tribunal again: refused; once closed: reactivate instead.
        let (status, body) = send_json(&app, Some(&martin), "POST", "/api/v1/moi/mesures", creation.clone()).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert!(body["champs"]["numero_rg"].as_str().unwrap_or_default().contains("en cours"), "{b}: {body}");
        send_json(
            &app,
            Some(&martin),
            "POST",
            &format!("/api/v1/mesures/{id}/cloture"),
            json!({ "cause_sortie": "deces", "date_fin": "2026-11-01" }),
        )
        .await;
        let (_, body) = send_json(&app, Some(&martin), "POST", "/api/v1/moi/mesures", creation.clone()).await;
        assert!(body["champs"]["numero_rg"].as_str().unwrap_or_default().contains("réactivez"), "{b}: {body}");

        // A service member records one for an antenne of its own, not of another service.
        let mut service = creation.clone();
        service["antenne_id"] = json!(2);
        let (status, body) = send_json(&app, Some(&membre), "POST", "/api/v1/moi/mesures", service.clone()).await;
        assert_eq!((status, body["antenne_id"].as_i64()), (201, Some(2)), "{b}: {body}");
        assert_eq!(common::counters(&t.db, "antennes", 2).await, (1, 0), "{b}");
        service["numero_rg"] = json!("25/778");
        service["antenne_id"] = json!(7);
        let (status, _) = send_json(&app, Some(&membre), "POST", "/api/v1/moi/mesures", service).await;
        assert_eq!(status, 422, "{b}");
        assert!(counters::verify(&t.db).await.expect("recomptage").is_empty(), "{b}");
        t.cleanup().await;
    }
}

/// The numéros RG of a list, in its order.
fn rgs(list: &Value) -> Vec<String> {
    list["resultats"].as_array().expect("résultats").iter().filter_map(|m| m["numero_rg"].as_str().map(String::from)).collect()
}

#[tokio::test]
async fn the_lists_filter_by_cabinet_reserver_professional_place_dates_and_sort() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let greffe = login(&app, "greffe.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        let mut first = demande(1, "26/00040");
        first["cabinet"] = json!("1");
        assert_eq!(send_json(&app, Some(&juge), "POST", "/api/v1/mesures", first).await.0, 201, "{b}");
        let mut second = demande(3, "26/00041");
        second["cabinet"] = json!("2");
        assert_eq!(send_json(&app, Some(&greffe), "POST", "/api/v1/mesures", second).await.0, 201, "{b}");
        let direct = json!({ "tribunal_id": 1, "numero_rg": "25/00042", "civilite": "madame", "annee_naissance": 1940,
            "nature": "tutelle", "date_nomination": "2025-03-01", "lieu_vie": "domicile", "commune": "59512" });
        assert_eq!(send_json(&app, Some(&martin), "POST", "/api/v1/moi/mesures", direct).await.0, 201, "{b}");
        let greffe_id: i64 =
            t.db.query_one_raw(Statement::from_string(
                t.db.get_database_backend(),
                "SELECT CAST(id AS BIGINT) AS id FROM users WHERE email = 'greffe.lille@exemple.fr'",
            ))
            .await
            .expect("lecture")
            .expect("ligne")
            .try_get("", "id")
            .expect("id");
        let today = chrono::Utc::now().date_naive();
        let tomorrow = today + chrono::Days::new(2);
        for (query, expected) in [
            ("", vec!["02600040", "02600041", "02500042"]),
            ("cabinet=2", vec!["02600041"]),
            (&format!("reservee_par={greffe_id}") as &str, vec!["02600041"]),
            ("gestionnaire=3", vec!["02600041"]),
            (&format!("du={}&au={}", today - chrono::Days::new(1), today + chrono::Days::new(1)), vec!["02600040", "02600041"]),
            (&format!("du={tomorrow}"), vec![]),
            ("tri=rg", vec!["02500042", "02600040", "02600041"]),
            ("tri=recent", vec!["02500042", "02600041", "02600040"]),
        ] {
            let (status, list) = get(&app, Some(&juge), &format!("/api/v1/mesures?{query}")).await;
            assert_eq!(status, 200, "{b}: {query}: {list}");
            let mut got = rgs(&list);
            if query.is_empty() || query.starts_with("du=") {
                got.sort();
                let mut expected = expected.clone();
                expected.sort();
                assert_eq!(got, expected, "{b}: {query}");
            } else {
                assert_eq!(got, expected, "{b}: {query}");
            }
        }
        for bad in ["du=hier", "du=2026-11-20&au=2026-11-01", "tri=hasard", "departement=Nord!", "reservee_par=moi"] {
            let (status, body) = get(&app, Some(&juge), &format!("/api/v1/mesures?{bad}")).await;
            assert_eq!(status, 400, "{b}: {bad}: {body}");
        }
        // The professional's side: the place where the person lives.
        let (_, list) = get(&app, Some(&martin), "/api/v1/mesures?departement=59").await;
        assert_eq!(rgs(&list), ["02500042"], "{b}: {list}");
        let (_, list) = get(&app, Some(&martin), "/api/v1/mesures?departement=62").await;
        assert_eq!(rgs(&list), Vec::<String>::new(), "{b}");
        t.cleanup().await;
    }
}

/// Posts the "Courriels" preference of Mon compte; returns the status.
async fn courriels(app: &axum::Router, cookie: &str, on: bool) -> u16 {
    use axum::http::{header, Request};
    let request = Request::post("/compte/courriels")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(if on { "notifier_acceptation=oui" } else { "" }))
        .expect("requête");
    common::send(app, request).await.0
}

#[tokio::test]
async fn the_reserver_is_mailed_an_acceptance_only_when_it_asked() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        let accept = |id: i64| {
            let app = app.clone();
            let martin = martin.clone();
            async move {
                let (status, body) =
                    send_json(&app, Some(&martin), "POST", &format!("/api/v1/mesures/{id}/acceptation"), acceptation("2026-11-02")).await;
                assert_eq!(status, 200, "{body}");
            }
        };
        accept(reserve(&app, &juge, 1, "26/00060").await).await;
        assert_eq!(mails(&t.db, "juge.lille@exemple.fr", "Mesure acceptée").await, 0, "{b}: off by default");
        assert_eq!(courriels(&app, &juge, true).await, 303, "{b}");
        accept(reserve(&app, &juge, 1, "26/00061").await).await;
        assert_eq!(mails(&t.db, "juge.lille@exemple.fr", "Mesure acceptée : RG 26/00061").await, 1, "{b}");
        assert_eq!(courriels(&app, &juge, false).await, 303, "{b}");
        accept(reserve(&app, &juge, 1, "26/00062").await).await;
        assert_eq!(mails(&t.db, "juge.lille@exemple.fr", "Mesure acceptée").await, 1, "{b}: off again");
        assert_eq!(courriels(&app, &martin, true).await, 403, "{b}: not a professional's preference");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_service_moves_a_measure_to_the_antenne_that_takes_it() {
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let membre = login(&app, "atmp.membre@exemple.fr").await;
        let mut d = demande(3, "26/00020");
        d["antenne_id"] = json!(1);
        let (_, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", d).await;
        let id = body["id"].as_i64().expect("id");
        assert_eq!(common::counters(&t.db, "antennes", 1).await, (0, 1), "{b}");
        let mut a = acceptation("2026-11-02");
        a["antenne_id"] = json!(2);
        let (status, body) = send_json(&app, Some(&membre), "POST", &format!("/api/v1/mesures/{id}/acceptation"), a).await;
        assert_eq!((status, body["antenne_id"].as_i64()), (200, Some(2)), "{b}: {body}");
        assert_eq!(common::counters(&t.db, "antennes", 1).await, (0, 0), "{b}");
        assert_eq!(common::counters(&t.db, "antennes", 2).await, (1, 0), "{b}");
        assert_eq!(common::counters(&t.db, "gestionnaires", 3).await, (1, 0), "{b}");
        let (_, list) = get(&app, Some(&membre), "/api/v1/mesures?antenne=2").await;
        assert_eq!((list["total"].as_i64(), list["resultats"][0]["antenne"].as_str()), (Some(1), Some("Antenne d'Arras")), "{b}");
        assert!(counters::verify(&t.db).await.expect("recomptage").is_empty(), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn professionals_declare_their_capacity_within_the_rules() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let martin = login(&app, "martin@exemple.fr").await;
        let (status, body) = get(&app, Some(&martin), "/api/v1/moi/capacite").await;
        assert_eq!((status, body["gestionnaire_id"].as_i64(), body["disponibles"].as_i64()), (200, Some(1), Some(4)), "{b}: {body}");
        let (status, body) =
            send_json(&app, Some(&martin), "PUT", "/api/v1/moi/capacite", json!({ "mesures_max": 12, "suspendu": true })).await;
        assert_eq!((status, body["champs"]["motif_suspension"].is_string()), (422, true), "{b}: {body}");
        let (status, body) = send_json(
            &app,
            Some(&martin),
            "PUT",
            "/api/v1/moi/capacite",
            json!({ "mesures_max": 12, "suspendu": true, "motif_suspension": "Congé maternité" }),
        )
        .await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(
            (body["mesures_max"].as_i64(), body["suspendu"].as_bool(), body["disponibles"].as_i64()),
            (Some(12), Some(true), Some(-6))
        );
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let (_, page) = get(&app, Some(&juge), "/api/v1/gestionnaires/1").await;
        assert_eq!(page["suspendu"], true, "{b}: the judges see it at once: {page}");
        let (status, _) = get(&app, Some(&juge), "/api/v1/moi/capacite").await;
        assert_eq!(status, 403, "{b}");

        // A service: admins only; Σ antennes (30 + 40) ≤ service capacity.
        let membre = login(&app, "atmp.membre@exemple.fr").await;
        let admin = login(&app, "atmp.admin@exemple.fr").await;
        let (status, _) = send_json(&app, Some(&membre), "PUT", "/api/v1/moi/capacite", json!({ "mesures_max": 90 })).await;
        assert_eq!(status, 403, "{b}: a plain member cannot change the service's capacity");
        let (status, body) = send_json(&app, Some(&admin), "PUT", "/api/v1/moi/capacite", json!({ "mesures_max": 69 })).await;
        assert_eq!(status, 422, "{b}: below its antennes: {body}");
        assert!(body["champs"]["mesures_max"].as_str().expect("m").contains("70"), "{b}: {body}");
        let (status, body) = send_json(&app, Some(&admin), "PUT", "/api/v1/antennes/1/capacite", json!({ "mesures_max": 61 })).await;
        assert_eq!(status, 422, "{b}: 61 + 40 > 100: {body}");
        let (status, body) = send_json(&app, Some(&admin), "PUT", "/api/v1/antennes/1/capacite", json!({ "mesures_max": 60 })).await;
        assert_eq!((status, body["mesures_max"].as_i64(), body["disponibles"].as_i64()), (200, Some(60), Some(35)), "{b}: {body}");
        let (status, _) = send_json(&app, Some(&martin), "PUT", "/api/v1/antennes/1/capacite", json!({ "mesures_max": 1 })).await;
        assert_eq!(status, 404, "{b}: not Martin's antenne");
        let (status, _) = send_json(&app, Some(&admin), "PUT", "/api/v1/antennes/1/capacite", json!("n'importe quoi")).await;
        assert_eq!(status, 400, "{b}");
        t.cleanup().await;
    }
}

/// Thousands of random operations from concurrent clients (reserve, accept,
/// close, reactivate, cancel, decline, amend, new état, direct recording —
/// many of them refused because another client got there first), then every
/// counter and every figure kept ahead for the statistics
/// (`statistiques::agregats`) is compared with a recount: zero difference.
#[tokio::test]
async fn counters_equal_a_recount_after_thousands_of_concurrent_operations() {
    const CLIENTS: u64 = 8;
    const OPERATIONS: usize = 250;
    for t in common::databases().await {
        fixture(&t.db).await;
        zero_counters(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juges = [login(&app, "juge.lille@exemple.fr").await, login(&app, "juge.arras@exemple.fr").await];
        let pros = [(1, login(&app, "martin@exemple.fr").await), (3, login(&app, "atmp.admin@exemple.fr").await)];
        let mut clients = Vec::new();
        for client in 0..CLIENTS {
            let (app, juges, pros) = (app.clone(), juges.clone(), pros.clone());
            clients.push(tokio::spawn(async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(client);
                let mut refused = 0;
                for _ in 0..OPERATIONS {
                    let (gestionnaire, pro) = &pros[rng.gen_range(0..pros.len())];
                    let juge = &juges[rng.gen_range(0..juges.len())];
                    // A small pool of RG and ids so that clients collide often.
                    let id = rng.gen_range(1..=60);
                    let (status, body) = match rng.gen_range(0..10) {
                        0 | 1 => {
                            let mut d = demande(*gestionnaire, &format!("{:08}", rng.gen_range(1..=40)));
                            let antenne = rng.gen_range(0..3);
                            if *gestionnaire == 3 && antenne > 0 {
                                d["antenne_id"] = json!(antenne);
                            }
                            send_json(&app, Some(juge), "POST", "/api/v1/mesures", d).await
                        }
                        2 => {
                            let mut a = acceptation("2026-11-02");
                            if *gestionnaire == 3 && rng.gen_bool(0.5) {
                                a["antenne_id"] = json!(rng.gen_range(1..=2));
                            }
                            send_json(&app, Some(pro), "POST", &format!("/api/v1/mesures/{id}/acceptation"), a).await
                        }
                        3 => {
                            send_json(
                                &app,
                                Some(pro),
                                "POST",
                                &format!("/api/v1/mesures/{id}/cloture"),
                                json!({ "cause_sortie": "mainlevee", "date_fin": "2026-11-20" }),
                            )
                            .await
                        }
                        4 => send_json(&app, Some(pro), "POST", &format!("/api/v1/mesures/{id}/reactivation"), json!({})).await,
                        5 => send_json(&app, Some(juge), "DELETE", &format!("/api/v1/mesures/{id}"), Value::Null).await,
                        6 => {
                            let refus = json!({ "motif": "pas_de_place" });
                            send_json(&app, Some(pro), "POST", &format!("/api/v1/mesures/{id}/refus"), refus).await
                        }
                        7 => {
                            let mut d = demande(*gestionnaire, &format!("{:08}", rng.gen_range(1..=40)));
                            d["nature"] = json!(["tutelle", "curatelle_simple"][rng.gen_range(0..2)]);
                            send_json(&app, Some(juge), "PUT", &format!("/api/v1/mesures/{id}"), d).await
                        }
                        8 => {
                            let nature = ["tutelle", "sauvegarde_justice"][rng.gen_range(0..2)];
                            let etat = json!({ "date_changement": "2026-11-25", "nature": nature, "lieu_vie": "etablissement",
                                               "type_etablissement": "etablissement_hospitalier", "commune": "59512" });
                            send_json(&app, Some(pro), "POST", &format!("/api/v1/mesures/{id}/etats"), etat).await
                        }
                        _ => {
                            let creation = json!({
                                "tribunal_id": rng.gen_range(1..=2), "numero_rg": format!("{:08}", rng.gen_range(1..=40)),
                                "civilite": "madame", "annee_naissance": 1940, "nature": "tutelle", "date_nomination": "2025-03-01",
                                "lieu_vie": "domicile", "commune": "59512"
                            });
                            send_json(&app, Some(pro), "POST", "/api/v1/moi/mesures", creation).await
                        }
                    };
                    match status {
                        200 | 201 | 204 => {}
                        404 | 409 | 422 => refused += 1,
                        other => panic!("statut inattendu {other} : {body}"),
                    }
                }
                refused
            }));
        }
        let mut refused = 0;
        for client in clients {
            refused += client.await.expect("client");
        }
        let total = CLIENTS as usize * OPERATIONS;
        assert!(refused < total, "{b}: some operations must succeed");
        let ecarts = counters::verify(&t.db).await.expect("recomptage");
        assert!(ecarts.is_empty(), "{b}: {} écarts : {:?}", ecarts.len(), ecarts);
        let (en_cours, en_attente) = common::counters(&t.db, "gestionnaires", 1).await;
        println!("{b}: {total} opérations, {refused} refusées ; Martin : {en_cours} en cours, {en_attente} en attente");
        assert!(en_cours + en_attente > 0, "{b}: the run must leave measures behind");
        let ecarts = agregats::ecarts(&t.db).await.expect("recomptage des statistiques");
        assert!(ecarts.is_empty(), "{b}: {} écarts des statistiques : {:?}", ecarts.len(), ecarts);
        let comptes = agregats::lire(&t.db).await.expect("statistiques");
        for fait in ["nouvelle", "nature", "nommee", "sortie", "fin"] {
            assert!(comptes.keys().any(|c| c.0 == fait), "{b}: the run moves the figure {fait}: {comptes:?}");
        }
        // A figure changed behind the application's back is found, then counted again.
        t.db.execute_unprepared("UPDATE statistiques_mesures SET nombre = nombre + 1 WHERE fait = 'nommee'").await.expect("dérive");
        assert!(!agregats::ecarts(&t.db).await.expect("recomptage").is_empty(), "{b}");
        agregats::reconstruire(&t.db).await.expect("reconstruction");
        assert!(agregats::ecarts(&t.db).await.expect("recomptage").is_empty(), "{b}");

        // verify-counters --fix mends a drift made behind the application's back.
        t.db.execute_unprepared("UPDATE gestionnaires SET en_cours = en_cours + 7 WHERE id = 1").await.expect("dérive");
        let ecarts = counters::verify(&t.db).await.expect("recomptage");
        assert_eq!(ecarts.len(), 1, "{b}");
        assert_eq!(ecarts[0].en_cours, (en_cours + 7, en_cours), "{b}");
        counters::fix(&t.db, &ecarts).await.expect("correction");
        assert!(counters::verify(&t.db).await.expect("recomptage").is_empty(), "{b}");
        t.cleanup().await;
    }
}
