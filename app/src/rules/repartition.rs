//! How fairly a tribunal's reservations are spread among the professionals
//! of its scope: each one's share of the reservations against its share of
//! the declared capacity, the share going to the most solicited tenth, and
//! the Gini index. Pure arithmetic, one place, unit-tested.

/// How many months back the fairness view looks.
pub const MOIS: u32 = 12;

/// `n` out of `total` as a percentage; None when there is nothing to share.
pub fn part(n: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| n as f64 * 100.0 / total as f64)
}

/// A professional's gap, in percentage points: its share of the reservations
/// minus its share of the capacity (negative: solicited less than its room
/// would suggest). A share that cannot be computed counts as 0.
pub fn ecart(part_reservations: Option<f64>, part_capacite: Option<f64>) -> f64 {
    part_reservations.unwrap_or(0.0) - part_capacite.unwrap_or(0.0)
}

/// The share of all reservations that went to the most solicited tenth of
/// the professionals (at least one professional), as a percentage.
pub fn part_du_premier_dixieme(reservations: &[u64]) -> Option<f64> {
    let total: u64 = reservations.iter().sum();
    if total == 0 {
        return None;
    }
    let mut tries = reservations.to_vec();
    tries.sort_unstable_by(|a, b| b.cmp(a));
    let premiers = reservations.len().div_ceil(10);
    part(tries.iter().take(premiers).sum(), total)
}

/// The Gini index of the reservations among the professionals (0: all
/// received as many; towards 1: a few received everything). Professionals
/// never solicited count, with 0. None when nobody was solicited.
pub fn gini(reservations: &[u64]) -> Option<f64> {
    let n = reservations.len() as f64;
    let total: u64 = reservations.iter().sum();
    if total == 0 {
        return None;
    }
    let mut tries = reservations.to_vec();
    tries.sort_unstable();
    // With the values in increasing order x(1) ≤ … ≤ x(n):
    // G = 2 Σ i·x(i) / (n Σ x) − (n + 1) / n.
    let pondere: f64 = tries.iter().enumerate().map(|(i, x)| (i as f64 + 1.0) * *x as f64).sum();
    Some(2.0 * pondere / (n * total as f64) - (n + 1.0) / n)
}

/// The Gini index in words, for the page.
pub fn gini_en_clair(gini: f64) -> &'static str {
    match gini {
        g if g < 0.2 => "répartition très égale",
        g if g < 0.4 => "répartition plutôt égale",
        g if g < 0.6 => "répartition concentrée sur une partie des mandataires",
        _ => "répartition très concentrée sur quelques mandataires",
    }
}

/// A percentage as the page writes it: "12,5 %".
pub fn pourcentage(valeur: f64) -> String {
    format!("{} %", super::texte::decimal(valeur, 1))
}

/// Percentage points with their sign: "+3,2 points", "−1,0 point".
pub fn points(valeur: f64) -> String {
    let arrondi = (valeur * 10.0).round() / 10.0;
    let signe = if arrondi > 0.0 {
        "+"
    } else if arrondi < 0.0 {
        "−"
    } else {
        ""
    };
    let unite = if arrondi.abs() >= 2.0 { "points" } else { "point" };
    format!("{signe}{} {unite}", super::texte::decimal(arrondi.abs(), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proche(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn gini_is_zero_when_equal_and_grows_with_concentration() {
        assert!(proche(gini(&[5, 5, 5, 5]), 0.0));
        assert!(proche(gini(&[0, 0, 0, 10]), 0.75));
        assert!(proche(gini(&[1, 2, 3, 4]), 0.25));
        assert!(proche(gini(&[7]), 0.0));
        assert_eq!(gini(&[0, 0]), None);
        assert_eq!(gini(&[]), None);
        // The order given does not matter.
        assert_eq!(gini(&[10, 0, 0, 0]), gini(&[0, 0, 0, 10]));
    }

    #[test]
    fn the_first_tenth_is_at_least_one_professional() {
        // 4 professionals: the first tenth is the most solicited one.
        assert!(proche(part_du_premier_dixieme(&[1, 6, 2, 1]), 60.0));
        // 11 professionals: the two most solicited.
        let mut onze = vec![1u64; 9];
        onze.extend([5, 6]);
        assert!(proche(part_du_premier_dixieme(&onze), 55.0));
        assert_eq!(part_du_premier_dixieme(&[0, 0, 0]), None);
    }

    #[test]
    fn shares_and_gaps() {
        assert!(proche(part(1, 4), 25.0));
        assert_eq!(part(3, 0), None);
        assert!((ecart(Some(10.0), Some(25.0)) + 15.0).abs() < 1e-9);
        assert!((ecart(None, Some(5.0)) + 5.0).abs() < 1e-9);
    }

    #[test]
    fn figures_are_written_the_french_way() {
        assert_eq!(pourcentage(12.34), "12,3 %");
        assert_eq!(points(3.21), "+3,2 points");
        assert_eq!(points(-1.04), "−1,0 point");
        assert_eq!(points(0.01), "0,0 point");
        assert_eq!(gini_en_clair(0.1), "répartition très égale");
        assert_eq!(gini_en_clair(0.75), "répartition très concentrée sur quelques mandataires");
    }
}
