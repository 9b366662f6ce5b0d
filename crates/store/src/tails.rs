//! The sinks tailing each session, for backends that deliver commits in process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use crate::{CommitSink, StoredEvent};

struct Entry {
    id: u64,
    /// The last sequence this sink was told of: what a backlog read already delivered is
    /// never delivered again.
    delivered: u64,
    sink: Arc<dyn CommitSink>,
}

#[derive(Default)]
struct Registry {
    next_id: u64,
    sessions: HashMap<String, Vec<Entry>>,
}

#[derive(Default, Clone)]
pub(crate) struct Tails(Arc<Mutex<Registry>>);

/// A registered tail; dropping it stops the deliveries.
pub struct Tail {
    registry: Weak<Mutex<Registry>>,
    session_id: String,
    id: u64,
}

impl Tails {
    /// Register a sink already told of everything up to `delivered` (the caller delivered the
    /// backlog, with no commit of the session in between).
    pub fn register(&self, session_id: &str, delivered: u64, sink: Arc<dyn CommitSink>) -> Tail {
        let mut registry = self.0.lock().unwrap();
        registry.next_id += 1;
        let id = registry.next_id;
        registry.sessions.entry(session_id.to_string()).or_default().push(Entry { id, delivered, sink });
        Tail { registry: Arc::downgrade(&self.0), session_id: session_id.to_string(), id }
    }

    /// Hand committed events (ascending) to the session's sinks, each only what it has not had.
    pub fn deliver(&self, session_id: &str, events: &[Arc<StoredEvent>]) {
        let Some(last) = events.last() else { return };
        let mut registry = self.0.lock().unwrap();
        let Some(entries) = registry.sessions.get_mut(session_id) else { return };
        for entry in entries {
            if last.sequence <= entry.delivered {
                continue;
            }
            let start = events.partition_point(|e| e.sequence <= entry.delivered);
            entry.sink.committed(&events[start..]);
            entry.delivered = last.sequence;
        }
    }

    /// The session is gone: its tails end.
    pub fn end(&self, session_id: &str) {
        self.0.lock().unwrap().sessions.remove(session_id);
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        let Some(registry) = self.registry.upgrade() else { return };
        let mut registry = registry.lock().unwrap();
        if let Some(entries) = registry.sessions.get_mut(&self.session_id) {
            entries.retain(|e| e.id != self.id);
            if entries.is_empty() {
                registry.sessions.remove(&self.session_id);
            }
        }
    }
}
