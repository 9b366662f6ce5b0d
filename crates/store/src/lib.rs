//! Durable sessions and events.
//!
//! One writer thread owns the write connection and commits whatever has queued up in one
//! transaction (group commit: no timer, so a lone event is committed at once and a burst is
//! batched). Only after the commit does it hand the events to their [`CommitListener`], which
//! is what makes them visible to clients: an event is durable before anyone can see it.
//!
//! [`Store`] is the seam for other backends (Postgres, NATS JetStream); [`SqliteStore`] is the
//! embedded default.

mod event;
mod sqlite;

pub use event::StoredEvent;
pub use sqlite::SqliteStore;

use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("the store writer has stopped")]
    WriterGone,
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A session as persisted: its id, an opaque JSON document owned by the server, and the
/// highest event sequence stored for it (0 when it has none).
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: String,
    pub data: String,
    pub last_sequence: u64,
}

/// Told about events once they are committed, in commit order.
pub trait CommitListener: Send + Sync {
    fn committed(&self, events: &[Arc<StoredEvent>]);
}

/// One unit of work for the writer. Each op is applied atomically (in one transaction).
pub enum WriteOp {
    /// Insert or replace a session's document.
    PutSession { id: String, data: String },
    /// Delete a session and all its events.
    DeleteSession { id: String },
    /// Append events of one session (contiguous, new sequences) and, in the same
    /// transaction, replace its document when `session` is set — so the document never
    /// refers to events that are not stored, nor the reverse.
    Append {
        session_id: String,
        events: Vec<Arc<StoredEvent>>,
        session: Option<String>,
        listener: Arc<dyn CommitListener>,
    },
    /// Answered once everything queued before it is committed.
    Barrier(tokio::sync::oneshot::Sender<()>),
}

/// The write queue of a backend: producers submit [`WriteOp`]s in order; the backend's
/// writer applies them and tells each op's listener once it is durable.
#[derive(Clone)]
pub struct StoreWriter {
    tx: tokio::sync::mpsc::Sender<WriteOp>,
}

impl StoreWriter {
    /// A queue of `depth` ops and its receiving end, for a backend's writer to drain.
    pub fn channel(depth: usize) -> (Self, tokio::sync::mpsc::Receiver<WriteOp>) {
        let (tx, rx) = tokio::sync::mpsc::channel(depth);
        (StoreWriter { tx }, rx)
    }

    /// Queue a write. Waits while the queue is full (backpressure on the producer).
    pub async fn submit(&self, op: WriteOp) -> Result<()> {
        self.tx.send(op).await.map_err(|_| StoreError::WriterGone)
    }

    /// Wait until everything queued before this call is committed.
    pub async fn barrier(&self) -> Result<()> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.submit(WriteOp::Barrier(tx)).await?;
        rx.await.map_err(|_| StoreError::WriterGone)
    }
}

/// A storage backend (object safe: the server holds an `Arc<dyn Store>`).
pub trait Store: Send + Sync + 'static {
    fn writer(&self) -> &StoreWriter;
    /// Every stored session.
    fn load_sessions(&self) -> Result<Vec<SessionRow>>;
    /// Events of `session_id` with `sequence > after`, ascending, at most `limit`.
    fn read_events(&self, session_id: &str, after: u64, limit: usize) -> Result<Vec<StoredEvent>>;
}
