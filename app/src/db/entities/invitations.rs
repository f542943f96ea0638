//! `invitations`: a person the team invites (`invitations`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Lower case; one row per address.
    pub email: String,
    /// A role's code (never `admin`).
    pub role: String,
    pub prenom: String,
    pub nom: String,
    /// The territory the invitation was imported for.
    pub departement_code: String,
    /// A judge's or greffier's tribunal.
    pub tribunal_id: Option<i32>,
    /// The service a service's member joins.
    pub service_id: Option<i32>,
    /// An individuel's or préposé's entry of the liste blanche.
    pub liste_blanche_id: Option<i32>,
    /// A préposé's établissement.
    pub etablissement_id: Option<i32>,
    /// An individuel's SIRET (prefilled in the form).
    pub siret: Option<String>,
    pub import_id: Option<i32>,
    pub importee_at: DateTimeWithTimeZone,
    /// SHA-256 of the first mail's token, and of the reminder's.
    pub jeton_hash: Option<String>,
    pub jeton_rappel_hash: Option<String>,
    pub envoyee_at: Option<DateTimeWithTimeZone>,
    pub rappel_at: Option<DateTimeWithTimeZone>,
    pub expire_at: Option<DateTimeWithTimeZone>,
    pub ouverte_at: Option<DateTimeWithTimeZone>,
    /// The account created through the link.
    pub user_id: Option<i32>,
    pub compte_cree_at: Option<DateTimeWithTimeZone>,
    /// "Ne plus recevoir ces invitations".
    pub refusee_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
