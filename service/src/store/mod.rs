//! Where the live directory is kept: every program as its JSON with a
//! version, and a change sequence that replicas read to converge.
//!
//! A write is one transaction: the version check (`If-Match`), the new
//! version and the next change number, committed before the service
//! acknowledges it or applies it to the in-memory directory. A deleted
//! program stays as a tombstone (no JSON) so that replicas see the deletion
//! and a program created again later continues its versions.
//!
//! Two stores implement [`Store`]: [`sqlite::SqliteStore`] (the default, one
//! process; WAL mode, `synchronous=FULL`) and, with the `postgres` feature,
//! `postgres::PostgresStore` (several replicas, each polling the change
//! sequence).

pub mod sqlite;

#[cfg(feature = "postgres")]
pub mod postgres;

use std::fmt;

/// One program's row: its id, version, the change number that last wrote
/// it, and its JSON (`None` once deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The program's id.
    pub id: String,
    /// Its version: 1 when first written, one more at each write.
    pub version: u64,
    /// The change number of the write that made this version.
    pub seq: u64,
    /// The program's JSON; `None` for a deleted program.
    pub program: Option<String>,
}

/// What a write requires of the stored program (from `If-Match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Nothing: create or overwrite.
    Any,
    /// The program exists (`If-Match: *`).
    Exists,
    /// The program exists at this version (`If-Match: "7"`).
    Version(u64),
}

impl Condition {
    /// Whether a program at `current` (its version when it exists) meets it.
    pub fn holds(self, current: Option<u64>) -> bool {
        match self {
            Condition::Any => true,
            Condition::Exists => current.is_some(),
            Condition::Version(v) => current == Some(v),
        }
    }
}

/// Why a store refused or failed a call.
#[derive(Debug)]
pub enum StoreError {
    /// The write's condition does not hold: the program is at `current`
    /// (`None`: absent).
    Stale {
        /// The stored version, when the program exists.
        current: Option<u64>,
    },
    /// No such program (a delete of an absent one).
    NotFound,
    /// The store itself failed (I/O, connection, corruption): the write
    /// was not made.
    Backend(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Stale { current: Some(v) } => write!(f, "the program is at version {v}"),
            StoreError::Stale { current: None } => f.write_str("the program does not exist"),
            StoreError::NotFound => f.write_str("no such program"),
            StoreError::Backend(e) => write!(f, "store: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Every live program and the last change number, as start-up reads them.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The programs (not the tombstones), in id order.
    pub records: Vec<Record>,
    /// The versions of deleted programs, by id.
    pub tombstones: Vec<(String, u64)>,
    /// The last change number written.
    pub seq: u64,
    /// The date (days since 1970-01-01) the directory was pinned to at
    /// import, when it was (the embedded sample, or an explicit `--as-of`):
    /// every replica and every restart judges freshness against it.
    pub as_of: Option<i32>,
}

/// A durable, versioned store of programs. Calls block (the service makes
/// them on its blocking threads); writes are serialized by the store.
pub trait Store: Send + Sync + 'static {
    /// Every program, with versions, and the last change number.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when the store cannot be read.
    fn load(&self) -> Result<Snapshot, StoreError>;

    /// Whether the store holds no program and no tombstone (a new store).
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when the store cannot be read.
    fn is_new(&self) -> Result<bool, StoreError>;

    /// Writes `programs` (id, JSON) into a new store in one transaction, each
    /// at version 1, with the date the directory is pinned to, if any
    /// (days since 1970-01-01; see [`Snapshot::as_of`]).
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when the write fails (nothing is written).
    fn import(&self, programs: &[(String, String)], as_of: Option<i32>) -> Result<(), StoreError>;

    /// Creates or replaces the program `id` with `json` when `condition`
    /// holds; the record written.
    ///
    /// # Errors
    ///
    /// [`StoreError::Stale`] when the condition does not hold,
    /// [`StoreError::Backend`] when the write fails.
    fn put(&self, id: &str, json: &str, condition: Condition) -> Result<Record, StoreError>;

    /// Deletes the program `id` when `condition` holds; its tombstone.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an absent program (with no condition),
    /// [`StoreError::Stale`] when the condition does not hold,
    /// [`StoreError::Backend`] when the write fails.
    fn delete(&self, id: &str, condition: Condition) -> Result<Record, StoreError>;

    /// The writes after change number `seq`, in order (tombstones included).
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when the store cannot be read.
    fn changes_since(&self, seq: u64) -> Result<Vec<Record>, StoreError>;

    /// Whether the store answers (for `/ready`).
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when it does not.
    fn ping(&self) -> Result<(), StoreError>;

    /// Makes everything written durable in the store's main file (SQLite:
    /// a WAL checkpoint); called at shutdown.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when it fails.
    fn flush(&self) -> Result<(), StoreError>;

    /// A short name for logs and `/ready` (`sqlite`, `postgres`).
    fn kind(&self) -> &'static str;
}

/// Opens the store `spec` names: a `postgres://` or `postgresql://` URL
/// (with the `postgres` feature), `:memory:`, or a SQLite file path.
///
/// # Errors
///
/// [`StoreError::Backend`] when it cannot be opened, or names Postgres in a
/// build without the feature.
pub fn open(spec: &str) -> Result<Box<dyn Store>, StoreError> {
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        #[cfg(feature = "postgres")]
        {
            return Ok(Box::new(postgres::PostgresStore::open(spec)?));
        }
        #[cfg(not(feature = "postgres"))]
        {
            return Err(StoreError::Backend(
                "a Postgres store needs the service built with `--features postgres`".to_owned(),
            ));
        }
    }
    Ok(Box::new(sqlite::SqliteStore::open(spec)?))
}
