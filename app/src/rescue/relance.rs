//! The team's nudges (administrators): a mail from the reason's template, or
//! the case marked handled with a note; the templates; how the nudges did.
//! Each nudge is audited.

use super::{Gabarit, Raison, SuiviRelances, NOTE_MAX, SUIVI_JOURS, SUJET_MAX, TEXTE_MAX};
use crate::accounts::guard::Caller;
use crate::audit::AuditEvent;
use crate::db::entities::{gabarits_relance, relances, users};
use crate::errors::AppError;
use crate::notifications::{self, messages};
use crate::rules::roles::Role;
use chrono::Utc;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, NotSet, QueryFilter, Set, Statement,
};

fn raison(code: &str) -> Result<Raison, AppError> {
    Raison::parse(code).ok_or_else(|| AppError::Invalide(format!("Raison inconnue : « {code} ».")))
}

/// The template of a reason: the team's, else the default.
async fn gabarit(db: &impl ConnectionTrait, raison: Raison) -> Result<Gabarit, AppError> {
    Ok(match gabarits_relance::Entity::find_by_id(raison.code().to_string()).one(db).await? {
        Some(g) => Gabarit { raison: g.raison, sujet: g.sujet, texte: g.texte },
        None => {
            let (sujet, texte) = raison.gabarit_par_defaut();
            Gabarit { raison: raison.code().into(), sujet: sujet.into(), texte: texte.into() }
        }
    })
}

/// Every reason's template, in the list's order.
pub async fn gabarits(db: &impl ConnectionTrait) -> Result<Vec<Gabarit>, AppError> {
    let mut out = Vec::new();
    for raison in Raison::ALL {
        out.push(gabarit(db, raison).await?);
    }
    Ok(out)
}

/// Records a nudge of `user_id` for `raison` (`courriel`: the template is
/// mailed; `traite`: handled otherwise, the note says how), unless the person
/// was already nudged for it within the follow-up: decided under the account's
/// row lock, so that two administrators clicking together nudge once.
async fn nudge(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i32,
    code: &str,
    note: Option<&str>,
    ip: Option<String>,
    base_url: &str,
) -> Result<(), AppError> {
    caller.require(&Role::ADMIN)?;
    let raison = raison(code)?;
    let note = note.map(str::trim);
    if let Some(note) = note {
        if note.is_empty() {
            return Err(AppError::Champs(vec![("note".into(), "Dites comment la personne a été aidée (appel, visite…).".into())]));
        }
        if note.chars().count() > NOTE_MAX {
            return Err(AppError::Champs(vec![("note".into(), format!("La note compte au plus {NOTE_MAX} caractères."))]));
        }
    }
    let tx = crate::db::begin(db).await?;
    // The account's row, locked until the commit (PostgreSQL; SQLite's write
    // transaction is already exclusive).
    let touched = users::Entity::update_many()
        .col_expr(users::Column::UpdatedAt, Expr::col(users::Column::UpdatedAt))
        .filter(users::Column::Id.eq(user_id))
        .exec(&tx)
        .await?;
    if touched.rows_affected != 1 {
        return Err(AppError::Introuvable);
    }
    let user = users::Entity::find_by_id(user_id).one(&tx).await?.ok_or(AppError::Introuvable)?;
    let now = Utc::now().fixed_offset();
    let recent = relances::Entity::find()
        .filter(relances::Column::UserId.eq(user_id))
        .filter(relances::Column::Raison.eq(raison.code()))
        .filter(relances::Column::CreatedAt.gt(now - chrono::Duration::days(SUIVI_JOURS)))
        .one(&tx)
        .await?;
    if recent.is_some() {
        return Err(AppError::Conflit(format!(
            "{} {} a déjà été relancé pour cette raison il y a moins de {SUIVI_JOURS} jours.",
            user.prenom, user.nom
        )));
    }
    let mode = if note.is_some() { "traite" } else { "courriel" };
    if note.is_none() {
        let g = gabarit(&tx, raison).await?;
        let texte = super::personnaliser(&g.texte, &user.prenom);
        notifications::enqueue(&tx, messages::relance(&g.sujet, &texte, &format!("{base_url}/connexion")).pour(&user.email)).await?;
    }
    relances::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        raison: Set(raison.code().into()),
        mode: Set(mode.into()),
        note: Set(note.unwrap_or("").to_string()),
        auteur_user_id: Set(Some(caller.user_id)),
        created_at: Set(now),
    }
    .insert(&tx)
    .await?;
    let summary = match note {
        None => format!("Relance par courriel de {} {} ({})", user.prenom, user.nom, raison.label()),
        Some(note) => format!("{} {} marqué comme aidé ({}) : {note}", user.prenom, user.nom, raison.label()),
    };
    AuditEvent::by(caller, "relance").target("user", user_id).summary(summary).ip(ip).record(&tx).await;
    tx.commit().await?;
    Ok(())
}

/// "Relancer": the reason's template mailed to the person.
#[tracing::instrument(skip_all, err)]
pub async fn relancer(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i32,
    raison: &str,
    ip: Option<String>,
    base_url: &str,
) -> Result<(), AppError> {
    nudge(db, caller, user_id, raison, None, ip, base_url).await
}

/// "Marquer comme traité", with how the person was helped.
#[tracing::instrument(skip_all, err)]
pub async fn traiter(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i32,
    raison: &str,
    note: &str,
    ip: Option<String>,
) -> Result<(), AppError> {
    nudge(db, caller, user_id, raison, Some(note), ip, "").await
}

/// Saves a reason's template (administrators), audited.
#[tracing::instrument(skip_all, err)]
pub async fn enregistrer_gabarit(
    db: &DatabaseConnection,
    caller: &Caller,
    code: &str,
    sujet: &str,
    texte: &str,
    ip: Option<String>,
) -> Result<(), AppError> {
    caller.require(&Role::ADMIN)?;
    let raison = raison(code)?;
    let (sujet, texte) = (sujet.trim(), texte.trim());
    let mut refus = Vec::new();
    if sujet.is_empty() || sujet.chars().count() > SUJET_MAX {
        refus.push(("sujet".to_string(), format!("L'objet du courriel compte de 1 à {SUJET_MAX} caractères.")));
    }
    if texte.is_empty() || texte.chars().count() > TEXTE_MAX {
        refus.push(("texte".to_string(), format!("Le texte du courriel compte de 1 à {TEXTE_MAX} caractères.")));
    }
    if !refus.is_empty() {
        return Err(AppError::Champs(refus));
    }
    let tx = crate::db::begin(db).await?;
    gabarits_relance::Entity::insert(gabarits_relance::ActiveModel {
        raison: Set(raison.code().into()),
        sujet: Set(sujet.into()),
        texte: Set(texte.into()),
        updated_at: Set(Utc::now().fixed_offset()),
    })
    .on_conflict(
        OnConflict::column(gabarits_relance::Column::Raison)
            .update_columns([gabarits_relance::Column::Sujet, gabarits_relance::Column::Texte, gabarits_relance::Column::UpdatedAt])
            .to_owned(),
    )
    .exec(&tx)
    .await?;
    AuditEvent::by(caller, "relance.gabarit")
        .target("raison", raison.code())
        .summary(format!("Modèle « {} » : {sujet}", raison.label()))
        .ip(ip)
        .record(&tx)
        .await;
    tx.commit().await?;
    Ok(())
}

/// How the nudges did, per reason and mode: how many, and how many were
/// followed by the expected action within `SUIVI_JOURS` days. One query.
pub async fn suivi(db: &impl ConnectionTrait) -> Result<Vec<SuiviRelances>, AppError> {
    let backend = db.get_database_backend();
    let fin = match backend {
        DbBackend::Postgres => format!("r.created_at + interval '{SUIVI_JOURS} days'"),
        // Timestamps are stored in UTC: SQLite compares them as text.
        _ => format!("datetime(r.created_at, '+{SUIVI_JOURS} days')"),
    };
    let attendue = Raison::ALL
        .iter()
        .map(|r| {
            let actions = r.actions_attendues().iter().map(|a| format!("'{a}'")).collect::<Vec<_>>().join(", ");
            format!("(r.raison = '{}' AND a.action IN ({actions}))", r.code())
        })
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!(
        "SELECT r.raison, r.mode, COUNT(*) AS nombre, \
                SUM(CASE WHEN EXISTS (SELECT 1 FROM usages a WHERE a.user_id = r.user_id AND a.at > r.created_at AND a.at <= {fin} AND ({attendue})) \
                    THEN 1 ELSE 0 END) AS reussies \
         FROM relances r GROUP BY r.raison, r.mode ORDER BY r.raison, r.mode"
    );
    db.query_all_raw(Statement::from_string(backend, sql))
        .await?
        .into_iter()
        .map(|row| {
            Ok(SuiviRelances {
                raison: row.try_get("", "raison")?,
                mode: row.try_get("", "mode")?,
                nombre: row.try_get("", "nombre")?,
                reussies: row.try_get::<Option<i64>>("", "reussies")?.unwrap_or_default(),
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

/// The (account, reason) pairs nudged within the follow-up: they leave the list.
pub async fn en_suivi(db: &impl ConnectionTrait) -> Result<Vec<(i32, String)>, AppError> {
    let depuis = Utc::now().fixed_offset() - chrono::Duration::days(SUIVI_JOURS);
    Ok(relances::Entity::find()
        .filter(relances::Column::CreatedAt.gt(depuis))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.user_id, r.raison))
        .collect())
}
