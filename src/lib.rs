//! carematch: decision support for placing patients in mental-health care.
//!
//! It does two things for the clinicians and intake staff who place patients:
//!
//! 1. **Program matching**: rank treatment programs, above all Intensive
//!    Outpatient Programs (IOPs), for one patient by therapy fit, staff
//!    credentials, schedule flexibility and aftercare (plus distance, wait and
//!    data freshness), excluding those that cannot take the patient, with a
//!    typed reason behind every point of every score.
//! 2. **Level of care**: from an assessment, recommend a level of care with
//!    every rule that fired.
//!
//! It offers ranked options and their reasons; **a clinician decides**. It
//! never needs a patient's name, record number or birth date.
//!
//! # Quick start
//!
//! ```
//! use carematch::{sample, validate_programs};
//!
//! // The embedded directory of fictional Massachusetts programs.
//! let programs = sample::massachusetts();
//! let report = validate_programs(&programs, sample::AS_OF);
//! assert!(!report.has_errors(), "{report}");
//! ```
//!
//! # Data flow
//!
//! JSON becomes validated domain types ([`Program`], [`PatientNeeds`]); every
//! problem in a directory is reported at once with its field path
//! ([`validate_programs`], [`load_directory`]).
//!
//! # Crate features
//!
//! - `serde` (default): `Serialize`/`Deserialize` for every public type, JSON
//!   loading with field paths, and the embedded [`sample`] directory.
//!
//! The library does no I/O, holds no global state and never reads the clock:
//! dates are judged against an `as_of` date the caller passes.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod credential;
mod date;
mod diagnosis;
mod error;
mod level;
#[cfg(feature = "serde")]
mod load;
mod matching;
mod patient;
mod program;
mod schedule;
#[cfg(feature = "serde")]
mod serde_impl;
mod terms;
mod therapy;
mod vocabulary;

#[cfg(feature = "serde")]
pub mod sample;
pub mod synthetic;

pub use crate::credential::{Certification, FacilityCredential, Licence, Staff};
pub use crate::date::Date;
pub use crate::diagnosis::{Condition, Diagnosis, IcdCode, Severity};
pub use crate::error::{Error, Problem, ProblemSeverity, ValidationReport};
pub use crate::level::{
    AgeRule, Alternative, AlternativeReason, Assessment, Band, Dimension, Effect, FiredRule, Flag,
    Floor, ImminentRiskRule, LevelOfCare, LevelPolicy, LevelRecommendation, LevelRules, Override,
    OverrideReason, Rating, Ratings, Rule, StepDown, StepUp,
};
#[cfg(feature = "serde")]
pub use crate::load::{
    assessment_from_json, level_policy_from_json, load_directory, patient_from_json,
    programs_from_json,
};
pub use crate::matching::{
    CredentialCheck, Criterion, CriterionScore, Directory, EvidenceBasis, EvidenceRow,
    EvidenceTable, Exclusion, ExclusionCount, ExclusionReason, FreshnessBand, Match, MatchOptions,
    Query, Ranking, Reason, Therapy, Weights, rank_plain,
};
pub use crate::patient::{DeliveryPreference, PatientNeeds};
pub use crate::program::{
    Aftercare, AgeRange, Delivery, FamilyInvolvement, GeoPoint, Language, Location, Payer,
    Population, Program, ProgramId, hours_for_level, validate_programs,
};
pub use crate::schedule::{
    Availability, PartOfDay, Session, TimeOfDay, TimeWindow, Track, WeekMask, Weekday,
};
pub use crate::therapy::{Approach, Modality};
pub use crate::vocabulary::{
    MatchKind, Resolution, Resolvable, ResolveError, ResolvedTerm, TermFamily, Vocabulary,
};
#[cfg(feature = "serde")]
pub use crate::vocabulary::{
    ResolutionNote, load_directory_lenient, patient_from_json_lenient, programs_from_json_lenient,
};
