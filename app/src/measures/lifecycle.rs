//! A measure's life after its reservation: the professional accepts it (with the
//! date de nomination and the lieu de vie: the first état), records new états,
//! closes it and may reactivate it; the tribunal may cancel it while it is pending.
//!
//! Each transition is one conditional UPDATE (`… WHERE statut = 'en_attente'`),
//! so two requests racing on the same measure cannot both move it, followed in
//! the same transaction by [`counters::adjust`](super::counters::adjust), the
//! measure's journal and the audit log.

use crate::errors::AppError;
use crate::rules::vocabulary::{self, CAUSES_SORTIE, CHAMPS, LIEUX_DE_VIE, NATURES, TYPES_ETABLISSEMENT};
use serde::{Deserialize, Serialize};

/// Where the protected person lives, as the forms and the API send it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeLieuDeVie {
    /// `domicile`, `etablissement`, `etablissement_conservation_domicile` or `sdf`.
    #[serde(default)]
    pub lieu_vie: String,
    /// Required when the person lives in an établissement.
    #[serde(default)]
    pub type_etablissement: Option<String>,
    /// INSEE code of the commune (required in France).
    #[serde(default)]
    pub commune: Option<String>,
    /// ISO 3166-1 alpha-2 country code; `FR` when empty.
    #[serde(default)]
    pub pays: Option<String>,
}

/// A lieu de vie whose fields passed their own checks (the commune's existence
/// is checked against the database by the server).
#[derive(Clone, Debug, PartialEq)]
pub struct LieuDeVie {
    pub lieu_vie: String,
    pub type_etablissement: Option<String>,
    pub commune_code: Option<String>,
    pub pays: String,
}

/// `POST /api/v1/mesures/{id}/acceptation` and the acceptance form.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeAcceptation {
    /// `AAAA-MM-JJ`, not in the future.
    #[serde(default)]
    pub date_nomination: String,
    #[serde(flatten)]
    pub lieu: DemandeLieuDeVie,
    /// For a service: the antenne that takes the measure (optional).
    #[serde(default)]
    pub antenne_id: Option<i32>,
}

/// `POST /api/v1/mesures/{id}/cloture` and the closing form.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeCloture {
    /// `mainlevee`, `deces`, `caducite`, `dessaisissement_famille`, `dessaisissement_autre_mjpm`.
    #[serde(default)]
    pub cause_sortie: String,
    /// `AAAA-MM-JJ`, not in the future and not before the date de nomination.
    #[serde(default)]
    pub date_fin: String,
}

/// `POST /api/v1/mesures/{id}/refus` and the "Refuser" form: the professional
/// declines a reservation it has not accepted.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeRefus {
    /// `pas_de_place`, `hors_zone`, `conflit_interets` or `autre`.
    #[serde(default)]
    pub motif: String,
    /// In the professional's words: required for `autre`, optional otherwise.
    #[serde(default)]
    pub precision: Option<String>,
}

/// The longest precision of a refusal.
pub const PRECISION_REFUS_MAX: usize = 500;

/// `POST /api/v1/mesures/{id}/etats` and the état form: a change of nature,
/// champ or lieu de vie from a date.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeEtat {
    /// `AAAA-MM-JJ`, not in the future.
    #[serde(default)]
    pub date_changement: String,
    #[serde(default)]
    pub nature: String,
    #[serde(default)]
    pub champ: Option<String>,
    #[serde(flatten)]
    pub lieu: DemandeLieuDeVie,
}

/// Collects one French message per refused field.
#[derive(Default)]
struct Refusals(Vec<(String, String)>);

impl Refusals {
    fn refuse(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_string(), message.into()));
    }

    fn into_result<T>(self, value: Option<T>) -> Result<T, AppError> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(AppError::Champs(self.0)),
        }
    }
}

/// A past or present day typed (`rules::heure::jour_saisi`).
fn past_date(refusals: &mut Refusals, field: &str, label: &str, text: &str, today: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        refusals.refuse(field, format!("La {label} est obligatoire."));
        return None;
    }
    match crate::rules::heure::jour_saisi(text).ok_or(()) {
        Ok(date) if date > today => {
            refusals.refuse(field, format!("La {label} ne peut pas être dans le futur."));
            None
        }
        Ok(date) if date < chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or(date) => {
            refusals.refuse(field, format!("La {label} doit être postérieure à 1950."));
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            let attendu = crate::rules::heure::FORMAT_DATE;
            refusals.refuse(field, format!("{} illisible : « {text} » (attendu : {attendu}).", crate::rules::texte::capitalise(label)));
            None
        }
    }
}

fn blank_to_none(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

impl DemandeLieuDeVie {
    fn check(&self, refusals: &mut Refusals) -> Option<LieuDeVie> {
        let before = refusals.0.len();
        let lieu_vie = self.lieu_vie.trim();
        if !vocabulary::is_valid(&LIEUX_DE_VIE, lieu_vie) {
            refusals.refuse("lieu_vie", "Choisissez le lieu de vie de la personne protégée dans la liste.");
        }
        let in_establishment = lieu_vie.starts_with("etablissement");
        let type_etablissement = blank_to_none(&self.type_etablissement);
        match (&type_etablissement, in_establishment) {
            (None, true) => refusals.refuse("type_etablissement", "Précisez le type d'établissement."),
            (Some(t), true) if !vocabulary::is_valid(&TYPES_ETABLISSEMENT, t) => {
                refusals.refuse("type_etablissement", "Choisissez le type d'établissement dans la liste.")
            }
            _ => {}
        }
        let pays = blank_to_none(&self.pays).unwrap_or_else(|| "FR".into()).to_uppercase();
        if pays.len() != 2 || !pays.chars().all(|c| c.is_ascii_uppercase()) {
            refusals.refuse("pays", "Le pays s'écrit avec son code à deux lettres (FR, BE, ES…).");
        }
        let commune_code = blank_to_none(&self.commune).map(|c| c.to_uppercase());
        match (&commune_code, pays.as_str()) {
            (None, "FR") if lieu_vie != "sdf" => refusals.refuse("commune", "Indiquez la commune où vit la personne protégée."),
            (Some(code), _) if !crate::search::criteria::is_insee_code(code) => {
                refusals.refuse("commune", format!("Code commune (INSEE) invalide : « {code} » (5 caractères)."))
            }
            (Some(_), p) if p != "FR" => refusals.refuse("commune", "Une commune française ne va qu'avec le pays FR."),
            _ => {}
        }
        (refusals.0.len() == before).then(|| LieuDeVie {
            lieu_vie: lieu_vie.to_string(),
            // Only an établissement has a type.
            type_etablissement: type_etablissement.filter(|_| in_establishment),
            commune_code,
            pays,
        })
    }
}

/// An acceptance that passed its own checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Acceptation {
    pub date_nomination: chrono::NaiveDate,
    pub lieu: LieuDeVie,
    pub antenne_id: Option<i32>,
}

impl DemandeAcceptation {
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<Acceptation, AppError> {
        let mut refusals = Refusals::default();
        let date = past_date(&mut refusals, "date_nomination", "date de nomination", &self.date_nomination, today);
        let lieu = self.lieu.check(&mut refusals);
        let value = date.zip(lieu).map(|(date_nomination, lieu)| Acceptation { date_nomination, lieu, antenne_id: self.antenne_id });
        refusals.into_result(value)
    }
}

/// A closing that passed its own checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Cloture {
    pub cause_sortie: String,
    pub date_fin: chrono::NaiveDate,
}

impl DemandeCloture {
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<Cloture, AppError> {
        let mut refusals = Refusals::default();
        let cause = self.cause_sortie.trim();
        if !vocabulary::is_valid(&CAUSES_SORTIE, cause) {
            refusals.refuse("cause_sortie", "Choisissez la cause de sortie de la mesure dans la liste.");
        }
        let date = past_date(&mut refusals, "date_fin", "date de fin", &self.date_fin, today);
        let value = date.map(|date_fin| Cloture { cause_sortie: cause.to_string(), date_fin });
        refusals.into_result(value)
    }
}

impl DemandeRefus {
    /// (motif, precision) once checked.
    pub fn validate(&self) -> Result<(String, Option<String>), AppError> {
        let mut refusals = Refusals::default();
        let motif = self.motif.trim();
        if !vocabulary::is_valid(&vocabulary::MOTIFS_REFUS, motif) {
            refusals.refuse("motif", "Choisissez le motif du refus dans la liste.");
        }
        let precision = blank_to_none(&self.precision);
        match &precision {
            None if motif == "autre" => refusals.refuse("precision", "Précisez le motif du refus."),
            Some(p) if p.chars().count() > PRECISION_REFUS_MAX => {
                refusals.refuse("precision", format!("{PRECISION_REFUS_MAX} caractères au plus."))
            }
            Some(p) => {
                if let Some(c) = crate::rules::texte::caractere_interdit(p, true) {
                    refusals.refuse("precision", crate::rules::texte::refus("La précision", c));
                }
            }
            None => {}
        }
        refusals.into_result(Some((motif.to_string(), precision)))
    }
}

/// A new état that passed its own checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Etat {
    pub date_changement: chrono::NaiveDate,
    pub nature: String,
    pub champ: Option<String>,
    pub lieu: LieuDeVie,
}

impl DemandeEtat {
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<Etat, AppError> {
        let mut refusals = Refusals::default();
        let date = past_date(&mut refusals, "date_changement", "date du changement", &self.date_changement, today);
        let nature = self.nature.trim();
        if !vocabulary::is_valid(&NATURES, nature) {
            refusals.refuse("nature", "Choisissez la nature de la mesure dans la liste.");
        }
        let champ = blank_to_none(&self.champ);
        if champ.as_deref().is_some_and(|c| !vocabulary::is_valid(&CHAMPS, c)) {
            refusals.refuse("champ", "Choisissez le champ de la mesure dans la liste.");
        }
        let lieu = self.lieu.check(&mut refusals);
        let value = date.zip(lieu).map(|(date_changement, lieu)| Etat { date_changement, nature: nature.to_string(), champ, lieu });
        refusals.into_result(value)
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::guard::{Caller, Scope};
    use crate::audit::AuditEvent;
    use crate::db::entities::{antennes, communes, gestionnaires, mesure_etats, mesure_evenements, mesures, tribunaux};
    use crate::measures::counters;
    use crate::notifications::{self, messages};

    use sea_orm::sea_query::Expr;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
        Set,
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
        mesure_evenements::ActiveModel {
            mesure_id: Set(mesure.id),
            at: Set(chrono::Utc::now().fixed_offset()),
            action: Set(action.to_string()),
            actor_user_id: Set(Some(caller.user_id)),
            details: Set(details.clone()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
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
                let mesure =
                    switch(&tx, id, Owner::Gestionnaire(gestionnaire_id), "en_attente", "en_cours", "Acceptation impossible").await?;
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
                let mesure =
                    switch(&tx, id, Owner::Gestionnaire(gestionnaire_id), "eteinte", "en_cours", "Réactivation impossible").await?;
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
                let mesure =
                    switch(&tx, id, Owner::Gestionnaire(gestionnaire_id), "en_cours", "en_cours", "Nouvel état impossible").await?;
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
                    let mut row = mesure.into_active_model();
                    row.nature = Set(etat.nature.clone());
                    row.champ = Set(etat.champ.clone());
                    row.lieu_vie = Set(Some(etat.lieu.lieu_vie.clone()));
                    row.type_etablissement = Set(etat.lieu.type_etablissement.clone());
                    row.commune_code = Set(etat.lieu.commune_code.clone());
                    row.code_postal = Set(code_postal);
                    row.pays = Set(etat.lieu.pays.clone());
                    row.update(&tx).await?
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
                counters::adjust(&tx, mesure.gestionnaire_id, mesure.antenne_id, 0, -1, counters::Auteur::Tiers).await?;
                let (mesure, restored) = crate::measures::reopening::end_pending(&tx, mesure, chrono::Utc::now().date_naive()).await?;
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
}

#[cfg(feature = "ssr")]
pub use server::{accept, add_etat, cancel, close, reactivate, refuse, visible};
#[cfg(feature = "ssr")]
pub(crate) use server::{check_commune, insert_etat, journal, switch, Owner};

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Champs(champs) => champs.into_iter().map(|(f, _)| f).collect(),
            other => panic!("erreur de champs attendue : {other:?}"),
        }
    }

    fn domicile(commune: &str) -> DemandeLieuDeVie {
        DemandeLieuDeVie { lieu_vie: "domicile".into(), commune: Some(commune.into()), ..Default::default() }
    }

    #[test]
    fn an_acceptance_needs_a_past_date_and_a_place() {
        let good = DemandeAcceptation { date_nomination: "2026-11-02".into(), lieu: domicile("59350"), antenne_id: None };
        let a = good.validate(today()).expect("valide");
        assert_eq!((a.lieu.pays.as_str(), a.lieu.commune_code.as_deref()), ("FR", Some("59350")));
        let future = DemandeAcceptation { date_nomination: "2026-11-28".into(), ..good.clone() };
        assert_eq!(fields(future.validate(today()).unwrap_err()), ["date_nomination"]);
        let nothing = DemandeAcceptation::default();
        assert_eq!(fields(nothing.validate(today()).unwrap_err()), ["date_nomination", "lieu_vie", "commune"]);
        let french = DemandeAcceptation { date_nomination: "02/11/2026".into(), ..good.clone() };
        assert_eq!(
            french.validate(today()).expect("as people write it").date_nomination,
            good.validate(today()).expect("iso").date_nomination
        );
        let unreadable = DemandeAcceptation { date_nomination: "2 novembre".into(), ..good };
        assert_eq!(fields(unreadable.validate(today()).unwrap_err()), ["date_nomination"]);
    }

    #[test]
    fn an_establishment_needs_its_type_and_abroad_needs_no_commune() {
        let mut lieu = DemandeLieuDeVie { lieu_vie: "etablissement".into(), commune: Some("59350".into()), ..Default::default() };
        let mut refusals = Refusals::default();
        assert_eq!(lieu.check(&mut refusals), None);
        assert_eq!(refusals.0[0].0, "type_etablissement");
        lieu.type_etablissement = Some("etablissement_hospitalier".into());
        let checked = lieu.check(&mut Refusals::default()).expect("valide");
        assert_eq!(checked.type_etablissement.as_deref(), Some("etablissement_hospitalier"));
        let abroad = DemandeLieuDeVie {
            lieu_vie: "domicile".into(),
            pays: Some("be".into()),
            type_etablissement: Some("autre_etablissement".into()),
            ..Default::default()
        };
        let checked = abroad.check(&mut Refusals::default()).expect("valide");
        assert_eq!((checked.pays.as_str(), checked.commune_code, checked.type_etablissement), ("BE", None, None));
        let both = DemandeLieuDeVie { pays: Some("BE".into()), ..domicile("59350") };
        let mut refusals = Refusals::default();
        assert_eq!(both.check(&mut refusals), None);
        assert_eq!(refusals.0[0].0, "commune");
        let sdf = DemandeLieuDeVie { lieu_vie: "sdf".into(), ..Default::default() };
        assert!(sdf.check(&mut Refusals::default()).is_some(), "a homeless person has no commune");
    }

    #[test]
    fn a_closing_needs_a_known_cause_and_a_past_date() {
        let good = DemandeCloture { cause_sortie: "deces".into(), date_fin: "2026-11-27".into() };
        assert_eq!(good.validate(today()).map(|c| c.cause_sortie), Ok("deces".into()));
        let bad = DemandeCloture { cause_sortie: "lassitude".into(), date_fin: "2027-01-01".into() };
        assert_eq!(fields(bad.validate(today()).unwrap_err()), ["cause_sortie", "date_fin"]);
    }

    #[test]
    fn a_new_etat_checks_nature_champ_and_place() {
        let good = DemandeEtat {
            date_changement: "2026-10-01".into(),
            nature: "tutelle".into(),
            champ: Some("protection_bien".into()),
            lieu: domicile("59350"),
        };
        assert_eq!(good.validate(today()).map(|e| e.nature), Ok("tutelle".into()));
        let bad = DemandeEtat { nature: "x".into(), champ: Some("y".into()), lieu: DemandeLieuDeVie::default(), ..good };
        assert_eq!(fields(bad.validate(today()).unwrap_err()), ["nature", "champ", "lieu_vie", "commune"]);
    }
}
