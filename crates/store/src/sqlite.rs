use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bytes::Bytes;
use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::mpsc;

use crate::{Result, SessionRow, Store, StoreWriter, StoredEvent, WriteOp};

/// How many queued ops the writer takes into one transaction at most.
const MAX_BATCH: usize = 4096;
/// Tries per batch before its events are given up (disk full, I/O errors).
const COMMIT_ATTEMPTS: usize = 3;
/// Queue depth (in ops) before producers wait. An op holds at most one actor batch (512
/// events), so this bounds what is waiting for the disk to ~32k events whatever the load:
/// a fast agent is slowed to the disk's pace instead of growing memory.
const QUEUE_DEPTH: usize = 64;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    sid  INTEGER PRIMARY KEY,
    id   TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    sid  INTEGER NOT NULL,
    seq  INTEGER NOT NULL,
    type TEXT NOT NULL,
    json BLOB NOT NULL,
    raw  BLOB,
    UNIQUE (sid, seq)
);
";

/// Embedded SQLite store: one file, WAL, one writer thread, a small pool of readers.
pub struct SqliteStore {
    path: PathBuf,
    writer: StoreWriter,
    readers: Mutex<Vec<Connection>>,
}

fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    // NORMAL in WAL mode: a committed transaction survives the process being killed
    // (not necessarily a power cut), at a fraction of FULL's fsync cost.
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;")?;
    Ok(conn)
}

impl SqliteStore {
    /// Open (or create) the database at `path` and start its writer thread.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let conn = open(&path)?;
        conn.execute_batch(SCHEMA)?;
        let (writer, rx) = StoreWriter::channel(QUEUE_DEPTH);
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || Writer { conn, sids: HashMap::new() }.run(rx))?;
        Ok(SqliteStore { path, writer, readers: Mutex::new(Vec::new()) })
    }

    fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.readers.lock().unwrap().pop();
        let conn = match conn {
            Some(c) => c,
            None => open(&self.path)?,
        };
        let out = f(&conn);
        let mut pool = self.readers.lock().unwrap();
        if pool.len() < 8 {
            pool.push(conn);
        }
        out
    }
}

impl Store for SqliteStore {
    fn writer(&self) -> &StoreWriter {
        &self.writer
    }

    fn load_sessions(&self) -> Result<Vec<SessionRow>> {
        self.with_reader(|conn| {
            let mut stmt = conn.prepare(
                "SELECT s.id, s.data, COALESCE((SELECT MAX(seq) FROM events e WHERE e.sid = s.sid), 0)
                 FROM sessions s ORDER BY s.sid",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(SessionRow { id: r.get(0)?, data: r.get(1)?, last_sequence: r.get::<_, i64>(2)? as u64 })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn read_events(&self, session_id: &str, after: u64, limit: usize) -> Result<Vec<StoredEvent>> {
        self.with_reader(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT seq, type, json, raw FROM events
                 WHERE sid = (SELECT sid FROM sessions WHERE id = ?1) AND seq > ?2
                 ORDER BY seq LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![session_id, after as i64, limit as i64], |r| {
                let event_type: String = r.get(1)?;
                Ok(StoredEvent {
                    sequence: r.get::<_, i64>(0)? as u64,
                    event_type: StoredEvent::static_type(&event_type),
                    json: Bytes::from(r.get::<_, Vec<u8>>(2)?),
                    raw: r.get::<_, Option<Vec<u8>>>(3)?.map(Bytes::from),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

struct Writer {
    conn: Connection,
    /// session id → integer key, so events rows carry a small integer.
    sids: HashMap<String, i64>,
}

impl Writer {
    fn run(mut self, mut rx: mpsc::Receiver<WriteOp>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while rx.blocking_recv_many(&mut batch, MAX_BATCH) > 0 {
            let mut result = self.commit(&batch);
            for attempt in 1..COMMIT_ATTEMPTS {
                let Err(err) = &result else { break };
                tracing::warn!(%err, attempt, "store commit failed; retrying");
                self.sids.clear(); // it may hold keys of the rolled-back transaction
                std::thread::sleep(std::time::Duration::from_millis(100 * attempt as u64));
                result = self.commit(&batch);
            }
            match result {
                Ok(()) => {
                    for op in batch.drain(..) {
                        match op {
                            WriteOp::Append { events, listener, .. } if !events.is_empty() => {
                                listener.committed(&events)
                            }
                            WriteOp::Barrier(done) => {
                                let _ = done.send(());
                            }
                            _ => {}
                        }
                    }
                }
                // These events are lost, and never shown: clients only ever see what is
                // committed. Streams skip the gap (see the server's feed).
                Err(err) => tracing::error!(%err, ops = batch.len(), "store commit failed; batch dropped"),
            }
            batch.clear();
        }
    }

    fn commit(&mut self, batch: &[WriteOp]) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        let sids = &mut self.sids;
        for op in batch {
            match op {
                WriteOp::PutSession { id, data } => put_session(&tx, id, data)?,
                WriteOp::DeleteSession { id } => {
                    if let Some(sid) = sid(&tx, sids, id)? {
                        tx.execute("DELETE FROM events WHERE sid = ?1", [sid])?;
                        tx.execute("DELETE FROM sessions WHERE sid = ?1", [sid])?;
                        sids.remove(id);
                    }
                }
                WriteOp::Append { session_id, events, session, .. } => {
                    if let Some(data) = session {
                        put_session(&tx, session_id, data)?;
                    }
                    let Some(sid) = sid(&tx, sids, session_id)? else {
                        tracing::error!(session_id, "events for a session that was never stored");
                        continue;
                    };
                    let mut insert = tx
                        .prepare_cached("INSERT INTO events (sid, seq, type, json, raw) VALUES (?1, ?2, ?3, ?4, ?5)")?;
                    for ev in events {
                        insert.execute(params![
                            sid,
                            ev.sequence as i64,
                            ev.event_type,
                            &ev.json[..],
                            ev.raw.as_deref()
                        ])?;
                    }
                }
                WriteOp::Barrier(_) => {}
            }
        }
        tx.commit()?;
        Ok(())
    }
}

fn put_session(conn: &Connection, id: &str, data: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sessions (id, data) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
    )?
    .execute(params![id, data])?;
    Ok(())
}

fn sid(conn: &Connection, cache: &mut HashMap<String, i64>, id: &str) -> Result<Option<i64>> {
    if let Some(sid) = cache.get(id) {
        return Ok(Some(*sid));
    }
    let sid = conn.query_row("SELECT sid FROM sessions WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    if let Some(sid) = sid {
        cache.insert(id.to_string(), sid);
    }
    Ok(sid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CommitListener;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    struct Count(AtomicU64);
    impl CommitListener for Count {
        fn committed(&self, events: &[Arc<StoredEvent>]) {
            self.0.fetch_add(events.len() as u64, Ordering::SeqCst);
        }
    }

    fn ev(seq: u64) -> Arc<StoredEvent> {
        Arc::new(StoredEvent {
            sequence: seq,
            event_type: "item.delta",
            json: Bytes::from(format!(r#"{{"sequence":{seq},"raw":null}}"#)),
            raw: seq.is_multiple_of(2).then(|| Bytes::from_static(b"{}")),
        })
    }

    #[tokio::test]
    async fn events_survive_reopen_and_listeners_hear_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let count = Arc::new(Count(AtomicU64::new(0)));
        {
            let store = SqliteStore::open(&path).unwrap();
            store.writer().submit(WriteOp::PutSession { id: "a".into(), data: "{}".into() }).await.unwrap();
            for chunk in (1..=100u64).collect::<Vec<_>>().chunks(7) {
                let events = chunk.iter().map(|s| ev(*s)).collect();
                let op = WriteOp::Append { session_id: "a".into(), events, session: None, listener: count.clone() };
                store.writer().submit(op).await.unwrap();
            }
            store.writer().barrier().await.unwrap();
            assert_eq!(count.0.load(Ordering::SeqCst), 100);
        }
        let store = SqliteStore::open(&path).unwrap();
        let sessions = store.load_sessions().unwrap();
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0].last_sequence, 100);
        let page = store.read_events("a", 10, 5).unwrap();
        assert_eq!(page.iter().map(|e| e.sequence).collect::<Vec<_>>(), vec![11, 12, 13, 14, 15]);
        assert_eq!(page[1].raw.as_deref(), Some(&b"{}"[..]));
        assert!(store.read_events("missing", 0, 5).unwrap().is_empty());
    }

    #[tokio::test]
    async fn delete_removes_session_and_events() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("db.sqlite")).unwrap();
        let count = Arc::new(Count(AtomicU64::new(0)));
        store.writer().submit(WriteOp::PutSession { id: "a".into(), data: "{}".into() }).await.unwrap();
        store
            .writer()
            .submit(WriteOp::Append {
                session_id: "a".into(),
                events: vec![ev(1)],
                session: Some("{}".into()),
                listener: count,
            })
            .await
            .unwrap();
        store.writer().submit(WriteOp::DeleteSession { id: "a".into() }).await.unwrap();
        store.writer().barrier().await.unwrap();
        assert!(store.load_sessions().unwrap().is_empty());
        assert!(store.read_events("a", 0, 10).unwrap().is_empty());
    }
}
