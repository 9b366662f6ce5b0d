//! The sinks tailing each session, for backends that deliver commits in process (the embedded
//! ones on their writer thread, a shared log's from its consumer).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use crate::{CommitSink, StoredEvent};

struct Entry {
    id: u64,
    /// The last sequence this sink was told of: what a backlog read already delivered is
    /// never delivered again.
    delivered: u64,
    sink: Arc<dyn CommitSink>,
    /// Live commits held back while the backlog is read (see [`Tails::register_buffered`]).
    buffer: Option<Vec<Arc<StoredEvent>>>,
}

#[derive(Default)]
struct Registry {
    next_id: u64,
    sessions: HashMap<String, Vec<Entry>>,
}

#[derive(Default, Clone)]
pub struct Tails(Arc<Mutex<Registry>>);

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
        registry.sessions.entry(session_id.to_string()).or_default().push(Entry { id, delivered, sink, buffer: None });
        Tail { registry: Arc::downgrade(&self.0), session_id: session_id.to_string(), id }
    }

    /// Register a sink that wants everything after `after`, for a backend whose backlog is read
    /// while commits go on: live commits are held until [`Tails::backfill`] hands the backlog
    /// over, so the sink hears backlog then live, in order, each once, however they interleave.
    pub fn register_buffered(&self, session_id: &str, after: u64, sink: Arc<dyn CommitSink>) -> Tail {
        let tail = self.register(session_id, after, sink);
        if let Some(entry) = self.0.lock().unwrap().entry(&tail) {
            entry.buffer = Some(Vec::new());
        }
        tail
    }

    /// The backlog of a buffered tail was read (all committed events after its `after`, in
    /// order): deliver it, then what was held back, and go live.
    pub fn backfill(&self, tail: &Tail, backlog: &[Arc<StoredEvent>]) {
        let mut registry = self.0.lock().unwrap();
        let Some(entry) = registry.entry(tail) else { return };
        let held = entry.buffer.take().unwrap_or_default();
        for events in [backlog, &held[..]] {
            let start = events.partition_point(|e| e.sequence <= entry.delivered);
            if start < events.len() {
                entry.sink.committed(&events[start..]);
                entry.delivered = events[events.len() - 1].sequence;
            }
        }
    }

    /// Hand committed events (ascending) to the session's sinks, each only what it has not had.
    pub fn deliver(&self, session_id: &str, events: &[Arc<StoredEvent>]) {
        let Some(last) = events.last() else { return };
        let mut registry = self.0.lock().unwrap();
        let Some(entries) = registry.sessions.get_mut(session_id) else { return };
        for entry in entries {
            if let Some(buffer) = &mut entry.buffer {
                buffer.extend(events.iter().cloned());
                continue;
            }
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

impl Registry {
    fn entry(&mut self, tail: &Tail) -> Option<&mut Entry> {
        self.sessions.get_mut(&tail.session_id)?.iter_mut().find(|e| e.id == tail.id)
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
