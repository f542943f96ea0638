//! Territories: départements and régions, and which professionals are approved
//! (liste blanche) in a set of départements. The approval rule lives here once.

#[cfg(feature = "ssr")]
pub mod approvals;
