//! Where the product may send a user back to after an action: one rule for
//! every "retour" (a form's `retour` field, a refused form's `Referer`), so
//! that none of them can become an open redirect.

/// A page of this site written as a plain address: a path from the root (not
/// `//host`, which a browser reads as another site), visible ASCII only (as
/// the pages write their links; no space, no control character, nothing a
/// `Location` header could not carry), no backslash (which some browsers read
/// as `/`).
pub fn is_local_page(page: &str) -> bool {
    page.starts_with('/') && !page.starts_with("//") && !page.contains('\\') && page.chars().all(|c| c.is_ascii_graphic())
}

/// `candidate` when it is a local page under `home` (`/admin/comptes?q=x`
/// under `/admin/comptes`); `home` otherwise.
pub fn page_under(candidate: Option<&str>, home: &str) -> String {
    candidate.filter(|page| is_local_page(page) && under(page, home)).map_or_else(|| home.to_string(), str::to_string)
}

/// `page` is `home` itself, one of its sub-pages or `home` with a query.
fn under(page: &str, home: &str) -> bool {
    page.strip_prefix(home).is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_local_pages_are_kept() {
        for bad in ["//evil.example/admin", "https://evil.example/", "/\\evil.example", "/a b", "/é", "admin", "", "/x\n"] {
            assert!(!is_local_page(bad), "{bad:?}");
        }
        for good in ["/", "/admin/comptes?q=petit&role=magistrat", "/tribunal/mesures#liste"] {
            assert!(is_local_page(good), "{good:?}");
        }
    }

    #[test]
    fn a_retour_stays_under_its_home() {
        let home = "/admin/comptes";
        assert_eq!(page_under(Some("/admin/comptes?q=petit"), home), "/admin/comptes?q=petit");
        assert_eq!(page_under(Some("/admin/comptes/12"), home), "/admin/comptes/12");
        assert_eq!(page_under(Some("/admin/comptesx"), home), home, "another page that only starts alike");
        assert_eq!(page_under(Some("/tribunal"), home), home);
        assert_eq!(page_under(Some("//evil.example/admin/comptes"), home), home);
        assert_eq!(page_under(None, home), home);
    }
}
