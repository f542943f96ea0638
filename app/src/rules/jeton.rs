//! The shape of a link's token (sessions, invitations, password resets,
//! unlocking, the "why" question): hexadecimal, as `accounts::session::new_token`
//! writes it. Anything else names nothing, so it is refused before any look-up
//! and never copied into an address or a page.

/// The longest token accepted (a token is 64 characters; room for change).
pub const LONGUEUR_MAX: usize = 128;

/// Whether `texte` may be a token: 1 to [`LONGUEUR_MAX`] hexadecimal digits.
pub fn est_jeton(texte: &str) -> bool {
    !texte.is_empty() && texte.len() <= LONGUEUR_MAX && texte.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hexadecimal_digits_of_a_sensible_length_are_a_token() {
        assert!(est_jeton("0123456789abcdefABCDEF"));
        assert!(est_jeton(&"a".repeat(LONGUEUR_MAX)));
        for refuse in ["", "abc/../x", "abc def", "zz", "é1", "%2e%2e"] {
            assert!(!est_jeton(refuse), "{refuse:?}");
        }
        assert!(!est_jeton(&"a".repeat(LONGUEUR_MAX + 1)));
    }
}
