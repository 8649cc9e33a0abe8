//! The CDS Hooks routes driven in-process: discovery, `patient-view` and
//! `order-select` calls shaped like the specification's examples, every
//! answer held to the specification's card rules, and no patient value in
//! any answer.

use axum::{
    Router,
    body::Body,
    http::{Method, Request, StatusCode},
};
use carematch_service::{AppState, Settings, app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// Values from the fictional records that must never come back.
const PATIENT_VALUES: [&str; 8] = [
    "Quenby",
    "Fictionson",
    "Imaginary Lane",
    "MRN-FICT-0001",
    "Quentin",
    "Fictitious",
    "999-12-3456",
    "1983-04-17",
];

fn test_app(public_url: Option<&str>) -> Router {
    let mut s = Settings::defaults();
    s.tokens = None;
    s.tokens_file = None;
    s.read_auth = false;
    s.public_url = public_url.map(str::to_owned);
    app(AppState::sample(s))
}

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    body: Option<String>,
) -> (StatusCode, Value, String) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, Body::from))
        .unwrap();
    let response = app.clone().oneshot(request).await.expect("a response");
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    for v in PATIENT_VALUES {
        assert!(!text.contains(v), "{v} came back: {text}");
    }
    (status, json, text)
}

/// A patient-view call whose prefetch holds the resources of the given
/// fictional record bundles (tests/data/fhir-patient), by the discovery's keys.
fn patient_view(bundles: &[&str], null_keys: &[&str]) -> String {
    let mut prefetch = serde_json::Map::new();
    let searchset = |entries: Vec<Value>| {
        json!({"resourceType": "Bundle", "type": "searchset",
               "entry": entries.into_iter().map(|r| json!({"resource": r})).collect::<Vec<_>>()})
    };
    let mut by_key: std::collections::BTreeMap<&str, Vec<Value>> = Default::default();
    for b in bundles {
        let doc: Value =
            serde_json::from_str(&repo_file(&format!("tests/data/fhir-patient/{b}"))).unwrap();
        for e in doc["entry"].as_array().unwrap() {
            let r = e["resource"].clone();
            let key = match r["resourceType"].as_str().unwrap() {
                "Patient" => "patient",
                "Condition" => "conditions",
                "Coverage" => "coverage",
                "Observation" => "observations",
                "QuestionnaireResponse" => "questionnaireResponses",
                "MedicationStatement" => "medicationStatements",
                "MedicationRequest" => "medicationRequests",
                _ => continue,
            };
            by_key.entry(key).or_default().push(r);
        }
    }
    for (key, mut resources) in by_key {
        if key == "patient" {
            prefetch.insert(key.to_owned(), resources.remove(0));
        } else {
            prefetch.insert(key.to_owned(), searchset(resources));
        }
    }
    for k in null_keys {
        prefetch.insert((*k).to_owned(), Value::Null);
    }
    json!({
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": "https://ehr.example.org/fhir",
        "hook": "patient-view",
        "context": {"userId": "Practitioner/example", "patientId": "1288992"},
        "prefetch": prefetch,
    })
    .to_string()
}

/// POSTs `body` to the patient-view service.
async fn patient_view_call(app: &Router, body: String) -> (StatusCode, Value, String) {
    send(
        app,
        Method::POST,
        "/cds-services/carematch-patient-view",
        Some(body),
    )
    .await
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

#[tokio::test]
async fn discovery_lists_both_services() {
    let app = test_app(None);
    let (status, v, _) = send(&app, Method::GET, "/cds-services", None).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["carematch-patient-view", "carematch-referral"]);
    assert_eq!(
        v["services"][0]["prefetch"]["patient"],
        "Patient/{{context.patientId}}"
    );
}

#[tokio::test]
async fn a_patient_view_call_gets_the_level_and_the_programs_linked_to_the_page() {
    let app = test_app(Some("https://carematch.hospital.example/"));
    // Coverage (a MassHealth plan) and a PHQ-9 with item 9 above 0, which
    // suggests a risk-of-harm rating.
    let body = patient_view(
        &[
            "05_coverage_masshealth_plan.json",
            "10_phq9_total_as_string.json",
        ],
        &["medicationStatements"],
    );
    let (status, v, _) = patient_view_call(&app, body).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    valid(&v);
    let s = summaries(&v);
    let missing = s
        .iter()
        .find(|x| x.starts_with("Not read from the record"))
        .unwrap_or_else(|| panic!("{s:#?}"));
    assert!(
        missing.contains("QuestionnaireResponse") && missing.contains("MedicationStatement"),
        "{missing}"
    );
    assert!(!missing.contains("Coverage"), "{missing}");
    let level = s
        .iter()
        .position(|x| x.starts_with("Recommended level"))
        .unwrap_or_else(|| panic!("{s:#?}"));
    let programs = s
        .iter()
        .position(|x| x.starts_with("Top "))
        .unwrap_or_else(|| panic!("{s:#?}"));
    assert!(level < programs);
    assert_eq!(
        v["cards"][programs]["links"][0]["url"],
        "https://carematch.hospital.example/"
    );
}

#[tokio::test]
async fn without_coverage_the_programs_are_withheld_and_without_scores_no_level_is_guessed() {
    let app = test_app(None);
    // PHQ-9 with item 9, but no coverage.
    let body = patient_view(&["10_phq9_total_as_string.json"], &["coverage"]);
    let (status, v, _) = patient_view_call(&app, body).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    valid(&v);
    let s = summaries(&v);
    assert!(
        s.iter()
            .any(|x| x == "Programs not ranked: no coverage was read from the record"),
        "{s:#?}"
    );
    assert!(
        s.iter().any(|x| x.starts_with("Recommended level")),
        "{s:#?}"
    );
    assert!(!s.iter().any(|x| x.starts_with("Top ")), "{s:#?}");
    // Coverage but no screening score: no level is guessed.
    let body = patient_view(&["05_coverage_masshealth_plan.json"], &[]);
    let (status, v, _) = patient_view_call(&app, body).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    valid(&v);
    let s = summaries(&v);
    assert!(
        s.iter()
            .any(|x| x.starts_with("Programs not ranked: no screening score")),
        "{s:#?}"
    );
    assert!(
        !s.iter().any(|x| x.starts_with("Recommended level")),
        "{s:#?}"
    );
}

#[tokio::test]
async fn the_specifications_calls_are_answered() {
    let app = test_app(None);
    // The specification's own patient-view example prefetches a Patient
    // under a key of its own ("patientToGreet"): read as a Patient, with
    // every other part missing.
    let (status, v, _) = send(
        &app,
        Method::POST,
        "/cds-services/carematch-patient-view",
        Some(repo_file("tests/data/cds-hooks/patient-view-spec.json")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    valid(&v);
    // The specification's order-select example selects a diet and an
    // antibiotic: not a referral, no cards.
    let (status, v, _) = send(
        &app,
        Method::POST,
        "/cds-services/carematch-referral",
        Some(repo_file("tests/data/cds-hooks/order-select-spec.json")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, json!({"cards": []}));
    // A selected psychiatric-aftercare referral is answered; the record's
    // name, identifier, address and birth date never come back (send
    // checks every answer).
    let (status, v, _) = send(
        &app,
        Method::POST,
        "/cds-services/carematch-referral",
        Some(repo_file("tests/data/cds-hooks/order-select-referral.json")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    valid(&v);
    assert!(!v["cards"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn errors_are_the_services_shape_with_paths_and_no_values() {
    let app = test_app(None);
    // No Patient at all: nothing can be said.
    let mut body: Value =
        serde_json::from_str(&patient_view(&["10_phq9_total_as_string.json"], &[])).unwrap();
    body["prefetch"]["patient"] = Value::Null;
    let (status, v, _) = send(
        &app,
        Method::POST,
        "/cds-services/carematch-patient-view",
        Some(body.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{v:#}");
    assert_eq!(v["error"], "precondition_failed");
    // Unknown service.
    let (status, v, _) = send(&app, Method::POST, "/cds-services/nope", Some("{}".into())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "unknown_service");
    // The wrong hook for the service.
    let (status, v, _) = send(
        &app,
        Method::POST,
        "/cds-services/carematch-referral",
        Some(patient_view(&["10_phq9_total_as_string.json"], &[])),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["problems"][0]["path"], "hook");
    // A body missing its required fields: every path named, no value echoed.
    let (status, v, text) = send(
        &app,
        Method::POST,
        "/cds-services/carematch-patient-view",
        Some(r#"{"hook": "patient-view", "context": {"patientId": 4471}, "fhirAuthorization": {"access_token": "tok-SECRET-4471"}}"#.into()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let paths: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    for p in ["hookInstance", "context.patientId", "fhirServer"] {
        assert!(paths.contains(&p), "{p}: {paths:?}");
    }
    assert!(!text.contains("4471"), "{text}");
    // A record that cannot be read (a deceased patient) is refused with
    // its resource path, no value.
    let body = patient_view(&["21_deceased_refused.json"], &[]);
    let (status, v, _) = patient_view_call(&app, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["error"], "record");
}

#[tokio::test]
async fn the_openapi_document_lists_the_cds_routes() {
    let app = test_app(None);
    let (_, v, _) = send(&app, Method::GET, "/openapi.json", None).await;
    assert!(v["paths"]["/cds-services"]["get"].is_object());
    assert!(v["paths"]["/cds-services/{id}"]["post"].is_object());
}
