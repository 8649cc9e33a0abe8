//! The routes, their handlers, and the JSON they take and give. The table
//! in [`crate::openapi`] describes the same routes (a test holds the two
//! equal).
//!
//! | route | body | answer |
//! | --- | --- | --- |
//! | `POST /level` | an assessment | the recommendation |
//! | `POST /rank` | [`RankRequest`] | the ranking (full or compact; excluded programs paged) |
//! | `POST /explain` | [`RankRequest`] with `program_id` | where that program ranks, or why it is excluded |
//! | `POST /assign` | [`AssignRequest`] | the assignment |
//! | `GET /programs/{id}` | | the program, its version as `ETag`; 304 when `If-None-Match` names that version |
//! | `PUT /programs/{id}` | a program | created (201) or replaced (200) |
//! | `PATCH /programs/{id}` | [`ProgramPatch`] | accepting and wait changed |
//! | `DELETE /programs/{id}` | | deleted (200) |
//! | `GET /health`, `/ready`, `/metrics`, `/openapi.json` | | liveness, readiness, metrics, the API |
//! | `GET /`, `/assets/*`; `POST /page/terms`, `GET /page/programs` | | the coordinator page ([`crate::page`]) |
//! | `GET /cds-services`; `POST /cds-services/{id}` | a CDS Hooks call | discovery; cards ([`crate::cds`]) |
//!
//! Writes need a bearer token; `PUT`, `PATCH` and `DELETE` honour `If-Match`
//! (412 on a stale version).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use axum::{
    Extension, Router,
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use carematch::{
    Date, Directory, LevelOfCare, LevelPolicy, NotListed, Program, ProgramId,
    matching::{Exclusion, ExclusionCount, Explanation, MatchOptions, Query, Ranking, Weights},
    sample,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::value::RawValue;

use crate::auth::Tokens;
use crate::error::{ApiError, Source, join};
use crate::limits::{Pool, read_json_body};
use crate::live::{Live, Shared, WriteError};
use crate::metrics::METRICS;
use crate::settings::Settings;
use crate::store::{Condition, StoreError};

/// What the handlers share.
#[derive(Debug)]
pub struct AppState {
    /// The live directory and its store.
    pub shared: Shared,
    /// The level-of-care policy `/level` and `/rank` use.
    pub policy: LevelPolicy,
    /// The scoring weights.
    pub weights: Weights,
    /// The settings the service runs with.
    pub settings: Settings,
    /// The accepted bearer tokens.
    pub tokens: Tokens,
    /// Where rankings (rank, explain, assign, level) run.
    pub rank_pool: Pool,
    /// Where writes wait for the store.
    pub write_pool: Pool,
    /// Whether the directory is loaded and the service not shutting down.
    pub ready: AtomicBool,
}

impl AppState {
    /// A state over `live`, kept in `store`.
    pub fn new(
        settings: Settings,
        tokens: Tokens,
        live: Live,
        store: Box<dyn crate::store::Store>,
        as_of: Date,
    ) -> Arc<AppState> {
        let workers = settings.workers.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        });
        Arc::new(AppState {
            shared: Shared::new(live, store, as_of),
            policy: LevelPolicy::default(),
            weights: Weights::default(),
            rank_pool: Pool::new("rank", workers, settings.queue),
            write_pool: Pool::new("write", 1, settings.write_queue),
            settings,
            tokens,
            ready: AtomicBool::new(true),
        })
    }

    /// The embedded fictional sample in a store in memory (tests, the
    /// doc example), with the tokens the settings give.
    ///
    /// # Panics
    ///
    /// When the settings' tokens do not read, or the embedded sample does
    /// not validate (a test holds that it does).
    pub fn sample(settings: Settings) -> Arc<AppState> {
        let tokens = Tokens::parse(settings.tokens.as_deref().unwrap_or("")).expect("tokens");
        let store = crate::store::open(":memory:").expect("a store in memory");
        let programs = sample::massachusetts();
        let live = crate::server::import(store.as_ref(), programs, sample::AS_OF, true)
            .expect("the embedded sample validates");
        AppState::new(settings, tokens, live, store, sample::AS_OF)
    }
}

/// The request id (from `X-Request-Id` when the client sends a short one
/// of letters, digits, `-` and `_`; made up otherwise).
#[derive(Debug, Clone)]
pub struct RequestId(pub Arc<str>);

/// The service's routes over `state`.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/level", post(level))
        .route("/rank", post(rank))
        .route("/explain", post(explain))
        .route("/assign", post(assign))
        .route(
            "/programs/{id}",
            get(get_program)
                .put(put_program)
                .patch(patch_program)
                .delete(delete_program),
        )
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .route("/", get(crate::page::index).post(crate::page::submit))
        .route("/assets/app.js", get(crate::page::script))
        .route("/assets/app.css", get(crate::page::style))
        .route("/page/terms", post(crate::page::terms))
        .route("/page/programs", get(crate::page::programs))
        .route("/cds-services", get(crate::cds::discovery))
        .route("/cds-services/{id}", post(crate::cds::call))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), around))
        .with_state(state)
}

/// Around every request: its id, the head-size limit (431), the handler
/// timeout on read routes, one JSON error shape for every status, metrics
/// and the access log line (route pattern, status, time; no path, query or
/// body, so no patient field).
async fn around(
    State(state): State<Arc<AppState>>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = request_id(req.headers());
    req.extensions_mut().insert(id.clone());
    let method = method_name(req.method());
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("(unmatched)", |m| m.as_str())
        .to_owned();
    METRICS.in_flight(1);
    let head = head_bytes(&req);
    let mut response = if head > state.settings.header_limit {
        ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "header_too_large",
            format!(
                "the request's head is {head} bytes, above the limit of {}",
                state.settings.header_limit
            ),
        )
        .into_response()
    } else if is_write(req.method()) || (req.method() == Method::POST && req.uri().path() == "/") {
        // A write is never cut off once it reaches the store: a client
        // must not see an error for a write that was made (the page's
        // form posts may be admin writes).
        next.run(req).await
    } else {
        let limit = Settings::secs(state.settings.handler_timeout);
        match tokio::time::timeout(limit, next.run(req)).await {
            Ok(r) => r,
            Err(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the request took longer than the handler timeout",
            )
            .retry_after(1)
            .into_response(),
        }
    };
    response = json_errors(response).await;
    if let Ok(v) = HeaderValue::from_str(&id.0) {
        response.headers_mut().insert("x-request-id", v);
    }
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    METRICS.in_flight(-1);
    METRICS.request(&route, method, status, seconds);
    tracing::info!(
        target: "carematch_service::access",
        request_id = %id.0,
        method,
        route = %route,
        status,
        ms = seconds * 1000.0,
        "request"
    );
    response
}

/// A response of 400 or more that is neither JSON nor the page's HTML
/// (axum's 405, a layer's 413) becomes the service's error shape, its
/// headers (`Allow`) kept.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    // JSON is already the shape; HTML is the page's own error page for a
    // form posted without JavaScript (it names the field).
    let is_json_or_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/html")
        });
    if status.as_u16() < 400 || is_json_or_page {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let error = ApiError::for_status(status);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(error.body()))
}

fn is_write(method: &Method) -> bool {
    matches!(*method, Method::PUT | Method::PATCH | Method::DELETE)
}

fn method_name(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The bytes of the request line and headers, as sent (about).
fn head_bytes(req: &Request<Body>) -> usize {
    let line = req.method().as_str().len() + req.uri().to_string().len() + 12;
    let headers: usize = req
        .headers()
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len() + 4)
        .sum();
    line + headers
}

fn request_id(headers: &HeaderMap) -> RequestId {
    use std::sync::atomic::AtomicU64;
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static PREFIX: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(std::process::id())
    });
    if let Some(given) = headers.get("x-request-id").and_then(|v| v.to_str().ok())
        && !given.is_empty()
        && given.len() <= 64
        && given
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return RequestId(given.into());
    }
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    RequestId(format!("{:08x}-{n}", *PREFIX & 0xffff_ffff).into())
}

/// The name of the token the request carries, when it is required or given.
///
/// # Errors
///
/// 401 without a token where one is required (or with no tokens configured
/// for a write), 403 with a token that is not accepted.
pub(crate) fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    write: bool,
) -> Result<Option<String>, ApiError> {
    let presented = Tokens::bearer(
        headers
            .get(header::AUTHORIZATION)
            .map(HeaderValue::as_bytes),
    );
    let required = write || state.settings.read_auth;
    if write && state.tokens.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "writes are turned off: the service has no tokens (--tokens-file or CAREMATCH_TOKENS)",
        ));
    }
    match presented {
        None if required => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this route needs a bearer token (Authorization: Bearer ...)",
        )),
        None => Ok(None),
        Some(token) => match state.tokens.check(token) {
            Some(name) => Ok(Some(name.to_owned())),
            None if required => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "the bearer token is not accepted",
            )),
            None => Ok(None),
        },
    }
}

/// Reads `T` from the JSON `text`, naming the field path of a failure
/// (under `at`); for patient routes the problem is described by
/// [`crate::error::value_free`], never by serde's message.
pub(crate) fn read<T: DeserializeOwned>(
    at: &str,
    text: &str,
    source: Source,
) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let problem = |path: &str, e: &serde_json::Error| match source {
        Source::Patient if e.is_syntax() || e.is_eof() => {
            ApiError::field(&crate::error::clean_path(path), "is not valid JSON")
        }
        Source::Patient => {
            let p = crate::error::value_free(carematch::ErrorKind::Json, path, &e.to_string());
            ApiError::field(&p.path, p.message)
        }
        Source::Directory => ApiError::field(path, e.to_string()),
    };
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        problem(&join(at, &path), e.inner())
    })?;
    de.end().map_err(|e| problem(at, &e))?;
    Ok(value)
}

pub(crate) fn json(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut r = (status, bytes).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|_| ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR))
}

pub(crate) async fn body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<String, ApiError> {
    read_json_body(
        headers,
        body,
        state.settings.body_limit,
        Settings::secs(state.settings.body_timeout),
    )
    .await
}

async fn not_found() -> ApiError {
    ApiError::for_status(StatusCode::NOT_FOUND)
}

async fn health() -> Response {
    json(StatusCode::OK, br#"{"status":"live"}"#.to_vec())
}

async fn ready(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    if !state.ready.load(Ordering::Relaxed) {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "the service is starting or shutting down",
        ));
    }
    let s = state.clone();
    let ping = state
        .write_pool
        .run(move || s.shared.store().ping())
        .await?;
    if ping.is_err() {
        METRICS.store_error();
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "the store does not answer",
        ));
    }
    let programs = state.shared.read().directory.len();
    let body = serde_json::json!({
        "status": "ready",
        "store": state.shared.store().kind(),
        "programs": programs,
    });
    Ok(json(StatusCode::OK, to_json(&body)?))
}

async fn metrics(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let programs = state.shared.read().directory.len();
    let mut r = METRICS.render(programs).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    Ok(r)
}

async fn openapi(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    Ok(json(StatusCode::OK, to_json(&crate::openapi::document())?))
}

async fn level(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let text = body(&state, &headers, raw).await?;
    let assessment = carematch::assessment_from_json(&text)
        .map_err(|e| ApiError::from_carematch("", &e, Source::Patient))?;
    let rec = state.policy.recommend(&assessment);
    Ok(json(StatusCode::OK, to_json(&rec)?))
}

/// How a ranking is answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Everything: every criterion of every match with its reasons.
    #[default]
    Full,
    /// Scores and alert kinds only (ids, levels, scores, alert keys, counts).
    Compact,
}

/// The body of `/rank` and `/explain`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankRequest {
    /// The patient's needs (the crate's patient format).
    pub patient: Box<RawValue>,
    /// An assessment: its recommended level is used, and its facts carried.
    #[serde(default)]
    pub assessment: Option<Box<RawValue>>,
    /// The level of care, when no assessment gives it (else the patient's `level`).
    #[serde(default)]
    pub level: Option<LevelOfCare>,
    /// How many matches (default 5, at most the `max_top` setting).
    #[serde(default = "default_top")]
    pub top: usize,
    /// Also list programs at adjacent levels, labelled.
    #[serde(default)]
    pub alternatives: bool,
    /// Keep programs that take self-pay but not the patient's payer.
    #[serde(default)]
    pub allow_self_pay: bool,
    /// Keep programs not accepting new patients (as waitlists).
    #[serde(default)]
    pub allow_waitlist: bool,
    /// List excluded programs with their reasons, a page at a time.
    #[serde(default)]
    pub exclusion_details: bool,
    /// The first excluded program listed (in program-id order).
    #[serde(default)]
    pub exclusions_offset: usize,
    /// How many excluded programs to list (default and most: the
    /// `max_exclusions` setting).
    #[serde(default)]
    pub exclusions_limit: Option<usize>,
    /// `full` (default) or `compact`.
    #[serde(default)]
    pub view: View,
    /// For `/explain`: the program asked about.
    #[serde(default)]
    pub program_id: Option<String>,
}

fn default_top() -> usize {
    5
}

/// Compiles the request's query against `directory`.
fn query(state: &AppState, directory: &Directory, r: &RankRequest) -> Result<Query, ApiError> {
    let needs = carematch::patient_from_json(r.patient.get())
        .map_err(|e| ApiError::from_carematch("patient", &e, Source::Patient))?;
    let options = MatchOptions::new(state.shared.as_of())
        .with_alternatives_included(r.alternatives)
        .with_self_pay_allowed(r.allow_self_pay)
        .with_waitlist_allowed(r.allow_waitlist);
    match &r.assessment {
        Some(a) => {
            let assessment = carematch::assessment_from_json(a.get())
                .map_err(|e| ApiError::from_carematch("assessment", &e, Source::Patient))?;
            let rec = state.policy.recommend(&assessment);
            directory
                .query_for(&needs, &rec, options)
                .map_err(|e| ApiError::from_carematch("patient", &e, Source::Patient))
        }
        None => directory
            .query(&needs, r.level, options)
            .map_err(|e| ApiError::from_carematch("patient", &e, Source::Patient)),
    }
}

/// A full ranking with a page of its excluded programs.
#[derive(Serialize)]
struct Paged<'a> {
    #[serde(flatten)]
    ranking: &'a Ranking,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusions_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusions_next_offset: Option<usize>,
}

/// A ranking in its compact form.
#[derive(Serialize)]
struct Compact<'a> {
    level: LevelOfCare,
    alerts: Vec<&'static str>,
    matches: Vec<CompactMatch<'a>>,
    alternatives: Vec<CompactMatch<'a>>,
    eligible: usize,
    alternatives_eligible: usize,
    excluded_count: usize,
    exclusion_counts: &'a [ExclusionCount],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    excluded: &'a [Exclusion],
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusions_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusions_next_offset: Option<usize>,
}

#[derive(Serialize)]
struct CompactMatch<'a> {
    program_id: &'a ProgramId,
    level: LevelOfCare,
    score: f64,
    alerts: Vec<&'static str>,
}

fn compact(ms: &[carematch::matching::Match]) -> Vec<CompactMatch<'_>> {
    ms.iter()
        .map(|m| CompactMatch {
            program_id: &m.program_id,
            level: m.level,
            score: m.score,
            alerts: m
                .alerts
                .iter()
                .map(carematch::matching::Alert::key)
                .collect(),
        })
        .collect()
}

pub(crate) fn check_rank_request(state: &AppState, r: &RankRequest) -> Result<usize, ApiError> {
    if r.top > state.settings.max_top {
        return Err(ApiError::field(
            "top",
            format!("above the limit of {}", state.settings.max_top),
        ));
    }
    let cap = state.settings.max_exclusions;
    let limit = r.exclusions_limit.unwrap_or(cap);
    if limit > cap {
        return Err(ApiError::field(
            "exclusions_limit",
            format!("above the limit of {cap}"),
        ));
    }
    Ok(limit)
}

/// Ranks on the caller's (blocking) thread: the JSON answer.
pub(crate) fn rank_now(
    state: &AppState,
    r: &RankRequest,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let live = state.shared.read();
    let q = query(state, &live.directory, r)?;
    let mut ranking = live.directory.rank(&q, &state.weights, r.top);
    METRICS.ranked();
    let (mut offset, mut next) = (None, None);
    if r.exclusion_details {
        // One page, in program-id order: the rest are never built.
        let mut page = live.directory.exclusions(&q).skip(r.exclusions_offset);
        ranking.excluded = page.by_ref().take(limit).collect();
        offset = Some(r.exclusions_offset);
        next = page
            .next()
            .map(|_| r.exclusions_offset + ranking.excluded.len());
    }
    drop(live);
    match r.view {
        View::Full => to_json(&Paged {
            ranking: &ranking,
            exclusions_offset: offset,
            exclusions_next_offset: next,
        }),
        View::Compact => to_json(&Compact {
            level: ranking.level,
            alerts: ranking
                .alerts
                .iter()
                .map(carematch::matching::Alert::key)
                .collect(),
            matches: compact(&ranking.matches),
            alternatives: compact(&ranking.alternatives),
            eligible: ranking.eligible,
            alternatives_eligible: ranking.alternatives_eligible,
            excluded_count: ranking.excluded_count,
            exclusion_counts: &ranking.exclusion_counts,
            excluded: &ranking.excluded,
            exclusions_offset: offset,
            exclusions_next_offset: next,
        }),
    }
}

async fn rank(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let text = body(&state, &headers, raw).await?;
    let r: RankRequest = read("", &text, Source::Patient)?;
    let limit = check_rank_request(&state, &r)?;
    let s = state.clone();
    let bytes = state
        .rank_pool
        .run(move || rank_now(&s, &r, limit))
        .await??;
    Ok(json(StatusCode::OK, bytes))
}

async fn explain(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let text = body(&state, &headers, raw).await?;
    let r: RankRequest = read("", &text, Source::Patient)?;
    check_rank_request(&state, &r)?;
    let Some(id) = r.program_id.clone() else {
        return Err(ApiError::field("program_id", "missing"));
    };
    let s = state.clone();
    let answer = state
        .rank_pool
        .run(move || explain_now(&s, &r, &id))
        .await??;
    Ok(json(StatusCode::OK, to_json(&answer)?))
}

/// Explains program `id` for the request's patient, on the caller's
/// (blocking) thread.
///
/// # Errors
///
/// The query's errors; 404 for a program not in the directory.
pub(crate) fn explain_now(
    state: &AppState,
    r: &RankRequest,
    id: &str,
) -> Result<Explanation, ApiError> {
    let live = state.shared.read();
    let q = query(state, &live.directory, r)?;
    METRICS.ranked();
    match live.directory.explain(&q, &state.weights, id) {
        Explanation::UnknownProgram { .. } => Err(unknown_program()),
        answer => Ok(answer),
    }
}

pub(crate) fn unknown_program() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_program",
        "no program has this id",
    )
}

/// The body of `/assign`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The referrals, each as in a referral queue file.
    pub referrals: Box<RawValue>,
    /// Open slots assumed for a program that does not list them.
    #[serde(default)]
    pub unlisted_slots: u32,
    /// Place in queue order (first come, first served) instead.
    #[serde(default)]
    pub first_come: bool,
}

async fn assign(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let text = body(&state, &headers, raw).await?;
    Ok(json(StatusCode::OK, assign_text(&state, &text).await?))
}

/// The assignment, as JSON, for the `/assign` body `text`.
///
/// # Errors
///
/// The body's or the queue's problems (value-free), or a busy pool.
pub(crate) async fn assign_text(state: &Arc<AppState>, text: &str) -> Result<Vec<u8>, ApiError> {
    use carematch::assign::{AssignOptions, Method as Placing, PriorityPolicy};
    let r: AssignRequest = read("", text, Source::Patient)?;
    let doc = format!("{{\"referrals\": {}}}", r.referrals.get());
    let referrals = carematch::assign::referrals_from_json(&doc)
        .map_err(|e| ApiError::from_carematch("", &e, Source::Patient))?;
    if referrals.len() > state.settings.max_referrals {
        return Err(ApiError::field(
            "referrals",
            format!(
                "above the limit of {} referrals",
                state.settings.max_referrals
            ),
        ));
    }
    let s = state.clone();
    let bytes = state
        .rank_pool
        .run(move || {
            let options = AssignOptions::new(s.shared.as_of())
                .with_unlisted_slots(r.unlisted_slots)
                .with_method(if r.first_come {
                    Placing::FirstComeFirstServed
                } else {
                    Placing::Optimal
                });
            let live = s.shared.read();
            let result = carematch::assign::assign(
                &live.directory,
                &referrals,
                &PriorityPolicy::default(),
                &options,
            )
            .map_err(|e| ApiError::from_carematch("", &e, Source::Patient))?;
            METRICS.ranked();
            drop(live);
            let mut result = result;
            // A referral that cannot be ranked says which field, in the
            // service's value-free words, as an error body does.
            for r in &mut result.referrals {
                if let Some(p) = &mut r.problem {
                    *p = crate::error::value_free(
                        carematch::ErrorKind::Invalid,
                        &p.path,
                        &p.message,
                    );
                }
            }
            to_json(&result)
        })
        .await??;
    Ok(bytes)
}

fn etag(version: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// The condition `If-Match` sets: none, `*`, or one version (`"7"`, or
/// `W/"7"`). A list or a tag this service did not give matches nothing.
fn if_match(headers: &HeaderMap) -> Condition {
    let Some(v) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) else {
        return Condition::Any;
    };
    let v = v.trim();
    if v == "*" {
        return Condition::Exists;
    }
    let tag = v.strip_prefix("W/").unwrap_or(v);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<u64>().ok())
        .map_or(Condition::Version(0), Condition::Version)
}

/// Whether `If-None-Match` names the program's current `version` (weak
/// comparison, as RFC 9110 asks for it): `*`, or a list holding `"7"` or
/// `W/"7"`. Absent, or naming other versions only: `false`.
fn none_match(headers: &HeaderMap, version: u64) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| {
            tag == "*"
                || tag
                    .strip_prefix("W/")
                    .unwrap_or(tag)
                    .strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    .and_then(|t| t.parse::<u64>().ok())
                    == Some(version)
        })
}

async fn get_program(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let (program, version) = {
        let live = state.shared.read();
        let version = live.versions.get(&id).copied().unwrap_or(1);
        if live.directory.contains(&id) && none_match(&headers, version) {
            // The client holds this version: no body, no decoding.
            drop(live);
            let mut r = StatusCode::NOT_MODIFIED.into_response();
            r.headers_mut().insert(header::ETAG, etag(version));
            return Ok(r);
        }
        let program = live.directory.get(&id).ok_or_else(unknown_program)?;
        (program, version)
    };
    let mut r = json(StatusCode::OK, to_json(&program)?);
    r.headers_mut().insert(header::ETAG, etag(version));
    Ok(r)
}

/// Audits a write: who (the token's name), what, and how it ended.
pub(crate) fn audit(
    id: &RequestId,
    token: Option<&str>,
    op: &'static str,
    program_id: &str,
    outcome: &'static str,
    version: Option<u64>,
) {
    METRICS.update(op, outcome);
    tracing::info!(
        target: "carematch_service::audit",
        request_id = %id.0,
        token = token.unwrap_or("-"),
        op,
        program_id,
        outcome,
        version,
        "write"
    );
}

pub(crate) fn write_error(e: WriteError) -> (ApiError, &'static str) {
    match e {
        WriteError::Invalid(e) => (
            ApiError::from_carematch("", &e, Source::Directory),
            "invalid",
        ),
        WriteError::Store(StoreError::Stale { current }) => {
            let message = match current {
                Some(v) => {
                    format!("the program is at version {v}: read it again (its ETag) and retry")
                }
                None => "the program does not exist".to_owned(),
            };
            let mut e = ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                message,
            );
            e.problems.push(carematch::Problem::new(
                carematch::ProblemSeverity::Error,
                "If-Match",
                "does not match the program's version",
            ));
            (e, "stale")
        }
        WriteError::Store(StoreError::NotFound) => (unknown_program(), "not_found"),
        WriteError::Store(StoreError::Backend(e)) => {
            METRICS.store_error();
            tracing::error!(target: "carematch_service::store", error = %e, "a write failed in the store");
            (
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store",
                    "the store failed; the write was not made",
                )
                .retry_after(1),
                "error",
            )
        }
    }
}

/// A PUT's or PATCH's answer and its audit line: the program written (201
/// or 200 with its version), or the write's error.
pub(crate) fn finish_write(
    result: Result<crate::live::Written, WriteError>,
    rid: &RequestId,
    token: Option<&str>,
    op: &'static str,
    id: &str,
) -> Result<Response, ApiError> {
    match result {
        Ok(w) => {
            audit(rid, token, op, id, "ok", Some(w.record.version));
            written(&w, id)
        }
        Err(e) => {
            let (e, outcome) = write_error(e);
            audit(rid, token, op, id, outcome, None);
            Err(e)
        }
    }
}

fn written(w: &crate::live::Written, id: &str) -> Result<Response, ApiError> {
    let status = if w.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = serde_json::json!({
        "program_id": id,
        "version": w.record.version,
        "warnings": w.warnings.problems,
    });
    let mut r = json(status, to_json(&body)?);
    r.headers_mut().insert(header::ETAG, etag(w.record.version));
    Ok(r)
}

async fn put_program(
    State(state): State<Arc<AppState>>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    Path(id): Path<String>,
    raw: Body,
) -> Result<Response, ApiError> {
    let token = authorize(&state, &headers, true)?;
    let text = body(&state, &headers, raw).await?;
    let program: Program = read("", &text, Source::Directory)?;
    if program.id.as_str() != id {
        return Err(ApiError::field(
            "id",
            format!("`{}` differs from the id in the path, `{id}`", program.id),
        ));
    }
    let condition = if_match(&headers);
    let s = state.clone();
    let result = state
        .write_pool
        .run(move || s.shared.put(program, condition))
        .await?;
    finish_write(result, &rid, token.as_deref(), "put", &id)
}

/// The body of `PATCH /programs/{id}`: what an intake desk sends most often.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramPatch {
    /// Whether the program takes new patients (listed from now on).
    #[serde(default)]
    pub accepting_new_patients: Option<bool>,
    /// Typical days to intake (`null`: not listed); left as it is when absent.
    #[serde(default, with = "double_option")]
    pub typical_wait_days: Option<Option<u16>>,
    /// Open places (`null`: not listed); left as it is when absent.
    #[serde(default, with = "double_option")]
    pub open_slots: Option<Option<u32>>,
}

impl ProgramPatch {
    /// Makes the change on `p`: what is given is set (and listed from now on).
    pub fn apply(&self, p: &mut Program) {
        if let Some(accepting) = self.accepting_new_patients {
            p.accepting_new_patients = accepting;
            p.not_listed
                .retain(|n| *n != NotListed::AcceptingNewPatients);
        }
        if let Some(wait) = self.typical_wait_days {
            p.typical_wait_days = wait;
            if wait.is_some() {
                p.not_listed.retain(|n| *n != NotListed::Wait);
            }
        }
        if let Some(slots) = self.open_slots {
            p.open_slots = slots;
        }
    }
}

mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

async fn patch_program(
    State(state): State<Arc<AppState>>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    Path(id): Path<String>,
    raw: Body,
) -> Result<Response, ApiError> {
    let token = authorize(&state, &headers, true)?;
    let text = body(&state, &headers, raw).await?;
    let patch: ProgramPatch = read("", &text, Source::Directory)?;
    let condition = if_match(&headers);
    let s = state.clone();
    let pid = id.clone();
    let result = state
        .write_pool
        .run(move || s.shared.patch(&pid, condition, |p| patch.apply(p)))
        .await?;
    finish_write(result, &rid, token.as_deref(), "patch", &id)
}

async fn delete_program(
    State(state): State<Arc<AppState>>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let token = authorize(&state, &headers, true)?;
    let condition = if_match(&headers);
    let s = state.clone();
    let pid = id.clone();
    let result = state
        .write_pool
        .run(move || s.shared.delete(&pid, condition))
        .await?;
    match result {
        Ok(record) => {
            audit(
                &rid,
                token.as_deref(),
                "delete",
                &id,
                "ok",
                Some(record.version),
            );
            let body =
                serde_json::json!({"program_id": id, "version": record.version, "deleted": true});
            Ok(json(StatusCode::OK, to_json(&body)?))
        }
        Err(e) => {
            let (e, outcome) = write_error(e);
            audit(&rid, token.as_deref(), "delete", &id, outcome, None);
            Err(e)
        }
    }
}
