//! Moments as the window says them, in this machine's time zone: the store keeps RFC 3339 in
//! UTC, and the window shows what Rust formats here, so the page never starts an ICU date
//! formatter (which cost a fresh web process 9-22 ms and ~4 MiB, on its first screen).

use chrono::{DateTime, Local, TimeZone};

/// `Dec 3, 2026, 12:52 PM`: when a bot changed.
pub fn day_and_time<Z: TimeZone>(rfc3339: &str, zone: &Z) -> String
where
    Z::Offset: std::fmt::Display,
{
    formatted(rfc3339, zone, "%b %-d, %Y, %-I:%M %p")
}

/// `12:52:07 PM`: when a test request arrived (the panel lists them by the second).
pub fn time_of_day<Z: TimeZone>(rfc3339: &str, zone: &Z) -> String
where
    Z::Offset: std::fmt::Display,
{
    formatted(rfc3339, zone, "%-I:%M:%S %p")
}

/// [`day_and_time`] in this machine's time zone.
pub fn local_day_and_time(rfc3339: &str) -> String {
    day_and_time(rfc3339, &Local)
}

/// [`time_of_day`] in this machine's time zone.
pub fn local_time_of_day(rfc3339: &str) -> String {
    time_of_day(rfc3339, &Local)
}

/// The moment in `zone`, or the text as it is if it is not RFC 3339.
fn formatted<Z: TimeZone>(rfc3339: &str, zone: &Z, format: &str) -> String
where
    Z::Offset: std::fmt::Display,
{
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(moment) => moment.with_timezone(zone).format(format).to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn a_moment_is_said_in_the_machines_time_zone() {
        let new_york_winter = FixedOffset::west_opt(5 * 3600).unwrap();
        let kolkata = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
        let stored = "2026-12-03T00:52:07.123Z";
        assert_eq!(day_and_time(stored, &utc()), "Dec 3, 2026, 12:52 AM");
        // Across midnight, the date moves with the time.
        assert_eq!(day_and_time(stored, &new_york_winter), "Dec 2, 2026, 7:52 PM");
        assert_eq!(day_and_time(stored, &kolkata), "Dec 3, 2026, 6:22 AM");
        assert_eq!(day_and_time("2026-07-14T13:05:00Z", &utc()), "Jul 14, 2026, 1:05 PM");
        assert_eq!(time_of_day(stored, &utc()), "12:52:07 AM");
        assert_eq!(time_of_day(stored, &new_york_winter), "7:52:07 PM");
        // An offset in the text is honoured, not taken for UTC.
        assert_eq!(time_of_day("2026-12-03T09:15:00+02:00", &utc()), "7:15:00 AM");
    }

    #[test]
    fn a_moment_that_is_not_rfc_3339_is_shown_as_it_is() {
        assert_eq!(day_and_time("yesterday", &utc()), "yesterday");
        assert_eq!(time_of_day("2026-13-45T99:00:00Z", &utc()), "2026-13-45T99:00:00Z");
        assert_eq!(day_and_time("", &utc()), "");
    }
}
