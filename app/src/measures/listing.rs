//! Lists of measures, scoped by the caller's session: a professional sees its own,
//! a judge or greffier its tribunal's, an admin all. Pending ones come first,
//! urgent ones first among them. Used by `GET /api/v1/mesures` and the pages.

use super::Mesure;
use crate::errors::AppError;
use crate::rules::vocabulary::{NATURES, STATUTS};
use crate::search::criteria::{invalid, one_of, positive_integer, present, PAR_PAGE_DEFAUT, PAR_PAGE_MAX};
use serde::{Deserialize, Serialize};

/// The filters of a list of measures, as typed in the URL.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FiltresMesures {
    /// `en_attente`, `en_cours` or `eteinte`.
    pub statut: Option<String>,
    /// A nature code.
    pub nature: Option<String>,
    /// An antenne of the caller's service.
    pub antenne: Option<String>,
    /// Numéro RG (or part of it), or the name of the commune where the person lives.
    pub q: Option<String>,
    /// The cabinet of the tribunal (exact).
    pub cabinet: Option<String>,
    /// Who reserved it: a user id (the tribunal's judges and greffiers).
    pub reservee_par: Option<String>,
    /// Who took it: a gestionnaire id.
    pub gestionnaire: Option<String>,
    /// The département where the protected person lives (`59`, `2A`, `974`).
    pub departement: Option<String>,
    /// Reserved on or after this day (`AAAA-MM-JJ`).
    pub du: Option<String>,
    /// Reserved on or before this day (`AAAA-MM-JJ`).
    pub au: Option<String>,
    /// `statut` (en attente d'abord, urgentes en tête ; défaut des mandataires), `recent` (dernières réservées ou
    /// nommées ; défaut des tribunaux) or `rg`.
    pub tri: Option<String>,
    /// Page number, from 1.
    pub page: Option<String>,
    /// Results per page (≤ 100).
    pub par_page: Option<String>,
}

/// The order of a list of measures. None chosen: a tribunal sees its latest
/// reservations first (the one just made is on top; urgent ones carry a badge),
/// a professional what waits for its answer first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriMesures {
    /// Pending first (urgent ones first among them), then in progress, then closed.
    Statut,
    /// Latest reserved (or appointed, for a measure recorded directly) first.
    Recent,
    /// By numéro RG.
    Rg,
}

pub const TRIS_MESURES: [crate::rules::vocabulary::Term; 3] =
    [("statut", "En attente d'abord"), ("recent", "Les plus récentes"), ("rg", "Numéro RG")];

fn identifier(parameter: &str, value: &Option<String>) -> Result<Option<i32>, AppError> {
    match present(value) {
        None => Ok(None),
        Some(v) => v.parse::<i32>().map(Some).map_err(|_| invalid(parameter, format!("« {v} » n'est pas un identifiant"))),
    }
}

fn day(parameter: &str, value: &Option<String>) -> Result<Option<chrono::NaiveDate>, AppError> {
    match present(value) {
        None => Ok(None),
        Some(v) => crate::rules::heure::jour_saisi(v)
            .map(Some)
            .ok_or_else(|| invalid(parameter, format!("« {v} » n'est pas une date ({})", crate::rules::heure::FORMAT_DATE))),
    }
}

/// The filters once checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CriteresMesures {
    pub statut: Option<String>,
    pub nature: Option<String>,
    pub antenne: Option<i32>,
    pub q: Option<String>,
    pub cabinet: Option<String>,
    pub reservee_par: Option<i32>,
    pub gestionnaire: Option<i32>,
    pub departement: Option<String>,
    pub du: Option<chrono::NaiveDate>,
    pub au: Option<chrono::NaiveDate>,
    /// None: the caller's default (`TriMesures::default_for`).
    pub tri: Option<TriMesures>,
    pub page: u32,
    pub par_page: u32,
}

impl FiltresMesures {
    pub fn validate(&self) -> Result<CriteresMesures, AppError> {
        let q = present(&self.q).map(str::to_string);
        if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
            return Err(invalid("q", "100 caractères au plus"));
        }
        let cabinet = present(&self.cabinet).map(str::to_string);
        if cabinet.as_ref().is_some_and(|c| c.chars().count() > crate::measures::reservation::CABINET_MAX) {
            return Err(invalid("cabinet", "32 caractères au plus"));
        }
        let departement = match present(&self.departement) {
            None => None,
            Some(code) if (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()) => {
                Some(code.to_ascii_uppercase())
            }
            Some(v) => return Err(invalid("departement", format!("« {v} » n'est pas un code de département (59, 2A, 974…)"))),
        };
        let (du, au) = (day("du", &self.du)?, day("au", &self.au)?);
        if let (Some(du), Some(au)) = (du, au) {
            if du > au {
                return Err(invalid("au", "la fin de la période précède son début"));
            }
        }
        let tri = match present(&self.tri) {
            None => None,
            Some("statut") => Some(TriMesures::Statut),
            Some("recent") => Some(TriMesures::Recent),
            Some("rg") => Some(TriMesures::Rg),
            Some(v) => return Err(invalid("tri", format!("valeur « {v} » inconnue (attendu : statut, recent ou rg)"))),
        };
        Ok(CriteresMesures {
            statut: one_of("statut", present(&self.statut), &STATUTS)?,
            nature: one_of("nature", present(&self.nature), &NATURES)?,
            antenne: identifier("antenne", &self.antenne)?,
            q,
            cabinet,
            reservee_par: identifier("reservee_par", &self.reservee_par)?,
            gestionnaire: identifier("gestionnaire", &self.gestionnaire)?,
            departement,
            du,
            au,
            tri,
            page: positive_integer("page", present(&self.page), 1, 100_000)?,
            par_page: positive_integer("par_page", present(&self.par_page), PAR_PAGE_DEFAUT, PAR_PAGE_MAX)?,
        })
    }
}

/// A measure in a list, with the names a reader needs.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneMesure {
    #[serde(flatten)]
    pub mesure: Mesure,
    /// The professional's display name.
    pub gestionnaire: String,
    /// The tribunal's name.
    pub tribunal: String,
    pub antenne: Option<String>,
    /// Where the person lives (commune name).
    pub ville: Option<String>,
    /// Who reserved it (tribunal side).
    pub reservee_par_nom: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageMesures {
    pub total: u64,
    pub page: u32,
    pub par_page: u32,
    pub resultats: Vec<LigneMesure>,
}

/// What a list's filters offer the caller: its tribunal's judges and greffiers
/// and the professionals its measures went to, or its service's antennes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChoixFiltres {
    pub reservants: Vec<(i32, String)>,
    pub gestionnaires: Vec<(i32, String)>,
    pub antennes: Vec<(i32, String)>,
}

/// One état of a measure's history.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EtatMesure {
    /// `AAAA-MM-JJ`.
    pub date_changement: String,
    pub nature: String,
    pub champ: Option<String>,
    pub lieu_vie: String,
    pub type_etablissement: Option<String>,
    pub commune: Option<String>,
    pub ville: Option<String>,
    pub pays: String,
}

/// One line of a measure's journal.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvenementMesure {
    /// RFC 3339.
    pub date: String,
    /// `reservee`, `acceptee`, `etat`, `cloturee`, `reactivee`, `annulee`…
    pub action: String,
    pub details: Option<String>,
}

/// A measure with its états (newest first) and its journal (newest first).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetailMesure {
    #[serde(flatten)]
    pub ligne: LigneMesure,
    pub etats: Vec<EtatMesure>,
    pub evenements: Vec<EvenementMesure>,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::guard::{Caller, Scope};
    use crate::db::entities::{antennes, communes, gestionnaires, mesure_etats, mesure_evenements, mesures, tribunaux, users};
    use crate::professionals::display_name;
    use crate::rules::geo::nom_recherche;
    use crate::rules::roles::Role;
    use crate::search::index::town_names;
    use sea_orm::sea_query::{Expr, Func, Query};
    use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
    use std::collections::{BTreeSet, HashMap};

    impl TriMesures {
        /// A tribunal's lists start with its latest reservations; the others
        /// with what waits for an answer.
        pub fn default_for(caller: &Caller) -> TriMesures {
            match caller.scope {
                Scope::Tribunal { .. } => TriMesures::Recent,
                _ => TriMesures::Statut,
            }
        }
    }

    /// The condition restricting measures to what the caller may see.
    pub fn scope_condition(caller: &Caller) -> Result<Condition, AppError> {
        Ok(match &caller.scope {
            Scope::Admin => Condition::all(),
            Scope::Gestionnaire { gestionnaire_id, .. } => Condition::all().add(mesures::Column::GestionnaireId.eq(*gestionnaire_id)),
            Scope::Tribunal { tribunal_id, .. } => Condition::all().add(mesures::Column::TribunalId.eq(*tribunal_id)),
            Scope::Territoire(_) => return Err(AppError::Interdit),
        })
    }

    pub async fn list(db: &impl ConnectionTrait, caller: &Caller, criteres: &CriteresMesures) -> Result<PageMesures, AppError> {
        caller.require(&Role::MESURES)?;
        let mut condition = scope_condition(caller)?;
        if let Some(statut) = &criteres.statut {
            condition = condition.add(mesures::Column::Statut.eq(statut.as_str()));
        }
        if let Some(nature) = &criteres.nature {
            condition = condition.add(mesures::Column::Nature.eq(nature.as_str()));
        }
        if let Some(antenne) = criteres.antenne {
            condition = condition.add(mesures::Column::AntenneId.eq(antenne));
        }
        if let Some(q) = &criteres.q {
            let rg = q.trim().to_uppercase().replace(['/', ' ', '-'], "");
            let town = nom_recherche(q);
            condition = condition.add(
                Condition::any().add(mesures::Column::NumeroRg.contains(&rg)).add(
                    mesures::Column::CommuneCode.in_subquery(
                        Query::select()
                            .column(communes::Column::Code)
                            .from(communes::Entity)
                            .and_where(communes::Column::NomRecherche.starts_with(&town))
                            .to_owned(),
                    ),
                ),
            );
        }
        if let Some(cabinet) = &criteres.cabinet {
            condition = condition.add(mesures::Column::Cabinet.eq(cabinet.as_str()));
        }
        if let Some(user) = criteres.reservee_par {
            condition = condition.add(mesures::Column::ReserveePar.eq(user));
        }
        if let Some(gestionnaire) = criteres.gestionnaire {
            condition = condition.add(mesures::Column::GestionnaireId.eq(gestionnaire));
        }
        if let Some(departement) = &criteres.departement {
            condition = condition.add(
                mesures::Column::CommuneCode.in_subquery(
                    Query::select()
                        .column(communes::Column::Code)
                        .from(communes::Entity)
                        .and_where(communes::Column::DepartementCode.eq(departement.as_str()))
                        .to_owned(),
                ),
            );
        }
        // Days in Paris time: a reservation at 00:30 in Paris belongs to that day.
        let paris_midnight = |d: chrono::NaiveDate| crate::rules::heure::minuit_a_paris(d);
        if let Some(du) = criteres.du {
            condition = condition.add(mesures::Column::DateReservation.gte(paris_midnight(du)));
        }
        if let Some(au) = criteres.au {
            condition = condition.add(mesures::Column::DateReservation.lt(paris_midnight(au + chrono::Days::new(1))));
        }
        let query = mesures::Entity::find().filter(condition);
        let total = query.clone().count(db).await?;
        let query = match criteres.tri.unwrap_or(TriMesures::default_for(caller)) {
            // en_attente < en_cours < eteinte: pending first, then in progress.
            TriMesures::Statut => query
                .order_by_asc(mesures::Column::Statut)
                .order_by_desc(mesures::Column::Urgent)
                .order_by_desc(mesures::Column::DateReservation),
            TriMesures::Recent => query.order_by_desc(Expr::expr(Func::coalesce([
                Expr::col(mesures::Column::DateReservation),
                Expr::col(mesures::Column::CreatedAt),
            ]))),
            TriMesures::Rg => query.order_by_asc(mesures::Column::NumeroRg),
        };
        let rows = query
            .order_by_desc(mesures::Column::Id)
            .offset(u64::from((criteres.page - 1) * criteres.par_page))
            .limit(u64::from(criteres.par_page))
            .all(db)
            .await?;
        Ok(PageMesures { total, page: criteres.page, par_page: criteres.par_page, resultats: with_names(db, rows).await? })
    }

    /// The choices of the caller's list filters (see [`ChoixFiltres`]).
    pub async fn choices(db: &impl ConnectionTrait, caller: &Caller) -> Result<ChoixFiltres, AppError> {
        use crate::db::entities::{greffiers, magistrats};
        caller.require(&Role::MESURES)?;
        let mut choix = ChoixFiltres::default();
        match &caller.scope {
            Scope::Tribunal { tribunal_id, .. } => {
                let mut staff: Vec<i32> = magistrats::Entity::find()
                    .select_only()
                    .column(magistrats::Column::UserId)
                    .filter(magistrats::Column::TribunalId.eq(*tribunal_id))
                    .into_tuple()
                    .all(db)
                    .await?;
                staff.extend(
                    greffiers::Entity::find()
                        .select_only()
                        .column(greffiers::Column::UserId)
                        .filter(greffiers::Column::TribunalId.eq(*tribunal_id))
                        .into_tuple::<i32>()
                        .all(db)
                        .await?,
                );
                choix.reservants = users::Entity::find()
                    .filter(users::Column::Id.is_in(staff))
                    .order_by_asc(users::Column::Nom)
                    .order_by_asc(users::Column::Prenom)
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|u| (u.id, format!("{} {}", u.prenom, u.nom)))
                    .collect();
                let taken: Vec<i32> = mesures::Entity::find()
                    .select_only()
                    .column(mesures::Column::GestionnaireId)
                    .distinct()
                    .filter(mesures::Column::TribunalId.eq(*tribunal_id))
                    .into_tuple()
                    .all(db)
                    .await?;
                let mut gestionnaires: Vec<(i32, String)> = gestionnaires::Entity::find()
                    .filter(gestionnaires::Column::Id.is_in(taken))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|g| (g.id, display_name(&g.kind, &g.nom, g.prenom.as_deref())))
                    .collect();
                gestionnaires.sort_by_key(|a| nom_recherche(&a.1));
                choix.gestionnaires = gestionnaires;
            }
            Scope::Gestionnaire { gestionnaire_id, .. } => {
                choix.antennes = antennes::Entity::find()
                    .select_only()
                    .columns([antennes::Column::Id, antennes::Column::Nom])
                    .filter(antennes::Column::GestionnaireId.eq(*gestionnaire_id))
                    .order_by_asc(antennes::Column::Nom)
                    .into_tuple()
                    .all(db)
                    .await?;
            }
            _ => {}
        }
        Ok(choix)
    }

    /// One measure the caller may see, with its history.
    pub async fn detail(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<DetailMesure, AppError> {
        let mesure = crate::measures::lifecycle::visible(db, caller, id).await?;
        let etats = mesure_etats::Entity::find()
            .filter(mesure_etats::Column::MesureId.eq(id))
            .order_by_desc(mesure_etats::Column::DateChangement)
            .order_by_desc(mesure_etats::Column::Id)
            .all(db)
            .await?;
        let codes: BTreeSet<String> = etats.iter().filter_map(|e| e.commune_code.clone()).collect();
        let towns = town_names(db, codes.into_iter().collect()).await?;
        let evenements = mesure_evenements::Entity::find()
            .filter(mesure_evenements::Column::MesureId.eq(id))
            .order_by_desc(mesure_evenements::Column::At)
            .order_by_desc(mesure_evenements::Column::Id)
            .all(db)
            .await?;
        let ligne = with_names(db, vec![mesure]).await?.pop().ok_or(AppError::Introuvable)?;
        Ok(DetailMesure {
            ligne,
            etats: etats
                .into_iter()
                .map(|e| EtatMesure {
                    date_changement: e.date_changement.format("%Y-%m-%d").to_string(),
                    nature: e.nature,
                    champ: e.champ,
                    lieu_vie: e.lieu_vie,
                    type_etablissement: e.type_etablissement,
                    ville: e.commune_code.as_ref().and_then(|c| towns.get(c).cloned()),
                    commune: e.commune_code,
                    pays: e.pays,
                })
                .collect(),
            evenements: evenements
                .into_iter()
                .map(|e| EvenementMesure { date: e.at.to_rfc3339(), action: e.action, details: e.details })
                .collect(),
        })
    }

    /// Adds the professionals', antennes', towns' and reservers' names, with one
    /// query per kind of name for the whole page.
    pub async fn with_names(db: &impl ConnectionTrait, rows: Vec<mesures::Model>) -> Result<Vec<LigneMesure>, AppError> {
        let ids = |f: &dyn Fn(&mesures::Model) -> Option<i32>| rows.iter().filter_map(f).collect::<BTreeSet<i32>>();
        let gestionnaire_ids = ids(&|m| Some(m.gestionnaire_id));
        let tribunal_ids = ids(&|m| Some(m.tribunal_id));
        let antenne_ids = ids(&|m| m.antenne_id);
        let user_ids = ids(&|m| m.reservee_par);
        let codes: BTreeSet<String> = rows.iter().filter_map(|m| m.commune_code.clone()).collect();
        let gestionnaires: HashMap<i32, String> = gestionnaires::Entity::find()
            .filter(gestionnaires::Column::Id.is_in(gestionnaire_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|g| (g.id, display_name(&g.kind, &g.nom, g.prenom.as_deref())))
            .collect();
        let tribunaux: HashMap<i32, String> = tribunaux::Entity::find()
            .select_only()
            .columns([tribunaux::Column::Id, tribunaux::Column::Nom])
            .filter(tribunaux::Column::Id.is_in(tribunal_ids))
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let antennes: HashMap<i32, String> = antennes::Entity::find()
            .select_only()
            .columns([antennes::Column::Id, antennes::Column::Nom])
            .filter(antennes::Column::Id.is_in(antenne_ids))
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let towns = town_names(db, codes.into_iter().collect()).await?;
        let reservers: HashMap<i32, String> = users::Entity::find()
            .filter(users::Column::Id.is_in(user_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, format!("{} {}", u.prenom, u.nom)))
            .collect();
        Ok(rows
            .into_iter()
            .map(|m| LigneMesure {
                gestionnaire: gestionnaires.get(&m.gestionnaire_id).cloned().unwrap_or_default(),
                tribunal: tribunaux.get(&m.tribunal_id).cloned().unwrap_or_default(),
                antenne: m.antenne_id.and_then(|id| antennes.get(&id).cloned()),
                ville: m.commune_code.as_ref().and_then(|c| towns.get(c).cloned()),
                reservee_par_nom: m.reservee_par.and_then(|id| reservers.get(&id).cloned()),
                mesure: m.into(),
            })
            .collect())
    }
}

#[cfg(feature = "ssr")]
pub use server::{choices, detail, list, scope_condition, with_names};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked_and_named() {
        let ok = FiltresMesures { statut: Some("en_attente".into()), page: Some("2".into()), ..Default::default() };
        let c = ok.validate().expect("valide");
        assert_eq!((c.statut.as_deref(), c.page, c.par_page), (Some("en_attente"), 2, PAR_PAGE_DEFAUT));
        for (bad, name) in [
            (FiltresMesures { statut: Some("perdue".into()), ..Default::default() }, "statut"),
            (FiltresMesures { nature: Some("x".into()), ..Default::default() }, "nature"),
            (FiltresMesures { antenne: Some("deux".into()), ..Default::default() }, "antenne"),
            (FiltresMesures { par_page: Some("500".into()), ..Default::default() }, "par_page"),
        ] {
            match bad.validate() {
                Err(AppError::Invalide(message)) => assert!(message.contains(&format!("« {name} »")), "{message}"),
                other => panic!("{name}: {other:?}"),
            }
        }
        let blank = FiltresMesures { statut: Some(String::new()), q: Some("  ".into()), ..Default::default() };
        assert_eq!(blank.validate().map(|c| (c.statut, c.q)), Ok((None, None)));
    }
}
