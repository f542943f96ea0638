//! `mesure_evenements`: a measure's lifecycle events (reservee, acceptee, eteinte...).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One lifecycle event of a measure. `actor_user_id` is not a foreign key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "mesure_evenements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub mesure_id: i64,
    pub at: DateTimeWithTimeZone,
    /// reservee | modifiee | annulee | acceptee | eteinte | reactivee | expiree
    pub action: String,
    pub actor_user_id: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub details: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::mesures::Entity", from = "Column::MesureId", to = "super::mesures::Column::Id", on_delete = "Cascade")]
    Mesures,
}

impl Related<super::mesures::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mesures.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
