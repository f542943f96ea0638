//! `imports_invitations`: one import of a contacts file and its report (`invitations`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "imports_invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub departement_code: String,
    /// The file's name as sent.
    pub fichier: String,
    pub importees: i32,
    /// The lines reported and not imported (already an account, already
    /// invited, declined), one per line.
    #[sea_orm(column_type = "Text")]
    pub signalements: String,
    pub auteur_user_id: Option<i32>,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
