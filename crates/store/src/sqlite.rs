//! Embedded SQLite: one file, WAL, one writer thread, a small pool of readers.
//!
//! The writer commits whatever has queued up in one transaction (group commit: no timer, so a
//! lone event is committed at once and a burst is batched), and only then hands the events to
//! the session's tails: an event is durable before anyone can see it.
//!
//! Sessions are listed in SQL ([`listing`]): the fields they are filtered by are columns written
//! with each document, so a page among thousands of sessions never reads a document.

mod listing;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::future::BoxFuture;
use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::{mpsc, oneshot};

use crate::receipt::Promise;
use crate::tails::{Tail, Tails};
use crate::{
    Append, CommitSink, Document, Expect, Receipt, Result, SessionPage, SessionQuery, SessionRow, Store, StoreError,
    StoredEvent,
};

pub(crate) const BACKEND: &str = "sqlite";

/// Queue depth (in ops) before producers wait. An op holds at most one actor batch (512
/// events), so this bounds what is waiting for the disk to ~32k events whatever the load:
/// a fast agent is slowed to the disk's pace instead of growing memory.
const QUEUE_DEPTH: usize = 64;
const READERS: usize = 8;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    sid      INTEGER PRIMARY KEY,
    id       TEXT NOT NULL UNIQUE,
    data     TEXT NOT NULL,
    rev      INTEGER NOT NULL DEFAULT 1,
    status   TEXT,
    agent    TEXT,
    label    TEXT,
    search   TEXT,
    tags     TEXT,
    archived INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS events (
    sid  INTEGER NOT NULL,
    seq  INTEGER NOT NULL,
    type TEXT NOT NULL,
    json BLOB NOT NULL,
    raw  BLOB,
    UNIQUE (sid, seq)
);
CREATE TABLE IF NOT EXISTS artifacts (
    sid  INTEGER NOT NULL,
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (sid, name)
);
";

/// One unit of work for the writer, applied atomically and in queue order.
pub(crate) enum WriteOp {
    Put { id: String, document: Document, expect: Expect, done: Promise<u64> },
    Delete { id: String, done: Promise<()> },
    Artifact { session_id: String, name: String, bytes: Vec<u8>, done: Promise<()> },
    Append { append: Append, done: Promise<()> },
    Tail { session_id: String, after: u64, sink: Arc<dyn CommitSink>, done: oneshot::Sender<Result<Tail>> },
    Barrier(oneshot::Sender<()>),
}

pub struct SqliteStore {
    path: PathBuf,
    queue: mpsc::Sender<WriteOp>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

pub(crate) fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::backend(BACKEND, e)
}

pub(crate) fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(err)?;
    // NORMAL in WAL mode: a committed transaction survives the process being killed
    // (not necessarily a power cut), at a fraction of FULL's fsync cost.
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;").map_err(err)?;
    Ok(conn)
}

/// Databases made before documents had revisions, or before listing, get the columns; all of
/// it in one transaction, so a crash halfway leaves the old schema, not half of the new one.
fn migrate(conn: &Connection) -> Result<()> {
    let tx = conn.unchecked_transaction().map_err(err)?;
    tx.execute_batch(SCHEMA).map_err(err)?;
    let mut missing = Vec::new();
    for (column, decl) in [("rev", "INTEGER NOT NULL DEFAULT 1")].into_iter().chain(listing::COLUMNS.iter().copied()) {
        let has: bool = tx
            .query_row("SELECT COUNT(*) FROM pragma_table_info('sessions') WHERE name = ?1", [column], |r| r.get(0))
            .map_err(err)?;
        if !has {
            // Names and declarations are constants of this backend, never input.
            tx.execute_batch(&format!("ALTER TABLE sessions ADD COLUMN {column} {decl}")).map_err(err)?;
            missing.push(column);
        }
    }
    listing::migrate(&tx)?;
    tx.commit().map_err(err)?;
    if !missing.is_empty() {
        tracing::info!(columns = ?missing, "store: sessions table migrated");
    }
    Ok(())
}

impl SqliteStore {
    /// Open (or create) the database at `path` and start its writer thread.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let conn = connect(&path)?;
        migrate(&conn)?;
        let (queue, rx) = mpsc::channel(QUEUE_DEPTH);
        let writer = writer::Writer::new(conn, Tails::default());
        std::thread::Builder::new().name("store-writer".into()).spawn(move || writer.run(rx)).map_err(err)?;
        Ok(SqliteStore { path, queue, readers: Arc::new(Mutex::new(Vec::new())) })
    }

    async fn submit(&self, op: WriteOp) -> Result<()> {
        self.queue.send(op).await.map_err(|_| StoreError::Closed)
    }

    /// Run a read on a pooled connection, off the async threads.
    async fn read<T: Send + 'static>(&self, f: impl FnOnce(&Connection) -> Result<T> + Send + 'static) -> Result<T> {
        let (path, pool) = (self.path.clone(), self.readers.clone());
        let task = tokio::task::spawn_blocking(move || {
            let conn = pool.lock().unwrap().pop();
            let conn = match conn {
                Some(c) => c,
                None => connect(&path)?,
            };
            let out = f(&conn);
            let mut pool = pool.lock().unwrap();
            if pool.len() < READERS {
                pool.push(conn);
            }
            out
        });
        task.await.map_err(err)?
    }
}

pub(crate) fn read_events(conn: &Connection, session_id: &str, after: u64, limit: usize) -> Result<Vec<StoredEvent>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT seq, type, json, raw FROM events
             WHERE sid = (SELECT sid FROM sessions WHERE id = ?1) AND seq > ?2
             ORDER BY seq LIMIT ?3",
        )
        .map_err(err)?;
    let rows = stmt
        .query_map(params![session_id, after as i64, limit as i64], |r| {
            let event_type: String = r.get(1)?;
            Ok(StoredEvent {
                sequence: r.get::<_, i64>(0)? as u64,
                event_type: StoredEvent::static_type(&event_type),
                json: Bytes::from(r.get::<_, Vec<u8>>(2)?),
                raw: r.get::<_, Option<Vec<u8>>>(3)?.map(Bytes::from),
            })
        })
        .map_err(err)?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
}

impl Store for SqliteStore {
    fn append(&self, append: Append) -> BoxFuture<'_, Result<Receipt>> {
        Box::pin(async move {
            let (done, receipt) = Receipt::pair();
            self.submit(WriteOp::Append { append, done }).await?;
            Ok(receipt)
        })
    }

    fn put_session(&self, id: String, document: Document, expect: Expect) -> BoxFuture<'_, Result<Receipt<u64>>> {
        Box::pin(async move {
            let (done, receipt) = Receipt::pair();
            self.submit(WriteOp::Put { id, document, expect, done }).await?;
            Ok(receipt)
        })
    }

    fn delete_session(&self, id: String) -> BoxFuture<'_, Result<Receipt>> {
        Box::pin(async move {
            let (done, receipt) = Receipt::pair();
            self.submit(WriteOp::Delete { id, done }).await?;
            Ok(receipt)
        })
    }

    fn put_artifact(&self, session_id: String, name: String, bytes: Vec<u8>) -> BoxFuture<'_, Result<Receipt>> {
        Box::pin(async move {
            let (done, receipt) = Receipt::pair();
            self.submit(WriteOp::Artifact { session_id, name, bytes, done }).await?;
            Ok(receipt)
        })
    }

    fn read_artifact(&self, session_id: String, name: String) -> BoxFuture<'_, Result<Option<Vec<u8>>>> {
        Box::pin(self.read(move |conn| {
            conn.query_row(
                "SELECT a.data FROM artifacts a JOIN sessions s ON s.sid = a.sid WHERE s.id = ?1 AND a.name = ?2",
                [&session_id, &name],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)
        }))
    }

    fn tail(&self, session_id: String, after: u64, sink: Arc<dyn CommitSink>) -> BoxFuture<'_, Result<Tail>> {
        Box::pin(async move {
            let (done, rx) = oneshot::channel();
            self.submit(WriteOp::Tail { session_id, after, sink, done }).await?;
            rx.await.map_err(|_| StoreError::Closed)?
        })
    }

    fn barrier(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let (tx, rx) = oneshot::channel();
            self.submit(WriteOp::Barrier(tx)).await?;
            rx.await.map_err(|_| StoreError::Closed)
        })
    }

    fn load_sessions(&self) -> BoxFuture<'_, Result<Vec<SessionRow>>> {
        Box::pin(self.read(|conn| {
            let mut stmt = conn
                .prepare(
                    "SELECT s.id, s.data, s.rev, COALESCE((SELECT MAX(seq) FROM events e WHERE e.sid = s.sid), 0)
                     FROM sessions s ORDER BY s.sid",
                )
                .map_err(err)?;
            let rows = stmt
                .query_map([], |r| {
                    let last_sequence = r.get::<_, i64>(3)? as u64;
                    Ok(SessionRow {
                        id: r.get(0)?,
                        data: r.get(1)?,
                        revision: r.get::<_, i64>(2)? as u64,
                        last_sequence,
                        document_sequence: last_sequence,
                    })
                })
                .map_err(err)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
        }))
    }

    fn list_sessions(&self, query: SessionQuery) -> BoxFuture<'_, Result<SessionPage>> {
        Box::pin(self.read(move |conn| listing::list(conn, &query)))
    }

    fn read_events(&self, session_id: String, after: u64, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>>> {
        Box::pin(self.read(move |conn| read_events(conn, &session_id, after, limit)))
    }
}

#[cfg(test)]
mod tests;
