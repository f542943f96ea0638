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
            &t.db,
            t.backend,
            regions,
            departements,
            communes,
            communes_codes_postaux,
            tribunaux,
            users,
            sessions,
            magistrats,
            greffiers,
            directions,
            audit_events,
            etablissements,
            liste_blanche,
            liste_blanche_departements,
            liste_blanche_etablissements,
            gestionnaires,
            antennes,
            gestionnaire_membres,
            gestionnaire_tribunaux,
            mesures,
            mesure_etats,
            mesure_evenements,
            notes,
            search_version,
            courriels,
            jobs,
            limites_connexion,
            adresses_connues,
            deverrouillages,
            demandes_mot_de_passe,
            jetons_mot_de_passe,
            inscriptions,
        );
        assert!(Migrator::get_pending_migrations(&t.db).await.expect("migrations").is_empty());
        Migrator::down(&t.db, None).await.unwrap_or_else(|e| panic!("{} : retour arrière : {e}", t.backend));
        Migrator::up(&t.db, None).await.unwrap_or_else(|e| panic!("{} : ré-application : {e}", t.backend));
        t.cleanup().await;
    }
}

/// A test that panics (a failed assertion) before its clean-up still drops its
/// PostgreSQL database: the guard does it as the stack unwinds. Before, every
/// failed test left an `emjpm_t_…` database on the server.
#[tokio::test]
async fn a_test_that_panics_leaves_no_postgres_database_behind() {
    let Ok(admin_url) = std::env::var("EMJPM_TEST_POSTGRES_URL") else { return };
    let (send_name, name) = tokio::sync::oneshot::channel::<String>();
    let failing = tokio::spawn(async move {
        let t = crate::common::postgres().await.expect("PostgreSQL");
        send_name.send(t.postgres_name().expect("nom")).expect("envoi");
        panic!("an assertion fails before t.cleanup()");
    });
    assert!(failing.await.is_err(), "the test panicked");
    let name = name.await.expect("nom reçu");
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(&admin_url).await.expect("connexion");
    let left = admin
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("SELECT COUNT(*) AS n FROM pg_database WHERE datname = '{name}'"),
        ))
        .await
        .expect("lecture")
        .expect("ligne")
        .try_get::<i64>("", "n")
        .expect("n");
    admin.close().await.ok();
    assert_eq!(left, 0, "{name} dropped");
}
