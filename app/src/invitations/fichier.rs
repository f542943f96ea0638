//! Reading a contacts file: UTF-8 (with or without its mark) or Windows-1252
//! (what a spreadsheet saves as "CSV" on Windows), semicolons or commas, a
//! header line naming the columns in any order. Every line is checked and
//! every error named with its line and column, in French; the file is read
//! whole or not at all.
//!
//! Columns (header names without case or accents): `role` (or `profil`),
//! `email` (or `courriel`, `adresse électronique`), `prenom`, `nom`, and the
//! attachment: `rattachement`, or `tribunal` for a judge or a greffier and
//! `siret` / `finess` for a professional — the tribunal's SIRET or exact name,
//! the individuel's or service's SIRET, the préposé's établissement (FINESS).

use super::{role_ecrit, Contact, FICHIER_MAX_OCTETS, LIGNES_MAX};
use crate::accounts::inscription::NOM_MAX;
use crate::rules::roles::Role;

/// The columns a file must have, and how they may be named.
const ROLE: &[&str] = &["role", "profil"];
const EMAIL: &[&str] = &["email", "courriel", "adresse electronique", "adresse_electronique", "mail", "e-mail"];
const PRENOM: &[&str] = &["prenom"];
const NOM: &[&str] = &["nom"];
/// The attachment's columns, read in this order for each role.
const RATTACHEMENT_TRIBUNAL: &[&str] = &["tribunal", "rattachement", "structure"];
const RATTACHEMENT_PROFESSIONNEL: &[&str] = &["siret", "finess", "rattachement", "structure"];

/// The text of the file, or why it is not a text file we can read.
pub fn decoder(octets: &[u8]) -> Result<String, String> {
    if octets.len() > FICHIER_MAX_OCTETS {
        return Err(format!("Le fichier dépasse {} Mo : découpez-le en plusieurs fichiers.", FICHIER_MAX_OCTETS / 1_000_000));
    }
    if octets.starts_with(&[0xFF, 0xFE]) || octets.starts_with(&[0xFE, 0xFF]) || octets.contains(&0) {
        return Err("Le fichier n'est pas un texte en UTF-8 ou Windows-1252 (UTF-16 ou fichier binaire ?) : enregistrez-le \
                    au format « CSV UTF-8 » ou « CSV (séparateur : point-virgule) » depuis votre tableur."
            .into());
    }
    let sans_marque = octets.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(octets);
    match std::str::from_utf8(sans_marque) {
        Ok(texte) => Ok(texte.to_string()),
        // Not UTF-8: Windows-1252 (each byte is a character; those it leaves
        // undefined become control characters, refused with their line).
        Err(_) => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(sans_marque).0.into_owned()),
    }
}

/// The separator of a file: the one its header line holds most of.
fn separateur(texte: &str) -> u8 {
    let entete = texte.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    if entete.matches(',').count() > entete.matches(';').count() {
        b','
    } else {
        b';'
    }
}

fn nom_de_colonne(typed: &str) -> String {
    crate::rules::geo::sans_accents(typed.trim()).replace(['_', '-'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads the contacts of a file, or every error found (line and column named).
pub fn lire(octets: &[u8]) -> Result<Vec<Contact>, Vec<String>> {
    let (contacts, erreurs) = lire_tout(octets);
    if erreurs.is_empty() {
        Ok(contacts)
    } else {
        Err(erreurs)
    }
}

/// The lines that read and the errors of the others (so that what only the
/// database can check — a tribunal, a SIRET — is checked on every line that
/// reads, and every error said at once).
pub fn lire_tout(octets: &[u8]) -> (Vec<Contact>, Vec<String>) {
    match lecture(octets) {
        Ok(lu) => lu,
        Err(erreurs) => (Vec::new(), erreurs),
    }
}

fn lecture(octets: &[u8]) -> Result<(Vec<Contact>, Vec<String>), Vec<String>> {
    let texte = decoder(octets).map_err(|e| vec![e])?;
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(separateur(&texte))
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(texte.as_bytes());
    let mut lignes = lecteur.records();
    let entete: Vec<String> = match lignes.next() {
        Some(Ok(record)) => record.iter().map(nom_de_colonne).collect(),
        Some(Err(e)) => return Err(vec![format!("Ligne 1 : illisible ({e}).")]),
        None => {
            return Err(vec!["Le fichier est vide : la première ligne nomme les colonnes (role, email, prenom, nom, rattachement).".into()])
        }
    };
    let colonne = |noms: &[&str]| noms.iter().find_map(|n| entete.iter().position(|c| c == &nom_de_colonne(n)));
    let mut erreurs = Vec::new();
    let mut requise = |noms: &[&str]| {
        let found = colonne(noms);
        if found.is_none() {
            erreurs.push(format!(
                "Ligne 1 : la colonne « {} » manque (colonnes attendues : role, email, prenom, nom, rattachement).",
                noms[0]
            ));
        }
        found.unwrap_or_default()
    };
    let (c_role, c_email, c_prenom, c_nom) = (requise(ROLE), requise(EMAIL), requise(PRENOM), requise(NOM));
    let rattachements = |noms: &[&str]| noms.iter().filter_map(|n| colonne(&[n])).collect::<Vec<usize>>();
    let (c_tribunal, c_professionnel) = (rattachements(RATTACHEMENT_TRIBUNAL), rattachements(RATTACHEMENT_PROFESSIONNEL));
    if !erreurs.is_empty() {
        return Err(erreurs);
    }
    let nom_colonne = |i: usize| entete.get(i).cloned().unwrap_or_default();
    let mut contacts: Vec<Contact> = Vec::new();
    for record in lignes {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let ligne = e.position().map(|p| p.line()).unwrap_or_default();
                erreurs.push(format!("Ligne {ligne} : illisible ({e})."));
                continue;
            }
        };
        let ligne = record.position().map(|p| p.line() as usize).unwrap_or_default();
        if record.iter().all(str::is_empty) {
            continue;
        }
        if contacts.len() + erreurs.len() >= LIGNES_MAX {
            erreurs.push(format!("Le fichier compte plus de {LIGNES_MAX} personnes : découpez-le en plusieurs fichiers."));
            break;
        }
        if record.len() != entete.len() {
            erreurs.push(format!(
                "Ligne {ligne} : {} colonnes au lieu de {} (un séparateur en trop ou manquant ?).",
                record.len(),
                entete.len()
            ));
            continue;
        }
        let cellule = |i: usize| record.get(i).unwrap_or_default().to_string();
        let avant = erreurs.len();
        let mut refus = |i: usize, message: String| erreurs.push(format!("Ligne {ligne}, colonne « {} » : {message}", nom_colonne(i)));
        let mut propre = true;
        for (i, valeur) in record.iter().enumerate() {
            if let Some(c) = crate::rules::texte::caractere_interdit(valeur, false) {
                refus(i, format!("caractère de contrôle invisible (U+{:04X}) : retirez-le.", u32::from(c)));
                propre = false;
            }
        }
        if !propre {
            continue;
        }
        let role = role_ecrit(&cellule(c_role));
        if role.is_none() {
            refus(
                c_role,
                format!("rôle inconnu « {} » (attendu : magistrat, greffier, individuel, préposé, service ou direction).", cellule(c_role)),
            );
        }
        let email = match crate::rules::contact::email(&cellule(c_email)) {
            Ok(email) => email.to_lowercase(),
            Err(message) => {
                refus(c_email, format!("« {} » : {message}", cellule(c_email)));
                String::new()
            }
        };
        let mut nom_requis = |i: usize, quoi: &str| {
            let valeur = cellule(i);
            if valeur.is_empty() {
                refus(i, format!("{quoi} manque."));
            } else if valeur.chars().count() > NOM_MAX {
                refus(i, format!("{NOM_MAX} caractères au plus."));
            }
            valeur
        };
        let prenom = nom_requis(c_prenom, "le prénom");
        let nom = nom_requis(c_nom, "le nom");
        let colonnes = match role {
            Some(Role::Magistrat | Role::Greffier) => c_tribunal.clone(),
            Some(Role::Individuel | Role::Prepose | Role::Service) => c_professionnel.clone(),
            _ => Vec::new(),
        };
        let rattachement = colonnes.iter().map(|i| cellule(*i)).find(|v| !v.is_empty()).unwrap_or_default();
        if rattachement.is_empty() && !colonnes.is_empty() {
            let quoi = match role {
                Some(Role::Magistrat | Role::Greffier) => "le tribunal (SIRET ou nom) manque.",
                Some(Role::Prepose) => "le FINESS de l'établissement manque.",
                _ => "le SIRET manque.",
            };
            refus(colonnes[0], quoi.to_string());
        } else if rattachement.is_empty() && role.is_some_and(|r| r != Role::Direction) {
            erreurs.push(format!("Ligne {ligne} : aucune colonne « rattachement » (tribunal, SIRET ou FINESS) dans le fichier."));
        }
        if let Some(premiere) = contacts.iter().find(|c| !email.is_empty() && c.email == email) {
            erreurs.push(format!("Ligne {ligne}, colonne « {} » : {email} figure déjà ligne {}.", nom_colonne(c_email), premiere.ligne));
        }
        if let (Some(role), false) = (role, email.is_empty()) {
            contacts.push(Contact { ligne, role, email, prenom, nom, rattachement, lisible: erreurs.len() == avant });
        }
    }
    if contacts.is_empty() && erreurs.is_empty() {
        erreurs.push("Le fichier ne compte aucune personne après sa ligne d'en-tête.".into());
    }
    // (A line with an error stays listed so that a later line repeating its
    // address is named; it is not checked further.)
    contacts.retain(|c| c.lisible);
    Ok((contacts, erreurs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_file_in_utf8_with_its_mark_reads() {
        let fichier =
            "\u{feff}Rôle;Courriel;Prénom;Nom;Tribunal\nmagistrat;Anne.Martin@justice.fr;Anne;Martin;Tribunal judiciaire de Lille\n\
                       greffier;paul.petit@justice.fr;Paul;Petit;13000000000013\n";
        let contacts = lire(fichier.as_bytes()).expect("lu");
        assert_eq!(contacts.len(), 2);
        assert_eq!(contacts[0].email, "anne.martin@justice.fr");
        assert_eq!(contacts[0].rattachement, "Tribunal judiciaire de Lille");
        assert_eq!(contacts[0].ligne, 2);
        assert_eq!(contacts[1].role, Role::Greffier);
    }

    #[test]
    fn a_comma_file_in_windows_1252_reads_with_its_accents() {
        // "Hélène" and "Préposé" in Windows-1252: é is 0xE9.
        let mut fichier = b"role,email,prenom,nom,finess\n".to_vec();
        fichier.extend_from_slice(b"Pr\xe9pos\xe9,helene@chu.fr,H\xe9l\xe8ne,\"Durand, dite Lena\",590000000\n");
        let contacts = lire(&fichier).expect("lu");
        assert_eq!(contacts[0].prenom, "Hélène");
        assert_eq!(contacts[0].nom, "Durand, dite Lena");
        assert_eq!(contacts[0].role, Role::Prepose);
        assert_eq!(contacts[0].rattachement, "590000000");
    }

    #[test]
    fn every_wrong_line_is_named_with_its_column() {
        let fichier = "role;email;prenom;nom;rattachement\n\
                       juge;pas-une-adresse;Anne;Martin;Lille\n\
                       avocat;b@exemple.fr;Bea;Blanc;Lille\n\
                       service;c@exemple.fr;Chloé;;\n\
                       direction;C@exemple.fr;Chloé;Noir;\n\
                       greffier;d@exemple.fr;Dan\n";
        let erreurs = lire(fichier.as_bytes()).unwrap_err();
        assert!(erreurs[0].starts_with("Ligne 2, colonne « email » : « pas-une-adresse »"), "{erreurs:?}");
        assert!(erreurs[1].starts_with("Ligne 3, colonne « role » : rôle inconnu « avocat »"), "{erreurs:?}");
        assert_eq!(erreurs[2], "Ligne 4, colonne « nom » : le nom manque.");
        assert_eq!(erreurs[3], "Ligne 4, colonne « rattachement » : le SIRET manque.");
        assert_eq!(erreurs[4], "Ligne 5, colonne « email » : c@exemple.fr figure déjà ligne 4.");
        assert!(erreurs[5].starts_with("Ligne 6 : 3 colonnes au lieu de 5"), "{erreurs:?}");
        assert_eq!(erreurs.len(), 6);
    }

    #[test]
    fn a_file_that_is_not_text_or_lacks_a_column_is_refused_whole() {
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("role;email".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert!(lire(&utf16).unwrap_err()[0].contains("UTF-8 ou Windows-1252"));
        let erreurs = lire(b"role;nom;prenom\nmagistrat;Martin;Anne\n").unwrap_err();
        assert_eq!(erreurs, ["Ligne 1 : la colonne « email » manque (colonnes attendues : role, email, prenom, nom, rattachement)."]);
        assert!(lire(b"").unwrap_err()[0].starts_with("Le fichier est vide"));
        assert!(lire(b"role;email;prenom;nom;tribunal\n").unwrap_err()[0].contains("aucune personne"));
        let controle = lire(b"role;email;prenom;nom;tribunal\nmagistrat;a@b.fr;A\x1bnne;Martin;Lille\n").unwrap_err();
        assert!(controle[0].starts_with("Ligne 2, colonne « prenom » : caractère de contrôle"), "{controle:?}");
    }
}
