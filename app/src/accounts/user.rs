//! What the pages know of the signed-in user (shared by server and browser).

use crate::rules::roles::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i32,
    pub prenom: String,
    pub nom: String,
    pub email: String,
    pub role: Role,
    /// The administrator acting as this user, if any (the banner shows it).
    pub incarne_par: Option<String>,
    /// When that session ends ("09:45", Paris).
    pub incarnation_fin: Option<String>,
}

/// The signed-in user, or None for a visitor. Cheap: one session lookup.
#[leptos::server(prefix = "/api/fn", endpoint = "utilisateur_courant")]
pub async fn load_current_user() -> Result<Option<CurrentUser>, crate::errors::AppError> {
    use crate::errors::AppError;
    match crate::accounts::guard::current_caller().await {
        Ok(caller) => Ok(Some(caller.current_user())),
        Err(AppError::NonConnecte) => Ok(None),
        Err(other) => Err(other),
    }
}
