//! The adoption funnel: of the accounts of a territory and role, how many
//! asked for an account, were validated, signed in once, did their first
//! useful action, and are active (a useful action in the last 30 days). Read
//! from the accounts and the recorded usage (`usage`) only, in one query for
//! every step and département — never one per person.
//!
//! A first useful action depends on the role: a judge or greffier's first
//! reservation; a professional's capacity declared **and** first reservation
//! accepted; a direction's first visit of its figures. The first step counts
//! the invitations the team sent (`invitations`): the accounts asked for
//! include people who signed up without one, so that step's conversion says
//! how the territory's sign-ups compare with its invitations.

use serde::{Deserialize, Serialize};

/// The steps, in order: (code, label).
pub const ETAPES: [(&str, &str); 6] = [
    ("invite", "Invités"),
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
    /// `invite`, `compte_demande`, `valide`, `premiere_connexion`, `premiere_action` ou `actif`.
    pub etape: String,
    pub nombre: i64,
}

/// The counts of every step, in the order of [`ETAPES`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comptes(pub [i64; 6]);

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
pub mod api;
pub mod page;

/// The answer of `GET /api/v1/adoption`: the funnel of a territory and role.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Adoption {
    /// Le territoire demandé, en clair (« 59 — Nord », « Région Hauts-de-France », « France entière »).
    pub territoire: String,
    /// Le rôle compté, s'il est choisi.
    pub role: Option<String>,
    /// Les étapes, dans l'ordre.
    pub etapes: Vec<EtapeEntonnoir>,
    /// Les cohortes hebdomadaires : des personnes validées chaque semaine, combien ont fait une
    /// action utile chacune des 12 semaines suivantes.
    pub cohortes: Vec<Cohorte>,
}

/// How many weekly cohorts are shown, and how many weeks each is followed.
pub const COHORTES: usize = 12;
pub const SEMAINES_SUIVIES: usize = 12;

/// The people validated in one week, and their activity in the weeks after.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohorte {
    /// Lundi de la semaine de validation (AAAA-MM-JJ).
    pub semaine: String,
    /// Personnes validées cette semaine-là.
    pub valides: i64,
    /// Pour chacune des 12 semaines suivantes, combien ont fait une action utile ; absent pour une
    /// semaine pas encore terminée.
    pub actifs: Vec<Option<i64>>,
}

/// A cohort's share active in a week, in whole percent.
pub fn part(actifs: i64, valides: i64) -> Option<i64> {
    (valides > 0).then(|| (actifs * 100 + valides / 2) / valides)
}

/// The filters of an adoption funnel (query string of `/direction/adoption`
/// and `GET /api/v1/adoption`).
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FiltresAdoption {
    /// Code d'un département (`59`) ou d'une région précédé de `r-` (`r-32`) ; absent : tout le
    /// territoire de l'appelant (la France entière pour l'équipe e-MJPM).
    pub territoire: Option<String>,
    /// Code d'un rôle (`magistrat`, `greffier`, `individuel`, `prepose`, `service`, `direction`).
    pub role: Option<String>,
    /// Comptes créés à partir de ce jour (AAAA-MM-JJ, inclus).
    pub du: Option<String>,
    /// Comptes créés jusqu'à ce jour (AAAA-MM-JJ, inclus).
    pub au: Option<String>,
}

#[cfg(feature = "ssr")]
pub use service::{funnel, par_departement, ACTION_UTILE, COMPTES, DERNIERES_ACTIONS, DERNIERE_ACTION_UTILE};

#[cfg(feature = "ssr")]
mod service {
    use super::{Adoption, Cohorte, Comptes, FiltresAdoption, Perimetre, ACTIF_JOURS, COHORTES, SEMAINES_SUIVIES};
    use crate::accounts::guard::{Caller, Scope, Territoire};
    use crate::db::entities::{departements, regions};
    use crate::db::{parametre, Parametres};
    use crate::errors::AppError;
    use crate::rules::roles::Role;
    use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement, Value};
    use std::collections::HashMap;

    /// What a funnel or a cohort table counts, as the caller may ask it.
    struct Portee {
        libelle: String,
        /// The départements counted (None: every account, wherever attached).
        dedans: Option<Vec<String>>,
        perimetre: Perimetre,
    }

    impl Portee {
        fn compte(&self, departement: &Option<String>) -> bool {
            match (&self.dedans, departement) {
                (None, _) => true,
                (Some(list), Some(d)) => list.contains(d),
                (Some(_), None) => false,
            }
        }
    }

    /// Reads the filters: the team any territory, a direction its own only
    /// (403 for another; its own when none is asked), nobody else.
    async fn portee(db: &impl ConnectionTrait, caller: &Caller, filtres: &FiltresAdoption) -> Result<Portee, AppError> {
        caller.require(&Role::PILOTAGE)?;
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let role = given(&filtres.role);
        if let Some(role) = &role {
            if Role::parse(role).is_none_or(|r| r == Role::Admin) {
                return Err(AppError::Invalide(format!("Rôle inconnu : « {role} ».")));
            }
        }
        let du = crate::rules::heure::jour_filtre(filtres.du.as_deref(), "du")?;
        let au = crate::rules::heure::jour_filtre(filtres.au.as_deref(), "au")?;
        let perimetre = Perimetre { role, du, au };
        let propre = match &caller.scope {
            Scope::Territoire(Territoire::Departement(d)) => Some(d.clone()),
            Scope::Territoire(Territoire::Region(r)) => Some(format!("r-{r}")),
            _ => None,
        };
        let territoire = given(&filtres.territoire).or(propre);
        let departements: Vec<departements::Model> = departements::Entity::find().all(db).await?;
        let region_of = |code: &str| departements.iter().find(|d| d.code == code).map(|d| d.region_code.clone());
        let (libelle, dedans): (String, Option<Vec<String>>) = match territoire.as_deref() {
            None => ("France entière".to_string(), None),
            Some(t) => match t.strip_prefix("r-") {
                Some(region) => {
                    let nom = regions::Entity::find_by_id(region.to_string())
                        .one(db)
                        .await?
                        .ok_or_else(|| AppError::Invalide(format!("Région inconnue : « {region} ».")))?;
                    (
                        format!("Région {}", nom.nom),
                        Some(departements.iter().filter(|d| d.region_code == region).map(|d| d.code.clone()).collect()),
                    )
                }
                None => {
                    let d = departements
                        .iter()
                        .find(|d| d.code == t)
                        .ok_or_else(|| AppError::Invalide(format!("Département inconnu : « {t} ».")))?;
                    (format!("{} — {}", d.code, d.nom), Some(vec![d.code.clone()]))
                }
            },
        };
        if let Scope::Territoire(sien) = &caller.scope {
            let permis = match (sien, territoire.as_deref()) {
                (Territoire::National, _) => true,
                (_, None) => false,
                (Territoire::Departement(d), Some(t)) => t == d,
                (Territoire::Region(r), Some(t)) => t == format!("r-{r}") || region_of(t).as_deref() == Some(r.as_str()),
            };
            if !permis {
                return Err(AppError::Interdit);
            }
        }
        Ok(Portee { libelle, dedans, perimetre })
    }

    /// The funnel and the weekly cohorts of a territory and role (see
    /// [`portee`] for who may ask what). Counts, never people.
    #[tracing::instrument(skip_all, err)]
    pub async fn funnel(db: &impl ConnectionTrait, caller: &Caller, filtres: &FiltresAdoption) -> Result<Adoption, AppError> {
        let portee = portee(db, caller, filtres).await?;
        let mut total = Comptes::default();
        for (departement, comptes) in par_departement(db, &portee.perimetre).await? {
            if portee.compte(&departement) {
                total.add(&comptes);
            }
        }
        let cohortes = cohortes(db, &portee, chrono::Utc::now()).await?;
        Ok(Adoption { territoire: portee.libelle, role: portee.perimetre.role, etapes: total.etapes(), cohortes })
    }

    /// The accounts (but the team's) with their département — from their
    /// tribunal, their professional or their direction: the one place that
    /// says where an account belongs — whether validated, and when. Read as
    /// `WITH c AS (…)` by the funnel, the cohorts, the users to rescue and the
    /// rollout console.
    pub const COMPTES: &str = "SELECT u.id, u.prenom, u.nom, u.email, u.role, u.active, u.last_login_at, u.valide_at, u.created_at, \
                      COALESCE(t.departement_code, g.departement_code, d.departement_code) AS departement, \
                      CASE WHEN EXISTS (SELECT 1 FROM inscriptions i WHERE i.user_id = u.id) THEN 0 ELSE 1 END AS valide \
               FROM users u \
               LEFT JOIN magistrats m ON m.user_id = u.id \
               LEFT JOIN greffiers gr ON gr.user_id = u.id \
               LEFT JOIN tribunaux t ON t.id = COALESCE(m.tribunal_id, gr.tribunal_id) \
               LEFT JOIN gestionnaire_membres gm ON gm.user_id = u.id \
               LEFT JOIN gestionnaires g ON g.id = gm.gestionnaire_id \
               LEFT JOIN directions d ON d.user_id = u.id \
               WHERE u.role <> 'admin'";

    /// A useful action of its account's role (usage row `a`, account `c`).
    pub const ACTION_UTILE: &str = "((c.role IN ('magistrat', 'greffier') AND a.action = 'reservation') \
        OR (c.role IN ('individuel', 'prepose', 'service') AND a.action IN ('capacite', 'acceptation')) \
        OR (c.role = 'direction' AND a.action = 'visite_chiffres'))";

    /// Each account's last time of every action the funnel and the quiet
    /// users read (null: never), one row per account, from the actions by
    /// week: read as `LEFT JOIN (…) f ON f.user_id = c.id`. One grouped scan
    /// of a small table instead of one lookup per account and step (on
    /// PostgreSQL, fifteen hashed subplans each scanning the table).
    pub const DERNIERES_ACTIONS: &str = "SELECT user_id, \
        MAX(CASE WHEN action = 'reservation' THEN derniere_at END) AS reservation, \
        MAX(CASE WHEN action = 'capacite' THEN derniere_at END) AS capacite, \
        MAX(CASE WHEN action = 'acceptation' THEN derniere_at END) AS acceptation, \
        MAX(CASE WHEN action = 'visite_chiffres' THEN derniere_at END) AS visite_chiffres, \
        MAX(CASE WHEN action = 'connexion' THEN derniere_at END) AS connexion \
        FROM actions_semaine WHERE action IN ('reservation', 'capacite', 'acceptation', 'visite_chiffres', 'connexion') \
        GROUP BY user_id";

    /// The last useful action of account `c`'s role (null: none), from
    /// [`DERNIERES_ACTIONS`] joined as `f` — the same actions as
    /// [`ACTION_UTILE`].
    pub const DERNIERE_ACTION_UTILE: &str = "(CASE WHEN c.role IN ('magistrat', 'greffier') THEN f.reservation \
        WHEN c.role IN ('individuel', 'prepose', 'service') THEN \
          (CASE WHEN f.capacite IS NULL OR f.acceptation > f.capacite THEN f.acceptation ELSE f.capacite END) \
        WHEN c.role = 'direction' THEN f.visite_chiffres END)";

    /// Of the people validated in each of the last [`COHORTES`] weeks
    /// (Monday to Sunday, UTC), how many did a useful action in each of the
    /// [`SEMAINES_SUIVIES`] weeks after: two queries (sizes, activity).
    async fn cohortes(db: &impl ConnectionTrait, portee: &Portee, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<Cohorte>, AppError> {
        use chrono::Duration;
        let backend = db.get_database_backend();
        let debut = crate::usage::lundi(now.date_naive()) - Duration::weeks(COHORTES as i64 - 1);
        let debut_at = debut.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().fixed_offset();
        let p = |i: usize| parametre(backend, i);
        let semaine = |colonne: &str| match backend {
            DbBackend::Postgres => format!("FLOOR(EXTRACT(EPOCH FROM ({colonne} - {})) / 604800)::bigint", p(1)),
            // Never negative here (from the first cohort's Monday on): the
            // cast's truncation is the floor (SQLite has no FLOOR by default).
            _ => format!("CAST((julianday({colonne}) - julianday({})) / 7 AS INTEGER)", p(1)),
        };
        // The first cohort's Monday as a date, and a week's index from its
        // Monday (a date: whole weeks from the first).
        let premier_lundi = match backend {
            DbBackend::Postgres => format!("CAST({} AT TIME ZONE 'UTC' AS date)", p(1)),
            _ => format!("date({})", p(1)),
        };
        let semaine_du_lundi = |colonne: &str| match backend {
            DbBackend::Postgres => format!("CAST(({colonne} - {premier_lundi}) / 7 AS bigint)"),
            _ => format!("CAST((julianday({colonne}) - julianday({premier_lundi})) / 7 AS INTEGER)"),
        };
        let mut filtres = String::new();
        let mut values: Vec<Value> = vec![debut_at.into()];
        if let Some(role) = &portee.perimetre.role {
            values.push(role.clone().into());
            filtres.push_str(&format!(" AND c.role = {}", p(values.len())));
        }
        let tailles = format!(
            "WITH c AS ({COMPTES}) SELECT {s} AS cohorte, c.departement, COUNT(*) AS n FROM c \
             WHERE c.valide = 1 AND c.valide_at >= {debut}{filtres} GROUP BY 1, 2",
            s = semaine("c.valide_at"),
            debut = p(1),
        );
        // Read from the actions by week (the weeks after the validation's
        // own are all after it: that week is not shown).
        let activite = format!(
            "WITH c AS ({COMPTES}) SELECT {s} AS cohorte, {w} AS semaine, c.departement, COUNT(DISTINCT c.id) AS n \
             FROM c JOIN actions_semaine a ON a.user_id = c.id \
             WHERE c.valide = 1 AND c.valide_at >= {debut} AND a.semaine >= {lundi} AND {ACTION_UTILE}{filtres} GROUP BY 1, 2, 3",
            s = semaine("c.valide_at"),
            w = semaine_du_lundi("a.semaine"),
            debut = p(1),
            lundi = premier_lundi,
        );
        // The index of the current week (not over yet).
        let semaines_ecoulees = (now.date_naive() - debut).num_days() / 7;
        let mut out: Vec<Cohorte> = (0..COHORTES)
            .map(|i| Cohorte {
                semaine: (debut + Duration::weeks(i as i64)).format("%Y-%m-%d").to_string(),
                valides: 0,
                // A week not over yet (or to come) has no figure.
                actifs: (1..=SEMAINES_SUIVIES).map(|k| (((i + k) as i64) < semaines_ecoulees).then_some(0)).collect(),
            })
            .collect();
        for row in db.query_all_raw(Statement::from_sql_and_values(backend, tailles, values.clone())).await? {
            let (cohorte, departement, n): (i64, Option<String>, i64) =
                (row.try_get("", "cohorte")?, row.try_get("", "departement")?, row.try_get("", "n")?);
            if let (Some(c), true) = (out.get_mut(cohorte as usize), portee.compte(&departement)) {
                c.valides += n;
            }
        }
        for row in db.query_all_raw(Statement::from_sql_and_values(backend, activite, values)).await? {
            let (cohorte, semaine, departement, n): (i64, i64, Option<String>, i64) =
                (row.try_get("", "cohorte")?, row.try_get("", "semaine")?, row.try_get("", "departement")?, row.try_get("", "n")?);
            let k = semaine - cohorte;
            if !portee.compte(&departement) || !(1..=SEMAINES_SUIVIES as i64).contains(&k) {
                continue;
            }
            if let Some(Some(cell)) = out.get_mut(cohorte as usize).and_then(|c| c.actifs.get_mut(k as usize - 1)) {
                *cell += n;
            }
        }
        Ok(out)
    }

    /// The funnel of every département (key: its code; `None` for the accounts
    /// attached to no département: a regional or national direction), in one
    /// query.
    pub async fn par_departement(db: &impl ConnectionTrait, perimetre: &Perimetre) -> Result<HashMap<Option<String>, Comptes>, AppError> {
        let backend = db.get_database_backend();
        let mut p = Parametres::new(backend);
        let actif_depuis = p.lier((chrono::Utc::now() - chrono::Duration::days(ACTIF_JOURS)).fixed_offset());
        let filtres = filtres_perimetre(&mut p, perimetre, "u.role", "u.created_at");
        // The first useful action of each role (a professional needs both its
        // capacity declared and a reservation accepted), and being active: past
        // the first useful action, one of the role's useful actions in the last
        // 30 days (a funnel: each step counts people of the step before).
        let utile = "CASE WHEN c.role IN ('magistrat', 'greffier') THEN f.reservation IS NOT NULL \
                  WHEN c.role IN ('individuel', 'prepose', 'service') THEN f.capacite IS NOT NULL AND f.acceptation IS NOT NULL \
                  WHEN c.role = 'direction' THEN f.visite_chiffres IS NOT NULL ELSE false END";
        let sql = format!(
            "WITH c AS ({COMPTES}{filtres}) \
             SELECT c.departement, COUNT(*) AS demandes, \
                    SUM(c.valide) AS valides, \
                    SUM(CASE WHEN c.valide = 1 AND (c.last_login_at IS NOT NULL OR f.connexion IS NOT NULL) THEN 1 ELSE 0 END) AS connectes, \
                    SUM(CASE WHEN c.valide = 1 AND ({utile}) THEN 1 ELSE 0 END) AS utiles, \
                    SUM(CASE WHEN c.valide = 1 AND ({utile}) AND {DERNIERE_ACTION_UTILE} >= {actif_depuis} THEN 1 ELSE 0 END) AS actifs \
             FROM c LEFT JOIN ({DERNIERES_ACTIONS}) f ON f.user_id = c.id GROUP BY c.departement",
        );
        let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, p.values)).await?;
        let mut out = HashMap::new();
        for row in rows {
            let n = |column: &str| row.try_get::<Option<i64>>("", column).map(Option::unwrap_or_default);
            let departement: Option<String> = row.try_get("", "departement")?;
            out.insert(departement, Comptes([0, n("demandes")?, n("valides")?, n("connectes")?, n("utiles")?, n("actifs")?]));
        }
        // The invitations sent, by the département they were imported for
        // (their role and sending day filtered as the accounts are).
        let mut p = Parametres::new(backend);
        let filtres = filtres_perimetre(&mut p, perimetre, "role", "envoyee_at");
        let sql = format!(
            "SELECT departement_code AS departement, COUNT(*) AS n FROM invitations WHERE envoyee_at IS NOT NULL{filtres} \
             GROUP BY departement_code"
        );
        for row in db.query_all_raw(Statement::from_sql_and_values(backend, sql, p.values)).await? {
            let departement: Option<String> = row.try_get("", "departement")?;
            out.entry(departement).or_default().0[0] = row.try_get::<i64>("", "n")?;
        }
        Ok(out)
    }

    /// The perimeter's role and creation days as SQL conditions on the columns
    /// named (` AND …` each), their values bound in `p`.
    fn filtres_perimetre(p: &mut Parametres, perimetre: &Perimetre, role: &str, quand: &str) -> String {
        let mut filtres = String::new();
        if let Some(code) = &perimetre.role {
            filtres.push_str(&format!(" AND {role} = {}", p.lier(code.clone())));
        }
        if let Some(du) = perimetre.du {
            filtres.push_str(&format!(" AND {quand} >= {}", p.lier(crate::rules::heure::minuit_a_paris(du))));
        }
        if let Some(au) = perimetre.au {
            filtres.push_str(&format!(" AND {quand} < {}", p.lier(crate::rules::heure::fin_du_jour_a_paris(au))));
        }
        filtres
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_are_rounded_percentages_and_an_empty_step_says_so() {
        assert_eq!(conversion(3, 2), "67 %");
        assert_eq!(conversion(0, 0), "—");
        let mut total = Comptes([5, 4, 3, 2, 1, 1]);
        total.add(&Comptes([0, 1, 1, 1, 1, 0]));
        assert_eq!(total.etapes().iter().map(|e| e.nombre).collect::<Vec<_>>(), [5, 5, 4, 3, 2, 1]);
        assert_eq!(total.etapes()[0].etape, "invite");
    }
}
