//! Contact details people type: an e-mail address and a telephone number,
//! checked and written one way so that judges read them the same everywhere.

pub const EMAIL_MAX: usize = 254;

/// A plausible e-mail address (`nom@domaine.fr`), trimmed; the message says
/// what is wrong. Deliverability is not checked: it would need a mail round trip.
pub fn email(typed: &str) -> Result<String, &'static str> {
    let value = typed.trim();
    if value.is_empty() {
        return Err("Indiquez une adresse électronique.");
    }
    if value.chars().count() > EMAIL_MAX {
        return Err("L'adresse électronique compte au plus 254 caractères.");
    }
    let well_formed = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        }
        None => false,
    };
    if well_formed {
        Ok(value.to_string())
    } else {
        Err("Adresse électronique invalide (par exemple : prenom.nom@exemple.fr).")
    }
}

/// A telephone number: a French one (10 digits from 0, or +33 and 9 digits) is
/// written `03 20 12 34 56`; a foreign one `+` and 8 to 15 digits.
pub fn telephone(typed: &str) -> Result<String, &'static str> {
    let cleaned: String = typed.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}')).collect();
    if cleaned.is_empty() {
        return Err("Indiquez un numéro de téléphone.");
    }
    let (international, digits) = match cleaned.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let invalid = "Numéro de téléphone invalide (par exemple : 03 20 12 34 56 ou +32 2 123 45 67).";
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid);
    }
    let national = match digits.strip_prefix("33") {
        Some(rest) if international && rest.len() == 9 => Some(format!("0{rest}")),
        _ if !international && digits.len() == 10 && digits.starts_with('0') => Some(digits.to_string()),
        _ => None,
    };
    match national {
        Some(n) => Ok(n.as_bytes().chunks(2).map(|pair| String::from_utf8_lossy(pair).into_owned()).collect::<Vec<_>>().join(" ")),
        // +33 is France: only its own length.
        None if international && !digits.starts_with("33") && (8..=15).contains(&digits.len()) => Ok(format!("+{digits}")),
        None => Err(invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_checked() {
        assert_eq!(email("  marie.durand@exemple.fr "), Ok("marie.durand@exemple.fr".into()));
        for bad in [
            "",
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "marie@@exemple.fr",
            "marie durand@exemple.fr",
            "a@b.fr,c@d.fr",
            "marie@exemple.fr.",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(email(&format!("{}@exemple.fr", "a".repeat(250))).is_err());
    }

    #[test]
    fn french_numbers_are_written_in_pairs() {
        assert_eq!(telephone("0320123456"), Ok("03 20 12 34 56".into()));
        assert_eq!(telephone("03.20.12.34.56"), Ok("03 20 12 34 56".into()));
        assert_eq!(telephone("+33 3 20 12 34 56"), Ok("03 20 12 34 56".into()));
        assert_eq!(telephone("0262 12 34 56"), Ok("02 62 12 34 56".into()), "overseas");
        assert_eq!(telephone("+32 2 123 45 67"), Ok("+3221234567".into()));
        for bad in ["", "032012345", "03201234567", "3320123456", "03 20 12 34 5a", "+12", "+33 3 20 12 34"] {
            assert!(telephone(bad).is_err(), "{bad}");
        }
    }
}
