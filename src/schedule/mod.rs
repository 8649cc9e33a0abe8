//! Weekly schedules: weekdays, times, windows, program tracks and patient availability.
//!
//! Matching compares schedules on a grid of quarter-hours (7 days x 96 slots
//! = 672 bits, [`WeekMask`]). A program session occupies every quarter-hour it
//! touches; a patient is free in a quarter-hour only when the whole of it lies
//! inside a free window. Both roundings are conservative: a fit is never
//! overstated.
//!
//! [`time`] holds the times of the week, [`track`] a program's tracks and
//! [`week`] the quarter-hour grid and a patient's availability.

mod time;
mod track;
mod week;

pub use self::time::{PartOfDay, Session, TimeOfDay, TimeWindow, Weekday};
pub use self::track::Track;
pub(crate) use self::track::write_sessions;
pub use self::week::{Availability, WeekMask};
