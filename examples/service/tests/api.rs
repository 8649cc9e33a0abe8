//! The service driven in-process (tower's `oneshot`, no network): every
//! route, its JSON, and errors with field paths and the right status codes.

use axum::{
    Router,
    body::Body,
    http::{Method, Request, StatusCode},
};
use carematch::sample;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn app() -> Router {
    carematch_service::app(carematch_service::State::sample())
}

async fn call(app: &Router, method: Method, uri: &str, body: String) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("a request");
    let response = app.clone().oneshot(request).await.expect("a response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    let value = serde_json::from_slice(&bytes).expect("a JSON body");
    (status, value)
}

fn patient() -> Value {
    serde_json::to_value(&sample::patients()[0].needs).expect("JSON")
}

fn assessment() -> Value {
    serde_json::to_value(sample::patients()[0].assessment).expect("JSON")
}

#[tokio::test]
async fn level_recommends_from_an_assessment() {
    let app = app();
    let (status, v) = call(&app, Method::POST, "/level", assessment().to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let expected = carematch::LevelPolicy::default().recommend(&sample::patients()[0].assessment);
    assert_eq!(v, serde_json::to_value(&expected).unwrap());

    let mut bad = assessment();
    bad["ratings"]["support"] = json!(7);
    let (status, v) = call(&app, Method::POST, "/level", bad.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"], "json");
    assert_eq!(v["problems"][0]["path"], "ratings.support");
}

#[tokio::test]
async fn rank_answers_as_the_library_does() {
    let app = app();
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
}

#[tokio::test]
async fn bad_requests_name_the_field_and_get_the_right_status() {
    let app = app();
    let mut p = patient();
    p["payer"] = json!("masshelth");
    let (status, v) = call(
        &app,
        Method::POST,
        "/rank",
        json!({ "patient": p }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["problems"][0]["path"], "patient.payer", "{v}");

    let (status, v) = call(&app, Method::POST, "/rank", "{".to_owned()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");

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
async fn explain_answers_for_one_program() {
    let app = app();
    let body = json!({ "patient": patient(), "program_id": "wor-lanternfly-evening-iop" });
    let (status, v) = call(&app, Method::POST, "/explain", body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["outcome"], "match");
    assert_eq!(v["rank"], 1);
    assert_eq!(v["details"]["program_id"], "wor-lanternfly-evening-iop");

    let body = json!({ "patient": patient(), "program_id": "nope" });
    let (status, v) = call(&app, Method::POST, "/explain", body.to_string()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
    assert_eq!(v["outcome"], "unknown_program");
}

#[tokio::test]
async fn put_updates_the_live_directory() {
    let app = app();
    let id = "wor-lanternfly-evening-iop";
    let mut program = serde_json::to_value(
        sample::massachusetts()
            .iter()
            .find(|p| p.id.as_str() == id)
            .unwrap(),
    )
    .unwrap();
    program["accepting_new_patients"] = json!(false);
    let (status, v) = call(
        &app,
        Method::PUT,
        &format!("/programs/{id}"),
        program.to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");

    // Closed to new patients: now excluded, with its reason.
    let body = json!({ "patient": patient(), "program_id": id });
    let (_, v) = call(&app, Method::POST, "/explain", body.to_string()).await;
    assert_eq!(v["outcome"], "excluded", "{v}");
    assert_eq!(
        v["details"]["reasons"][0]["reason"],
        "not_accepting_new_patients"
    );

    // A new program is created.
    program["id"] = json!("wor-new-iop");
    let (status, _) = call(
        &app,
        Method::PUT,
        "/programs/wor-new-iop",
        program.to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // The path and the body disagree on the id.
    let (status, v) = call(&app, Method::PUT, "/programs/other", program.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["problems"][0]["path"], "id");

    // A program that fails validation: every problem with its path.
    program["name"] = json!("");
    let (status, v) = call(
        &app,
        Method::PUT,
        "/programs/wor-new-iop",
        program.to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"], "invalid");
    assert_eq!(v["problems"][0]["path"], "name");
}
