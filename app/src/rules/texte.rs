//! What text people type may hold: no control character (NUL, escape, DEL…),
//! which no one means to type, which PostgreSQL refuses (NUL) where SQLite
//! stores it, and which breaks whatever later writes the text into a header, a
//! mail or a file. Line breaks and tabs are text in multi-line fields only.
//! One rule for every form, JSON body and server function: `security.rs`
//! applies it to each request before any handler runs.

/// The fields whose text may span lines (their inputs are `<textarea>`): a
/// judge's observation (`contenu`), the reason of a refused sign-up (`motif`),
/// an avis's comment, the team's answer to it, an évolution's description and
/// a nudge's mail template (`texte`) and the few words of a "why" answer (`precision`).
pub const CHAMPS_MULTILIGNES: &[&str] = &["contenu", "motif", "commentaire", "reponse", "description", "texte", "precision"];

/// Fields only ever compared with a stored hash, never stored nor shown: an
/// existing password is checked as typed (whatever it holds, its owner must
/// still be able to sign in).
pub const CHAMPS_SECRETS: &[&str] = &["password", "actuel"];

/// The first character of `value` a field may not hold: any control
/// character, except line feed, carriage return and tab in a multi-line field.
pub fn caractere_interdit(value: &str, multiligne: bool) -> Option<char> {
    value.chars().find(|c| c.is_control() && !(multiligne && matches!(c, '\n' | '\r' | '\t')))
}

/// The French refusal of field `champ` holding `c`.
pub fn refus(champ: &str, c: char) -> String {
    let nom: String = champ.chars().map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect();
    format!(
        "Le champ « {nom} » contient un caractère de contrôle invisible (U+{:04X}) : retirez-le, puis envoyez de nouveau.",
        u32::from(c)
    )
}

/// The refusals of named values, one per field (the first value refused of a
/// field that comes several times). A field name holding a control character
/// is refused too.
pub fn refus_champs<'a>(valeurs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    let mut refus_par_champ: Vec<(String, String)> = Vec::new();
    for (champ, valeur) in valeurs {
        if CHAMPS_SECRETS.contains(&champ) || refus_par_champ.iter().any(|(c, _)| c == champ) {
            continue;
        }
        let interdit = caractere_interdit(champ, false).or_else(|| caractere_interdit(valeur, CHAMPS_MULTILIGNES.contains(&champ)));
        if let Some(c) = interdit {
            refus_par_champ.push((champ.to_string(), refus(champ, c)));
        }
    }
    refus_par_champ
}

/// "de Lille", "d'Amiens", "d'Évry": French elides "de" before a vowel (an
/// initial h is left alone: whether it is mute is the word's own story).
pub fn de(nom: &str) -> String {
    let voyelle = nom.chars().next().is_some_and(|c| "AEIOUYÀÂÉÈÊËÎÏÔÖÙÛÜaeiouyàâéèêëîïôöùûü".contains(c));
    if voyelle {
        format!("d'{nom}")
    } else {
        format!("de {nom}")
    }
}

/// The text with its first letter in capitals ("tutelle" → "Tutelle").
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A count and its noun, singular for 0 and 1 as French says it: "1 inscription",
/// "2 inscriptions", "0 mesure".
pub fn compte(n: i64, singulier: &str, pluriel: &str) -> String {
    format!("{} {}", format_count(n), if n.abs() > 1 { pluriel } else { singulier })
}

/// A number with `chiffres` decimals and the French decimal comma: `12,3`.
pub fn decimal(valeur: f64, chiffres: usize) -> String {
    format!("{valeur:.chiffres$}").replace('.', ",")
}

/// French thousands separator (narrow no-break space), e.g. `12 345`.
pub fn format_count(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if value < 0 {
        format!("−{out}")
    } else {
        out
    }
}

/// How long ago, in days: "aujourd'hui", "hier", "il y a 3 jours".
pub fn depuis(jours: i64) -> String {
    match jours {
        ..=0 => "aujourd'hui".to_string(),
        1 => "hier".to_string(),
        n => format!("il y a {n} jours"),
    }
}

/// A wait in minutes, as people say it: "moins d'une minute", "12 min",
/// "3 h 05", "2 jours".
pub fn duree(minutes: i64) -> String {
    match minutes {
        ..=0 => "moins d'une minute".to_string(),
        1..=59 => format!("{minutes} min"),
        60..=2879 => format!("{} h {:02}", minutes / 60, minutes % 60),
        _ => format!("{} jours", minutes / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn de_is_elided_before_a_vowel_and_counts_agree() {
        assert_eq!(de("Lille"), "de Lille");
        assert_eq!(de("Amiens"), "d'Amiens");
        assert_eq!(de("Aniche"), "d'Aniche");
        assert_eq!(de("Évry-Courcouronnes"), "d'Évry-Courcouronnes");
        assert_eq!(de("Hazebrouck"), "de Hazebrouck");
        assert_eq!(compte(0, "inscription", "inscriptions"), "0 inscription");
        assert_eq!(compte(1, "inscription", "inscriptions"), "1 inscription");
        assert_eq!(compte(2, "inscription à valider", "inscriptions à valider"), "2 inscriptions à valider");
    }

    #[test]
    fn control_characters_are_refused_line_breaks_only_where_lines_are_text() {
        assert_eq!(caractere_interdit("Cabinet 3 — é ✓", false), None);
        assert_eq!(caractere_interdit("a\0b", false), Some('\0'));
        assert_eq!(caractere_interdit("a\u{1b}[31m", false), Some('\u{1b}'));
        assert_eq!(caractere_interdit("a\u{7f}", false), Some('\u{7f}'));
        assert_eq!(caractere_interdit("a\u{85}", false), Some('\u{85}'));
        assert_eq!(caractere_interdit("ligne\nligne", false), Some('\n'));
        assert_eq!(caractere_interdit("a\tb", false), Some('\t'));
        assert_eq!(caractere_interdit("ligne\r\n\tsuite", true), None);
        assert_eq!(caractere_interdit("ligne\r\n\0", true), Some('\0'));
    }

    #[test]
    fn each_refused_field_is_named_once_in_french() {
        let refus = refus_champs([
            ("cabinet", "a\0b"),
            ("cabinet", "c\u{7}d"),
            ("contenu", "une\nobservation"),
            ("motif", "un\0motif"),
            ("password", "secret\u{1}"),
            ("nom", "Durand"),
            ("a\u{1}b", "x"),
        ]);
        let champs: Vec<&str> = refus.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(champs, ["cabinet", "motif", "a\u{1}b"]);
        assert_eq!(
            refus[0].1,
            "Le champ « cabinet » contient un caractère de contrôle invisible (U+0000) : retirez-le, puis envoyez de nouveau."
        );
        assert!(refus[2].1.contains("« a\u{FFFD}b »"), "{}", refus[2].1);
    }

    #[test]
    fn waits_read_as_people_say_them() {
        assert_eq!(super::duree(0), "moins d'une minute");
        assert_eq!(super::duree(12), "12 min");
        assert_eq!(super::duree(185), "3 h 05");
        assert_eq!(super::duree(2 * 1440 + 3), "2 jours");
    }

    #[test]
    fn counts_use_french_grouping() {
        assert_eq!(super::format_count(0), "0");
        assert_eq!(super::format_count(999), "999");
        assert_eq!(super::format_count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(super::format_count(-1200), "−1\u{202f}200");
    }

    #[test]
    fn days_ago_in_words() {
        assert_eq!(super::depuis(0), "aujourd'hui");
        assert_eq!(super::depuis(1), "hier");
        assert_eq!(super::depuis(3), "il y a 3 jours");
    }
}
