//! How big one program may be: the limits every reader and validator enforces.
//!
//! A directory comes from outside (a state registry's export, an insurer's
//! file, an HSDS feed). Real programs list a handful of payers, languages
//! and tracks; a list of thousands is a broken or hostile file. Validation
//! ([`validate_programs`](crate::validate_programs), and so
//! [`load_directory`](crate::load_directory) and the lenient reader) refuses
//! a program over any of these limits with one error per list, naming its
//! field path and size:
//!
//! ```text
//! programs[3].specialties: 100000 entries, more than the limit of 1000
//! ```
//!
//! The sizes are checked before any entry is looked at, so an oversized
//! file costs no more than reading it. The compiled index
//! ([`Directory`](crate::Directory)) stores per-program counts in 16 bits;
//! every limit here is well below `u16::MAX`, so a program that validates
//! always fits.
//!
//! # Example
//!
//! ```
//! use carematch::limits;
//!
//! let mut p = carematch::sample::massachusetts()[0].clone();
//! p.payers = vec![carematch::Payer::SelfPay; limits::MAX_PAYERS_PER_PROGRAM + 1];
//! let report = p.validate(carematch::sample::AS_OF);
//! assert_eq!(
//!     report.errors().next().map(|e| e.to_string()).as_deref(),
//!     Some("error: payers: 1001 entries, more than the limit of 1000")
//! );
//! ```

/// The most entries in any one list of a program (levels, modalities,
/// approaches, specialties, excluded conditions, facility credentials,
/// aftercare services, populations, delivery modes) unless a list has its
/// own limit below.
///
/// # Example
///
/// ```
/// assert_eq!(carematch::limits::MAX_ENTRIES_PER_LIST, 1_000);
/// ```
pub const MAX_ENTRIES_PER_LIST: usize = 1_000;

/// The most payers one program may list.
///
/// # Example
///
/// ```
/// assert!(carematch::limits::MAX_PAYERS_PER_PROGRAM < usize::from(u16::MAX));
/// ```
pub const MAX_PAYERS_PER_PROGRAM: usize = MAX_ENTRIES_PER_LIST;

/// The most languages one program may list.
///
/// # Example
///
/// ```
/// assert!(carematch::limits::MAX_LANGUAGES_PER_PROGRAM < usize::from(u16::MAX));
/// ```
pub const MAX_LANGUAGES_PER_PROGRAM: usize = MAX_ENTRIES_PER_LIST;

/// The most tracks one program may run (real programs run one to four).
///
/// # Example
///
/// ```
/// assert_eq!(carematch::limits::MAX_TRACKS_PER_PROGRAM, 100);
/// ```
pub const MAX_TRACKS_PER_PROGRAM: usize = 100;

/// The most sessions one track may hold (a week has 672 quarter-hours, and
/// a track's sessions may not overlap). It also bounds the track's runs of
/// quarter-hours, which the index stores in 16 bits.
///
/// # Example
///
/// ```
/// assert_eq!(carematch::limits::MAX_SESSIONS_PER_TRACK, 1_000);
/// ```
pub const MAX_SESSIONS_PER_TRACK: usize = 1_000;

// Every per-program count must fit the index's 16-bit fields.
const _: () = assert!(MAX_ENTRIES_PER_LIST < u16::MAX as usize);
const _: () = assert!(MAX_PAYERS_PER_PROGRAM < u16::MAX as usize);
const _: () = assert!(MAX_LANGUAGES_PER_PROGRAM < u16::MAX as usize);
const _: () = assert!(MAX_TRACKS_PER_PROGRAM < u16::MAX as usize);
const _: () = assert!(MAX_SESSIONS_PER_TRACK < u16::MAX as usize);

/// The message for a list of `len` entries over `max`, or `None` within it.
pub(crate) fn too_many(len: usize, max: usize) -> Option<String> {
    (len > max).then(|| format!("{len} entries, more than the limit of {max}"))
}

/// The limit on the program list written `key` in JSON.
#[cfg(feature = "serde")]
pub(crate) fn list_limit(key: &str) -> usize {
    match key {
        "payers" => MAX_PAYERS_PER_PROGRAM,
        "languages" => MAX_LANGUAGES_PER_PROGRAM,
        "tracks" => MAX_TRACKS_PER_PROGRAM,
        _ => MAX_ENTRIES_PER_LIST,
    }
}
