//! A small load generator for the service, on loopback, in bounded time:
//! 30,000 synthetic programs, c = 1, 16 and 64 clients on kept-alive
//! connections, 95% rankings and 5% updates (`PATCH` of a program's new-patient status),
//! then c = 16 again beside eight clients asking for `exclusion_details`.
//! Beside it, in the same run, the in-process figure: `rank_batch` over the
//! same directory and patients.
//!
//! ```sh
//! cargo build --release -p carematch-service
//! cargo run --release -p carematch-service --example load            # 5 s a phase
//! cargo run --release -p carematch-service --example load -- 2 compact  # 2 s a phase, compact view only
//! ```
//!
//! Arguments: seconds a phase (default 5), then `full` or `compact` to
//! run one view only (default: both at c = 16, compact for the rest).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use carematch::matching::{MatchOptions, Weights};
use carematch::{Directory, synthetic};

const PROGRAMS: usize = 30_000;
const TOKEN: &str = "load-test-token-0123456789";

/// One kept-alive connection.
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn open(addr: SocketAddr) -> Conn {
        let s = TcpStream::connect(addr).expect("connect");
        s.set_nodelay(true).unwrap();
        Conn {
            reader: BufReader::new(s.try_clone().unwrap()),
            writer: s,
        }
    }

    /// Sends one request and reads the reply: its status and body length.
    fn call(&mut self, method: &str, path: &str, extra: &str, body: &str) -> (u16, usize) {
        let req = format!(
            "{method} {path} HTTP/1.1\r\nhost: load\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n{body}",
            body.len()
        );
        self.writer.write_all(req.as_bytes()).expect("send");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((n, v)) = l.split_once(':')
                && n.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut buf = vec![0; length];
        self.reader.read_exact(&mut buf).expect("body");
        (status, length)
    }
}

/// CPU time (user + system) a process has used so far, in seconds, from
/// `/proc/{pid}/stat` (Linux; `None` elsewhere).
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on Linux
}

struct Phase {
    requests: usize,
    /// CPU seconds the service and this load generator used in the phase.
    cpu: Option<(f64, f64)>,
    seconds: f64,
    latencies: Vec<u32>,
    errors: usize,
    bytes: usize,
}

impl Phase {
    fn pct(&self, p: f64) -> f64 {
        let mut l = self.latencies.clone();
        l.sort_unstable();
        if l.is_empty() {
            return 0.0;
        }
        let i = ((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1;
        f64::from(l[i]) / 1000.0
    }
}

/// `clients` clients for `seconds`: 5% updates, the rest rankings of
/// `bodies` in turn; `heavy` more clients ask for exclusion details (not
/// counted). Latencies in microseconds; `service` is the service's process id,
/// whose CPU time is read beside this process's.
fn phase(
    (service, addr): (u32, SocketAddr),
    clients: usize,
    heavy: usize,
    seconds: f64,
    bodies: &Arc<Vec<String>>,
    heavy_body: &Arc<String>,
    ids: &Arc<Vec<String>>,
) -> Phase {
    let stop = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();
    for c in 0..clients {
        let (stop, bodies, ids) = (stop.clone(), bodies.clone(), ids.clone());
        handles.push(std::thread::spawn(move || {
            let mut conn = Conn::open(addr);
            let mut lat = Vec::with_capacity(100_000);
            let (mut errors, mut bytes) = (0, 0);
            let auth = format!("authorization: Bearer {TOKEN}\r\n");
            let mut i = c * 7919;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let started = Instant::now();
                let (status, n) = if i % 20 == 0 {
                    let id = &ids[i % ids.len()];
                    let body = format!("{{\"accepting_new_patients\": {}}}", i % 40 != 0);
                    conn.call("PATCH", &format!("/programs/{id}"), &auth, &body)
                } else {
                    conn.call("POST", "/rank", "", &bodies[i % bodies.len()])
                };
                lat.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
                bytes += n;
                if status != 200 {
                    errors += 1;
                }
            }
            (lat, errors, bytes)
        }));
    }
    let mut heavies = Vec::new();
    for _ in 0..heavy {
        let (stop, body) = (stop.clone(), heavy_body.clone());
        heavies.push(std::thread::spawn(move || {
            let mut conn = Conn::open(addr);
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let (status, bytes) = conn.call("POST", "/rank", "", &body);
                assert_eq!(status, 200);
                n += bytes;
            }
            n
        }));
    }
    let service = service.to_string();
    let cpu_at = || Some((cpu_seconds(&service)?, cpu_seconds("self")?));
    let before = cpu_at();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let after = cpu_at();
    stop.store(true, Ordering::Relaxed);
    let mut out = Phase {
        cpu: before.zip(after).map(|(b, a)| (a.0 - b.0, a.1 - b.1)),
        requests: 0,
        seconds: 0.0,
        latencies: Vec::new(),
        errors: 0,
        bytes: 0,
    };
    for h in handles {
        let (lat, errors, bytes) = h.join().unwrap();
        out.requests += lat.len();
        out.latencies.extend(lat);
        out.errors += errors;
        out.bytes += bytes;
    }
    out.seconds = started.elapsed().as_secs_f64();
    for h in heavies {
        let _ = h.join();
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let only = args.next();
    let exe = std::env::current_exe().unwrap();
    let service = exe
        .parent()
        .and_then(|d| d.parent())
        .unwrap()
        .join("carematch-service");
    assert!(
        service.is_file(),
        "build the service first: cargo build --release -p carematch-service"
    );

    let dir = std::env::temp_dir().join(format!("carematch-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let programs = synthetic::directory(PROGRAMS, 7);
    let ids: Arc<Vec<String>> = Arc::new(
        programs
            .iter()
            .step_by(97)
            .map(|p| p.id.as_str().to_owned())
            .collect(),
    );
    let file = dir.join("directory.json");
    std::fs::write(
        &file,
        serde_json::to_string(&serde_json::json!({ "programs": programs })).unwrap(),
    )
    .unwrap();
    let patients = synthetic::patients(64, 7);

    // In process: rank_batch over the same directory and patients, one thread.
    let directory = Directory::new(programs, synthetic::AS_OF).unwrap();
    let queries: Vec<_> = patients
        .iter()
        .map(|n| {
            directory
                .query(n, None, MatchOptions::new(synthetic::AS_OF))
                .unwrap()
        })
        .collect();
    let started = Instant::now();
    let cpu_before = cpu_seconds("self");
    let mut ranked = 0;
    while started.elapsed() < Duration::from_secs_f64(seconds) {
        ranked += directory.rank_batch(&queries, &Weights::default(), 5).len();
    }
    let in_process = ranked as f64 / started.elapsed().as_secs_f64();
    let cpu_each = cpu_before
        .zip(cpu_seconds("self"))
        .map_or(String::new(), |(b, a)| {
            format!(", {:.3} ms of CPU each", 1000.0 * (a - b) / ranked as f64)
        });
    println!(
        "in-process rank_batch (one thread, top 5, {PROGRAMS} programs): {in_process:.0} rankings/s ({:.3} ms each{cpu_each})",
        1000.0 / in_process
    );
    // The same on both cores: each thread its own rank_batch over half the patients.
    let started = Instant::now();
    let ranked2: usize = std::thread::scope(|s| {
        let halves: Vec<_> = queries
            .chunks(queries.len() / 2)
            .map(|half| {
                let directory = &directory;
                s.spawn(move || {
                    let mut n = 0;
                    while started.elapsed() < Duration::from_secs_f64(seconds) {
                        n += directory.rank_batch(half, &Weights::default(), 5).len();
                    }
                    n
                })
            })
            .collect();
        halves.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let in_process_2 = ranked2 as f64 / started.elapsed().as_secs_f64();
    println!("in-process rank_batch on two threads: {in_process_2:.0} rankings/s");
    drop(directory);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut child = Command::new(&service)
        .args([
            "--listen",
            &addr.to_string(),
            "--as-of",
            &synthetic::AS_OF.to_string(),
            "--db",
        ])
        .arg(dir.join("store.db"))
        .arg("--directory")
        .arg(&file)
        .env("CAREMATCH_TOKENS", format!("load:{TOKEN}"))
        .env("CAREMATCH_LOG_LEVEL", "warn")
        .env("CAREMATCH_MAX_CONNECTIONS", "256")
        .env("CAREMATCH_QUEUE", "256")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Ok(mut s) = TcpStream::connect(addr) {
            let _ = s.write_all(b"GET /ready HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
            let mut r = String::new();
            let _ = s.read_to_string(&mut r);
            if r.starts_with("HTTP/1.1 200") {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the service did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "service: imported {PROGRAMS} programs into a new SQLite store and ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let body = |view: &str| -> Arc<Vec<String>> {
        Arc::new(
            patients
                .iter()
                .map(|n| serde_json::json!({"patient": n, "view": view}).to_string())
                .collect(),
        )
    };
    let heavy = Arc::new(serde_json::json!({"patient": patients[0], "exclusion_details": true, "exclusions_limit": 100}).to_string());
    let mut views = vec!["compact", "full"];
    if let Some(v) = &only {
        views.retain(|x| x == v);
    }
    println!(
        "| view | clients | requests/s | p50 ms | p99 ms | errors | of in-process, 1 thread | of in-process, 2 threads | service CPU ms a request | load generator CPU ms a request |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for view in &views {
        let bodies = body(view);
        for c in [1, 16, 64] {
            if *view == "full" && c != 16 {
                continue;
            }
            let p = phase((child.id(), addr), c, 0, seconds, &bodies, &heavy, &ids);
            let rps = p.requests as f64 / p.seconds;
            let (service_cpu, client_cpu) =
                p.cpu.map_or((String::new(), String::new()), |(s, c)| {
                    let per = |t: f64| format!("{:.3}", 1000.0 * t / p.requests.max(1) as f64);
                    (per(s), per(c))
                });
            println!(
                "| {view} | {c} | {rps:.0} | {:.2} | {:.2} | {} | {:.0}% | {:.0}% | {service_cpu} | {client_cpu} |",
                p.pct(0.5),
                p.pct(0.99),
                p.errors,
                100.0 * rps / in_process,
                100.0 * rps / in_process_2
            );
        }
    }
    let bodies = body(views.first().copied().unwrap_or("compact"));
    let quiet = phase((child.id(), addr), 16, 0, seconds, &bodies, &heavy, &ids);
    let loud = phase((child.id(), addr), 16, 8, seconds, &bodies, &heavy, &ids);
    println!(
        "c = 16 alone: p50 {:.2} ms, p99 {:.2} ms; beside 8 exclusion_details clients: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms (p99/p50 {:.1})",
        quiet.pct(0.5),
        quiet.pct(0.99),
        loud.requests as f64 / loud.seconds,
        loud.pct(0.5),
        loud.pct(0.99),
        loud.pct(0.99) / loud.pct(0.5)
    );
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
