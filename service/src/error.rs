//! One JSON error shape for every status the service answers:
//!
//! ```json
//! {"error": "invalid", "status": 422, "message": "patient.age: a number above the limit",
//!  "problems": [{"severity": "error", "path": "patient.age", "message": "..."}]}
//! ```
//!
//! `error` is a stable key (a [`carematch::ErrorKind`] key, or one of the
//! service's: `not_found`, `method_not_allowed`, `payload_too_large`,
//! `unsupported_media_type`, `header_too_large`, `bad_encoding`,
//! `unauthorized`, `forbidden`, `precondition_failed`, `precondition_required`,
//! `busy`, `timeout`, `store`, `not_ready`, `bad_request`, `internal`).
//!
//! Errors about a patient or an assessment name the field and the problem,
//! never the value: [`redact`] removes quoted terms and numbers from the
//! library's and serde's messages, which may quote them.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
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

/// Whether an error's messages may quote patient data (so are redacted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A patient, an assessment or referrals: messages are redacted.
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
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let clean = |m: &str| match source {
            Source::Patient => redact(m),
            Source::Directory => m.to_owned(),
        };
        let mut problems: Vec<Problem> = e
            .problems()
            .iter()
            .map(|p| Problem::new(p.severity, join(at, &p.path), clean(&p.message)))
            .collect();
        if problems.is_empty() {
            // An error with no field problems (a parse error, an unknown
            // program): its one-line text, at `at`.
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            problems.push(Problem::new(ProblemSeverity::Error, at, clean(first)));
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

/// `message` without the values it may quote: spans in backticks or double
/// quotes become `…`, and so does every word holding a digit (an age, a
/// rating, a diagnosis code, a date), so no value a patient's record holds
/// is sent back. Words and punctuation stay: "unknown variant `masshelth`,
/// expected one of `medicaid`, …" keeps its shape.
pub fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '"' => {
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
                out.push('…');
            }
            c if c.is_alphanumeric() || c == '.' || c == '-' || c == '_' => {
                let mut word = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '.' || d == '-' || d == '_' {
                        word.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if word.chars().any(|d| d.is_ascii_digit()) {
                    out.push('…');
                } else {
                    out.push_str(&word);
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_keeps_the_words_and_drops_the_values() {
        assert_eq!(redact("130 is above 120"), "… is above …");
        assert_eq!(
            redact("unknown variant `masshelth`, expected one of `medicaid`"),
            "unknown variant …, expected one of …"
        );
        assert_eq!(
            redact("invalid type: string \"abc\", expected u8"),
            "invalid type: string …, expected …"
        );
        assert_eq!(
            redact("F33.1 says the patient is pregnant"),
            "… says the patient is pregnant"
        );
        assert_eq!(redact("is empty"), "is empty");
    }
}
