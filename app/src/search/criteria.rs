//! What a judge asks for, as typed in the URL (`Filtres`, every field a string so
//! that a bad value gets a French message naming the parameter), and the checked
//! form the search engine runs (`Criteres`).

use crate::errors::AppError;
use crate::rules::vocabulary::{self, NATURES, TYPES_GESTIONNAIRE};
use serde::{Deserialize, Serialize};

/// The query string of the search page and of `GET /api/v1/gestionnaires`.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filtres {
    /// Code INSEE de la commune de la personne protégée (distances, tri par distance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// Nature de la mesure : le mandataire doit l'accepter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature: Option<String>,
    /// Langue ou compétence déclarée (ex. « langue des signes »).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competence: Option<String>,
    /// individuel, prepose ou service.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `true` : seulement les mandataires avec des places disponibles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disponible: Option<String>,
    /// Distance maximale en km depuis la commune (demande `commune`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rayon_km: Option<String>,
    /// Texte libre : nom, ville ou SIRET (toujours à l'intérieur du périmètre).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// tribunal (défaut), departement:CODE ou national.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perimetre: Option<String>,
    /// distance (défaut avec une commune), disponibilite (défaut sinon), nom, ou equitable
    /// (répartition équitable : parmi les mandataires ayant des places libres ici, ceux que le
    /// tribunal de l'appelant a sollicités le moins récemment d'abord, jamais sollicités en tête).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tri: Option<String>,
    /// Numéro de page, à partir de 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Résultats par page (20 par défaut, 100 au plus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub par_page: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Perimetre {
    /// The tribunal's département plus the professionals preferring the tribunal.
    Tribunal,
    Departement(String),
    National,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tri {
    Distance,
    Disponibilite,
    Nom,
    /// Fair distribution: among the professionals with free places here,
    /// the least recently reserved by the caller's tribunal first.
    Equitable,
}

/// A checked search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criteres {
    /// INSEE code of the protected person's commune.
    pub commune: Option<String>,
    pub nature: Option<String>,
    pub competence: Option<String>,
    pub kind: Option<String>,
    pub disponible: bool,
    pub rayon_km: Option<f64>,
    pub q: Option<String>,
    pub perimetre: Perimetre,
    pub tri: Tri,
    /// 1-based.
    pub page: u32,
    pub par_page: u32,
}

pub const PAR_PAGE_DEFAUT: u32 = 20;
pub const PAR_PAGE_MAX: u32 = 100;
pub const RAYON_MAX_KM: f64 = 1000.0;

pub(crate) fn invalid(parameter: &str, message: impl std::fmt::Display) -> AppError {
    AppError::Invalide(format!("Paramètre « {parameter} » : {message}."))
}

/// An absent or blank parameter (HTML forms send empty fields).
pub(crate) fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub(crate) fn one_of(parameter: &str, value: Option<&str>, list: &[vocabulary::Term]) -> Result<Option<String>, AppError> {
    match value {
        None => Ok(None),
        Some(v) if vocabulary::is_valid(list, v) => Ok(Some(v.to_string())),
        Some(v) => Err(invalid(parameter, format!("valeur « {v} » inconnue (attendu : {})", vocabulary::codes(list)))),
    }
}

pub(crate) fn positive_integer(parameter: &str, value: Option<&str>, default: u32, max: u32) -> Result<u32, AppError> {
    match value {
        None => Ok(default),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if n >= 1 && n <= max => Ok(n),
            _ => Err(invalid(parameter, format!("« {v} » n'est pas un entier entre 1 et {max}"))),
        },
    }
}

/// An INSEE commune code: five digits, Corsica's starting with 2A or 2B.
pub fn is_insee_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5
        && b[0].is_ascii_digit()
        && (b[1].is_ascii_digit() || (b[0] == b'2' && matches!(b[1], b'A' | b'B' | b'a' | b'b')))
        && b[2..].iter().all(u8::is_ascii_digit)
}

impl Filtres {
    pub fn validate(&self) -> Result<Criteres, AppError> {
        let commune = match present(&self.commune) {
            Some(code) if is_insee_code(code) => Some(code.to_ascii_uppercase()),
            Some(code) => return Err(invalid("commune", format!("« {code} » n'est pas un code INSEE de commune (5 caractères)"))),
            None => None,
        };
        let disponible = match present(&self.disponible) {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("on") | Some("1") => true,
            Some(v) => return Err(invalid("disponible", format!("valeur « {v} » inconnue (attendu : true ou false)"))),
        };
        let rayon_km = match present(&self.rayon_km) {
            None => None,
            Some(v) => match v.replace(',', ".").parse::<f64>() {
                Ok(r) if r > 0.0 && r <= RAYON_MAX_KM => Some(r),
                _ => return Err(invalid("rayon_km", format!("« {v} » n'est pas une distance entre 1 et {RAYON_MAX_KM} km"))),
            },
        };
        if rayon_km.is_some() && commune.is_none() {
            return Err(invalid("rayon_km", "un rayon demande une commune de référence"));
        }
        let perimetre = match present(&self.perimetre) {
            None | Some("tribunal") => Perimetre::Tribunal,
            Some("national") => Perimetre::National,
            Some(v) => match v.strip_prefix("departement:") {
                Some(code) if (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()) => {
                    Perimetre::Departement(code.to_ascii_uppercase())
                }
                _ => {
                    return Err(invalid("perimetre", format!("valeur « {v} » inconnue (attendu : tribunal, departement:CODE ou national)")))
                }
            },
        };
        let tri = match present(&self.tri) {
            None if commune.is_some() => Tri::Distance,
            None => Tri::Disponibilite,
            Some("distance") if commune.is_some() => Tri::Distance,
            Some("distance") => return Err(invalid("tri", "le tri par distance demande une commune")),
            Some("disponibilite") => Tri::Disponibilite,
            Some("nom") => Tri::Nom,
            Some("equitable") => Tri::Equitable,
            Some(v) => return Err(invalid("tri", format!("valeur « {v} » inconnue (attendu : distance, disponibilite, nom, equitable)"))),
        };
        let q = present(&self.q).map(|v| v.chars().take(100).collect());
        Ok(Criteres {
            commune,
            nature: one_of("nature", present(&self.nature), &NATURES)?,
            competence: present(&self.competence).map(|v| v.chars().take(60).collect()),
            kind: one_of("type", present(&self.kind), &TYPES_GESTIONNAIRE)?,
            disponible,
            rayon_km,
            q,
            perimetre,
            tri,
            page: positive_integer("page", present(&self.page), 1, 100_000)?,
            par_page: positive_integer("par_page", present(&self.par_page), PAR_PAGE_DEFAUT, PAR_PAGE_MAX)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filtres(pairs: &[(&str, &str)]) -> Filtres {
        let query: String = pairs.iter().map(|(k, v)| format!("{k}={v}&")).collect();
        serde_urlencoded_like(&query)
    }

    /// Minimal query-string reader for tests (the server uses serde_urlencoded).
    fn serde_urlencoded_like(query: &str) -> Filtres {
        let map: serde_json::Map<String, serde_json::Value> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect();
        serde_json::from_value(serde_json::Value::Object(map)).expect("filtres")
    }

    #[test]
    fn defaults() {
        let c = Filtres::default().validate().expect("valide");
        assert_eq!((c.perimetre, c.tri, c.page, c.par_page, c.disponible), (Perimetre::Tribunal, Tri::Disponibilite, 1, 20, false));
        let c = filtres(&[("commune", "59350")]).validate().expect("valide");
        assert_eq!(c.tri, Tri::Distance, "distance is the default with a commune");
    }

    #[test]
    fn blank_fields_of_a_get_form_are_ignored() {
        let c = filtres(&[("commune", ""), ("nature", ""), ("type", ""), ("tri", ""), ("rayon_km", "")]).validate().expect("valide");
        assert_eq!(c.commune, None);
        assert_eq!(c.nature, None);
    }

    #[test]
    fn every_bad_value_names_its_parameter() {
        for (key, value) in [
            ("type", "notaire"),
            ("nature", "tutelle_renforcee"),
            ("tri", "prix"),
            ("perimetre", "europe"),
            ("page", "0"),
            ("par_page", "101"),
            ("disponible", "peut-être"),
            ("commune", "Lille"),
            ("rayon_km", "-3"),
        ] {
            let mut pairs = vec![(key, value)];
            if key == "rayon_km" {
                pairs.push(("commune", "59350"));
            }
            let err = filtres(&pairs).validate().expect_err(key);
            assert!(err.to_string().contains(&format!("« {key} »")), "{key}: {err}");
            assert_eq!(err.status_code(), 400);
        }
    }

    #[test]
    fn distance_needs_a_commune() {
        assert!(filtres(&[("tri", "distance")]).validate().is_err());
        assert!(filtres(&[("rayon_km", "10")]).validate().is_err());
        let c = filtres(&[("commune", "59350"), ("rayon_km", "12,5")]).validate().expect("valide");
        assert_eq!(c.rayon_km, Some(12.5));
    }

    #[test]
    fn insee_codes() {
        assert!(is_insee_code("59350") && is_insee_code("2A004") && is_insee_code("97411"));
        assert!(!is_insee_code("Lille") && !is_insee_code("5935") && !is_insee_code("3A004"));
    }

    #[test]
    fn perimeters() {
        let c = filtres(&[("perimetre", "departement:2a"), ("disponible", "on")]).validate().expect("valide");
        assert_eq!(c.perimetre, Perimetre::Departement("2A".into()));
        assert!(c.disponible);
        assert_eq!(filtres(&[("perimetre", "national")]).validate().expect("valide").perimetre, Perimetre::National);
    }
}
