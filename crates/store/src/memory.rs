//! Everything in memory, nothing survives the process: for tests and throwaway daemons, and
//! the simplest reading of the [`Store`] contract. Listing filters every session with
//! [`SessionQuery::matches`] (the reference semantics): linear, which is fine at the sizes an
//! ephemeral store holds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;

use crate::tails::{Tail, Tails};
use crate::{
    check_chain, check_revision, Append, CommitSink, Document, Expect, Receipt, Result, SessionIndex, SessionPage,
    SessionQuery, SessionRow, Store, StoreError, StoredEvent,
};

#[derive(Default)]
pub struct MemoryStore {
    // One lock for everything: writes are applied, and delivered, in the order they were made.
    state: Mutex<State>,
    tails: Tails,
}

#[derive(Default)]
struct State {
    next_order: u64,
    sessions: HashMap<String, Session>,
}

struct Session {
    /// When first stored (replacing the document keeps it): listings are newest first by it.
    order: u64,
    data: String,
    index: SessionIndex,
    revision: u64,
    events: Vec<Arc<StoredEvent>>,
    artifacts: HashMap<String, Vec<u8>>,
}

impl Session {
    fn last(&self) -> u64 {
        self.events.last().map_or(0, |e| e.sequence)
    }

    fn after(&self, after: u64) -> &[Arc<StoredEvent>] {
        &self.events[self.events.partition_point(|e| e.sequence <= after)..]
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl State {
    fn put(&mut self, id: &str, document: Document) -> u64 {
        let order = self.next_order;
        let Document { data, index } = document;
        match self.sessions.get_mut(id) {
            Some(s) => {
                s.data = data;
                s.index = index;
                s.revision += 1;
                s.revision
            }
            None => {
                self.next_order += 1;
                self.sessions.insert(
                    id.to_string(),
                    Session { order, data, index, revision: 1, events: Vec::new(), artifacts: HashMap::new() },
                );
                1
            }
        }
    }

    fn append(&mut self, append: &Append) -> Result<()> {
        let last = self.sessions.get(&append.session_id).map_or(0, Session::last);
        check_chain(append, last)?;
        if let Some(document) = &append.document {
            self.put(&append.session_id, document.clone());
        }
        let session =
            self.sessions.get_mut(&append.session_id).ok_or_else(|| StoreError::NotFound(append.session_id.clone()))?;
        session.events.extend(append.events.iter().cloned());
        Ok(())
    }
}

impl Store for MemoryStore {
    fn append(&self, append: Append) -> BoxFuture<'_, Result<Receipt>> {
        let mut state = self.state.lock().unwrap();
        let result = state.append(&append);
        if result.is_ok() {
            self.tails.deliver(&append.session_id, &append.events);
        }
        Box::pin(std::future::ready(Ok(Receipt::ready(result))))
    }

    fn put_session(&self, id: String, document: Document, expect: Expect) -> BoxFuture<'_, Result<Receipt<u64>>> {
        let mut state = self.state.lock().unwrap();
        let actual = state.sessions.get(&id).map(|s| s.revision);
        let result = check_revision(&id, expect, actual).map(|_| state.put(&id, document));
        Box::pin(std::future::ready(Ok(Receipt::ready(result))))
    }

    fn delete_session(&self, id: String) -> BoxFuture<'_, Result<Receipt>> {
        let mut state = self.state.lock().unwrap();
        state.sessions.remove(&id);
        self.tails.end(&id);
        Box::pin(std::future::ready(Ok(Receipt::ready(Ok(())))))
    }

    fn put_artifact(&self, session_id: String, name: String, bytes: Vec<u8>) -> BoxFuture<'_, Result<Receipt>> {
        let mut state = self.state.lock().unwrap();
        let result = match state.sessions.get_mut(&session_id) {
            Some(session) => {
                session.artifacts.insert(name, bytes);
                Ok(())
            }
            None => Err(StoreError::NotFound(session_id)),
        };
        Box::pin(std::future::ready(Ok(Receipt::ready(result))))
    }

    fn read_artifact(&self, session_id: String, name: String) -> BoxFuture<'_, Result<Option<Vec<u8>>>> {
        let state = self.state.lock().unwrap();
        let bytes = state.sessions.get(&session_id).and_then(|s| s.artifacts.get(&name).cloned());
        Box::pin(std::future::ready(Ok(bytes)))
    }

    fn tail(&self, session_id: String, after: u64, sink: Arc<dyn CommitSink>) -> BoxFuture<'_, Result<Tail>> {
        let state = self.state.lock().unwrap();
        let backlog = state.sessions.get(&session_id).map_or(&[][..], |s| s.after(after));
        if !backlog.is_empty() {
            sink.committed(backlog);
        }
        let delivered = backlog.last().map_or(after, |e| e.sequence);
        let tail = self.tails.register(&session_id, delivered, sink);
        Box::pin(std::future::ready(Ok(tail)))
    }

    fn barrier(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(std::future::ready(Ok(())))
    }

    fn load_sessions(&self) -> BoxFuture<'_, Result<Vec<SessionRow>>> {
        let state = self.state.lock().unwrap();
        let mut rows: Vec<(u64, SessionRow)> = state
            .sessions
            .iter()
            .map(|(id, s)| {
                let (revision, last_sequence) = (s.revision, s.last());
                let data = s.data.clone();
                let row =
                    SessionRow { id: id.clone(), data, revision, last_sequence, document_sequence: last_sequence };
                (s.order, row)
            })
            .collect();
        rows.sort_by_key(|(order, _)| *order);
        Box::pin(std::future::ready(Ok(rows.into_iter().map(|(_, row)| row).collect())))
    }

    fn list_sessions(&self, query: SessionQuery) -> BoxFuture<'_, Result<SessionPage>> {
        let state = self.state.lock().unwrap();
        let mut matching: Vec<(u64, &String)> =
            state.sessions.iter().filter(|(_, s)| query.matches(&s.index)).map(|(id, s)| (s.order, id)).collect();
        matching.sort_by_key(|(order, _)| std::cmp::Reverse(*order));
        let total = matching.len() as u64;
        let ids = matching.into_iter().skip(query.offset).take(query.limit).map(|(_, id)| id.clone()).collect();
        Box::pin(std::future::ready(Ok(SessionPage { ids, total })))
    }

    fn read_events(&self, session_id: String, after: u64, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>>> {
        let state = self.state.lock().unwrap();
        let events = state
            .sessions
            .get(&session_id)
            .map(|s| s.after(after).iter().take(limit).map(|e| StoredEvent::clone(e)).collect())
            .unwrap_or_default();
        Box::pin(std::future::ready(Ok(events)))
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn memory_passes_the_conformance_suite() {
        crate::conformance::run(&|| Box::pin(async { std::sync::Arc::new(super::MemoryStore::new()) as _ })).await;
    }
}
