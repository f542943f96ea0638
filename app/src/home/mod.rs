//! Each role's landing page, with the figures that role needs first.

pub mod admin;
pub mod direction;
pub mod mandataire;
#[cfg(feature = "ssr")]
mod service;
pub mod tribunal;
