//! Limits and isolation: the request body (size, read time, media type,
//! UTF-8), and the bounded pools that ranking and writes run on.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::{
    body::Body,
    http::{HeaderMap, StatusCode, header},
};
use http_body_util::{BodyExt, Limited};

use crate::error::ApiError;

/// Reads a JSON request body: refused with 415 unless its media type is
/// JSON, 413 beyond `limit` bytes (by `Content-Length` at once, or as it
/// arrives), 408 when it does not arrive within `timeout`, 400 when it is not
/// UTF-8 (the error says where, never what).
///
/// # Errors
///
/// The [`ApiError`] of the first limit the body breaks.
pub async fn read_json_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<String, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|v| {
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        });
    if !json {
        return Err(ApiError::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let collected = tokio::time::timeout(timeout, Limited::new(body, limit).collect()).await;
    let bytes = match collected {
        Err(_) => return Err(ApiError::for_status(StatusCode::REQUEST_TIMEOUT)),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => return Err(too_large(limit)),
        Ok(Err(_)) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "the body could not be read",
            ));
        }
        Ok(Ok(c)) => c.to_bytes(),
    };
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_encoding",
            format!(
                "the body is not valid UTF-8 (at byte {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("the body is above the limit of {limit} bytes"),
    )
}

/// A job for a pool's threads.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// A bounded pool for blocking work: `workers` threads of its own run the
/// jobs, at most `queue` more wait in order; beyond that a job is refused at
/// once with 503 and `Retry-After`.
///
/// The threads take the next job as soon as one ends, so under load a
/// ranking thread never sleeps between jobs: a job costs one hand-over to
/// the pool and one wake of the waiting request, not a permit released, a
/// task woken, and a blocking thread woken for each job (the
/// `spawn_blocking` design measured about a quarter of the service's time
/// in the scheduler). The threads end when the last handle to the pool is
/// dropped.
#[derive(Debug, Clone)]
pub struct Pool {
    name: &'static str,
    jobs: std::sync::mpsc::Sender<Job>,
    /// Jobs admitted and not yet finished (running or waiting).
    busy: Arc<AtomicUsize>,
    capacity: usize,
}

impl Pool {
    /// A pool of `workers` threads (at least one) with `queue` jobs waiting.
    ///
    /// # Panics
    ///
    /// When the operating system cannot start a thread (at start-up).
    pub fn new(name: &'static str, workers: usize, queue: usize) -> Pool {
        let workers = workers.max(1);
        let (jobs, inbox) = std::sync::mpsc::channel::<Job>();
        let inbox = Arc::new(Mutex::new(inbox));
        for i in 0..workers {
            let inbox = inbox.clone();
            std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for a job: one
                        // thread waits in `recv`, the others on the lock.
                        let next = inbox.lock().map_or(None, |r| r.recv().ok());
                        let Some(job) = next else { return };
                        job();
                    }
                })
                .expect("a pool thread starts");
        }
        Pool {
            name,
            jobs,
            busy: Arc::new(AtomicUsize::new(0)),
            capacity: workers + queue,
        }
    }

    /// The pool's name (for metrics).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// How many jobs are running or waiting.
    pub fn busy(&self) -> usize {
        self.busy.load(Ordering::Acquire)
    }

    /// Runs `job` on one of the pool's threads when the pool has room.
    ///
    /// # Errors
    ///
    /// 503 with `Retry-After: 1` when the pool and its queue are full;
    /// 500 when the job panics (the thread lives on).
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let busy = || {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the service is busy; try again",
            )
            .retry_after(1)
        };
        if self.busy.fetch_add(1, Ordering::AcqRel) >= self.capacity {
            self.busy.fetch_sub(1, Ordering::AcqRel);
            crate::metrics::METRICS.rejected(self.name);
            return Err(busy());
        }
        // The count goes with the job: a caller that stops waiting (a
        // handler timeout) does not free a place still taken.
        let admitted = Admitted(self.busy.clone());
        let (answer, reply) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            // The place is free before the caller hears the answer, so a
            // caller that answers and asks again finds room.
            drop(admitted);
            // A caller gone (timed out) no longer wants the answer.
            let _ = answer.send(out);
        });
        if self.jobs.send(job).is_err() {
            // Every thread has ended (only when the pool is being dropped).
            return Err(busy());
        }
        match reply.await {
            Ok(Ok(out)) => Ok(out),
            _ => Err(ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR)),
        }
    }
}

/// A place in a pool, given back when the job ends (or is dropped unrun).
struct Admitted(Arc<AtomicUsize>);

impl Drop for Admitted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
