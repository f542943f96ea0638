//! The explained shortlist (issue 19 §4), on SQLite and PostgreSQL: every
//! result of `GET /api/v1/gestionnaires` says why it is proposed and ranked
//! there (`raisons`, the sort's criterion first), the reasons follow the
//! filters, and `tri=equitable` puts the professionals with free places
//! that the caller's tribunal asked least recently first — a reservation
//! moving them at once, for that tribunal only, even when many are made
//! together. The page says the same in words, with JavaScript off.

use crate::common;

use common::nord::{fixture, get, login, page_html, send_json};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

fn ids(page: &Value) -> Vec<i64> {
    page["resultats"].as_array().expect("résultats").iter().map(|r| r["id"].as_i64().expect("id")).collect()
}

/// A result's reasons: (code, valeur).
fn raisons(page: &Value, id: i64) -> Vec<(String, String)> {
    let r = page["resultats"].as_array().expect("résultats").iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id}: {page}"));
    r["raisons"]
        .as_array()
        .expect("raisons")
        .iter()
        .map(|x| (x["code"].as_str().expect("code").to_string(), x["valeur"].as_str().expect("valeur").to_string()))
        .collect()
}

fn valeur(raisons: &[(String, String)], code: &str) -> Option<String> {
    raisons.iter().find(|(c, _)| c == code).map(|(_, v)| v.clone())
}

async fn reserver(app: &axum::Router, juge: &str, gestionnaire_id: i64, rg: &str) {
    let demande = json!({ "gestionnaire_id": gestionnaire_id, "numero_rg": rg, "civilite": "monsieur", "annee_naissance": 1951,
                          "nature": "tutelle", "urgent": false });
    let (status, body) = send_json(app, Some(juge), "POST", "/api/v1/mesures", demande).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn every_result_says_why_and_the_fair_sort_asks_the_least_recently_solicited_first() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let lille = login(&app, "juge.lille@exemple.fr").await;
        let arras = login(&app, "juge.arras@exemple.fr").await;

        // From Lille, tutelle: distance first (the default order with a commune), then the rest.
        let (status, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?commune=59350&nature=tutelle").await;
        assert_eq!(status, 200, "{b}: {page}");
        let martin = raisons(&page, 1);
        assert_eq!(martin[0], ("distance_km".to_string(), "0".to_string()), "{b}: {martin:?}");
        assert_eq!(valeur(&martin, "places_libres").as_deref(), Some("4"), "{b}: 10 − 5 − 1");
        assert_eq!(valeur(&martin, "nature_acceptee").as_deref(), Some("tutelle"), "{b}");
        let jours =
            page["resultats"].as_array().expect("r").iter().find(|r| r["id"] == 1).expect("Martin")["jours_depuis_mise_a_jour"].to_string();
        assert_eq!(valeur(&martin, "chiffres_mis_a_jour_jours"), Some(jours), "{b}");
        assert_eq!(valeur(&martin, "jamais_reserve").as_deref(), Some(""), "{b}");
        assert_eq!(valeur(&martin, "tribunal_prefere"), None, "{b}: Martin did not choose Lille");
        assert_eq!(valeur(&martin, "competence"), None, "{b}: no competence asked");
        assert!(valeur(&raisons(&page, 2), "tribunal_prefere").is_some(), "{b}: Bruno Petit prefers Lille");
        // The service is measured from its nearest office when that is nearer.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?commune=59183&competence=Langue%20des%20Signes").await;
        let service = raisons(&page, 3);
        assert_eq!(service[0], ("antenne_km".to_string(), "0".to_string()), "{b}: {service:?}");
        assert_eq!(valeur(&service, "places_antenne").as_deref(), Some("5"), "{b}: Dunkerque 30 − 25");
        assert_eq!(valeur(&service, "competence").as_deref(), Some("Langue des Signes"), "{b}");
        // By availability: the places here first.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?tri=disponibilite").await;
        assert_eq!(raisons(&page, 3)[0], ("places_libres".to_string(), "5".to_string()), "{b}: the service's antennes in the Nord");

        // Nobody asked yet: with free places first (the service 5, Martin 4), then by name.
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?tri=equitable").await;
        assert_eq!(ids(&page), [3, 1, 4, 2], "{b}: ATMP, Martin; then Durand (suspended), Petit (full)");
        assert_eq!(raisons(&page, 3)[0].0, "jamais_reserve", "{b}");
        // Lille asks Martin: he goes after the service, for Lille only.
        reserver(&app, &lille, 1, "26/00001").await;
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?tri=equitable").await;
        assert_eq!(ids(&page), [3, 1, 4, 2], "{b}: still 3 places at Martin's, asked just now");
        assert_eq!(raisons(&page, 1)[0], ("derniere_reservation_jours".to_string(), "0".to_string()), "{b}");
        assert!(page["resultats"][1]["derniere_reservation_tribunal"].is_string(), "{b}: {page}");
        reserver(&app, &lille, 3, "26/00002").await;
        let (_, page) = get(&app, Some(&lille), "/api/v1/gestionnaires?tri=equitable").await;
        assert_eq!(ids(&page), [1, 3, 4, 2], "{b}: Martin was asked before the service");
        let (_, page) = get(&app, Some(&arras), "/api/v1/gestionnaires?tri=equitable").await;
        assert_eq!(valeur(&raisons(&page, 3), "jamais_reserve").as_deref(), Some(""), "{b}: Arras never asked the service");

        // Many reservations at once: the date kept is the latest one's.
        let mut clients = Vec::new();
        for i in 0..8 {
            let (app, lille) = (app.clone(), lille.clone());
            clients.push(tokio::spawn(async move { reserver(&app, &lille, 3, &format!("26/0010{i}")).await }));
        }
        for client in clients {
            client.await.expect("réservation");
        }
        let row =
            t.db.query_one_raw(Statement::from_string(
                t.db.get_database_backend(),
                "SELECT d.reservee_at = (SELECT MAX(e.at) FROM mesure_evenements e JOIN mesures m ON m.id = e.mesure_id \
                   WHERE e.action = 'reservee' AND m.tribunal_id = 1 AND m.gestionnaire_id = 3) AS exacte \
                 FROM dernieres_reservations d WHERE d.tribunal_id = 1 AND d.gestionnaire_id = 3",
            ))
            .await
            .expect("lecture")
            .expect("une ligne");
        assert!(row.try_get::<bool>("", "exacte").expect("exacte"), "{b}: the latest of the parallel reservations");

        // The page, with JavaScript off: the reasons in words, the sort offered.
        let html = page_html(&app, &lille, "/tribunal/recherche?tri=equitable").await;
        assert!(html.contains("Pourquoi ce mandataire"), "{b}");
        assert!(
            html.contains("dernière réservation de votre tribunal aujourd&#x27;hui")
                || html.contains("dernière réservation de votre tribunal aujourd'hui"),
            "{b}"
        );
        assert!(html.contains("jamais sollicité par votre tribunal"), "{b}");
        assert!(html.contains("value=\"equitable\""), "{b}");
        // The OpenAPI document describes the reasons and the sort.
        let (_, doc) = get(&app, None, "/api/openapi.json").await;
        let raison = &doc["components"]["schemas"]["Raison"];
        assert!(raison["description"].as_str().unwrap_or_default().contains("jamais_reserve"), "{b}: {raison}");
        assert!(doc["components"]["schemas"]["Resultat"]["properties"]["raisons"].is_object(), "{b}");
        assert!(doc.to_string().contains("equitable"), "{b}: the tri parameter names it");
        let (status, body) = get(&app, Some(&lille), "/api/v1/gestionnaires?tri=hasard").await;
        assert_eq!(status, 400, "{b}");
        assert!(body["erreur"].as_str().expect("message").contains("equitable"), "{b}: {body}");
        t.cleanup().await;
    }
}
