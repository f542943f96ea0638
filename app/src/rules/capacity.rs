//! The number judges look at: how many more measures a professional can take.

/// `disponibles = mesures_max − en_cours − en_attente`, where a suspended
/// professional's capacity counts as 0. May be negative (over capacity).
pub fn disponibles(mesures_max: i32, en_cours: i32, en_attente: i32, suspendu: bool) -> i32 {
    let capacite = if suspendu { 0 } else { mesures_max };
    capacite - en_cours - en_attente
}

/// The places left as people read them: never a negative number. Over
/// capacity says by how much; a suspended professional takes no new measure.
pub fn disponibles_en_clair(disponibles: i32, suspendu: bool) -> String {
    match (suspendu, disponibles) {
        (true, _) => "aucune : ne prend plus de mesures".to_string(),
        (false, d) if d > 0 => d.to_string(),
        (false, 0) => "aucune".to_string(),
        (false, d) => format!("aucune ({} au-delà de la capacité)", -d),
    }
}

/// "En cours / souhaitées": the measures in progress and the capacity declared
/// (none for a suspended professional, which is said rather than shown as 0).
pub fn capacite_en_clair(en_cours: i32, mesures_max: i32, suspendu: bool) -> String {
    if suspendu {
        format!("{en_cours} / ne prend plus de mesures")
    } else {
        format!("{en_cours} / {mesures_max}")
    }
}

/// What the judge is told before reserving with a professional that has no
/// place: a reservation is still possible, the professional may refuse it.
pub fn avertissement_avant_reservation(disponibles: i32, suspendu: bool) -> Option<String> {
    match Disponibilite::of(disponibles, suspendu) {
        Disponibilite::Disponible => None,
        Disponibilite::Suspendu => Some(
            "Ce mandataire ne prend plus de mesures. Vous pouvez réserver quand même : vérifiez avec lui qu'il pourra l'accepter."
                .to_string(),
        ),
        Disponibilite::Complet => {
            Some("Ce mandataire est complet. Vous pouvez réserver quand même : il sera au-delà de sa capacité déclarée.".to_string())
        }
        Disponibilite::Surcapacite => Some(format!(
            "Ce mandataire est déjà au-delà de sa capacité déclarée ({} mesure{} de trop). Vous pouvez réserver quand même : \
             vérifiez avec lui qu'il pourra l'accepter.",
            -disponibles,
            if disponibles < -1 { "s" } else { "" }
        )),
    }
}

/// What a judge reads at a glance about a professional's availability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Disponibilite {
    /// At least one place.
    Disponible,
    /// Exactly full.
    Complet,
    /// More measures than declared capacity.
    Surcapacite,
    /// Takes no new measures.
    Suspendu,
}

impl Disponibilite {
    pub fn of(disponibles: i32, suspendu: bool) -> Disponibilite {
        match (suspendu, disponibles) {
            (true, _) => Disponibilite::Suspendu,
            (false, d) if d > 0 => Disponibilite::Disponible,
            (false, 0) => Disponibilite::Complet,
            _ => Disponibilite::Surcapacite,
        }
    }

    /// Text shown with the colour (never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            Disponibilite::Disponible => "Disponible",
            Disponibilite::Complet => "Complet",
            Disponibilite::Surcapacite => "Surcapacité",
            Disponibilite::Suspendu => "Ne prend plus de mesures",
        }
    }

    /// DSFR badge modifier.
    pub fn badge_class(self) -> &'static str {
        match self {
            Disponibilite::Disponible => "fr-badge fr-badge--success",
            Disponibilite::Complet => "fr-badge fr-badge--warning",
            Disponibilite::Surcapacite => "fr-badge fr-badge--error",
            Disponibilite::Suspendu => "fr-badge fr-badge--info",
        }
    }
}

/// Days after which a capacity not updated is flagged as stale to judges.
pub const JOURS_AVANT_OBSOLESCENCE: i64 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_negative_is_shown_and_no_place_is_said_before_reserving() {
        assert_eq!(disponibles_en_clair(3, false), "3");
        assert_eq!(disponibles_en_clair(0, false), "aucune");
        assert_eq!(disponibles_en_clair(-5, false), "aucune (5 au-delà de la capacité)");
        assert_eq!(disponibles_en_clair(-57, true), "aucune : ne prend plus de mesures");
        assert_eq!(capacite_en_clair(51, 60, true), "51 / ne prend plus de mesures");
        assert_eq!(capacite_en_clair(51, 60, false), "51 / 60");
        assert_eq!(avertissement_avant_reservation(2, false), None);
        assert!(avertissement_avant_reservation(0, false).is_some_and(|m| m.contains("complet")));
        assert!(avertissement_avant_reservation(-1, false).is_some_and(|m| m.contains("(1 mesure de trop)")));
        assert!(avertissement_avant_reservation(-4, false).is_some_and(|m| m.contains("(4 mesures de trop)")));
        assert!(avertissement_avant_reservation(5, true).is_some_and(|m| m.contains("ne prend plus de mesures")));
    }

    #[test]
    fn available_is_capacity_minus_current_and_pending() {
        assert_eq!(disponibles(50, 30, 5, false), 15);
        assert_eq!(disponibles(50, 48, 5, false), -3, "over capacity stays negative");
        assert_eq!(disponibles(50, 10, 0, true), -10, "suspended: capacity counts as 0");
    }

    #[test]
    fn availability_states() {
        assert_eq!(Disponibilite::of(3, false), Disponibilite::Disponible);
        assert_eq!(Disponibilite::of(0, false), Disponibilite::Complet);
        assert_eq!(Disponibilite::of(-2, false), Disponibilite::Surcapacite);
        assert_eq!(Disponibilite::of(5, true), Disponibilite::Suspendu);
    }
}
