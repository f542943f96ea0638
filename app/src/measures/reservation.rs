//! A judge or greffier reserves a measure with a professional: the measure is
//! created `en_attente` (or an `eteinte` one with the same numéro RG is reopened),
//! the professional's counters move in the same transaction, and the event is
//! journalled. A full or suspended professional is a warning, not a refusal.

use super::Mesure;
use crate::errors::AppError;
use crate::rules::rg::normalise_rg;
use crate::rules::vocabulary::{self, CHAMPS, CIVILITES, NATURES};
use serde::{Deserialize, Serialize};

/// What the reservation form and `POST /api/v1/mesures` send.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeReservation {
    /// The professional (ignored when a pending reservation is modified: its
    /// professional does not change).
    #[serde(default)]
    pub gestionnaire_id: i32,
    /// For a service: one of its antennes (optional).
    #[serde(default)]
    pub antenne_id: Option<i32>,
    /// As typed (`12/345`, `2612345`…): normalised to 8 characters.
    #[serde(default)]
    pub numero_rg: String,
    /// Empty: the reserving judge's cabinet.
    #[serde(default)]
    pub cabinet: Option<String>,
    /// `AAAA-MM-JJ`.
    #[serde(default)]
    pub date_previsionnelle_jugement: Option<String>,
    /// `madame` or `monsieur`.
    #[serde(default)]
    pub civilite: String,
    #[serde(default)]
    pub annee_naissance: Option<i32>,
    /// A nature code (`tutelle`, `curatelle_renforcee`…).
    #[serde(default)]
    pub nature: String,
    /// A champ code (`protection_bien`…), optional.
    #[serde(default)]
    pub champ: Option<String>,
    #[serde(default)]
    pub urgent: bool,
    /// Where the protected person lives: the INSEE code of its commune (the
    /// form requires it; the professional sees it, and how far it is, before
    /// accepting). Optional in the API.
    #[serde(default)]
    pub commune: Option<String>,
}

/// A request that passed every check of its own fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Reservation {
    pub gestionnaire_id: i32,
    pub antenne_id: Option<i32>,
    pub numero_rg: String,
    pub cabinet: Option<String>,
    pub date_previsionnelle_jugement: Option<chrono::NaiveDate>,
    pub civilite: String,
    pub annee_naissance: i32,
    pub nature: String,
    pub champ: Option<String>,
    pub urgent: bool,
    /// INSEE code (its existence is checked against the database).
    pub commune_code: Option<String>,
}

pub const CABINET_MAX: usize = 32;

/// Blank optional text is no text.
fn filled(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl DemandeReservation {
    /// Checks every field; all the refusals at once, one French message per field.
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<Reservation, AppError> {
        use chrono::Datelike;
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut refuse = |field: &str, message: String| errors.push((field.to_string(), message));
        if self.gestionnaire_id <= 0 {
            refuse("gestionnaire_id", "Indiquez le mandataire auprès duquel réserver.".into());
        }
        let numero_rg = normalise_rg(&self.numero_rg).map_err(|e| refuse("numero_rg", e.to_string())).ok();
        let cabinet = filled(&self.cabinet).map(str::to_string);
        if cabinet.as_ref().is_some_and(|c| c.chars().count() > CABINET_MAX) {
            refuse("cabinet", format!("Le cabinet compte au plus {CABINET_MAX} caractères."));
        }
        let date = match filled(&self.date_previsionnelle_jugement) {
            None => None,
            Some(text) => match crate::rules::heure::jour_saisi(text).ok_or(()) {
                Ok(date) if (today.year() - 1..=today.year() + 2).contains(&date.year()) => Some(date),
                Ok(_) => {
                    refuse(
                        "date_previsionnelle_jugement",
                        format!("La date prévisionnelle du jugement doit se situer entre {} et {}.", today.year() - 1, today.year() + 2),
                    );
                    None
                }
                Err(_) => {
                    refuse(
                        "date_previsionnelle_jugement",
                        format!("Date prévisionnelle du jugement illisible : « {text} » (attendu : {}).", crate::rules::heure::FORMAT_DATE),
                    );
                    None
                }
            },
        };
        let civilite = self.civilite.trim();
        if !vocabulary::is_valid(&CIVILITES, civilite) {
            refuse("civilite", "Choisissez la civilité de la personne protégée (Madame ou Monsieur).".into());
        }
        let annee = match self.annee_naissance {
            None => {
                refuse("annee_naissance", "L'année de naissance de la personne protégée est obligatoire.".into());
                None
            }
            Some(year) if !(1900..=today.year()).contains(&year) => {
                refuse("annee_naissance", format!("L'année de naissance doit être comprise entre 1900 et {}.", today.year()));
                None
            }
            Some(year) => Some(year),
        };
        let nature = self.nature.trim();
        if !vocabulary::is_valid(&NATURES, nature) {
            refuse("nature", "Choisissez la nature de la mesure dans la liste.".into());
        }
        let champ = filled(&self.champ).map(str::to_string);
        if champ.as_deref().is_some_and(|c| !vocabulary::is_valid(&CHAMPS, c)) {
            refuse("champ", "Choisissez le champ de la mesure dans la liste.".into());
        }
        let commune_code = filled(&self.commune).map(str::to_uppercase);
        if let Some(code) = commune_code.as_deref().filter(|c| !crate::search::criteria::is_insee_code(c)) {
            refuse("commune", format!("Code commune (INSEE) invalide : « {code} » (5 caractères)."));
        }
        match (numero_rg, annee) {
            (Some(numero_rg), Some(annee_naissance)) if errors.is_empty() => Ok(Reservation {
                gestionnaire_id: self.gestionnaire_id,
                antenne_id: self.antenne_id,
                numero_rg,
                cabinet,
                date_previsionnelle_jugement: date,
                civilite: civilite.to_string(),
                annee_naissance,
                nature: nature.to_string(),
                champ,
                urgent: self.urgent,
                commune_code,
            }),
            _ => Err(AppError::Champs(errors)),
        }
    }
}

/// The answer to a reservation: the measure, and a warning when the professional
/// was full or suspended (the reservation is made all the same).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MesureReservee {
    #[serde(flatten)]
    pub mesure: Mesure,
    pub avertissement: Option<String>,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::guard::Caller;
    use crate::audit::AuditEvent;
    use crate::db::entities::{antennes, gestionnaires, magistrats, mesure_evenements, mesures, tribunaux};
    use crate::measures::counters;
    use crate::notifications::{self, messages};
    use crate::rules::capacity::disponibles;
    use crate::rules::roles::Role;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set, SqlErr, TryIntoModel,
    };

    fn already(numero_rg: &str, statut: &str) -> AppError {
        let numero_rg = crate::rules::rg::display_rg(numero_rg);
        let etat = if statut == "en_cours" { "en cours" } else { "en attente" };
        AppError::Champs(vec![(
            "numero_rg".into(),
            format!("Une mesure RG {numero_rg} de votre tribunal est déjà {etat} chez ce mandataire."),
        )])
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
                mesure_evenements::ActiveModel {
                    mesure_id: Set(mesure.id),
                    at: Set(now),
                    action: Set("reservee".into()),
                    actor_user_id: Set(Some(caller.user_id)),
                    details: Set(reopened.then(|| "Mesure éteinte rouverte par une nouvelle réservation".to_string())),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
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
                let gestionnaire =
                    gestionnaires::Entity::find_by_id(current.gestionnaire_id).one(db).await?.ok_or(AppError::Introuvable)?;
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
}

#[cfg(feature = "ssr")]
pub use server::{amend, modification, reserve};

#[cfg(test)]
mod tests {
    use super::*;

    fn demande() -> DemandeReservation {
        DemandeReservation {
            gestionnaire_id: 1,
            numero_rg: "12/345".into(),
            civilite: "madame".into(),
            annee_naissance: Some(1950),
            nature: "tutelle".into(),
            ..Default::default()
        }
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Champs(champs) => champs.into_iter().map(|(f, _)| f).collect(),
            other => panic!("erreur de champs attendue : {other:?}"),
        }
    }

    #[test]
    fn a_good_request_is_normalised() {
        let r = demande().validate(today()).expect("valide");
        assert_eq!(r.numero_rg, "00012345");
        assert_eq!(r.cabinet, None);
        let mut d = demande();
        d.numero_rg = "2612345".into();
        d.cabinet = Some("  ".into());
        d.date_previsionnelle_jugement = Some("2027-01-15".into());
        d.champ = Some("protection_bien".into());
        let r = d.validate(today()).expect("valide");
        assert_eq!(r.numero_rg, "02612345");
        assert_eq!(r.date_previsionnelle_jugement, chrono::NaiveDate::from_ymd_opt(2027, 1, 15));
    }

    #[test]
    fn every_bad_field_is_named() {
        let d = DemandeReservation {
            gestionnaire_id: 1,
            numero_rg: "123456789".into(),
            cabinet: Some("x".repeat(40)),
            date_previsionnelle_jugement: Some("15 janvier".into()),
            civilite: "mademoiselle".into(),
            annee_naissance: Some(1899),
            nature: "tutelle_imaginaire".into(),
            champ: Some("tout".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(d.validate(today()).unwrap_err()),
            ["numero_rg", "cabinet", "date_previsionnelle_jugement", "civilite", "annee_naissance", "nature", "champ"]
        );
        let mut d = demande();
        d.annee_naissance = Some(2027);
        d.date_previsionnelle_jugement = Some("2031-01-01".into());
        assert_eq!(fields(d.validate(today()).unwrap_err()), ["date_previsionnelle_jugement", "annee_naissance"]);
        let mut d = demande();
        d.annee_naissance = None;
        d.numero_rg = String::new();
        assert_eq!(fields(d.validate(today()).unwrap_err()), ["numero_rg", "annee_naissance"]);
        assert_eq!(demande().validate(today()).map(|r| r.annee_naissance), Ok(1950));
    }
}
