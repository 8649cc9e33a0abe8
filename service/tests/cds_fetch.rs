//! The CDS Hooks service fetching what the EHR did not prefetch (issue 30),
//! over loopback: a stub FHIR server (axum on 127.0.0.1, a fresh one per
//! test) serving fictional resources from `tests/data/fhir-patient`, and
//! the service driven in-process.
//!
//! A call with every prefetch key `null` gets the cards of the same call
//! with the prefetch filled in; the token reached the stub; a server off
//! the allow list is never asked; a stub that fails, answers slowly, too
//! much, not JSON or the wrong resource gives clear cards or 412, never a
//! panic; and no token, patient id or patient value reaches an answer or
//! a log line.
//!
//! Its own test binary: the log capture is the process's global subscriber.

use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use axum::{
    Router,
    body::Body,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, Method, Request, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use carematch_service::{AppState, Settings, app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// The call's token and the patient's id: never in a log line or answer.
const TOKEN: &str = "tok-SECRET-7c1e9a2b-fict";
const PATIENT_ID: &str = "pat-fict-1";

/// Values from the fictional records that must never come back or be logged.
const PATIENT_VALUES: [&str; 6] = [
    "Quenby",
    "Fictionson",
    "Imaginary Lane",
    "MRN-FICT-0001",
    TOKEN,
    PATIENT_ID,
];

/// The prefetch keys of the discovery and the kinds they ask for.
const KEYS: [(&str, &str); 7] = [
    ("patient", "Patient"),
    ("conditions", "Condition"),
    ("coverage", "Coverage"),
    ("observations", "Observation"),
    ("questionnaireResponses", "QuestionnaireResponse"),
    ("medicationStatements", "MedicationStatement"),
    ("medicationRequests", "MedicationRequest"),
];

// ---- the log capture ----

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logs() -> &'static Captured {
    static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    static INIT: Once = Once::new();
    let captured = CAPTURED.get_or_init(Captured::default);
    INIT.call_once(|| {
        let sink = captured.clone();
        tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || sink.clone())
            .init();
    });
    captured
}

/// The log lines so far, each checked free of patient values and tokens.
fn clean_logs() -> String {
    let text = String::from_utf8(logs().0.lock().unwrap().clone()).unwrap();
    for v in PATIENT_VALUES {
        assert!(!text.contains(v), "`{v}` in the logs: {text}");
    }
    text
}

// ---- the stub FHIR server ----

/// How the stub answers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// The resources, as a FHIR server would.
    Serve,
    /// Searches answer a first page with a `next` link.
    Paged,
    /// 500 for everything.
    Fail,
    /// 500 for Coverage only.
    FailCoverage,
    /// 200 with a body that is not JSON.
    NotJson,
    /// Waits 3 seconds before answering.
    Slow,
    /// 200 with a body of 256 KiB.
    Big,
    /// An OperationOutcome for everything.
    WrongType,
    /// 302 to another host.
    Redirect,
    /// A read of the Patient answers another patient.
    OtherPatient,
}

/// One request the stub saw.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    query: String,
    authorization: Option<String>,
    accept: Option<String>,
}

#[derive(Clone)]
struct Stub {
    mode: Mode,
    resources: Arc<Vec<Value>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Stub {
    /// Starts a stub on a free loopback port; its FHIR base URL and what it saw.
    async fn start(mode: Mode) -> (String, Arc<Mutex<Vec<Seen>>>) {
        let stub = Stub {
            mode,
            resources: Arc::new(record()),
            seen: Arc::default(),
        };
        let seen = stub.seen.clone();
        let router = Router::new()
            .route("/fhir/{kind}", get(search))
            .route("/fhir/{kind}/{id}", get(read))
            .with_state(stub);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        (format!("http://{addr}/fhir"), seen)
    }

    fn note(&self, path: String, query: Option<String>, headers: &HeaderMap) {
        let h = |n: header::HeaderName| {
            headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        self.seen.lock().unwrap().push(Seen {
            path,
            query: query.unwrap_or_default(),
            authorization: h(header::AUTHORIZATION),
            accept: h(header::ACCEPT),
        });
    }

    /// The answer for `kind`, the mode allowing; `body` when it serves.
    async fn answer(&self, kind: &str, body: Value) -> Response {
        let fhir = |status: StatusCode, text: String| {
            (
                status,
                [(header::CONTENT_TYPE, "application/fhir+json")],
                text,
            )
                .into_response()
        };
        match self.mode {
            Mode::Serve | Mode::Paged => fhir(StatusCode::OK, body.to_string()),
            Mode::OtherPatient => {
                let mut body = body;
                if kind == "Patient" {
                    body["id"] = json!("pat-fict-other");
                }
                fhir(StatusCode::OK, body.to_string())
            }
            Mode::FailCoverage if kind != "Coverage" => fhir(StatusCode::OK, body.to_string()),
            Mode::Fail | Mode::FailCoverage => fhir(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"resourceType": "OperationOutcome"}).to_string(),
            ),
            Mode::NotJson => fhir(StatusCode::OK, "{\"resourceType\": \"Bund".to_owned()),
            Mode::Slow => {
                tokio::time::sleep(Duration::from_secs(3)).await;
                fhir(StatusCode::OK, body.to_string())
            }
            Mode::Big => fhir(
                StatusCode::OK,
                json!({"resourceType": "Bundle", "type": "searchset",
                       "padding": "x".repeat(256 * 1024)})
                .to_string(),
            ),
            Mode::WrongType => fhir(
                StatusCode::OK,
                json!({"resourceType": "OperationOutcome", "issue": []}).to_string(),
            ),
            Mode::Redirect => (
                StatusCode::FOUND,
                [(
                    header::LOCATION,
                    "https://elsewhere.example.org/fhir/Patient/x",
                )],
            )
                .into_response(),
        }
    }
}

async fn read(
    State(stub): State<Stub>,
    Path((kind, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    stub.note(format!("{kind}/{id}"), None, &headers);
    let found = stub
        .resources
        .iter()
        .find(|r| r["resourceType"] == kind.as_str() && r["id"] == id.as_str());
    match found {
        Some(r) => stub.answer(&kind, r.clone()).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn search(
    State(stub): State<Stub>,
    Path(kind): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    stub.note(kind.clone(), query.clone(), &headers);
    let wanted = format!("patient={PATIENT_ID}");
    let matches = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == wanted));
    let entries: Vec<Value> = stub
        .resources
        .iter()
        .filter(|r| matches && r["resourceType"] == kind.as_str())
        .map(|r| json!({"resource": r}))
        .collect();
    let mut bundle = json!({"resourceType": "Bundle", "type": "searchset", "entry": entries});
    if stub.mode == Mode::Paged {
        bundle["link"] =
            json!([{"relation": "next", "url": "https://elsewhere.example.org/page2"}]);
    }
    stub.answer(&kind, bundle).await
}

// ---- the record and the calls ----

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fictional record: coverage (a MassHealth plan) and a PHQ-9 whose
/// item 9 is above 0, each resource once (tests/data/fhir-patient 05, 10).
fn record() -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for b in [
        "05_coverage_masshealth_plan.json",
        "10_phq9_total_as_string.json",
    ] {
        let doc: Value =
            serde_json::from_str(&repo_file(&format!("tests/data/fhir-patient/{b}"))).unwrap();
        for e in doc["entry"].as_array().unwrap() {
            let r = e["resource"].clone();
            let second_patient = r["resourceType"] == "Patient"
                && out.iter().any(|o| o["resourceType"] == "Patient");
            if !out.contains(&r) && !second_patient {
                out.push(r);
            }
        }
    }
    out
}

/// The prefetch the EHR would send itself: every key filled.
fn filled_prefetch() -> Value {
    let resources = record();
    let mut prefetch = serde_json::Map::new();
    for (key, kind) in KEYS {
        let of_kind: Vec<&Value> = resources
            .iter()
            .filter(|r| r["resourceType"] == kind)
            .collect();
        let value = if kind == "Patient" {
            of_kind[0].clone()
        } else {
            json!({"resourceType": "Bundle", "type": "searchset",
                   "entry": of_kind.iter().map(|r| json!({"resource": r})).collect::<Vec<_>>()})
        };
        prefetch.insert(key.to_owned(), value);
    }
    Value::Object(prefetch)
}

/// Every key `null`.
fn null_prefetch() -> Value {
    Value::Object(
        KEYS.iter()
            .map(|(k, _)| ((*k).to_owned(), Value::Null))
            .collect(),
    )
}

fn call(fhir_server: &str, prefetch: Value) -> String {
    json!({
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": fhir_server,
        "fhirAuthorization": {"access_token": TOKEN, "token_type": "Bearer",
                              "expires_in": 300, "scope": "user/Patient.read", "subject": "carematch"},
        "hook": "patient-view",
        "context": {"userId": "Practitioner/example", "patientId": PATIENT_ID},
        "prefetch": prefetch,
    })
    .to_string()
}

fn service(allowed: &[&str], timeout: f64, max_bytes: u64) -> Router {
    logs();
    let mut s = Settings::defaults();
    s.tokens = None;
    s.tokens_file = None;
    s.read_auth = false;
    s.fhir_servers = allowed.iter().map(|a| (*a).to_owned()).collect();
    s.fhir_timeout = timeout;
    s.fhir_max_bytes = max_bytes;
    app(AppState::sample(s))
}

/// POSTs a patient-view call; the status and the JSON, checked free of
/// patient values and tokens.
async fn post(app: &Router, body: String) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/cds-services/carematch-patient-view")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let response = app.clone().oneshot(request).await.expect("a response");
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    for v in PATIENT_VALUES {
        assert!(!text.contains(v), "{v} came back: {text}");
    }
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, json)
}

fn summaries(v: &Value) -> Vec<String> {
    v["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["summary"].as_str().unwrap().to_owned())
        .collect()
}

fn valid(v: &Value) {
    if let Err(p) = carematch::cds::check_response(v) {
        panic!("{p:#?}\n{v:#}");
    }
}

// ---- the tests ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_prefetch_fetched_from_a_listed_server_gives_the_same_cards() {
    let (base, seen) = Stub::start(Mode::Serve).await;
    let app = service(&[&base], 5.0, 1 << 20);
    // Sent by the EHR: nothing to fetch, the stub is not asked.
    let (status, sent) = post(&app, call(&base, filled_prefetch())).await;
    assert_eq!(status, StatusCode::OK, "{sent:#}");
    valid(&sent);
    assert!(seen.lock().unwrap().is_empty());
    let s = summaries(&sent);
    assert!(
        s.iter().any(|x| x.starts_with("Recommended level")),
        "{s:#?}"
    );
    assert!(s.iter().any(|x| x.starts_with("Top ")), "{s:#?}");
    // Every key null: fetched, the same cards.
    let (status, fetched) = post(&app, call(&base, null_prefetch())).await;
    assert_eq!(status, StatusCode::OK, "{fetched:#}");
    valid(&fetched);
    assert_eq!(fetched, sent);
    // Every key absent: the same again.
    let (status, absent) = post(&app, call(&base, json!({}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(absent, sent);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 14, "{seen:#?}");
    let mut paths: Vec<&str> = seen[..7].iter().map(|s| s.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "Condition",
            "Coverage",
            "MedicationRequest",
            "MedicationStatement",
            "Observation",
            "Patient/pat-fict-1",
            "QuestionnaireResponse"
        ]
    );
    for s in &seen {
        assert_eq!(
            s.authorization.as_deref(),
            Some(format!("Bearer {TOKEN}").as_str()),
            "{s:?}"
        );
        assert_eq!(s.accept.as_deref(), Some("application/fhir+json"), "{s:?}");
        if s.path != "Patient/pat-fict-1" {
            assert!(s.query.starts_with("patient=pat-fict-1&"), "{s:?}");
        }
    }
    let logs = clean_logs();
    assert!(
        logs.contains("prefetch key fetched") && logs.contains("\"key\":\"coverage\""),
        "the capture works: {logs:.600}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_off_the_list_is_never_asked() {
    let (base, seen) = Stub::start(Mode::Serve).await;
    // Fetching on, but for another server; then fetching off altogether.
    for app in [
        service(&["https://ehr.example.org/fhir"], 5.0, 1 << 20),
        service(&[], 5.0, 1 << 20),
    ] {
        // The Patient sent, the rest null: answered from what was sent,
        // saying what is missing.
        let mut prefetch = null_prefetch();
        prefetch["patient"] = filled_prefetch()["patient"].clone();
        prefetch["observations"] = filled_prefetch()["observations"].clone();
        let (status, v) = post(&app, call(&base, prefetch)).await;
        assert_eq!(status, StatusCode::OK, "{v:#}");
        valid(&v);
        let s = summaries(&v);
        let missing = s
            .iter()
            .find(|x| x.starts_with("Not read from the record"))
            .unwrap_or_else(|| panic!("{s:#?}"));
        assert!(
            missing.contains("Coverage") && missing.contains("Condition"),
            "{missing}"
        );
        assert!(
            s.iter()
                .any(|x| x == "Programs not ranked: no coverage was read from the record"),
            "{s:#?}"
        );
        // No Patient: 412, saying why it was not fetched.
        let (status, v) = post(&app, call(&base, null_prefetch())).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{v:#}");
        assert_eq!(v["error"], "precondition_failed");
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .contains("it was not fetched"),
            "{v:#}"
        );
    }
    assert!(seen.lock().unwrap().is_empty(), "the stub was asked");
    // A listed server but a call without fhirAuthorization: not fetched
    // either (the specification lets a service fetch only with both).
    let app = service(&[&base], 5.0, 1 << 20);
    let mut body: Value = serde_json::from_str(&call(&base, null_prefetch())).unwrap();
    body.as_object_mut().unwrap().remove("fhirAuthorization");
    let (status, v) = post(&app, body.to_string()).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{v:#}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("no fhirAuthorization"),
        "{v:#}"
    );
    assert!(seen.lock().unwrap().is_empty(), "the stub was asked");
    // A listed server named another way (case, a trailing slash) is the same server.
    let (status, v) = post(
        &app,
        call(
            &format!("{}/", base.to_uppercase().replace("/FHIR", "/fhir")),
            null_prefetch(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(seen.lock().unwrap().len(), 7);
    clean_logs();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_server_gives_clear_cards_or_412_never_a_panic() {
    for (mode, words) in [
        (Mode::Fail, "the FHIR server answered HTTP 500"),
        (Mode::NotJson, "the FHIR server's answer was not JSON"),
        (
            Mode::Big,
            "the FHIR server's answer was larger than allowed",
        ),
        (
            Mode::WrongType,
            "the FHIR server answered another resource than asked",
        ),
        (
            Mode::Redirect,
            "the FHIR server redirected (HTTP 302; redirects are not followed)",
        ),
        (Mode::Slow, "the FHIR server did not answer in time"),
    ] {
        let (base, seen) = Stub::start(mode).await;
        let app = service(&[&base], 0.5, 64 * 1024);
        // Nothing sent: the Patient could not be fetched, 412 with the reason.
        let started = std::time::Instant::now();
        let (status, v) = post(&app, call(&base, null_prefetch())).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{mode:?}: {v:#}");
        let message = v["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("fetching it failed: {words}")),
            "{mode:?}: {message}"
        );
        if mode == Mode::Slow {
            // The timeout holds (generous bound: the stub waits 3 s).
            assert!(
                started.elapsed() < Duration::from_millis(2500),
                "{:?}",
                started.elapsed()
            );
        }
        // The Patient sent, the rest null: cards that say what failed.
        let mut prefetch = null_prefetch();
        prefetch["patient"] = filled_prefetch()["patient"].clone();
        let (status, v) = post(&app, call(&base, prefetch)).await;
        assert_eq!(status, StatusCode::OK, "{mode:?}: {v:#}");
        valid(&v);
        let s = summaries(&v);
        let failed = v["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["source"]["topic"]["code"] == "fetch-failed")
            .unwrap_or_else(|| panic!("{mode:?}: {s:#?}"));
        assert_eq!(
            failed["summary"],
            format!("6 parts of the record could not be fetched: {words}"),
            "{mode:?}"
        );
        let detail = failed["detail"].as_str().unwrap();
        assert!(detail.contains("- `coverage` (Coverage): "), "{detail}");
        assert!(
            s.iter().any(|x| x.starts_with("Not read from the record")),
            "{s:#?}"
        );
        assert!(!s.iter().any(|x| x.starts_with("Top ")), "{mode:?}: {s:#?}");
        // Seven asked for the first call, six for the second.
        assert_eq!(seen.lock().unwrap().len(), 7 + 6, "{mode:?}");
    }
    let logs = clean_logs();
    assert!(
        logs.contains("\"failure\":\"status\"") && logs.contains("\"status\":500"),
        "{logs:.600}"
    );
    for key in ["timeout", "too_large", "not_json", "wrong_type"] {
        assert!(
            logs.contains(&format!("\"failure\":\"{key}\"")),
            "{key}: {logs:.600}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_part_failing_or_paged_is_said_on_a_card() {
    // Coverage fails: the programs are withheld, the card names coverage.
    let (base, _) = Stub::start(Mode::FailCoverage).await;
    let app = service(&[&base], 5.0, 1 << 20);
    let (status, v) = post(&app, call(&base, null_prefetch())).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    valid(&v);
    let s = summaries(&v);
    assert!(
        s.iter().any(|x| x
            == "One part of the record could not be fetched: the FHIR server answered HTTP 500"),
        "{s:#?}"
    );
    let missing = s
        .iter()
        .position(|x| x.starts_with("Not read from the record"))
        .unwrap();
    assert_eq!(
        s[missing],
        "Not read from the record: Coverage; the cards below did not weigh it"
    );
    assert!(
        s[missing + 1].starts_with("One part of the record"),
        "{s:#?}"
    );
    assert!(
        s.iter().any(|x| x.starts_with("Recommended level")),
        "{s:#?}"
    );
    assert!(
        s.iter()
            .any(|x| x == "Programs not ranked: no coverage was read from the record"),
        "{s:#?}"
    );
    // Paged searches: the first page read, and said.
    let (base, _) = Stub::start(Mode::Paged).await;
    let app = service(&[&base], 5.0, 1 << 20);
    let (status, v) = post(&app, call(&base, null_prefetch())).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    valid(&v);
    let s = summaries(&v);
    let paged = s
        .iter()
        .find(|x| x.starts_with("Only the first page of"))
        .unwrap_or_else(|| panic!("{s:#?}"));
    assert!(
        paged.contains("Coverage") && paged.contains("Observation"),
        "{paged}"
    );
    assert!(s.iter().any(|x| x.starts_with("Top ")), "{s:#?}");
    clean_logs();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_id_that_is_not_a_fhir_id_is_never_put_in_a_query() {
    let (base, seen) = Stub::start(Mode::Serve).await;
    let app = service(&[&base], 5.0, 1 << 20);
    let mut body: Value = serde_json::from_str(&call(&base, null_prefetch())).unwrap();
    body["context"]["patientId"] = json!("../Patient?_id=1&x");
    let (status, v) = post(&app, body.to_string()).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{v:#}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("the query could not be filled from the call's context"),
        "{v:#}"
    );
    assert!(seen.lock().unwrap().is_empty());
    clean_logs();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_patients_record_is_never_read_as_this_ones() {
    let (base, seen) = Stub::start(Mode::OtherPatient).await;
    let app = service(&[&base], 5.0, 1 << 20);
    let (status, v) = post(&app, call(&base, null_prefetch())).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{v:#}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .ends_with("fetching it failed: the FHIR server answered another resource than asked"),
        "{v:#}"
    );
    assert_eq!(seen.lock().unwrap().len(), 7);
    clean_logs();
}

#[test]
fn an_unsafe_allow_list_stops_the_service_at_start_up() {
    let mut s = Settings::defaults();
    s.fhir_servers = vec!["http://ehr.example.org/fhir".to_owned()];
    let Err(err) = carematch_service::server::build_state(s) else {
        panic!("an http address beyond loopback is refused");
    };
    assert!(
        err.starts_with("--fhir-server[0]: http is allowed only"),
        "{err}"
    );
    // The flag repeats; the variable takes commas.
    let s = <Settings as clap::Parser>::try_parse_from([
        "carematch-service",
        "--fhir-server",
        "https://a.example.org/fhir",
        "--fhir-server",
        "https://b.example.org/fhir",
    ])
    .unwrap();
    assert_eq!(s.fhir_servers.len(), 2);
}
