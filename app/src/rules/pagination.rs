//! Long lists shown a page at a time: which page the address asks for, and
//! how many pages there are. One rule for the journal, the accounts, the
//! liste blanche and the users to rescue.

/// Rows on a page of the team's lists.
pub const PAR_PAGE: u64 = 50;

/// The page asked for by `?page=`: a link typed by hand with a word, zero
/// or nothing shows the first page (a page number names no data, so there
/// is nothing to refuse); a huge number is bounded.
pub fn page_demandee(page: Option<&str>) -> u64 {
    page.and_then(|p| p.trim().parse::<u64>().ok()).unwrap_or(1).clamp(1, 1_000_000)
}

/// How many pages `total` rows fill (at least one, empty).
pub fn nombre_de_pages(total: u64) -> u64 {
    total.div_ceil(PAR_PAGE).max(1)
}

/// The page to show of `total` rows: the one asked for, or the last when
/// the list got shorter since the link was made (people handled meanwhile).
pub fn page_affichee(demandee: u64, total: u64) -> u64 {
    demandee.clamp(1, nombre_de_pages(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_read_from_the_address_or_is_the_first() {
        assert_eq!(page_demandee(Some("3")), 3);
        assert_eq!(page_demandee(Some(" 2 ")), 2);
        for bad in [None, Some(""), Some("0"), Some("-1"), Some("deux"), Some("1.5")] {
            assert_eq!(page_demandee(bad), 1, "{bad:?}");
        }
        assert_eq!(page_demandee(Some("99999999999")), 1_000_000);
    }

    #[test]
    fn pages_count_whole_pages_and_a_short_list_shows_its_last() {
        assert_eq!(nombre_de_pages(0), 1);
        assert_eq!(nombre_de_pages(50), 1);
        assert_eq!(nombre_de_pages(51), 2);
        assert_eq!(page_affichee(3, 120), 3);
        assert_eq!(page_affichee(9, 120), 3);
        assert_eq!(page_affichee(4, 0), 1);
    }
}
