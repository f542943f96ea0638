//! One SeaORM entity per table created by the migrations (compact format).
//!
//! Columns named `type` in SQL are exposed as `kind` in Rust.

// Geography (m20261124_000001).
pub mod communes;
pub mod communes_codes_postaux;
pub mod departements;
pub mod regions;
pub mod tribunaux;

// Accounts (m20261124_000002).
pub mod audit_events;
pub mod directions;
pub mod greffiers;
pub mod magistrats;
pub mod sessions;
pub mod users;

// Gestionnaires and liste blanche (m20261124_000003).
pub mod antennes;
pub mod etablissements;
pub mod gestionnaire_membres;
pub mod gestionnaire_tribunaux;
pub mod gestionnaires;
pub mod liste_blanche;
pub mod liste_blanche_departements;
pub mod liste_blanche_etablissements;

// Mesures (m20261124_000004).
pub mod mesure_etats;
pub mod mesure_evenements;
pub mod mesures;
pub mod notes;

// Search data version (m20261124_000005).
pub mod search_version;

// E-mail outbox and scheduled jobs (m20261127_000006).
pub mod courriels;
pub mod jobs;

// Forgotten passwords (m20261128_000008).
pub mod demandes_mot_de_passe;
pub mod inscriptions;
pub mod jetons_mot_de_passe;

// Second factor (m20261128_000014).
pub mod connexions_en_attente;

// Sign-in throttle: counters, known IPs, unlock links (m20261204_000016).
pub mod adresses_connues;
pub mod deverrouillages;
pub mod limites_connexion;

// Feedback and the team's list of product changes (m20261206_000018).
pub mod avis;
pub mod avis_reponses;
pub mod evolutions;

// Usage: useful actions and daily page views (m20261206_000019).
pub mod usages;
pub mod vues_pages;

// The rollout, département by département (m20261206_000020).
pub mod deploiements;

// Nudges to the users to rescue and their templates (m20261206_000022).
pub mod gabarits_relance;
pub mod relances;

// The team's invitations and their imports (m20261206_000023).
pub mod imports_invitations;
pub mod invitations;

// Asking inactive users why (m20261206_000024).
pub mod pourquoi;

// Each account's useful actions by week (m20261206_000025).
pub mod actions_semaine;

// Figures computed ahead by a job: the public impact page's (m20261206_000026).
pub mod statistiques;
