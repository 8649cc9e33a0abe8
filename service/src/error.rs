//! One JSON error shape for every status the service answers:
//!
//! ```json
//! {"error": "invalid", "status": 422, "message": "patient.age: is refused: ...",
//!  "problems": [{"severity": "error", "path": "patient.age", "message": "..."}]}
//! ```
//!
//! `error` is a stable key (a [`carematch::ErrorKind`] key, or one of the
//! service's: `not_found`, `method_not_allowed`, `payload_too_large`,
//! `unsupported_media_type`, `header_too_large`, `bad_encoding`,
//! `unauthorized`, `forbidden`, `precondition_failed`, `precondition_required`,
//! `busy`, `timeout`, `store`, `not_ready`, `bad_request`, `internal`).
//!
//! **No patient value in an error.** The library's and serde's messages
//! quote what they refused (a payer, an age, a code), which is right for a
//! file on a clinician's disk and wrong for an answer that a proxy may log.
//! So an error about a patient, an assessment or referrals is built from
//! three things only, by [`value_free`]: the error's kind, its field path
//! (each segment a field name or an index, anything else `…`), and a fixed
//! description of that field from a table in this module ([`FIELDS`]). The
//! message is never copied: it is read only to tell a missing field (whose
//! name serde takes from the type, not the input) or an unknown one, and
//! compared whole with the library's crisis text (fixed words and phone
//! numbers, kept). Errors about a program (admin writes) keep the
//! library's message: a directory is public data.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use std::borrow::Cow;

use carematch::{ErrorKind, Problem, ProblemSeverity};
use serde::Serialize;

/// An error as the service answers it: a status and the JSON body.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable key.
    pub kind: &'static str,
    /// One line: the first problem's path and message, or what went wrong.
    pub message: String,
    /// Every problem, with its field path.
    pub problems: Vec<Problem>,
    /// Seconds to wait before trying again (`Retry-After`), for 503.
    pub retry_after: Option<u32>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'static str,
    status: u16,
    message: &'a str,
    problems: &'a [Problem],
}

/// Whether an error's messages may quote patient data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A patient, an assessment or referrals: messages are never copied;
    /// each problem is described by [`value_free`].
    Patient,
    /// A program or the request's own parameters: messages are kept.
    Directory,
}

impl ApiError {
    /// An error with no field problems.
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
            problems: Vec::new(),
            retry_after: None,
        }
    }

    /// The error a status has when nothing more is known (404, 405 ...).
    pub fn for_status(status: StatusCode) -> ApiError {
        let (kind, message) = match status.as_u16() {
            400 => ("bad_request", "the request cannot be read"),
            401 => ("unauthorized", "a bearer token is required"),
            403 => ("forbidden", "the token is not accepted"),
            404 => ("not_found", "no such route"),
            405 => ("method_not_allowed", "the route does not take this method"),
            408 => ("timeout", "the request was not received in time"),
            413 => ("payload_too_large", "the body is above the limit"),
            415 => (
                "unsupported_media_type",
                "the body must be application/json",
            ),
            431 => (
                "header_too_large",
                "the request's headers are above the limit",
            ),
            503 => ("busy", "the service is busy; try again"),
            504 => ("timeout", "the request took too long"),
            s if s >= 500 => ("internal", "the service failed"),
            _ => ("bad_request", "the request cannot be served"),
        };
        ApiError::new(status, kind, message)
    }

    /// A problem at `path` in the request (400).
    pub fn field(path: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "json",
            message: format!("{}: {message}", or_body(path)),
            problems: vec![Problem::new(ProblemSeverity::Error, path, message)],
            retry_after: None,
        }
    }

    /// A carematch error from reading or using the part of the body at `at`
    /// (empty: the whole body); its paths are put under `at`.
    pub fn from_carematch(at: &str, e: &carematch::Error, source: Source) -> ApiError {
        let status = match e.kind() {
            ErrorKind::Json | ErrorKind::Parse => StatusCode::BAD_REQUEST,
            ErrorKind::UnknownProgram => StatusCode::NOT_FOUND,
            ErrorKind::DuplicateProgram => StatusCode::CONFLICT,
            ErrorKind::Limit => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let mut problems: Vec<Problem> = match source {
            Source::Patient => e
                .problems()
                .iter()
                .map(|p| value_free(e.kind(), &join(at, &p.path), &p.message))
                .collect(),
            Source::Directory => e
                .problems()
                .iter()
                .map(|p| Problem::new(p.severity, join(at, &p.path), p.message.clone()))
                .collect(),
        };
        if problems.is_empty() {
            // An error with no field problems (a parse error, an unknown
            // program): its one-line text at `at`, or for a patient a
            // fixed description of the field.
            problems.push(match source {
                Source::Patient => value_free(e.kind(), at, ""),
                Source::Directory => Problem::new(ProblemSeverity::Error, at, e.to_string()),
            });
        }
        let message = one_line(&problems);
        ApiError {
            status,
            kind: e.kind().key(),
            message,
            problems,
            retry_after: None,
        }
    }

    /// Adds `Retry-After: seconds`.
    pub fn retry_after(mut self, seconds: u32) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// The JSON body.
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&Body {
            error: self.kind,
            status: self.status.as_u16(),
            message: &self.message,
            problems: &self.problems,
        })
        .unwrap_or_else(|_| b"{\"error\":\"internal\"}".to_vec())
    }
}

/// The first problem as one line, with how many more there are.
fn one_line(problems: &[Problem]) -> String {
    let Some(first) = problems.first() else {
        return String::new();
    };
    let more = match problems.len() {
        1 => String::new(),
        2 => " (and 1 more problem)".to_owned(),
        n => format!(" (and {} more problems)", n - 1),
    };
    format!("{}: {}{more}", or_body(&first.path), first.message)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(s) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

fn or_body(path: &str) -> &str {
    if path.is_empty() { "(body)" } else { path }
}

/// `a` then `b` as one field path.
pub fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_owned(),
        (_, true) => a.to_owned(),
        _ if b.starts_with('[') => format!("{a}{b}"),
        _ => format!("{a}.{b}"),
    }
}

/// Each field a patient, an assessment or a referral has, with what it
/// takes, in fixed words: the description an error about it carries (a
/// field not listed gets [`ANY_FIELD`]). Keyed by the field's name, the
/// last named segment of its path.
pub const FIELDS: &[(&str, &str)] = &[
    (
        "patient",
        "the patient's needs: a JSON object with at least age, diagnoses and payer",
    ),
    (
        "needs",
        "the patient's needs: a JSON object with at least age, diagnoses and payer",
    ),
    (
        "age",
        "a whole number of years from 0 to 120, the same in the patient and the assessment (and allowed for the payer's plan)",
    ),
    (
        "diagnoses",
        "a list of diagnoses, each a `code` (ICD-10-CM) or a `condition` or both, one marked primary",
    ),
    (
        "code",
        "an ICD-10-CM code (a letter, two digits, up to four more after a dot) that agrees with the diagnosis's condition",
    ),
    (
        "condition",
        "a condition carematch knows (POST /page/terms gives the closest), agreeing with the code",
    ),
    ("primary", "true or false; one diagnosis is primary"),
    ("severity", "mild, moderate or severe"),
    (
        "first_episode",
        "true or false, for a psychotic disorder only",
    ),
    (
        "level",
        "one level of care (outpatient, intensive_outpatient, partial_hospitalization, residential, inpatient), the same wherever it is given: leave it out of the patient, or record a clinician's override",
    ),
    (
        "payer",
        "a payer or plan carematch knows (POST /page/terms gives the closest), allowed at the patient's age",
    ),
    (
        "availability",
        "either `free` or `busy`, a list of weekly blocks, not both",
    ),
    (
        "free",
        "a list of weekly blocks, each with days, start and end",
    ),
    (
        "busy",
        "a list of weekly blocks, each with days, start and end",
    ),
    ("days", "a list of days: mon, tue, wed, thu, fri, sat, sun"),
    ("start", "a time of day as HH:MM, before the end"),
    ("end", "a time of day as HH:MM, after the start"),
    ("delivery", "in_person, telehealth or either"),
    (
        "language",
        "a two-letter ISO 639-1 code, or a three-letter ISO 639-3 code for a language without one",
    ),
    (
        "location",
        "an object with latitude and longitude in decimal degrees",
    ),
    ("latitude", "a number of degrees from -90 to 90"),
    ("longitude", "a number of degrees from -180 to 180"),
    ("max_travel_miles", "a number of miles, 0 or more"),
    ("wants_family_involved", "true or false"),
    ("co_occurring_substance_use", "true or false"),
    ("on_moud", "true or false"),
    ("outpatient_not_improving", "true or false"),
    (
        "days_since_inpatient_discharge",
        "a whole number of days from 0 to 65535, the same in the patient and the assessment",
    ),
    (
        "populations",
        "a list of populations carematch knows (POST /page/terms gives the closest)",
    ),
    ("moud_medication", "buprenorphine, methadone or naltrexone"),
    (
        "pregnancy",
        "pregnant or postpartum, agreeing with the diagnoses",
    ),
    ("state", "a two-letter US state code"),
    (
        "assessment",
        "an assessment: a JSON object with the seven ratings",
    ),
    (
        "ratings",
        "the seven ratings, each a whole number from 1 to 5",
    ),
    ("risk_of_harm", "a whole number from 1 to 5"),
    ("functional_status", "a whole number from 1 to 5"),
    ("comorbidity", "a whole number from 1 to 5"),
    ("stress", "a whole number from 1 to 5"),
    ("support", "a whole number from 1 to 5"),
    ("treatment_history", "a whole number from 1 to 5"),
    ("engagement", "a whole number from 1 to 5"),
    ("withdrawal_risk", "a withdrawal risk carematch knows"),
    ("referrals", "a list of referrals, each with its own id"),
    (
        "id",
        "an id of letters, digits, '-', '_' and '.', not used by another referral",
    ),
    ("waiting_days", "a whole number of days from 0 to 65535"),
    (
        "override",
        "a clinician's override: the level and the reason",
    ),
    ("reason", "a clinician's reason, in words"),
    ("top", "a whole number, at most the service's max_top"),
    ("exclusions_offset", "a whole number"),
    (
        "exclusions_limit",
        "a whole number, at most the service's max_exclusions",
    ),
    ("view", "full or compact"),
    ("program_id", "a program's id"),
    ("unlisted_slots", "a whole number"),
    (
        "family",
        "condition, payer, language, level, delivery_preference or population",
    ),
    ("text", "the term as typed, as a JSON string"),
];

/// What a field not in [`FIELDS`] takes.
pub const ANY_FIELD: &str = "see its type and form in GET /openapi.json and docs/formats.md";

/// One problem with a patient's, an assessment's or a referral's input,
/// free of the values it was given: the field path cleaned by
/// [`clean_path`], and words chosen by the error's `kind` and the field
/// ([`FIELDS`]). `message` is never copied: it is read only to tell a
/// missing field (its name comes from the type, is checked to be a plain
/// field name, and joins the path) or an unknown one, and is kept whole
/// only when it is the library's crisis text.
///
/// # Example
///
/// ```
/// use carematch::ErrorKind;
/// use carematch_service::error::value_free;
///
/// let p = value_free(ErrorKind::Json, "patient.payer", "unknown variant `masshelth-4471`, expected ...");
/// assert_eq!(p.path, "patient.payer");
/// assert!(p.message.starts_with("cannot be read: a payer or plan carematch knows"));
/// assert!(!p.message.contains("4471"));
/// ```
pub fn value_free(kind: ErrorKind, path: &str, message: &str) -> Problem {
    let path = clean_path(path);
    if !message.is_empty() && message == carematch::matching::CrisisContact::imminent_risk_text() {
        return Problem::new(ProblemSeverity::Error, path, message);
    }
    if let Some(field) = missing_field(message) {
        return Problem::new(ProblemSeverity::Error, join(&path, field), "is required");
    }
    if message.starts_with("unknown field") {
        // The library puts the unknown key at the end of the path: the
        // caller's word, so the path stops at the object holding it.
        let known = |seg: &str| FIELDS.iter().any(|(name, _)| *name == seg);
        let parent = match path.rsplit_once('.') {
            Some((head, last)) if !known(last) => head.to_owned(),
            None if !known(&path) => String::new(),
            _ => path.into_owned(),
        };
        return Problem::new(
            ProblemSeverity::Error,
            parent,
            "holds a field it does not take (GET /openapi.json lists them)",
        );
    }
    let lead = match kind {
        ErrorKind::Json | ErrorKind::Parse => "cannot be read",
        ErrorKind::Query => "differs from another part of the request, or is missing",
        ErrorKind::Invalid => "is refused",
        ErrorKind::Internal => "could not be handled (a bug in carematch)",
        _ => "cannot be used",
    };
    let field = path
        .rsplit('.')
        .map(|s| s.split('[').next().unwrap_or_default())
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    let what = FIELDS
        .iter()
        .find(|(name, _)| *name == field)
        .map_or(ANY_FIELD, |(_, what)| what);
    Problem::new(ProblemSeverity::Error, path, format!("{lead}: {what}"))
}

/// The name serde's "missing field `name`" gives: a field of the type,
/// never the input (checked to be a plain lower-case field name).
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    let name = &rest[..rest.find('`')?];
    is_field_name(name).then_some(name)
}

fn is_field_name(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `path` with every segment that is neither a plain field name
/// (`max_travel_miles`) nor an index (`[3]`) replaced by `…`: a key the
/// caller made up is not echoed either.
///
/// # Example
///
/// ```
/// use carematch_service::error::clean_path;
/// assert_eq!(clean_path("patient.diagnoses[0].code"), "patient.diagnoses[0].code");
/// assert_eq!(clean_path("patient.Jane Doe[2]"), "patient.…[2]");
/// ```
pub fn clean_path(path: &str) -> Cow<'_, str> {
    let index = |s: &str| {
        s.strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let clean_segment = |seg: &str| {
        let (name, rest) = seg.find('[').map_or((seg, ""), |i| seg.split_at(i));
        let indices_ok = rest.split_inclusive(']').all(index);
        (name.is_empty() || is_field_name(name)) && indices_ok
    };
    if path.split('.').all(clean_segment) {
        return Cow::Borrowed(path);
    }
    Cow::Owned(
        path.split('.')
            .map(|seg| {
                if clean_segment(seg) {
                    return seg.to_owned();
                }
                // A made-up name before good indices keeps the indices.
                match seg.find('[').map(|i| seg.split_at(i)) {
                    Some((_, rest)) if rest.split_inclusive(']').all(index) => format!("…{rest}"),
                    _ => "…".to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join("."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_described_by_its_field_never_by_its_message() {
        let p = value_free(ErrorKind::Invalid, "patient.age", "130 is above 120");
        assert_eq!(p.path, "patient.age");
        assert!(
            p.message.starts_with("is refused: a whole number of years"),
            "{}",
            p.message
        );
        assert!(!p.message.contains("130"));
        let p = value_free(ErrorKind::Json, "patient", "missing field `payer`");
        assert_eq!(
            (p.path.as_str(), p.message.as_str()),
            ("patient.payer", "is required")
        );
        // A "missing field" naming something other than a field name is not believed.
        let p = value_free(ErrorKind::Json, "patient", "missing field `Jane Doe`");
        assert_eq!(p.path, "patient");
        assert!(!p.message.contains("Jane"));
        let p = value_free(
            ErrorKind::Json,
            "patient",
            "unknown field `jane_doe_1984`, expected one of ...",
        );
        assert!(!p.message.contains("jane"), "{}", p.message);
        let p = value_free(
            ErrorKind::Query,
            "patient.level",
            "the patient file says outpatient, the query is for inpatient",
        );
        assert!(
            p.message.contains("clinician's override") && !p.message.contains("says"),
            "{}",
            p.message
        );
        let crisis = carematch::matching::CrisisContact::imminent_risk_text();
        let p = value_free(ErrorKind::Query, "assessment.ratings.risk_of_harm", &crisis);
        assert_eq!(p.message, crisis);
        let p = value_free(ErrorKind::Json, "patient.mystery", "whatever `x`");
        assert_eq!(p.message, format!("cannot be read: {ANY_FIELD}"));
    }

    #[test]
    fn paths_keep_field_names_and_indices_only() {
        assert_eq!(clean_path(""), "");
        assert_eq!(
            clean_path("referrals[12].needs.availability.busy[0].start"),
            "referrals[12].needs.availability.busy[0].start"
        );
        assert_eq!(clean_path("patient.F43.10"), "patient.….…");
        assert_eq!(clean_path("a[x]"), "…");
        assert_eq!(clean_path("ratings.Risk"), "ratings.…");
    }
}
