//! Password hashing with Argon2id.
//!
//! Parameters: the `argon2` crate defaults for Argon2id v19 (m = 19 MiB, t = 2,
//! p = 1), the OWASP-recommended minimum, stored in the PHC string so that they
//! can be raised later without invalidating existing hashes.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Hashes a password into a PHC string (`$argon2id$v=19$...`).
pub fn hash_password(plain: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(plain.as_bytes(), &salt)?.to_string())
}

/// Checks a password against a stored PHC string. A malformed hash never matches.
pub fn verify_password(plain: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(plain.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of a password nobody knows, verified when the e-mail is unknown so that
/// an unknown account and a wrong password take the same time.
pub fn dummy_hash() -> &'static str {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("e-MJPM: aucun compte ne porte ce mot de passe").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("demo-emjpm").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("demo-emjpm", &hash));
        assert!(!verify_password("demo-emjpM", &hash));
        assert!(!verify_password("demo-emjpm", "pas un hash"));
    }
}
