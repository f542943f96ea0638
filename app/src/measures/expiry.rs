//! Pending reservations expire after two months (with notice to both sides).
//!
//! Run by the hourly `expiration-reservations` job. Each measure expires in its
//! own transaction, through a conditional UPDATE (`statut = 'en_attente'` and
//! still reserved before the threshold): a measure that someone accepted,
//! cancelled or reserved again in the meantime is left alone, and two server
//! instances can never expire the same measure twice.

use crate::audit::AuditEvent;
use crate::db::entities::{gestionnaires, mesure_evenements, mesures, tribunaux};
use crate::measures::{counters, reopening};
use crate::notifications::{self, messages};
use chrono::{DateTime, Months, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bilan {
    /// Measures expired by this run.
    pub expirees: usize,
    /// Candidates someone else moved first (accepted, cancelled, expired elsewhere).
    pub ignorees: usize,
}

/// Reservations pending since before this time expire.
pub fn seuil(now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(2)).unwrap_or(now)
}

/// Expires every reservation pending for more than two months at `now`, and
/// queues the notice to the professional's members and to the reserving user.
/// `base_url` (e.g. `https://emjpm.example.fr`, no trailing slash) builds the links.
pub async fn expire_pending(db: &DatabaseConnection, now: DateTime<Utc>, base_url: &str) -> Result<Bilan, DbErr> {
    let seuil = seuil(now).fixed_offset();
    let ids: Vec<i64> = mesures::Entity::find()
        .select_only()
        .column(mesures::Column::Id)
        .filter(mesures::Column::Statut.eq("en_attente"))
        .filter(mesures::Column::DateReservation.lt(seuil))
        .order_by_asc(mesures::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut bilan = Bilan::default();
    for id in ids {
        if expire_one(db, id, now, seuil, base_url).await? {
            bilan.expirees += 1;
        } else {
            bilan.ignorees += 1;
        }
    }
    Ok(bilan)
}

/// Expires one measure in one transaction; false when it was no longer a
/// reservation pending since before `seuil`.
async fn expire_one(
    db: &DatabaseConnection,
    id: i64,
    now: DateTime<Utc>,
    seuil: chrono::DateTime<chrono::FixedOffset>,
    base_url: &str,
) -> Result<bool, DbErr> {
    let at = now.fixed_offset();
    let tx = crate::db::begin(db).await?;
    // First write of the transaction: takes SQLite's write lock, the row's on PostgreSQL.
    let moved = mesures::Entity::update_many()
        .col_expr(mesures::Column::Statut, Expr::value("eteinte"))
        .col_expr(mesures::Column::DateFin, Expr::value(now.date_naive()))
        .col_expr(mesures::Column::CauseSortie, Expr::value(Option::<String>::None))
        .col_expr(mesures::Column::UpdatedAt, Expr::value(at))
        .filter(mesures::Column::Id.eq(id))
        .filter(mesures::Column::Statut.eq("en_attente"))
        .filter(mesures::Column::DateReservation.lt(seuil))
        .exec(&tx)
        .await?;
    if moved.rows_affected != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    let Some(mesure) = mesures::Entity::find_by_id(id).one(&tx).await? else {
        tx.rollback().await?;
        return Ok(false);
    };
    counters::adjust(&tx, mesure.gestionnaire_id, mesure.antenne_id, 0, -1, counters::Auteur::Tiers).await?;
    let depuis = mesure.date_reservation.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_else(|| "une date inconnue".to_string());
    // A reservation that reopened a closed measure puts it back exactly as it was.
    let avant = crate::statistiques::agregats::au_statut(&mesure, "en_attente");
    let (mesure, restored) = reopening::end_pending(&tx, mesure, now.date_naive()).await.map_err(|e| DbErr::Custom(e.to_string()))?;
    crate::statistiques::agregats::suivre(&tx, Some(&avant), Some(&mesure)).await?;
    mesure_evenements::ActiveModel {
        mesure_id: Set(mesure.id),
        at: Set(at),
        action: Set("expiree".to_string()),
        actor_user_id: Set(None),
        details: Set(Some(format!(
            "Réservation en attente depuis le {depuis} : expirée après deux mois{}",
            if restored { " ; la mesure éteinte qu'elle avait rouverte est rétablie telle qu'elle était" } else { "" }
        ))),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    crate::statistiques::agregats::evenement(&tx, &mesure, "expiree", at, None).await?;
    AuditEvent::system("mesure.expiree")
        .target("mesure", mesure.id)
        .summary(format!("RG {} : réservation en attente depuis le {depuis}, expirée", crate::rules::rg::display_rg(&mesure.numero_rg)))
        .record(&tx)
        .await;

    let tribunal = tribunaux::Entity::find_by_id(mesure.tribunal_id).one(&tx).await?.map(|t| t.nom).unwrap_or_default();
    let gestionnaire = gestionnaires::Entity::find_by_id(mesure.gestionnaire_id)
        .one(&tx)
        .await?
        .map(|g| crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref()))
        .unwrap_or_default();
    let base = base_url.trim_end_matches('/');
    let pour_mandataire = messages::expiration(&mesure.numero_rg, &tribunal, &gestionnaire, &format!("{base}/mandataire"));
    let membres = notifications::to_members(&tx, mesure.gestionnaire_id, &pour_mandataire).await?;
    if let Some(user_id) = mesure.reservee_par {
        let pour_tribunal = messages::expiration(&mesure.numero_rg, &tribunal, &gestionnaire, &format!("{base}/tribunal"));
        notifications::to_user(&tx, user_id, &pour_tribunal, &membres).await?;
    }
    tx.commit().await?;
    Ok(true)
}
