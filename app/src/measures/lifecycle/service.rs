//! The measure's transitions (server only): each checks who may act, changes
//! the status in one conditional statement inside a transaction, moves the
//! counters, writes the état and the event, and queues the mails — see
//! `docs/mesures-cycle-de-vie.md` for the state machine.

use super::*;
use crate::accounts::guard::{Caller, Scope};
use crate::audit::AuditEvent;
use crate::db::entities::{antennes, communes, gestionnaires, mesure_etats, mesure_evenements, mesures, tribunaux};
use crate::measures::counters;
use crate::notifications::{self, messages};
use crate::statistiques::agregats;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

/// The measure `id` if the caller may see it: its professional, its tribunal,
/// or an admin. Any other measure is "not found", never "forbidden", so that
/// its existence is not revealed. Directions see figures, not measures.
pub async fn visible(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<mesures::Model, AppError> {
    let query = mesures::Entity::find_by_id(id);
    let query = match &caller.scope {
        Scope::Admin => query,
        Scope::Gestionnaire { gestionnaire_id, .. } => query.filter(mesures::Column::GestionnaireId.eq(*gestionnaire_id)),
        Scope::Tribunal { tribunal_id, .. } => query.filter(mesures::Column::TribunalId.eq(*tribunal_id)),
        Scope::Territoire(_) => return Err(AppError::Interdit),
    };
    query.one(db).await?.ok_or(AppError::Introuvable)
}

/// Moves measure `id` of gestionnaire `owner` (or of tribunal `tribunal`) from
/// `from` to `to`, in `tx`. Returns the row as it now is, or why it could not.
/// The conditional UPDATE is the transaction's first write: it takes the row
/// (PostgreSQL) or the database (SQLite) lock before anything is read.
pub(crate) async fn switch(
    tx: &DatabaseTransaction,
    id: i64,
    owner: Owner,
    from: &str,
    to: &str,
    refusal: &str,
) -> Result<mesures::Model, AppError> {
    let now = chrono::Utc::now().fixed_offset();
    let update = mesures::Entity::update_many()
        .col_expr(mesures::Column::Statut, Expr::value(to))
        .col_expr(mesures::Column::UpdatedAt, Expr::value(now))
        .filter(mesures::Column::Id.eq(id))
        .filter(mesures::Column::Statut.eq(from));
    let update = match owner {
        Owner::Gestionnaire(g) => update.filter(mesures::Column::GestionnaireId.eq(g)),
        Owner::Tribunal(t) => update.filter(mesures::Column::TribunalId.eq(t)),
    };
    let moved = update.exec(tx).await?.rows_affected == 1;
    let row = match owner {
        Owner::Gestionnaire(g) => mesures::Entity::find_by_id(id).filter(mesures::Column::GestionnaireId.eq(g)),
        Owner::Tribunal(t) => mesures::Entity::find_by_id(id).filter(mesures::Column::TribunalId.eq(t)),
    }
    .one(tx)
    .await?
    .ok_or(AppError::Introuvable)?;
    if moved {
        Ok(row)
    } else {
        let statut = vocabulary::label(&vocabulary::STATUTS, &row.statut).unwrap_or("?").to_lowercase();
        Err(AppError::Conflit(format!("{refusal} : cette mesure est {statut}.")))
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Owner {
    Gestionnaire(i32),
    Tribunal(i32),
}

pub(crate) async fn journal(
    tx: &DatabaseTransaction,
    caller: &Caller,
    mesure: &mesures::Model,
    action: &str,
    details: Option<String>,
    ip: Option<String>,
) -> Result<(), AppError> {
    let at = chrono::Utc::now().fixed_offset();
    mesure_evenements::ActiveModel {
        mesure_id: Set(mesure.id),
        at: Set(at),
        action: Set(action.to_string()),
        actor_user_id: Set(Some(caller.user_id)),
        details: Set(details.clone()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    agregats::evenement(tx, mesure, action, at, details.as_deref()).await?;
    AuditEvent::by(caller, &format!("mesure.{action}"))
        .target("mesure", mesure.id)
        .summary(format!(
            "RG {}{}",
            crate::rules::rg::display_rg(&mesure.numero_rg),
            details.map(|d| format!(" : {d}")).unwrap_or_default()
        ))
        .ip(ip)
        .record(tx)
        .await;
    Ok(())
}

/// The commune's first postal code, or a field error when the code is unknown.
pub(crate) async fn check_commune(db: &impl ConnectionTrait, lieu: &LieuDeVie) -> Result<Option<String>, AppError> {
    let Some(code) = &lieu.commune_code else {
        return Ok(None);
    };
    let commune = communes::Entity::find_by_id(code.clone()).one(db).await?.ok_or_else(|| {
        AppError::Champs(vec![("commune".into(), crate::rules::texte::capitalise(&crate::search::communes::code_inconnu(code)))])
    })?;
    Ok(commune.codes_postaux.split(',').next().map(str::to_string))
}

pub(crate) async fn insert_etat(
    tx: &DatabaseTransaction,
    mesure_id: i64,
    date: chrono::NaiveDate,
    nature: &str,
    champ: Option<String>,
    lieu: &LieuDeVie,
    code_postal: Option<String>,
) -> Result<(), AppError> {
    mesure_etats::ActiveModel {
        mesure_id: Set(mesure_id),
        date_changement: Set(date),
        nature: Set(nature.to_string()),
        champ: Set(champ),
        lieu_vie: Set(lieu.lieu_vie.clone()),
        type_etablissement: Set(lieu.type_etablissement.clone()),
        commune_code: Set(lieu.commune_code.clone()),
        code_postal: Set(code_postal),
        pays: Set(lieu.pays.clone()),
        created_at: Set(chrono::Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// The professional accepts a pending reservation: `en_cours`, with its date
/// de nomination, lieu de vie and (for a service) antenne; the first état.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn accept(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    demande: &DemandeAcceptation,
    ip: Option<String>,
    base_url: &str,
) -> Result<mesures::Model, AppError> {
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            let gestionnaire_id = caller.gestionnaire_id()?;
            // Another professional's measure is "not found" whatever the request
            // holds (checked again, atomically, by the conditional UPDATE below).
            visible(db, caller, id).await?;
            let acceptation = demande.validate(chrono::Utc::now().date_naive())?;
            let code_postal = check_commune(db, &acceptation.lieu).await?;
            if let Some(antenne_id) = acceptation.antenne_id {
                antennes::Entity::find_by_id(antenne_id)
                    .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
                    .one(db)
                    .await?
                    .ok_or_else(|| AppError::Champs(vec![("antenne_id".into(), "Cette antenne n'est pas la vôtre.".into())]))?;
            }
            let tx = crate::db::begin(db).await?;
            let mesure = switch(&tx, id, Owner::Gestionnaire(gestionnaire_id), "en_attente", "en_cours", "Acceptation impossible").await?;
            let avant = agregats::au_statut(&mesure, "en_attente");
            let antenne_id = acceptation.antenne_id.or(mesure.antenne_id);
            if antenne_id == mesure.antenne_id {
                counters::adjust(&tx, gestionnaire_id, antenne_id, 1, -1, counters::Auteur::Professionnel).await?;
            } else {
                // The measure leaves the antenne it was reserved for.
                counters::adjust(&tx, gestionnaire_id, mesure.antenne_id, 0, -1, counters::Auteur::Professionnel).await?;
                counters::adjust(&tx, gestionnaire_id, antenne_id, 1, 0, counters::Auteur::Professionnel).await?;
            }
            let lieu = &acceptation.lieu;
            let mut row = mesure.clone().into_active_model();
            row.antenne_id = Set(antenne_id);
            row.date_nomination = Set(Some(acceptation.date_nomination));
            row.lieu_vie = Set(Some(lieu.lieu_vie.clone()));
            row.type_etablissement = Set(lieu.type_etablissement.clone());
            row.commune_code = Set(lieu.commune_code.clone());
            row.code_postal = Set(code_postal.clone());
            row.pays = Set(lieu.pays.clone());
            // Accepted: the reopening is now the measure's life, nothing to put back.
            row.avant_reouverture = Set(None);
            let mesure = row.update(&tx).await?;
            agregats::suivre(&tx, Some(&avant), Some(&mesure)).await?;
            insert_etat(&tx, mesure.id, acceptation.date_nomination, &mesure.nature, mesure.champ.clone(), lieu, code_postal).await?;
            journal(&tx, caller, &mesure, "acceptee", Some(format!("nomination le {}", acceptation.date_nomination)), ip).await?;
            // The judge or greffier who reserved is told when it asked to be (Mon compte).
            let reserver = match mesure.reservee_par {
                Some(id) => crate::db::entities::users::Entity::find_by_id(id).one(&tx).await?.filter(|u| u.notifier_acceptation),
                None => None,
            };
            if let Some(reserver) = reserver.map(|u| u.id) {
                let gestionnaire = gestionnaires::Entity::find_by_id(gestionnaire_id)
                    .one(&tx)
                    .await?
                    .map(|g| crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref()))
                    .unwrap_or_default();
                let link = format!("{base_url}/tribunal/mesures/{}", mesure.id);
                notifications::to_user(&tx, reserver, &messages::acceptation(&mesure.numero_rg, &gestionnaire, &link), &[]).await?;
            }
            crate::usage::record(&tx, caller, crate::usage::Action::Acceptation).await?;
            tx.commit().await?;
            Ok(mesure)
        }
    })
    .await
}

/// The professional closes a measure in progress: `eteinte`, with its cause
/// and date de fin.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn close(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    demande: &DemandeCloture,
    ip: Option<String>,
) -> Result<mesures::Model, AppError> {
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            let gestionnaire_id = caller.gestionnaire_id()?;
            // Another professional's measure is "not found" whatever the request
            // holds (checked again, atomically, by the conditional UPDATE below).
            visible(db, caller, id).await?;
            let cloture = demande.validate(chrono::Utc::now().date_naive())?;
            let tx = crate::db::begin(db).await?;
            let mesure = switch(&tx, id, Owner::Gestionnaire(gestionnaire_id), "en_cours", "eteinte", "Clôture impossible").await?;
            let avant = agregats::au_statut(&mesure, "en_cours");
            if mesure.date_nomination.is_some_and(|nomination| cloture.date_fin < nomination) {
                // Dropping `tx` rolls the status change back.
                return Err(AppError::Champs(vec![(
                    "date_fin".into(),
                    "La date de fin ne peut pas précéder la date de nomination.".into(),
                )]));
            }
            counters::adjust(&tx, gestionnaire_id, mesure.antenne_id, -1, 0, counters::Auteur::Professionnel).await?;
            let mut row = mesure.into_active_model();
            row.cause_sortie = Set(Some(cloture.cause_sortie.clone()));
            row.date_fin = Set(Some(cloture.date_fin));
            let mesure = row.update(&tx).await?;
            agregats::suivre(&tx, Some(&avant), Some(&mesure)).await?;
            let cause = vocabulary::label(&CAUSES_SORTIE, &cloture.cause_sortie).unwrap_or_default();
            journal(&tx, caller, &mesure, "cloturee", Some(format!("{cause}, fin le {}", cloture.date_fin)), ip).await?;
            tx.commit().await?;
            Ok(mesure)
        }
    })
    .await
}

/// The professional reactivates a closed measure: `en_cours` again.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn reactivate(db: &DatabaseConnection, caller: &Caller, id: i64, ip: Option<String>) -> Result<mesures::Model, AppError> {
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            let gestionnaire_id = caller.gestionnaire_id()?;
            // Another professional's measure is "not found" whatever the request
            // holds (checked again, atomically, by the conditional UPDATE below).
            visible(db, caller, id).await?;
            let tx = crate::db::begin(db).await?;
            let mesure = switch(&tx, id, Owner::Gestionnaire(gestionnaire_id), "eteinte", "en_cours", "Réactivation impossible").await?;
            let avant = agregats::au_statut(&mesure, "eteinte");
            if mesure.date_nomination.is_none() {
                return Err(AppError::Conflit(
                    "Réactivation impossible : cette mesure n'a jamais été acceptée (pas de date de nomination).".into(),
                ));
            }
            counters::adjust(&tx, gestionnaire_id, mesure.antenne_id, 1, 0, counters::Auteur::Professionnel).await?;
            let mut row = mesure.into_active_model();
            row.cause_sortie = Set(None);
            row.date_fin = Set(None);
            let mesure = row.update(&tx).await?;
            agregats::suivre(&tx, Some(&avant), Some(&mesure)).await?;
            journal(&tx, caller, &mesure, "reactivee", None, ip).await?;
            tx.commit().await?;
            Ok(mesure)
        }
    })
    .await
}

/// The professional records a change of nature, champ or lieu de vie. The
/// measure shows its latest état (by date; the newest record on equal dates).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn add_etat(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    demande: &DemandeEtat,
    ip: Option<String>,
) -> Result<mesures::Model, AppError> {
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            use sea_orm::{QueryOrder, QuerySelect};
            let gestionnaire_id = caller.gestionnaire_id()?;
            // Another professional's measure is "not found" whatever the request
            // holds (checked again, atomically, by the conditional UPDATE below).
            visible(db, caller, id).await?;
            let etat = demande.validate(chrono::Utc::now().date_naive())?;
            let code_postal = check_commune(db, &etat.lieu).await?;
            let tx = crate::db::begin(db).await?;
            // Touching the row first takes its lock before the latest état is read.
            let mesure = switch(&tx, id, Owner::Gestionnaire(gestionnaire_id), "en_cours", "en_cours", "Nouvel état impossible").await?;
            if mesure.date_nomination.is_some_and(|nomination| etat.date_changement < nomination) {
                return Err(AppError::Champs(vec![(
                    "date_changement".into(),
                    "La date du changement ne peut pas précéder la date de nomination.".into(),
                )]));
            }
            // The same état sent twice (a double click, a retried request) is
            // recorded once: the measure's row is locked since `switch`.
            let same = mesure_etats::Entity::find()
                .filter(mesure_etats::Column::MesureId.eq(id))
                .filter(mesure_etats::Column::DateChangement.eq(etat.date_changement))
                .all(&tx)
                .await?
                .into_iter()
                .any(|e| {
                    e.nature == etat.nature
                        && e.champ == etat.champ
                        && e.lieu_vie == etat.lieu.lieu_vie
                        && e.type_etablissement == etat.lieu.type_etablissement
                        && e.commune_code == etat.lieu.commune_code
                        && e.pays == etat.lieu.pays
                });
            if same {
                tx.rollback().await?;
                return Ok(mesure);
            }
            // A new état is the professional keeping its measures up to date: its
            // figures are fresh (the counters do not move).
            counters::adjust(&tx, gestionnaire_id, mesure.antenne_id, 0, 0, counters::Auteur::Professionnel).await?;
            let latest: Option<chrono::NaiveDate> = mesure_etats::Entity::find()
                .select_only()
                .column(mesure_etats::Column::DateChangement)
                .filter(mesure_etats::Column::MesureId.eq(id))
                .order_by_desc(mesure_etats::Column::DateChangement)
                .limit(1)
                .into_tuple()
                .one(&tx)
                .await?;
            insert_etat(&tx, id, etat.date_changement, &etat.nature, etat.champ.clone(), &etat.lieu, code_postal.clone()).await?;
            let mesure = if latest.is_none_or(|latest| etat.date_changement >= latest) {
                let avant = mesure.clone();
                let mut row = mesure.into_active_model();
                row.nature = Set(etat.nature.clone());
                row.champ = Set(etat.champ.clone());
                row.lieu_vie = Set(Some(etat.lieu.lieu_vie.clone()));
                row.type_etablissement = Set(etat.lieu.type_etablissement.clone());
                row.commune_code = Set(etat.lieu.commune_code.clone());
                row.code_postal = Set(code_postal);
                row.pays = Set(etat.lieu.pays.clone());
                let mesure = row.update(&tx).await?;
                agregats::suivre(&tx, Some(&avant), Some(&mesure)).await?;
                mesure
            } else {
                mesure
            };
            journal(&tx, caller, &mesure, "etat", Some(format!("état au {}", etat.date_changement)), ip).await?;
            tx.commit().await?;
            Ok(mesure)
        }
    })
    .await
}

/// The professional declines a reservation it has not accepted: the
/// reservation ends as an annulment does (a reopened closed measure comes
/// back exactly; any other stays `eteinte` without nomination, with the
/// refusal's motif), leaves the counters in the same transaction, is
/// journaled and audited, and the judge or greffier who reserved is mailed.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn refuse(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    demande: &DemandeRefus,
    ip: Option<String>,
    base_url: &str,
) -> Result<mesures::Model, AppError> {
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            let gestionnaire_id = caller.gestionnaire_id()?;
            visible(db, caller, id).await?;
            let (motif, precision) = demande.validate()?;
            let tx = crate::db::begin(db).await?;
            let mesure = switch(&tx, id, Owner::Gestionnaire(gestionnaire_id), "en_attente", "eteinte", "Refus impossible").await?;
            let avant = agregats::au_statut(&mesure, "en_attente");
            counters::adjust(&tx, gestionnaire_id, mesure.antenne_id, 0, -1, counters::Auteur::Professionnel).await?;
            let (mesure, restored) = crate::measures::reopening::end_pending(&tx, mesure, chrono::Utc::now().date_naive()).await?;
            let refus = crate::measures::Refus::new(motif.clone(), precision.clone());
            let mesure = if restored {
                mesure
            } else {
                let mut row = mesure.into_active_model();
                row.refus_motif = Set(Some(motif));
                row.refus_precision = Set(precision);
                row.update(&tx).await?
            };
            agregats::suivre(&tx, Some(&avant), Some(&mesure)).await?;
            let details = if restored {
                format!(
                    "réservation refusée ({}) : la mesure éteinte qu'elle avait rouverte est rétablie telle qu'elle était",
                    refus.en_clair()
                )
            } else {
                format!("réservation refusée : {}", refus.en_clair())
            };
            journal(&tx, caller, &mesure, "refusee", Some(details), ip).await?;
            // The restored row names the closed measure's first reserver: the one
            // to tell is who made this reservation (its journal).
            let reserver = if restored { mesure_reserver(&tx, id).await? } else { mesure.reservee_par };
            if let Some(reserver) = reserver {
                let gestionnaire = gestionnaires::Entity::find_by_id(gestionnaire_id)
                    .one(&tx)
                    .await?
                    .map(|g| crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref()))
                    .unwrap_or_default();
                let link = format!("{base_url}/tribunal/mesures/{id}");
                let message = messages::refus(&mesure.numero_rg, &gestionnaire, &refus.en_clair(), &link);
                notifications::to_user(&tx, reserver, &message, &[]).await?;
            }
            tx.commit().await?;
            Ok(mesure)
        }
    })
    .await
}

/// Who made the latest reservation of a measure (its journal), for a
/// reopening put back as it was (the restored row names its first reserver).
async fn mesure_reserver(tx: &impl ConnectionTrait, id: i64) -> Result<Option<i32>, AppError> {
    use sea_orm::QueryOrder;
    Ok(mesure_evenements::Entity::find()
        .filter(mesure_evenements::Column::MesureId.eq(id))
        .filter(mesure_evenements::Column::Action.eq("reservee"))
        .order_by_desc(mesure_evenements::Column::Id)
        .one(tx)
        .await?
        .and_then(|e| e.actor_user_id))
}

/// The tribunal cancels a reservation the professional has not accepted yet.
/// A reservation that reopened a closed measure puts it back exactly as it
/// was; any other stays as an ended reservation (`eteinte`, no date de
/// nomination), with its journal: nothing a judge does deletes history.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn cancel(db: &DatabaseConnection, caller: &Caller, id: i64, ip: Option<String>, base_url: &str) -> Result<(), AppError> {
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            let tribunal_id = caller.tribunal_id()?;
            let tx = crate::db::begin(db).await?;
            let mesure = switch(&tx, id, Owner::Tribunal(tribunal_id), "en_attente", "eteinte", "Annulation impossible").await?;
            let avant = agregats::au_statut(&mesure, "en_attente");
            counters::adjust(&tx, mesure.gestionnaire_id, mesure.antenne_id, 0, -1, counters::Auteur::Tiers).await?;
            let (mesure, restored) = crate::measures::reopening::end_pending(&tx, mesure, chrono::Utc::now().date_naive()).await?;
            agregats::suivre(&tx, Some(&avant), Some(&mesure)).await?;
            let details = if restored {
                "réservation annulée : la mesure éteinte qu'elle avait rouverte est rétablie telle qu'elle était"
            } else {
                "réservation annulée"
            };
            journal(&tx, caller, &mesure, "annulee", Some(details.into()), ip).await?;
            let tribunal = tribunaux::Entity::find_by_id(tribunal_id).one(&tx).await?.map(|t| t.nom).unwrap_or_default();
            let message = messages::annulation(&mesure.numero_rg, &tribunal, &format!("{base_url}/mandataire"));
            notifications::to_members(&tx, mesure.gestionnaire_id, &message).await?;
            tx.commit().await?;
            Ok(())
        }
    })
    .await
}
