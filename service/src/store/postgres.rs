//! The Postgres store (the `postgres` feature), for several replicas over
//! one database. Same tables and rules as SQLite: each write takes the
//! change counter's row lock first (`UPDATE meta ... RETURNING`), so writes
//! from every replica commit one at a time in change-number order, and a
//! replica reading `seq > n` never skips a write that commits later with a
//! smaller number. Each replica polls [`Store::changes_since`].

use std::sync::{Mutex, MutexGuard};

use postgres::{Client, NoTls};

use super::{Condition, Record, Snapshot, Store, StoreError};

/// A Postgres database holding the directory.
pub struct PostgresStore {
    client: Mutex<Client>,
    url: String,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: never printed.
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS carematch_programs (
    id TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    program TEXT
);
CREATE INDEX IF NOT EXISTS carematch_programs_by_seq ON carematch_programs (seq);
CREATE TABLE IF NOT EXISTS carematch_meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO carematch_meta (key, value) VALUES ('seq', 0) ON CONFLICT (key) DO NOTHING;
";

fn backend(e: postgres::Error) -> StoreError {
    // The error's text, without the connection string.
    StoreError::Backend(e.to_string())
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl PostgresStore {
    /// Connects to `url` and creates the tables when absent.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when the database cannot be reached.
    pub fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let mut client = Client::connect(url, NoTls).map_err(backend)?;
        // Two replicas starting at once both run the schema: serialize it.
        let mut tx = client.transaction().map_err(backend)?;
        tx.execute("SELECT pg_advisory_xact_lock(7263)", &[])
            .map_err(backend)?;
        tx.batch_execute(SCHEMA).map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(PostgresStore {
            client: Mutex::new(client),
            url: url.to_owned(),
        })
    }

    /// The connection, opened again when the last one broke.
    fn client(&self) -> Result<MutexGuard<'_, Client>, StoreError> {
        let mut c = self.client.lock().unwrap_or_else(|e| e.into_inner());
        if c.is_closed() {
            *c = Client::connect(&self.url, NoTls).map_err(backend)?;
        }
        Ok(c)
    }

    fn write(
        &self,
        id: &str,
        json: Option<&str>,
        condition: Condition,
    ) -> Result<Record, StoreError> {
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(backend)?;
        let seq: i64 = tx
            .query_one(
                "UPDATE carematch_meta SET value = value + 1 WHERE key = 'seq' RETURNING value",
                &[],
            )
            .map_err(backend)?
            .get(0);
        let row = tx
            .query_opt(
                "SELECT version, program IS NOT NULL FROM carematch_programs WHERE id = $1",
                &[&id],
            )
            .map_err(backend)?
            .map(|r| (r.get::<_, i64>(0), r.get::<_, bool>(1)));
        let current = row.filter(|(_, live)| *live).map(|(v, _)| to_u64(v));
        if !condition.holds(current) {
            return Err(StoreError::Stale { current });
        }
        if json.is_none() && current.is_none() {
            return Err(StoreError::NotFound);
        }
        let version = row.map_or(0, |(v, _)| to_u64(v)) + 1;
        tx.execute(
            "INSERT INTO carematch_programs (id, version, seq, program) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version, seq = excluded.seq,
             program = excluded.program",
            &[&id, &to_i64(version), &seq, &json],
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

    fn records(&self, sql: &str, seq: i64) -> Result<Vec<Record>, StoreError> {
        let rows = self.client()?.query(sql, &[&seq]).map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| Record {
                id: r.get(0),
                version: to_u64(r.get(1)),
                seq: to_u64(r.get(2)),
                program: r.get(3),
            })
            .collect())
    }
}

impl Store for PostgresStore {
    fn load(&self) -> Result<Snapshot, StoreError> {
        // One snapshot for the rows and the counter.
        let mut client = self.client()?;
        let mut tx = client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .start()
            .map_err(backend)?;
        let seq: i64 = tx
            .query_one("SELECT value FROM carematch_meta WHERE key = 'seq'", &[])
            .map_err(backend)?
            .get(0);
        let as_of: Option<i64> = tx
            .query_opt("SELECT value FROM carematch_meta WHERE key = 'as_of'", &[])
            .map_err(backend)?
            .map(|r| r.get(0));
        let rows = tx
            .query(
                "SELECT id, version, seq, program FROM carematch_programs ORDER BY id",
                &[],
            )
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
        let mut snapshot = Snapshot {
            seq: to_u64(seq),
            as_of: as_of.and_then(|d| i32::try_from(d).ok()),
            ..Snapshot::default()
        };
        for r in rows {
            let record = Record {
                id: r.get(0),
                version: to_u64(r.get(1)),
                seq: to_u64(r.get(2)),
                program: r.get(3),
            };
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
            .client()?
            .query_one("SELECT count(*) FROM carematch_programs", &[])
            .map_err(backend)?
            .get(0);
        Ok(n == 0)
    }

    fn import(&self, programs: &[(String, String)], as_of: Option<i32>) -> Result<(), StoreError> {
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(backend)?;
        let seq: i64 = tx
            .query_one(
                "UPDATE carematch_meta SET value = value + 1 WHERE key = 'seq' RETURNING value",
                &[],
            )
            .map_err(backend)?
            .get(0);
        // Another replica may have imported first (both started on a new
        // database): then this one loads what is there.
        let n: i64 = tx
            .query_one("SELECT count(*) FROM carematch_programs", &[])
            .map_err(backend)?
            .get(0);
        if n > 0 {
            return Err(StoreError::Backend(
                "another replica imported the directory first; start again to load it".to_owned(),
            ));
        }
        let insert = tx
            .prepare(
                "INSERT INTO carematch_programs (id, version, seq, program) VALUES ($1, 1, $2, $3)",
            )
            .map_err(backend)?;
        for (id, json) in programs {
            tx.execute(&insert, &[id, &seq, json]).map_err(backend)?;
        }
        if let Some(days) = as_of {
            tx.execute(
                "INSERT INTO carematch_meta (key, value) VALUES ('as_of', $1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&i64::from(days)],
            )
            .map_err(backend)?;
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
        self.records(
            "SELECT id, version, seq, program FROM carematch_programs WHERE seq > $1 ORDER BY seq, id",
            to_i64(seq),
        )
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.client()?
            .simple_query("SELECT 1")
            .map(|_| ())
            .map_err(backend)
    }

    fn flush(&self) -> Result<(), StoreError> {
        // Every write was committed (and made durable by Postgres) before
        // it was acknowledged: nothing to flush.
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "postgres"
    }
}
