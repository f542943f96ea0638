//! What a new password must be: long enough to resist guessing (12 characters
//! at least, ANSSI's recommendation for a password without a second factor),
//! not absurdly long (Argon2 hashes it on every sign-in), and none of the
//! passwords every attacker tries first. French messages.

pub const LONGUEUR_MIN: usize = 12;
pub const LONGUEUR_MAX: usize = 128;

/// Frequent passwords of 12 characters or more (shorter ones fail on length),
/// compared without case, spaces or punctuation.
const FREQUENTS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789abc",
    "1234567890azerty",
    "0123456789012",
    "azertyuiop123",
    "azertyuiop1234",
    "azertyuiopqsdf",
    "azertyuiopqsdfghjklm",
    "azerty123456",
    "azerty1234567",
    "qwertyuiop123",
    "qwertyuiopasdf",
    "qwerty123456",
    "qwerty1234567",
    "password1234",
    "password12345",
    "password123456",
    "passw0rd1234",
    "motdepasse123",
    "motdepasse1234",
    "motdepasse2024",
    "motdepasse2025",
    "motdepasse2026",
    "monmotdepasse",
    "monmotdepasse1",
    "motdepassesecret",
    "iloveyou1234",
    "jetaime123456",
    "bonjour123456",
    "bonjour12345",
    "soleil123456",
    "marseille1234",
    "doudou123456",
    "chouchou1234",
    "administrateur",
    "administrateur1",
    "administrator",
    "administrator1",
    "changemoi1234",
    "changeme1234",
    "bienvenue1234",
    "bienvenue2026",
    "welcome12345",
    "tribunal1234",
    "mandataire123",
    "mandataire1234",
    "emjpm1234567",
    "emjpmemjpm12",
    "demoemjpm123",
    "aaaaaaaaaaaa",
    "abcdefghijkl",
    "abcdef123456",
    "abc123456789",
    "football1234",
    "princesse123",
    "nicolas12345",
    "alexandre123",
];

fn simplifie(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The refusal for a new password, or None when it is acceptable. `email`: the
/// account's address (a password made of it is refused).
pub fn refus(nouveau: &str, email: &str) -> Option<String> {
    let longueur = nouveau.chars().count();
    if longueur < LONGUEUR_MIN {
        return Some(format!(
            "Le mot de passe doit contenir au moins {LONGUEUR_MIN} caractères ({longueur} saisis). \
             Une phrase de plusieurs mots est plus facile à retenir."
        ));
    }
    if longueur > LONGUEUR_MAX {
        return Some(format!("Le mot de passe doit contenir au plus {LONGUEUR_MAX} caractères."));
    }
    let simple = simplifie(nouveau);
    let distincts: std::collections::BTreeSet<char> = simple.chars().collect();
    if distincts.len() <= 3 {
        return Some("Ce mot de passe répète trop peu de caractères différents : choisissez-en un plus varié.".into());
    }
    if simple.chars().all(|c| c.is_ascii_digit()) {
        return Some("Un mot de passe fait seulement de chiffres se devine vite : ajoutez des lettres ou des mots.".into());
    }
    if FREQUENTS.contains(&simple.as_str()) {
        return Some(
            "Ce mot de passe fait partie des plus utilisés : les attaquants l'essaient en premier. Choisissez-en un autre.".into(),
        );
    }
    let identifiant = simplifie(email.split('@').next().unwrap_or_default());
    if identifiant.len() >= 4 && simple.contains(&identifiant) {
        return Some("Le mot de passe ne doit pas contenir votre adresse électronique.".into());
    }
    None
}

/// The refusals of a new password typed twice, by form field (`nouveau`,
/// `confirmation`): shared by the change from "Mon compte" and the reset link.
pub fn refus_nouveau(nouveau: &str, confirmation: &str, email: &str) -> Vec<(String, String)> {
    let mut champs = Vec::new();
    if let Some(message) = refus(nouveau, email) {
        champs.push(("nouveau".to_string(), message));
    }
    if confirmation != nouveau {
        champs.push(("confirmation".to_string(), "La confirmation ne reprend pas le nouveau mot de passe.".to_string()));
    }
    champs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_frequent_and_personal_passwords_are_refused() {
        assert!(refus("court", "a@b.fr").unwrap_or_default().contains("au moins 12 caractères (5 saisis)"));
        assert!(refus(&"x".repeat(129), "a@b.fr").unwrap_or_default().contains("au plus 128"));
        assert!(refus("aaaaaaaaaaaaaaa", "a@b.fr").is_some());
        assert!(refus("1234567890123456", "a@b.fr").unwrap_or_default().contains("chiffres"));
        assert!(refus("Mot de passe 2026 !", "a@b.fr").unwrap_or_default().contains("plus utilisés"));
        assert!(refus("AZERTY-123456", "a@b.fr").unwrap_or_default().contains("plus utilisés"));
        assert!(refus("camille.martin-2026", "camille.martin@justice.fr").unwrap_or_default().contains("adresse"));
    }

    #[test]
    fn a_passphrase_is_accepted() {
        assert_eq!(refus("cheval agrafe pile correcte", "camille.martin@justice.fr"), None);
        assert_eq!(refus("Tribunal-de-Lille-59-hiver", "juge@justice.fr"), None);
        // Length counts characters, not bytes.
        assert_eq!(refus("été à l'écluse", "a@b.fr"), None);
    }
}
