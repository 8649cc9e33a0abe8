//! No patient value in an error body or a log line (issue 27): a table of
//! patient, assessment and referral inputs, each with a distinctive value in
//! the field under test (and distinctive valid values around it), sent to
//! every patient route; no distinctive value may appear in any answer's
//! error body or in anything the service logs. And the error body is a
//! function of the field alone: two different bad values in one field give
//! the same bytes.
//!
//! Its own test binary: the log capture is the process's global
//! subscriber.

use std::sync::{Arc, Mutex};

use axum::{
    Router,
    body::Body,
    http::{Method, Request, StatusCode},
};
use carematch_service::{AppState, Settings, app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

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

fn test_app() -> Router {
    let mut s = Settings::defaults();
    s.tokens = Some("t:no-values-token-0123456789".to_owned());
    s.tokens_file = None;
    app(AppState::sample(s))
}

/// A patient whose every value is valid and distinctive.
fn patient() -> Value {
    json!({
        "age": 97,
        "diagnoses": [{"code": "F43.10", "primary": true}],
        "payer": "masshealth",
        "language": "en",
        "location": {"latitude": 42.2626417, "longitude": -71.8023519},
        "max_travel_miles": 37.715,
        "delivery": "either",
        "days_since_inpatient_discharge": 2347,
        "availability": {"busy": [{"days": ["mon"], "start": "09:45", "end": "16:15"}]}
    })
}

fn assessment() -> Value {
    json!({"ratings": {"risk_of_harm": 2, "functional_status": 3, "comorbidity": 2,
        "stress": 3, "support": 2, "treatment_history": 3, "engagement": 2}, "age": 97})
}

/// The distinctive values every answer and log line is searched for.
const VALUES: &[&str] = &[
    "97",
    "42.2626417",
    "71.8023519",
    "37.715",
    "2347",
    "09:45",
    "16:15",
    "masshelth-zq4471",
    "xq-klingon-7731",
    "FQ9.9Q7X",
    "zqbipolr-5521",
    "teleportation-8812",
    "zq-preg-3390",
    "zq-moud-6612",
    "ZQ",
    "zq-pop-4410",
    "27:61",
    "zqday",
    "9123.456",
    "7777.123",
    "12.345",
    "zq-level-8181",
    "247",
    "98765",
    "88",
    "77",
    "jane-doe-mrn-448812",
    "Jane",
    "5150",
    "zqsev",
    "xyzzy_field_31",
];

/// (field under test, a patient with one bad distinctive value there).
fn bad_patients() -> Vec<(&'static str, Value)> {
    let with = |path: &[&str], v: Value| {
        let mut p = patient();
        let mut at = &mut p;
        for k in &path[..path.len() - 1] {
            at = if let Ok(i) = k.parse::<usize>() {
                &mut at[i]
            } else {
                &mut at[*k]
            };
        }
        let last = path[path.len() - 1];
        match last.parse::<usize>() {
            Ok(i) => at[i] = v,
            Err(_) => at[last] = v,
        }
        p
    };
    vec![
        ("age invalid", with(&["age"], json!(247))),
        ("age unreadable", with(&["age"], json!(98765))),
        ("age text", with(&["age"], json!("Jane 5150"))),
        ("payer", with(&["payer"], json!("masshelth-zq4471"))),
        ("language", with(&["language"], json!("xq-klingon-7731"))),
        ("code", with(&["diagnoses", "0", "code"], json!("FQ9.9Q7X"))),
        (
            "condition",
            with(
                &["diagnoses", "0"],
                json!({"condition": "zqbipolr-5521", "primary": true}),
            ),
        ),
        (
            "severity",
            with(&["diagnoses", "0", "severity"], json!("zqsev")),
        ),
        ("delivery", with(&["delivery"], json!("teleportation-8812"))),
        ("pregnancy", with(&["pregnancy"], json!("zq-preg-3390"))),
        ("moud", with(&["moud_medication"], json!("zq-moud-6612"))),
        ("state", with(&["state"], json!("ZQ"))),
        (
            "populations",
            with(&["populations"], json!(["zq-pop-4410"])),
        ),
        (
            "start",
            with(&["availability", "busy", "0", "start"], json!("27:61")),
        ),
        (
            "days",
            with(&["availability", "busy", "0", "days"], json!(["zqday"])),
        ),
        ("latitude", with(&["location", "latitude"], json!(9123.456))),
        (
            "longitude",
            with(&["location", "longitude"], json!(-7777.123)),
        ),
        ("miles", with(&["max_travel_miles"], json!(-12.345))),
        ("level", with(&["level"], json!("zq-level-8181"))),
        (
            "discharge",
            with(&["days_since_inpatient_discharge"], json!(-2347)),
        ),
        ("unknown key", with(&["xyzzy_field_31"], json!("Jane"))),
        (
            "unknown key, not a name",
            with(&["Jane Doe 5150"], json!(1)),
        ),
        ("level conflict", with(&["level"], json!("residential"))),
    ]
}

async fn post(app: &Router, uri: &str, content_type: &str, body: String) -> (StatusCode, String) {
    let r = app
        .clone()
        .oneshot(
            Request::builder()
                .method(Method::POST)
                .uri(uri)
                .header("content-type", content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = r.status();
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether `value` is in `text` as itself: a number counts only when no
/// digit or dot touches it (a latency of `0.1977` ms is not the age 97).
fn holds(text: &str, value: &str) -> bool {
    let numeric = value
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b':');
    text.match_indices(value).any(|(i, _)| {
        if !numeric {
            return true;
        }
        let touches = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_digit() || *b == b'.');
        !touches(text.as_bytes().get(i.wrapping_sub(1)))
            && !touches(text.as_bytes().get(i + value.len()))
    })
}

fn assert_free(what: &str, text: &str) {
    for v in VALUES {
        assert!(!holds(text, v), "{what}: `{v}` appears in {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_patient_value_reaches_an_error_body_or_a_log_line() {
    let captured = Captured::default();
    let sink = captured.clone();
    tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .init();
    let app = test_app();
    let mut errors = 0;
    for (field, p) in bad_patients() {
        let bodies = [
            (
                "/rank",
                json!({"patient": p, "level": "intensive_outpatient"}),
            ),
            (
                "/explain",
                json!({"patient": p, "level": "intensive_outpatient", "program_id": "wor-lanternfly-evening-iop"}),
            ),
            ("/rank", json!({"patient": p, "assessment": assessment()})),
            (
                "/assign",
                json!({"referrals": [{"id": "jane-doe-mrn-448812", "level": "intensive_outpatient", "needs": p}]}),
            ),
        ];
        for (route, body) in bodies {
            let (status, text) = post(&app, route, "application/json", body.to_string()).await;
            if status.is_client_error() {
                errors += 1;
                let v: Value = serde_json::from_str(&text).unwrap();
                assert!(
                    v["problems"][0]["path"].is_string(),
                    "{field} {route}: {text}"
                );
                assert_free(&format!("{field} {route}"), &text);
            } else if route == "/assign" {
                // The queue is placed; the bad referral says which field,
                // value-free (its id is the caller's own, and comes back).
                let text = text.replace("jane-doe-mrn-448812", "");
                let v: Value = serde_json::from_str(&text).unwrap();
                let status = v["referrals"][0]["status"].as_str().unwrap_or_default();
                assert!(
                    ["invalid", "placed", "unplaced"].contains(&status),
                    "{field}: {text}"
                );
                // Warnings name the patient's values by design (they are
                // not errors); the problem is checked.
                assert_free(
                    &format!("{field} {route}"),
                    &v["referrals"][0]["problem"].to_string(),
                );
            } else {
                panic!("{field} {route}: {status} {:.300}", text);
            }
        }
    }
    assert!(errors >= 60, "{errors} error answers");
    // An assessment with a bad rating and an age that differs from the patient's.
    let mut a = assessment();
    a["ratings"]["risk_of_harm"] = json!(77);
    let (status, text) = post(&app, "/level", "application/json", a.to_string()).await;
    assert!(status.is_client_error(), "{text}");
    assert_free("level", &text);
    let mut a = assessment();
    a["age"] = json!(88);
    let (status, text) = post(
        &app,
        "/rank",
        "application/json",
        json!({"patient": patient(), "assessment": a}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert_free("age conflict", &text);
    // Two referrals with one id.
    let r =
        json!({"id": "jane-doe-mrn-448812", "level": "intensive_outpatient", "needs": patient()});
    let (status, text) = post(
        &app,
        "/assign",
        "application/json",
        json!({"referrals": [r, r]}).to_string(),
    )
    .await;
    assert!(status.is_client_error(), "{text}");
    assert_free("duplicate referral", &text);
    // The page's term lookup, and the form without JavaScript.
    let (_, text) = post(
        &app,
        "/page/terms",
        "application/json",
        json!({"family": "zq-level-8181", "text": "masshelth-zq4471"}).to_string(),
    )
    .await;
    assert_free("terms", &text);
    let form = "form=patient&age=247&diag1=zqbipolr-5521&payer=masshelth-zq4471&language=xq-klingon-7731&lat=9123.456&lon=-7777.123&miles=-12.345&top=5";
    let (_, text) = post(
        &app,
        "/",
        "application/x-www-form-urlencoded",
        form.to_owned(),
    )
    .await;
    assert_free("form", &text);
    // Not JSON at all.
    let (status, text) = post(
        &app,
        "/rank",
        "application/json",
        "{\"patient\": {\"age\": 97, Jane".to_owned(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_free("syntax", &text);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("\"route\":\"/rank\""),
        "the capture works: {logs:.400}"
    );
    // Each line without its clock, request id and latency (numbers the
    // service makes, which may spell 97 by chance).
    for line in logs.lines() {
        let mut v: Value = serde_json::from_str(line).expect("a JSON log line");
        v.as_object_mut().unwrap().remove("timestamp");
        if let Some(f) = v["fields"].as_object_mut() {
            f.remove("request_id");
            f.remove("ms");
        }
        assert_free("the log", &v.to_string());
    }
}

#[tokio::test]
async fn an_error_body_depends_on_the_field_not_its_value() {
    let app = test_app();
    let body = |p: Value| json!({"patient": p, "level": "intensive_outpatient"}).to_string();
    for (field, a, b) in [
        ("payer", json!("masshelth-zq4471"), json!("zz-other-1")),
        ("language", json!("xq-klingon-7731"), json!("zz-9")),
        ("age", json!(247), json!(130)),
        (
            "delivery",
            json!("teleportation-8812"),
            json!("carrier-pigeon"),
        ),
        ("level", json!("residential"), json!("outpatient")),
    ] {
        let (mut p, mut q) = (patient(), patient());
        p[field] = a;
        q[field] = b;
        let (s1, t1) = post(&app, "/rank", "application/json", body(p)).await;
        let (s2, t2) = post(&app, "/rank", "application/json", body(q)).await;
        assert!(s1.is_client_error(), "{field}: {t1}");
        assert_eq!((s1, &t1), (s2, &t2), "{field}");
    }
}
