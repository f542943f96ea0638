//! `users`: every account (professionals, magistrats, greffiers, directions, admins).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A user account. `password_hash` is an Argon2id PHC string: never send a
/// `Model` to the browser as is.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Always stored lower-case and trimmed.
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    /// individuel | prepose | service | magistrat | greffier | direction | admin
    pub role: String,
    pub prenom: String,
    pub nom: String,
    pub telephone: Option<String>,
    pub active: bool,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    pub last_login_at: Option<DateTimeWithTimeZone>,
    /// When the account was warned of its deactivation for inactivity (cleared
    /// by its next sign-in).
    pub averti_inactivite_at: Option<DateTimeWithTimeZone>,
    /// A judge or greffier asked to be told when a measure it reserved is accepted.
    pub notifier_acceptation: bool,
    /// Second factor: the TOTP secret in base32 (set from the start of an
    /// enrolment), whether it is confirmed and asked at every sign-in, and the
    /// last 30-second step accepted (a code never serves twice).
    #[serde(skip)]
    pub totp_secret: Option<String>,
    pub totp_actif: bool,
    pub totp_dernier_pas: Option<i64>,
    /// When the account was validated (its sign-up accepted, or created active).
    pub valide_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::sessions::Entity")]
    Sessions,
    #[sea_orm(has_one = "super::magistrats::Entity")]
    Magistrats,
    #[sea_orm(has_one = "super::greffiers::Entity")]
    Greffiers,
    #[sea_orm(has_one = "super::directions::Entity")]
    Directions,
    #[sea_orm(has_one = "super::gestionnaire_membres::Entity")]
    GestionnaireMembres,
}

impl Related<super::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl Related<super::magistrats::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Magistrats.def()
    }
}

impl Related<super::greffiers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Greffiers.def()
    }
}

impl Related<super::directions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Directions.def()
    }
}

impl Related<super::gestionnaire_membres::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::GestionnaireMembres.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
