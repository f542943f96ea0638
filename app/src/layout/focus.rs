//! Where keyboard and screen-reader focus goes, once JavaScript runs.
//!
//! Without JavaScript the browser does it: each page is a new load (focus at
//! its top), a skip link moves to its target. Hydrated, the router shows pages
//! without reloading and handles `#…` links itself, so nothing would move: a
//! screen reader stays on the link just followed. Here: each page shown by
//! navigation puts focus on its main title, a form sent back refused on its
//! error summary, a skip link on its target.

use leptos::prelude::*;

/// Inside the router, once: the loaded page sends focus to its error summary
/// when a refused form came back to it; a page reached by navigation sends it
/// to its main title once that title is the new page's.
#[component]
pub fn FocusOnNavigation() -> impl IntoView {
    #[cfg(not(feature = "ssr"))]
    {
        let location = leptos_router::hooks::use_location();
        Effect::new(move |previous: Option<String>| {
            let path = location.pathname.get();
            match previous {
                None => {
                    mark_seen(main_title().as_ref());
                    if let Some(summary) = document().get_element_by_id("erreurs") {
                        focus(&summary);
                    }
                }
                Some(previous) if previous != path => focus_new_title(0),
                Some(_) => {}
            }
            path
        });
    }
}

/// The title of the page shown (a title already seen carries a mark).
#[cfg(not(feature = "ssr"))]
fn main_title() -> Option<leptos::web_sys::Element> {
    document().query_selector("main#contenu h1").ok().flatten()
}

#[cfg(not(feature = "ssr"))]
const SEEN: &str = "data-focus-vu";

#[cfg(not(feature = "ssr"))]
fn mark_seen(title: Option<&leptos::web_sys::Element>) {
    if let Some(title) = title {
        let _ = title.set_attribute(SEEN, "");
    }
}

/// The new page may come a moment after its address (its code and data
/// load): its title — one not seen yet — is looked for every 50 ms for 5 s.
/// A page that keeps its title element (same page, other record) is left
/// as it is.
#[cfg(not(feature = "ssr"))]
fn focus_new_title(attempt: u32) {
    match main_title().filter(|t| !t.has_attribute(SEEN)) {
        Some(title) => {
            mark_seen(Some(&title));
            focus(&title);
        }
        None if attempt < 100 => {
            set_timeout(move || focus_new_title(attempt + 1), std::time::Duration::from_millis(50));
        }
        None => {}
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
            vec![document.query_selector("#navigation a").ok().flatten(), document.query_selector(".fr-btn--menu").ok().flatten()]
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
