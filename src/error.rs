//! The crate's error type and validation reports.

use std::fmt;

/// Everything that can go wrong in carematch.
///
/// Messages are lowercase, name the offending value, and, where the input came
/// from a document, the field path (`programs[3].tracks[1].sessions[0]`).
///
/// # Example
///
/// ```
/// use carematch::{Error, IcdCode};
///
/// let err = "Z".parse::<IcdCode>().unwrap_err();
/// assert!(matches!(err, Error::Parse { .. }));
/// assert_eq!(
///     err.to_string(),
///     "invalid ICD-10-CM code `Z`: expected a letter and two digits, as in F43.10"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A single value (a code, a time, a date, a term) could not be read.
    #[error("invalid {what} `{input}`: {reason}")]
    Parse {
        /// What was being read, such as "ICD-10-CM code".
        what: &'static str,
        /// The text as given.
        input: String,
        /// Why it was refused.
        reason: String,
    },
    /// A JSON document could not be read; `path` locates the field.
    #[error("{}: {message}", if path.is_empty() { "(document)" } else { path })]
    Json {
        /// The field path, such as `programs[2].ages.min`; empty for the whole document.
        path: String,
        /// What serde said, with line and column.
        message: String,
    },
    /// Validation found one or more errors; every problem is in the report.
    #[error("{0}")]
    Invalid(ValidationReport),
    /// A configuration value (weights, a policy, a table) was refused.
    #[error("invalid {what}: {reason}")]
    Config {
        /// Which configuration, such as "weights".
        what: &'static str,
        /// Why it was refused.
        reason: String,
    },
}

impl Error {
    #[cold]
    pub(crate) fn parse(what: &'static str, input: &str, reason: impl Into<String>) -> Error {
        Error::Parse {
            what,
            input: input.to_owned(),
            reason: reason.into(),
        }
    }

    #[cold]
    pub(crate) fn config(what: &'static str, reason: impl Into<String>) -> Error {
        Error::Config {
            what,
            reason: reason.into(),
        }
    }
}

/// How serious a validation problem is.
///
/// Errors make data unusable; warnings flag data that is usable but unusual
/// (an IOP track with fewer hours than the level usually needs).
///
/// # Example
///
/// ```
/// use carematch::ProblemSeverity;
/// assert!(ProblemSeverity::Error > ProblemSeverity::Warning);
/// assert_eq!(ProblemSeverity::Warning.to_string(), "warning");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ProblemSeverity {
    /// Unusual but usable.
    Warning,
    /// Unusable until fixed.
    Error,
}

impl fmt::Display for ProblemSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            ProblemSeverity::Warning => "warning",
            ProblemSeverity::Error => "error",
        })
    }
}

/// One problem found by validation, located by its field path.
///
/// # Example
///
/// ```
/// use carematch::{Problem, ProblemSeverity};
/// let p = Problem::new(ProblemSeverity::Error, "programs[0].name", "is empty");
/// assert_eq!(p.to_string(), "error: programs[0].name: is empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Problem {
    /// Error or warning.
    pub severity: ProblemSeverity,
    /// Where: a field path such as `programs[3].tracks[1].sessions[0]`.
    pub path: String,
    /// What is wrong, in plain lowercase English.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Problem, ProblemSeverity};
    /// let p = Problem::new(ProblemSeverity::Warning, "age", "is unusual");
    /// assert_eq!(p.path, "age");
    /// ```
    pub fn new(
        severity: ProblemSeverity,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            severity,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.severity, self.message)
        } else {
            write!(f, "{}: {}: {}", self.severity, self.path, self.message)
        }
    }
}

/// Every problem validation found, errors and warnings kept apart.
///
/// # Example
///
/// ```
/// use carematch::{ProblemSeverity, ValidationReport};
///
/// let mut report = ValidationReport::default();
/// report.error("programs[1].id", "duplicates programs[0].id `x`");
/// report.warning("programs[1].tracks[0]", "gives 6.0 hours a week");
/// assert_eq!(report.errors().count(), 1);
/// assert_eq!(report.warnings().count(), 1);
/// assert!(report.has_errors());
/// assert!(report.into_result().is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ValidationReport {
    /// Problems in the order they were found (document order).
    pub problems: Vec<Problem>,
}

impl ValidationReport {
    /// Records an error at `path`.
    ///
    /// # Example
    ///
    /// ```
    /// let mut r = carematch::ValidationReport::default();
    /// r.error("name", "is empty");
    /// assert!(r.has_errors());
    /// ```
    pub fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems
            .push(Problem::new(ProblemSeverity::Error, path, message));
    }

    /// Records a warning at `path`.
    ///
    /// # Example
    ///
    /// ```
    /// let mut r = carematch::ValidationReport::default();
    /// r.warning("tracks[0]", "gives 6.0 hours a week");
    /// assert!(!r.has_errors());
    /// ```
    pub fn warning(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems
            .push(Problem::new(ProblemSeverity::Warning, path, message));
    }

    /// The errors, in document order.
    ///
    /// # Example
    ///
    /// ```
    /// let r = carematch::ValidationReport::default();
    /// assert_eq!(r.errors().count(), 0);
    /// ```
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == ProblemSeverity::Error)
    }

    /// The warnings, in document order.
    ///
    /// # Example
    ///
    /// ```
    /// let r = carematch::ValidationReport::default();
    /// assert_eq!(r.warnings().count(), 0);
    /// ```
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == ProblemSeverity::Warning)
    }

    /// Whether any problem is an error.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::ValidationReport::default().has_errors());
    /// ```
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// Whether no problem at all was found.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::ValidationReport::default().is_clean());
    /// ```
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// `Ok` with the report (warnings only) when there is no error, else [`Error::Invalid`].
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] carrying the whole report when any problem is an error.
    ///
    /// # Example
    ///
    /// ```
    /// let mut r = carematch::ValidationReport::default();
    /// r.warning("x", "odd");
    /// assert!(r.into_result().is_ok());
    /// ```
    pub fn into_result(self) -> Result<ValidationReport, Error> {
        if self.has_errors() {
            Err(Error::Invalid(self))
        } else {
            Ok(self)
        }
    }

    /// Adds every problem of `other`, with `prefix` put before its paths.
    pub(crate) fn absorb(&mut self, prefix: &str, other: ValidationReport) {
        for mut p in other.problems {
            p.path = join_path(prefix, &p.path);
            self.problems.push(p);
        }
    }
}

/// `a` then `b` as one field path: `join_path("programs[0]", "name")` is `programs[0].name`.
pub(crate) fn join_path(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_owned(),
        (_, true) => a.to_owned(),
        _ if b.starts_with('[') => format!("{a}{b}"),
        _ => format!("{a}.{b}"),
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        write!(
            f,
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}
