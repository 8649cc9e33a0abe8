//! Weekly schedules: weekdays, times, windows, program tracks and patient availability.
//!
//! Matching compares schedules on a grid of quarter-hours (7 days x 96 slots
//! = 672 bits, [`WeekMask`]). A program session occupies every quarter-hour it
//! touches; a patient is free in a quarter-hour only when the whole of it lies
//! inside a free window. Both roundings are conservative: a fit is never
//! overstated.

use std::fmt;
use std::str::FromStr;

use crate::terms::terms;
use crate::{Error, LevelOfCare};

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
    /// [`Error::Parse`] above 1440.
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
    /// [`Error::Parse`] for an hour above 24, a minute above 59, or past 24:00.
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
/// [`TimeWindow::new`] insists that it starts before it ends. Deserialized
/// windows are not checked at once, so that validation can report every bad
/// window of a directory together; code that reads windows treats a reversed
/// one as empty.
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
    /// [`Error::Parse`] when `end` is not after `start`.
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
    /// [`Error::Parse`] for a bad time or a window that does not start before it ends.
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
#[serde(deny_unknown_fields)]
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

/// A program track: a named set of weekly sessions at one level of care,
/// such as "evening track: Mon, Wed, Thu 17:30-20:30".
///
/// # Example
///
/// ```
/// use carematch::{LevelOfCare, PartOfDay, Track, TimeWindow, Weekday};
///
/// let w = TimeWindow::hm((17, 30), (20, 30))?;
/// let track = Track::new("evening", LevelOfCare::IntensiveOutpatient)
///     .with_sessions([Weekday::Mon, Weekday::Wed, Weekday::Thu], w);
/// assert_eq!(track.hours_per_week(), 9.0);
/// assert_eq!(track.to_string(), "evening (intensive outpatient): Mon, Wed, Thu 17:30-20:30");
/// assert!(track.parts_of_day().contains(&PartOfDay::Evening));
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Track {
    /// The program's name for it ("morning", "evening", "weekend").
    pub name: String,
    /// The level of care the track delivers.
    pub level: LevelOfCare,
    /// Its weekly sessions.
    pub sessions: Vec<Session>,
}

impl Track {
    /// An empty track.
    ///
    /// # Example
    ///
    /// ```
    /// let t = carematch::Track::new("morning", carematch::LevelOfCare::IntensiveOutpatient);
    /// assert!(t.sessions.is_empty());
    /// ```
    pub fn new(name: impl Into<String>, level: LevelOfCare) -> Track {
        Track {
            name: name.into(),
            level,
            sessions: Vec::new(),
        }
    }

    /// The same track with a session on each of `days` during `window`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, Track, TimeWindow, Weekday};
    /// let t = Track::new("am", LevelOfCare::IntensiveOutpatient)
    ///     .with_sessions(Weekday::WORKDAYS, TimeWindow::hm((9, 0), (12, 0))?);
    /// assert_eq!(t.sessions.len(), 5);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn with_sessions(
        mut self,
        days: impl IntoIterator<Item = Weekday>,
        window: TimeWindow,
    ) -> Track {
        self.sessions
            .extend(days.into_iter().map(|d| Session::new(d, window)));
        self
    }

    /// Scheduled hours a week (reversed windows count 0).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, Track, TimeWindow, Weekday};
    /// let t = Track::new("pm", LevelOfCare::IntensiveOutpatient)
    ///     .with_sessions([Weekday::Tue, Weekday::Thu], TimeWindow::hm((13, 0), (16, 30))?);
    /// assert_eq!(t.hours_per_week(), 7.0);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn hours_per_week(&self) -> f64 {
        f64::from(self.minutes_per_week()) / 60.0
    }

    /// Scheduled minutes a week (reversed windows count 0).
    ///
    /// # Example
    ///
    /// ```
    /// let t = carematch::Track::new("x", carematch::LevelOfCare::Outpatient);
    /// assert_eq!(t.minutes_per_week(), 0);
    /// ```
    pub fn minutes_per_week(&self) -> u32 {
        self.sessions
            .iter()
            .map(|s| u32::from(s.window.minutes()))
            .sum()
    }

    /// The quarter-hours this track occupies (see [`WeekMask::touching`]).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, Track, TimeWindow, Weekday};
    /// let t = Track::new("x", LevelOfCare::IntensiveOutpatient)
    ///     .with_sessions([Weekday::Mon], TimeWindow::hm((9, 0), (12, 0))?);
    /// assert_eq!(t.mask().count(), 12);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn mask(&self) -> WeekMask {
        WeekMask::touching(&self.sessions)
    }

    /// The parts of the day its sessions start in, each once, in order.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, PartOfDay, Track, TimeWindow, Weekday};
    /// let t = Track::new("x", LevelOfCare::IntensiveOutpatient)
    ///     .with_sessions([Weekday::Mon], TimeWindow::hm((9, 0), (12, 0))?);
    /// assert_eq!(t.parts_of_day(), vec![PartOfDay::Morning]);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn parts_of_day(&self) -> Vec<PartOfDay> {
        let mut parts: Vec<PartOfDay> = self
            .sessions
            .iter()
            .map(|s| PartOfDay::of(s.window.start))
            .collect();
        parts.sort();
        parts.dedup();
        parts
    }

    /// Whether any session falls on a Saturday or Sunday.
    ///
    /// # Example
    ///
    /// ```
    /// let t = carematch::Track::new("x", carematch::LevelOfCare::Outpatient);
    /// assert!(!t.has_weekend());
    /// ```
    pub fn has_weekend(&self) -> bool {
        self.sessions.iter().any(|s| s.day.is_weekend())
    }
}

impl fmt::Display for Track {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.level)?;
        write_sessions(f, &self.sessions)
    }
}

/// Writes `: Mon, Wed 17:30-20:30; Sat 09:00-12:00`, grouping days that share a window.
pub(crate) fn write_sessions(f: &mut fmt::Formatter<'_>, sessions: &[Session]) -> fmt::Result {
    let mut windows: Vec<TimeWindow> = sessions.iter().map(|s| s.window).collect();
    windows.sort();
    windows.dedup();
    for (i, w) in windows.iter().enumerate() {
        f.write_str(if i == 0 { ": " } else { "; " })?;
        let mut days: Vec<Weekday> = sessions
            .iter()
            .filter(|s| s.window == *w)
            .map(|s| s.day)
            .collect();
        days.sort();
        days.dedup();
        for (j, d) in days.iter().enumerate() {
            if j > 0 {
                f.write_str(", ")?;
            }
            f.write_str(d.short())?;
        }
        write!(f, " {w}")?;
    }
    Ok(())
}

/// When a patient can attend: free windows over the week.
///
/// Build it from free windows, or from busy blocks ("works Mon-Fri
/// 9:00-17:00") with [`Availability::from_busy`]. Windows are kept sorted and
/// merged. A busy block that crosses midnight is given as two blocks.
///
/// In JSON, either `{"free": [...]}` or `{"busy": [...]}`, each a list of
/// blocks `{"days": ["mon", "tue"], "start": "09:00", "end": "17:00"}`;
/// it is written back as `free`.
///
/// # Example
///
/// ```
/// use carematch::{Availability, TimeWindow, Weekday};
///
/// let works = Availability::from_busy(Weekday::WORKDAYS, TimeWindow::hm((9, 0), (17, 0))?);
/// assert!(works.is_free(Weekday::Mon, TimeWindow::hm((17, 30), (20, 30))?));
/// assert!(!works.is_free(Weekday::Mon, TimeWindow::hm((9, 0), (12, 0))?));
/// assert!(works.is_free(Weekday::Sat, TimeWindow::hm((9, 0), (12, 0))?));
/// assert_eq!(works.free().len(), 2 * 5 + 2);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Availability {
    free: Vec<Session>,
}

impl Default for Availability {
    fn default() -> Self {
        Availability::anytime()
    }
}

impl Availability {
    /// Free at every hour of every day.
    ///
    /// # Example
    ///
    /// ```
    /// let a = carematch::Availability::anytime();
    /// assert_eq!(a.mask().count(), 672);
    /// ```
    pub fn anytime() -> Availability {
        let all = TimeWindow {
            start: TimeOfDay::MIDNIGHT,
            end: TimeOfDay::END_OF_DAY,
        };
        Availability {
            free: Weekday::ALL.iter().map(|d| Session::new(*d, all)).collect(),
        }
    }

    /// Free during `free` sessions (overlapping ones are merged; reversed ones are empty).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Availability, Session, TimeWindow, Weekday};
    /// let a = Availability::from_free([
    ///     Session::new(Weekday::Tue, TimeWindow::hm((9, 0), (12, 0))?),
    ///     Session::new(Weekday::Tue, TimeWindow::hm((11, 0), (14, 0))?),
    /// ]);
    /// assert_eq!(a.free().len(), 1);
    /// assert_eq!(a.free()[0].window.to_string(), "09:00-14:00");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn from_free(free: impl IntoIterator<Item = Session>) -> Availability {
        let mut v: Vec<Session> = free
            .into_iter()
            .filter(|s| s.window.problem().is_none())
            .collect();
        v.sort();
        let mut merged: Vec<Session> = Vec::with_capacity(v.len());
        for s in v {
            match merged.last_mut() {
                Some(last) if last.day == s.day && s.window.start <= last.window.end => {
                    last.window.end = last.window.end.max(s.window.end);
                }
                _ => merged.push(s),
            }
        }
        Availability { free: merged }
    }

    /// Free at all times except `window` on each of `days`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Availability, TimeWindow, Weekday};
    /// let a = Availability::from_busy([Weekday::Mon], TimeWindow::hm((0, 0), (24, 0))?);
    /// assert!(a.free().iter().all(|s| s.day != Weekday::Mon));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn from_busy(days: impl IntoIterator<Item = Weekday>, window: TimeWindow) -> Availability {
        let busy: Vec<Session> = days.into_iter().map(|d| Session::new(d, window)).collect();
        Availability::from_busy_sessions(&busy)
    }

    /// Free at all times outside every session in `busy`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Availability, Session, TimeWindow, Weekday};
    /// let a = Availability::from_busy_sessions(&[
    ///     Session::new(Weekday::Sun, TimeWindow::hm((8, 0), (16, 0))?),
    /// ]);
    /// assert!(!a.is_free(Weekday::Sun, TimeWindow::hm((9, 0), (10, 0))?));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn from_busy_sessions(busy: &[Session]) -> Availability {
        let busy = Availability::from_free(busy.iter().copied());
        let mut free = Vec::new();
        for day in Weekday::ALL {
            let mut cursor = TimeOfDay::MIDNIGHT;
            for b in busy.free.iter().filter(|s| s.day == *day) {
                if b.window.start > cursor {
                    free.push(Session::new(
                        *day,
                        TimeWindow {
                            start: cursor,
                            end: b.window.start,
                        },
                    ));
                }
                cursor = cursor.max(b.window.end);
            }
            if cursor < TimeOfDay::END_OF_DAY {
                free.push(Session::new(
                    *day,
                    TimeWindow {
                        start: cursor,
                        end: TimeOfDay::END_OF_DAY,
                    },
                ));
            }
        }
        Availability { free }
    }

    /// The free windows, sorted by day and time, merged.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Availability::anytime().free().len(), 7);
    /// ```
    pub fn free(&self) -> &[Session] {
        &self.free
    }

    /// Whether the whole of `window` on `day` is free.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Availability, TimeWindow, Weekday};
    /// assert!(Availability::anytime().is_free(Weekday::Wed, TimeWindow::hm((3, 0), (4, 0))?));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn is_free(&self, day: Weekday, window: TimeWindow) -> bool {
        self.free
            .iter()
            .any(|s| s.day == day && s.window.start <= window.start && window.end <= s.window.end)
    }

    /// The quarter-hours wholly inside free windows (see [`WeekMask::within`]).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Availability::anytime().mask().count(), 7 * 96);
    /// ```
    pub fn mask(&self) -> WeekMask {
        WeekMask::within(&self.free)
    }
}

impl fmt::Display for Availability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.free.is_empty() {
            return f.write_str("never free");
        }
        f.write_str("free")?;
        write_sessions(f, &self.free)
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockRepr {
    days: Vec<Weekday>,
    start: TimeOfDay,
    end: TimeOfDay,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum AvailabilityRepr {
    Free(Vec<BlockRepr>),
    Busy(Vec<BlockRepr>),
}

#[cfg(feature = "serde")]
impl AvailabilityRepr {
    fn sessions(blocks: &[BlockRepr]) -> Result<Vec<Session>, String> {
        let mut out = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            let w = TimeWindow {
                start: b.start,
                end: b.end,
            };
            if let Some(p) = w.problem() {
                return Err(format!("block [{i}] {p}"));
            }
            if b.days.is_empty() {
                return Err(format!("block [{i}] names no days"));
            }
            out.extend(b.days.iter().map(|d| Session::new(*d, w)));
        }
        Ok(out)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Availability {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let blocks = self
            .free
            .iter()
            .map(|x| BlockRepr {
                days: vec![x.day],
                start: x.window.start,
                end: x.window.end,
            })
            .collect();
        AvailabilityRepr::Free(blocks).serialize(s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Availability {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match AvailabilityRepr::deserialize(d)? {
            AvailabilityRepr::Free(b) => AvailabilityRepr::sessions(&b)
                .map(Availability::from_free)
                .map_err(D::Error::custom),
            AvailabilityRepr::Busy(b) => AvailabilityRepr::sessions(&b)
                .map(|s| Availability::from_busy_sessions(&s))
                .map_err(D::Error::custom),
        }
    }
}

/// A set of the week's 672 quarter-hours (7 days x 96), Monday 00:00 first.
///
/// # Example
///
/// ```
/// use carematch::{Session, TimeWindow, WeekMask, Weekday};
///
/// let evening = [Session::new(Weekday::Mon, TimeWindow::hm((17, 40), (20, 30))?)];
/// // Touching rounds outward (17:30-20:30: 12 slots), within rounds inward (17:45-20:30: 11).
/// assert_eq!(WeekMask::touching(&evening).count(), 12);
/// assert_eq!(WeekMask::within(&evening).count(), 11);
/// let both = WeekMask::touching(&evening).and(&WeekMask::within(&evening));
/// assert_eq!(both.count(), 11);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct WeekMask([u64; 11]);

impl WeekMask {
    /// Quarter-hour slots in a week.
    pub const SLOTS: usize = 7 * 96;

    /// The empty set.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::WeekMask::EMPTY.count(), 0);
    /// ```
    pub const EMPTY: WeekMask = WeekMask([0; 11]);

    fn set_range(&mut self, from: usize, to: usize) {
        for slot in from..to.min(WeekMask::SLOTS) {
            self.0[slot / 64] |= 1u64 << (slot % 64);
        }
    }

    /// Every quarter-hour that any session touches, even in part.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Session, TimeWindow, WeekMask, Weekday};
    /// let s = [Session::new(Weekday::Sun, TimeWindow::hm((23, 50), (24, 0))?)];
    /// assert_eq!(WeekMask::touching(&s).count(), 1);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn touching(sessions: &[Session]) -> WeekMask {
        let mut m = WeekMask::EMPTY;
        for s in sessions.iter().filter(|s| s.window.problem().is_none()) {
            let base = s.day.index() * 96;
            let from = usize::from(s.window.start.minutes()) / 15;
            let to = usize::from(s.window.end.minutes()).div_ceil(15);
            m.set_range(base + from, base + to);
        }
        m
    }

    /// Every quarter-hour that lies wholly inside some session.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Session, TimeWindow, WeekMask, Weekday};
    /// let s = [Session::new(Weekday::Sun, TimeWindow::hm((23, 50), (24, 0))?)];
    /// assert_eq!(WeekMask::within(&s).count(), 0);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn within(sessions: &[Session]) -> WeekMask {
        let mut m = WeekMask::EMPTY;
        for s in sessions.iter().filter(|s| s.window.problem().is_none()) {
            let base = s.day.index() * 96;
            let from = usize::from(s.window.start.minutes()).div_ceil(15);
            let to = usize::from(s.window.end.minutes()) / 15;
            if from < to {
                m.set_range(base + from, base + to);
            }
        }
        m
    }

    /// The slots in both sets.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::WeekMask;
    /// assert_eq!(WeekMask::EMPTY.and(&WeekMask::EMPTY), WeekMask::EMPTY);
    /// ```
    pub fn and(&self, other: &WeekMask) -> WeekMask {
        let mut out = [0u64; 11];
        for (o, (a, b)) in out.iter_mut().zip(self.0.iter().zip(other.0.iter())) {
            *o = a & b;
        }
        WeekMask(out)
    }

    /// How many slots are set.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::WeekMask::EMPTY.count(), 0);
    /// ```
    pub fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    /// How many slots are in both sets, without building the intersection.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::WeekMask;
    /// assert_eq!(WeekMask::EMPTY.overlap(&WeekMask::EMPTY), 0);
    /// ```
    pub fn overlap(&self, other: &WeekMask) -> u32 {
        self.0
            .iter()
            .zip(other.0.iter())
            .map(|(a, b)| (a & b).count_ones())
            .sum()
    }

    /// The raw words, slot `i` at bit `i % 64` of word `i / 64`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::WeekMask::EMPTY.words().len(), 11);
    /// ```
    pub fn words(&self) -> &[u64; 11] {
        &self.0
    }
}
