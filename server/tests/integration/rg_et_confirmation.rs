//! A reservation is easy to find again and its number reads as the courts write
//! it: "22/22795" typed in any usual shape is stored once ("02222795", which
//! decides uniqueness) and shown "22/22795" on the confirmation, the measure's
//! page, the lists, the mails and the messages; the confirmation links to the
//! measure; a tribunal's list starts with its latest reservations, a
//! professional's with what waits for it, urgent first (SQLite and PostgreSQL).

use crate::common;
use common::nord::{excerpt, fixture, get, login, page_html, refused_page, send_json, submit_form};
use serde_json::json;

fn form(rg: &str) -> Vec<(&str, &str)> {
    vec![("numero_rg", rg), ("civilite", "monsieur"), ("annee_naissance", "1940"), ("nature", "tutelle"), ("commune", "Roubaix (59100)")]
}

async fn mail_text(db: &sea_orm::DatabaseConnection, sujet: &str) -> String {
    use sea_orm::ConnectionTrait;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT sujet, texte FROM courriels WHERE sujet LIKE '%{sujet}%' ORDER BY id DESC"),
        ))
        .await
        .expect("courriels")
        .unwrap_or_else(|| panic!("aucun courriel « {sujet} »"));
    format!("{}\n{}", row.try_get::<String>("", "sujet").expect("sujet"), row.try_get::<String>("", "texte").expect("texte"))
}

fn ids(liste: &serde_json::Value) -> Vec<i64> {
    liste["resultats"].as_array().expect("liste").iter().map(|m| m["id"].as_i64().expect("id")).collect()
}

#[tokio::test]
async fn the_rg_reads_as_the_courts_write_it_and_the_reservation_is_found_again() {
    for t in common::databases().await {
        let b = t.backend;
        fixture(&t.db).await;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;

        // An urgent reservation first, through the API.
        let urgente = json!({ "gestionnaire_id": 1, "numero_rg": "21/00007", "civilite": "madame", "annee_naissance": 1950,
                              "nature": "tutelle", "urgent": true });
        let (status, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", urgente).await;
        assert_eq!(status, 201, "{b}: {body}");
        let urgent_id = body["id"].as_i64().expect("id");

        // Then the form, "22/22795" typed as the clerk has it.
        let (status, location) = submit_form(&app, &juge, "/tribunal/mandataires/1/reserver", &form("22/22795")).await;
        assert_eq!(status, 303, "{b}: {location}");
        let (_, liste) = get(&app, Some(&juge), "/api/v1/mesures?q=22795").await;
        let mesure = liste["resultats"][0].clone();
        assert_eq!(mesure["numero_rg"], "02222795", "{b}: stored normalised: {liste}");
        let id = mesure["id"].as_i64().expect("id");
        assert!(location.contains(&format!("mesure={id}")), "{b}: the confirmation knows the measure: {location}");

        // The confirmation shows the court's form and links to the measure.
        let confirmation = page_html(&app, &juge, &location).await;
        assert!(confirmation.contains("Mesure RG 22/22795 réservée"), "{b}: {}", excerpt(&confirmation, "réservée"));
        assert!(confirmation.contains(&format!(r#"href="/tribunal/mesures/{id}""#)), "{b}: link to the measure");
        let page = page_html(&app, &juge, &format!("/tribunal/mesures/{id}")).await;
        assert!(page.contains("Mesure RG 22/22795"), "{b}: {}", excerpt(&page, "<h1"));
        assert!(page.contains("Monsieur, né en 1940"), "{b}: {}", excerpt(&page, "Monsieur"));
        let page = page_html(&app, &martin, &format!("/mandataire/mesures/{id}")).await;
        assert!(page.contains("Mesure RG 22/22795"), "{b}: the professional reads it so too");
        let modification = page_html(&app, &juge, &format!("/tribunal/mesures/{id}/modifier")).await;
        assert!(modification.contains(r#"value="22/22795""#), "{b}: {}", excerpt(&modification, "numero_rg"));
        let mail = mail_text(&t.db, "Nouvelle mesure réservée").await;
        assert!(mail.contains("RG 22/22795") && !mail.contains("02222795"), "{b}: {mail}");

        // Typed again in another shape it is the same number: refused, said in the court's form.
        for typed in ["22 22795", "2222795"] {
            let (status, location) = submit_form(&app, &juge, "/tribunal/mandataires/1/reserver", &form(typed)).await;
            assert_eq!(status, 303, "{b}: {location}");
            assert!(location.contains("erreur_numero_rg="), "{b}: {typed}: {location}");
            let shown = refused_page(&app, &juge, &location).await;
            assert!(shown.contains("RG 22/22795 de votre tribunal est déjà"), "{b}: {typed}: {}", excerpt(&shown, "déjà"));
        }

        // A tribunal sees its latest reservation first, the urgent one flagged
        // below it; the professional sees the urgent one first.
        let (_, liste) = get(&app, Some(&juge), "/api/v1/mesures").await;
        assert_eq!(ids(&liste)[..2], [id, urgent_id], "{b}: tribunal: latest first: {liste}");
        let (_, liste) = get(&app, Some(&martin), "/api/v1/mesures").await;
        assert_eq!(ids(&liste)[..2], [urgent_id, id], "{b}: professional: urgent pending first: {liste}");
        let (_, liste) = get(&app, Some(&juge), "/api/v1/mesures?tri=statut").await;
        assert_eq!(ids(&liste)[..2], [urgent_id, id], "{b}: the tribunal may still ask for it: {liste}");
        let list_page = page_html(&app, &juge, "/tribunal/mesures").await;
        let (recent, urgent) = (list_page.find("RG 22/22795"), list_page.find("RG 21/00007"));
        assert!(recent.is_some() && urgent.is_some() && recent < urgent, "{b}: the page too: {}", excerpt(&list_page, "RG "));
        assert!(list_page.contains("Les plus récentes (par défaut)"), "{b}: the order is said");
        t.cleanup().await;
    }
}
