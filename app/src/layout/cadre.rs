//! The frame the pages of a space share: where you are (breadcrumb), the
//! title, the confirmation of the action just done, and the page's content
//! once its data is loaded — or why it cannot be shown.

use crate::errors::AppError;
use crate::layout::kit::{Charge, FilAriane};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Cadre<T, V>(
    /// The page's title (browser tab and heading).
    titre: &'static str,
    /// The breadcrumb before this page: (path, label).
    chemin: &'static [(&'static str, &'static str)],
    /// The confirmation of the action just done (from `?fait=`).
    #[prop(default = None)]
    confirmation: Option<&'static str>,
    /// A sentence under the title.
    #[prop(optional)]
    chapeau: Option<&'static str>,
    data: Resource<Result<T, AppError>>,
    /// The content once the data is there.
    vue: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Title text=format!("{titre} - e-MJPM")/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin page=titre/>
            <h1>{titre}</h1>
            {chapeau.map(|text| view! { <p>{text}</p> })}
            {confirmation.map(|m| view! { <div class="fr-alert fr-alert--success fr-mb-3w" role="status"><p>{m}</p></div> })}
            <Charge data vue/>
        </div>
    }
}

/// The confirmation code of the action just done (`?fait=…`), read once.
pub fn fait() -> Option<String> {
    leptos_router::hooks::use_query_map().read_untracked().get("fait")
}
