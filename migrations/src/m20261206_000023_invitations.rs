//! The team's invitations (`invitations`): one row per address invited, with
//! what the import said (role, names, territory, the tribunal or the
//! professional it belongs to) and its life — sent, reminded, opened, account
//! created, or declined ("ne plus recevoir ces invitations"). The link's token
//! is kept hashed only; the reminder carries a second token so that both
//! mails' links work. One row per address (unique): an address opted out stays
//! opted out, and a new import of an expired invitation renews the same row.
//! `imports_invitations`: each import of a contacts file, with its report.

use crate::util::{create_indexes, drop_tables, fk, index, unique_index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000023_invitations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("imports_invitations")
                    .col(pk_auto("id"))
                    .col(string("departement_code"))
                    .col(string("fichier"))
                    .col(integer("importees"))
                    // The addresses reported and not imported, one per line.
                    .col(text("signalements").default(""))
                    .col(integer_null("auteur_user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("imports_invitations", "auteur_user_id", "users", "id", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invitations")
                    .col(pk_auto("id"))
                    .col(string("email"))
                    .col(string("role"))
                    .col(string("prenom"))
                    .col(string("nom"))
                    .col(string("departement_code"))
                    .col(integer_null("tribunal_id"))
                    .col(integer_null("service_id"))
                    .col(integer_null("liste_blanche_id"))
                    .col(integer_null("etablissement_id"))
                    .col(string_null("siret"))
                    .col(integer_null("import_id"))
                    .col(timestamp_with_time_zone("importee_at"))
                    .col(string_null("jeton_hash"))
                    .col(string_null("jeton_rappel_hash"))
                    .col(timestamp_with_time_zone_null("envoyee_at"))
                    .col(timestamp_with_time_zone_null("rappel_at"))
                    .col(timestamp_with_time_zone_null("expire_at"))
                    .col(timestamp_with_time_zone_null("ouverte_at"))
                    .col(integer_null("user_id"))
                    .col(timestamp_with_time_zone_null("compte_cree_at"))
                    .col(timestamp_with_time_zone_null("refusee_at"))
                    .foreign_key(&mut fk("invitations", "tribunal_id", "tribunaux", "id", ForeignKeyAction::SetNull))
                    .foreign_key(&mut fk("invitations", "service_id", "gestionnaires", "id", ForeignKeyAction::SetNull))
                    .foreign_key(&mut fk("invitations", "liste_blanche_id", "liste_blanche", "id", ForeignKeyAction::SetNull))
                    .foreign_key(&mut fk("invitations", "etablissement_id", "etablissements", "id", ForeignKeyAction::SetNull))
                    .foreign_key(&mut fk("invitations", "import_id", "imports_invitations", "id", ForeignKeyAction::SetNull))
                    .foreign_key(&mut fk("invitations", "user_id", "users", "id", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                unique_index("invitations", &["email"]),
                unique_index("invitations", &["jeton_hash"]),
                unique_index("invitations", &["jeton_rappel_hash"]),
                index("invitations", &["departement_code"]),
                index("invitations", &["user_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["invitations", "imports_invitations"]).await
    }
}
