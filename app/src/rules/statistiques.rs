//! Rules of the figures shown outside the service: a count under 5 is not
//! shown (it could point at a person: "moins de 5"), and the quantiles of a
//! delay (median, 90th percentile) are taken on the values themselves.

use chrono::{Datelike, Months, NaiveDate};

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

/// [`quantile`] of values given as (value, how many times): the same
/// nearest rank, without writing every value out.
pub fn quantile_des_comptes(comptes: &[(i64, i64)], q: f64) -> Option<i64> {
    let mut comptes: Vec<(i64, i64)> = comptes.iter().copied().filter(|(_, n)| *n > 0).collect();
    comptes.sort_unstable();
    let total: i64 = comptes.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let rang = (((total as f64) * q).ceil() as i64).clamp(1, total);
    let mut vus = 0;
    comptes
        .into_iter()
        .find(|(_, n)| {
            vus += n;
            vus >= rang
        })
        .map(|(valeur, _)| valeur)
}

/// `part` of `total` in whole percent, rounded; `None` of nothing.
pub fn pourcentage(part: i64, total: i64) -> Option<i64> {
    (total > 0).then(|| (part * 100 + total / 2) / total)
}

/// [`pourcentage`], `None` when the total is too small to be shown.
pub fn pourcentage_public(part: i64, total: i64) -> Option<i64> {
    public(total).and_then(|total| pourcentage(part, total))
}

/// The longest period a territory's statistics cover (month columns stay readable).
pub const MOIS_AU_PLUS: usize = 60;

/// The period of a territory's statistics, from `debut` to `fin` (days,
/// both included): asked by `?debut=&fin=` (`AAAA-MM-JJ` or `jj/mm/aaaa`),
/// by default the last 12 months — from the first day of the month 11
/// months ago to `today`. The figures are counted by whole months
/// (`statistiques::agregats`): the period starts on the first day of its
/// first month and ends on the last day of its last month, or `today` if
/// that is sooner and the asked end was not in the future. Refused in
/// French: an unreadable day, a start after the end, more than
/// [`MOIS_AU_PLUS`] months.
pub fn periode(debut: Option<&str>, fin: Option<&str>, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), crate::errors::AppError> {
    use super::heure::jour_filtre;
    use crate::errors::AppError;
    let fin = jour_filtre(fin, "fin")?.unwrap_or(today);
    let debut = match jour_filtre(debut, "début")? {
        Some(debut) => debut,
        None => premier_du_mois(fin).checked_sub_months(Months::new(11)).unwrap_or(fin),
    };
    if debut > fin {
        return Err(AppError::Invalide("La date de début doit précéder la date de fin.".into()));
    }
    if mois_de_la_periode(debut, fin).len() > MOIS_AU_PLUS {
        return Err(AppError::Invalide(format!("Choisissez une période de {MOIS_AU_PLUS} mois au plus.")));
    }
    let fin_du_mois = dernier_du_mois(fin);
    let fin = if fin <= today && fin_du_mois > today { today } else { fin_du_mois };
    Ok((premier_du_mois(debut), fin))
}

fn premier_du_mois(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn dernier_du_mois(day: NaiveDate) -> NaiveDate {
    premier_du_mois(day).checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(day)
}

/// The months a period touches, as their first days, the oldest first.
pub fn mois_de_la_periode(debut: NaiveDate, fin: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut mois = premier_du_mois(debut);
    while mois <= fin && out.len() <= MOIS_AU_PLUS {
        out.push(mois);
        mois = mois.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX);
    }
    out
}

/// The periods offered in one click, as of `today`: (label, début, fin).
pub fn periodes_proposees(today: NaiveDate) -> Vec<(&'static str, NaiveDate, NaiveDate)> {
    let mois = premier_du_mois(today);
    let trimestre = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).unwrap_or(mois);
    let annee = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(mois);
    let douze = mois.checked_sub_months(Months::new(11)).unwrap_or(mois);
    vec![
        ("Ce mois-ci", mois, today),
        ("Ce trimestre", trimestre, today),
        ("Cette année", annee, today),
        ("Les 12 derniers mois", douze, today),
    ]
}

/// How loaded a professional is: its measures in progress against the
/// measures it wishes to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charge {
    /// Under 80 % of its capacity.
    Moins80,
    /// From 80 % to 100 % included.
    De80a100,
    /// Over its capacity.
    Plus100,
    /// Declares no capacity (0 measures wished) and is not suspended.
    SansCapacite,
    /// Takes no new measure for now.
    Suspendu,
}

impl Charge {
    pub const TOUTES: [Charge; 5] = [Charge::Moins80, Charge::De80a100, Charge::Plus100, Charge::SansCapacite, Charge::Suspendu];

    pub fn de(en_cours: i64, mesures_max: i64, suspendu: bool) -> Charge {
        if suspendu {
            Charge::Suspendu
        } else if mesures_max <= 0 {
            Charge::SansCapacite
        } else if en_cours * 100 < mesures_max * 80 {
            Charge::Moins80
        } else if en_cours <= mesures_max {
            Charge::De80a100
        } else {
            Charge::Plus100
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Charge::Moins80 => "Moins de 80 % de leur capacité",
            Charge::De80a100 => "De 80 à 100 % de leur capacité",
            Charge::Plus100 => "Au-delà de leur capacité",
            Charge::SansCapacite => "Aucune capacité déclarée",
            Charge::Suspendu => "Suspendus (ne prennent pas de nouvelle mesure)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_period_defaults_to_the_last_twelve_months_and_refuses_what_cannot_be() {
        let today = jour("2026-12-07");
        assert_eq!(periode(None, None, today).ok(), Some((jour("2026-01-01"), today)));
        assert_eq!(periode(Some("01/03/2026"), Some("2026-03-31"), today).ok(), Some((jour("2026-03-01"), jour("2026-03-31"))));
        // Whole months: a day within a month stands for the month, up to today.
        assert_eq!(periode(None, Some("2026-06-15"), today).ok(), Some((jour("2025-07-01"), jour("2026-06-30"))));
        assert_eq!(periode(Some("2026-02-10"), Some("2026-12-01"), today).ok(), Some((jour("2026-02-01"), today)));
        assert_eq!(periode(Some("2026-02-10"), Some("2027-01-10"), today).ok(), Some((jour("2026-02-01"), jour("2027-01-31"))));
        let refus = |d: Option<&str>, f: Option<&str>| periode(d, f, today).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(refus(Some("2026-04-01"), Some("2026-03-01")).contains("précéder"));
        assert!(refus(Some("hier"), None).contains("« début »"));
        assert!(refus(Some("2020-01-01"), None).contains("60 mois au plus"));
        assert!(periode(Some("2022-01-01"), Some("2026-12-31"), today).is_ok(), "60 months exactly");
    }

    #[test]
    fn a_period_touches_whole_months_and_the_usual_periods_end_today() {
        let mois = mois_de_la_periode(jour("2025-11-15"), jour("2026-02-01"));
        assert_eq!(mois, vec![jour("2025-11-01"), jour("2025-12-01"), jour("2026-01-01"), jour("2026-02-01")]);
        assert_eq!(mois_de_la_periode(jour("2026-03-05"), jour("2026-03-05")), vec![jour("2026-03-01")]);
        let proposees = periodes_proposees(jour("2026-08-20"));
        let debuts: Vec<NaiveDate> = proposees.iter().map(|p| p.1).collect();
        assert_eq!(debuts, vec![jour("2026-08-01"), jour("2026-07-01"), jour("2026-01-01"), jour("2025-09-01")]);
        assert!(proposees.iter().all(|p| p.2 == jour("2026-08-20")));
    }

    #[test]
    fn a_quantile_of_counted_values_is_the_quantile_of_the_values_written_out() {
        let comptes = [(4, 1), (1, 2), (2, 3), (9, 0), (7, 4)];
        let mut valeurs: Vec<i64> = comptes.iter().flat_map(|(v, n)| std::iter::repeat_n(*v, *n as usize)).collect();
        for q in [0.0, 0.1, 0.5, 0.9, 1.0] {
            assert_eq!(quantile_des_comptes(&comptes, q), quantile(&mut valeurs, q), "q = {q}");
        }
        assert_eq!(quantile_des_comptes(&[], 0.5), None);
    }

    #[test]
    fn load_is_read_against_the_capacity_wished() {
        assert_eq!(Charge::de(79, 100, false), Charge::Moins80);
        assert_eq!(Charge::de(80, 100, false), Charge::De80a100);
        assert_eq!(Charge::de(100, 100, false), Charge::De80a100);
        assert_eq!(Charge::de(101, 100, false), Charge::Plus100);
        assert_eq!(Charge::de(3, 0, false), Charge::SansCapacite);
        assert_eq!(Charge::de(3, 10, true), Charge::Suspendu);
    }

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
