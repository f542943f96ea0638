//! Database schema of e-MJPM, portable across SQLite and PostgreSQL.
//!
//! The SeaORM schema builder is used (no vendor-only SQL), so the same
//! migrations run on the embedded SQLite default and on PostgreSQL in production;
//! the one exception is the triggers of `search_version` (no portable form),
//! written once per backend.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_geography;
mod m20261124_000002_accounts;
mod m20261124_000003_gestionnaires;
mod m20261124_000004_mesures;
mod m20261124_000005_search_version;
mod m20261127_000006_courriels_jobs;
mod m20261128_000007_echecs_connexion;
mod m20261128_000008_mot_de_passe_oublie;
mod m20261128_000009_conservation;
mod m20261128_000010_preferences;
mod m20261128_000011_notify;
mod m20261128_000012_inscriptions;
mod m20261128_000013_incarnation;
mod m20261128_000014_second_facteur;
mod m20261204_000015_reouverture;
mod m20261204_000016_limites_connexion;
mod m20261204_000017_refus;
mod m20261206_000018_avis;
mod m20261206_000019_usages;
mod m20261206_000020_deploiements;
mod m20261206_000021_validation;
mod m20261206_000022_relances;
mod m20261206_000023_invitations;
mod m20261206_000024_pourquoi;
mod m20261206_000025_actions_semaine;
mod m20261206_000026_statistiques;
mod m20261206_000027_reservations_par_tribunal;
mod m20261207_000028_agregats_mesures;
mod m20261207_000029_dernieres_reservations;
mod util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_geography::Migration),
            Box::new(m20261124_000002_accounts::Migration),
            Box::new(m20261124_000003_gestionnaires::Migration),
            Box::new(m20261124_000004_mesures::Migration),
            Box::new(m20261124_000005_search_version::Migration),
            Box::new(m20261127_000006_courriels_jobs::Migration),
            Box::new(m20261128_000007_echecs_connexion::Migration),
            Box::new(m20261128_000008_mot_de_passe_oublie::Migration),
            Box::new(m20261128_000009_conservation::Migration),
            Box::new(m20261128_000010_preferences::Migration),
            Box::new(m20261128_000011_notify::Migration),
            Box::new(m20261128_000012_inscriptions::Migration),
            Box::new(m20261128_000013_incarnation::Migration),
            Box::new(m20261128_000014_second_facteur::Migration),
            Box::new(m20261204_000015_reouverture::Migration),
            Box::new(m20261204_000016_limites_connexion::Migration),
            Box::new(m20261204_000017_refus::Migration),
            Box::new(m20261206_000018_avis::Migration),
            Box::new(m20261206_000019_usages::Migration),
            Box::new(m20261206_000020_deploiements::Migration),
            Box::new(m20261206_000021_validation::Migration),
            Box::new(m20261206_000022_relances::Migration),
            Box::new(m20261206_000023_invitations::Migration),
            Box::new(m20261206_000024_pourquoi::Migration),
            Box::new(m20261206_000025_actions_semaine::Migration),
            Box::new(m20261206_000026_statistiques::Migration),
            Box::new(m20261206_000027_reservations_par_tribunal::Migration),
            Box::new(m20261207_000028_agregats_mesures::Migration),
            Box::new(m20261207_000029_dernieres_reservations::Migration),
        ]
    }
}
