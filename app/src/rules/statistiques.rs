//! Rules of the figures shown outside the service: a count under 5 is not
//! shown (it could point at a person: "moins de 5"), and the quantiles of a
//! delay (median, 90th percentile) are taken on the values themselves.

/// The smallest count shown to the public.
pub const SEUIL_PUBLIC: i64 = 5;

/// A count as the public may see it: `None` under [`SEUIL_PUBLIC`].
pub fn public(n: i64) -> Option<i64> {
    (n >= SEUIL_PUBLIC).then_some(n)
}

/// A public count in words: "1 234", or "moins de 5".
pub fn en_clair(n: Option<i64>) -> String {
    n.map_or_else(|| format!("moins de {SEUIL_PUBLIC}"), super::texte::format_count)
}

/// The `q` quantile (0 < q ≤ 1) of `values`, nearest rank (the smallest value
/// with at least q of them at or under it): the median is `quantile(v, 0.5)`.
/// `None` for no value.
pub fn quantile(values: &mut [i64], q: f64) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank = ((values.len() as f64) * q).ceil() as usize;
    values.get(rank.clamp(1, values.len()) - 1).copied()
}

/// `part` of `total` in whole percent, rounded; `None` when the total is too
/// small to be shown.
pub fn pourcentage_public(part: i64, total: i64) -> Option<i64> {
    public(total).map(|total| (part * 100 + total / 2) / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_under_five_are_hidden_and_said_so() {
        assert_eq!(public(4), None);
        assert_eq!(public(0), None);
        assert_eq!(public(5), Some(5));
        assert_eq!(en_clair(public(3)), "moins de 5");
        assert_eq!(en_clair(public(12345)), "12\u{202f}345");
    }

    #[test]
    fn quantiles_are_nearest_rank_values() {
        assert_eq!(quantile(&mut [], 0.5), None);
        assert_eq!(quantile(&mut [7], 0.5), Some(7));
        assert_eq!(quantile(&mut [30, 10, 20], 0.5), Some(20));
        assert_eq!(quantile(&mut [40, 10, 30, 20], 0.5), Some(20));
        let mut v: Vec<i64> = (1..=10).rev().collect();
        assert_eq!(quantile(&mut v, 0.9), Some(9));
        assert_eq!(quantile(&mut v, 1.0), Some(10));
    }

    #[test]
    fn shares_need_a_total_that_may_be_shown() {
        assert_eq!(pourcentage_public(2, 3), None);
        assert_eq!(pourcentage_public(2, 6), Some(33));
        assert_eq!(pourcentage_public(5, 5), Some(100));
    }
}
