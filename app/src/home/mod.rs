//! Each role's landing page, with the figures that role needs first.

pub mod admin;
pub mod direction;
pub mod mandataire;
pub mod tribunal;

use crate::errors::AppError;
use leptos::prelude::*;

/// A headline figure.
#[component]
pub fn Chiffre(valeur: String, libelle: &'static str, #[prop(optional)] detail: Option<String>) -> impl IntoView {
    view! {
        <div class="fr-col-12 fr-col-sm-6 fr-col-md-3">
            <div class="emjpm-chiffre">
                <p class="emjpm-chiffre__valeur">{valeur}</p>
                <p class="emjpm-chiffre__libelle">{libelle}</p>
                {detail.map(|d| view! { <p class="fr-text--xs fr-mb-0">{d}</p> })}
            </div>
        </div>
    }
}

/// An error shown in place of a page's content.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    view! {
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
            <h2 class="fr-alert__title">"Impossible d'afficher cette page"</h2>
            <p>{error.to_string()}</p>
        </div>
    }
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
