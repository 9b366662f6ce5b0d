//! The session layer: [`SessionManager`] (create, find, list, delete, reload after a restart) and
//! one actor task per session that owns everything about it — its sequence numbers, turns,
//! pending questions and permissions, its agent, and what it records.
//!
//! Nothing here knows about HTTP: callers get [`SessionError`]s, which the server maps to problem
//! details at its edge. Only this layer assigns event sequences.

mod actor;
mod coder;
mod create;
mod error;
mod feed;
mod handle;
mod items;
mod manager;
mod replica;
mod state;

pub use actor::{Command, Limits, Prep, Reply};
pub use coder::manage::LeaveGuard;
pub use coder::tokens::now_ms;
pub use error::SessionError;
pub use feed::{Catchup, EventFeed};
pub use handle::{SessionHandle, Shared};
pub use manager::SessionManager;
pub use state::{validate_session_id, SessionRecord, SessionSettings, SessionState};

pub type Result<T, E = SessionError> = std::result::Result<T, E>;

/// RFC 3339 with milliseconds: the time format of events and session documents.
pub fn now() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}
