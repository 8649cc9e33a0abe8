//! An HTTP service embedding carematch: the shape a referral platform or a
//! discharge-planning service would give it, in about 300 lines of axum.
//!
//! - `POST /level`: an assessment in, the level-of-care recommendation out.
//! - `POST /rank`: a patient (and an assessment, or a level) in, the ranking out.
//! - `POST /explain`: the same plus a `program_id`: where that one program
//!   ranks, or every reason it is excluded.
//! - `PUT /programs/{id}`: an admin route that inserts or replaces one
//!   program in the live directory (put it behind your authentication).
//!
//! JSON in and out. Errors are JSON too, with the field path of every
//! problem and a status code by [`carematch::ErrorKind`]:
//!
//! ```json
//! {"error": "json", "message": "patient.payer: unknown payer ...",
//!  "problems": [{"severity": "error", "path": "patient.payer", "message": "..."}]}
//! ```
//!
//! The directory lives in an `RwLock`: rankings take the read lock (many at
//! once), an update takes the write lock for the microseconds it needs.
//!
//! # Example
//!
//! ```
//! let state = carematch_service::State::sample();
//! let app = carematch_service::app(state);
//! # let _ = app;
//! ```

use std::sync::{Arc, RwLock};

use axum::{
    Router,
    extract::{Path, State as Extract},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{post, put},
};
use carematch::{
    Date, Directory, ErrorKind, LevelOfCare, LevelPolicy, PatientNeeds, Problem, ProblemSeverity,
    Program,
    matching::{MatchOptions, Query, Weights},
    sample,
};
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Value, json};

/// What the handlers share: the live directory, the level policy, the
/// scoring weights, and the date freshness is judged against.
#[derive(Debug)]
pub struct State {
    /// The live directory.
    pub directory: RwLock<Directory>,
    /// The level-of-care policy `/level` and `/rank` use.
    pub policy: LevelPolicy,
    /// The scoring weights.
    pub weights: Weights,
    /// The date verification dates are judged against.
    pub as_of: Date,
}

impl State {
    /// The embedded sample directory of fictional Massachusetts programs,
    /// the default policy and weights.
    ///
    /// # Panics
    ///
    /// Never: the embedded sample validates (a test holds it so).
    pub fn sample() -> Arc<State> {
        let directory = Directory::from_json(sample::MASSACHUSETTS_JSON, sample::AS_OF)
            .expect("the embedded sample validates");
        Arc::new(State::new(directory, sample::AS_OF))
    }

    /// A state over `directory`, with the default policy and weights.
    pub fn new(directory: Directory, as_of: Date) -> State {
        State {
            directory: RwLock::new(directory),
            policy: LevelPolicy::default(),
            weights: Weights::default(),
            as_of,
        }
    }
}

/// The service's routes over `state`.
pub fn app(state: Arc<State>) -> Router {
    Router::new()
        .route("/level", post(level))
        .route("/rank", post(rank))
        .route("/explain", post(explain))
        .route("/programs/{id}", put(put_program))
        .with_state(state)
}

/// An error as the service answers it: a status and a JSON body.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    problems: Vec<Problem>,
}

impl ApiError {
    /// A carematch error from reading or using the document at `at` (a
    /// field of the request body; empty for the whole body): its paths
    /// are put under `at`.
    fn from_carematch(at: &str, e: carematch::Error) -> ApiError {
        let status = match e.kind() {
            ErrorKind::Json | ErrorKind::Parse => StatusCode::BAD_REQUEST,
            ErrorKind::UnknownProgram => StatusCode::NOT_FOUND,
            ErrorKind::DuplicateProgram => StatusCode::CONFLICT,
            ErrorKind::Limit => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let problems = e
            .problems()
            .iter()
            .map(|p| Problem::new(p.severity, join(at, &p.path), p.message.clone()))
            .collect();
        let message = match e.path() {
            Some(path) => {
                let inner = e.problems().first().map(|p| p.message.clone());
                format!(
                    "{}: {}",
                    or_body(&join(at, path)),
                    inner.unwrap_or_default()
                )
            }
            None => e.to_string(),
        };
        ApiError {
            status,
            kind: e.kind().key(),
            message,
            problems,
        }
    }

    /// A request that is not what the route takes, at `path`.
    fn bad_request(path: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "json",
            problems: vec![Problem::new(ProblemSeverity::Error, path, message.clone())],
            message: format!("{}: {message}", or_body(path)),
        }
    }
}

fn or_body(path: &str) -> &str {
    if path.is_empty() { "(body)" } else { path }
}

/// `a` then `b` as one field path.
fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_owned(),
        (_, true) => a.to_owned(),
        _ if b.starts_with('[') => format!("{a}{b}"),
        _ => format!("{a}.{b}"),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": self.kind,
            "message": self.message,
            "problems": self.problems,
        });
        (self.status, axum::Json(body)).into_response()
    }
}

/// Reads `T` from the JSON `text`, naming the field path of a failure (under `at`).
fn read<T: DeserializeOwned>(at: &str, text: &str) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        ApiError::bad_request(&join(at, &path), e.inner().to_string())
    })?;
    de.end()
        .map_err(|e| ApiError::bad_request(at, e.to_string()))?;
    Ok(value)
}

/// The body of `/rank` and `/explain`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RankRequest {
    /// The patient's needs (the crate's patient format).
    patient: Value,
    /// An assessment: its recommended level is used, and its facts carried.
    #[serde(default)]
    assessment: Option<Value>,
    /// The level of care, when no assessment gives it (else the patient's `level`).
    #[serde(default)]
    level: Option<LevelOfCare>,
    /// How many matches (default 5, at most 100).
    #[serde(default = "default_top")]
    top: usize,
    #[serde(default)]
    alternatives: bool,
    #[serde(default)]
    allow_self_pay: bool,
    #[serde(default)]
    allow_waitlist: bool,
    #[serde(default)]
    exclusion_details: bool,
    /// For `/explain`: the program asked about.
    #[serde(default)]
    program_id: Option<String>,
}

fn default_top() -> usize {
    5
}

const MAX_TOP: usize = 100;

/// Compiles the request's query against `directory`.
fn query(state: &State, directory: &Directory, r: &RankRequest) -> Result<Query, ApiError> {
    let needs: PatientNeeds = read("patient", &r.patient.to_string())?;
    let options = MatchOptions::new(state.as_of)
        .with_alternatives_included(r.alternatives)
        .with_self_pay_allowed(r.allow_self_pay)
        .with_waitlist_allowed(r.allow_waitlist)
        .with_exclusion_details(r.exclusion_details);
    match &r.assessment {
        Some(a) => {
            let assessment = carematch::assessment_from_json(&a.to_string())
                .map_err(|e| ApiError::from_carematch("assessment", e))?;
            let rec = state.policy.recommend(&assessment);
            directory
                .query_for(&needs, &rec, options)
                .map_err(|e| ApiError::from_carematch("patient", e))
        }
        None => {
            let level = r.level.or(needs.level).ok_or_else(|| {
                ApiError::bad_request(
                    "level",
                    "no level of care: give `level`, the patient's `level`, or an `assessment`",
                )
            })?;
            directory
                .query(&needs, level, options)
                .map_err(|e| ApiError::from_carematch("patient", e))
        }
    }
}

fn read_directory(state: &State) -> std::sync::RwLockReadGuard<'_, Directory> {
    // A panic while holding the lock cannot leave the directory half
    // updated (each update is all or nothing), so a poisoned lock is usable.
    state.directory.read().unwrap_or_else(|e| e.into_inner())
}

async fn level(Extract(state): Extract<Arc<State>>, body: String) -> Result<Response, ApiError> {
    let assessment =
        carematch::assessment_from_json(&body).map_err(|e| ApiError::from_carematch("", e))?;
    let rec = state.policy.recommend(&assessment);
    Ok(axum::Json(rec).into_response())
}

async fn rank(Extract(state): Extract<Arc<State>>, body: String) -> Result<Response, ApiError> {
    let r: RankRequest = read("", &body)?;
    if r.top > MAX_TOP {
        return Err(ApiError::bad_request(
            "top",
            format!("{} is above the limit of {MAX_TOP}", r.top),
        ));
    }
    let directory = read_directory(&state);
    let q = query(&state, &directory, &r)?;
    let ranking = directory.rank(&q, &state.weights, r.top);
    Ok(axum::Json(ranking).into_response())
}

async fn explain(Extract(state): Extract<Arc<State>>, body: String) -> Result<Response, ApiError> {
    let r: RankRequest = read("", &body)?;
    let Some(id) = &r.program_id else {
        return Err(ApiError::bad_request("program_id", "missing"));
    };
    let directory = read_directory(&state);
    let q = query(&state, &directory, &r)?;
    let answer = directory.explain(&q, &state.weights, id);
    let status = match answer {
        carematch::matching::Explanation::UnknownProgram { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::OK,
    };
    Ok((status, axum::Json(answer)).into_response())
}

async fn put_program(
    Extract(state): Extract<Arc<State>>,
    Path(id): Path<String>,
    body: String,
) -> Result<Response, ApiError> {
    let program: Program = read("", &body)?;
    if program.id.as_str() != id {
        return Err(ApiError::bad_request(
            "id",
            format!("`{}` differs from the id in the path, `{id}`", program.id),
        ));
    }
    let mut directory = state.directory.write().unwrap_or_else(|e| e.into_inner());
    let existed = directory.contains(&id);
    let warnings = directory
        .upsert(program)
        .map_err(|e| ApiError::from_carematch("", e))?;
    let status = if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let body = json!({ "program_id": id, "warnings": warnings.problems });
    Ok((status, axum::Json(body)).into_response())
}
