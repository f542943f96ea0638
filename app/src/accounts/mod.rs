//! Accounts: sign-in, sessions and the caller's identity.
//!
//! `guard` is the one place that tells who is calling and what they may reach;
//! every server function and API handler starts there.

pub mod admin_comptes;
pub mod compte;
pub mod inscription;
pub mod inscription_pages;
pub mod page;
pub mod user;

#[cfg(feature = "ssr")]
pub mod admin_handlers;
#[cfg(feature = "ssr")]
pub mod comptes;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod incarnation;
#[cfg(feature = "ssr")]
pub mod mon_compte;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod password_change;
#[cfg(feature = "ssr")]
pub mod password_reset;
pub mod reset_pages;
#[cfg(feature = "ssr")]
pub mod second_facteur;
pub mod second_facteur_pages;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod sign_in;
#[cfg(feature = "ssr")]
pub mod throttle;
