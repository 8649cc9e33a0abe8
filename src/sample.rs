//! The embedded sample directory: fictional Massachusetts programs.
//!
//! **Every program, organisation, address and staff count in it is invented**
//! for demonstrations and tests. The cities and their approximate
//! coordinates are real; nothing else is. Do not refer anyone to them.

use crate::{Date, Program};

/// The sample directory as JSON (`data/massachusetts.json`).
pub const MASSACHUSETTS_JSON: &str = include_str!("../data/massachusetts.json");

/// The date the sample's verification dates are judged against, so that
/// demonstrations and tests stay the same from day to day.
///
/// # Example
///
/// ```
/// assert_eq!(carematch::sample::AS_OF.to_string(), "2026-11-01");
/// ```
pub const AS_OF: Date = match Date::checked(2026, 11, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The fictional Massachusetts programs.
///
/// # Panics
///
/// Never in a released build: a test reads and validates the embedded file.
///
/// # Example
///
/// ```
/// let programs = carematch::sample::massachusetts();
/// assert!(programs.len() >= 30);
/// ```
pub fn massachusetts() -> Vec<Program> {
    match crate::programs_from_json(MASSACHUSETTS_JSON) {
        Ok(p) => p,
        Err(e) => panic!("the embedded sample directory is broken: {e}"),
    }
}
