//! Metropolitan French time, which users read and type dates in: UTC+1, and
//! UTC+2 in summer — from the last Sunday of March to the last Sunday of
//! October, switching at 01:00 UTC (the European Union's rule since 1996).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

/// The offset of Paris time at the UTC instant `at`.
pub fn decalage_paris(at: NaiveDateTime) -> FixedOffset {
    let last_sunday_at_one = |month: u32| {
        let mut day = NaiveDate::from_ymd_opt(at.year(), month, 31).unwrap_or_default();
        while day.weekday() != chrono::Weekday::Sun {
            day = day.pred_opt().unwrap_or(day);
        }
        day.and_hms_opt(1, 0, 0).unwrap_or_default()
    };
    let summer = at >= last_sunday_at_one(3) && at < last_sunday_at_one(10);
    FixedOffset::east_opt(if summer { 2 * 3600 } else { 3600 }).unwrap_or(Utc.fix())
}

/// An instant as read in Paris (its day, its hour).
pub fn a_paris<Tz: TimeZone>(at: &DateTime<Tz>) -> DateTime<FixedOffset> {
    at.with_timezone(&decalage_paris(at.naive_utc()))
}

/// The day of an instant as read in Paris ("05/12/2026").
pub fn jour_a_paris(at: DateTime<FixedOffset>) -> String {
    a_paris(&at).format("%d/%m/%Y").to_string()
}

/// A day written `AAAA-MM-JJ` (as the JSON answers carry it) as people read
/// it, "05/12/2026"; anything else unchanged.
pub fn jour_en_clair(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(|_| iso.to_string(), |d| d.format("%d/%m/%Y").to_string())
}

/// The instant a day begins in Paris (for "from this day" filters),
/// written in UTC like every stored timestamp: SQLite compares them as
/// text, so a bound written "+01:00" would be off by an hour.
pub fn minuit_a_paris(day: NaiveDate) -> DateTime<FixedOffset> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    // The offset at local midnight: the switch happens at 02:00 or 03:00 local, never at midnight.
    let offset = decalage_paris(midnight - chrono::Duration::hours(1));
    let at = offset.from_local_datetime(&midnight).single().unwrap_or_else(|| Utc.from_utc_datetime(&midnight).fixed_offset());
    at.with_timezone(&Utc).fixed_offset()
}

/// The end of an "until this day" filter, excluded: the instant the next day
/// begins in Paris.
pub fn fin_du_jour_a_paris(day: NaiveDate) -> DateTime<FixedOffset> {
    minuit_a_paris(day + chrono::Days::new(1))
}

/// A date filter's value (`du`, `au`): none when left empty, refused with a
/// French message naming the filter when it is not a date.
pub fn jour_filtre(value: Option<&str>, name: &str) -> Result<Option<NaiveDate>, crate::errors::AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => jour_saisi(v)
            .map(Some)
            .ok_or_else(|| crate::errors::AppError::Invalide(format!("« {name} » : « {v} » n'est pas une date ({FORMAT_DATE})."))),
        None => Ok(None),
    }
}

/// How a date is asked for and explained to people: the form French readers
/// use (the browsers' date fields show it too).
pub const FORMAT_DATE: &str = "jj/mm/aaaa";

/// A day as typed: "28/11/2026" (or with dashes or dots) as people write it,
/// or "2026-11-28" as date fields and the JSON API send it.
pub fn jour_saisi(text: &str) -> Option<chrono::NaiveDate> {
    let text = text.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"].iter().find_map(|format| chrono::NaiveDate::parse_from_str(text, format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("date")
    }

    #[test]
    fn summer_time_starts_and_ends_on_the_last_sundays_at_one_utc() {
        // 2026: 29 March and 25 October.
        assert_eq!(decalage_paris(utc("2026-03-29 00:59")).local_minus_utc(), 3600);
        assert_eq!(decalage_paris(utc("2026-03-29 01:00")).local_minus_utc(), 7200);
        assert_eq!(decalage_paris(utc("2026-10-25 00:59")).local_minus_utc(), 7200);
        assert_eq!(decalage_paris(utc("2026-10-25 01:00")).local_minus_utc(), 3600);
        assert_eq!(decalage_paris(utc("2027-03-28 01:00")).local_minus_utc(), 7200, "2027: 28 March");
    }

    #[test]
    fn days_are_read_as_people_and_date_fields_write_them() {
        let expected = NaiveDate::from_ymd_opt(2026, 11, 28);
        for typed in ["2026-11-28", "28/11/2026", " 28-11-2026 ", "28.11.2026"] {
            assert_eq!(jour_saisi(typed), expected, "{typed}");
        }
        for typed in ["hier", "31/02/2026", "2026-13-01", "28/11", ""] {
            assert_eq!(jour_saisi(typed), None, "{typed}");
        }
    }

    #[test]
    fn a_day_begins_at_local_midnight() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("jour");
        assert_eq!(minuit_a_paris(day("2026-11-28")).naive_utc(), utc("2026-11-27 23:00"));
        assert_eq!(minuit_a_paris(day("2026-07-14")).naive_utc(), utc("2026-07-13 22:00"));
        assert_eq!(minuit_a_paris(day("2026-03-29")).naive_utc(), utc("2026-03-28 23:00"), "the night of the switch");
        assert_eq!(minuit_a_paris(day("2026-11-28")).to_rfc3339(), "2026-11-27T23:00:00+00:00", "written in UTC, as stored");
    }
}
