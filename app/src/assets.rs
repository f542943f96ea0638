//! Where the built site's static files (DSFR, the bundle, Leaflet, the map's
//! boundaries) are served from. `cargo xtask build` names each build by a hash of
//! its files; the server serves them under `/static/<hash>/`, so browsers may keep
//! them for a year and still get new files after a new build.

use leptos::config::LeptosOptions;

/// `/static/<hash>` for a hashed build, empty when the site is served at the
/// root (a build without an id, and the integration tests).
pub fn static_base(options: &LeptosOptions) -> String {
    let base = options.site_pkg_dir.strip_suffix("pkg").unwrap_or_default().trim_matches('/');
    if base.is_empty() {
        String::new()
    } else {
        format!("/{base}")
    }
}

/// The URL of one file of the site, e.g. `dsfr/dsfr.min.css`.
pub fn static_url(options: &LeptosOptions, path: &str) -> String {
    format!("{}/{path}", static_base(options))
}

/// Which files each group of pages needs, written by `cargo xtask build`.
#[cfg(feature = "ssr")]
const SPLIT_MANIFEST: &str = "__wasm_split_manifest.json";

/// `cargo xtask build`'s manifest: for each group's split point (`recherche_<hash>`,
/// see app/src/pages.rs), the files (without `.wasm`) it needs, shared chunks first.
#[cfg(feature = "ssr")]
type SplitManifest = std::collections::HashMap<String, Vec<String>>;

/// Read once per process; `None` without a built site (the integration tests).
#[cfg(feature = "ssr")]
fn split_manifest(options: &LeptosOptions) -> Option<&'static SplitManifest> {
    use std::sync::OnceLock;
    static MANIFEST: OnceLock<Option<SplitManifest>> = OnceLock::new();
    MANIFEST
        .get_or_init(|| {
            let path = std::path::Path::new(options.site_root.as_ref()).join("pkg").join(SPLIT_MANIFEST);
            let text = std::fs::read_to_string(&path).ok()?;
            serde_json::from_str(&text).map_err(|e| tracing::warn!("{} illisible, pages sans préchargement : {e}", path.display())).ok()
        })
        .as_ref()
}

/// The files a group of pages needs: its split point is named after the group's
/// function followed by `_<hash>` (Leptos' `#[lazy]`).
#[cfg(feature = "ssr")]
fn files_of_group<'a>(manifest: &'a SplitManifest, group: &str) -> Option<&'a Vec<String>> {
    manifest.iter().find_map(|(split, files)| {
        let (name, hash) = split.rsplit_once('_')?;
        (name == group && !hash.is_empty() && hash.chars().all(|c| c.is_ascii_digit())).then_some(files)
    })
}

/// The `<meta>` through which the server tells the hydration script which
/// parts of the bundle the page needs (see [`HydrationScript`]).
const PARTS_META: &str = "emjpm-parties";

/// Names, in the head of the page being rendered, the files of the bundle its
/// group of pages needs (app/src/pages.rs), for [`HydrationScript`] to fetch
/// them together with the main module rather than after it. Called by every
/// page's view on the server. (Leptos' own preloads of lazy code are registered
/// in a context it provides only once rendering has begun: they were missing
/// from about one page in six.)
#[cfg(feature = "ssr")]
pub fn preload_group(group: &str) {
    use leptos::prelude::{use_context, view, RenderHtml};
    use leptos_meta::Meta;
    let Some(state) = use_context::<crate::state::AppState>() else { return };
    let Some(manifest) = split_manifest(&state.leptos_options) else { return };
    let Some(files) = files_of_group(manifest, group) else { return };
    let content = files.iter().map(|file| format!("{file}.wasm")).collect::<Vec<_>>().join(" ");
    // `to_html` of a leptos_meta element registers it for the head.
    _ = view! { <Meta name=PARTS_META content=content/> }.to_html();
}

/// Loads the bundle and hydrates the page — instead of Leptos'
/// `HydrationScripts` — once the page is loaded (its CSS, fonts and images):
/// the page the server sends is complete and works without JavaScript (plain
/// forms and links), so the bundle never competes with what the first paint
/// needs, on a slow phone network as in Lighthouse's model of one (whose
/// largest-paint estimate counts every request made before that paint, and
/// put the search page at 3.9 s with the bundle announced in the head). The
/// page's parts are fetched at the same time as the main module.
#[leptos::component]
pub fn HydrationScript(options: LeptosOptions) -> impl leptos::IntoView {
    use leptos::prelude::{view, ElementChild, GlobalAttributes};
    let pkg = format!("{}/pkg", static_base(&options));
    let name = &options.output_name;
    let script = format!(
        r#"const pkg = {pkg:?};
const start = () => {{
  const parts = document.querySelector('meta[name="{PARTS_META}"]')?.content ?? "";
  for (const file of parts.split(" ").filter(Boolean)) {{
    const link = Object.assign(document.createElement("link"), {{ rel: "preload", as: "fetch", type: "application/wasm", crossOrigin: "anonymous", href: `${{pkg}}/${{file}}` }});
    document.head.append(link);
  }}
  import(`${{pkg}}/{name}.js`).then(async (bundle) => {{
    await bundle.default({{ module_or_path: `${{pkg}}/{name}_bg.wasm` }});
    bundle.hydrate();
  }});
}};
if (document.readyState === "complete") start(); else addEventListener("load", start, {{ once: true }});"#
    );
    let nonce = leptos::nonce::use_nonce();
    view! { <script type="module" nonce=nonce>{script}</script> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn a_group_finds_its_own_files_only() {
        let manifest: SplitManifest = serde_json::from_str(
            r#"{"recherche_4177641900008693595": ["chunk_9", "split_recherche_4177641900008693595"],
                "tribunal_4177641900008693595": ["chunk_9", "chunk_12", "split_tribunal_4177641900008693595"]}"#,
        )
        .expect("manifeste");
        let files = files_of_group(&manifest, "recherche").expect("recherche");
        assert_eq!(files, &["chunk_9", "split_recherche_4177641900008693595"]);
        assert_eq!(files_of_group(&manifest, "tribunal").map(Vec::len), Some(3));
        assert_eq!(files_of_group(&manifest, "mandataire"), None);
        assert_eq!(files_of_group(&manifest, "recherche_4177641900008693595"), None);
    }

    #[test]
    fn hashed_and_plain_sites() {
        let hashed = LeptosOptions::builder().output_name("emjpm").site_pkg_dir("static/0a1b2c/pkg").build();
        assert_eq!(static_url(&hashed, "dsfr/dsfr.min.css"), "/static/0a1b2c/dsfr/dsfr.min.css");
        let plain = LeptosOptions::builder().output_name("emjpm").site_pkg_dir("pkg").build();
        assert_eq!(static_url(&plain, "leaflet/leaflet.js"), "/leaflet/leaflet.js");
    }

    /// Every `fr-icon-…` class written in the product's code is declared in
    /// style/main.css (the DSFR's sheet of every icon is not loaded).
    #[test]
    fn every_icon_used_is_declared() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let css = std::fs::read_to_string(root.join("../style/main.css")).expect("style/main.css");
        let mut stack = vec![root.join("src")];
        let mut used = std::collections::BTreeSet::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("répertoire").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "js") {
                    let text = std::fs::read_to_string(&path).expect("source");
                    for (i, _) in text.match_indices("fr-icon-") {
                        let name: String = text[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
                        if name.len() > "fr-icon-".len() && !name.ends_with('-') {
                            used.insert(name);
                        }
                    }
                }
            }
        }
        assert!(used.contains("fr-icon-search-line"), "{used:?}");
        for icon in used {
            assert!(css.contains(&format!(".{icon}::before")), "{icon} : ajoutez sa règle dans style/main.css");
        }
    }
}
