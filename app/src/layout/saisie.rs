//! What a refused form sent, kept out of the address bar.
//!
//! A refused post sends the user back to the form with what was typed and the
//! messages. Written in the redirect's query string, names, telephone numbers,
//! SIRET and addresses ended in the server's and proxies' logs and in the
//! browser's history. They travel instead in a short-lived cookie — the
//! "saisie refusée" — that only the server reads (HttpOnly), and the address
//! says only `saisie=1`: the page shows the draft when its address carries that
//! mark and the draft was made for this very page. The page embeds the draft as
//! JSON in its `<head>` so that the browser, hydrating, shows the same thing.
//!
//! The draft lives ten minutes, or until the next form posted in the session's
//! browser is accepted, whichever comes first.

use leptos::prelude::*;

/// The cookie carrying the draft.
pub const COOKIE: &str = "emjpm_saisie";
/// The query mark of an address showing a refused post's draft.
pub const MARK: &str = "saisie";
/// The id of the `<script>` carrying the draft in the page (for hydration).
const SCRIPT_ID: &str = "saisie-refusee";
/// How long a draft is kept, in seconds.
#[cfg(feature = "ssr")]
const LIFETIME_SECONDS: i64 = 600;
/// A cookie stays under the browsers' 4 KB limit: past this, the longest typed
/// values are dropped (the field comes back empty; the messages always stay).
#[cfg(feature = "ssr")]
const MAX_COOKIE_BYTES: usize = 3_800;
/// The key naming the page the draft was made for.
#[cfg(feature = "ssr")]
const PAGE_KEY: &str = "_page";

/// The draft of a refused post, attached by `FormData::refused` to its redirect
/// and turned into the cookie by [`keep_drafts`] (which knows the cookie flags).
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The form's page (path only).
    pub page: String,
    /// Typed values and messages, in order.
    pub pairs: Vec<(String, String)>,
}

/// Whether a query string (without `?`) carries the draft's mark.
fn has_mark(query: &str) -> bool {
    query.split('&').any(|pair| pair.split('=').next() == Some(MARK))
}

/// The path of an address (no query, no fragment).
fn path_of(address: &str) -> &str {
    address.split(['?', '#']).next().unwrap_or(address)
}

#[cfg(feature = "ssr")]
impl Draft {
    /// The cookie's value: the pairs form-encoded (only characters a cookie may
    /// hold), the longest typed values emptied until it fits.
    pub fn cookie_value(&self) -> String {
        let mut pairs: Vec<(String, String)> = vec![(PAGE_KEY.into(), self.page.clone())];
        pairs.extend(self.pairs.iter().cloned());
        loop {
            let encoded = serde_urlencoded::to_string(&pairs).unwrap_or_default();
            if encoded.len() <= MAX_COOKIE_BYTES {
                return encoded;
            }
            let longest = pairs
                .iter_mut()
                .skip(1)
                .filter(|(key, _)| !key.starts_with("erreur"))
                .max_by_key(|(_, value)| value.len())
                .filter(|(_, value)| !value.is_empty());
            match longest {
                Some((_, value)) => value.clear(),
                // Only messages are left and they still do not fit: none is kept.
                None => return String::new(),
            }
        }
    }

    /// The draft a cookie value carries.
    pub fn from_cookie_value(value: &str) -> Option<Draft> {
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(value).ok()?;
        if pairs.first().map(|(key, _)| key.as_str()) != Some(PAGE_KEY) {
            return None;
        }
        let page = pairs.remove(0).1;
        Some(Draft { page, pairs })
    }

    /// The draft a request carries for the page it asks for: its address has
    /// the mark and the cookie names this page.
    pub fn for_request(parts: &http::request::Parts) -> Option<Draft> {
        if !parts.uri.query().is_some_and(has_mark) {
            return None;
        }
        let value = crate::accounts::session::cookie_from_headers(&parts.headers, COOKIE)?;
        Draft::from_cookie_value(&value).filter(|draft| draft.page == parts.uri.path())
    }
}

/// The redirect's address after a refusal: `page` with the mark, then the
/// errors' summary anchor.
pub fn marked_address(page: &str) -> String {
    let separator = if page.contains('?') { '&' } else { '?' };
    format!("{page}{separator}{MARK}=1#erreurs")
}

/// The form's page of an address given to `refused` (its path).
pub fn page_of(address: &str) -> String {
    path_of(address).to_string()
}

/// The pairs of the draft shown on the current page: on the server, read from
/// the request; in the browser, from the JSON the server embedded — only when
/// the address still has the mark and is the draft's page (after navigating
/// elsewhere, the embedded draft no longer applies).
pub fn current_pairs() -> Vec<(String, String)> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|parts| Draft::for_request(&parts)).map(|d| d.pairs).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        embedded_draft().map(|d| d.pairs).unwrap_or_default()
    }
}

#[cfg(not(feature = "ssr"))]
fn embedded_draft() -> Option<Draft> {
    let window = leptos::web_sys::window()?;
    let location = window.location();
    let (path, search) = (location.pathname().ok()?, location.search().ok()?);
    if !has_mark(search.trim_start_matches('?')) {
        return None;
    }
    let text = window.document()?.get_element_by_id(SCRIPT_ID)?.text_content()?;
    let (page, pairs): (String, Vec<(String, String)>) = serde_json::from_str(&text).ok()?;
    (page == path).then_some(Draft { page, pairs })
}

/// The draft as JSON in the page's `<head>`, for the browser's hydration. The
/// server writes a script's text as is: `<` is escaped so that no typed value
/// can close the element.
#[component]
pub fn EmbeddedDraft() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let draft = use_context::<http::request::Parts>().and_then(|parts| Draft::for_request(&parts));
    #[cfg(not(feature = "ssr"))]
    let draft: Option<Draft> = None;
    draft.map(|draft| {
        let json = serde_json::to_string(&(draft.page, draft.pairs)).unwrap_or_default().replace('<', "\\u003c");
        view! { <script type="application/json" id=SCRIPT_ID inner_html=json></script> }
    })
}

/// Middleware: the draft a refused post attached becomes the cookie (with the
/// service's cookie flags); a form accepted in the same browser removes a
/// draft left over, so that no typed value stays behind on a shared computer.
#[cfg(feature = "ssr")]
pub async fn keep_drafts(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use crate::accounts::session::{cookie_from_headers, set_cookie};
    let had_draft = request.method() == http::Method::POST && cookie_from_headers(request.headers(), COOKIE).is_some();
    let mut response = next.run(request).await;
    let cookie = match response.extensions_mut().remove::<Draft>() {
        Some(draft) => Some(set_cookie(COOKIE, &draft.cookie_value(), LIFETIME_SECONDS, state.secure_cookies)),
        None if had_draft => Some(set_cookie(COOKIE, "", 0, state.secure_cookies)),
        None => None,
    };
    if let Some(value) = cookie.and_then(|c| http::HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(http::header::SET_COOKIE, value);
    }
    response
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn draft(pairs: &[(&str, &str)]) -> Draft {
        Draft { page: "/inscription".into(), pairs: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }

    #[test]
    fn a_draft_goes_through_its_cookie_unchanged() {
        let typed = draft(&[("nom", "Dupont; Élodie=\"x\""), ("telephone", "06 12 34 56 78"), ("erreur_siret", "Le SIRET a 14 chiffres.")]);
        let value = typed.cookie_value();
        assert!(!value.contains([';', ' ', ',', '"']), "{value}");
        assert_eq!(Draft::from_cookie_value(&value), Some(typed));
    }

    #[test]
    fn a_draft_too_long_for_a_cookie_loses_its_longest_values_never_its_messages() {
        let long = "é".repeat(3000);
        let typed = draft(&[("nom", "Dupont"), ("adresse", &long), ("erreur_adresse", "Trop long.")]);
        let kept = Draft::from_cookie_value(&typed.cookie_value()).expect("draft");
        assert_eq!(kept.pairs, draft(&[("nom", "Dupont"), ("adresse", ""), ("erreur_adresse", "Trop long.")]).pairs);
    }

    #[test]
    fn a_draft_is_shown_only_on_its_page_and_with_the_mark() {
        let value = draft(&[("nom", "Dupont")]).cookie_value();
        let request = |uri: &str| {
            let request = http::Request::get(uri).header(http::header::COOKIE, format!("a=b; {COOKIE}={value}")).body(()).expect("request");
            Draft::for_request(&request.into_parts().0)
        };
        assert!(request("/inscription?saisie=1").is_some());
        assert!(request("/inscription").is_none(), "without the mark");
        assert!(request("/compte?saisie=1").is_none(), "another page");
        assert_eq!(marked_address("/reinitialisation?token=x"), "/reinitialisation?token=x&saisie=1#erreurs");
    }
}
