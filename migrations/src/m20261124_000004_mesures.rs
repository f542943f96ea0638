//! Measures, their états (history of nature / champ / lieu de vie), their
//! lifecycle events, and the judges' private notes on gestionnaires.

use crate::util::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000004_mesures"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("mesures")
                    .col(big_pk_auto("id"))
                    .col(integer("gestionnaire_id"))
                    .col(integer_null("antenne_id"))
                    .col(integer("tribunal_id"))
                    // 8 upper-case alphanumerics, left-padded with 0.
                    .col(string_len("numero_rg", 8))
                    .col(string_null("cabinet"))
                    // en_attente | en_cours | eteinte
                    .col(string_len("statut", 16))
                    .col(string_len("nature", 40))
                    .col(string_len_null("champ", 32))
                    .col(string_len_null("lieu_vie", 40))
                    .col(string_len_null("type_etablissement", 64))
                    // The protected person is never named.
                    .col(string_len_null("civilite", 8))
                    .col(integer_null("annee_naissance"))
                    .col(string_len_null("commune_code", 5))
                    .col(string_len_null("code_postal", 5))
                    .col(string_len("pays", 2).default("FR"))
                    .col(boolean("urgent").default(false))
                    .col(date_null("date_prevue_jugement"))
                    .col(date_null("date_nomination"))
                    .col(date_null("date_fin"))
                    .col(string_len_null("cause_sortie", 40))
                    .col(integer_null("reservee_par"))
                    .col(timestamp_with_time_zone_null("date_reservation"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("mesures", "gestionnaire_id", "gestionnaires", "id", ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("mesures", "antenne_id", "antennes", "id", ForeignKeyAction::SetNull))
                    .foreign_key(&mut fk("mesures", "tribunal_id", "tribunaux", "id", ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("mesures", "commune_code", "communes", "code", ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("mesures", "reservee_par", "users", "id", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mesure_etats")
                    .col(big_pk_auto("id"))
                    .col(big_integer("mesure_id"))
                    .col(date("date_changement"))
                    .col(string_len("nature", 40))
                    .col(string_len_null("champ", 32))
                    .col(string_len("lieu_vie", 40))
                    .col(string_len_null("type_etablissement", 64))
                    .col(string_len_null("commune_code", 5))
                    .col(string_len_null("code_postal", 5))
                    .col(string_len("pays", 2).default("FR"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("mesure_etats", "mesure_id", "mesures", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mesure_evenements")
                    .col(big_pk_auto("id"))
                    .col(big_integer("mesure_id"))
                    .col(timestamp_with_time_zone("at"))
                    // reservee | modifiee | annulee | acceptee | eteinte | reactivee | expiree
                    .col(string_len("action", 32))
                    .col(integer_null("actor_user_id"))
                    .col(text_null("details"))
                    .foreign_key(&mut fk("mesure_evenements", "mesure_id", "mesures", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notes")
                    .col(pk_auto("id"))
                    .col(integer("gestionnaire_id"))
                    // Shared by the judges and greffiers of this tribunal only.
                    .col(integer("tribunal_id"))
                    .col(integer("auteur_user_id"))
                    .col(text("contenu"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("notes", "gestionnaire_id", "gestionnaires", "id", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("notes", "tribunal_id", "tribunaux", "id", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("notes", "auteur_user_id", "users", "id", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                unique_index("mesures", &["tribunal_id", "gestionnaire_id", "numero_rg"]),
                index("mesures", &["gestionnaire_id", "statut"]),
                index("mesures", &["antenne_id", "statut"]),
                index("mesures", &["tribunal_id", "statut"]),
                index("mesures", &["statut", "date_reservation"]),
                index("mesures", &["statut", "date_fin"]),
                index("mesure_etats", &["mesure_id"]),
                index("mesure_evenements", &["mesure_id"]),
                index("notes", &["tribunal_id", "gestionnaire_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["notes", "mesure_evenements", "mesure_etats", "mesures"]).await
    }
}
