//! A reservation may reopen a closed measure (same tribunal, professional and
//! numéro RG). The closed measure is kept, whole, in the reopened row
//! (`mesures.avant_reouverture`, the row as JSON) until the professional accepts:
//! a cancellation or an expiry puts it back exactly as it was — statut, dates,
//! cause, lieu de vie, nature, person, who reserved it — and its états and
//! events are never touched. A reservation that reopened nothing ends as a
//! measure `eteinte` without date de nomination (kept: no user action deletes a
//! measure's history). The state machine: `docs/mesures-cycle-de-vie.md`.

use crate::db::entities::mesures;
use crate::errors::AppError;
use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set};

/// The details of the `reservee` event of a reservation that reopened a
/// closed measure (the statistics count them by it).
pub const RESERVATION_ROUVRANTE: &str = "Mesure éteinte rouverte par une nouvelle réservation";

/// The closed measure as it must come back, stored in the reopened row.
pub fn snapshot(closed: &mesures::Model) -> Result<String, AppError> {
    let closed = mesures::Model { avant_reouverture: None, ..closed.clone() };
    serde_json::to_string(&closed).map_err(|e| AppError::interne(format!("mesure {} : instantané illisible : {e}", closed.id)))
}

/// Ends a pending reservation that the conditional UPDATE already moved to
/// `eteinte` (cancelled by the tribunal, or expired): the closed measure it
/// reopened comes back exactly, or else the reservation is kept as ended on
/// `today`, without cause. Returns the row as it now is and whether a closed
/// measure was put back.
pub async fn end_pending(
    tx: &impl ConnectionTrait,
    ended: mesures::Model,
    today: chrono::NaiveDate,
) -> Result<(mesures::Model, bool), AppError> {
    if let Some(json) = &ended.avant_reouverture {
        let before: mesures::Model = serde_json::from_str(json)
            .map_err(|e| AppError::interne(format!("mesure {} : instantané de réouverture illisible : {e}", ended.id)))?;
        if (before.id, before.gestionnaire_id, before.tribunal_id) != (ended.id, ended.gestionnaire_id, ended.tribunal_id) {
            return Err(AppError::interne(format!("mesure {} : l'instantané de réouverture est celui d'une autre mesure", ended.id)));
        }
        // Every column written back, the snapshot column cleared.
        let row = mesures::Model { avant_reouverture: None, ..before }.into_active_model().reset_all();
        return Ok((row.update(tx).await?, true));
    }
    let mut row = ended.into_active_model();
    row.date_fin = Set(Some(today));
    row.cause_sortie = Set(None);
    Ok((row.update(tx).await?, false))
}
