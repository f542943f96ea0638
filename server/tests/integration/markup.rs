//! Markup typed into any free text is shown as text, never as markup — in
//! lists, pages and the edit forms that give it back (a note's edit box was
//! closed by `</textarea>` and the rest became the author's page). On SQLite and
//! PostgreSQL: markup stored in every kind of free-text field, every page that
//! shows it read as its users read it.

use crate::common;

use common::nord::{fixture, login, page_html as page, send_json};
use sea_orm::ConnectionTrait;
use serde_json::json;

/// Closes a textarea, a title and an attribute, then opens a heading and a link.
const PIEGE: &str = r#"</textarea></title>"><h1 id="piege">Piège</h1><a href="https://piege.example/">lien</a>"#;

fn raw_markup(page: &str) -> bool {
    page.contains(r#"<h1 id="piege""#) || page.contains(r#"<a href="https://piege.example/""#) || page.contains("</textarea></title>")
}

#[tokio::test]
async fn markup_in_every_free_text_is_shown_as_text_on_every_page() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;
        let atmp = login(&app, "atmp.admin@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let (status, body) = send_json(
            &app,
            Some(&juge),
            "POST",
            "/api/v1/mesures",
            json!({ "gestionnaire_id": 1, "numero_rg": "26/00077", "civilite": "madame", "annee_naissance": 1950, "nature": "tutelle" }),
        )
        .await;
        assert_eq!(status, 201, "{b}: {body}");
        let mesure = body["id"].as_i64().expect("id");
        // Markup in every kind of free text: a judge's note, a measure's cabinet,
        // a professional's address and skills, an antenne's name, a person's
        // name, an approval's name.
        let sql = format!(
            "INSERT INTO notes (gestionnaire_id, tribunal_id, auteur_user_id, contenu, created_at, updated_at)
               SELECT 1, 1, id, '{PIEGE}', created_at, created_at FROM users WHERE email = 'juge.lille@exemple.fr';
             UPDATE mesures SET cabinet = '{PIEGE}' WHERE id = {mesure};
             UPDATE gestionnaires SET adresse = '{PIEGE}', competences = '{PIEGE}' WHERE id IN (1, 3);
             UPDATE antennes SET nom = '{PIEGE}' WHERE id = 1;
             UPDATE users SET prenom = '{PIEGE}' WHERE email IN ('juge.lille@exemple.fr', 'martin@exemple.fr');
             UPDATE liste_blanche SET nom = '{PIEGE}' WHERE id = 1;"
        );
        t.db.execute_unprepared(&sql).await.expect("textes piégés");

        let pages = [
            (&juge, "/tribunal".to_string()),
            (&juge, "/tribunal/mandataires/1".to_string()),
            (&juge, "/tribunal/mesures".to_string()),
            (&juge, format!("/tribunal/mesures/{mesure}")),
            (&juge, format!("/tribunal/mesures/{mesure}/modifier")),
            (&juge, "/tribunal/recherche?lieu=Lille&commune=59350".to_string()),
            (&juge, "/compte".to_string()),
            (&martin, "/mandataire".to_string()),
            (&martin, "/mandataire/mesures".to_string()),
            (&martin, format!("/mandataire/mesures/{mesure}")),
            (&martin, "/mandataire/profil".to_string()),
            (&atmp, "/mandataire/antennes".to_string()),
            (&atmp, "/mandataire/antennes/1".to_string()),
            (&admin, "/admin/comptes".to_string()),
            (&admin, "/liste-blanche".to_string()),
            (&admin, "/liste-blanche/1".to_string()),
        ];
        let mut shown = 0;
        for (cookie, uri) in &pages {
            let html = page(&app, cookie, uri).await;
            assert!(!raw_markup(&html), "{b}: {uri} renders typed markup as markup");
            if html.contains("Piège") {
                shown += 1;
            }
        }
        // The texts are there, as text (most pages show one of them).
        assert!(shown >= 12, "{b}: the texts are shown on {shown} pages only");
        let fiche = page(&app, &juge, "/tribunal/mandataires/1").await;
        assert!(fiche.contains("&lt;/textarea&gt;") || fiche.contains("&lt;h1"), "{b}: the note's edit box holds the text, escaped");
        t.cleanup().await;
    }
}
