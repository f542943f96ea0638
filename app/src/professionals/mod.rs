//! The professionals (gestionnaires) as judges see them: their page ("fiche") and
//! the judges' private notes about them.

pub mod fiche;
pub mod notes;
