//! Where keyboard and screen-reader focus goes, once JavaScript runs.
//!
//! Without JavaScript the browser does it: each page is a new load (focus at
//! its top), a skip link moves to its target. Hydrated, the router shows pages
//! without reloading and handles `#…` links itself, so nothing would move: a
//! screen reader stays on the link just followed. Here: each page shown by
//! navigation puts focus on its main title, a form sent back refused on its
//! error summary, a skip link on its target.

#[cfg(not(feature = "ssr"))]
use leptos::prelude::*;

/// Whether the page loaded with the document was already shown: every later
/// one came by navigation.
#[cfg(not(feature = "ssr"))]
static FIRST_PAGE_SHOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Called once a page's view is in place (`mark_hydrated`): the loaded page
/// sends focus to its error summary when a refused form came back to it; a
/// page reached by navigation sends it to its main title.
pub fn after_page_shown() {
    #[cfg(not(feature = "ssr"))]
    {
        use std::sync::atomic::Ordering;
        let document = document();
        if !FIRST_PAGE_SHOWN.swap(true, Ordering::Relaxed) {
            if let Some(summary) = document.get_element_by_id("erreurs") {
                focus(&summary);
            }
        } else if let Some(title) =
            document.query_selector("main#contenu h1").ok().flatten().or_else(|| document.get_element_by_id("contenu"))
        {
            focus(&title);
        }
    }
}

/// Focus on `element`, made focusable by script only (`tabindex="-1"`) when it
/// is not already; false when it cannot take it (hidden).
#[cfg(not(feature = "ssr"))]
fn focus(element: &leptos::web_sys::Element) -> bool {
    use leptos::wasm_bindgen::JsCast;
    let Some(html) = element.dyn_ref::<leptos::web_sys::HtmlElement>() else { return false };
    if html.offset_parent().is_none() && html.tag_name() != "BODY" {
        return false;
    }
    if !html.has_attribute("tabindex") {
        let _ = html.set_attribute("tabindex", "-1");
    }
    html.focus().is_ok()
}

/// A skip link's click, hydrated: focus on its target (the menu's first link,
/// or the "Menu" button when the menu is folded on a phone).
pub fn follow_skip_link(ev: leptos::ev::MouseEvent, target: &'static str) {
    #[cfg(not(feature = "ssr"))]
    {
        let document = document();
        let candidates: Vec<Option<leptos::web_sys::Element>> = if target == "navigation" {
            vec![
                document.query_selector("#navigation a").ok().flatten(),
                document.query_selector(".fr-btn--menu").ok().flatten(),
            ]
        } else {
            vec![document.get_element_by_id(target)]
        };
        if candidates.into_iter().flatten().any(|element| focus(&element)) {
            ev.prevent_default();
        }
    }
    #[cfg(feature = "ssr")]
    let _ = (ev, target);
}
