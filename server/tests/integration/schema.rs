//! The migrations apply on SQLite and PostgreSQL, every SeaORM entity reads its
//! table there, and the migrations roll back cleanly.

use crate::common;

use migrations::{Migrator, MigratorTrait};
use sea_orm::EntityTrait;

macro_rules! read_every_table {
    ($db:expr, $backend:expr, $($table:ident),* $(,)?) => {
        $(
            if let Err(err) = app::db::entities::$table::Entity::find().all($db).await {
                panic!("{} : lecture de {} impossible : {err}", $backend, stringify!($table));
            }
        )*
    };
}

#[tokio::test]
async fn every_entity_matches_its_migrated_table() {
    for t in common::databases().await {
        read_every_table!(
            &t.db, t.backend,
            regions, departements, communes, communes_codes_postaux, tribunaux, users, sessions,
            magistrats, greffiers, directions, audit_events, etablissements, liste_blanche,
            liste_blanche_departements, liste_blanche_etablissements, gestionnaires, antennes,
            gestionnaire_membres, gestionnaire_tribunaux, mesures, mesure_etats, mesure_evenements, notes,
            search_version, courriels, jobs, limites_connexion, adresses_connues, deverrouillages, demandes_mot_de_passe, jetons_mot_de_passe,
            inscriptions,
        );
        assert!(Migrator::get_pending_migrations(&t.db).await.expect("migrations").is_empty());
        Migrator::down(&t.db, None).await.unwrap_or_else(|e| panic!("{} : retour arrière : {e}", t.backend));
        Migrator::up(&t.db, None).await.unwrap_or_else(|e| panic!("{} : ré-application : {e}", t.backend));
        t.cleanup().await;
    }
}
