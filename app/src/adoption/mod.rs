//! The adoption funnel: of the accounts of a territory and role, how many
//! asked for an account, were validated, signed in once, did their first
//! useful action, and are active (a useful action in the last 30 days). Read
//! from the accounts and the recorded usage (`usage`) only, in one query for
//! every step and département — never one per person.
//!
//! A first useful action depends on the role: a judge or greffier's first
//! reservation; a professional's capacity declared **and** first reservation
//! accepted; a direction's first visit of its figures. The invitations step
//! comes with the invitations (not built yet).

use serde::{Deserialize, Serialize};

/// The steps, in order: (code, label).
pub const ETAPES: [(&str, &str); 5] = [
    ("compte_demande", "Comptes demandés"),
    ("valide", "Validés"),
    ("premiere_connexion", "Première connexion"),
    ("premiere_action", "Première action utile"),
    ("actif", "Actifs (action utile ces 30 derniers jours)"),
];

/// How long after a useful action a person counts as active.
pub const ACTIF_JOURS: i64 = 30;

/// One step of the funnel.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtapeEntonnoir {
    /// `compte_demande`, `valide`, `premiere_connexion`, `premiere_action` ou `actif`.
    pub etape: String,
    pub nombre: i64,
}

/// The counts of every step, in the order of [`ETAPES`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comptes(pub [i64; 5]);

impl Comptes {
    pub fn add(&mut self, other: &Comptes) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    pub fn etapes(&self) -> Vec<EtapeEntonnoir> {
        ETAPES.iter().zip(self.0).map(|((code, _), nombre)| EtapeEntonnoir { etape: code.to_string(), nombre }).collect()
    }
}

/// The conversion from one step to the next, in whole percent ("—" when the
/// previous step is empty).
pub fn conversion(avant: i64, apres: i64) -> String {
    if avant <= 0 {
        "—".to_string()
    } else {
        format!("{} %", (apres * 100 + avant / 2) / avant)
    }
}

/// Which accounts a funnel counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Perimetre {
    /// A role's code; every role but the administrators' when none.
    pub role: Option<String>,
    /// Accounts created from this day (Paris), included.
    pub du: Option<chrono::NaiveDate>,
    /// Accounts created until this day (Paris), included.
    pub au: Option<chrono::NaiveDate>,
}

#[cfg(feature = "ssr")]
pub use service::par_departement;

#[cfg(feature = "ssr")]
mod service {
    use super::{Comptes, Perimetre, ACTIF_JOURS};
    use crate::errors::AppError;
    use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
    use std::collections::HashMap;

    /// The funnel of every département (key: its code; `None` for the accounts
    /// attached to no département: a regional or national direction), in one
    /// query.
    pub async fn par_departement(db: &impl ConnectionTrait, perimetre: &Perimetre) -> Result<HashMap<Option<String>, Comptes>, AppError> {
        let backend = db.get_database_backend();
        let mut values: Vec<Value> = Vec::new();
        let mut p = |value: Value| {
            values.push(value);
            if backend == DbBackend::Postgres {
                format!("${}", values.len())
            } else {
                format!("?{}", values.len())
            }
        };
        let actif_depuis = p((chrono::Utc::now() - chrono::Duration::days(ACTIF_JOURS)).fixed_offset().into());
        let mut filtres = String::new();
        if let Some(role) = &perimetre.role {
            filtres.push_str(&format!(" AND u.role = {}", p(role.clone().into())));
        }
        if let Some(du) = perimetre.du {
            filtres.push_str(&format!(" AND u.created_at >= {}", p(crate::rules::heure::minuit_a_paris(du).into())));
        }
        if let Some(au) = perimetre.au.and_then(|au| au.succ_opt()) {
            filtres.push_str(&format!(" AND u.created_at < {}", p(crate::rules::heure::minuit_a_paris(au).into())));
        }
        let fait = |actions: &str, depuis: Option<&str>| {
            let quand = depuis.map(|d| format!(" AND a.at >= {d}")).unwrap_or_default();
            format!("EXISTS (SELECT 1 FROM usages a WHERE a.user_id = c.id AND a.action IN ({actions}){quand})")
        };
        // The first useful action of each role, and being active: past the
        // first useful action, one of the role's useful actions in the last 30
        // days (a funnel: each step counts people of the step before).
        let utile = format!(
            "CASE WHEN c.role IN ('magistrat', 'greffier') THEN {} \
                  WHEN c.role IN ('individuel', 'prepose', 'service') THEN {} AND {} \
                  WHEN c.role = 'direction' THEN {} ELSE false END",
            fait("'reservation'", None),
            fait("'capacite'", None),
            fait("'acceptation'", None),
            fait("'visite_chiffres'", None),
        );
        let actif = format!(
            "CASE WHEN c.role IN ('magistrat', 'greffier') THEN {} \
                  WHEN c.role IN ('individuel', 'prepose', 'service') THEN {} \
                  WHEN c.role = 'direction' THEN {} ELSE false END",
            fait("'reservation'", Some(&actif_depuis)),
            fait("'capacite', 'acceptation'", Some(&actif_depuis)),
            fait("'visite_chiffres'", Some(&actif_depuis)),
        );
        let sql = format!(
            "WITH c AS ( \
               SELECT u.id, u.role, u.last_login_at, \
                      COALESCE(t.departement_code, g.departement_code, d.departement_code) AS departement, \
                      CASE WHEN EXISTS (SELECT 1 FROM inscriptions i WHERE i.user_id = u.id) THEN 0 ELSE 1 END AS valide \
               FROM users u \
               LEFT JOIN magistrats m ON m.user_id = u.id \
               LEFT JOIN greffiers gr ON gr.user_id = u.id \
               LEFT JOIN tribunaux t ON t.id = COALESCE(m.tribunal_id, gr.tribunal_id) \
               LEFT JOIN gestionnaire_membres gm ON gm.user_id = u.id \
               LEFT JOIN gestionnaires g ON g.id = gm.gestionnaire_id \
               LEFT JOIN directions d ON d.user_id = u.id \
               WHERE u.role <> 'admin'{filtres}) \
             SELECT c.departement, COUNT(*) AS demandes, \
                    SUM(c.valide) AS valides, \
                    SUM(CASE WHEN c.valide = 1 AND (c.last_login_at IS NOT NULL OR {connexion}) THEN 1 ELSE 0 END) AS connectes, \
                    SUM(CASE WHEN c.valide = 1 AND ({utile}) THEN 1 ELSE 0 END) AS utiles, \
                    SUM(CASE WHEN c.valide = 1 AND ({utile}) AND ({actif}) THEN 1 ELSE 0 END) AS actifs \
             FROM c GROUP BY c.departement",
            connexion = fait("'connexion'", None),
        );
        let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
        let mut out = HashMap::new();
        for row in rows {
            let n = |column: &str| row.try_get::<Option<i64>>("", column).map(Option::unwrap_or_default);
            let departement: Option<String> = row.try_get("", "departement")?;
            out.insert(departement, Comptes([n("demandes")?, n("valides")?, n("connectes")?, n("utiles")?, n("actifs")?]));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_are_rounded_percentages_and_an_empty_step_says_so() {
        assert_eq!(conversion(3, 2), "67 %");
        assert_eq!(conversion(0, 0), "—");
        let mut total = Comptes([4, 3, 2, 1, 1]);
        total.add(&Comptes([1, 1, 1, 1, 0]));
        assert_eq!(total.etapes().iter().map(|e| e.nombre).collect::<Vec<_>>(), [5, 4, 3, 2, 1]);
        assert_eq!(total.etapes()[0].etape, "compte_demande");
    }
}
