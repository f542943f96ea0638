//! Reservations (server only): a judge or greffier reserves a measure with a
//! professional, or changes it while it is pending; the RG is unique per
//! tribunal, decided in the transaction that writes it.
use super::*;
use crate::accounts::guard::Caller;
use crate::audit::AuditEvent;
use crate::db::entities::{antennes, gestionnaires, magistrats, mesure_evenements, mesures, tribunaux};
use crate::measures::counters;
use crate::notifications::{self, messages};
use crate::rules::capacity::disponibles;
use crate::rules::roles::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set, SqlErr, TryIntoModel};

fn already(numero_rg: &str, statut: &str) -> AppError {
    let numero_rg = crate::rules::rg::display_rg(numero_rg);
    let etat = if statut == "en_cours" { "en cours" } else { "en attente" };
    AppError::Champs(vec![("numero_rg".into(), format!("Une mesure RG {numero_rg} de votre tribunal est déjà {etat} chez ce mandataire."))])
}

/// What the page changing a pending reservation shows (its tribunal's
/// magistrats and greffiers): the measure, its professional, its commune.
pub async fn modification(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> Result<crate::measures::reservation_form::Modification, AppError> {
    use crate::measures::reservation_form::Modification;
    caller.require(&crate::rules::roles::Role::TRIBUNAL)?;
    let mesure = crate::measures::lifecycle::visible(db, caller, id).await?;
    if mesure.statut != "en_attente" {
        return Err(AppError::Conflit("Cette mesure n'est plus en attente : sa réservation ne peut plus être modifiée.".into()));
    }
    let fiche = crate::professionals::fiche::fiche_for(db, caller, mesure.gestionnaire_id).await?;
    let commune = match &mesure.commune_code {
        Some(code) => crate::db::entities::communes::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .map(|c| format!("{} ({})", c.nom, mesure.code_postal.clone().unwrap_or_default())),
        None => None,
    };
    Ok(Modification { mesure: mesure.into(), fiche, commune })
}

/// Reserves a measure for the caller's tribunal (magistrats and greffiers).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn reserve(
    db: &DatabaseConnection,
    caller: &Caller,
    demande: &DemandeReservation,
    ip: Option<String>,
    base_url: &str,
) -> Result<MesureReservee, AppError> {
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            let tribunal_id = caller.tribunal_id()?;
            let now = chrono::Utc::now().fixed_offset();
            let mut reservation = demande.validate(now.date_naive())?;
            // Only approved professionals receive measures; any other id is "not found".
            let gestionnaire = gestionnaires::Entity::find_by_id(reservation.gestionnaire_id)
                .filter(gestionnaires::Column::ListeBlancheId.is_not_null())
                .one(db)
                .await?
                .ok_or(AppError::Introuvable)?;
            let antenne = match reservation.antenne_id {
                None => None,
                Some(id) => Some(
                    antennes::Entity::find_by_id(id)
                        .filter(antennes::Column::GestionnaireId.eq(gestionnaire.id))
                        .one(db)
                        .await?
                        .ok_or_else(|| {
                            AppError::Champs(vec![("antenne_id".into(), "Cette antenne n'appartient pas à ce service.".into())])
                        })?,
                ),
            };
            if reservation.cabinet.is_none() && caller.role == Role::Magistrat {
                reservation.cabinet = magistrats::Entity::find_by_id(caller.user_id).one(db).await?.and_then(|m| m.cabinet);
            }
            let avertissement = warning(&gestionnaire, antenne.as_ref());
            let code_postal = postal_code(db, reservation.commune_code.as_deref()).await?;

            let tx = crate::db::begin(db).await?;
            // Counters first: on SQLite the first write takes the write lock, so the
            // reads below cannot be overtaken by another writer.
            counters::adjust(&tx, gestionnaire.id, reservation.antenne_id, 0, 1, counters::Auteur::Tiers).await?;
            let existing = mesures::Entity::find()
                .filter(mesures::Column::TribunalId.eq(tribunal_id))
                .filter(mesures::Column::GestionnaireId.eq(gestionnaire.id))
                .filter(mesures::Column::NumeroRg.eq(&reservation.numero_rg))
                .one(&tx)
                .await?;
            let reopened = existing.is_some();
            let avant = existing.clone();
            let mut row = match existing {
                Some(m) if m.statut != "eteinte" => return Err(already(&reservation.numero_rg, &m.statut)),
                Some(m) => {
                    // A closed measure comes back as a new reservation: its end is
                    // cleared, and the closed measure kept whole to be put back if
                    // the reservation is cancelled or expires.
                    let avant = crate::measures::reopening::snapshot(&m)?;
                    let mut row = m.into_active_model();
                    row.avant_reouverture = Set(Some(avant));
                    row.date_nomination = Set(None);
                    row.date_fin = Set(None);
                    row.cause_sortie = Set(None);
                    row.lieu_vie = Set(None);
                    row.type_etablissement = Set(None);
                    // A reservation the professional declined, asked again: a new question.
                    row.refus_motif = Set(None);
                    row.refus_precision = Set(None);
                    row
                }
                None => mesures::ActiveModel {
                    gestionnaire_id: Set(gestionnaire.id),
                    tribunal_id: Set(tribunal_id),
                    numero_rg: Set(reservation.numero_rg.clone()),
                    pays: Set("FR".into()),
                    created_at: Set(now),
                    ..Default::default()
                },
            };
            row.antenne_id = Set(reservation.antenne_id);
            row.statut = Set("en_attente".into());
            row.cabinet = Set(reservation.cabinet.clone());
            row.nature = Set(reservation.nature.clone());
            row.champ = Set(reservation.champ.clone());
            row.civilite = Set(Some(reservation.civilite.clone()));
            row.annee_naissance = Set(Some(reservation.annee_naissance));
            row.urgent = Set(reservation.urgent);
            row.date_prevue_jugement = Set(reservation.date_previsionnelle_jugement);
            row.commune_code = Set(reservation.commune_code.clone());
            row.code_postal = Set(code_postal);
            row.reservee_par = Set(Some(caller.user_id));
            row.date_reservation = Set(Some(now));
            row.updated_at = Set(now);
            let saved = match row.save(&tx).await {
                Ok(saved) => saved,
                // Two reservations of the same RG at the same instant: the unique index
                // keeps one, the other gets the same refusal as if it came second.
                Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    return Err(already(&reservation.numero_rg, "en_attente"));
                }
                Err(err) => return Err(err.into()),
            };
            let mesure: mesures::Model = saved.try_into_model()?;
            crate::statistiques::agregats::suivre(&tx, avant.as_ref(), Some(&mesure)).await?;
            crate::repartition::dernieres::noter(&tx, tribunal_id, gestionnaire.id, now).await?;
            mesure_evenements::ActiveModel {
                mesure_id: Set(mesure.id),
                at: Set(now),
                action: Set("reservee".into()),
                actor_user_id: Set(Some(caller.user_id)),
                details: Set(reopened.then(|| crate::measures::reopening::RESERVATION_ROUVRANTE.to_string())),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            let rouvrante = reopened.then_some(crate::measures::reopening::RESERVATION_ROUVRANTE);
            crate::statistiques::agregats::evenement(&tx, &mesure, "reservee", now, rouvrante).await?;
            AuditEvent::by(caller, "mesure.reservation")
                .target("mesure", mesure.id)
                .summary(format!(
                    "RG {} réservée auprès du gestionnaire {}{}{}",
                    crate::rules::rg::display_rg(&mesure.numero_rg),
                    gestionnaire.id,
                    if reopened { " (mesure éteinte rouverte)" } else { "" },
                    if mesure.urgent { ", urgente" } else { "" }
                ))
                .ip(ip)
                .record(&tx)
                .await;
            // The professional is told, in the same transaction (nothing is sent if it rolls back).
            let tribunal = tribunaux::Entity::find_by_id(tribunal_id).one(&tx).await?.map(|t| t.nom).unwrap_or_default();
            let message = messages::reservation(
                &mesure.numero_rg,
                &tribunal,
                vocabulary::label(&NATURES, &mesure.nature).unwrap_or(&mesure.nature),
                mesure.urgent,
                &format!("{base_url}/mandataire/mesures/{}", mesure.id),
            );
            notifications::to_members(&tx, gestionnaire.id, &message).await?;
            crate::usage::record(&tx, caller, crate::usage::Action::Reservation).await?;
            tx.commit().await?;
            Ok(MesureReservee { mesure: mesure.into(), avertissement })
        }
    })
    .await
}

/// The tribunal changes a reservation the professional has not accepted yet
/// (numéro RG, cabinet, dates, person, nature, champ, urgency, antenne of the
/// same service). Its professional does not change: that is a cancellation
/// and a new reservation. The professional is told.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn amend(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    demande: &DemandeReservation,
    ip: Option<String>,
    base_url: &str,
) -> Result<MesureReservee, AppError> {
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            use crate::measures::lifecycle::{journal, switch, visible, Owner};
            let tribunal_id = caller.tribunal_id()?;
            // Another tribunal's measure is "not found" whatever the request holds.
            let current = visible(db, caller, id).await?;
            if demande.gestionnaire_id != 0 && demande.gestionnaire_id != current.gestionnaire_id {
                return Err(AppError::Champs(vec![(
                    "gestionnaire_id".into(),
                    "Le mandataire d'une réservation ne change pas : annulez-la, puis réservez auprès d'un autre mandataire.".into(),
                )]));
            }
            let demande = DemandeReservation { gestionnaire_id: current.gestionnaire_id, ..demande.clone() };
            let mut reservation = demande.validate(chrono::Utc::now().date_naive())?;
            let gestionnaire = gestionnaires::Entity::find_by_id(current.gestionnaire_id).one(db).await?.ok_or(AppError::Introuvable)?;
            let antenne = match reservation.antenne_id {
                None => None,
                Some(antenne_id) => Some(
                    antennes::Entity::find_by_id(antenne_id)
                        .filter(antennes::Column::GestionnaireId.eq(gestionnaire.id))
                        .one(db)
                        .await?
                        .ok_or_else(|| {
                            AppError::Champs(vec![("antenne_id".into(), "Cette antenne n'appartient pas à ce service.".into())])
                        })?,
                ),
            };
            if reservation.cabinet.is_none() && caller.role == Role::Magistrat {
                reservation.cabinet = magistrats::Entity::find_by_id(caller.user_id).one(db).await?.and_then(|m| m.cabinet);
            }
            // Not sent: the commune stays as it was.
            if reservation.commune_code.is_none() {
                reservation.commune_code = current.commune_code.clone();
            }
            let code_postal = postal_code(db, reservation.commune_code.as_deref()).await?;
            let tx = crate::db::begin(db).await?;
            // Still pending, still this tribunal's: the conditional UPDATE is the first
            // write and holds the row until the commit.
            let mesure = switch(&tx, id, Owner::Tribunal(tribunal_id), "en_attente", "en_attente", "Modification impossible").await?;
            if reservation.numero_rg != mesure.numero_rg && mesure.avant_reouverture.is_some() {
                // The closed measure it reopened is that RG: it must come back under it.
                return Err(AppError::Champs(vec![(
                    "numero_rg".into(),
                    format!(
                        "Cette réservation a rouvert la mesure éteinte RG {} : son numéro ne change pas. Pour un autre \
                 numéro, annulez-la (la mesure éteinte est rétablie) puis réservez le bon numéro.",
                        crate::rules::rg::display_rg(&mesure.numero_rg)
                    ),
                )]));
            }
            if reservation.numero_rg != mesure.numero_rg {
                let taken = mesures::Entity::find()
                    .filter(mesures::Column::TribunalId.eq(tribunal_id))
                    .filter(mesures::Column::GestionnaireId.eq(mesure.gestionnaire_id))
                    .filter(mesures::Column::NumeroRg.eq(&reservation.numero_rg))
                    .one(&tx)
                    .await?;
                match taken {
                    Some(other) if other.statut != "eteinte" => return Err(already(&reservation.numero_rg, &other.statut)),
                    Some(_) => {
                        return Err(AppError::Champs(vec![(
                            "numero_rg".into(),
                            format!(
                                "Une mesure éteinte RG {} existe déjà chez ce mandataire : pour la rouvrir, annulez cette \
                         réservation et réservez ce numéro RG.",
                                crate::rules::rg::display_rg(&reservation.numero_rg)
                            ),
                        )]))
                    }
                    None => {}
                }
            }
            let antenne_changed = reservation.antenne_id != mesure.antenne_id;
            if antenne_changed {
                // The reservation moves from one antenne's counters to the other's.
                counters::adjust(&tx, mesure.gestionnaire_id, mesure.antenne_id, 0, -1, counters::Auteur::Tiers).await?;
                counters::adjust(&tx, mesure.gestionnaire_id, reservation.antenne_id, 0, 1, counters::Auteur::Tiers).await?;
            }
            let changes = changed_fields(&mesure, &reservation);
            if changes.is_empty() {
                tx.rollback().await?;
                return Ok(MesureReservee { mesure: mesure.into(), avertissement: None });
            }
            let avant = mesure.clone();
            let mut row = mesure.into_active_model();
            row.numero_rg = Set(reservation.numero_rg.clone());
            row.antenne_id = Set(reservation.antenne_id);
            row.cabinet = Set(reservation.cabinet.clone());
            row.date_prevue_jugement = Set(reservation.date_previsionnelle_jugement);
            row.civilite = Set(Some(reservation.civilite.clone()));
            row.annee_naissance = Set(Some(reservation.annee_naissance));
            row.nature = Set(reservation.nature.clone());
            row.champ = Set(reservation.champ.clone());
            row.urgent = Set(reservation.urgent);
            row.commune_code = Set(reservation.commune_code.clone());
            row.code_postal = Set(code_postal);
            let mesure = match row.update(&tx).await {
                Ok(mesure) => mesure,
                Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    return Err(already(&reservation.numero_rg, "en_attente"));
                }
                Err(err) => return Err(err.into()),
            };
            crate::statistiques::agregats::suivre(&tx, Some(&avant), Some(&mesure)).await?;
            journal(&tx, caller, &mesure, "modifiee", Some(format!("modifié : {}", changes.join(", "))), ip).await?;
            let tribunal = tribunaux::Entity::find_by_id(tribunal_id).one(&tx).await?.map(|t| t.nom).unwrap_or_default();
            let message = messages::modification(
                &mesure.numero_rg,
                &tribunal,
                &changes,
                mesure.urgent,
                &format!("{base_url}/mandataire/mesures/{}", mesure.id),
            );
            notifications::to_members(&tx, mesure.gestionnaire_id, &message).await?;
            tx.commit().await?;
            let avertissement = if antenne_changed { warning(&gestionnaire, antenne.as_ref()) } else { None };
            Ok(MesureReservee { mesure: mesure.into(), avertissement })
        }
    })
    .await
}

/// The French names of the fields a modification changes, in the form's order.
fn changed_fields(m: &mesures::Model, r: &Reservation) -> Vec<&'static str> {
    [
        ("numéro RG", m.numero_rg != r.numero_rg),
        ("antenne", m.antenne_id != r.antenne_id),
        ("cabinet", m.cabinet != r.cabinet),
        ("date prévisionnelle du jugement", m.date_prevue_jugement != r.date_previsionnelle_jugement),
        ("civilité", m.civilite.as_deref() != Some(r.civilite.as_str())),
        ("année de naissance", m.annee_naissance != Some(r.annee_naissance)),
        ("nature", m.nature != r.nature),
        ("champ", m.champ != r.champ),
        ("urgence", m.urgent != r.urgent),
        ("commune", m.commune_code != r.commune_code),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect()
}

/// The first postal code of the commune `code`; a field error when no
/// commune has that INSEE code.
async fn postal_code(db: &DatabaseConnection, code: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(code) = code else { return Ok(None) };
    let commune = crate::db::entities::communes::Entity::find_by_id(code.to_string()).one(db).await?.ok_or_else(|| {
        AppError::Champs(vec![("commune".into(), crate::rules::texte::capitalise(&crate::search::communes::code_inconnu(code)))])
    })?;
    Ok(commune.codes_postaux.split(',').next().map(str::to_string))
}

/// "Full" or "suspended", seen before the reservation (a warning only).
fn warning(gestionnaire: &gestionnaires::Model, antenne: Option<&antennes::Model>) -> Option<String> {
    if gestionnaire.suspendu {
        return Some(
            "Ce mandataire a suspendu son activité et ne prend plus de mesures : la réservation est enregistrée, \
             vérifiez avec lui qu'il pourra l'accepter."
                .into(),
        );
    }
    let (max, en_cours, en_attente) = match antenne {
        Some(a) => (a.mesures_max, a.en_cours, a.en_attente),
        None => (gestionnaire.mesures_max, gestionnaire.en_cours, gestionnaire.en_attente),
    };
    let places = disponibles(max, en_cours, en_attente, false);
    (places <= 0).then(|| {
        format!(
            "{} n'a plus de place disponible ({places}) : la réservation est enregistrée, mais il est au-delà de sa capacité déclarée.",
            if antenne.is_some() { "Cette antenne" } else { "Ce mandataire" }
        )
    })
}
