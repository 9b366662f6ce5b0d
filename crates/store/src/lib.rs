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

/// One unit of work for the writer.
pub enum WriteOp {
    /// Insert or replace a session's document.
    PutSession { id: String, data: String },
    /// Delete a session and all its events.
    DeleteSession { id: String },
    /// Append events of one session (their sequences are contiguous and new).
    Events {
        session_id: String,
        events: Vec<Arc<StoredEvent>>,
        listener: Arc<dyn CommitListener>,
    },
    /// Answered once everything queued before it is committed.
    Barrier(tokio::sync::oneshot::Sender<()>),
}

/// A storage backend.
pub trait Store: Send + Sync + 'static {
    /// Queue a write. Waits while the writer's queue is full (backpressure on the producer).
    fn submit(&self, op: WriteOp) -> impl std::future::Future<Output = Result<()>> + Send;
    /// Every stored session.
    fn load_sessions(&self) -> Result<Vec<SessionRow>>;
    /// Events of `session_id` with `sequence > after`, ascending, at most `limit`.
    fn read_events(&self, session_id: &str, after: u64, limit: usize) -> Result<Vec<StoredEvent>>;
}
