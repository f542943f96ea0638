//! The professionals (gestionnaires) as judges see them: their page ("fiche") and
//! the judges' private notes about them.

pub mod capacite;
pub mod capacite_page;
pub mod fiche;
pub mod notes;

/// How a professional is named: a service by its name, a person "Prénom Nom".
pub fn display_name(kind: &str, nom: &str, prenom: Option<&str>) -> String {
    match (kind, prenom) {
        ("service", _) | (_, None) => nom.to_string(),
        (_, Some(prenom)) => format!("{prenom} {nom}"),
    }
}
