//! The number judges look at: how many more measures a professional can take.

/// `disponibles = mesures_max − en_cours − en_attente`, where a suspended
/// professional's capacity counts as 0. May be negative (over capacity).
pub fn disponibles(mesures_max: i32, en_cours: i32, en_attente: i32, suspendu: bool) -> i32 {
    let capacite = if suspendu { 0 } else { mesures_max };
    capacite - en_cours - en_attente
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
}
