//! carematch: decision support for placing patients in mental-health care.
//!
//! It does four things for the clinicians and intake staff who place patients:
//!
//! 1. **Level of care**: from an assessment (seven ratings, 1 to 5),
//!    recommend outpatient, intensive outpatient, partial hospitalization,
//!    residential or inpatient care, with every rule that fired and its
//!    source, the adjacent levels worth a look, flags (imminent risk first),
//!    and room for a clinician's override ([`LevelPolicy`]).
//! 2. **Program matching**: rank treatment programs, above all Intensive
//!    Outpatient Programs (IOPs), for one patient by therapy fit, staff
//!    credentials, schedule flexibility and aftercare (plus distance, wait and
//!    data freshness), excluding those that cannot take the patient, with a
//!    typed reason behind every point of every score ([`Directory`]).
//! 3. **Free-text input**: resolve "Mass Health", "dialectical behavior
//!    therapy" or "Portugese" to typed values, with did-you-mean errors and a
//!    note for every term changed ([`vocabulary::Resolvable`], [`vocabulary::programs_from_json_lenient`]).
//!
//! 4. **Placing a queue**: place many referrals at once within programs'
//!    open slots, holding first every referral at imminent risk, in
//!    withdrawal that needs a more intensive setting, or referred below its
//!    ratings' floor until a clinician records a decision; then most urgent
//!    first, exactly maximising the number placed and then the total match
//!    score, with a reason for every referral ([`assign`]).
//!
//! It offers ranked options and their reasons; **a clinician decides**. It
//! never needs a patient's name, record number or birth date. In a crisis:
//! 911 for immediate danger; call or text 988; in Massachusetts, also the
//! Behavioral Health Help Line, 833-773-2445, and its mobile crisis teams.
//!
//! # Quick start
//!
//! ```
//! use carematch::matching::{MatchOptions, Weights};
//! use carematch::{Directory, LevelPolicy, sample};
//!
//! // The embedded directory of fictional Massachusetts programs, validated and compiled.
//! let directory = Directory::new(sample::massachusetts(), sample::AS_OF)?;
//!
//! // A fictional patient: 16, Springfield, depression, twelve days after an inpatient stay.
//! let patient = &sample::patients()[1];
//! let recommendation = LevelPolicy::default().recommend(&patient.assessment);
//! println!("{recommendation}"); // the level, the rules that fired, their sources
//!
//! // The assessment carried into matching: its level (or a clinician's
//! // override), age, discharge and substance use, safety floor and alerts.
//! // Without an assessment, pass the level: `directory.query(&needs, level, options)`.
//! let query = directory.query_for(&patient.needs, &recommendation, MatchOptions::new(sample::AS_OF))?;
//! let ranking = directory.rank(&query, &Weights::default(), 5);
//! for alert in &ranking.alerts {
//!     println!("! {alert}"); // what a clinician must see first
//! }
//! for m in &ranking.matches {
//!     println!("{:.3} {} — {}", m.score, m.program_name, m.top_reasons(1)[0]);
//! }
//! assert!(ranking.matches.iter().all(|m| m.level == recommendation.effective_level()));
//! # Ok::<(), carematch::Error>(())
//! ```
//!
//! # Data flow
//!
//! One direction: JSON becomes validated domain types ([`Program`],
//! [`PatientNeeds`], [`Assessment`]), every problem reported at once with its
//! field path ([`load_directory`], [`validate_programs`]); an assessment
//! becomes a [`level::LevelRecommendation`]; programs compile into a
//! [`Directory`] and a patient (with the recommendation) into a
//! [`matching::Query`]. For each (patient, program) pair matching works out
//! one set of facts, from the compiled index or (the readable reference,
//! [`matching::rank_plain`]) straight from the [`Program`]; eligibility,
//! scores, alerts and reasons are functions of those facts alone.
//! [`Directory::rank`] scores compact numbers and explains only the top k
//! ([`matching::Ranking`]), alerts first, counting the excluded programs by
//! reason; [`Directory::explain`] answers for any one program and
//! [`Directory::exclusions`] lists the excluded ones on demand.
//!
//! # In a service
//!
//! Load once ([`Directory::from_json`], [`Directory::from_reader`]: one
//! validation, warnings kept on the directory), keep it current one program
//! at a time ([`Directory::insert`], [`Directory::replace`],
//! [`Directory::remove`], [`Directory::set_accepting`]), rank batches
//! ([`Directory::rank_batch`]), and match errors by [`ErrorKind`] with
//! their field paths in [`Error::problems`].
//!
//! # Crate features
//!
//! - `serde` (default): `Serialize` for every public data type and
//!   `Deserialize` for every input type (programs, patients, assessments,
//!   policies, weights, evidence tables), JSON loading with field paths, the lenient free-text readers, and the
//!   embedded [`sample`] directory.
//! - `rayon` (off): [`Directory::rank_batch`] ranks its queries in parallel
//!   (the results are the same as without it).
//! - `testing` (off; the crate's own tests, benches, examples and fuzz
//!   targets turn it on): the `synthetic` generator of directories,
//!   patients and queues, and the fuzzing hooks. Not part of the API.
//! - `import` (default, needs `serde`): [`import`], importers for Open
//!   Referral HSDS 3, FHIR R4 `HealthcareService` (Da Vinci Plan-Net) and
//!   SAMHSA treatment locator listings, each with a report of everything
//!   mapped, ignored, refused or noted.
//!
//! The library does no I/O, holds no global mutable state (the standard
//! free-text vocabularies are built once, on first use, and never change)
//! and never reads the clock:
//! dates are judged against an `as_of` date the caller passes. Every public
//! type is `Send + Sync`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The reference documentation's examples (`docs/`), compiled and run as
/// doc tests, one file at a time.
#[cfg(doctest)]
mod docs_doctests {
    #[doc = include_str!("../docs/formats.md")]
    struct Formats;
    #[doc = include_str!("../docs/level-of-care.md")]
    struct LevelOfCare;
    #[doc = include_str!("../docs/matching.md")]
    struct Matching;
    #[doc = include_str!("../docs/importing.md")]
    struct Importing;
    #[doc = include_str!("../docs/assignment.md")]
    struct Assignment;
    #[doc = include_str!("../docs/speed.md")]
    struct Speed;
    #[doc = include_str!("../docs/service.md")]
    struct Service;
    #[doc = include_str!("../docs/free-text.md")]
    struct FreeText;
    #[doc = include_str!("../docs/screening-and-records.md")]
    struct ScreeningAndRecords;
    #[doc = include_str!("../docs/snapshot.md")]
    struct Snapshot;
}

pub mod assign;
#[cfg(feature = "serde")]
pub mod cds;
mod credential;
mod crisis;
mod date;
mod diagnosis;
mod error;
#[cfg(feature = "import")]
pub mod import;
mod language;
pub mod level;
pub mod limits;
#[cfg(feature = "serde")]
mod load;
pub mod matching;
mod patient;
pub mod places;
mod program;
#[cfg(feature = "import")]
pub mod record;
mod region;
mod schedule;
pub mod screening;
#[cfg(feature = "serde")]
mod serde_impl;
mod terms;
mod therapy;
pub mod vocabulary;

#[cfg(feature = "serde")]
pub mod sample;
#[cfg(any(test, feature = "testing"))]
pub mod synthetic;

// The crate root holds the domain types (programs, patients, assessments and
// their parts), errors, the JSON loaders and the two entry points; the rest
// is read from its module: `assign`, `level`, `matching`, `vocabulary`.
pub use crate::credential::{Certification, FacilityCredential, License, Staff};
pub use crate::date::Date;
pub use crate::diagnosis::{Condition, Diagnosis, IcdCode, Pregnancy, Severity, Withdrawal};
pub use crate::error::{Error, ErrorKind, Problem, ProblemSeverity, ValidationReport};
pub use crate::level::{Assessment, Dimension, LevelOfCare, LevelPolicy, Rating, Ratings};
#[cfg(feature = "testing")]
#[doc(hidden)]
pub use crate::load::fuzz_read_on_threads;
#[cfg(feature = "serde")]
pub use crate::load::{
    assessment_from_json, level_policy_from_json, load_directory, patient_from_json,
    programs_from_json,
};
pub use crate::matching::Directory;
pub use crate::patient::{DeliveryPreference, PatientNeeds};
pub use crate::program::{
    Aftercare, AgeRange, Delivery, FamilyInvolvement, GeoPoint, Language, Location,
    LocationPrecision, MassHealthPlan, NotListed, Payer, Population, Program, ProgramId,
    hours_for_level, validate_programs,
};
pub use crate::schedule::{
    Availability, PartOfDay, Session, TimeOfDay, TimeWindow, Track, WeekMask, Weekday,
};
pub use crate::therapy::{Approach, Modality, MoudMedication};
