//! Users gone quiet: validated, active accounts with no useful action (their
//! role's, as the funnel counts them) for 30, 60 or 90 days — counted by
//! territory and role, the quietest listed with their last activity. The team
//! asks one of them why, by a mail whose links each open a one-question page
//! with the answer chosen ("je n'ai pas eu de nouvelle mesure…", "c'est trop
//! compliqué", "j'utilise un autre outil", "je ne suis plus en poste",
//! "autre" with a few words); the answers are counted on the team's page.
//! The mail's links do not answer by themselves (mail scanners open links):
//! one button sends the answer already chosen.

use serde::{Deserialize, Serialize};

/// The thresholds of inactivity, in days.
pub const SEUILS: [i64; 3] = [30, 60, 90];
/// A person is asked why at most once in this many days; the link lasts as long.
pub const DEMANDE_JOURS: i64 = 30;
pub const PRECISION_MAX: usize = 500;
/// The most people listed.
pub const LISTE_MAX: u64 = 100;

/// Why someone no longer uses e-MJPM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reponse {
    PasDeMesure,
    TropComplique,
    AutreOutil,
    PlusEnPoste,
    Autre,
}

impl Reponse {
    pub const ALL: [Reponse; 5] = [Reponse::PasDeMesure, Reponse::TropComplique, Reponse::AutreOutil, Reponse::PlusEnPoste, Reponse::Autre];

    pub fn code(self) -> &'static str {
        match self {
            Reponse::PasDeMesure => "pas_de_mesure",
            Reponse::TropComplique => "trop_complique",
            Reponse::AutreOutil => "autre_outil",
            Reponse::PlusEnPoste => "plus_en_poste",
            Reponse::Autre => "autre",
        }
    }

    pub fn parse(code: &str) -> Option<Reponse> {
        Reponse::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Reponse::PasDeMesure => "Je n'ai pas eu de nouvelle mesure à attribuer ou à prendre",
            Reponse::TropComplique => "C'est trop compliqué",
            Reponse::AutreOutil => "J'utilise un autre outil",
            Reponse::PlusEnPoste => "Je ne suis plus en poste",
            Reponse::Autre => "Autre raison",
        }
    }
}

/// The highest threshold `jours` of inactivity reach (None: under 30 days).
pub fn seuil(jours: i64) -> Option<i64> {
    SEUILS.iter().rev().find(|s| jours >= **s).copied()
}

/// The quiet people of one territory and role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InactifsGroupe {
    pub territoire: String,
    pub role: String,
    /// Inactive for at least 30, 60 and 90 days.
    pub nombres: [i64; 3],
}

/// One quiet person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inactif {
    pub compte_id: i32,
    pub nom: String,
    pub email: String,
    pub role: String,
    pub territoire: String,
    /// "15/09/2026" (its last useful action, else its validation).
    pub derniere_activite: String,
    pub jours: i64,
    /// "Demandé le 01/12/2026 — réponse : C'est trop compliqué".
    pub demande: Option<String>,
}

/// The "Utilisateurs inactifs" part of `/admin/a-relancer`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageInactifs {
    pub groupes: Vec<InactifsGroupe>,
    pub personnes: Vec<Inactif>,
    /// Asked why, and how many answered.
    pub demandes: i64,
    /// (answer's label, count), in the answers' order.
    pub reponses: Vec<(String, i64)>,
    /// The latest few words given with "autre".
    pub precisions: Vec<String>,
}

/// What the page of a "why" link shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum QuestionPourquoi {
    Ouverte { prenom: String, reponse: Option<String>, precision: String },
    Invalide,
}

#[cfg(feature = "ssr")]
pub use service::*;

#[cfg(feature = "ssr")]
mod service {
    use super::*;
    use crate::accounts::guard::Caller;
    use crate::audit::AuditEvent;
    use crate::db::entities::{pourquoi, users};
    use crate::db::parametre;
    use crate::errors::AppError;
    use crate::notifications::{self, messages};
    use crate::rules::heure::jour_a_paris;
    use crate::rules::roles::Role;
    use chrono::{DateTime, Duration, FixedOffset, Utc};
    use sea_orm::sea_query::Expr;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, QueryOrder, Set, Statement,
        Value,
    };
    use std::collections::HashMap;

    /// Each validated, active account with the date of its last useful
    /// action (else of its validation): `WITH … d AS (…)`.
    fn derniere_activite() -> String {
        format!(
            "WITH c AS ({}), d AS (SELECT c.id, c.prenom, c.nom, c.email, c.role, c.departement, \
             COALESCE({}, c.valide_at, c.created_at) AS derniere \
             FROM c LEFT JOIN ({}) f ON f.user_id = c.id WHERE c.active AND c.valide = 1) ",
            crate::adoption::COMPTES,
            crate::adoption::DERNIERE_ACTION_UTILE,
            crate::adoption::DERNIERES_ACTIONS
        )
    }

    /// The quiet users: every one read once, oldest activity first (one
    /// query: the last actions' grouped read is the costly part), counted by
    /// territory and role here, the quietest [`LISTE_MAX`] listed with the
    /// "why" asked and answered.
    #[tracing::instrument(skip_all, err)]
    pub async fn page(db: &DatabaseConnection, caller: &Caller) -> Result<PageInactifs, AppError> {
        caller.require(&Role::ADMIN)?;
        let backend = db.get_database_backend();
        let now = Utc::now();
        let bornes: Vec<DateTime<FixedOffset>> = SEUILS.iter().map(|j| (now - Duration::days(*j)).fixed_offset()).collect();
        let sql = format!(
            "{}SELECT d.id, d.prenom, d.nom, d.email, d.role, d.departement, dep.nom AS departement_nom, d.derniere \
             FROM d LEFT JOIN departements dep ON dep.code = d.departement WHERE d.derniere < {} ORDER BY d.derniere, d.id",
            derniere_activite(),
            parametre(backend, 1)
        );
        let territoire = |code: Option<String>, nom: Option<String>| match (code, nom) {
            (Some(code), Some(nom)) => format!("{code} — {nom}"),
            _ => "National ou régional".to_string(),
        };
        let role_label = |code: &str| Role::parse(code).map(|r| r.label().to_string()).unwrap_or_default();
        let mut rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, [Value::from(bornes[0])])).await?;
        // By territory (its code's order, the accounts of none last) and role.
        // (no département, département, role) → (territory in words, counts).
        type Cle = (bool, Option<String>, String);
        let mut par_groupe: std::collections::BTreeMap<Cle, (String, [i64; 3])> = Default::default();
        for r in &rows {
            let (code, nom): (Option<String>, Option<String>) = (r.try_get("", "departement")?, r.try_get("", "departement_nom")?);
            let role: String = r.try_get("", "role")?;
            let derniere: DateTime<FixedOffset> = r.try_get("", "derniere")?;
            let groupe = par_groupe.entry((code.is_none(), code.clone(), role.clone())).or_insert_with(|| (territoire(code, nom), [0; 3]));
            for (n, borne) in groupe.1.iter_mut().zip(&bornes) {
                *n += i64::from(derniere < *borne);
            }
        }
        let groupes = par_groupe
            .into_iter()
            .map(|((_, _, role), (territoire, nombres))| InactifsGroupe { territoire, role: role_label(&role), nombres })
            .collect();
        rows.truncate(LISTE_MAX as usize);
        let ids: Vec<i32> = rows.iter().map(|r| r.try_get::<i32>("", "id")).collect::<Result<_, _>>()?;
        let mut demandes: HashMap<i32, pourquoi::Model> = HashMap::new();
        for d in
            pourquoi::Entity::find().filter(pourquoi::Column::UserId.is_in(ids)).order_by_asc(pourquoi::Column::CreatedAt).all(db).await?
        {
            demandes.insert(d.user_id, d);
        }
        let mut personnes = Vec::new();
        for r in rows {
            let id: i32 = r.try_get("", "id")?;
            let derniere: DateTime<FixedOffset> = r.try_get("", "derniere")?;
            let demande = demandes.get(&id).map(|d| {
                let reponse = d.reponse.as_deref().and_then(Reponse::parse).map_or("pas encore de réponse".to_string(), |r| {
                    format!(
                        "réponse : {}{}",
                        r.label(),
                        if d.precision.is_empty() { String::new() } else { format!(" (« {} »)", d.precision) }
                    )
                });
                format!("Demandé le {} — {reponse}", jour_a_paris(d.created_at))
            });
            personnes.push(Inactif {
                compte_id: id,
                nom: format!("{} {}", r.try_get::<String>("", "prenom")?, r.try_get::<String>("", "nom")?),
                email: r.try_get("", "email")?,
                role: role_label(&r.try_get::<String>("", "role")?),
                territoire: territoire(r.try_get("", "departement")?, r.try_get("", "departement_nom")?),
                derniere_activite: jour_a_paris(derniere),
                jours: (now.fixed_offset() - derniere).num_days(),
                demande,
            });
        }
        let toutes = pourquoi::Entity::find().all(db).await?;
        let reponses = Reponse::ALL
            .iter()
            .map(|r| (r.label().to_string(), toutes.iter().filter(|d| d.reponse.as_deref() == Some(r.code())).count() as i64))
            .collect();
        let mut precisions: Vec<&pourquoi::Model> = toutes.iter().filter(|d| !d.precision.is_empty()).collect();
        precisions.sort_by_key(|d| std::cmp::Reverse(d.repondu_at));
        Ok(PageInactifs {
            groupes,
            personnes,
            demandes: toutes.len() as i64,
            reponses,
            precisions: precisions.into_iter().take(10).map(|d| d.precision.clone()).collect(),
        })
    }

    /// Asks `user_id` why by mail, at most once in [`DEMANDE_JOURS`] days —
    /// decided under the account's row lock (two administrators: one mail).
    #[tracing::instrument(skip_all, err)]
    pub async fn demander(
        db: &DatabaseConnection,
        caller: &Caller,
        user_id: i32,
        base_url: &str,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        caller.require(&Role::ADMIN)?;
        let tx = crate::db::begin(db).await?;
        let touched = users::Entity::update_many()
            .col_expr(users::Column::UpdatedAt, Expr::col(users::Column::UpdatedAt))
            .filter(users::Column::Id.eq(user_id))
            .filter(users::Column::Active.eq(true))
            .filter(users::Column::Role.ne(Role::Admin.as_str()))
            .exec(&tx)
            .await?;
        if touched.rows_affected != 1 {
            return Err(AppError::Introuvable);
        }
        let user = users::Entity::find_by_id(user_id).one(&tx).await?.ok_or(AppError::Introuvable)?;
        let now = Utc::now().fixed_offset();
        let recent = pourquoi::Entity::find()
            .filter(pourquoi::Column::UserId.eq(user_id))
            .filter(pourquoi::Column::CreatedAt.gt(now - Duration::days(DEMANDE_JOURS)))
            .one(&tx)
            .await?;
        if recent.is_some() {
            return Err(AppError::Conflit(format!(
                "On a déjà demandé à {} {} pourquoi il y a moins de {DEMANDE_JOURS} jours.",
                user.prenom, user.nom
            )));
        }
        let (jeton, hash) = crate::accounts::session::new_token();
        pourquoi::ActiveModel {
            id: NotSet,
            user_id: Set(user_id),
            jeton_hash: Set(hash),
            auteur_user_id: Set(Some(caller.user_id)),
            created_at: Set(now),
            reponse: Set(None),
            precision: Set(String::new()),
            repondu_at: Set(None),
        }
        .insert(&tx)
        .await?;
        let page = format!("{base_url}/pourquoi/{jeton}");
        let liens: Vec<(String, String)> =
            Reponse::ALL.iter().map(|r| (r.label().to_string(), format!("{page}?reponse={}", r.code()))).collect();
        notifications::enqueue(&tx, messages::pourquoi(&user.prenom, &liens, &page).pour(&user.email)).await?;
        AuditEvent::by(caller, "pourquoi.demande")
            .target("user", user_id)
            .summary(format!("{} {} : pourquoi n'utilise-t-il plus e-MJPM ?", user.prenom, user.nom))
            .ip(ip)
            .record(&tx)
            .await;
        tx.commit().await?;
        Ok(())
    }

    async fn par_jeton(db: &impl ConnectionTrait, jeton: &str) -> Result<Option<pourquoi::Model>, AppError> {
        let limite = Utc::now().fixed_offset() - Duration::days(DEMANDE_JOURS);
        Ok(pourquoi::Entity::find()
            .filter(pourquoi::Column::JetonHash.eq(crate::accounts::session::token_id(jeton.trim())))
            .filter(pourquoi::Column::CreatedAt.gt(limite))
            .one(db)
            .await?)
    }

    /// The page of a "why" link.
    pub async fn question(db: &DatabaseConnection, jeton: &str) -> Result<QuestionPourquoi, AppError> {
        let Some(d) = par_jeton(db, jeton).await? else { return Ok(QuestionPourquoi::Invalide) };
        let prenom = users::Entity::find_by_id(d.user_id).one(db).await?.map(|u| u.prenom).unwrap_or_default();
        Ok(QuestionPourquoi::Ouverte { prenom, reponse: d.reponse, precision: d.precision })
    }

    /// Records (or changes) the answer of a "why" link.
    pub async fn repondre(db: &DatabaseConnection, jeton: &str, reponse: &str, precision: &str) -> Result<(), AppError> {
        let reponse = Reponse::parse(reponse.trim())
            .ok_or_else(|| AppError::Champs(vec![("reponse".into(), "Choisissez une des réponses proposées.".into())]))?;
        let precision = precision.trim();
        if precision.chars().count() > PRECISION_MAX {
            return Err(AppError::Champs(vec![("precision".into(), format!("{PRECISION_MAX} caractères au plus."))]));
        }
        let d = par_jeton(db, jeton).await?.ok_or_else(|| AppError::Invalide(LIEN_INVALIDE.into()))?;
        pourquoi::Entity::update_many()
            .col_expr(pourquoi::Column::Reponse, Expr::value(reponse.code()))
            .col_expr(pourquoi::Column::Precision, Expr::value(precision))
            .col_expr(pourquoi::Column::ReponduAt, Expr::value(Utc::now().fixed_offset()))
            .filter(pourquoi::Column::Id.eq(d.id))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// Why a "why" link no longer opens its question.
pub const LIEN_INVALIDE: &str =
    "Ce lien n'est plus valable (il a plus de 30 jours). Merci quand même : vous pouvez toujours nous écrire par « Donner mon avis ».";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inactivity_reaches_its_highest_threshold() {
        assert_eq!(seuil(29), None);
        assert_eq!(seuil(30), Some(30));
        assert_eq!(seuil(59), Some(30));
        assert_eq!(seuil(60), Some(60));
        assert_eq!(seuil(400), Some(90));
        assert!(Reponse::ALL.iter().all(|r| Reponse::parse(r.code()) == Some(*r)));
        assert_eq!(Reponse::parse("rien"), None);
    }
}
