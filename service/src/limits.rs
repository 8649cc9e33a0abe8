//! Limits and isolation: the request body (size, read time, media type,
//! UTF-8), and the bounded pools that ranking and writes run on.

use std::sync::Arc;
use std::time::Duration;

use axum::{
    body::Body,
    http::{HeaderMap, StatusCode, header},
};
use http_body_util::{BodyExt, Limited};
use tokio::sync::Semaphore;

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

/// A bounded pool for blocking work: at most `workers` jobs run at once on
/// tokio's blocking threads, at most `queue` more wait; beyond that a job is
/// refused at once with 503 and `Retry-After`.
#[derive(Debug, Clone)]
pub struct Pool {
    name: &'static str,
    run: Arc<Semaphore>,
    admit: Arc<Semaphore>,
    capacity: usize,
}

impl Pool {
    /// A pool running `workers` jobs at once with `queue` waiting.
    pub fn new(name: &'static str, workers: usize, queue: usize) -> Pool {
        let workers = workers.max(1);
        Pool {
            name,
            run: Arc::new(Semaphore::new(workers)),
            admit: Arc::new(Semaphore::new(workers + queue)),
            capacity: workers + queue,
        }
    }

    /// The pool's name (for metrics).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// How many jobs are running or waiting.
    pub fn busy(&self) -> usize {
        self.capacity - self.admit.available_permits()
    }

    /// Runs `job` on a blocking thread when the pool has room.
    ///
    /// # Errors
    ///
    /// 503 with `Retry-After: 1` when the pool and its queue are full;
    /// 500 when the job panics.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let Ok(admitted) = self.admit.clone().try_acquire_owned() else {
            crate::metrics::METRICS.rejected(self.name);
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the service is busy; try again",
            )
            .retry_after(1));
        };
        let running = self
            .run
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::for_status(StatusCode::SERVICE_UNAVAILABLE))?;
        // The permits go with the job: a caller that stops waiting (a
        // handler timeout) does not free a worker still running.
        tokio::task::spawn_blocking(move || {
            let _permits = (admitted, running);
            job()
        })
        .await
        .map_err(|_| ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR))
    }
}
