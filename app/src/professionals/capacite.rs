//! A professional declares its capacity: `mesures souhaitées`, suspension with a
//! mandatory reason, and for a service each antenne's share. A service's antennes
//! never add up to more than the service's own capacity.

use crate::errors::AppError;
use serde::{Deserialize, Serialize};

/// The most measures one gestionnaire or antenne may declare (the largest
/// services follow a few thousand).
pub const MESURES_MAX_LIMITE: i32 = 10_000;
pub const MOTIF_MAX: usize = 300;

/// `GET /api/v1/moi/capacite` : la capacité du mandataire connecté.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capacite {
    pub gestionnaire_id: i32,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    /// `mesures_max − en_cours − en_attente` (capacité 0 pendant une suspension) ; peut être négatif.
    pub disponibles: i32,
    pub suspendu: bool,
    pub motif_suspension: Option<String>,
    /// Horodatage RFC 3339.
    pub derniere_mise_a_jour: String,
}

/// `PUT /api/v1/moi/capacite` et le formulaire de capacité.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeCapacite {
    #[serde(default)]
    pub mesures_max: Option<i32>,
    #[serde(default)]
    pub suspendu: bool,
    /// Obligatoire quand `suspendu`.
    #[serde(default)]
    pub motif_suspension: Option<String>,
}

/// `PUT /api/v1/antennes/{id}/capacite`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeCapaciteAntenne {
    #[serde(default)]
    pub mesures_max: Option<i32>,
}

/// La capacité d'une antenne après un changement.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CapaciteAntenne {
    pub antenne_id: i32,
    pub gestionnaire_id: i32,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub disponibles: i32,
}

fn check_max(value: Option<i32>, errors: &mut Vec<(String, String)>) -> Option<i32> {
    match value {
        Some(n) if (0..=MESURES_MAX_LIMITE).contains(&n) => Some(n),
        Some(_) => {
            errors.push(("mesures_max".into(), format!("Le nombre de mesures souhaitées est compris entre 0 et {MESURES_MAX_LIMITE}.")));
            None
        }
        None => {
            errors.push(("mesures_max".into(), "Indiquez le nombre de mesures souhaitées.".into()));
            None
        }
    }
}

/// A capacity change that passed its own checks: (mesures_max, motif when suspended).
impl DemandeCapacite {
    pub fn validate(&self) -> Result<(i32, Option<String>), AppError> {
        let mut errors = Vec::new();
        let max = check_max(self.mesures_max, &mut errors);
        let motif = self.motif_suspension.as_deref().map(str::trim).filter(|m| !m.is_empty()).map(str::to_string);
        match &motif {
            None if self.suspendu => {
                errors.push(("motif_suspension".into(), "Indiquez pourquoi vous suspendez la réception de mesures.".into()))
            }
            Some(m) if m.chars().count() > MOTIF_MAX => {
                errors.push(("motif_suspension".into(), format!("Le motif compte au plus {MOTIF_MAX} caractères.")))
            }
            _ => {}
        }
        match max {
            Some(max) if errors.is_empty() => Ok((max, motif.filter(|_| self.suspendu))),
            _ => Err(AppError::Champs(errors)),
        }
    }
}

impl DemandeCapaciteAntenne {
    pub fn validate(&self) -> Result<i32, AppError> {
        let mut errors = Vec::new();
        check_max(self.mesures_max, &mut errors).ok_or(AppError::Champs(errors))
    }
}

/// "Σ antennes ≤ service": the message when a change would break it.
pub fn over_service_capacity(service_max: i32, antennes_total: i64) -> Option<String> {
    (antennes_total > i64::from(service_max)).then(|| {
        format!(
            "Les antennes totaliseraient {antennes_total} mesures souhaitées, plus que la capacité du service ({service_max}) : \
             augmentez d'abord la capacité du service ou réduisez celle d'une autre antenne."
        )
    })
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::guard::{Caller, Scope};
    use crate::audit::AuditEvent;
    use crate::db::entities::{antennes, gestionnaires};
    use crate::rules::capacity::disponibles;
    use sea_orm::sea_query::Expr;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
    };

    impl From<gestionnaires::Model> for Capacite {
        fn from(g: gestionnaires::Model) -> Self {
            Capacite {
                gestionnaire_id: g.id,
                mesures_max: g.mesures_max,
                en_cours: g.en_cours,
                en_attente: g.en_attente,
                disponibles: disponibles(g.mesures_max, g.en_cours, g.en_attente, g.suspendu),
                suspendu: g.suspendu,
                motif_suspension: g.motif_suspension,
                derniere_mise_a_jour: g.derniere_mise_a_jour.to_rfc3339(),
            }
        }
    }

    /// What the capacity page shows: the caller's capacity, its antennes' and
    /// whether it may change them.
    pub async fn page(db: &DatabaseConnection, caller: &Caller) -> Result<crate::professionals::capacite_page::PageCapacite, AppError> {
        use crate::professionals::capacite_page::{LigneCapaciteAntenne, PageCapacite};
        use sea_orm::QueryOrder;
        let capacite = read(db, caller).await?;
        let antennes = antennes::Entity::find()
            .filter(antennes::Column::GestionnaireId.eq(capacite.gestionnaire_id))
            .order_by_asc(antennes::Column::Nom)
            .all(db)
            .await?
            .into_iter()
            .map(|a| LigneCapaciteAntenne {
                id: a.id,
                nom: a.nom,
                mesures_max: a.mesures_max,
                en_cours: a.en_cours,
                en_attente: a.en_attente,
            })
            .collect();
        Ok(PageCapacite { capacite, antennes, modifiable: may_edit(caller).is_ok() })
    }

    /// A service's capacity is the service admins' to change; an individuel's or
    /// a préposé's is its own.
    pub fn may_edit(caller: &Caller) -> Result<i32, AppError> {
        let gestionnaire_id = caller.gestionnaire_id()?;
        match caller.scope {
            Scope::Gestionnaire { service_admin: false, .. } if caller.role == crate::rules::roles::Role::Service => {
                Err(AppError::Interdit)
            }
            _ => Ok(gestionnaire_id),
        }
    }

    pub async fn read(db: &DatabaseConnection, caller: &Caller) -> Result<Capacite, AppError> {
        let gestionnaire_id = caller.gestionnaire_id()?;
        let g = gestionnaires::Entity::find_by_id(gestionnaire_id).one(db).await?.ok_or(AppError::Introuvable)?;
        Ok(g.into())
    }

    /// Σ of the service's antennes' capacities, leaving out `except`. A service
    /// has a handful of antennes: they are added up here, the same on both backends.
    pub(crate) async fn antennes_total(db: &impl ConnectionTrait, gestionnaire_id: i32, except: Option<i32>) -> Result<i64, AppError> {
        let capacities: Vec<i32> = antennes::Entity::find()
            .select_only()
            .column(antennes::Column::MesuresMax)
            .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
            .filter(antennes::Column::Id.ne(except.unwrap_or(-1)))
            .into_tuple()
            .all(db)
            .await?;
        Ok(capacities.into_iter().map(i64::from).sum())
    }

    /// Changes the caller's capacity and suspension. Touching the gestionnaire's
    /// row first locks it, so a concurrent antenne change waits and then sees it.
    pub async fn update(
        db: &DatabaseConnection,
        caller: &Caller,
        demande: &DemandeCapacite,
        ip: Option<String>,
    ) -> Result<Capacite, AppError> {
        let gestionnaire_id = may_edit(caller)?;
        let (mesures_max, motif) = demande.validate()?;
        let tx = crate::db::begin(db).await?;
        let now = chrono::Utc::now().fixed_offset();
        let touched = gestionnaires::Entity::update_many()
            .col_expr(gestionnaires::Column::DerniereMiseAJour, Expr::value(now))
            .filter(gestionnaires::Column::Id.eq(gestionnaire_id))
            .exec(&tx)
            .await?;
        if touched.rows_affected != 1 {
            return Err(AppError::Introuvable);
        }
        let g = gestionnaires::Entity::find_by_id(gestionnaire_id).one(&tx).await?.ok_or(AppError::Introuvable)?;
        if g.kind == "service" {
            if let Some(message) = over_service_capacity(mesures_max, antennes_total(&tx, gestionnaire_id, None).await?) {
                return Err(AppError::Champs(vec![("mesures_max".into(), message)]));
            }
        }
        let before = (g.mesures_max, g.suspendu);
        let mut row = g.into_active_model();
        row.mesures_max = Set(mesures_max);
        row.suspendu = Set(demande.suspendu);
        row.motif_suspension = Set(motif.clone());
        row.updated_at = Set(now);
        let g = row.update(&tx).await?;
        AuditEvent::by(caller, "gestionnaire.capacite")
            .target("gestionnaire", gestionnaire_id)
            .summary(format!(
                "mesures souhaitées {} → {}{}",
                before.0,
                mesures_max,
                match (before.1, demande.suspendu) {
                    (false, true) => format!(", suspendu : {}", motif.unwrap_or_default()),
                    (true, false) => ", reprise".to_string(),
                    _ => String::new(),
                }
            ))
            .ip(ip)
            .record(&tx)
            .await;
        crate::usage::record(&tx, caller, crate::usage::Action::Capacite).await?;
        tx.commit().await?;
        Ok(g.into())
    }

    /// "Confirmer mes chiffres": the professional says its figures are right
    /// without changing them; they become fresh for the judges (the service's
    /// and all its antennes' for a service). Audited.
    pub async fn confirm(db: &DatabaseConnection, caller: &Caller, ip: Option<String>) -> Result<Capacite, AppError> {
        let gestionnaire_id = may_edit(caller)?;
        let tx = crate::db::begin(db).await?;
        let now = chrono::Utc::now().fixed_offset();
        let touched = gestionnaires::Entity::update_many()
            .col_expr(gestionnaires::Column::DerniereMiseAJour, Expr::value(now))
            .filter(gestionnaires::Column::Id.eq(gestionnaire_id))
            .exec(&tx)
            .await?;
        if touched.rows_affected != 1 {
            return Err(AppError::Introuvable);
        }
        antennes::Entity::update_many()
            .col_expr(antennes::Column::DerniereMiseAJour, Expr::value(now))
            .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
            .exec(&tx)
            .await?;
        let g = gestionnaires::Entity::find_by_id(gestionnaire_id).one(&tx).await?.ok_or(AppError::Introuvable)?;
        AuditEvent::by(caller, "gestionnaire.chiffres_confirmes")
            .target("gestionnaire", gestionnaire_id)
            .summary(format!("chiffres confirmés : {} en cours, {} en attente, {} souhaitées", g.en_cours, g.en_attente, g.mesures_max))
            .ip(ip)
            .record(&tx)
            .await;
        crate::usage::record(&tx, caller, crate::usage::Action::Capacite).await?;
        tx.commit().await?;
        Ok(g.into())
    }

    /// Changes one antenne's capacity (a service admin, its own antennes only).
    pub async fn update_antenne(
        db: &DatabaseConnection,
        caller: &Caller,
        antenne_id: i32,
        demande: &DemandeCapaciteAntenne,
        ip: Option<String>,
    ) -> Result<CapaciteAntenne, AppError> {
        let gestionnaire_id = caller.gestionnaire_id()?;
        let antenne = antennes::Entity::find_by_id(antenne_id)
            .filter(antennes::Column::GestionnaireId.eq(gestionnaire_id))
            .one(db)
            .await?
            .ok_or(AppError::Introuvable)?;
        may_edit(caller)?;
        let mesures_max = demande.validate()?;
        let tx = crate::db::begin(db).await?;
        let now = chrono::Utc::now().fixed_offset();
        // The service's row first: its lock orders concurrent antenne changes.
        gestionnaires::Entity::update_many()
            .col_expr(gestionnaires::Column::DerniereMiseAJour, Expr::value(now))
            .filter(gestionnaires::Column::Id.eq(gestionnaire_id))
            .exec(&tx)
            .await?;
        let service = gestionnaires::Entity::find_by_id(gestionnaire_id).one(&tx).await?.ok_or(AppError::Introuvable)?;
        let others = antennes_total(&tx, gestionnaire_id, Some(antenne_id)).await?;
        if let Some(message) = over_service_capacity(service.mesures_max, others + i64::from(mesures_max)) {
            return Err(AppError::Champs(vec![("mesures_max".into(), message)]));
        }
        let before = antenne.mesures_max;
        let mut row = antenne.into_active_model();
        row.mesures_max = Set(mesures_max);
        row.derniere_mise_a_jour = Set(now);
        row.updated_at = Set(now);
        let a = row.update(&tx).await?;
        AuditEvent::by(caller, "antenne.capacite")
            .target("antenne", antenne_id)
            .summary(format!("mesures souhaitées {before} → {mesures_max}"))
            .ip(ip)
            .record(&tx)
            .await;
        crate::usage::record(&tx, caller, crate::usage::Action::Capacite).await?;
        tx.commit().await?;
        Ok(CapaciteAntenne {
            antenne_id: a.id,
            gestionnaire_id,
            mesures_max: a.mesures_max,
            en_cours: a.en_cours,
            en_attente: a.en_attente,
            disponibles: disponibles(a.mesures_max, a.en_cours, a.en_attente, service.suspendu),
        })
    }
}

#[cfg(feature = "ssr")]
pub(crate) use server::antennes_total;
#[cfg(feature = "ssr")]
pub use server::{confirm, may_edit, page, read, update, update_antenne};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suspension_needs_a_reason() {
        let d = DemandeCapacite { mesures_max: Some(30), suspendu: true, motif_suspension: Some("  ".into()) };
        assert!(matches!(d.validate(), Err(AppError::Champs(f)) if f[0].0 == "motif_suspension"));
        let d = DemandeCapacite { mesures_max: Some(30), suspendu: true, motif_suspension: Some("Congé".into()) };
        assert_eq!(d.validate(), Ok((30, Some("Congé".into()))));
        let d = DemandeCapacite { mesures_max: Some(30), suspendu: false, motif_suspension: Some("Congé".into()) };
        assert_eq!(d.validate(), Ok((30, None)), "resuming clears the reason");
    }

    #[test]
    fn capacity_stays_within_bounds() {
        for bad in [None, Some(-1), Some(MESURES_MAX_LIMITE + 1)] {
            let d = DemandeCapacite { mesures_max: bad, ..Default::default() };
            assert!(matches!(d.validate(), Err(AppError::Champs(f)) if f[0].0 == "mesures_max"), "{bad:?}");
            assert!(DemandeCapaciteAntenne { mesures_max: bad }.validate().is_err());
        }
        assert_eq!(DemandeCapaciteAntenne { mesures_max: Some(0) }.validate(), Ok(0));
    }

    #[test]
    fn antennes_never_exceed_their_service() {
        assert_eq!(over_service_capacity(100, 100), None);
        assert!(over_service_capacity(100, 101).expect("refus").contains("101"));
    }
}
