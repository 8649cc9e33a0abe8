//! Start-up (store, directory), the listener and its limits, and graceful
//! shutdown.
//!
//! Start-up opens the store; a new store gets the `--directory` file (or
//! the embedded sample) imported, a store that holds programs is loaded as
//! it is. The listener caps open connections, gives a client
//! `--header-timeout` to send a request's head (and closes idle kept-alive
//! connections after as long), and on SIGTERM or Ctrl-C stops accepting,
//! lets in-flight requests finish within `--shutdown-grace`, and flushes
//! the store.

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use carematch::{Date, Directory, Program, sample};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::auth::Tokens;
use crate::live::Live;
use crate::routes::{AppState, app};
use crate::settings::Settings;
use crate::store::Store;

/// Validates and compiles `programs`, then imports them into the new
/// `store`: the live directory, every program at version 1. `pinned`: the
/// store keeps `as_of`, and later loads judge freshness against it (the
/// sample, an explicit `--as-of`) instead of the day they run.
///
/// # Errors
///
/// The directory's errors (every problem with its path), or the store's.
pub fn import(
    store: &dyn Store,
    programs: Vec<Program>,
    as_of: Date,
    pinned: bool,
) -> Result<Live, String> {
    let rows = programs
        .iter()
        .map(|p| {
            serde_json::to_string(p)
                .map(|json| (p.id.as_str().to_owned(), json))
                .map_err(|e| format!("cannot write a program as JSON: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let directory = Directory::new(programs, as_of).map_err(|e| e.to_string())?;
    let pin = pinned.then(|| as_of.days_since_epoch());
    store.import(&rows, pin).map_err(|e| e.to_string())?;
    let versions = rows.into_iter().map(|(id, _)| (id, 1)).collect();
    let seq = store.load().map_err(|e| e.to_string())?.seq;
    Ok(Live {
        directory,
        versions,
        seq,
    })
}

/// Loads what `store` holds into a live directory, judged as of `as_of`,
/// else the date the store is pinned to, else today; with that date.
///
/// # Errors
///
/// A program that does not read or validate (with its id), or the store's error.
pub fn load(store: &dyn Store, as_of: Option<Date>) -> Result<(Live, Date), String> {
    let snapshot = store.load().map_err(|e| e.to_string())?;
    let as_of = as_of
        .or_else(|| snapshot.as_of.and_then(Date::from_days_since_epoch))
        .unwrap_or_else(today);
    let mut versions = HashMap::with_capacity(snapshot.records.len());
    let mut programs = Vec::with_capacity(snapshot.records.len());
    for r in snapshot.records {
        let json = r.program.unwrap_or_default();
        let p: Program = serde_json::from_str(&json)
            .map_err(|e| format!("the store's program `{}` does not read: {e}", r.id))?;
        versions.insert(r.id, r.version);
        programs.push(p);
    }
    versions.extend(snapshot.tombstones);
    let directory = Directory::new(programs, as_of).map_err(|e| format!("the store: {e}"))?;
    let live = Live {
        directory,
        versions,
        seq: snapshot.seq,
    };
    Ok((live, as_of))
}

/// Reads the programs of a `--directory` file in `format`.
///
/// # Errors
///
/// A message naming the file and the problem.
pub fn read_programs(path: &Path, format: &str, as_of: Date) -> Result<Vec<Program>, String> {
    use carematch::import::{Format, ImportOptions};
    let name = path.display();
    if format == "carematch" {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {name}: {e}"))?;
        return carematch::programs_from_json(&text).map_err(|e| format!("{name}: {e}"));
    }
    let format: Format = format.parse().map_err(|e| format!("--format: {e}"))?;
    let options = ImportOptions::new(as_of);
    let out = if path.is_dir() {
        let mut files = std::collections::BTreeMap::new();
        let cannot = |e: std::io::Error| format!("cannot read {name}: {e}");
        for entry in std::fs::read_dir(path).map_err(cannot)? {
            let p = entry.map_err(cannot)?.path();
            let Some(file) = p.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            if p.is_file() && (file.ends_with(".csv") || file == "datapackage.json") {
                let text = std::fs::read_to_string(&p).map_err(cannot)?;
                files.insert(file, text);
            }
        }
        carematch::import::import_hsds_csv(&files, &options)
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {name}: {e}"))?;
        carematch::import::import(format, &text, &options)
    }
    .map_err(|e| format!("{name}: {e}"))?;
    Ok(out.programs)
}

/// Today (UTC) from the system clock: the service may read the clock; the
/// library never does.
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i32::try_from(secs / 86_400)
        .ok()
        .and_then(Date::from_days_since_epoch)
        .unwrap_or(sample::AS_OF)
}

/// Opens the store and loads (or imports) the directory the settings name.
///
/// # Errors
///
/// A message for a setting, a file or a store that does not work.
pub fn build_state(settings: Settings) -> Result<Arc<AppState>, String> {
    let mut text = String::new();
    if let Some(path) = &settings.tokens_file {
        text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    }
    if let Some(more) = &settings.tokens {
        text.push('\n');
        text.push_str(more);
    }
    let tokens = Tokens::parse(&text)?;
    crate::fetch::FhirAccess::from_settings(&settings)?;
    let store = crate::store::open(&settings.db).map_err(|e| format!("--db: {e}"))?;
    let is_new = store.is_new().map_err(|e| format!("--db: {e}"))?;
    let given = match &settings.as_of {
        Some(d) => Some(d.parse::<Date>().map_err(|e| format!("--as-of: {e}"))?),
        None => None,
    };
    let (live, as_of) = if is_new {
        let (programs, as_of, pinned) = match &settings.directory {
            Some(path) => {
                let as_of = given.unwrap_or_else(today);
                (
                    read_programs(path, &settings.format, as_of)?,
                    as_of,
                    given.is_some(),
                )
            }
            None => (
                sample::massachusetts(),
                given.unwrap_or(sample::AS_OF),
                true,
            ),
        };
        let source = settings.directory.as_ref().map_or_else(
            || "the embedded fictional sample".to_owned(),
            |p| p.display().to_string(),
        );
        let live = import(store.as_ref(), programs, as_of, pinned)?;
        tracing::info!(programs = live.directory.len(), source = %source, store = store.kind(), "imported into a new store");
        (live, as_of)
    } else {
        if let Some(path) = &settings.directory {
            tracing::warn!(file = %path.display(), "the store already holds a directory: serving the store, not the file");
        }
        let (live, as_of) = load(store.as_ref(), given)?;
        tracing::info!(
            programs = live.directory.len(),
            store = store.kind(),
            as_of = %as_of,
            "loaded the store"
        );
        (live, as_of)
    };
    if settings.db == ":memory:" {
        tracing::warn!(
            "the store is in memory: updates last until the process ends (give --db FILE to keep them)"
        );
    }
    if tokens.is_empty() {
        tracing::warn!("no tokens: writes are refused (give --tokens-file or CAREMATCH_TOKENS)");
    }
    for w in live.directory.warnings().warnings().take(20) {
        tracing::warn!(path = %w.path, message = %w.message, "directory warning");
    }
    Ok(AppState::new(settings, tokens, live, store, as_of))
}

/// Starts logging: JSON lines (or text) on stderr, at the level
/// `CAREMATCH_LOG_LEVEL` sets (`info` by default).
pub fn init_logging(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("CAREMATCH_LOG_LEVEL").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if format == "json" {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init()
    } else {
        builder.try_init()
    };
}

/// Runs the service with `settings` until SIGTERM or Ctrl-C.
///
/// # Errors
///
/// A message when start-up fails (settings, files, store, address).
pub async fn serve(settings: Settings) -> Result<(), String> {
    init_logging(&settings.log);
    let listen = settings.listen;
    let state = tokio::task::spawn_blocking(move || build_state(settings))
        .await
        .map_err(|e| format!("start-up failed: {e}"))??;
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    tracing::info!(address = %listen, "listening");
    run(listener, state, shutdown_signal()).await;
    Ok(())
}

/// SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Serves `state` on `listener` until `shutdown` completes, then shuts
/// down gracefully: no new connections, in-flight requests finish within
/// the grace period, the store is flushed.
pub async fn run(listener: TcpListener, state: Arc<AppState>, shutdown: impl Future<Output = ()>) {
    let settings = state.settings.clone();
    let router = app(state.clone());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Settings::secs(settings.header_timeout))
        .max_buf_size((settings.header_limit * 4).max(64 * 1024));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let poller = start_poller(&state);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = connections.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            a = listener.accept() => match a {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    state.ready.store(false, Ordering::Relaxed);
    tracing::info!("shutting down: no new connections; finishing requests in flight");
    let grace = Settings::secs(settings.shutdown_grace);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("every connection closed"),
        () = tokio::time::sleep(grace) => tracing::warn!("the grace period ended with requests in flight"),
    }
    if let Some(p) = poller {
        p.abort();
    }
    let s = state.clone();
    // Writes in flight finish on the write pool; the flush waits for them
    // through the store's own lock.
    let flushed = tokio::task::spawn_blocking(move || s.shared.store().flush()).await;
    match flushed {
        Ok(Ok(())) => tracing::info!("store flushed; stopped"),
        Ok(Err(e)) => tracing::error!(error = %e, "the store did not flush"),
        Err(_) => tracing::error!("the store's flush panicked"),
    }
}

/// Polls the store for other replicas' writes (`--poll-ms`; on by default
/// for Postgres only).
fn start_poller(state: &Arc<AppState>) -> Option<tokio::task::JoinHandle<()>> {
    let default = if state.shared.store().kind() == "sqlite" {
        0
    } else {
        200
    };
    let ms = state.settings.poll_ms.unwrap_or(default);
    if ms == 0 {
        return None;
    }
    let state = state.clone();
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(ms));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let s = state.clone();
            match tokio::task::spawn_blocking(move || s.shared.catch_up()).await {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => {
                    crate::metrics::METRICS.replicated(n);
                    tracing::debug!(programs = n, "applied other replicas' writes");
                }
                Ok(Err(e)) => {
                    crate::metrics::METRICS.store_error();
                    tracing::warn!(error = %e, "cannot read the store's changes");
                }
                Err(_) => tracing::error!("the store poll panicked"),
            }
        }
    }))
}
