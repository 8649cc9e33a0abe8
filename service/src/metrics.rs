//! Prometheus metrics in the text format (`GET /metrics`): requests by
//! route, method and status; latency histograms by route; rankings; updates
//! by operation and outcome; store errors; pool refusals; requests in
//! flight. Routes are the route patterns (`/programs/{id}`), never paths or
//! bodies, so no patient field reaches a metric.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::LazyLock;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// The upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The service's metrics (one set per process).
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, &'static str, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    rankings: AtomicU64,
    updates: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    store_errors: AtomicU64,
    rejected: Mutex<BTreeMap<&'static str, u64>>,
    in_flight: AtomicI64,
    replicated: AtomicU64,
}

/// The process's metrics.
pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::default);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Metrics {
    /// A request answered.
    pub fn request(&self, route: &str, method: &'static str, status: u16, seconds: f64) {
        *lock(&self.requests)
            .entry((route.to_owned(), method, status))
            .or_default() += 1;
        let mut latency = lock(&self.latency);
        let h = latency.entry(route.to_owned()).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }

    /// A request started (+1) or ended (-1).
    pub fn in_flight(&self, delta: i64) {
        self.in_flight.fetch_add(delta, Ordering::Relaxed);
    }

    /// Rankings made (a `/rank`, an `/explain`, an `/assign`).
    pub fn ranked(&self) {
        self.rankings.fetch_add(1, Ordering::Relaxed);
    }

    /// An update (`put`, `patch`, `delete`) and its outcome (`ok`, `stale`, `invalid`, `error`).
    pub fn update(&self, op: &'static str, outcome: &'static str) {
        *lock(&self.updates).entry((op, outcome)).or_default() += 1;
    }

    /// A store call that failed.
    pub fn store_error(&self) {
        self.store_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// A job the pool `pool` refused (503).
    pub fn rejected(&self, pool: &'static str) {
        *lock(&self.rejected).entry(pool).or_default() += 1;
    }

    /// Programs applied from other replicas' writes.
    pub fn replicated(&self, n: usize) {
        self.replicated.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Everything, in the Prometheus text format; `programs` is the live
    /// directory's size.
    pub fn render(&self, programs: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP carematch_requests_total Requests answered, by route pattern, method and status."
        );
        let _ = writeln!(out, "# TYPE carematch_requests_total counter");
        for ((route, method, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "carematch_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP carematch_request_seconds Request latency by route pattern."
        );
        let _ = writeln!(out, "# TYPE carematch_request_seconds histogram");
        for (route, h) in lock(&self.latency).iter() {
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "carematch_request_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "carematch_request_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "carematch_request_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "carematch_request_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        let _ = writeln!(out, "# HELP carematch_rankings_total Rankings made.");
        let _ = writeln!(out, "# TYPE carematch_rankings_total counter");
        let _ = writeln!(
            out,
            "carematch_rankings_total {}",
            self.rankings.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP carematch_updates_total Directory updates, by operation and outcome."
        );
        let _ = writeln!(out, "# TYPE carematch_updates_total counter");
        for ((op, outcome), n) in lock(&self.updates).iter() {
            let _ = writeln!(
                out,
                "carematch_updates_total{{op=\"{op}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP carematch_store_errors_total Store calls that failed."
        );
        let _ = writeln!(out, "# TYPE carematch_store_errors_total counter");
        let _ = writeln!(
            out,
            "carematch_store_errors_total {}",
            self.store_errors.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP carematch_rejected_total Jobs refused with 503 because a pool was full."
        );
        let _ = writeln!(out, "# TYPE carematch_rejected_total counter");
        for (pool, n) in lock(&self.rejected).iter() {
            let _ = writeln!(out, "carematch_rejected_total{{pool=\"{pool}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP carematch_replicated_total Programs applied from other replicas' writes."
        );
        let _ = writeln!(out, "# TYPE carematch_replicated_total counter");
        let _ = writeln!(
            out,
            "carematch_replicated_total {}",
            self.replicated.load(Ordering::Relaxed)
        );
        let _ = writeln!(out, "# HELP carematch_in_flight Requests being answered.");
        let _ = writeln!(out, "# TYPE carematch_in_flight gauge");
        let _ = writeln!(
            out,
            "carematch_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP carematch_programs Programs in the live directory."
        );
        let _ = writeln!(out, "# TYPE carematch_programs gauge");
        let _ = writeln!(out, "carematch_programs {programs}");
        out
    }
}
