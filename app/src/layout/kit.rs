//! The shared pieces of the pages (DSFR): a headline figure, an error shown in
//! place of a page, and the encoding of values written into the pages' links.

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

/// A value written into a link's query string (`a b` → `a+b`, `é` → `%C3%A9`).
pub fn urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_encoded() {
        assert_eq!(super::urlencode("Lille (59000) é&x"), "Lille+%2859000%29+%C3%A9%26x");
    }
}
