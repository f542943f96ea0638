#![recursion_limit = "256"]
//! The browser side: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A page's code is in its group's part, loaded before the page hydrates
    // (app::pages); `hydrate_body` would not wait for it.
    leptos::mount::hydrate_lazy(app::App);
}
