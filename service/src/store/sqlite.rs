//! The SQLite store (rusqlite, the bundled library): WAL mode with
//! `synchronous=FULL`, so a committed write survives the process being
//! killed and the machine losing power; one connection behind a mutex
//! (writes are serialized anyway, and `BEGIN IMMEDIATE` holds out any other
//! process).

use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{Condition, Record, Snapshot, Store, StoreError};

/// A SQLite file (or `:memory:`) holding the directory.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS programs (
    id TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    program TEXT
);
CREATE INDEX IF NOT EXISTS programs_by_seq ON programs (seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('seq', 0);
";

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl SqliteStore {
    /// Opens (creating when absent) the store at `path` (`:memory:` for
    /// one that lasts as long as the process).
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when the file cannot be opened or is not a
    /// carematch store.
    pub fn open(path: &str) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path).map_err(backend)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(backend)?;
        if path != ":memory:" {
            let mode: String = conn
                .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
                .map_err(backend)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Backend(format!(
                    "cannot turn on WAL mode (journal mode {mode})"
                )));
            }
        }
        conn.execute_batch("PRAGMA synchronous=FULL;")
            .map_err(backend)?;
        conn.execute_batch(SCHEMA).map_err(backend)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic under the lock leaves at most an open transaction, which
        // rusqlite rolls back when it is dropped: the connection is usable.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn write(
        &self,
        id: &str,
        json: Option<&str>,
        condition: Condition,
    ) -> Result<Record, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let row: Option<(i64, bool)> = tx
            .query_row(
                "SELECT version, program IS NOT NULL FROM programs WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(backend)?;
        let current = row.filter(|(_, live)| *live).map(|(v, _)| to_u64(v));
        if !condition.holds(current) {
            return Err(StoreError::Stale { current });
        }
        if json.is_none() && current.is_none() {
            return Err(StoreError::NotFound);
        }
        let version = row.map_or(0, |(v, _)| to_u64(v)) + 1;
        let seq: i64 = tx
            .query_row(
                "UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value",
                [],
                |r| r.get(0),
            )
            .map_err(backend)?;
        tx.execute(
            "INSERT INTO programs (id, version, seq, program) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version, seq = excluded.seq,
             program = excluded.program",
            params![id, to_i64(version), seq, json],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(Record {
            id: id.to_owned(),
            version,
            seq: to_u64(seq),
            program: json.map(str::to_owned),
        })
    }
}

impl Store for SqliteStore {
    fn load(&self) -> Result<Snapshot, StoreError> {
        let conn = self.conn();
        let seq: i64 = conn
            .query_row("SELECT value FROM meta WHERE key = 'seq'", [], |r| r.get(0))
            .map_err(backend)?;
        let mut stmt = conn
            .prepare("SELECT id, version, seq, program FROM programs ORDER BY id")
            .map_err(backend)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Record {
                    id: r.get(0)?,
                    version: to_u64(r.get(1)?),
                    seq: to_u64(r.get(2)?),
                    program: r.get(3)?,
                })
            })
            .map_err(backend)?;
        let as_of: Option<i64> = conn
            .query_row("SELECT value FROM meta WHERE key = 'as_of'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(backend)?;
        let mut snapshot = Snapshot {
            seq: to_u64(seq),
            as_of: as_of.and_then(|d| i32::try_from(d).ok()),
            ..Snapshot::default()
        };
        for row in rows {
            let record = row.map_err(backend)?;
            if record.program.is_some() {
                snapshot.records.push(record);
            } else {
                snapshot.tombstones.push((record.id, record.version));
            }
        }
        Ok(snapshot)
    }

    fn is_new(&self) -> Result<bool, StoreError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM programs", [], |r| r.get(0))
            .map_err(backend)?;
        Ok(n == 0)
    }

    fn import(&self, programs: &[(String, String)], as_of: Option<i32>) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        {
            let mut insert = tx
                .prepare("INSERT INTO programs (id, version, seq, program) VALUES (?1, 1, ?2, ?3)")
                .map_err(backend)?;
            let seq: i64 = tx
                .query_row(
                    "UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value",
                    [],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            for (id, json) in programs {
                insert.execute(params![id, seq, json]).map_err(backend)?;
            }
            if let Some(days) = as_of {
                tx.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('as_of', ?1)",
                    [i64::from(days)],
                )
                .map_err(backend)?;
            }
        }
        tx.commit().map_err(backend)
    }

    fn put(&self, id: &str, json: &str, condition: Condition) -> Result<Record, StoreError> {
        self.write(id, Some(json), condition)
    }

    fn delete(&self, id: &str, condition: Condition) -> Result<Record, StoreError> {
        self.write(id, None, condition)
    }

    fn changes_since(&self, seq: u64) -> Result<Vec<Record>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, version, seq, program FROM programs WHERE seq > ?1 ORDER BY seq, id",
            )
            .map_err(backend)?;
        let rows = stmt
            .query_map([to_i64(seq)], |r| {
                Ok(Record {
                    id: r.get(0)?,
                    version: to_u64(r.get(1)?),
                    seq: to_u64(r.get(2)?),
                    program: r.get(3)?,
                })
            })
            .map_err(backend)?;
        rows.collect::<Result<_, _>>().map_err(backend)
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.conn()
            .query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
            .map(|_| ())
            .map_err(backend)
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(backend)
    }

    fn kind(&self) -> &'static str {
        "sqlite"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_conditions_and_tombstones() {
        let s = SqliteStore::open(":memory:").unwrap();
        assert!(s.is_new().unwrap());
        s.import(&[("a".into(), "{}".into())], Some(20_000))
            .unwrap();
        let r = s.put("a", "{\"x\":1}", Condition::Version(1)).unwrap();
        assert_eq!((r.version, r.seq), (2, 2));
        assert!(matches!(
            s.put("a", "{}", Condition::Version(1)),
            Err(StoreError::Stale { current: Some(2) })
        ));
        assert!(matches!(
            s.put("b", "{}", Condition::Exists),
            Err(StoreError::Stale { current: None })
        ));
        let d = s.delete("a", Condition::Any).unwrap();
        assert_eq!((d.version, d.program), (3, None));
        assert!(matches!(
            s.delete("a", Condition::Any),
            Err(StoreError::NotFound)
        ));
        let again = s.put("a", "{}", Condition::Any).unwrap();
        assert_eq!(again.version, 4, "versions continue after a deletion");
        let changes = s.changes_since(2).unwrap();
        assert_eq!(changes.len(), 1, "one row per program, at its last change");
        assert_eq!(changes[0].seq, 4);
        let snap = s.load().unwrap();
        assert_eq!(
            (snap.records.len(), snap.seq, snap.as_of),
            (1, 4, Some(20_000))
        );
    }
}
