//! The shared pieces of the pages (DSFR): a headline figure, an error shown in
//! place of a page, data shown once loaded, a table, and the encoding of values
//! written into the pages' links.

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

/// A page's data once loaded ("Chargement…" meanwhile), or why it cannot be
/// shown. Every page waits for its data this way (`Cadre` too).
#[component]
pub fn Charge<T, V, F>(
    data: Resource<Result<T, AppError>>,
    /// The content once the data is there.
    vue: F,
    /// What is shown meanwhile.
    #[prop(default = "Chargement…")]
    attente: &'static str,
    /// The page's title (tab and heading) above the error, when the content
    /// would have given it.
    #[prop(optional)]
    titre_si_erreur: Option<&'static str>,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p>{attente}</p> }>
            {move || {
                let vue = vue.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => vue(value).into_any(),
                        Err(error) => view! {
                            {titre_si_erreur.map(|t| view! { <leptos_meta::Title text=format!("{t} - e-MJPM")/><h1>{t}</h1> })}
                            <ErrorAlert error/>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Where you are (DSFR breadcrumb): the pages before this one, then this one.
#[component]
pub fn FilAriane(chemin: &'static [(&'static str, &'static str)], #[prop(into)] page: String) -> impl IntoView {
    view! {
        <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
            <ol class="fr-breadcrumb__list">
                {chemin.iter().map(|(href, label)| view! { <li><a class="fr-breadcrumb__link" href=*href>{*label}</a></li> }).collect_view()}
                <li><a class="fr-breadcrumb__link" aria-current="page">{page}</a></li>
            </ol>
        </nav>
    }
}

/// A DSFR table: its caption (hidden when the heading above already says it),
/// its column headings, and its rows (`children`, the `<tr>`s).
#[component]
pub fn Tableau<C>(
    #[prop(into)] legende: String,
    /// The headings: fixed words, or computed ones (`String`).
    colonnes: Vec<C>,
    /// The caption is read by screen readers only.
    #[prop(optional)]
    legende_cachee: bool,
    children: Children,
) -> impl IntoView
where
    C: Into<String> + 'static,
{
    let class = if legende_cachee { "fr-table fr-table--no-caption" } else { "fr-table" };
    view! {
        <div class=class><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0"><div class="fr-table__content">
            <table>
                <caption>{legende}</caption>
                <thead><tr>{colonnes.into_iter().map(|c| view! { <th scope="col">{c.into()}</th> }).collect_view()}</tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div></div></div></div>
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

/// A query string (without `?`) from (key, value) pairs, each encoded.
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> String {
    pairs.into_iter().map(|(k, v)| format!("{}={}", urlencode(k.as_ref()), urlencode(v.as_ref()))).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_encoded() {
        assert_eq!(super::urlencode("Lille (59000) é&x"), "Lille+%2859000%29+%C3%A9%26x");
        assert_eq!(super::query_string([("commune", "Lille (59000)"), ("page", "2")]), "commune=Lille+%2859000%29&page=2");
        assert_eq!(super::query_string(Vec::<(String, String)>::new()), "");
    }
}
