//! Protections every request goes through (server only): refusal of
//! state-changing requests sent by another site (CSRF), canonical paths before
//! any guard reads them, text with control characters refused before any
//! handler (`rules::texte`), the Content-Security-Policy of pages and the other
//! security headers.
//!
//! Sessions are cookies with `SameSite=Lax`, which already keeps them off most
//! cross-site sub-requests; the Origin / `Sec-Fetch-Site` check below refuses
//! the rest (a cross-site form post, a request from a sibling sub-domain).

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether a request must be refused as sent by another site: a state-changing
/// method whose `Sec-Fetch-Site` is not `same-origin`/`none`, or, from browsers
/// without that header, whose `Origin` is neither the service's public address
/// nor the `Host` it was sent to. Requests with neither header (scripts using
/// the API, curl) are not cross-site requests of a browser and pass.
pub fn cross_site(method: &Method, headers: &HeaderMap, base_url: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE) {
        return false;
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = text("origin") else { return false };
    if origin.eq_ignore_ascii_case(base_url.trim_end_matches('/')) {
        return false;
    }
    let origin_host = origin.split_once("://").map(|(_, host)| host);
    match (origin_host, text("host")) {
        (Some(origin_host), Some(host)) => !origin_host.eq_ignore_ascii_case(host),
        _ => true,
    }
}

/// Middleware: answers 403 to a cross-site state-changing request, before any
/// handler or server function runs.
pub async fn refuse_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if cross_site(request.method(), request.headers(), &state.base_url) {
        tracing::warn!(
            methode = %request.method(),
            chemin = %request.uri().path(),
            origine = ?request.headers().get("origin"),
            "requête d'un autre site refusée"
        );
        let message = "Requête refusée : elle a été envoyée depuis un autre site qu'e-MJPM. \
                       Revenez sur e-MJPM et recommencez depuis ses pages.";
        return (StatusCode::FORBIDDEN, axum::Json(serde_json::json!({ "erreur": message }))).into_response();
    }
    next.run(request).await
}

/// What to do with a request's path before any guard reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chemin {
    /// Already canonical: served as is.
    Canonique,
    /// `.` or `..` segments (percent-encoded ones too) or doubled slashes: the
    /// path they mean, to redirect to.
    Vers(String),
    /// A segment hiding a slash, a backslash or a control character
    /// (`..%2f`, `%5c`, `%00`): no canonical meaning.
    Invalide,
}

/// The canonical form of a raw (still percent-encoded) path, as RFC 3986's
/// dot-segment removal gives it, doubled slashes made single: the guards match
/// path prefixes, so `/compte/../admin/journal` must reach them as
/// `/admin/journal`. `..` never goes above the root; a trailing slash stays.
pub fn canonical_path(path: &str) -> Chemin {
    let Some(rest) = path.strip_prefix('/') else { return Chemin::Canonique };
    let segments: Vec<&str> = rest.split('/').collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut changed = false;
    let mut trailing_slash = false;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let decoded = percent_decode(segment);
        if segment.contains('\\') || decoded.contains(['/', '\\']) || decoded.chars().any(char::is_control) {
            return Chemin::Invalide;
        }
        match decoded.as_str() {
            "." | ".." => {
                if decoded == ".." {
                    kept.pop();
                }
                changed = true;
                trailing_slash = last;
            }
            "" if last => trailing_slash = true,
            "" => changed = true,
            _ => kept.push(segment),
        }
    }
    if !changed {
        return Chemin::Canonique;
    }
    let mut canonical = format!("/{}", kept.join("/"));
    if trailing_slash && !canonical.ends_with('/') {
        canonical.push('/');
    }
    Chemin::Vers(canonical)
}

/// `%XX` sequences decoded (invalid UTF-8 replaced): enough to recognise a dot
/// segment, a hidden slash or a control character.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// Middleware in front of the guards: a path that is not canonical is
/// redirected (308, the method and body kept) to the one it means, which the
/// guards then judge; one with no canonical meaning is refused (400).
pub async fn canonical_paths(request: Request, next: Next) -> Response {
    match canonical_path(request.uri().path()) {
        Chemin::Canonique => next.run(request).await,
        Chemin::Vers(path) => {
            let target = match request.uri().query() {
                Some(query) => format!("{path}?{query}"),
                None => path,
            };
            match HeaderValue::from_str(&target) {
                Ok(location) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response(),
                Err(_) => invalid_path(),
            }
        }
        Chemin::Invalide => invalid_path(),
    }
}

fn invalid_path() -> Response {
    crate::errors::AppError::Invalide(
        "Adresse invalide : un élément du chemin cache une barre oblique, une barre oblique inverse \
         ou un caractère de contrôle."
            .into(),
    )
    .into_response()
}

/// The body of a request that writes, as far as text is concerned.
enum Corps {
    Json,
    Formulaire,
}

/// Middleware in front of every handler and server function: a form, a JSON
/// body or a server function's arguments holding a control character
/// (`rules::texte`) are refused before anything is written, with a French
/// message naming each field — 422 in the caller's own format (the JSON API's
/// `{"erreur", "champs"}`, a server function's error), or for a plain form back
/// to the page it was sent from, with the message.
pub async fn refuse_control_characters(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE) {
        return next.run(request).await;
    }
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let corps = if media == "application/json" || media.ends_with("+json") {
        Corps::Json
    } else if media == "application/x-www-form-urlencoded" || request.uri().path().starts_with("/api/fn/") {
        // Server functions read their arguments whatever the declared type.
        Corps::Formulaire
    } else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        let message = "Requête trop volumineuse ou interrompue : elle n'a pas été lue.";
        return (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(serde_json::json!({ "erreur": message }))).into_response();
    };
    let refus = match corps {
        Corps::Json => serde_json::from_slice::<serde_json::Value>(&bytes).map(|v| json_refusals(&v)).unwrap_or_default(),
        Corps::Formulaire => {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
            crate::rules::texte::refus_champs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        }
    };
    if refus.is_empty() {
        return next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await;
    }
    tracing::info!(chemin = %parts.uri.path(), champs = ?refus.iter().map(|(c, _)| c).collect::<Vec<_>>(), "caractère de contrôle refusé");
    let error = crate::errors::AppError::Champs(refus);
    let accepts_html = parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    match corps {
        Corps::Json => error.into_response(),
        Corps::Formulaire if parts.uri.path().starts_with("/api/fn/") && !accepts_html => crate::errors::server_fn_error_response(&error),
        Corps::Formulaire => {
            let host = parts.headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let back =
                parts.headers.get(header::REFERER).and_then(|v| v.to_str().ok()).and_then(|r| same_site_page(r, &state.base_url, host));
            match back {
                Some(page) => {
                    let separator = if page.contains('?') { '&' } else { '?' };
                    let location = format!("{page}{separator}erreur={}#erreurs", crate::layout::kit::urlencode(&error.to_string()));
                    match HeaderValue::from_str(&location) {
                        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
                        Err(_) => error.into_response(),
                    }
                }
                None => error.into_response(),
            }
        }
    }
}

/// The refusals of a JSON body: each string value (in objects and arrays, at
/// any depth) under the name of the key that holds it.
fn json_refusals(value: &serde_json::Value) -> Vec<(String, String)> {
    fn walk<'a>(value: &'a serde_json::Value, champ: &'a str, found: &mut Vec<(&'a str, &'a str)>) {
        match value {
            serde_json::Value::String(text) => found.push((champ, text)),
            serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, champ, found)),
            serde_json::Value::Object(fields) => {
                for (key, item) in fields {
                    found.push((key, ""));
                    walk(item, key, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, "corps", &mut found);
    crate::rules::texte::refus_champs(found)
}

/// The page (path and query, without its previous messages) a same-site
/// `Referer` names — where a refused plain form goes back to; None for
/// another site's page or anything that is not a plain path.
fn same_site_page(referer: &str, base_url: &str, host: Option<&str>) -> Option<String> {
    let (scheme, rest) = referer.split_once("://")?;
    let (authority, page) = rest.find('/').map_or((rest, "/"), |i| rest.split_at(i));
    let base_authority = base_url.trim_end_matches('/').split_once("://").map(|(_, a)| a);
    let ours = Some(authority)
        .is_some_and(|a| base_authority.is_some_and(|b| b.eq_ignore_ascii_case(a)) || host.is_some_and(|h| h.eq_ignore_ascii_case(a)));
    if !ours || !matches!(scheme, "http" | "https") {
        return None;
    }
    let page = page.split('#').next().unwrap_or_default();
    if !crate::rules::retour::is_local_page(page) {
        return None;
    }
    let (path, query) = page.split_once('?').unwrap_or((page, ""));
    let kept: Vec<&str> = query.split('&').filter(|pair| !pair.is_empty() && !pair.starts_with("erreur")).collect();
    Some(if kept.is_empty() { path.to_string() } else { format!("{path}?{}", kept.join("&")) })
}

/// The policy of an application page: scripts from the site and the inline
/// hydration scripts carrying this response's nonce only (no `unsafe-inline`),
/// WebAssembly compilation, styles and images from the site (plus the map's
/// tile server when one is configured).
pub fn page_policy(nonce: &str, tiles_url: Option<&str>) -> String {
    let tiles = tiles_url.and_then(origin_of).map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:{tiles}; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Other HTML (the API's documentation page): the site's own files only.
const HTML_POLICY: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; \
                           form-action 'self'; frame-ancestors 'none'";
/// Everything else (JSON, files): nothing may run or be framed.
const OTHER_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// `https://tiles.example.org` of `https://tiles.example.org/{z}/{x}/{y}.png`.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty() && !h.contains(['{', '}', ' ', ';', '\'']))?;
    Some(format!("{scheme}://{host}"))
}

/// The nonce Leptos wrote on the page's inline scripts (`nonce="…"`), read from
/// the start of the HTML (its `<head>` comes in the first chunk).
pub fn nonce_in(html_start: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(html_start);
    let start = text.find("nonce=\"")? + "nonce=\"".len();
    let nonce: String = text[start..].chars().take_while(|c| *c != '"').collect();
    let valid = !nonce.is_empty()
        && nonce.len() <= 64
        && nonce.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_'));
    valid.then_some(nonce)
}

/// Middleware: the headers every response carries, and its Content-Security-
/// Policy. An application page gets the policy of the nonce its own HTML
/// carries — read from the page itself, so that header and scripts can never
/// disagree (a header set from inside the render was lost under load, seen in
/// the browser tests); other HTML and everything else get strict policies.
pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    use futures_util::StreamExt;
    let mut response = next.run(request).await;
    let html = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    if html && !response.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        let (mut parts, body) = response.into_parts();
        let mut stream = body.into_data_stream();
        let first = stream.next().await;
        let policy = match first.as_ref().and_then(|chunk| chunk.as_ref().ok()).and_then(|bytes| nonce_in(bytes)) {
            Some(nonce) => page_policy(&nonce, state.map_tiles_url.as_deref()),
            None => HTML_POLICY.to_string(),
        };
        if let Ok(value) = HeaderValue::from_str(&policy) {
            parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
        let body = axum::body::Body::from_stream(futures_util::stream::iter(first).chain(stream));
        response = Response::from_parts(parts, body);
    }
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(OTHER_POLICY));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if state.secure_cookies {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    const BASE: &str = "https://emjpm.example.fr";

    #[test]
    fn reading_is_never_refused() {
        let foreign = headers(&[("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")]);
        assert!(!cross_site(&Method::GET, &foreign, BASE));
        assert!(!cross_site(&Method::HEAD, &foreign, BASE));
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        for (site, refused) in [("same-origin", false), ("none", false), ("same-site", true), ("cross-site", true)] {
            let h = headers(&[("sec-fetch-site", site), ("origin", "https://emjpm.example.fr")]);
            assert_eq!(cross_site(&Method::POST, &h, BASE), refused, "{site}");
        }
    }

    #[test]
    fn otherwise_the_origin_must_be_the_service_or_the_host() {
        let ours = headers(&[("origin", "https://emjpm.example.fr")]);
        assert!(!cross_site(&Method::POST, &ours, BASE));
        let same_host = headers(&[("origin", "http://127.0.0.1:3100"), ("host", "127.0.0.1:3100")]);
        assert!(!cross_site(&Method::DELETE, &same_host, BASE));
        let foreign = headers(&[("origin", "https://evil.example"), ("host", "emjpm.example.fr")]);
        assert!(cross_site(&Method::PUT, &foreign, BASE));
        let opaque = headers(&[("origin", "null"), ("host", "emjpm.example.fr")]);
        assert!(cross_site(&Method::POST, &opaque, BASE));
        // No browser header at all: a script or curl, not a forged browser request.
        assert!(!cross_site(&Method::POST, &HeaderMap::new(), BASE));
    }

    #[test]
    fn paths_are_made_canonical_before_any_guard() {
        let vers = |p: &str| Chemin::Vers(p.to_string());
        for (raw, expected) in [
            ("/admin/journal", Chemin::Canonique),
            ("/", Chemin::Canonique),
            ("/admin/comptes/", Chemin::Canonique),
            ("/mesures/caf%C3%A9", Chemin::Canonique),
            ("/compte/../admin/journal", vers("/admin/journal")),
            ("/compte/%2e%2E/admin/journal", vers("/admin/journal")),
            ("/compte/.%2e/admin", vers("/admin")),
            ("/compte/./journal", vers("/compte/journal")),
            ("/compte/..", vers("/")),
            ("/compte/.", vers("/compte/")),
            ("/../../admin", vers("/admin")),
            ("//admin//journal", vers("/admin/journal")),
            ("///exemple.org/", vers("/exemple.org/")),
            ("/compte/...", Chemin::Canonique),
            ("/compte/..%2fadmin", Chemin::Invalide),
            ("/compte/%5C..", Chemin::Invalide),
            ("/a\\b", Chemin::Invalide),
            ("/compte%00", Chemin::Invalide),
            ("*", Chemin::Canonique),
        ] {
            assert_eq!(canonical_path(raw), expected, "{raw}");
        }
    }

    #[test]
    fn a_refused_form_goes_back_to_its_own_sites_page_only() {
        let back = |r: &str| same_site_page(r, BASE, Some("127.0.0.1:3000"));
        assert_eq!(back("https://emjpm.example.fr/tribunal/mesures/3/modifier").as_deref(), Some("/tribunal/mesures/3/modifier"));
        assert_eq!(
            back("https://emjpm.example.fr/admin/comptes?q=petit&erreur=x&erreur_nom=y#erreurs").as_deref(),
            Some("/admin/comptes?q=petit")
        );
        assert_eq!(back("http://127.0.0.1:3000/compte").as_deref(), Some("/compte"));
        assert_eq!(back("https://emjpm.example.fr").as_deref(), Some("/"));
        assert_eq!(back("https://evil.example/compte"), None);
        assert_eq!(back("https://emjpm.example.fr.evil.example/compte"), None);
        assert_eq!(back("https://emjpm.example.fr//evil.example/"), None);
        assert_eq!(back("javascript://emjpm.example.fr/"), None);
        assert_eq!(back("/compte"), None);
    }

    #[test]
    fn every_string_of_a_json_body_is_checked_under_its_key() {
        let body = serde_json::json!({
            "cabinet": "a\u{0}b", "nom": "Durand", "annee": 1940,
            "antennes": [{ "ville": "Lille\u{7}" }], "departements": ["59", "6\n2"],
            "contenu": "deux\nlignes", "password": "\u{1}"
        });
        let mut champs: Vec<String> = json_refusals(&body).into_iter().map(|(c, _)| c).collect();
        champs.sort();
        assert_eq!(champs, ["cabinet", "departements", "ville"]);
        assert_eq!(json_refusals(&serde_json::json!("a\u{0}")).len(), 1);
    }

    #[test]
    fn the_page_policy_has_no_unsafe_inline_script() {
        let policy = page_policy("abc123", Some("https://tiles.example.org/{z}/{x}/{y}.png"));
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("img-src 'self' data: https://tiles.example.org;"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!page_policy("n", Some("javascript:alert(1)")).contains("javascript"));
    }

    #[test]
    fn the_nonce_is_read_from_the_page_and_checked() {
        let head = br#"<head><link rel="modulepreload" href="/pkg/emjpm.js" nonce="Ab9-_x"><script nonce="Ab9-_x">"#;
        assert_eq!(nonce_in(head).as_deref(), Some("Ab9-_x"));
        assert_eq!(nonce_in(b"<html><body>sans script</body></html>"), None);
        assert_eq!(nonce_in(br#"<script nonce="a'; script-src *">"#), None);
    }
}
