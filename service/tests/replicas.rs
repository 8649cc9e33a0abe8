//! Two replicas over one Postgres database (the `postgres` feature): an
//! update through one is ranked through the other. Needs a server:
//! `CAREMATCH_TEST_POSTGRES=postgres://USER@HOST:PORT` (`.ci/run` starts a
//! throwaway cluster from Debian's postgresql); without it the test says so
//! and passes.

mod common;

use std::time::{Duration, Instant};

use carematch::sample;
use common::{TOKEN, free_port, http, spawn_with, wait_ready};
use serde_json::{Value, json};

fn explain(addr: std::net::SocketAddr, id: &str) -> Value {
    let body = json!({ "patient": sample::patients()[0].needs, "program_id": id }).to_string();
    let r = http(addr, "POST", "/explain", &[], &body).unwrap();
    serde_json::from_str(&r.body).unwrap()
}

/// Waits until `done` holds (polling every 20 ms); how long it took.
fn converge(what: &str, mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: no convergence in 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    started.elapsed()
}

#[test]
fn an_update_through_one_replica_is_ranked_through_the_other() {
    let Ok(base) = std::env::var("CAREMATCH_TEST_POSTGRES") else {
        eprintln!("SKIPPED: set CAREMATCH_TEST_POSTGRES=postgres://USER@HOST:PORT (.ci/run does)");
        return;
    };
    let base = base.trim_end_matches('/');
    let db = format!("carematch_test_{}", std::process::id());
    let mut admin = postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls)
        .expect("the test server");
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .unwrap();
    let url = format!("{base}/{db}");

    // The first replica imports the sample into the new database; the
    // second loads it.
    let (a, b) = (free_port(), free_port());
    let mut first = spawn_with(&url, a, &["--poll-ms", "50"]);
    wait_ready(a);
    let mut second = spawn_with(&url, b, &["--poll-ms", "50"]);
    wait_ready(b);
    let auth = format!("Bearer {TOKEN}");
    let id = "wor-lanternfly-evening-iop";
    assert_eq!(explain(b, id)["outcome"], "match");

    // Closed through the first replica: excluded through the second.
    let r = http(
        a,
        "PATCH",
        &format!("/programs/{id}"),
        &[("authorization", &auth), ("if-match", "\"1\"")],
        &json!({"accepting_new_patients": false}).to_string(),
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let took = converge("the closing", || explain(b, id)["outcome"] == "excluded");
    eprintln!("replica b saw the update after {took:?}");
    let r = http(b, "GET", &format!("/programs/{id}"), &[], "").unwrap();
    assert_eq!(r.header("etag"), Some("\"2\""));

    // A stale version through the second replica: the store refuses it.
    let r = http(
        b,
        "PATCH",
        &format!("/programs/{id}"),
        &[("authorization", &auth), ("if-match", "\"1\"")],
        &json!({"accepting_new_patients": true}).to_string(),
    )
    .unwrap();
    assert_eq!(r.status, 412, "{}", r.body);

    // A new program through the second, a deletion through the first.
    let mut program = serde_json::to_value(
        sample::massachusetts()
            .into_iter()
            .find(|p| p.id.as_str() == id)
            .unwrap(),
    )
    .unwrap();
    program["id"] = json!("wor-new-replica-iop");
    let r = http(
        b,
        "PUT",
        "/programs/wor-new-replica-iop",
        &[("authorization", &auth)],
        &program.to_string(),
    )
    .unwrap();
    assert_eq!(r.status, 201, "{}", r.body);
    converge("the new program", || {
        http(a, "GET", "/programs/wor-new-replica-iop", &[], "").is_ok_and(|r| r.status == 200)
    });
    let r = http(
        a,
        "DELETE",
        "/programs/aub-foxglove-iop",
        &[("authorization", &auth)],
        "",
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    converge("the deletion", || {
        http(b, "GET", "/programs/aub-foxglove-iop", &[], "").is_ok_and(|r| r.status == 404)
    });

    // Both directories converge: the same ranking, byte for byte.
    let body = json!({ "patient": sample::patients()[0].needs, "top": 10 }).to_string();
    let ra = http(a, "POST", "/rank", &[], &body).unwrap();
    let rb = http(b, "POST", "/rank", &[], &body).unwrap();
    assert_eq!(ra.status, 200);
    assert_eq!(ra.body, rb.body);

    first.kill().unwrap();
    second.kill().unwrap();
    let _ = first.wait();
    let _ = second.wait();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .unwrap();
}
