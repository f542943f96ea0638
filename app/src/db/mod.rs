//! SeaORM entities, one module per table.
//!
//! `entities::<table>` holds each table's `Model`, `ActiveModel`, `Column` and
//! `Relation`; `prelude` re-exports every `Entity` under a CamelCase name.

pub mod entities;
pub mod faults;

/// The `i`-th (from 1) bound value of a hand-written statement, as `backend`
/// writes it (`$1` on PostgreSQL, `?1` on SQLite).
#[cfg(feature = "ssr")]
pub fn parametre(backend: sea_orm::DbBackend, i: usize) -> String {
    if backend == sea_orm::DbBackend::Postgres {
        format!("${i}")
    } else {
        format!("?{i}")
    }
}

/// The values bound to a hand-written statement that is built piece by piece
/// (optional filters): each [`Parametres::lier`] keeps a value and answers its
/// placeholder.
#[cfg(feature = "ssr")]
pub struct Parametres {
    backend: sea_orm::DbBackend,
    pub values: Vec<sea_orm::Value>,
}

#[cfg(feature = "ssr")]
impl Parametres {
    pub fn new(backend: sea_orm::DbBackend) -> Self {
        Parametres { backend, values: Vec::new() }
    }

    pub fn lier(&mut self, value: impl Into<sea_orm::Value>) -> String {
        self.values.push(value.into());
        parametre(self.backend, self.values.len())
    }
}

/// `column` as a name search compares it, in SQL: lower case, accents removed
/// — what `rules::geo::sans_accents` does to the typed text (SQLite's `lower`
/// folds ASCII letters only, so every accented letter of either case is
/// replaced). Meant for the administration's lists, not for the judge's search
/// (which reads its own normalised index).
#[cfg(feature = "ssr")]
pub fn sans_accents(column: impl sea_orm::sea_query::IntoColumnRef) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, Func, SimpleExpr};
    crate::rules::geo::ACCENTS.iter().fold(SimpleExpr::from(Func::lower(Expr::col(column))), |expr, (accented, plain)| {
        Func::cust("REPLACE").arg(expr).arg(accented.to_string()).arg(*plain).into()
    })
}

/// The condition "every word of `typed` is in one of `columns`", ignoring case
/// and accents ("élodie lefevre" finds "Élodie Lefèvre"); `%` and `_` typed are
/// plain characters.
#[cfg(feature = "ssr")]
pub fn chaque_mot_dans<C>(typed: &str, columns: &[C]) -> sea_orm::Condition
where
    C: sea_orm::sea_query::IntoColumnRef + Copy,
{
    use sea_orm::sea_query::ExprTrait;
    let mut every_word = sea_orm::Condition::all();
    for word in crate::rules::geo::sans_accents(typed).split_whitespace() {
        let pattern = format!("%{}%", word.replace(['%', '_'], ""));
        let any_column =
            columns.iter().fold(sea_orm::Condition::any(), |any, column| any.add(sans_accents(*column).like(pattern.as_str())));
        every_word = every_word.add(any_column);
    }
    every_word
}

/// Every `Entity` under its table's CamelCase name.
pub mod prelude {
    pub use super::entities::antennes::Entity as Antennes;
    pub use super::entities::audit_events::Entity as AuditEvents;
    pub use super::entities::communes::Entity as Communes;
    pub use super::entities::communes_codes_postaux::Entity as CommunesCodesPostaux;
    pub use super::entities::departements::Entity as Departements;
    pub use super::entities::directions::Entity as Directions;
    pub use super::entities::etablissements::Entity as Etablissements;
    pub use super::entities::gestionnaire_membres::Entity as GestionnaireMembres;
    pub use super::entities::gestionnaire_tribunaux::Entity as GestionnaireTribunaux;
    pub use super::entities::gestionnaires::Entity as Gestionnaires;
    pub use super::entities::greffiers::Entity as Greffiers;
    pub use super::entities::liste_blanche::Entity as ListeBlanche;
    pub use super::entities::liste_blanche_departements::Entity as ListeBlancheDepartements;
    pub use super::entities::liste_blanche_etablissements::Entity as ListeBlancheEtablissements;
    pub use super::entities::magistrats::Entity as Magistrats;
    pub use super::entities::mesure_etats::Entity as MesureEtats;
    pub use super::entities::mesure_evenements::Entity as MesureEvenements;
    pub use super::entities::mesures::Entity as Mesures;
    pub use super::entities::notes::Entity as Notes;
    pub use super::entities::regions::Entity as Regions;
    pub use super::entities::sessions::Entity as Sessions;
    pub use super::entities::tribunaux::Entity as Tribunaux;
    pub use super::entities::users::Entity as Users;
}

/// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write
/// lock is taken at once (waiting up to the busy timeout), so a transaction that
/// reads before it writes can never fail with SQLITE_BUSY_SNAPSHOT (code 517)
/// because another writer committed in between — what a deferred `BEGIN` did
/// under load. PostgreSQL ignores the mode. Every transaction of the product
/// writes, so every one starts here.
///
/// After a SQLite storage fault no write transaction starts (503) until the
/// pool has been replaced (`faults`; `server::recovery` does it).
pub async fn begin(db: &sea_orm::DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    if faults::writes_refused() {
        return Err(sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::ConnectionClosed));
    }
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() })
        .await
}

/// Runs a whole transaction again (five attempts in all) when the database gave
/// up on it because of a concurrent one (`AppError::Concurrence`): PostgreSQL
/// breaks a deadlock by aborting one side, and the retried side then passes.
/// Nothing of a failed attempt remains, so running it again is safe.
pub async fn retry_on_conflict<T, Fut>(mut attempt: impl FnMut() -> Fut) -> Result<T, crate::errors::AppError>
where
    Fut: std::future::Future<Output = Result<T, crate::errors::AppError>>,
{
    use rand::Rng;
    let mut tries = 1u64;
    loop {
        match attempt().await {
            Err(crate::errors::AppError::Concurrence) if tries < 5 => {
                // A random pause, growing: the two sides do not meet again at once.
                let pause = rand::thread_rng().gen_range(10..50) * tries;
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                tries += 1;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    //! Database-free checks of the entity metadata. Round trips against the
    //! migrated schema live in the server crate (which depends on `migrations`).

    use super::entities::*;
    use super::prelude::*;
    use sea_orm::{ColumnTrait, DbBackend, EntityName, EntityTrait, QueryFilter, QueryTrait};

    #[test]
    fn table_names_match_the_migrations() {
        let names = [
            Regions.table_name(),
            Departements.table_name(),
            Communes.table_name(),
            CommunesCodesPostaux.table_name(),
            Tribunaux.table_name(),
            Users.table_name(),
            Sessions.table_name(),
            Magistrats.table_name(),
            Greffiers.table_name(),
            Directions.table_name(),
            AuditEvents.table_name(),
            Etablissements.table_name(),
            ListeBlanche.table_name(),
            ListeBlancheDepartements.table_name(),
            ListeBlancheEtablissements.table_name(),
            Gestionnaires.table_name(),
            Antennes.table_name(),
            GestionnaireMembres.table_name(),
            GestionnaireTribunaux.table_name(),
            Mesures.table_name(),
            MesureEtats.table_name(),
            MesureEvenements.table_name(),
            Notes.table_name(),
        ];
        assert_eq!(
            names,
            [
                "regions",
                "departements",
                "communes",
                "communes_codes_postaux",
                "tribunaux",
                "users",
                "sessions",
                "magistrats",
                "greffiers",
                "directions",
                "audit_events",
                "etablissements",
                "liste_blanche",
                "liste_blanche_departements",
                "liste_blanche_etablissements",
                "gestionnaires",
                "antennes",
                "gestionnaire_membres",
                "gestionnaire_tribunaux",
                "mesures",
                "mesure_etats",
                "mesure_evenements",
                "notes",
            ]
        );
    }

    #[test]
    fn kind_fields_map_to_the_type_column() {
        let sql = Gestionnaires::find().filter(gestionnaires::Column::Kind.eq("service")).build(DbBackend::Sqlite).to_string();
        assert!(sql.contains(r#""gestionnaires"."type" = 'service'"#), "{sql}");
        for sql in [
            Tribunaux::find().build(DbBackend::Sqlite).to_string(),
            Directions::find().build(DbBackend::Sqlite).to_string(),
            ListeBlanche::find().build(DbBackend::Sqlite).to_string(),
        ] {
            assert!(sql.contains(r#"."type""#), "{sql}");
            assert!(!sql.contains("kind"), "{sql}");
        }
    }

    #[test]
    fn gestionnaires_and_tribunaux_join_through_gestionnaire_tribunaux() {
        let sql = Tribunaux::find().inner_join(Gestionnaires).filter(gestionnaires::Column::Id.eq(7)).build(DbBackend::Sqlite).to_string();
        assert!(sql.contains(r#"INNER JOIN "gestionnaire_tribunaux""#), "{sql}");
        assert!(sql.contains(r#"INNER JOIN "gestionnaires""#), "{sql}");
    }

    #[test]
    fn composite_and_string_primary_keys() {
        use sea_orm::{IdenStatic, Iterable, PrimaryKeyToColumn, PrimaryKeyTrait};
        let pk: Vec<String> = communes_codes_postaux::PrimaryKey::iter().map(|k| k.into_column().as_str().to_owned()).collect();
        assert_eq!(pk, ["code_postal", "commune_code"]);
        assert!(!<sessions::PrimaryKey as PrimaryKeyTrait>::auto_increment());
        assert!(!<magistrats::PrimaryKey as PrimaryKeyTrait>::auto_increment());
        assert!(<mesures::PrimaryKey as PrimaryKeyTrait>::auto_increment());
    }
}
