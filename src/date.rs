//! A small validated calendar date.
//!
//! carematch needs dates only for "last verified" and for judging freshness
//! against a date the caller passes (`as_of`); the library never reads the
//! clock. A civil (proleptic Gregorian) date is all that needs, so this is a
//! small type rather than a dependency.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A calendar date (proleptic Gregorian), years 1900 to 2999.
///
/// Written and read as `YYYY-MM-DD`; serde uses the same string.
///
/// # Example
///
/// ```
/// use carematch::Date;
///
/// let verified: Date = "2026-03-01".parse()?;
/// let as_of = Date::new(2026, 11, 29)?;
/// assert_eq!(as_of.days_since(verified), 273);
/// assert_eq!(verified.to_string(), "2026-03-01");
/// assert!("2026-02-30".parse::<Date>().is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date from its parts.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) when the year is outside 1900-2999 or the month or day
    /// does not exist (April 31st, February 29th in a common year).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Date;
    /// assert!(Date::new(2024, 2, 29).is_ok());
    /// assert!(Date::new(2025, 2, 29).is_err());
    /// ```
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, Error> {
        let text = || format!("{year:04}-{month:02}-{day:02}");
        if !(1900..=2999).contains(&year) {
            return Err(Error::parse("date", &text(), "year must be 1900 to 2999"));
        }
        if !(1..=12).contains(&month) {
            return Err(Error::parse("date", &text(), "month must be 1 to 12"));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(Error::parse(
                "date",
                &text(),
                format!("day must be 1 to {last} in that month"),
            ));
        }
        Ok(Date { year, month, day })
    }

    /// A date from its parts, in a `const` context; `None` where [`Date::new`] would fail.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Date;
    /// const D: Option<Date> = Date::checked(2026, 11, 1);
    /// assert!(D.is_some());
    /// assert!(Date::checked(2026, 2, 29).is_none());
    /// ```
    pub const fn checked(year: u16, month: u8, day: u8) -> Option<Date> {
        if year < 1900 || year > 2999 || month < 1 || month > 12 {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Date::new(2026, 1, 2).unwrap().year(), 2026);
    /// ```
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Date::new(2026, 1, 2).unwrap().month(), 1);
    /// ```
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Date::new(2026, 1, 2).unwrap().day(), 2);
    /// ```
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Date::new(1970, 1, 2).unwrap().days_since_epoch(), 1);
    /// ```
    pub fn days_since_epoch(self) -> i32 {
        // Howard Hinnant's days_from_civil.
        let y = i32::from(self.year) - i32::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i32::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i32::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (before it when negative); `None`
    /// outside the years 1900-2999.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Date;
    /// let d = Date::new(2026, 11, 29)?;
    /// assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), Some(d));
    /// assert_eq!(Date::from_days_since_epoch(0).map(|d| d.to_string()).as_deref(), Some("1970-01-01"));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn from_days_since_epoch(days: i32) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = i64::from(days) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let year = u16::try_from(year).ok()?;
        Date::checked(year, month as u8, day as u8)
    }

    /// Whole days from `earlier` to `self`; negative when `earlier` is later.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Date;
    /// let a = Date::new(2025, 12, 31)?;
    /// let b = Date::new(2026, 1, 1)?;
    /// assert_eq!(b.days_since(a), 1);
    /// assert_eq!(a.days_since(b), -1);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn days_since(self, earlier: Date) -> i32 {
        self.days_since_epoch() - earlier.days_since_epoch()
    }
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = Error;

    fn from_str(s: &str) -> Result<Date, Error> {
        let bad = || Error::parse("date", s, "expected YYYY-MM-DD");
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u16, Error> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        // m and d are two digits, so they fit in u8.
        Date::new(y, m as u8, d as u8).map_err(|e| match e.repr() {
            crate::error::Repr::Parse { reason, .. } => Error::parse("date", s, reason.clone()),
            _ => e,
        })
    }
}

#[cfg(feature = "serde")]
crate::serde_impl::via_string!(Date, "a date as YYYY-MM-DD");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_match_known_values() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
        assert_eq!(Date::new(1969, 12, 31).unwrap().days_since_epoch(), -1);
    }

    #[test]
    fn consecutive_days_differ_by_one() {
        let mut prev = Date::new(1999, 1, 1).unwrap().days_since_epoch();
        for y in 1999..2002u16 {
            for m in 1..=12u8 {
                for d in 1..=days_in_month(y, m) {
                    let n = Date::new(y, m, d).unwrap().days_since_epoch();
                    if (y, m, d) != (1999, 1, 1) {
                        assert_eq!(n, prev + 1, "{y}-{m}-{d}");
                    }
                    prev = n;
                }
            }
        }
    }

    #[test]
    fn days_round_trip_through_civil_dates() {
        for days in -25_567..40_000 {
            let d = Date::from_days_since_epoch(days).expect("in range");
            assert_eq!(d.days_since_epoch(), days);
        }
        assert_eq!(Date::from_days_since_epoch(-25_568), None); // 1899-12-31
    }

    #[test]
    fn malformed_dates_are_refused() {
        for s in [
            "",
            "2026-1-01",
            "2026/01/01",
            "20260101",
            "2026-00-10",
            "2026-13-01",
            "2026-04-31",
            "+026-01-01",
            "1899-12-31",
        ] {
            assert!(s.parse::<Date>().is_err(), "{s}");
        }
    }
}
