//! The week as a grid of quarter-hours ([`WeekMask`]), and a patient's free
//! time over it ([`Availability`]).

use std::fmt;

use crate::schedule::time::{Session, TimeOfDay, TimeWindow, Weekday};
use crate::schedule::track::write_sessions;

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
#[serde(
    deny_unknown_fields,
    expecting = "a block as an object with days, start and end, such as {\"days\": [\"mon\"], \"start\": \"09:00\", \"end\": \"17:00\"}"
)]
struct BlockRepr {
    days: Vec<Weekday>,
    start: TimeOfDay,
    end: TimeOfDay,
}

/// How availability is written: free times, or busy blocks (written back
/// as free times).
#[cfg(feature = "serde")]
#[derive(serde::Serialize)]
#[serde(rename_all = "snake_case")]
enum AvailabilityRepr {
    Free(Vec<BlockRepr>),
}

/// The blocks of `free` or `busy` (`list` names which), as sessions.
#[cfg(feature = "serde")]
fn sessions(list: &str, blocks: &[BlockRepr]) -> Result<Vec<Session>, String> {
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let w = TimeWindow {
            start: b.start,
            end: b.end,
        };
        if let Some(p) = w.problem() {
            return Err(format!("{list} block [{i}] {p}"));
        }
        if b.days.is_empty() {
            return Err(format!("{list} block [{i}] names no days"));
        }
        out.extend(b.days.iter().map(|d| Session::new(*d, w)));
    }
    Ok(out)
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

/// Read by hand, so that each way of writing it wrong is told in words:
/// both `free` and `busy`, neither, another field, or not an object.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Availability {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;

        struct V;

        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Availability;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "availability as an object with one field, `free` or `busy`, listing weekly blocks",
                )
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Availability, A::Error> {
                let mut read: Option<(&'static str, Vec<BlockRepr>)> = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let list = match &*key {
                        "free" => "free",
                        "busy" => "busy",
                        other => {
                            return Err(A::Error::custom(format!(
                                "availability has no field `{}`: give `free` (the times the patient can attend) or `busy` (the times they cannot)",
                                crate::serde_impl::shown(other)
                            )));
                        }
                    };
                    if let Some((first, _)) = read {
                        return Err(A::Error::custom(if first == list {
                            format!("availability gives `{list}` twice: give it once")
                        } else {
                            "availability takes `free` or `busy`, not both: give the times the patient can attend (`free`) or the times they cannot (`busy`)".to_owned()
                        }));
                    }
                    read = Some((list, map.next_value()?));
                }
                let Some((list, blocks)) = read else {
                    return Err(A::Error::custom(
                        "availability gives neither `free` nor `busy`: give one, or leave availability out for a patient free at any time",
                    ));
                };
                let sessions = sessions(list, &blocks).map_err(A::Error::custom)?;
                Ok(if list == "free" {
                    Availability::from_free(sessions)
                } else {
                    Availability::from_busy_sessions(&sessions)
                })
            }
        }

        d.deserialize_map(V)
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

    /// Whether quarter-hour `slot` of the week (Monday 00:00 is 0, Sunday
    /// 23:45 is 671) is set; false beyond the week.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Session, TimeWindow, WeekMask, Weekday};
    /// let m = WeekMask::touching(&[Session::new(Weekday::Mon, TimeWindow::hm((0, 0), (0, 15))?)]);
    /// assert!(m.contains(0) && !m.contains(1) && !m.contains(WeekMask::SLOTS));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn contains(&self, slot: usize) -> bool {
        slot < WeekMask::SLOTS && (self.0[slot / 64] >> (slot % 64)) & 1 == 1
    }

    /// The raw words, slot `i` at bit `i % 64` of word `i / 64`.
    pub(crate) fn words(&self) -> &[u64; 11] {
        &self.0
    }
}
