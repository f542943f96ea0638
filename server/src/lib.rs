#![recursion_limit = "256"]
//! The e-MJPM server: database access, HTTP application, and the data-loading
//! commands (reference geography, court list, demo data).

pub mod database;
pub mod http;
pub mod jobs;
pub mod mailer;
pub mod recovery;
pub mod seed;
