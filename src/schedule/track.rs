//! Program tracks: named sets of weekly sessions at one level of care, and
//! the checks a track's sessions must pass.

use std::fmt;

use crate::level::LevelOfCare;
use crate::schedule::time::{PartOfDay, Session, TimeWindow, Weekday};
use crate::schedule::week::WeekMask;

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
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::serde_impl::exact_vec")
    )]
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

    /// Whether any session is in the evening (starting at 4 pm or later) or
    /// at a weekend: what "an evening or weekend track" means in scoring.
    ///
    /// # Example
    ///
    /// ```
    /// let p = &carematch::sample::massachusetts()[0]; // an evening IOP
    /// assert!(p.tracks[0].is_evening_or_weekend());
    /// ```
    pub fn is_evening_or_weekend(&self) -> bool {
        self.sessions
            .iter()
            .any(|s| s.day.is_weekend() || s.window.start.minutes() >= 16 * 60)
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

    /// The problems with this track's sessions, by session index: reversed
    /// windows, then overlaps (which would count twice towards the track's
    /// hours), each reported on the later session. Found by sorting: O(n log
    /// n) for any input.
    pub(crate) fn session_problems(&self) -> Vec<(usize, String)> {
        let sessions = &self.sessions;
        let mut found: Vec<(usize, String)> = Vec::new();
        // Sessions as files list them, valid and in (day, start) order, need
        // no sort: that order is the sorted one, without a list to sort.
        let sorted = sessions
            .windows(2)
            .all(|w| (w[0].day, w[0].window.start) <= (w[1].day, w[1].window.start));
        if sorted && sessions.iter().all(|s| s.window.problem().is_none()) {
            overlaps(sessions, 0..sessions.len(), &mut found);
            found.sort_by_key(|(j, _)| *j);
            found
        } else {
            self.session_problems_sorting()
        }
    }

    /// [`Track::session_problems`] for any sessions: sorts their indices.
    fn session_problems_sorting(&self) -> Vec<(usize, String)> {
        let sessions = &self.sessions;
        let mut found: Vec<(usize, String)> = Vec::new();
        let mut valid: Vec<usize> = Vec::with_capacity(sessions.len());
        for (j, s) in sessions.iter().enumerate() {
            match s.window.problem() {
                Some(p) => found.push((j, p)),
                None => valid.push(j),
            }
        }
        valid.sort_by_key(|j| (sessions[*j].day, sessions[*j].window.start, *j));
        overlaps(sessions, valid.into_iter(), &mut found);
        found.sort_by_key(|(j, _)| *j);
        found
    }
}

/// Every overlap among `sessions`, visited in `order` (sorted by day, then
/// start, then index), each reported on the later session.
fn overlaps(
    sessions: &[Session],
    order: impl Iterator<Item = usize>,
    found: &mut Vec<(usize, String)>,
) {
    let mut longest: Option<usize> = None; // the session reaching furthest so far, per day
    for j in order {
        let s = &sessions[j];
        match longest {
            Some(m) if sessions[m].day == s.day && s.window.start < sessions[m].window.end => {
                let (later, earlier) = (j.max(m), j.min(m));
                let o = &sessions[earlier];
                found.push((later, format!("overlaps sessions[{earlier}] ({o})")));
                if s.window.end > sessions[m].window.end {
                    longest = Some(j);
                }
            }
            _ => longest = Some(j),
        }
    }
}

impl fmt::Display for Track {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.level)?;
        write_sessions(f, &self.sessions)
    }
}

/// Writes `: Mon, Wed 17:30-20:30; Sat 09:00-12:00`, grouping days that share a window.
///
/// One sort of the (window, day) pairs, then one pass: O(n log n) for any
/// sessions, validated or not.
pub(crate) fn write_sessions(f: &mut fmt::Formatter<'_>, sessions: &[Session]) -> fmt::Result {
    let mut pairs: Vec<(TimeWindow, Weekday)> =
        sessions.iter().map(|s| (s.window, s.day)).collect();
    pairs.sort();
    pairs.dedup();
    let mut i = 0;
    while i < pairs.len() {
        let w = pairs[i].0;
        f.write_str(if i == 0 { ": " } else { "; " })?;
        let mut first = true;
        while i < pairs.len() && pairs[i].0 == w {
            if !first {
                f.write_str(", ")?;
            }
            f.write_str(pairs[i].1.short())?;
            first = false;
            i += 1;
        }
        write!(f, " {w}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Track;
    use crate::level::LevelOfCare;
    use crate::schedule::time::{Session, TimeOfDay, TimeWindow, Weekday};

    fn arb_session() -> impl Strategy<Value = Session> {
        // Few days and coarse times, so overlaps, ties and reversed or empty
        // windows are common.
        (0..3usize, 0..12u16, 0..12u16).prop_map(|(d, a, b)| Session {
            day: Weekday::ALL[d],
            window: TimeWindow {
                start: TimeOfDay::from_minutes(a * 120).unwrap_or(TimeOfDay::MIDNIGHT),
                end: TimeOfDay::from_minutes(b * 120).unwrap_or(TimeOfDay::MIDNIGHT),
            },
        })
    }

    proptest! {
        /// The shortcut for sessions already in order finds what sorting
        /// finds, in the same order with the same words, sorted or not.
        #[test]
        fn session_problems_agree_with_sorting(
            mut sessions in prop::collection::vec(arb_session(), 0..8),
            sort in any::<bool>(),
        ) {
            if sort {
                sessions.sort_by_key(|s| (s.day, s.window.start));
            }
            let track = Track { name: "t".into(), level: LevelOfCare::IntensiveOutpatient, sessions };
            prop_assert_eq!(track.session_problems(), track.session_problems_sorting());
        }
    }
}
