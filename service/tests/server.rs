//! The service over real connections: the header timeout, graceful
//! shutdown (in-process, and SIGTERM to the binary mid-request), and the
//! crash test: `kill -9` while updates load loses no acknowledged update
//! and applies no unacknowledged one.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use carematch::sample;
use carematch_service::{AppState, Settings};
use serde_json::{Value, json};

mod common;

use common::{TOKEN, free_port, http, parse, scratch, spawn, wait_ready};

fn patient_body() -> String {
    json!({ "patient": sample::patients()[0].needs }).to_string()
}

fn test_settings() -> Settings {
    let mut s = Settings::defaults();
    s.tokens = Some(format!("t:{TOKEN}"));
    s.tokens_file = None;
    s
}

async fn start(
    settings: Settings,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::sample(settings);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(carematch_service::run(listener, state, async {
        let _ = rx.await;
    }));
    (addr, tx, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_no_headers_is_cut_off() {
    let mut s = test_settings();
    s.header_timeout = 0.3;
    let (addr, _stop, _server) = start(s).await;
    let took = tokio::task::spawn_blocking(move || {
        let mut c = TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        c.write_all(b"GET /health HTTP/1.1\r\nhost: x\r\n").unwrap();
        let started = Instant::now();
        let mut buf = Vec::new();
        let _ = c.read_to_end(&mut buf);
        started.elapsed()
    })
    .await
    .unwrap();
    assert!(took < Duration::from_secs(3), "closed after {took:?}");
    assert!(
        took >= Duration::from_millis(200),
        "not before the timeout: {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_request_in_flight_and_refuses_new_ones() {
    let (addr, stop, server) = start(test_settings()).await;
    let body = patient_body();
    let (half, rest) = body.split_at(body.len() / 2);
    let (half, rest) = (half.to_owned(), rest.to_owned());
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        c,
        "POST /rank HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{half}",
        body.len()
    )
    .unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let reply = tokio::task::spawn_blocking(move || {
        c.write_all(rest.as_bytes()).unwrap();
        let mut raw = Vec::new();
        let _ = c.read_to_end(&mut raw);
        parse(&raw)
    })
    .await
    .unwrap()
    .expect("a whole reply");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let v: Value = serde_json::from_str(&reply.body).expect("the whole JSON body");
    assert!(!v["matches"].as_array().unwrap().is_empty());
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops")
        .unwrap();
    assert!(TcpStream::connect(addr).is_err(), "no new connections");
}

#[test]
fn sigterm_mid_request_gives_the_client_its_whole_reply() {
    let dir = scratch("sigterm");
    let addr = free_port();
    let mut child = spawn(&dir.join("store.db"), addr);
    wait_ready(addr);
    let body = patient_body();
    let (half, rest) = body.split_at(body.len() / 2);
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        c,
        "POST /rank HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{half}",
        body.len()
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(200));
    c.write_all(rest.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = c.read_to_end(&mut raw);
    let reply = parse(&raw).expect("a whole reply, not an empty one");
    assert_eq!(reply.status, 200);
    assert!(serde_json::from_str::<Value>(&reply.body).is_ok());
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(Instant::now() < until, "the service did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writers update their own program over and over (each update
/// conditional on the version the last one acknowledged) until the service
/// is killed with SIGKILL; after a restart on the same store, each program
/// holds its last acknowledged update, or the one in flight when the
/// process died (never acknowledged, so either is right), and nothing else.
#[test]
fn kill_9_mid_updates_loses_no_acknowledged_update() {
    let dir = scratch("crash");
    let db = dir.join("store.db");
    let addr = free_port();
    let mut child = spawn(&db, addr);
    wait_ready(addr);
    let ids: Vec<String> = sample::massachusetts()
        .iter()
        .take(6)
        .map(|p| p.id.as_str().to_owned())
        .collect();
    let auth = format!("Bearer {TOKEN}");
    let writers: Vec<_> = ids
        .iter()
        .cloned()
        .map(|id| {
            let auth = auth.clone();
            std::thread::spawn(move || {
                // (version, wait days) of the last acknowledged update.
                let mut acked = (1u64, None::<u64>);
                for days in 1u64.. {
                    let etag = format!("\"{}\"", acked.0);
                    let body = json!({ "typical_wait_days": days }).to_string();
                    let reply = http(
                        addr,
                        "PATCH",
                        &format!("/programs/{id}"),
                        &[("authorization", &auth), ("if-match", &etag)],
                        &body,
                    );
                    match reply {
                        Ok(r) if r.status == 200 => {
                            let v: Value = serde_json::from_str(&r.body).unwrap();
                            acked = (v["version"].as_u64().unwrap(), Some(days));
                            assert_eq!(r.header("etag"), Some(format!("\"{}\"", acked.0).as_str()));
                        }
                        Ok(r) => panic!("{id}: {} {}", r.status, r.body),
                        Err(_) => break, // killed
                    }
                }
                (id, acked)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let acked: Vec<(String, (u64, Option<u64>))> =
        writers.into_iter().map(|w| w.join().unwrap()).collect();
    let total: u64 = acked.iter().map(|(_, (v, _))| v - 1).sum();
    assert!(
        total >= 20,
        "only {total} updates acknowledged before the kill"
    );

    let addr = free_port();
    let mut child = spawn(&db, addr);
    wait_ready(addr);
    for (id, (version, days)) in &acked {
        let r = http(addr, "GET", &format!("/programs/{id}"), &[], "").unwrap();
        assert_eq!(r.status, 200);
        let stored: u64 = r.header("etag").unwrap().trim_matches('"').parse().unwrap();
        let program: Value = serde_json::from_str(&r.body).unwrap();
        let stored_days = program["typical_wait_days"].as_u64();
        if stored == *version {
            assert_eq!(stored_days, *days, "{id}: the acknowledged update");
        } else {
            // The update in flight at the kill: committed, not acknowledged.
            assert_eq!(
                stored,
                version + 1,
                "{id}: at most the one update in flight"
            );
            assert_eq!(stored_days, Some(days.unwrap_or(0) + 1), "{id}");
        }
    }
    // The store and the directory agree: a ranking runs.
    let r = http(addr, "POST", "/rank", &[], &patient_body()).unwrap();
    assert_eq!(r.status, 200);
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
