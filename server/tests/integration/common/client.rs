//! The one test client: a form posted as a browser without JavaScript would
//! (with or without a session), its answer read as the user meets it (status
//! and where it sends them), and the link a mail carries.

use axum::body::Body;
use axum::http::{header, Request};
use sea_orm::DatabaseConnection;

/// A form post (`application/x-www-form-urlencoded`), signed in when `cookie` is given.
pub fn form_post(cookie: Option<&str>, uri: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(serde_urlencoded::to_string(fields).expect("formulaire"))).expect("requête")
}

/// Posts a form; its status and where it sends the user (`Location`, with a
/// refused form's draft read back, see `common::where_sent`).
pub async fn submit(app: &axum::Router, cookie: Option<&str>, uri: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let (status, headers, _) = super::send(app, form_post(cookie, uri, fields)).await;
    (status, super::where_sent(&headers))
}

/// The newest mail queued for `email`.
pub async fn last_mail(db: &DatabaseConnection, email: &str) -> app::db::entities::courriels::Model {
    use app::db::entities::courriels;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    courriels::Entity::find()
        .filter(courriels::Column::Destinataire.eq(email))
        .order_by_desc(courriels::Column::Id)
        .one(db)
        .await
        .expect("lecture")
        .unwrap_or_else(|| panic!("aucun courriel pour {email}"))
}

/// The token of the link (`jeton=…`) in the newest mail to `email`.
pub async fn token_in_mail(db: &DatabaseConnection, email: &str) -> String {
    let texte = last_mail(db, email).await.texte;
    let start = texte.find("jeton=").expect("lien dans le courriel") + "jeton=".len();
    texte[start..].chars().take_while(char::is_ascii_hexdigit).collect()
}
