//! The server's integration tests, in one binary: each file below is a module
//! (one test binary links the whole application once, instead of once per file —
//! minutes and gigabytes saved on every build). Run one area with a filter, e.g.
//! `cargo test -p server --test integration lifecycle::`.

mod common;

mod a_relancer;
mod access;
mod admin_comptes;
mod antennes;
mod avis;
mod capacite_affichee;
mod commune_reservee;
mod control_characters;
mod deploiement;
mod double_envoi;
mod envoi_courriels;
mod extractors;
mod filtres_invalides;
mod fraicheur;
mod incarnation;
mod inscription;
mod invitations;
mod journal;
mod lifecycle;
mod liste_blanche;
mod markup;
mod membres;
mod mesures;
mod notifications;
mod observability;
mod pages_publiques;
mod password_reset;
mod paths;
mod profil;
mod raisons;
mod realtime;
mod recherche_noms;
mod reference_quality;
mod rendering;
mod repartition;
mod retention;
mod rg_et_confirmation;
mod schema;
mod search;
mod second_facteur;
mod security;
mod seed;
mod server_functions;
mod sign_in;
mod statistiques;
mod statistiques_territoire;
mod throttle;
mod transitions;
mod usages;
