//! Durable sessions and events, behind one [`Store`] trait shaped like a distributed log.
//!
//! - Events are appended per session with the sequence the appender believes is last
//!   ([`Append::expected_last_seq`]); a backend refuses an append that does not follow what it
//!   holds ([`StoreError::Conflict`]), so two writers can never both store seq 42.
//! - Appends are pipelined: [`Store::append`] returns once the append is queued (waiting only
//!   for room, which is the backpressure on a fast agent) and hands back a [`Receipt`] that says
//!   later whether it was stored.
//! - Events become visible only through a [`Store::tail`]: a sink registered for a session is
//!   told of every committed event after a sequence, in order, once. The embedded backends
//!   implement it in process; a shared log (JetStream) implements it with a consumer, and a
//!   second node learns of a commit the same way.
//! - Session documents are replaced with compare-and-set on a revision ([`Expect`]).
//! - Sessions are listed by the backend ([`Store::list_sessions`]) from the small
//!   [`SessionIndex`] written with each [`Document`]: the store stays ignorant of the
//!   document's format, and a page among thousands of sessions never loads them all.
//!   [`SessionQuery::matches`] is what a query means; every backend must agree with it.
//!
//! [`SqliteStore`] is the embedded default, [`MemoryStore`] the ephemeral one; both pass
//! [`conformance`], the suite any backend must pass.

pub mod conformance;
mod event;
mod memory;
mod receipt;
mod sqlite;
mod tails;

pub use event::StoredEvent;
pub use memory::MemoryStore;
pub use receipt::{Promise, Receipt};
pub use sqlite::SqliteStore;
pub use tails::{Tail, Tails};

use std::path::PathBuf;
use std::sync::Arc;

use futures_util::future::BoxFuture;

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The append does not follow the last sequence the store holds for the session.
    #[error("session {session_id}: expected last sequence {expected}, the store has {actual}")]
    Conflict { session_id: String, expected: u64, actual: u64 },
    /// The session document is not at the expected revision (`None`: absent).
    #[error("session {session_id}: expected revision {expected:?}, the store has {actual:?}")]
    RevisionConflict { session_id: String, expected: Option<u64>, actual: Option<u64> },
    /// Events for a session that was never stored (and no document came with them).
    #[error("no stored session {0}")]
    NotFound(String),
    /// The backend failed (disk, database, network). The text is for logs, not for clients.
    #[error("{backend}: {message}")]
    Backend { backend: &'static str, message: String },
    /// Another node holds the session (a shared backend's lease): this one may not write it.
    #[error("session {session_id} is held by node {holder}")]
    Fenced { session_id: String, holder: String },
    #[error("the store has stopped")]
    Closed,
}

impl StoreError {
    pub fn backend(backend: &'static str, err: impl std::fmt::Display) -> Self {
        StoreError::Backend { backend, message: err.to_string() }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A session as persisted: its id, an opaque JSON document owned by the session layer, the
/// document's revision (1 when first stored, +1 per replacement) and the highest event
/// sequence stored for it (0 when it has none).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub id: String,
    pub data: String,
    pub revision: u64,
    pub last_sequence: u64,
    /// The last event the document reflects. A backend that stores a document and its events
    /// at once says `last_sequence`; one that cannot (JetStream: a stream and a bucket) may say
    /// less after a writer died between the two, and the events after it are what the document
    /// does not know of yet.
    pub document_sequence: u64,
}

/// Events of one session, to be stored after `expected_last_seq`.
pub struct Append {
    pub session_id: String,
    /// The last sequence the appender believes is stored (0 for none). Sequences of `events`
    /// ascend from above it; gaps are allowed (a batch given up burns its sequences).
    pub expected_last_seq: u64,
    pub events: Vec<Arc<StoredEvent>>,
    /// The session document, replaced in the same transaction when set — so the document
    /// never refers to events that are not stored, nor the reverse.
    pub document: Option<Document>,
}

/// A session document as written: the opaque JSON owned by the session layer, and the few
/// fields of it that sessions are listed by ([`Store::list_sessions`]). The store never reads
/// `data`; it indexes `index`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub data: String,
    pub index: SessionIndex,
}

/// A document with an empty index (tests, and documents nobody lists by).
impl From<&str> for Document {
    fn from(data: &str) -> Self {
        Document { data: data.to_string(), index: SessionIndex::default() }
    }
}

impl Document {
    pub fn new(data: impl Into<String>, index: SessionIndex) -> Self {
        Document { data: data.into(), index }
    }
}

/// What sessions are filtered by when listed (serializable for backends that keep it as a
/// value beside the document).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SessionIndex {
    pub status: String,
    pub agent: String,
    pub label: Option<String>,
    /// Lowercase text that `search` matches as a substring (label and task).
    pub search: String,
    pub tags: Vec<String>,
    pub archived: bool,
}

/// Which sessions to list: every given condition must hold (each tag of `tags`).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionQuery {
    pub tags: Vec<String>,
    /// Exactly this label.
    pub label: Option<String>,
    pub status: Option<String>,
    pub agent: Option<String>,
    /// A substring of [`SessionIndex::search`] (compared lowercase).
    pub search: Option<String>,
    pub include_archived: bool,
    pub limit: usize,
    pub offset: usize,
}

impl Default for SessionQuery {
    fn default() -> Self {
        SessionQuery {
            tags: Vec::new(),
            label: None,
            status: None,
            agent: None,
            search: None,
            include_archived: false,
            limit: 50,
            offset: 0,
        }
    }
}

impl SessionQuery {
    /// Whether a session with `index` is listed (the reference reading, used by the memory backend).
    pub fn matches(&self, index: &SessionIndex) -> bool {
        (self.include_archived || !index.archived)
            && self.tags.iter().all(|t| index.tags.contains(t))
            && self.label.as_ref().is_none_or(|l| index.label.as_ref() == Some(l))
            && self.status.as_ref().is_none_or(|s| &index.status == s)
            && self.agent.as_ref().is_none_or(|a| &index.agent == a)
            && self.search.as_ref().is_none_or(|q| index.search.contains(&q.to_lowercase()))
    }
}

/// One page of listed sessions: their ids, newest first (by when first stored), and how many
/// match in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionPage {
    pub ids: Vec<String>,
    pub total: u64,
}

/// The condition on a session document's revision for a write to happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Whatever is there (or nothing).
    Any,
    /// No document yet: creating.
    Absent,
    /// Exactly this revision.
    Revision(u64),
}

/// Told of committed events, in commit order (see [`Store::tail`]). Called on the backend's
/// delivery thread: keep it short and never block.
pub trait CommitSink: Send + Sync {
    fn committed(&self, events: &[Arc<StoredEvent>]);
}

/// A storage backend (object safe: the session layer holds an `Arc<dyn Store>`). Writes are
/// applied in the order they were made; each is atomic.
pub trait Store: Send + Sync + 'static {
    /// Queue an append. Fails only when the store has stopped; the receipt says whether it was
    /// stored or refused ([`StoreError::Conflict`]).
    fn append(&self, append: Append) -> BoxFuture<'_, Result<Receipt>>;
    /// Insert or replace a session document if `expect` holds; the receipt has the new revision.
    fn put_session(&self, id: String, document: Document, expect: Expect) -> BoxFuture<'_, Result<Receipt<u64>>>;
    /// Delete a session with all its events; its tails end.
    fn delete_session(&self, id: String) -> BoxFuture<'_, Result<Receipt>>;
    /// Tell `sink` of every event of `session_id` with `sequence > after`: those already
    /// committed first, then each commit as it happens, in order, each once. Ends when the
    /// [`Tail`] is dropped or the session deleted.
    fn tail(&self, session_id: String, after: u64, sink: Arc<dyn CommitSink>) -> BoxFuture<'_, Result<Tail>>;
    /// Wait until every write made before this call is committed and delivered.
    fn barrier(&self) -> BoxFuture<'_, Result<()>>;
    /// Every stored session, in the order they were first stored.
    fn load_sessions(&self) -> BoxFuture<'_, Result<Vec<SessionRow>>>;
    /// The sessions matching `query`, newest first, as of the last commit; done by the backend
    /// (an index), not by loading every document.
    fn list_sessions(&self, query: SessionQuery) -> BoxFuture<'_, Result<SessionPage>>;
    /// Events of `session_id` with `sequence > after`, ascending, at most `limit`.
    fn read_events(&self, session_id: String, after: u64, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>>>;
    /// Keep `bytes` as the session's artifact `name`, replacing one of that name: files that must
    /// outlive the disk of the node that made them (checked contract reports). The session must
    /// be stored; its artifacts are deleted with it.
    fn put_artifact(&self, session_id: String, name: String, bytes: Vec<u8>) -> BoxFuture<'_, Result<Receipt>>;
    /// A stored artifact's bytes (`None`: no such artifact).
    fn read_artifact(&self, session_id: String, name: String) -> BoxFuture<'_, Result<Option<Vec<u8>>>>;
    /// One stored session (a node taking a session over reads only that one).
    fn load_session(&self, session_id: String) -> BoxFuture<'_, Result<Option<SessionRow>>> {
        Box::pin(async move { Ok(self.load_sessions().await?.into_iter().find(|r| r.id == session_id)) })
    }
}

/// Which backend a daemon uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// One SQLite file (created if missing).
    Sqlite { path: PathBuf },
    /// Nothing survives the process: for tests and throwaway daemons.
    Memory,
}

impl StoreConfig {
    pub fn backend(&self) -> &'static str {
        match self {
            StoreConfig::Sqlite { .. } => "sqlite",
            StoreConfig::Memory => "memory",
        }
    }
}

/// Open the configured backend.
pub fn open(config: &StoreConfig) -> Result<Arc<dyn Store>> {
    Ok(match config {
        StoreConfig::Sqlite { path } => Arc::new(SqliteStore::open(path)?),
        StoreConfig::Memory => Arc::new(MemoryStore::new()),
    })
}

/// Whether `append` follows `last`, the last sequence stored for its session: the check every
/// backend makes before storing anything of it.
pub fn check_chain(append: &Append, last: u64) -> Result<()> {
    let conflict = || StoreError::Conflict {
        session_id: append.session_id.clone(),
        expected: append.expected_last_seq,
        actual: last,
    };
    if append.expected_last_seq != last {
        return Err(conflict());
    }
    let mut prev = last;
    for ev in &append.events {
        if ev.sequence <= prev {
            return Err(conflict());
        }
        prev = ev.sequence;
    }
    Ok(())
}

/// Whether a document at `actual` may be written under `expect`; the revision it gets.
pub fn check_revision(session_id: &str, expect: Expect, actual: Option<u64>) -> Result<u64> {
    let ok = match expect {
        Expect::Any => true,
        Expect::Absent => actual.is_none(),
        Expect::Revision(r) => actual == Some(r),
    };
    if !ok {
        let expected = match expect {
            Expect::Revision(r) => Some(r),
            _ => None,
        };
        return Err(StoreError::RevisionConflict { session_id: session_id.to_string(), expected, actual });
    }
    Ok(actual.map_or(1, |r| r + 1))
}
