//! The service driven in-process (tower's `oneshot`, no network): every
//! route, its JSON, the one error shape for every status, limits, tokens,
//! versions, metrics and the OpenAPI table held to the router.

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode},
};
use carematch::sample;
use carematch_service::{AppState, Settings, app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "test-token-0123456789";

fn settings() -> Settings {
    let mut s = Settings::defaults();
    s.tokens = Some(format!("tester:{TOKEN}"));
    s.tokens_file = None;
    s.read_auth = false;
    s
}

fn app_with(s: Settings) -> Router {
    app(AppState::sample(s))
}

fn test_app() -> Router {
    app_with(settings())
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.expect("a response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

fn request(method: Method, uri: &str, _: ()) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
}

async fn call(app: &Router, method: Method, uri: &str, body: String) -> (StatusCode, Value) {
    let r = send(
        app,
        request(method, uri, ()).body(Body::from(body)).unwrap(),
    )
    .await;
    let v = r.json();
    (r.status, v)
}

async fn write(
    app: &Router,
    method: Method,
    uri: &str,
    body: String,
    if_match: Option<&str>,
) -> Reply {
    let mut b = request(method, uri, ()).header("authorization", format!("Bearer {TOKEN}"));
    if let Some(m) = if_match {
        b = b.header("if-match", m);
    }
    send(app, b.body(Body::from(body)).unwrap()).await
}

fn patient() -> Value {
    serde_json::to_value(&sample::patients()[0].needs).expect("JSON")
}

fn assessment() -> Value {
    serde_json::to_value(sample::patients()[0].assessment).expect("JSON")
}

/// Every error body has the one shape.
fn assert_error_shape(v: &Value, status: StatusCode) {
    assert!(v["error"].is_string(), "{v}");
    assert_eq!(v["status"], status.as_u16(), "{v}");
    assert!(v["message"].is_string(), "{v}");
    assert!(v["problems"].is_array(), "{v}");
}

const ID: &str = "wor-lanternfly-evening-iop";

fn sample_program(id: &str) -> Value {
    serde_json::to_value(
        sample::massachusetts()
            .iter()
            .find(|p| p.id.as_str() == id)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn level_recommends_from_an_assessment() {
    let app = test_app();
    let (status, v) = call(&app, Method::POST, "/level", assessment().to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let expected = carematch::LevelPolicy::default().recommend(&sample::patients()[0].assessment);
    assert_eq!(v, serde_json::to_value(&expected).unwrap());

    let mut bad = assessment();
    bad["ratings"]["support"] = json!(7);
    let (status, v) = call(&app, Method::POST, "/level", bad.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_error_shape(&v, status);
    assert_eq!(v["error"], "json");
    assert_eq!(v["problems"][0]["path"], "ratings.support");
    assert!(
        !v.to_string().contains('7'),
        "the rating is not echoed: {v}"
    );
}

#[tokio::test]
async fn rank_answers_as_the_library_does() {
    let app = test_app();
    let body = json!({ "patient": patient(), "assessment": assessment(), "top": 3 });
    let (status, v) = call(&app, Method::POST, "/rank", body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v}");

    let dir = carematch::Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let p = &sample::patients()[0];
    let rec = carematch::LevelPolicy::default().recommend(&p.assessment);
    let q = dir
        .query_for(
            &p.needs,
            &rec,
            carematch::matching::MatchOptions::new(sample::AS_OF),
        )
        .unwrap();
    let expected = dir.rank(&q, &carematch::matching::Weights::default(), 3);
    assert_eq!(v, serde_json::to_value(&expected).unwrap());
    assert_eq!(v["excluded"], json!([]), "counts only by default");

    // The level from the patient's needs, when neither a level nor an
    // assessment is given.
    let (status, v) = call(
        &app,
        Method::POST,
        "/rank",
        json!({ "patient": patient() }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["level"], json!(p.needs.level));
}

#[tokio::test]
async fn the_compact_form_has_scores_and_alert_kinds_only() {
    let app = test_app();
    let full = json!({ "patient": patient(), "top": 5 });
    let compact = json!({ "patient": patient(), "top": 5, "view": "compact" });
    let r_full = send(
        &app,
        request(Method::POST, "/rank", ())
            .body(Body::from(full.to_string()))
            .unwrap(),
    )
    .await;
    let r_compact = send(
        &app,
        request(Method::POST, "/rank", ())
            .body(Body::from(compact.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(r_compact.status, StatusCode::OK, "{}", r_compact.text);
    let (f, c) = (r_full.json(), r_compact.json());
    assert_eq!(
        f["matches"].as_array().unwrap().len(),
        c["matches"].as_array().unwrap().len()
    );
    for (fm, cm) in f["matches"]
        .as_array()
        .unwrap()
        .iter()
        .zip(c["matches"].as_array().unwrap())
    {
        assert_eq!(fm["program_id"], cm["program_id"]);
        assert_eq!(fm["score"], cm["score"]);
        let keys: Vec<&str> = cm.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["alerts", "level", "program_id", "score"]);
        assert!(
            cm["alerts"]
                .as_array()
                .unwrap()
                .iter()
                .all(Value::is_string)
        );
    }
    assert_eq!(f["excluded_count"], c["excluded_count"]);
    assert!(
        r_compact.text.len() * 4 < r_full.text.len(),
        "compact {} bytes, full {}",
        r_compact.text.len(),
        r_full.text.len()
    );
}

#[tokio::test]
async fn excluded_programs_come_in_pages_with_a_cap() {
    let mut s = settings();
    s.max_exclusions = 10;
    let app = app_with(s);
    let mut all = Vec::new();
    let mut offset = 0;
    let mut total;
    loop {
        let body =
            json!({ "patient": patient(), "exclusion_details": true, "exclusions_offset": offset });
        let (status, v) = call(&app, Method::POST, "/rank", body.to_string()).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let page = v["excluded"].as_array().unwrap().clone();
        assert!(page.len() <= 10);
        assert_eq!(v["exclusions_offset"], offset);
        total = v["excluded_count"].as_u64();
        all.extend(page);
        match v["exclusions_next_offset"].as_u64() {
            Some(next) => offset = next as usize,
            None => break,
        }
    }
    assert_eq!(
        Some(all.len() as u64),
        total,
        "the pages list every excluded program once"
    );
    let ids: Vec<&str> = all
        .iter()
        .map(|e| e["program_id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "in program-id order");

    let body = json!({ "patient": patient(), "exclusion_details": true, "exclusions_limit": 11 });
    let (status, v) = call(&app, Method::POST, "/rank", body.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["problems"][0]["path"], "exclusions_limit");
}

#[tokio::test]
async fn bad_requests_name_the_field_and_never_echo_patient_values() {
    let app = test_app();
    let mut p = patient();
    p["payer"] = json!("masshelthzz");
    let (status, v) = call(
        &app,
        Method::POST,
        "/rank",
        json!({ "patient": p }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_error_shape(&v, status);
    assert_eq!(v["problems"][0]["path"], "patient.payer", "{v}");
    assert!(!v.to_string().contains("masshelthzz"), "{v}");

    let mut p = patient();
    p["age"] = json!(131);
    let (status, v) = call(
        &app,
        Method::POST,
        "/rank",
        json!({ "patient": p }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["problems"][0]["path"], "patient.age", "{v}");
    assert!(!v.to_string().contains("131"), "{v}");
    assert!(
        !v["message"].as_str().unwrap().contains('\n'),
        "one line: {v}"
    );

    let (status, v) = call(&app, Method::POST, "/rank", "{".to_owned()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_error_shape(&v, status);

    let (status, v) = call(
        &app,
        Method::POST,
        "/rank",
        json!({ "patient": patient(), "top": 1000 }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["problems"][0]["path"], "top");

    // The patient file names one level, the request another: the query cannot run.
    let (status, v) = call(
        &app,
        Method::POST,
        "/rank",
        json!({ "patient": patient(), "level": "residential" }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"], "query");
    assert_eq!(v["problems"][0]["path"], "patient.level");
}

#[tokio::test]
async fn every_status_has_the_json_error_shape() {
    let mut s = settings();
    s.body_limit = 2048;
    s.header_limit = 1024;
    let app = app_with(s);

    let r = send(
        &app,
        Request::get("/no/such/route").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_error_shape(&r.json(), r.status);

    let r = send(&app, Request::get("/rank").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_shape(&r.json(), r.status);
    assert_eq!(r.headers["allow"], "POST");
    assert_eq!(r.headers["content-type"], "application/json");

    // 413 by Content-Length, and by the bytes as they arrive (no length).
    let big = json!({ "patient": patient(), "pad": "x".repeat(4000) }).to_string();
    let r = send(
        &app,
        request(Method::POST, "/rank", ())
            .header("content-length", big.len())
            .body(Body::from(big.clone()))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert_error_shape(&r.json(), r.status);
    let r = send(
        &app,
        request(Method::POST, "/rank", ())
            .body(chunked(big.into_bytes()))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);

    let r = send(
        &app,
        Request::post("/rank")
            .header("content-type", "text/plain")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_error_shape(&r.json(), r.status);

    let r = send(
        &app,
        request(Method::POST, "/rank", ())
            .header("x-padding", "y".repeat(2000))
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    assert_error_shape(&r.json(), r.status);

    let mut bytes =
        br#"{"patient": {"age": 30, "payer": "medicare", "diagnoses": [], "notes": ""#.to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(br#""}}"#);
    let r = send(
        &app,
        request(Method::POST, "/rank", ())
            .body(Body::from(bytes))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let v = r.json();
    assert_error_shape(&v, r.status);
    assert_eq!(v["error"], "bad_encoding");
}

/// A body of `bytes` in chunks of 512, with no length.
fn chunked(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(512).map(|c| Ok(c.to_vec())).collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn explain_answers_for_one_program() {
    let app = test_app();
    let body = json!({ "patient": patient(), "program_id": ID });
    let (status, v) = call(&app, Method::POST, "/explain", body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["outcome"], "match");
    assert_eq!(v["rank"], 1);
    assert_eq!(v["details"]["program_id"], ID);

    let body = json!({ "patient": patient(), "program_id": "nope" });
    let (status, v) = call(&app, Method::POST, "/explain", body.to_string()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
    assert_error_shape(&v, status);
    assert_eq!(v["error"], "unknown_program");
}

#[tokio::test]
async fn assign_places_the_sample_queue() {
    let app = test_app();
    let queue: Value = serde_json::from_str(sample::REFERRALS_JSON).unwrap();
    let body = json!({ "referrals": queue["referrals"] });
    let (status, v) = call(&app, Method::POST, "/assign", body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let dir = carematch::Directory::new(sample::massachusetts(), sample::AS_OF).unwrap();
    let referrals = carematch::assign::referrals_from_json(sample::REFERRALS_JSON).unwrap();
    let expected = carematch::assign::assign(
        &dir,
        &referrals,
        &carematch::assign::PriorityPolicy::default(),
        &carematch::assign::AssignOptions::new(sample::AS_OF),
    )
    .unwrap();
    assert_eq!(v, serde_json::to_value(&expected).unwrap());

    let mut s = settings();
    s.max_referrals = 2;
    let (status, v) = call(&app_with(s), Method::POST, "/assign", body.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["problems"][0]["path"], "referrals");
}

#[tokio::test]
async fn writes_need_a_token_and_reads_may() {
    let app = test_app();
    let program = sample_program(ID).to_string();
    let uri = format!("/programs/{ID}");
    let r = send(
        &app,
        request(Method::PUT, &uri, ())
            .body(Body::from(program.clone()))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_error_shape(&r.json(), r.status);
    assert_eq!(r.headers["www-authenticate"], "Bearer");
    let r = send(
        &app,
        request(Method::PUT, &uri, ())
            .header("authorization", "Bearer not-the-token-at-all")
            .body(Body::from(program.clone()))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_error_shape(&r.json(), r.status);
    for method in [Method::PATCH, Method::DELETE] {
        let r = send(
            &app,
            request(method, &uri, ()).body(Body::from("{}")).unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = write(&app, Method::PUT, &uri, program.clone(), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // No tokens configured: writes are refused.
    let mut s = settings();
    s.tokens = None;
    let r = write(&app_with(s), Method::PUT, &uri, program, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Reads need one when asked; health does not.
    let mut s = settings();
    s.read_auth = true;
    let app = app_with(s);
    let (status, _) = call(
        &app,
        Method::POST,
        "/rank",
        json!({"patient": patient()}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let r = send(
        &app,
        Request::post("/rank")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {TOKEN}"))
            .body(Body::from(json!({"patient": patient()}).to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(&app, Request::get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn versions_etags_and_if_match() {
    let app = test_app();
    let uri = format!("/programs/{ID}");
    let r = send(&app, Request::get(&uri).body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["etag"], "\"1\"");
    assert_eq!(r.json(), sample_program(ID));

    let mut program = sample_program(ID);
    program["accepting_new_patients"] = json!(false);
    let r = write(&app, Method::PUT, &uri, program.to_string(), Some("\"1\"")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers["etag"], "\"2\"");
    assert_eq!(r.json()["version"], 2);

    // A stale version: 412, nothing changed.
    program["accepting_new_patients"] = json!(true);
    let r = write(&app, Method::PUT, &uri, program.to_string(), Some("\"1\"")).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.text);
    assert_error_shape(&r.json(), r.status);
    let body = json!({ "patient": patient(), "program_id": ID });
    let (_, v) = call(&app, Method::POST, "/explain", body.to_string()).await;
    assert_eq!(v["outcome"], "excluded", "{v}");
    assert_eq!(
        v["details"]["reasons"][0]["reason"],
        "not_accepting_new_patients"
    );

    // PATCH for accepting and wait.
    let r = write(
        &app,
        Method::PATCH,
        &uri,
        json!({"accepting_new_patients": true, "typical_wait_days": 3}).to_string(),
        Some("\"2\""),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = send(&app, Request::get(&uri).body(Body::empty()).unwrap()).await;
    assert_eq!(r.headers["etag"], "\"3\"");
    assert_eq!(r.json()["typical_wait_days"], 3);
    let (_, v) = call(&app, Method::POST, "/explain", body.to_string()).await;
    assert_eq!(v["outcome"], "match", "{v}");
    let r = write(
        &app,
        Method::PATCH,
        "/programs/nope",
        json!({"accepting_new_patients": true}).to_string(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = write(
        &app,
        Method::PATCH,
        &uri,
        json!({"name": "x"}).to_string(),
        None,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "unknown fields are refused: {}",
        r.text
    );

    // DELETE, with its version; then the program is gone, and a new PUT
    // continues the versions.
    let r = write(&app, Method::DELETE, &uri, String::new(), Some("\"2\"")).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let r = write(&app, Method::DELETE, &uri, String::new(), Some("\"3\"")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = send(&app, Request::get(&uri).body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_error_shape(&r.json(), r.status);
    let r = write(&app, Method::DELETE, &uri, String::new(), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = write(
        &app,
        Method::PUT,
        &uri,
        sample_program(ID).to_string(),
        Some("*"),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::PRECONDITION_FAILED,
        "If-Match: * needs the program"
    );
    let r = write(
        &app,
        Method::PUT,
        &uri,
        sample_program(ID).to_string(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.headers["etag"], "\"5\"");

    // The path and the body disagree on the id; a program that fails validation.
    let r = write(
        &app,
        Method::PUT,
        "/programs/other",
        sample_program(ID).to_string(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["problems"][0]["path"], "id");
    let mut bad = sample_program(ID);
    bad["name"] = json!("");
    let r = write(&app, Method::PUT, &uri, bad.to_string(), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = r.json();
    assert_eq!(v["error"], "invalid");
    assert_eq!(v["problems"][0]["path"], "name");
}

#[tokio::test]
async fn health_ready_and_metrics() {
    let app = test_app();
    let (status, v) = call(&app, Method::GET, "/health", String::new()).await;
    assert_eq!((status, &v["status"]), (StatusCode::OK, &json!("live")));
    let (status, v) = call(&app, Method::GET, "/ready", String::new()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["programs"], sample::massachusetts().len());
    let _ = call(
        &app,
        Method::POST,
        "/rank",
        json!({ "patient": patient() }).to_string(),
    )
    .await;
    let r = send(&app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    for line in [
        "carematch_requests_total{route=\"/rank\",method=\"POST\",status=\"200\"}",
        "carematch_request_seconds_bucket{route=\"/rank\",le=\"+Inf\"}",
        "carematch_rankings_total",
        "carematch_store_errors_total 0",
        "carematch_programs 36",
    ] {
        assert!(r.text.contains(line), "{line} missing from\n{}", r.text);
    }
    assert!(
        !r.text.contains("masshealth"),
        "no patient field in a metric"
    );
}

#[tokio::test]
async fn the_request_id_is_kept_or_made() {
    let app = test_app();
    let r = send(
        &app,
        Request::get("/health")
            .header("x-request-id", "abc-123")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.headers["x-request-id"], "abc-123");
    let r = send(
        &app,
        Request::get("/health")
            .header("x-request-id", "no spaces allowed")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_ne!(r.headers["x-request-id"], "no spaces allowed");
}

#[tokio::test]
async fn a_slow_handler_times_out_with_503() {
    // The body never arrives and the body timeout is long: the handler
    // timeout ends the request first.
    let mut s = settings();
    s.handler_timeout = 0.05;
    s.body_timeout = 60.0;
    let app = app_with(s);
    let never = futures_util::stream::pending::<Result<Vec<u8>, std::io::Error>>();
    let r = send(
        &app,
        request(Method::POST, "/rank", ())
            .body(Body::from_stream(never))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text);
    assert_eq!(r.json()["error"], "timeout");
    assert_eq!(r.headers["retry-after"], "1");
}

#[tokio::test]
async fn a_body_that_does_not_arrive_times_out_with_408() {
    let mut s = settings();
    s.body_timeout = 0.05;
    let app = app_with(s);
    let never = futures_util::stream::pending::<Result<Vec<u8>, std::io::Error>>();
    let r = send(
        &app,
        request(Method::POST, "/rank", ())
            .body(Body::from_stream(never))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::REQUEST_TIMEOUT, "{}", r.text);
    assert_error_shape(&r.json(), r.status);
}

#[tokio::test]
async fn a_full_pool_answers_503_with_retry_after() {
    let pool = carematch_service::limits::Pool::new("test", 1, 0);
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let busy = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.run(move || rx.recv().ok()).await })
    };
    while pool.busy() == 0 {
        tokio::task::yield_now().await;
    }
    let refused = pool.run(|| ()).await.unwrap_err();
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.retry_after, Some(1));
    tx.send(()).unwrap();
    busy.await.unwrap().unwrap();
    assert!(pool.run(|| ()).await.is_ok(), "room again");
}

#[tokio::test]
async fn a_job_that_panics_is_a_500_and_its_thread_runs_the_next() {
    // One thread: if the panic ended it, the second job would never run.
    let pool = carematch_service::limits::Pool::new("test", 1, 4);
    let failed = pool
        .run(|| -> u8 { panic!("a ranking that panics (this test's own)") })
        .await
        .unwrap_err();
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(pool.busy(), 0, "the place is given back");
    let next = tokio::time::timeout(std::time::Duration::from_secs(10), pool.run(|| 7));
    assert_eq!(next.await.expect("the thread lived on").unwrap(), 7);
}

#[tokio::test]
async fn the_openapi_table_is_the_router() {
    let app = test_app();
    let (status, doc) = call(&app, Method::GET, "/openapi.json", String::new()).await;
    assert_eq!(status, StatusCode::OK);
    let table = carematch_service::openapi::ROUTES;
    let methods = ["get", "post", "put", "patch", "delete"];
    let mut paths: Vec<&str> = table.iter().map(|r| r.path).collect();
    paths.dedup();
    for path in paths {
        let uri = path.replace("{id}", ID);
        for m in methods {
            let listed = table.iter().any(|r| r.path == path && r.method == m);
            assert_eq!(
                doc["paths"][path][m].is_object(),
                listed,
                "{m} {path} in the document"
            );
            let request = Request::builder()
                .method(m.to_uppercase().as_str())
                .uri(&uri)
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {TOKEN}"))
                .body(Body::from("{}"))
                .unwrap();
            let r = send(&app, request).await;
            if listed {
                assert_ne!(
                    r.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path}: {}",
                    r.text
                );
                let v: Option<Value> = serde_json::from_str(&r.text).ok();
                assert_ne!(
                    v.as_ref().and_then(|v| v.get("error")),
                    Some(&json!("not_found")),
                    "{m} {path} is routed"
                );
            } else {
                assert_eq!(
                    r.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path} is not in the table"
                );
            }
        }
    }
    for schema in ["Error", "RankRequest", "Ranking", "Program", "ProgramPatch"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[tokio::test]
async fn if_none_match_answers_304_for_the_current_version_only() {
    let app = test_app();
    let uri = "/programs/wor-lanternfly-evening-iop";
    let get = |tag: Option<&'static str>| {
        let mut b = Request::get(uri);
        if let Some(t) = tag {
            b = b.header("if-none-match", t);
        }
        b.body(Body::empty()).unwrap()
    };
    let r = send(&app, get(None)).await;
    assert_eq!(
        (r.status, r.headers["etag"].to_str().unwrap()),
        (StatusCode::OK, "\"1\"")
    );
    for held in ["\"1\"", "W/\"1\"", "\"9\", \"1\"", "*"] {
        let r = send(&app, get(Some(held))).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{held}");
        assert_eq!(r.headers["etag"], "\"1\"", "{held}");
        assert!(r.text.is_empty(), "{held}: no body");
    }
    for other in ["\"2\"", "\"1", "1", "\"x\""] {
        let r = send(&app, get(Some(other))).await;
        assert_eq!(r.status, StatusCode::OK, "{other}");
        assert_eq!(r.json()["id"], "wor-lanternfly-evening-iop");
    }
    // After a write the old version is stale: the program comes again, at 2.
    let r = write(
        &app,
        Method::PATCH,
        uri,
        json!({"typical_wait_days": 9}).to_string(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = send(&app, get(Some("\"1\""))).await;
    assert_eq!(
        (r.status, r.headers["etag"].to_str().unwrap()),
        (StatusCode::OK, "\"2\"")
    );
    assert_eq!(r.json()["typical_wait_days"], 9);
    assert_eq!(
        send(&app, get(Some("\"2\""))).await.status,
        StatusCode::NOT_MODIFIED
    );
    // An unknown program is 404 whatever the condition.
    let r = send(
        &app,
        Request::get("/programs/no-such")
            .header("if-none-match", "*")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The document says so.
    let doc = openapi_doc(&app).await;
    assert!(doc["paths"]["/programs/{id}"]["get"]["responses"]["304"].is_object());
}

async fn openapi_doc(app: &Router) -> Value {
    send(
        app,
        Request::get("/openapi.json").body(Body::empty()).unwrap(),
    )
    .await
    .json()
}
