//! The live directory: the in-memory [`Directory`] with each program's
//! version, kept equal to the store.
//!
//! A write takes the writer lock (one write at a time in this process),
//! validates the program, commits it to the store (which checks the
//! version), and only then applies it to the directory under its write lock
//! (held for the one program compiled, not for the commit). A replica polls
//! the store's change sequence and applies what other replicas wrote.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use carematch::{Date, Directory, Program, ValidationReport};

use crate::store::{Condition, Record, Store, StoreError};

/// The directory and the version of every program it has held.
#[derive(Debug)]
pub struct Live {
    /// The compiled directory rankings read.
    pub directory: Directory,
    /// Each program's version, deleted programs' included.
    pub versions: HashMap<String, u64>,
    /// The store's change number this directory has read up to (replicas).
    pub seq: u64,
}

/// The outcome of a write.
#[derive(Debug)]
pub enum WriteError {
    /// The program fails validation (nothing written).
    Invalid(carematch::Error),
    /// The store refused or failed the write (nothing applied).
    Store(StoreError),
}

/// A write that was committed and applied.
#[derive(Debug)]
pub struct Written {
    /// The record the store wrote.
    pub record: Record,
    /// Whether the program was new (a create).
    pub created: bool,
    /// The program's validation warnings.
    pub warnings: ValidationReport,
}

/// The live directory, its store and the writer lock.
pub struct Shared {
    live: RwLock<Live>,
    writer: Mutex<()>,
    store: Box<dyn Store>,
    as_of: Date,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("store", &self.store.kind())
            .field("as_of", &self.as_of)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// Live state over `live`, kept in `store`.
    pub fn new(live: Live, store: Box<dyn Store>, as_of: Date) -> Shared {
        Shared {
            live: RwLock::new(live),
            writer: Mutex::new(()),
            store,
            as_of,
        }
    }

    /// The directory and versions, for reading. A panic under the write
    /// lock cannot leave the directory half updated (each update is all or
    /// nothing), so a poisoned lock is usable.
    pub fn read(&self) -> RwLockReadGuard<'_, Live> {
        self.live.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_live(&self) -> RwLockWriteGuard<'_, Live> {
        self.live.write().unwrap_or_else(|e| e.into_inner())
    }

    fn writer(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The date programs are validated against.
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// Creates or replaces `program` when `condition` holds: committed to
    /// the store, then applied.
    ///
    /// # Errors
    ///
    /// [`WriteError::Invalid`] when it fails validation, [`WriteError::Store`]
    /// when the store refuses (a stale version) or fails.
    pub fn put(&self, program: Program, condition: Condition) -> Result<Written, WriteError> {
        let _writer = self.writer();
        self.put_locked(program, condition)
    }

    /// As [`Shared::put`], the program made from the stored one by `change`
    /// (for `PATCH`), read under the same writer lock.
    ///
    /// # Errors
    ///
    /// As [`Shared::put`]; [`WriteError::Store`] with
    /// [`StoreError::NotFound`] when there is no such program.
    pub fn patch(
        &self,
        id: &str,
        condition: Condition,
        change: impl FnOnce(&mut Program),
    ) -> Result<Written, WriteError> {
        let _writer = self.writer();
        let mut program = self
            .read()
            .directory
            .get(id)
            .ok_or(WriteError::Store(StoreError::NotFound))?;
        change(&mut program);
        self.put_locked(program, condition)
    }

    fn put_locked(&self, program: Program, condition: Condition) -> Result<Written, WriteError> {
        let warnings = program
            .validate(self.as_of)
            .into_result()
            .map_err(WriteError::Invalid)?;
        let json = serde_json::to_string(&program)
            .map_err(|e| WriteError::Store(StoreError::Backend(e.to_string())))?;
        let id = program.id.as_str().to_owned();
        let record = self
            .store
            .put(&id, &json, condition)
            .map_err(WriteError::Store)?;
        let mut live = self.write_live();
        let created = !live.directory.contains(&id);
        if let Err(e) = live.directory.upsert(program) {
            // Validated above, so this does not happen; the store holds it
            // and a restart will report it.
            tracing::error!(program_id = %id, error = %e.kind().key(), "a committed program did not apply");
        }
        live.versions.insert(id, record.version);
        Ok(Written {
            record,
            created,
            warnings,
        })
    }

    /// Deletes the program `id` when `condition` holds.
    ///
    /// # Errors
    ///
    /// [`WriteError::Store`]: not found, stale, or the store failed.
    pub fn delete(&self, id: &str, condition: Condition) -> Result<Record, WriteError> {
        let _writer = self.writer();
        let record = self
            .store
            .delete(id, condition)
            .map_err(WriteError::Store)?;
        let mut live = self.write_live();
        let _ = live.directory.remove(id);
        live.versions.insert(id.to_owned(), record.version);
        Ok(record)
    }

    /// Applies what the store holds beyond what this directory has read
    /// (the writes of other replicas); how many programs changed.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when the store cannot be read.
    pub fn catch_up(&self) -> Result<usize, StoreError> {
        let _writer = self.writer();
        let since = self.read().seq;
        let changes = self.store.changes_since(since)?;
        let Some(last) = changes.last().map(|r| r.seq) else {
            return Ok(0);
        };
        let mut applied = 0;
        let mut live = self.write_live();
        for record in changes {
            if live
                .versions
                .get(&record.id)
                .is_some_and(|v| *v >= record.version)
            {
                continue;
            }
            match &record.program {
                Some(json) => match serde_json::from_str::<Program>(json) {
                    Ok(program) => {
                        if let Err(e) = live.directory.upsert(program) {
                            tracing::error!(program_id = %record.id, error = %e.kind().key(), "a stored program does not apply");
                            continue;
                        }
                    }
                    Err(e) => {
                        tracing::error!(program_id = %record.id, line = e.line(), "a stored program does not read");
                        continue;
                    }
                },
                None => {
                    let _ = live.directory.remove(&record.id);
                }
            }
            live.versions.insert(record.id, record.version);
            applied += 1;
        }
        live.seq = live.seq.max(last);
        Ok(applied)
    }
}
