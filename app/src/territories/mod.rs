//! Territories: départements and régions, and which professionals are approved
//! (liste blanche) in a set of départements. The approval rule lives here once.

#[cfg(feature = "ssr")]
pub mod approvals;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod liste_blanche;
pub mod liste_blanche_page;
