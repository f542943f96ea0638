//! Business rules that hold everywhere (server and browser): roles, the numéro RG
//! format, geography, capacity. Each rule lives here once.

pub mod capacity;
pub mod contact;
pub mod geo;
pub mod heure;
pub mod jeton;
pub mod pagination;
pub mod password_policy;
pub mod repartition;
pub mod retour;
pub mod rg;
pub mod roles;
pub mod siret;
pub mod statistiques;
pub mod texte;
pub mod throttle;
pub mod vocabulary;
