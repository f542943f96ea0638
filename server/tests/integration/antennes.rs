//! A service's antennes, on SQLite and PostgreSQL: its admins add, edit and
//! delete them; Σ antennes ≤ service; an antenne following measures stays;
//! members and other professionals change nothing.

use crate::common;
use common::client::submit;

use common::count;
use common::nord::{fixture, login, send_json};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

async fn text(db: &DatabaseConnection, sql: &str) -> Option<String> {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await
        .expect("lecture")
        .map(|row| row.try_get_by_index::<String>(0).expect("valeur"))
}

const LILLE: [(&str, &str); 6] = [
    ("nom", "Antenne de Lille"),
    ("contact", "Mme Leroy"),
    ("telephone", "0320000001"),
    ("adresse", "8 rue Solférino"),
    ("commune", "Lille (59800)"),
    ("mesures_max", "20"),
];

#[tokio::test]
async fn a_services_admins_manage_its_antennes_within_its_capacity() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "atmp.admin@exemple.fr").await;
        let membre = login(&app, "atmp.membre@exemple.fr").await;
        let martin = login(&app, "martin@exemple.fr").await;

        // Only the service's admins add one.
        for cookie in [&membre, &martin] {
            assert_eq!(submit(&app, Some(cookie), "/mandataire/antennes", &LILLE).await.0, 403, "{b}");
        }
        assert_eq!(count(&t.db, "antennes").await, 2, "{b}");
        let (status, location) = submit(&app, Some(&admin), "/mandataire/antennes", &LILLE).await;
        assert_eq!((status, location.as_str()), (303, "/mandataire/antennes?fait=ajoutee"), "{b}");
        let id = text(&t.db, "SELECT CAST(id AS TEXT) FROM antennes WHERE nom = 'Antenne de Lille'").await.expect("antenne");
        assert_eq!(
            text(&t.db, &format!("SELECT code_postal || ' ' || departement_code || ' ' || telephone FROM antennes WHERE id = {id}")).await,
            Some("59800 59 03 20 00 00 01".into()),
            "{b}"
        );
        // 30 + 40 + 20 = 90 of the service's 100: 20 more would exceed it.
        let mut second = LILLE;
        second[0] = ("nom", "Antenne de Roubaix");
        let (_, location) = submit(&app, Some(&admin), "/mandataire/antennes", &second).await;
        assert!(location.starts_with("/mandataire/antennes/nouvelle?") && location.contains("erreur_mesures_max="), "{b}: {location}");
        assert_eq!(count(&t.db, "antennes").await, 3, "{b}");

        // Editing: within the share, never another service's antenne.
        let mut edit = LILLE;
        edit[0] = ("nom", "Antenne de Lille-Centre");
        edit[5] = ("mesures_max", "25");
        let uri = format!("/mandataire/antennes/{id}");
        assert_eq!(submit(&app, Some(&admin), &uri, &edit).await, (303, "/mandataire/antennes?fait=modifiee".into()), "{b}");
        edit[5] = ("mesures_max", "31");
        let (_, location) = submit(&app, Some(&admin), &uri, &edit).await;
        assert!(location.contains("erreur_mesures_max="), "{b}: {location}");
        let (_, location) = submit(&app, Some(&martin), &uri, &edit).await;
        assert!(location.contains("introuvable"), "{b}: another professional's antenne is not found: {location}");
        assert_eq!(
            text(&t.db, &format!("SELECT nom || ' ' || CAST(mesures_max AS TEXT) FROM antennes WHERE id = {id}")).await,
            Some("Antenne de Lille-Centre 25".into()),
            "{b}"
        );

        // An antenne following measures stays; once its measure is closed it may go,
        // and the closed measure keeps its history without it.
        let (status, location) = submit(&app, Some(&admin), "/mandataire/antennes/1/supprimer", &[]).await;
        assert!(status == 303 && location.contains("erreur="), "{b}: Dunkerque follows 25 measures: {location}");
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let antenne: i64 = id.parse().expect("id");
        let (_, body) = send_json(
            &app,
            Some(&juge),
            "POST",
            "/api/v1/mesures",
            json!({
                "gestionnaire_id": 3, "antenne_id": antenne, "numero_rg": "26/00050", "civilite": "madame",
                "annee_naissance": 1944, "nature": "tutelle"
            }),
        )
        .await;
        let mesure = body["id"].as_i64().expect("mesure");
        let (_, location) = submit(&app, Some(&admin), &format!("{uri}/supprimer"), &[]).await;
        assert!(location.contains("erreur="), "{b}: a pending reservation: {location}");
        send_json(
            &app,
            Some(&membre),
            "POST",
            &format!("/api/v1/mesures/{mesure}/acceptation"),
            json!({ "date_nomination": "2026-11-02", "lieu_vie": "domicile", "commune": "59512" }),
        )
        .await;
        send_json(
            &app,
            Some(&membre),
            "POST",
            &format!("/api/v1/mesures/{mesure}/cloture"),
            json!({ "cause_sortie": "mainlevee", "date_fin": "2026-11-20" }),
        )
        .await;
        assert_eq!(submit(&app, Some(&membre), &format!("{uri}/supprimer"), &[]).await.0, 403, "{b}: a plain member");
        assert_eq!(
            submit(&app, Some(&admin), &format!("{uri}/supprimer"), &[]).await,
            (303, "/mandataire/antennes?fait=supprimee".into()),
            "{b}"
        );
        assert_eq!(count(&t.db, "antennes").await, 2, "{b}");
        assert_eq!(count(&t.db, &format!("mesures WHERE id = {mesure} AND antenne_id IS NULL AND statut = 'eteinte'")).await, 1, "{b}");
        assert_eq!(count(&t.db, "audit_events WHERE action LIKE 'antenne.%'").await, 3, "{b}: created, modified, deleted");
        t.cleanup().await;
    }
}
