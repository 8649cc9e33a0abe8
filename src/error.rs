//! The crate's error type and validation reports.

use std::fmt;

/// Everything that can go wrong in carematch: one opaque error whose
/// [`ErrorKind`] a caller matches without reading the message.
///
/// Messages are lowercase, name the offending value, and, where the input came
/// from a document, the field path (`programs[3].tracks[1].sessions[0]`).
/// Validation problems ride along ([`Error::problems`]), errors only:
/// warnings are never inside an error (a directory keeps its own,
/// [`crate::Directory::warnings`]).
///
/// # Example
///
/// ```
/// use carematch::{ErrorKind, IcdCode};
///
/// let err = "Z".parse::<IcdCode>().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Parse);
/// assert_eq!(
///     err.to_string(),
///     "invalid ICD-10-CM code `Z`: expected a letter and two digits, as in F43.10"
/// );
/// ```
#[derive(Clone, PartialEq, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<Repr>);

/// What went wrong, for a caller to match on ([`Error::kind`]).
///
/// # Example
///
/// ```
/// use carematch::{Directory, ErrorKind, sample};
///
/// let mut programs = sample::massachusetts();
/// programs[2].name.clear();
/// let err = Directory::new(programs, sample::AS_OF).unwrap_err();
/// match err.kind() {
///     ErrorKind::Invalid => assert_eq!(err.problems()[0].path, "programs[2].name"),
///     other => panic!("unexpected {other:?}"),
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ErrorKind {
    /// A single value (a code, a time, a date, a term) could not be read.
    Parse,
    /// A JSON document could not be read ([`Error::path`] locates the field).
    Json,
    /// Validation found errors in the input ([`Error::problems`] lists them
    /// with their field paths). Its `Display` is one line: the only problem,
    /// or how many there are and the first (`invalid input: 3 problems; the
    /// first: programs[2].tracks[0]: ...`).
    Invalid,
    /// A query cannot run as asked: its inputs contradict each other (the
    /// patient file and the assessment disagree on the age or the level);
    /// [`Error::problems`] names each field, and `Display` is one line as
    /// for [`ErrorKind::Invalid`].
    Query,
    /// A configuration value the caller chose was refused: scoring weights,
    /// a level policy, an evidence table or a priority policy (the message
    /// names which, and the first problem). Never about a directory or a
    /// patient: those are [`ErrorKind::Invalid`].
    Config,
    /// A directory too large for the compiled index: more than 2^32 programs,
    /// or more distinct payers or languages across the directory than its
    /// 16- or 32-bit ids hold. Only [`crate::Directory`]'s constructors and
    /// updates return it; a single program over a list limit
    /// ([`crate::limits`]) is [`ErrorKind::Invalid`] instead.
    Limit,
    /// No program has the id ([`Error::program_id`]).
    UnknownProgram,
    /// A program with the id is already in the directory ([`Error::program_id`]).
    DuplicateProgram,
    /// carematch failed inside (a worker thread of a batch panicked): a
    /// bug to report, not a problem with the input or the configuration.
    Internal,
    /// A directory snapshot was refused: not a snapshot, another format
    /// version or layout, corrupted, truncated, or unreadable (the message
    /// names which, and where).
    Snapshot,
}

impl ErrorKind {
    /// The kind's key, as written in JSON.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::ErrorKind::UnknownProgram.key(), "unknown_program");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            ErrorKind::Parse => "parse",
            ErrorKind::Json => "json",
            ErrorKind::Invalid => "invalid",
            ErrorKind::Query => "query",
            ErrorKind::Config => "config",
            ErrorKind::Limit => "limit",
            ErrorKind::UnknownProgram => "unknown_program",
            ErrorKind::DuplicateProgram => "duplicate_program",
            ErrorKind::Internal => "internal",
            ErrorKind::Snapshot => "snapshot",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.key())
    }
}

/// The error's private representation: variants may grow without a breaking change.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum Repr {
    #[error("invalid {what} `{input}`: {reason}")]
    Parse {
        what: &'static str,
        input: String,
        reason: String,
    },
    /// The field path and serde's message, as one problem.
    #[error("{}: {}", if .0.path.is_empty() { "(document)" } else { &.0.path }, .0.message)]
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    Json(Problem),
    /// Errors only.
    #[error("invalid input: {}", OneLine(.0))]
    Invalid(ValidationReport),
    #[error("query cannot run: {}", OneLine(.0))]
    Query(ValidationReport),
    #[error("invalid {what}: {reason}")]
    Config { what: &'static str, reason: String },
    #[error("directory beyond the index's limits: too many {what} ({count})")]
    Limit { what: &'static str, count: usize },
    #[error("no program has the id `{0}`")]
    UnknownProgram(String),
    #[error("a program with the id `{0}` is already in the directory")]
    DuplicateProgram(String),
    #[error("internal error in {0}: a bug, not a problem with the input")]
    Internal(&'static str),
    #[error("{0}")]
    Snapshot(String),
}

/// A report's errors as one line: the only one, or how many and the first
/// (every one stays in [`Error::problems`]).
struct OneLine<'a>(&'a ValidationReport);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut errors = self.0.errors();
        let Some(first) = errors.next() else {
            return f.write_str("no problem listed");
        };
        let path = if first.path.is_empty() {
            "(document)"
        } else {
            &first.path
        };
        match errors.count() {
            0 => write!(f, "{path}: {}", first.message),
            more => write!(
                f,
                "{} problems; the first: {path}: {}",
                more + 1,
                first.message
            ),
        }
    }
}

impl fmt::Debug for Error {
    /// `Error(Kind, "message")`, so an `unwrap` reads well.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({:?}, {:?})", self.kind(), self.to_string())
    }
}

impl Error {
    /// What went wrong, to match on.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{ErrorKind, ProgramId};
    /// assert_eq!("a b".parse::<ProgramId>().unwrap_err().kind(), ErrorKind::Parse);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match &*self.0 {
            Repr::Parse { .. } => ErrorKind::Parse,
            Repr::Json(_) => ErrorKind::Json,
            Repr::Invalid(_) => ErrorKind::Invalid,
            Repr::Query(_) => ErrorKind::Query,
            Repr::Config { .. } => ErrorKind::Config,
            Repr::Limit { .. } => ErrorKind::Limit,
            Repr::UnknownProgram(_) => ErrorKind::UnknownProgram,
            Repr::DuplicateProgram(_) => ErrorKind::DuplicateProgram,
            Repr::Internal(_) => ErrorKind::Internal,
            Repr::Snapshot(_) => ErrorKind::Snapshot,
        }
    }

    /// The problems found, each with its field path: every validation error
    /// ([`ErrorKind::Invalid`]), every conflicting field ([`ErrorKind::Query`]),
    /// or the one field a JSON document could not be read at
    /// ([`ErrorKind::Json`]). Empty for the other kinds. Never a warning.
    ///
    /// # Example
    ///
    /// ```
    /// let err = carematch::programs_from_json(r#"{"programs": [{"id": "a b"}]}"#).unwrap_err();
    /// assert_eq!(err.problems()[0].path, "programs[0].id");
    ///
    /// // A validation error prints as one line; every problem is here.
    /// use carematch::{Directory, sample};
    /// let mut programs = sample::massachusetts();
    /// programs[2].name.clear();
    /// programs[4].name.clear();
    /// let err = Directory::new(programs, sample::AS_OF).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid input: 2 problems; the first: programs[2].name: is empty"
    /// );
    /// assert_eq!(err.problems()[1].path, "programs[4].name");
    /// ```
    pub fn problems(&self) -> &[Problem] {
        match &*self.0 {
            Repr::Invalid(r) | Repr::Query(r) => &r.problems,
            Repr::Json(p) => std::slice::from_ref(p),
            _ => &[],
        }
    }

    /// The text a [`ErrorKind::Parse`] error refused, as given, else `None`.
    ///
    /// # Example
    ///
    /// ```
    /// let err = "Z".parse::<carematch::IcdCode>().unwrap_err();
    /// assert_eq!(err.input(), Some("Z"));
    /// ```
    pub fn input(&self) -> Option<&str> {
        match &*self.0 {
            Repr::Parse { input, .. } => Some(input),
            _ => None,
        }
    }

    /// The field path of a JSON error (empty for the whole document), else `None`.
    ///
    /// # Example
    ///
    /// ```
    /// let err = carematch::patient_from_json(r#"{"age": "x"}"#).unwrap_err();
    /// assert_eq!(err.path(), Some("age"));
    /// ```
    pub fn path(&self) -> Option<&str> {
        match &*self.0 {
            Repr::Json(p) => Some(&p.path),
            _ => None,
        }
    }

    /// The program id an [`ErrorKind::UnknownProgram`] or
    /// [`ErrorKind::DuplicateProgram`] error names.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, ErrorKind, sample};
    /// let mut dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let err = dir.remove("no-such-program").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnknownProgram);
    /// assert_eq!(err.program_id(), Some("no-such-program"));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn program_id(&self) -> Option<&str> {
        match &*self.0 {
            Repr::UnknownProgram(id) | Repr::DuplicateProgram(id) => Some(id),
            _ => None,
        }
    }

    pub(crate) fn repr(&self) -> &Repr {
        &self.0
    }

    #[cold]
    pub(crate) fn parse(what: &'static str, input: &str, reason: impl Into<String>) -> Error {
        Error(Box::new(Repr::Parse {
            what,
            input: input.to_owned(),
            reason: reason.into(),
        }))
    }

    #[cold]
    pub(crate) fn parse_owned(what: &'static str, input: String, reason: String) -> Error {
        Error(Box::new(Repr::Parse {
            what,
            input,
            reason,
        }))
    }

    #[cold]
    pub(crate) fn config(what: &'static str, reason: impl Into<String>) -> Error {
        Error(Box::new(Repr::Config {
            what,
            reason: reason.into(),
        }))
    }

    #[cold]
    #[cfg(feature = "serde")]
    pub(crate) fn json(path: String, message: String) -> Error {
        // A message that names its own field ("age must be a whole number
        // ...", so it reads alone too) is not named twice after the path.
        let field = path.rsplit('.').next().unwrap_or_default();
        let message = match message.strip_prefix(field) {
            Some(rest) if !field.is_empty() && rest.starts_with(' ') => rest[1..].to_owned(),
            _ => message,
        };
        let message = struct_in_words(cut_echoes(message));
        // An unknown key is its own path: cut it as a value is cut.
        let path = if path.chars().count() > SHOWN_CHARS {
            path.split('.').map(shown).collect::<Vec<_>>().join(".")
        } else {
            path
        };
        Error(Box::new(Repr::Json(Problem::new(
            ProblemSeverity::Error,
            path,
            message,
        ))))
    }

    /// The report's errors (its warnings are dropped: never inside an error).
    #[cold]
    pub(crate) fn invalid(report: ValidationReport) -> Error {
        Error(Box::new(Repr::Invalid(report.errors_only())))
    }

    #[cold]
    pub(crate) fn query(report: ValidationReport) -> Error {
        Error(Box::new(Repr::Query(report.errors_only())))
    }

    /// The same error with `prefix` put before every field path it holds
    /// (`referrals[3].needs` before `payer`), for input read inside a larger
    /// document.
    #[cold]
    pub(crate) fn within(mut self, prefix: &str) -> Error {
        match &mut *self.0 {
            Repr::Invalid(report) | Repr::Query(report) => {
                let mut r = ValidationReport::default();
                r.absorb(prefix, std::mem::take(report));
                *report = r;
            }
            Repr::Json(p) => p.path = join_path(prefix, &p.path),
            _ => {}
        }
        self
    }

    #[cold]
    pub(crate) fn limit(what: &'static str, count: usize) -> Error {
        Error(Box::new(Repr::Limit { what, count }))
    }

    /// A failure inside carematch (`place` names where), never the input's fault.
    #[cold]
    pub(crate) fn internal(place: &'static str) -> Error {
        Error(Box::new(Repr::Internal(place)))
    }

    #[cold]
    pub(crate) fn unknown_program(id: &str) -> Error {
        Error(Box::new(Repr::UnknownProgram(id.to_owned())))
    }

    #[cold]
    pub(crate) fn duplicate_program(id: &str) -> Error {
        Error(Box::new(Repr::DuplicateProgram(id.to_owned())))
    }

    #[cold]
    pub(crate) fn snapshot(reason: String) -> Error {
        Error(Box::new(Repr::Snapshot(reason)))
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

    /// `Ok` with the report (warnings only) when there is no error, else an
    /// [`ErrorKind::Invalid`] error carrying the errors (not the warnings).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`] with every error when any problem is an error.
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
            Err(Error::invalid(self))
        } else {
            Ok(self)
        }
    }

    /// The report without its warnings.
    pub(crate) fn errors_only(mut self) -> ValidationReport {
        self.problems
            .retain(|p| p.severity == ProblemSeverity::Error);
        self
    }

    /// Adds every problem of `other`, with `prefix` put before its paths.
    pub(crate) fn absorb(&mut self, prefix: &str, other: ValidationReport) {
        for mut p in other.problems {
            p.path = join_path(prefix, &p.path);
            self.problems.push(p);
        }
    }
}

/// At most this many characters of a refused value are shown in a message:
/// enough to find it in the file, never a whole document.
pub(crate) const SHOWN_CHARS: usize = 40;

/// `text` cut after [`SHOWN_CHARS`] characters with an ellipsis (for a
/// message that quotes a refused value).
pub(crate) fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]).into(),
        None => text.into(),
    }
}

/// serde's messages quote what they refused in full (`invalid type: string
/// "..."`, `unknown field `...``): each quotation is cut to [`shown`].
#[cfg(feature = "serde")]
fn cut_echoes(message: String) -> String {
    const QUOTES: [(&str, &str); 3] = [
        ("string \"", "\", expected"),
        ("field `", "`, expected"),
        ("variant `", "`, expected"),
    ];
    for (open, close) in QUOTES {
        if let Some(start) = message.find(open).map(|i| i + open.len())
            && let Some(len) = message[start..].find(close)
            && message[start..start + len].chars().count() > SHOWN_CHARS
        {
            let quoted = shown(&message[start..start + len]).into_owned();
            return format!("{}{quoted}{}", &message[..start], &message[start + len..]);
        }
    }
    message
}

/// serde's message for an object that is not one, from a reader derived
/// without words of its own ("invalid length 0, expected struct Ratings with
/// 7 elements" for `[]`), said without the Rust type: "expected an object
/// with its fields, got a list".
#[cfg(feature = "serde")]
fn struct_in_words(message: String) -> String {
    const EXPECTED: &str = ", expected struct ";
    let Some(i) = message.find(EXPECTED) else {
        return message;
    };
    let after = &message[i + EXPECTED.len()..];
    let at = after.find(" at line ").map_or("", |j| &after[j..]);
    let head = &message[..i];
    let got = if head.starts_with("invalid length ") {
        "a list"
    } else if let Some(t) = head.strip_prefix("invalid type: ") {
        match t {
            "sequence" => "a list",
            "map" => "an object",
            t => t,
        }
    } else {
        return message;
    };
    format!("expected an object with its fields, got {got}{at}")
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
