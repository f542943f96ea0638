//! Why a professional is proposed, and ranked where it is: each result of
//! the search carries its reasons as data (`raisons`: a code and a value),
//! which the API returns as they are and the page reads in words
//! ([`Raison::en_clair`]). The codes, and what their value holds:
//!
//! | code | valeur |
//! |---|---|
//! | `distance_km` | distance from the professional's seat, in km (`12.4`) |
//! | `antenne_km` | distance from the service's nearest antenne, in km |
//! | `places_libres` | free places here: a service's antennes in the département when it has some there, else its total |
//! | `places_antenne` | free places at that nearest antenne |
//! | `nature_acceptee` | the nature searched for, which it accepts (`tutelle`) |
//! | `competence` | the language or competence searched for, which it declared |
//! | `tribunal_prefere` | the caller's tribunal (id), which it declared as preferred |
//! | `chiffres_mis_a_jour_jours` | days since it last confirmed its figures |
//! | `derniere_reservation_jours` | days since the caller's tribunal last reserved one of its measures |
//! | `jamais_reserve` | empty: the caller's tribunal never reserved one of its measures |
//!
//! The reason the sort order looks at comes first.

use serde::{Deserialize, Serialize};

/// Une raison pour laquelle un mandataire est proposé et classé là : un code et sa valeur.
/// Codes : `distance_km`, `antenne_km`, `places_libres`, `places_antenne`, `nature_acceptee`,
/// `competence`, `tribunal_prefere`, `chiffres_mis_a_jour_jours`, `derniere_reservation_jours`,
/// `jamais_reserve` (valeur vide).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Raison {
    pub code: String,
    pub valeur: String,
}

impl Raison {
    pub fn new(code: &str, valeur: impl ToString) -> Raison {
        Raison { code: code.to_string(), valeur: valeur.to_string() }
    }

    /// The reason as a judge reads it on a result card.
    pub fn en_clair(&self) -> String {
        use crate::rules::texte::depuis;
        let km = |v: &str| v.parse::<f64>().map(crate::rules::geo::format_km).unwrap_or_else(|_| v.to_string());
        let nombre = |v: &str| v.parse::<i64>().unwrap_or(0);
        let places = |n: i64, ou: &str| match n {
            ..=0 => format!("aucune place libre {ou}"),
            1 => format!("1 place libre {ou}"),
            n => format!("{n} places libres {ou}"),
        };
        let v = self.valeur.as_str();
        match self.code.as_str() {
            "distance_km" => format!("à {} km", km(v)),
            "antenne_km" => format!("antenne la plus proche à {} km", km(v)),
            "places_libres" => places(nombre(v), "ici"),
            "places_antenne" => places(nombre(v), "à cette antenne"),
            "nature_acceptee" => {
                let nature = crate::rules::vocabulary::label(&crate::rules::vocabulary::NATURES, v).unwrap_or(v).to_lowercase();
                format!("accepte les mesures de {nature}")
            }
            "competence" => format!("compétence ou langue : {v}"),
            "tribunal_prefere" => "a choisi votre tribunal parmi ses tribunaux préférés".to_string(),
            "chiffres_mis_a_jour_jours" => format!("chiffres mis à jour {}", depuis(nombre(v))),
            "derniere_reservation_jours" => format!("dernière réservation de votre tribunal {}", depuis(nombre(v))),
            "jamais_reserve" => "jamais sollicité par votre tribunal".to_string(),
            _ => format!("{} : {v}", self.code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Raison;

    #[test]
    fn every_reason_reads_in_french() {
        let mots = |code: &str, valeur: &str| Raison::new(code, valeur).en_clair();
        assert_eq!(mots("distance_km", "12.4"), "à 12,4 km");
        assert_eq!(mots("antenne_km", "3"), "antenne la plus proche à 3,0 km");
        assert_eq!(mots("places_libres", "5"), "5 places libres ici");
        assert_eq!(mots("places_libres", "-2"), "aucune place libre ici");
        assert_eq!(mots("places_antenne", "1"), "1 place libre à cette antenne");
        assert_eq!(mots("nature_acceptee", "tutelle"), "accepte les mesures de tutelle");
        assert_eq!(mots("competence", "anglais"), "compétence ou langue : anglais");
        assert_eq!(mots("chiffres_mis_a_jour_jours", "0"), "chiffres mis à jour aujourd'hui");
        assert_eq!(mots("derniere_reservation_jours", "40"), "dernière réservation de votre tribunal il y a 40 jours");
        assert_eq!(mots("jamais_reserve", ""), "jamais sollicité par votre tribunal");
    }
}
