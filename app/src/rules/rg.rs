//! The numéro RG identifies the court file of a measure: 8 uppercase ASCII letters
//! or digits, left-padded with `0`. Judges type it in many shapes (`12/345`,
//! `26 12345`, `26-12345`); separators are dropped, letters upper-cased.
//! The stored form decides uniqueness; people read the courts' usual form
//! (`22/22795`: the year, a slash, the file's number), see [`display_rg`].

/// Why a typed numéro RG was refused (French message for the user).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RgError {
    #[error("Le numéro RG est obligatoire.")]
    Vide,
    #[error("Le numéro RG ne peut contenir que des lettres et des chiffres (caractère « {0} » refusé).")]
    CaractereInvalide(char),
    #[error("Le numéro RG compte au plus 8 lettres ou chiffres (hors séparateurs) ; {0} saisis.")]
    TropLong(usize),
}

/// Separators judges commonly type inside a numéro RG.
const SEPARATORS: [char; 4] = ['/', '-', '.', '_'];

/// Normalises a typed numéro RG into its 8-character form, or explains the refusal.
pub fn normalise_rg(typed: &str) -> Result<String, RgError> {
    let mut kept = String::with_capacity(8);
    for c in typed.chars() {
        if c.is_whitespace() || SEPARATORS.contains(&c) {
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            return Err(RgError::CaractereInvalide(c));
        }
        kept.push(c.to_ascii_uppercase());
    }
    match kept.len() {
        0 => Err(RgError::Vide),
        n if n > 8 => Err(RgError::TropLong(n)),
        _ => Ok(format!("{kept:0>8}")),
    }
}

/// The courts' usual form of a stored numéro RG: seven digits (the one padding
/// zero dropped) read as the year and the file's number, `02222795` →
/// `22/22795`. A number of another shape (letters, eight digits) is shown as
/// stored: it was typed so.
pub fn display_rg(stored: &str) -> String {
    match stored.strip_prefix('0') {
        Some(seven) if seven.len() == 7 && seven.chars().all(|c| c.is_ascii_digit()) => {
            format!("{}/{}", &seven[..2], &seven[2..])
        }
        _ => stored.to_string(),
    }
}

/// True for an already normalised numéro RG (as stored).
pub fn is_normalised_rg(value: &str) -> bool {
    value.len() == 8 && value.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_dropped_and_the_number_left_padded() {
        assert_eq!(normalise_rg("12/345").as_deref(), Ok("00012345"));
        assert_eq!(normalise_rg("2612345").as_deref(), Ok("02612345"));
        assert_eq!(normalise_rg(" 26-12 345 ").as_deref(), Ok("02612345"));
        assert_eq!(normalise_rg("26.00012").as_deref(), Ok("02600012"));
        assert_eq!(normalise_rg("ab12cd34").as_deref(), Ok("AB12CD34"));
        assert_eq!(normalise_rg("12345678").as_deref(), Ok("12345678"));
    }

    #[test]
    fn bad_numbers_are_refused_with_a_reason() {
        assert_eq!(normalise_rg(""), Err(RgError::Vide));
        assert_eq!(normalise_rg(" / "), Err(RgError::Vide));
        assert_eq!(normalise_rg("123456789"), Err(RgError::TropLong(9)));
        assert_eq!(normalise_rg("12é45"), Err(RgError::CaractereInvalide('é')));
        assert_eq!(normalise_rg("12;45"), Err(RgError::CaractereInvalide(';')));
        assert!(normalise_rg("123456789").unwrap_err().to_string().contains("au plus 8"));
    }

    #[test]
    fn the_courts_form_is_shown_and_typed_back_to_the_same_number() {
        assert_eq!(display_rg("02222795"), "22/22795");
        assert_eq!(display_rg("00012345"), "00/12345");
        assert_eq!(display_rg("12345678"), "12345678");
        assert_eq!(display_rg("AB12CD34"), "AB12CD34");
        assert_eq!(display_rg("0A222795"), "0A222795");
        for typed in ["22/22795", "22 22795", "2222795", " 22-22795", "22/ 22795"] {
            let stored = normalise_rg(typed).expect("accepté");
            assert_eq!(display_rg(&stored), "22/22795", "{typed}");
        }
    }

    #[test]
    fn normalised_form_is_recognised() {
        assert!(is_normalised_rg("00012345"));
        assert!(is_normalised_rg("AB12CD34"));
        assert!(!is_normalised_rg("ab12cd34"));
        assert!(!is_normalised_rg("12345"));
    }
}
