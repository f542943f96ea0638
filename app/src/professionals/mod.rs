//! The professionals (gestionnaires): their page as judges see it ("fiche"), the
//! judges' private notes about them, and what they declare themselves (capacity,
//! profile).

pub mod antennes;
pub mod antennes_page;
pub mod capacite;
pub mod capacite_page;
pub mod fiche;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod membres;
pub mod membres_page;
pub mod notes;
pub mod profil;
pub mod profil_page;

/// How a professional is named: a service by its name, a person "Prénom Nom".
pub fn display_name(kind: &str, nom: &str, prenom: Option<&str>) -> String {
    match (kind, prenom) {
        ("service", _) | (_, None) => nom.to_string(),
        (_, Some(prenom)) => format!("{prenom} {nom}"),
    }
}
