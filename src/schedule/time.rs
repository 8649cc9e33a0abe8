//! Times of the week: weekdays, parts of the day, times of day, time windows
//! and sessions.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::terms::terms;

terms! {
    /// A day of the week, Monday first.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Weekday;
    /// assert_eq!("mon".parse::<Weekday>()?, Weekday::Mon);
    /// assert_eq!("Saturday".parse::<Weekday>()?, Weekday::Sat);
    /// assert!(Weekday::Sun.is_weekend());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Weekday: "weekday" {
        /// Monday.
        Mon = "mon", "Monday";
        /// Tuesday.
        Tue = "tue", "Tuesday";
        /// Wednesday.
        Wed = "wed", "Wednesday";
        /// Thursday.
        Thu = "thu", "Thursday";
        /// Friday.
        Fri = "fri", "Friday";
        /// Saturday.
        Sat = "sat", "Saturday";
        /// Sunday.
        Sun = "sun", "Sunday";
    }
}

impl Weekday {
    /// Saturday or Sunday.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::Weekday::Fri.is_weekend());
    /// ```
    pub const fn is_weekend(self) -> bool {
        matches!(self, Weekday::Sat | Weekday::Sun)
    }

    /// The three-letter English abbreviation, `Mon` to `Sun`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Weekday::Thu.short(), "Thu");
    /// ```
    pub const fn short(self) -> &'static str {
        match self {
            Weekday::Mon => "Mon",
            Weekday::Tue => "Tue",
            Weekday::Wed => "Wed",
            Weekday::Thu => "Thu",
            Weekday::Fri => "Fri",
            Weekday::Sat => "Sat",
            Weekday::Sun => "Sun",
        }
    }

    /// Monday to Friday.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Weekday::WORKDAYS.len(), 5);
    /// ```
    pub const WORKDAYS: [Weekday; 5] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
}

terms! {
    /// Part of the day a session starts in: morning (before 12:00),
    /// afternoon (12:00 to 15:59) or evening (16:00 on).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{PartOfDay, TimeOfDay};
    /// assert_eq!(PartOfDay::of(TimeOfDay::hm(17, 30)?), PartOfDay::Evening);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum PartOfDay: "part of day" {
        /// Starts before 12:00.
        Morning = "morning", "morning";
        /// Starts from 12:00 to 15:59.
        Afternoon = "afternoon", "afternoon";
        /// Starts at 16:00 or later.
        Evening = "evening", "evening";
    }
}

impl PartOfDay {
    /// The part of the day `start` falls in.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{PartOfDay, TimeOfDay};
    /// assert_eq!(PartOfDay::of(TimeOfDay::hm(9, 0)?), PartOfDay::Morning);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn of(start: TimeOfDay) -> PartOfDay {
        match start.minutes() {
            0..720 => PartOfDay::Morning,
            720..960 => PartOfDay::Afternoon,
            _ => PartOfDay::Evening,
        }
    }
}

/// A time of day at minute precision, `00:00` to `24:00` (24:00 only as an end).
///
/// # Example
///
/// ```
/// use carematch::TimeOfDay;
///
/// let t: TimeOfDay = "17:30".parse()?;
/// assert_eq!(t.minutes(), 17 * 60 + 30);
/// assert_eq!(t.to_string(), "17:30");
/// assert_eq!("9:05".parse::<TimeOfDay>()?.to_string(), "09:05");
/// assert!("25:00".parse::<TimeOfDay>().is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// Midnight at the start of the day.
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);
    /// Midnight at the end of the day (`24:00`).
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(1440);

    /// A time from minutes after midnight, 0 to 1440.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) above 1440.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::TimeOfDay::from_minutes(90)?.to_string(), "01:30");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn from_minutes(minutes: u16) -> Result<TimeOfDay, Error> {
        if minutes > 1440 {
            return Err(Error::parse(
                "time of day",
                &minutes.to_string(),
                "minutes after midnight must be 0 to 1440",
            ));
        }
        Ok(TimeOfDay(minutes))
    }

    /// A time from hours and minutes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) for an hour above 24, a minute above 59, or past 24:00.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::TimeOfDay::hm(9, 0)?.minutes(), 540);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn hm(hour: u8, minute: u8) -> Result<TimeOfDay, Error> {
        if hour > 24 || minute > 59 || (hour == 24 && minute > 0) {
            return Err(Error::parse(
                "time of day",
                &format!("{hour:02}:{minute:02}"),
                "must be 00:00 to 24:00",
            ));
        }
        Ok(TimeOfDay(u16::from(hour) * 60 + u16::from(minute)))
    }

    /// Minutes after midnight.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::TimeOfDay::END_OF_DAY.minutes(), 1440);
    /// ```
    pub const fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl FromStr for TimeOfDay {
    type Err = Error;

    fn from_str(s: &str) -> Result<TimeOfDay, Error> {
        TimeOfDay::from_exact(s).map_or_else(|| TimeOfDay::parse_full(s), Ok)
    }
}

impl TimeOfDay {
    /// The time `s` names when it is written as serde writes one, `HH:MM`
    /// (00:00 to 24:00), read straight from its bytes; `None` for anything
    /// else (spaces, a one-digit hour, an error), which `parse_full` reads.
    fn from_exact(s: &str) -> Option<TimeOfDay> {
        let [h1, h0, b':', m1, m0] = *s.as_bytes() else {
            return None;
        };
        if ![h1, h0, m1, m0].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let (h, m) = (
            (h1 - b'0') * 10 + (h0 - b'0'),
            (m1 - b'0') * 10 + (m0 - b'0'),
        );
        (h < 24 && m < 60 || h == 24 && m == 0).then(|| TimeOfDay(u16::from(h) * 60 + u16::from(m)))
    }

    /// Reads any time text `from_str` accepts, with its errors.
    fn parse_full(s: &str) -> Result<TimeOfDay, Error> {
        let bad = || Error::parse("time of day", s, "expected HH:MM, 00:00 to 24:00");
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        let digits = |p: &str, max_len| {
            !p.is_empty() && p.len() <= max_len && p.bytes().all(|c| c.is_ascii_digit())
        };
        if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
            return Err(bad());
        }
        let (h, m): (u8, u8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        TimeOfDay::hm(h, m).map_err(|_| bad())
    }
}

#[cfg(feature = "serde")]
crate::serde_impl::via_string!(TimeOfDay, "a time of day as HH:MM");

/// A span of time within one day, from `start` to `end`.
///
/// [`TimeWindow::new`] insists that it starts before it ends, and so does
/// reading one from JSON (`{"start": "17:30", "end": "20:30"}`). The windows
/// of a directory's sessions are not checked as they are read, so that
/// validation can report every bad window of a directory together; code
/// that reads windows treats a reversed one as empty.
///
/// # Example
///
/// ```
/// use carematch::{TimeOfDay, TimeWindow};
///
/// let w = TimeWindow::new(TimeOfDay::hm(17, 30)?, TimeOfDay::hm(20, 30)?)?;
/// assert_eq!(w.minutes(), 180);
/// assert_eq!(w.to_string(), "17:30-20:30");
/// let err = TimeWindow::new(TimeOfDay::hm(12, 0)?, TimeOfDay::hm(9, 0)?).unwrap_err();
/// assert_eq!(err.to_string(), "invalid time window `12:00-09:00`: ends at 09:00, before it starts at 12:00");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(deny_unknown_fields, try_from = "TimeWindowRepr")
)]
pub struct TimeWindow {
    /// When it starts.
    pub start: TimeOfDay,
    /// When it ends.
    pub end: TimeOfDay,
}

impl TimeWindow {
    /// A window that starts before it ends.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) when `end` is not after `start`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{TimeOfDay, TimeWindow};
    /// assert!(TimeWindow::new(TimeOfDay::hm(9, 0)?, TimeOfDay::hm(9, 0)?).is_err());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> Result<TimeWindow, Error> {
        let w = TimeWindow { start, end };
        match w.problem() {
            Some(reason) => Err(Error::parse("time window", &w.to_string(), reason)),
            None => Ok(w),
        }
    }

    /// A window from `HH:MM` hours and minutes, checked as [`TimeWindow::new`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) for a bad time or a window that does not start before it ends.
    ///
    /// # Example
    ///
    /// ```
    /// let w = carematch::TimeWindow::hm((9, 0), (12, 0))?;
    /// assert_eq!(w.minutes(), 180);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn hm(start: (u8, u8), end: (u8, u8)) -> Result<TimeWindow, Error> {
        TimeWindow::new(
            TimeOfDay::hm(start.0, start.1)?,
            TimeOfDay::hm(end.0, end.1)?,
        )
    }

    /// What is wrong with this window, if anything (for validation).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{TimeOfDay, TimeWindow};
    /// let w = TimeWindow { start: TimeOfDay::hm(12, 0)?, end: TimeOfDay::hm(9, 0)? };
    /// assert_eq!(w.problem().as_deref(), Some("ends at 09:00, before it starts at 12:00"));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn problem(&self) -> Option<String> {
        if self.end < self.start {
            Some(format!(
                "ends at {}, before it starts at {}",
                self.end, self.start
            ))
        } else if self.end == self.start {
            Some(format!("ends when it starts, at {}", self.start))
        } else if self.start == TimeOfDay::END_OF_DAY {
            Some("starts at 24:00, the end of the day".to_owned())
        } else {
            None
        }
    }

    /// Length in minutes; 0 for a reversed window.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::TimeWindow::hm((9, 0), (9, 45))?.minutes(), 45);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn minutes(&self) -> u16 {
        self.end.minutes().saturating_sub(self.start.minutes())
    }
}

/// A [`TimeWindow`] as JSON gives it, before the check.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a time window as an object with start and end, such as {\"start\": \"17:30\", \"end\": \"20:30\"}"
)]
struct TimeWindowRepr {
    start: TimeOfDay,
    end: TimeOfDay,
}

#[cfg(feature = "serde")]
impl TryFrom<TimeWindowRepr> for TimeWindow {
    type Error = String;

    fn try_from(r: TimeWindowRepr) -> Result<TimeWindow, String> {
        let w = TimeWindow {
            start: r.start,
            end: r.end,
        };
        match w.problem() {
            Some(problem) => Err(format!("time window {w}: {problem}")),
            None => Ok(w),
        }
    }
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// One weekly session: a weekday and a window, such as Monday 17:30-20:30.
///
/// In JSON: `{"day": "mon", "start": "17:30", "end": "20:30"}`.
///
/// # Example
///
/// ```
/// use carematch::{Session, TimeWindow, Weekday};
/// let s = Session::new(Weekday::Mon, TimeWindow::hm((17, 30), (20, 30))?);
/// assert_eq!(s.to_string(), "Mon 17:30-20:30");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "SessionRepr", into = "SessionRepr"))]
pub struct Session {
    /// The weekday.
    pub day: Weekday,
    /// The time window on that day.
    pub window: TimeWindow,
}

impl Session {
    /// A session on `day` during `window`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Session, TimeWindow, Weekday};
    /// let s = Session::new(Weekday::Sat, TimeWindow::hm((9, 0), (12, 0))?);
    /// assert!(s.day.is_weekend());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(day: Weekday, window: TimeWindow) -> Session {
        Session { day, window }
    }
}

impl fmt::Display for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.day.short(), self.window)
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a session as an object with day, start and end, such as {\"day\": \"mon\", \"start\": \"17:30\", \"end\": \"20:30\"}"
)]
struct SessionRepr {
    day: Weekday,
    start: TimeOfDay,
    end: TimeOfDay,
}

#[cfg(feature = "serde")]
impl From<SessionRepr> for Session {
    fn from(r: SessionRepr) -> Session {
        Session {
            day: r.day,
            window: TimeWindow {
                start: r.start,
                end: r.end,
            },
        }
    }
}

#[cfg(feature = "serde")]
impl From<Session> for SessionRepr {
    fn from(s: Session) -> SessionRepr {
        SessionRepr {
            day: s.day,
            start: s.window.start,
            end: s.window.end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TimeOfDay;

    /// Every five-character `dd:dd`, and a few near misses: the shortcut
    /// reads what the full parser reads, and leaves every error to it.
    #[test]
    fn the_shortcut_reads_every_hh_mm_as_the_full_parser() {
        let mut read = 0;
        for h in 0..100u32 {
            for m in 0..100u32 {
                let s = format!("{h:02}:{m:02}");
                let full = TimeOfDay::parse_full(&s);
                match TimeOfDay::from_exact(&s) {
                    Some(t) => {
                        assert_eq!(full.as_ref().ok(), Some(&t), "{s}");
                        read += 1;
                    }
                    None => assert!(full.is_err(), "{s}: the shortcut missed a time"),
                }
                assert_eq!(s.parse::<TimeOfDay>().ok(), full.ok(), "{s}");
            }
        }
        // 00:00 to 23:59, and 24:00.
        assert_eq!(read, 24 * 60 + 1);
        for s in [
            " 09:00",
            "9:00",
            "09:00 ",
            "0900",
            "09-00",
            "+9:00",
            "٠٩:٠٠",
            "",
        ] {
            assert_eq!(TimeOfDay::from_exact(s), None, "{s}");
            assert_eq!(
                s.parse::<TimeOfDay>().map_err(|e| e.to_string()),
                TimeOfDay::parse_full(s).map_err(|e| e.to_string()),
                "{s}"
            );
        }
    }
}
