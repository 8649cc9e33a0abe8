//! carematch's HTTP service, behind `carematch serve` and the
//! `carematch-service` binary: level, rank, explain and assign over a live
//! directory of programs kept in a durable, versioned store.
//!
//! - [`settings`]: every setting, a flag and an environment variable.
//! - [`routes`]: the router, its handlers and the JSON they take and give.
//! - [`store`]: SQLite (the default) or Postgres (replicas), versions and
//!   the change sequence; [`live`]: the in-memory directory kept equal to it.
//! - [`limits`]: body limits and timeouts, the bounded pools ranking and
//!   writes run on; [`auth`]: bearer tokens; [`metrics`]: Prometheus text.
//! - [`server`]: the listener (header timeout, connection cap), request
//!   ids and logs, graceful shutdown; [`openapi`]: `/openapi.json`.
//! - [`page`]: the coordinator page at `/`, its assets inside the binary.
//! - [`cds`]: the CDS Hooks routes; [`fetch`]: what a call did not
//!   prefetch, fetched from the EHR's FHIR server when the operator allows it.
//!
//! It is decision support: it offers ranked options and the reasons for
//! them; a clinician decides. Patient data is held only for the request
//! and never logged.
//!
//! # Example
//!
//! ```
//! use carematch_service::{settings::Settings, routes};
//! let state = routes::AppState::sample(Settings::defaults());
//! let app = routes::app(state);
//! # let _ = app;
//! ```

pub mod auth;
pub mod cds;
pub mod error;
pub mod fetch;
pub mod limits;
pub mod live;
pub mod metrics;
pub mod openapi;
pub mod page;
pub mod routes;
pub mod server;
pub mod settings;
pub mod store;

pub use routes::{AppState, app};
pub use server::{run, serve};
pub use settings::Settings;
