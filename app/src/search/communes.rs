//! Communes by what people type: a name (accent- and case-insensitive, "st" =
//! "saint") or a postal code. Lists put the caller's département first, then
//! its région, then the rest; within each, exact names, then names starting
//! with the text, then the most populated. A typed place that several communes
//! match is never guessed: the user chooses.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommuneSuggestion {
    /// Code INSEE.
    pub code: String,
    pub nom: String,
    pub codes_postaux: Vec<String>,
    pub departement: String,
    pub latitude: f64,
    pub longitude: f64,
}

pub const SUGGESTIONS_MAX: u64 = 20;

/// How many communes a judge is asked to choose from, at most.
pub const CHOIX_MAX: usize = 10;

/// Where the caller works: communes of its département come first, then those
/// of its région, then the rest (a judge in Lille typing "St-Amand" means
/// Saint-Amand-les-Eaux, not Saint-Amand in the Creuse).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proximite {
    pub departement: Option<String>,
    pub region: Option<String>,
}

#[cfg(feature = "ssr")]
impl Proximite {
    /// The caller's place: a tribunal's département, a professional's, a
    /// direction's territory; none for the administrators.
    pub async fn of(
        db: &impl sea_orm::ConnectionTrait,
        caller: &crate::accounts::guard::Caller,
    ) -> Result<Proximite, crate::errors::AppError> {
        use crate::accounts::guard::{Scope, Territoire};
        use crate::db::entities::gestionnaires;
        use sea_orm::EntityTrait;
        let departement = match &caller.scope {
            Scope::Tribunal { departement_code, .. } => departement_code.clone(),
            Scope::Gestionnaire { gestionnaire_id, .. } => match gestionnaires::Entity::find_by_id(*gestionnaire_id).one(db).await? {
                Some(g) => g.departement_code,
                None => return Ok(Proximite::default()),
            },
            Scope::Territoire(Territoire::Departement(code)) => code.clone(),
            Scope::Territoire(Territoire::Region(code)) => return Ok(Proximite { departement: None, region: Some(code.clone()) }),
            Scope::Territoire(Territoire::National) | Scope::Admin => return Ok(Proximite::default()),
        };
        Proximite::of_departement(db, &departement).await
    }

    /// A département and its région.
    pub async fn of_departement(db: &impl sea_orm::ConnectionTrait, code: &str) -> Result<Proximite, crate::errors::AppError> {
        use crate::db::entities::departements;
        use sea_orm::EntityTrait;
        let region = departements::Entity::find_by_id(code.to_string()).one(db).await?.map(|d| d.region_code);
        Ok(Proximite { departement: Some(code.to_string()), region })
    }

    /// 0 in the département, 1 in the région, 2 elsewhere: the first key of
    /// every commune list.
    fn rank(&self) -> sea_orm::sea_query::SimpleExpr {
        use crate::db::entities::{communes, departements};
        use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Query};
        if self.departement.is_none() && self.region.is_none() {
            // Nowhere in particular (the administrators): every commune ranks alike.
            return Expr::val(0);
        }
        let mut case = CaseStatement::new();
        if let Some(code) = &self.departement {
            case = case.case(Expr::col((communes::Entity, communes::Column::DepartementCode)).eq(code.as_str()), 0);
        }
        if let Some(region) = &self.region {
            let of_region = Query::select()
                .column(departements::Column::Code)
                .from(departements::Entity)
                .and_where(Expr::col(departements::Column::RegionCode).eq(region.as_str()))
                .to_owned();
            case = case.case(Expr::col((communes::Entity, communes::Column::DepartementCode)).in_subquery(of_region), 1);
        }
        case.finally(2).into()
    }
}

#[cfg(feature = "ssr")]
pub async fn suggest(
    db: &impl sea_orm::ConnectionTrait,
    typed: &str,
    near: &Proximite,
) -> Result<Vec<CommuneSuggestion>, crate::errors::AppError> {
    use crate::db::entities::{communes, communes_codes_postaux};
    use crate::rules::geo::nom_recherche;
    use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Query};
    use sea_orm::{ColumnTrait, Condition, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};

    let typed = typed.trim();
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let query = if !digits.is_empty() && digits.len() <= 5 && digits.chars().all(|c| c.is_ascii_digit()) {
        // A postal code (or its beginning), or an INSEE code typed in full.
        let by_postal_code = Query::select()
            .column(communes_codes_postaux::Column::CommuneCode)
            .from(communes_codes_postaux::Entity)
            .and_where(Expr::col(communes_codes_postaux::Column::CodePostal).like(format!("{digits}%")))
            .to_owned();
        communes::Entity::find()
            .filter(
                Condition::any().add(communes::Column::Code.in_subquery(by_postal_code)).add(communes::Column::Code.eq(digits.as_str())),
            )
            .order_by(near.rank(), Order::Asc)
    } else {
        let wanted = nom_recherche(typed);
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        // Names starting with the text, or with a word starting with it: near
        // ones first, then exact names, names starting with the text, the others.
        let exactness: sea_orm::sea_query::SimpleExpr = CaseStatement::new()
            .case(Expr::col(communes::Column::NomRecherche).eq(wanted.as_str()), 0)
            .case(Expr::col(communes::Column::NomRecherche).like(format!("{wanted}%")), 1)
            .finally(2)
            .into();
        communes::Entity::find()
            .filter(
                Condition::any()
                    .add(communes::Column::NomRecherche.like(format!("{wanted}%")))
                    .add(communes::Column::NomRecherche.like(format!("% {wanted}%"))),
            )
            .order_by(near.rank(), Order::Asc)
            .order_by(exactness, Order::Asc)
    };
    let rows =
        query.order_by_desc(communes::Column::Population).order_by_asc(communes::Column::Code).limit(SUGGESTIONS_MAX).all(db).await?;
    Ok(rows.into_iter().map(suggestion).collect())
}

#[cfg(feature = "ssr")]
fn suggestion(c: crate::db::entities::communes::Model) -> CommuneSuggestion {
    CommuneSuggestion {
        codes_postaux: c.codes_postaux.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
        code: c.code,
        nom: c.nom,
        departement: c.departement_code,
        latitude: c.latitude,
        longitude: c.longitude,
    }
}

/// The communes named exactly `name` (accents, case and "st" aside), nearest first.
#[cfg(feature = "ssr")]
async fn named(
    db: &impl sea_orm::ConnectionTrait,
    name: &str,
    near: &Proximite,
) -> Result<Vec<CommuneSuggestion>, crate::errors::AppError> {
    use crate::db::entities::communes;
    use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};
    let rows = communes::Entity::find()
        .filter(communes::Column::NomRecherche.eq(crate::rules::geo::nom_recherche(name)))
        .order_by(near.rank(), Order::Asc)
        .order_by_desc(communes::Column::Population)
        .order_by_asc(communes::Column::Code)
        .limit(SUGGESTIONS_MAX)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(suggestion).collect())
}

/// What a typed place means.
#[derive(Clone, Debug, PartialEq)]
pub enum Lieu {
    /// One commune, and the others of the same name (nearest first) when the
    /// text named one of them with its postal code.
    Trouve {
        commune: CommuneSuggestion,
        homonymes: Vec<CommuneSuggestion>,
    },
    /// Several communes match: the user chooses (nearest first).
    AChoisir(Vec<CommuneSuggestion>),
    Aucun,
}

/// What a typed place means: "Lille (59000)" as written by the autocomplete
/// (that postal code's commune of that name), a name matching exactly one
/// commune, or a name, postal code or INSEE code matching only one; several
/// matches are never guessed between.
#[cfg(feature = "ssr")]
pub async fn resolve(db: &impl sea_orm::ConnectionTrait, typed: &str, near: &Proximite) -> Result<Lieu, crate::errors::AppError> {
    use crate::rules::geo::nom_recherche;
    let (name, postal_code) = split_label(typed);
    if let Some(cp) = postal_code {
        let wanted = nom_recherche(name);
        let by_code = suggest(db, cp, near).await?;
        let Some(commune) = by_code.iter().find(|c| nom_recherche(&c.nom) == wanted).or(by_code.first()).cloned() else {
            return Ok(Lieu::Aucun);
        };
        let homonymes = named(db, &commune.nom, near).await?.into_iter().filter(|c| c.code != commune.code).collect();
        return Ok(Lieu::Trouve { commune, homonymes });
    }
    let exact = named(db, typed, near).await?;
    if let [commune] = exact.as_slice() {
        return Ok(Lieu::Trouve { commune: commune.clone(), homonymes: Vec::new() });
    }
    let mut found = suggest(db, typed, near).await?;
    Ok(match found.len() {
        0 => Lieu::Aucun,
        1 => Lieu::Trouve { commune: found.remove(0), homonymes: Vec::new() },
        _ => {
            found.truncate(CHOIX_MAX);
            Lieu::AChoisir(found)
        }
    })
}

/// The one message for a typed commune that nothing matches.
pub fn aucune_commune(typed: &str) -> String {
    format!("Aucune commune ne correspond à « {typed} » : tapez son nom ou son code postal, par exemple « Lille (59000) ».")
}

/// The one message for an INSEE code that no commune has, lower-case to follow
/// a parameter's name (`rules::texte::capitalise` for a field's message).
pub fn code_inconnu(code: &str) -> String {
    format!("aucune commune n'a le code INSEE « {code} ».")
}

/// The commune a form's field means, or the field's error: none matches, or
/// several do (the user adds the postal code, as the autocomplete writes it).
#[cfg(feature = "ssr")]
pub async fn resolve_field(
    db: &impl sea_orm::ConnectionTrait,
    typed: &str,
    near: &Proximite,
) -> Result<CommuneSuggestion, crate::errors::AppError> {
    let message = match resolve(db, typed, near).await? {
        Lieu::Trouve { commune, .. } => return Ok(commune),
        Lieu::Aucun => aucune_commune(typed),
        Lieu::AChoisir(choix) => {
            let mut examples: Vec<String> = choix.iter().take(3).map(|c| format!("« {} »", label(c))).collect();
            let last = examples.pop().unwrap_or_default();
            let examples = if examples.is_empty() { last } else { format!("{} ou {last}", examples.join(", ")) };
            format!("Plusieurs communes correspondent à « {typed} » : précisez le code postal, par exemple {examples}.")
        }
    };
    Err(crate::errors::AppError::Champs(vec![("commune".into(), message)]))
}

/// Where an address typed in a form lies: its commune ("Lille (59000)",
/// "59000", "Lille") and the postal code to write — the typed one when it is
/// the commune's, else its first. A field error on `commune` when nothing or
/// several communes match.
#[cfg(feature = "ssr")]
pub async fn place(
    db: &impl sea_orm::ConnectionTrait,
    typed: &str,
    near: &Proximite,
) -> Result<(CommuneSuggestion, String), crate::errors::AppError> {
    let commune = resolve_field(db, typed, near).await?;
    let typed_code = split_label(typed).1.unwrap_or(typed.trim());
    let code_postal = match commune.codes_postaux.iter().find(|cp| *cp == typed_code) {
        Some(cp) => cp.clone(),
        None => commune.codes_postaux.first().cloned().unwrap_or_default(),
    };
    Ok((commune, code_postal))
}

/// Commune suggestions for the search field's autocomplete (signed-in users).
#[leptos::server(prefix = "/api/fn", endpoint = "suggerer_communes")]
pub async fn suggerer_communes(q: String) -> Result<Vec<CommuneSuggestion>, crate::errors::AppError> {
    let caller = crate::accounts::guard::caller().await?;
    if q.chars().count() > 100 {
        return Err(crate::errors::AppError::Invalide("100 caractères au plus.".into()));
    }
    let db = crate::state::app_state()?.db;
    suggest(&db, &q, &Proximite::of(&db, &caller).await?).await
}

/// How a suggestion is written in the search field: "Lille (59000)".
pub fn label(c: &CommuneSuggestion) -> String {
    match c.codes_postaux.first() {
        Some(cp) => format!("{} ({cp})", c.nom),
        None => c.nom.clone(),
    }
}

/// Splits "Lille (59000)" into its name and postal code.
pub fn split_label(typed: &str) -> (&str, Option<&str>) {
    let typed = typed.trim();
    if let Some(open) = typed.rfind('(') {
        let inner = typed[open + 1..].trim_end_matches(')').trim();
        if inner.len() == 5 && inner.chars().all(|c| c.is_ascii_digit()) {
            return (typed[..open].trim(), Some(inner));
        }
    }
    (typed, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        let c = CommuneSuggestion {
            code: "59350".into(),
            nom: "Lille".into(),
            codes_postaux: vec!["59000".into(), "59800".into()],
            departement: "59".into(),
            latitude: 0.0,
            longitude: 0.0,
        };
        assert_eq!(label(&c), "Lille (59000)");
        assert_eq!(split_label("Lille (59000)"), ("Lille", Some("59000")));
        assert_eq!(split_label(" Saint-Amand-les-Eaux (59230) "), ("Saint-Amand-les-Eaux", Some("59230")));
        assert_eq!(split_label("Lille"), ("Lille", None));
        assert_eq!(split_label("Pau (abc)"), ("Pau (abc)", None));
    }
}
