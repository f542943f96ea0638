//! The number judges look at: how many more measures a professional can take.

/// `disponibles = mesures_max − en_cours − en_attente`, where a suspended
/// professional's capacity counts as 0. May be negative (over capacity).
pub fn disponibles(mesures_max: i32, en_cours: i32, en_attente: i32, suspendu: bool) -> i32 {
    let capacite = if suspendu { 0 } else { mesures_max };
    capacite - en_cours - en_attente
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
