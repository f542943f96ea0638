//! Where the protected person lives travels with the reservation: the judge's
//! search hands the commune and the nature to the form, the form requires the
//! commune, the JSON API takes and gives it as an INSEE code, and the
//! professional sees it — with its distance — before accepting (SQLite and
//! PostgreSQL).

use crate::common;
use common::count;
use common::nord::{excerpt, fixture, get, login, page_html as html, send_json, submit_form as submit};
use serde_json::json;

fn reservation(rg: &str, commune: Option<&str>) -> serde_json::Value {
    let mut body = json!({ "gestionnaire_id": 1, "numero_rg": rg, "civilite": "madame", "annee_naissance": 1950, "nature": "tutelle" });
    if let Some(code) = commune {
        body["commune"] = json!(code);
    }
    body
}

#[tokio::test]
async fn the_persons_commune_goes_from_the_search_to_the_professional() {
    for t in common::databases().await {
        let b = t.backend;
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;

        // JSON API: the commune in, the commune and its postal code out.
        let (status, mesure) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation("26/00001", Some("59512"))).await;
        assert_eq!(status, 201, "{b}: {mesure}");
        assert_eq!(mesure["commune"], "59512", "{b}: {mesure}");
        assert_eq!(mesure["code_postal"], "59100", "{b}: {mesure}");
        let id = mesure["id"].as_i64().expect("id");
        // Optional in the API; a malformed or unknown code is refused and changes nothing.
        let before = count(&t.db, "mesures").await;
        for (code, message) in [("5951", "invalide"), ("99999", "Aucune commune")] {
            let (status, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation("26/00002", Some(code))).await;
            assert_eq!(status, 422, "{b}: {code}: {body}");
            assert!(body.to_string().contains(message) && body.to_string().contains("commune"), "{b}: {code}: {body}");
        }
        assert_eq!(count(&t.db, "mesures").await, before, "{b}: nothing reserved");
        let (status, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation("26/00003", None)).await;
        assert_eq!(status, 201, "{b}: {body}");
        assert!(body["commune"].is_null(), "{b}: {body}");

        // A change of the reservation: another commune; none sent keeps it.
        let uri = format!("/api/v1/mesures/{id}");
        let (status, body) = send_json(&app, Some(&juge), "PUT", &uri, reservation("26/00001", Some("59183"))).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!((body["commune"].as_str(), body["code_postal"].as_str()), (Some("59183"), Some("59140")), "{b}: {body}");
        let (status, body) = send_json(&app, Some(&juge), "PUT", &uri, reservation("26/00001", None)).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(body["commune"], "59183", "{b}: kept: {body}");
        let (_, body) = get(&app, Some(&juge), &uri).await;
        assert_eq!(body["commune"], "59183", "{b}: the judge reads it back: {body}");

        // The search hands the place and the nature to the form.
        let page = html(&app, &juge, "/tribunal/mandataires/1/reserver?lieu=Roubaix%20(59100)&nature_recherchee=curatelle_renforcee").await;
        assert!(page.contains(r#"value="Roubaix (59100)""#), "{b}: the commune is pre-filled");
        assert!(
            page.contains(r#"value="curatelle_renforcee" selected"#)
                || page.contains(r#"selected="" value="curatelle_renforcee""#)
                || page.contains(r#"<option value="curatelle_renforcee" selected"#),
            "{b}: the nature is pre-filled: {}",
            &page[page.find("curatelle_renforcee").unwrap_or(0)..][..200.min(page.len())]
        );

        // The form requires the commune, says so with the other fields' errors
        // and reserves nothing; typed as the search writes it, it is taken.
        let before = count(&t.db, "mesures").await;
        let fields = [("numero_rg", "26/00010"), ("civilite", "monsieur"), ("annee_naissance", "1940"), ("nature", "tutelle")];
        let (status, location) = submit(&app, &juge, "/tribunal/mandataires/1/reserver", &fields).await;
        assert_eq!(status, 303, "{b}: {location}");
        assert!(location.contains("erreur_commune=") && location.contains("26%2F00010"), "{b}: {location}");
        let mut sans_annee = fields.to_vec();
        sans_annee[2] = ("annee_naissance", "");
        sans_annee.push(("commune", "Bourg-Inconnu"));
        let (_, location) = submit(&app, &juge, "/tribunal/mandataires/1/reserver", &sans_annee).await;
        assert!(
            location.contains("erreur_commune=") && location.contains("erreur_annee_naissance="),
            "{b}: every error at once: {location}"
        );
        assert_eq!(count(&t.db, "mesures").await, before, "{b}: nothing reserved");
        let mut avec = fields.to_vec();
        avec.push(("commune", "Roubaix (59100)"));
        let (status, location) = submit(&app, &juge, "/tribunal/mandataires/1/reserver", &avec).await;
        assert_eq!(status, 303, "{b}: {location}");
        assert!(location.contains("reservee="), "{b}: {location}");
        let (_, liste) = get(&app, Some(&juge), "/api/v1/mesures?statut=en_attente").await;
        let reservee = liste["resultats"].as_array().expect("liste").iter().find(|m| m["numero_rg"] == "02600010").cloned();
        let reservee = reservee.unwrap_or_else(|| panic!("{b}: {liste}"));
        assert_eq!(reservee["commune"], "59512", "{b}: {reservee}");

        // The professional sees the commune and how far it is from its office
        // (Martin works in Lille; Roubaix is about 10 km away), and the
        // acceptance's lieu de vie starts from it.
        let mid = reservee["id"].as_i64().expect("id");
        let page = html(&app, &martin, &format!("/mandataire/mesures/{mid}")).await;
        assert!(page.contains("Roubaix (59100) — à 10,"), "{b}: distance shown: {}", excerpt(&page, "Roubaix"));
        assert!(page.contains("km de votre bureau"), "{b}");
        assert!(page.contains(r#"value="Roubaix (59100)""#), "{b}: the lieu de vie starts from it: {}", excerpt(&page, "lieu"));

        // Modifying: the form starts from the chosen commune; emptied, only
        // the commune is refused (the professional is not a field here).
        let form = html(&app, &juge, &format!("/tribunal/mesures/{mid}/modifier")).await;
        assert!(form.contains(r#"value="Roubaix (59100)""#), "{b}: {}", excerpt(&form, "commune"));
        let (status, location) = submit(&app, &juge, &format!("/tribunal/mesures/{mid}/modifier"), &fields).await;
        assert_eq!(status, 303, "{b}: {location}");
        assert!(location.contains("erreur_commune=") && !location.contains("erreur_gestionnaire_id"), "{b}: {location}");
        t.cleanup().await;
    }
}
