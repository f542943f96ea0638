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

#[cfg(test)]
mod tests {
    use super::*;

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
