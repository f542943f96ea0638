//! What one measure's page needs beyond its detail (server only): the
//! professional's antennes for a service's acceptance, and how far the person
//! lives from the office that follows the measure.

use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::measures::listing::detail;
use crate::measures::pages::PageMesure;
use sea_orm::DatabaseConnection;

/// One measure's page for the caller: the detail, and what the forms need.
pub async fn page_mesure(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<PageMesure, AppError> {
    use crate::db::entities::antennes;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let detail = detail(db, caller, id).await?;
    let professionnel = caller.role.is_mandataire();
    let antennes = if professionnel {
        antennes::Entity::find()
            .select_only()
            .columns([antennes::Column::Id, antennes::Column::Nom])
            .filter(antennes::Column::GestionnaireId.eq(detail.ligne.mesure.gestionnaire_id))
            .order_by_asc(antennes::Column::Nom)
            .into_tuple()
            .all(db)
            .await?
    } else {
        Vec::new()
    };
    let distance_km = if professionnel { distance_from_office(db, &detail.ligne.mesure).await? } else { None };
    Ok(PageMesure {
        detail,
        antennes,
        professionnel,
        distance_km,
        tribunal: caller.role.is_tribunal(),
        aujourdhui: chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string(),
    })
}

/// How far the person's commune is from the office that follows the measure:
/// its antenne's point, else its professional's.
async fn distance_from_office(db: &sea_orm::DatabaseConnection, m: &crate::measures::Mesure) -> Result<Option<f64>, AppError> {
    use crate::db::entities::{antennes, communes, gestionnaires};
    use sea_orm::EntityTrait;
    let Some(code) = &m.commune else { return Ok(None) };
    let Some(commune) = communes::Entity::find_by_id(code.clone()).one(db).await? else { return Ok(None) };
    let antenne = match m.antenne_id {
        Some(id) => antennes::Entity::find_by_id(id).one(db).await?.map(|a| (a.latitude, a.longitude)),
        None => None,
    };
    let office = match antenne {
        Some(point) => Some(point),
        None => gestionnaires::Entity::find_by_id(m.gestionnaire_id).one(db).await?.map(|g| (g.latitude, g.longitude)),
    };
    Ok(office.map(|(lat, lon)| crate::rules::geo::distance_km(lat, lon, commune.latitude, commune.longitude)))
}
