//! Free-text terms to typed values, with "did you mean" when unsure.
//!
//! Directory data and intake forms arrive as free text: "post traumatic
//! stress", "PTSD", "dialectical behavior therapy", "Mass Health", "licsw",
//! "Portugese", "F43.1". Each family of terms has a [`Vocabulary`]: the
//! canonical keys and names of its values, their abbreviations and common
//! synonyms. [`Resolvable::resolve`] (or [`TermFamily::resolve`]) reads one
//! term and says how it matched ([`MatchKind`]) and how sure it is.
//!
//! The rules (normalization, the similarity metric, its threshold and the
//! ambiguity margin) are documented on [`Vocabulary`], where rustdoc shows them.
//!
//! Files: `result` (what resolving gives: [`Resolution`], [`ResolvedTerm`],
//! [`ResolveError`], [`MatchKind`]), `matcher` ([`Vocabulary`] and its
//! similarity code), `family` (dispatch: [`Resolvable`], [`TermFamily`]),
//! `tables` (the standard vocabularies), `normalize` and `lenient` (the
//! lenient JSON readers).
//!
//! # Example
//!
//! ```
//! use carematch::{Approach, Language, vocabulary::{MatchKind, Resolvable}};
//!
//! let r = Approach::resolve("Dialectical Behaviour Therapy")?;
//! assert_eq!((r.value, r.how, r.confidence), (Approach::Dbt, MatchKind::Exact, 1.0));
//!
//! let r = Language::resolve("Portugese")?;
//! assert_eq!(r.value.code(), "pt");
//! assert_eq!(r.how, MatchKind::Fuzzy);
//! assert!((r.confidence - 0.9).abs() < 1e-9);
//!
//! let err = Approach::resolve("dialectic behaviour thrapy").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     r#"unknown therapy approach "dialectic behaviour thrapy"; did you mean "dialectical behavior therapy (DBT)"?"#
//! );
//! assert!(Approach::resolve("PT").is_err());
//! # Ok::<(), carematch::vocabulary::ResolveError>(())
//! ```

mod family;
mod matcher;
mod normalize;
mod result;
mod tables;

#[cfg(feature = "serde")]
mod lenient;

pub use self::family::{Resolvable, TermFamily};
#[cfg(feature = "serde")]
pub use self::lenient::{
    ResolutionNote, load_directory_lenient, patient_from_json_lenient, programs_from_json_lenient,
};
pub use self::matcher::Vocabulary;
pub use self::result::{MatchKind, Resolution, ResolveError, ResolvedTerm};
