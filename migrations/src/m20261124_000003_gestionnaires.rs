//! The professionals (gestionnaires: individuels, préposés, services), their
//! antennes, the établissements, and the State's approval list (liste blanche).

use crate::util::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000003_gestionnaires"
    }
}

/// Address columns shared by every located thing: the point is the geocoded
/// address when known, else the commune's point.
fn located(mut table: TableCreateStatement, name: &'static str) -> TableCreateStatement {
    table
        .col(string("adresse"))
        .col(string_len("code_postal", 5))
        .col(string_len("commune_code", 5))
        .col(string_len("departement_code", 3))
        .col(double("latitude"))
        .col(double("longitude"))
        .foreign_key(&mut fk(name, "commune_code", "communes", "code", ForeignKeyAction::Restrict))
        .foreign_key(&mut fk(name, "departement_code", "departements", "code", ForeignKeyAction::Restrict))
        .take()
}

/// Capacity columns of a gestionnaire or an antenne. `en_cours`, `en_attente` and
/// `derniere_mise_a_jour` are maintained in the same transaction as every write
/// that changes them.
fn capacity(mut table: TableCreateStatement) -> TableCreateStatement {
    table
        .col(integer("mesures_max").default(0))
        .col(integer("en_cours").default(0))
        .col(integer("en_attente").default(0))
        .col(timestamp_with_time_zone("derniere_mise_a_jour"))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut etablissements = Table::create()
            .table("etablissements")
            .col(pk_auto("id"))
            .col(string("nom"))
            .col(string_len_null("finess", 9))
            .col(string_len("type_etablissement", 64))
            .take();
        etablissements = located(etablissements, "etablissements");
        manager.create_table(etablissements).await?;

        manager
            .create_table(
                Table::create()
                    .table("liste_blanche")
                    .col(pk_auto("id"))
                    // individuel | prepose | service
                    .col(string_len("type", 16))
                    .col(string("nom"))
                    .col(string_null("prenom"))
                    .col(string_len_null("siret", 14))
                    .col(string_null("email"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("liste_blanche_departements")
                    .col(integer("liste_blanche_id"))
                    .col(string_len("departement_code", 3))
                    // The département that finances an individuel (one per entry).
                    .col(boolean("financeur").default(false))
                    .primary_key(Index::create().col("liste_blanche_id").col("departement_code"))
                    .foreign_key(&mut fk(
                        "liste_blanche_departements",
                        "liste_blanche_id",
                        "liste_blanche",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "liste_blanche_departements",
                        "departement_code",
                        "departements",
                        "code",
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("liste_blanche_etablissements")
                    .col(integer("liste_blanche_id"))
                    .col(integer("etablissement_id"))
                    .primary_key(Index::create().col("liste_blanche_id").col("etablissement_id"))
                    .foreign_key(&mut fk(
                        "liste_blanche_etablissements",
                        "liste_blanche_id",
                        "liste_blanche",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "liste_blanche_etablissements",
                        "etablissement_id",
                        "etablissements",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;

        let mut gestionnaires = Table::create()
            .table("gestionnaires")
            .col(pk_auto("id"))
            // individuel | prepose | service
            .col(string_len("type", 16))
            // Family name of an individuel / préposé, name of a service.
            .col(string("nom"))
            .col(string_null("prenom"))
            .col(string_len_null("siret", 14))
            .col(string("email"))
            .col(string("telephone"))
            .col(boolean("suspendu").default(false))
            .col(text_null("motif_suspension"))
            // Comma-separated natures accepted; empty means all.
            .col(text("natures_acceptees").default(""))
            // Comma-separated languages and competences (e.g. "langue des signes").
            .col(text("competences").default(""))
            .col(integer_null("liste_blanche_id"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk("gestionnaires", "liste_blanche_id", "liste_blanche", "id", ForeignKeyAction::SetNull))
            .take();
        gestionnaires = capacity(located(gestionnaires, "gestionnaires"));
        manager.create_table(gestionnaires).await?;

        let mut antennes = Table::create()
            .table("antennes")
            .col(pk_auto("id"))
            .col(integer("gestionnaire_id"))
            .col(string("nom"))
            .col(string_null("contact"))
            .col(string_null("email"))
            .col(string_null("telephone"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk("antennes", "gestionnaire_id", "gestionnaires", "id", ForeignKeyAction::Cascade))
            .take();
        antennes = capacity(located(antennes, "antennes"));
        manager.create_table(antennes).await?;

        manager
            .create_table(
                Table::create()
                    .table("gestionnaire_membres")
                    // A user works for at most one gestionnaire.
                    .col(integer("user_id").primary_key())
                    .col(integer("gestionnaire_id"))
                    // For a service: may manage the other members.
                    .col(boolean("admin").default(false))
                    .foreign_key(&mut fk("gestionnaire_membres", "user_id", "users", "id", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("gestionnaire_membres", "gestionnaire_id", "gestionnaires", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("gestionnaire_tribunaux")
                    .col(integer("gestionnaire_id"))
                    .col(integer("tribunal_id"))
                    .primary_key(Index::create().col("gestionnaire_id").col("tribunal_id"))
                    .foreign_key(&mut fk("gestionnaire_tribunaux", "gestionnaire_id", "gestionnaires", "id", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("gestionnaire_tribunaux", "tribunal_id", "tribunaux", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("etablissements", &["departement_code"]),
                index("liste_blanche", &["siret"]),
                index("liste_blanche", &["email"]),
                index("liste_blanche_departements", &["departement_code"]),
                index("liste_blanche_etablissements", &["etablissement_id"]),
                index("gestionnaires", &["departement_code"]),
                index("gestionnaires", &["type"]),
                index("gestionnaires", &["liste_blanche_id"]),
                index("gestionnaires", &["siret"]),
                index("antennes", &["gestionnaire_id"]),
                index("antennes", &["departement_code"]),
                index("gestionnaire_membres", &["gestionnaire_id"]),
                index("gestionnaire_tribunaux", &["tribunal_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "gestionnaire_tribunaux",
                "gestionnaire_membres",
                "antennes",
                "gestionnaires",
                "liste_blanche_etablissements",
                "liste_blanche_departements",
                "liste_blanche",
                "etablissements",
            ],
        )
        .await
    }
}
