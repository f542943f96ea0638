//! Geography rules: département of a postal code, geodesic distance, and the
//! normalised form of place names used for accent- and case-insensitive search.

/// The département of a French postal code: its first two digits; Corsica (20xxx)
/// is 2A below 20200 and 2B from 20200; overseas (97x, 98x) uses three digits.
/// None for anything that is not five digits.
pub fn departement_of_postal_code(code_postal: &str) -> Option<String> {
    let code = code_postal.trim();
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let two = &code[..2];
    Some(match two {
        "20" => {
            if code < "20200" {
                "2A".to_string()
            } else {
                "2B".to_string()
            }
        }
        "97" | "98" => code[..3].to_string(),
        "00" => return None,
        _ => two.to_string(),
    })
}

/// A distance as shown to users: `12,3` (one decimal, French decimal comma).
pub fn format_km(km: f64) -> String {
    super::texte::decimal(km, 1)
}

/// Mean Earth radius of WGS84 (IUGG), in km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle (haversine) distance in km between two WGS84 points.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let dphi = (lat2 - lat1).to_radians();
    let dlambda = (lon2 - lon1).to_radians();
    let a = (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// The searchable form of a place name: lower case, accents removed, hyphens and
/// apostrophes as spaces, single spaces, and the abbreviations "st"/"ste"
/// expanded to "saint"/"sainte" (so "St-Étienne" and "saint etienne" match).
pub fn nom_recherche(nom: &str) -> String {
    let mut plain = String::with_capacity(nom.len());
    for c in nom.chars() {
        match fold_char(c) {
            Some(folded) => plain.push_str(folded),
            None if c.is_alphanumeric() => plain.extend(c.to_lowercase()),
            None => plain.push(' '),
        }
    }
    plain
        .split_whitespace()
        .map(|word| match word {
            "st" => "saint",
            "ste" => "sainte",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower-case ASCII form of the Latin letters found in French place names.
fn fold_char(c: char) -> Option<&'static str> {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => ascii_lower(c),
        _ => ACCENTS.iter().find(|(accented, _)| *accented == c).map(|(_, plain)| *plain),
    }
}

/// The accented Latin letters of French names and their plain lower-case form.
/// The one table behind `nom_recherche`, `sans_accents` and their SQL twin
/// (`crate::db::sans_accents`).
pub const ACCENTS: [(char, &str); 58] = [
    ('à', "a"),
    ('â', "a"),
    ('ä', "a"),
    ('á', "a"),
    ('ã', "a"),
    ('å', "a"),
    ('À', "a"),
    ('Â', "a"),
    ('Ä', "a"),
    ('Á', "a"),
    ('Ã', "a"),
    ('Å', "a"),
    ('ç', "c"),
    ('Ç', "c"),
    ('é', "e"),
    ('è', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('É', "e"),
    ('È', "e"),
    ('Ê', "e"),
    ('Ë', "e"),
    ('î', "i"),
    ('ï', "i"),
    ('í', "i"),
    ('ì', "i"),
    ('Î', "i"),
    ('Ï', "i"),
    ('Í', "i"),
    ('Ì', "i"),
    ('ô', "o"),
    ('ö', "o"),
    ('ó', "o"),
    ('ò', "o"),
    ('õ', "o"),
    ('Ô', "o"),
    ('Ö', "o"),
    ('Ó', "o"),
    ('Ò', "o"),
    ('Õ', "o"),
    ('ù', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ú', "u"),
    ('Ù', "u"),
    ('Û', "u"),
    ('Ü', "u"),
    ('Ú', "u"),
    ('ÿ', "y"),
    ('ý', "y"),
    ('Ÿ', "y"),
    ('Ý', "y"),
    ('ñ', "n"),
    ('Ñ', "n"),
    ('œ', "oe"),
    ('Œ', "oe"),
    ('æ', "ae"),
    ('Æ', "ae"),
];

/// A name as a name search compares it: lower case, accents removed, every
/// other character kept ("Élodie" and "elodie" match; "l'Hôpital" → "l'hopital").
/// What a person types is compared so with the stored names (`crate::db::sans_accents`).
pub fn sans_accents(text: &str) -> String {
    text.chars()
        .map(|c| match fold_char(c) {
            Some(plain) => plain.to_string(),
            None => c.to_lowercase().collect(),
        })
        .collect()
}

fn ascii_lower(c: char) -> Option<&'static str> {
    const LOWER: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    let index = match c {
        'a'..='z' => c as usize - 'a' as usize,
        'A'..='Z' => c as usize - 'A' as usize,
        '0'..='9' => 26 + c as usize - '0' as usize,
        _ => return None,
    };
    LOWER.get(index..index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_code_gives_departement() {
        assert_eq!(departement_of_postal_code("59000").as_deref(), Some("59"));
        assert_eq!(departement_of_postal_code("01000").as_deref(), Some("01"));
        assert_eq!(departement_of_postal_code("20000").as_deref(), Some("2A"));
        assert_eq!(departement_of_postal_code("20199").as_deref(), Some("2A"));
        assert_eq!(departement_of_postal_code("20200").as_deref(), Some("2B"));
        assert_eq!(departement_of_postal_code("20600").as_deref(), Some("2B"));
        assert_eq!(departement_of_postal_code("97110").as_deref(), Some("971"));
        assert_eq!(departement_of_postal_code("97600").as_deref(), Some("976"));
        assert_eq!(departement_of_postal_code("98000").as_deref(), Some("980"));
        assert_eq!(departement_of_postal_code("5900"), None);
        assert_eq!(departement_of_postal_code("59A00"), None);
        assert_eq!(departement_of_postal_code("00100"), None);
    }

    #[test]
    fn haversine_matches_known_distances() {
        // Paris (Notre-Dame) – Lille (Grand-Place): ≈ 204 km.
        let d = distance_km(48.8530, 2.3499, 50.6372, 3.0633);
        assert!((d - 204.0).abs() < 2.0, "{d}");
        assert_eq!(distance_km(50.0, 3.0, 50.0, 3.0), 0.0);
        // Antipodes: half the circumference.
        let half = distance_km(0.0, 0.0, 0.0, 180.0);
        assert!((half - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6);
    }

    #[test]
    fn names_compare_without_accents_or_case() {
        assert_eq!(sans_accents("Élodie"), "elodie");
        assert_eq!(sans_accents("ÉLODIE Lefèvre-Cœur"), "elodie lefevre-coeur");
        assert_eq!(sans_accents("anne.o'hara@exemple.fr"), "anne.o'hara@exemple.fr");
    }

    #[test]
    fn search_form_ignores_accents_case_and_abbreviations() {
        assert_eq!(nom_recherche("Saint-Étienne"), "saint etienne");
        assert_eq!(nom_recherche("ST ETIENNE"), "saint etienne");
        assert_eq!(nom_recherche("Ste-Anne-d'Auray"), "sainte anne d auray");
        assert_eq!(nom_recherche("L'Haÿ-les-Roses"), "l hay les roses");
        assert_eq!(nom_recherche("Œuilly"), "oeuilly");
        assert_eq!(nom_recherche("  Lille  "), "lille");
        assert_eq!(nom_recherche("Stains"), "stains", "only whole words are expanded");
    }
}
