//! Sessions live in the database (table `sessions`): any server process can serve
//! any user. The cookie holds a random token; the table holds its SHA-256 only.

use crate::db::entities::sessions;
use crate::errors::AppError;
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "emjpm_session";
/// A session lasts a working day; signing in again is cheap.
pub const SESSION_HOURS: i64 = 12;
/// `last_seen_at` is refreshed at most this often, to avoid a write per request.
const LAST_SEEN_REFRESH_MINUTES: i64 = 5;

/// The database key of a token.
pub fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random token (256 bits, hex) and its database key: the one way a
/// link's or a session's token is made (only the key is stored).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let id = token_id(&token);
    (token, id)
}

/// Opens a session for a user and returns the token to put in the cookie.
pub async fn open(db: &DatabaseConnection, user_id: i32, ip: Option<String>, user_agent: Option<String>) -> Result<String, AppError> {
    insert(db, user_id, Duration::hours(SESSION_HOURS), None, ip, user_agent).await
}

/// Opens a session as `user_id` for the administrator `admin_id`, for `duree`.
pub async fn open_as(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    admin_id: i32,
    motif: &str,
    duree: Duration,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<String, AppError> {
    insert(db, user_id, duree, Some((admin_id, motif.to_string())), ip, user_agent).await
}

async fn insert(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    duree: Duration,
    incarnation: Option<(i32, String)>,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<String, AppError> {
    let (token, id) = new_token();
    let now = Utc::now().fixed_offset();
    sessions::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + duree),
        last_seen_at: Set(now),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(255).collect())),
        incarne_par: Set(incarnation.as_ref().map(|(admin, _)| *admin)),
        motif_incarnation: Set(incarnation.map(|(_, motif)| motif)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Refreshes a live session's `last_seen_at` when it is older than a few minutes.
pub async fn touch_if_stale(
    db: &DatabaseConnection,
    token: &str,
    last_seen_at: chrono::DateTime<chrono::FixedOffset>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<(), AppError> {
    if now - last_seen_at > Duration::minutes(LAST_SEEN_REFRESH_MINUTES) {
        sessions::Entity::update_many()
            .col_expr(sessions::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
            .filter(sessions::Column::Id.eq(token_id(token)))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Ends the session of a token (signing out). Unknown tokens are ignored.
pub async fn close(db: &DatabaseConnection, token: &str) -> Result<(), AppError> {
    sessions::Entity::delete_by_id(token_id(token)).exec(db).await?;
    Ok(())
}

/// The session token carried by a request's `Cookie` header.
pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    cookie_from_headers(headers, COOKIE_NAME)
}

/// The value of the cookie `name` in a request's `Cookie` header (never empty).
pub fn cookie_from_headers(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, value)| *found == name && !value.is_empty())
        .map(|(_, value)| value.to_string())
}

/// `Set-Cookie` value opening a session: not readable by scripts, not sent by
/// cross-site sub-requests, https-only when the service is served over https.
pub fn cookie(token: &str, secure: bool) -> String {
    set_cookie(COOKIE_NAME, token, SESSION_HOURS * 3600, secure)
}

/// `Set-Cookie` value removing the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    set_cookie(COOKIE_NAME, "", 0, secure)
}

/// `Set-Cookie` value of one of e-MJPM's cookies (all with the same flags);
/// `max_age` 0 removes it.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}", if secure { "; Secure" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_among_other_cookies() {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, "a=1; emjpm_session=abc; b=2".parse().expect("header"));
        assert_eq!(token_from_headers(&headers).as_deref(), Some("abc"));
        headers.insert(http::header::COOKIE, "emjpm_session=".parse().expect("header"));
        assert_eq!(token_from_headers(&headers), None);
    }

    #[test]
    fn cookie_flags() {
        let c = cookie("t", true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"));
        assert!(!cookie("t", false).contains("Secure"));
        assert_eq!(token_id("t").len(), 64);
    }
}
