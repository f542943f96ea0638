//! SIRET numbers: 14 digits whose Luhn sum is a multiple of 10 (the key the
//! INSEE puts on every SIRET). Used by the tribunaux import, sign-up and the
//! demo data.

/// The Luhn sum of digits (rightmost digit first not doubled).
fn luhn_sum(digits: &[u32]) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum()
}

/// True for 14 digits with a valid Luhn key.
pub fn is_valid_siret(siret: &str) -> bool {
    siret.len() == 14 && siret.bytes().all(|b| b.is_ascii_digit()) && {
        let digits: Vec<u32> = siret.bytes().map(|b| u32::from(b - b'0')).collect();
        luhn_sum(&digits).is_multiple_of(10)
    }
}

/// The digit that completes 13 digits into a valid SIRET.
pub fn luhn_key(first_13: &[u32]) -> u32 {
    let mut digits = first_13.to_vec();
    digits.push(0);
    (10 - luhn_sum(&digits) % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sirets() {
        // La Poste's head office, and a tribunal's from the ministry's file.
        assert!(is_valid_siret("35600000000048"));
        assert!(!is_valid_siret("35600000000049"));
        assert!(!is_valid_siret("3560000000004"));
        assert!(!is_valid_siret("3560000000004A"));
    }

    #[test]
    fn the_key_completes_any_13_digits() {
        for seed in 0..500u32 {
            let digits: Vec<u32> = (0..13).map(|i| (seed * 7 + i * 3 + seed / 10) % 10).collect();
            let mut all = digits.clone();
            all.push(luhn_key(&digits));
            let text: String = all.iter().map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect();
            assert!(is_valid_siret(&text), "{text}");
        }
    }
}
