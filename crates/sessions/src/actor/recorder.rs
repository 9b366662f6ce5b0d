//! Recording: stamp an event (sequence, id, time, source), serialize it once, batch it, and hand
//! the batch to the store; plus the commit gate, which holds replies back until the events
//! recorded before them are committed (so a client that gets an answer can read what its
//! request produced). Only this module assigns sequences.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::Bytes;
use sandbox_agent_schema::{EventData, EventSource, UniversalEvent};
use sandbox_agent_store::{Append, Receipt, Store, StoredEvent, Tail};
use serde_json::value::RawValue;

use super::{Actor, Reply};
use crate::handle::Shared;
use crate::SessionError;

pub(super) struct Recorder {
    store: Arc<dyn Store>,
    next_seq: u64,
    /// The last sequence handed to the store: what the next append must follow.
    appended: u64,
    batch: Vec<Arc<StoredEvent>>,
    /// Answers of appends not yet heard (appends are pipelined: the actor never waits on one).
    receipts: VecDeque<Receipt>,
    /// How committed events reach the session's feed.
    tail: Option<Tail>,
    /// What the feed already has when the tail starts.
    pub tail_after: u64,
    /// The session document changed since the last commit.
    state_dirty: bool,
    /// Replies held back until the events recorded before them are committed.
    after_commit: Vec<Box<dyn FnOnce() + Send>>,
}

impl Recorder {
    pub fn new(store: Arc<dyn Store>, last_sequence: u64) -> Self {
        Recorder {
            store,
            next_seq: last_sequence + 1,
            appended: last_sequence,
            batch: Vec::new(),
            receipts: VecDeque::new(),
            tail: None,
            tail_after: last_sequence,
            state_dirty: false,
            after_commit: Vec::new(),
        }
    }

    /// Start tailing the session's committed events into its feed (once, before the first
    /// append, so none is missed).
    pub async fn attach(&mut self, shared: &Shared) {
        if self.tail.is_some() {
            return;
        }
        match self.store.tail(shared.id.clone(), self.tail_after, shared.feed.clone()).await {
            Ok(tail) => self.tail = Some(tail),
            Err(err) => tracing::error!(session = %shared.id, %err, "could not tail the session's events"),
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The sequence the next recorded event gets.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Events recorded and not yet handed to the store.
    pub fn pending(&self) -> usize {
        self.batch.len()
    }

    pub fn state_changed(&mut self) {
        self.state_dirty = true;
    }

    /// Forget what is not committed yet (the session is being deleted).
    pub fn discard(&mut self) {
        self.batch.clear();
    }

    /// Stamp and serialize an event and queue it for the next commit.
    fn stamp(&mut self, shared: &Shared, data: EventData, synthetic: bool, raw: Option<Box<RawValue>>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let event = UniversalEvent {
            event_id: format!("evt_{seq}"),
            sequence: seq,
            time: crate::now(),
            session_id: shared.id.clone(),
            native_session_id: shared.state.lock().unwrap().native_session_id.clone(),
            synthetic,
            source: if synthetic { EventSource::Daemon } else { EventSource::Agent },
            data,
            raw: None,
        };
        let stored = StoredEvent {
            sequence: seq,
            event_type: event.data.event_type(),
            json: Bytes::from(serde_json::to_vec(&event).expect("events serialize")),
            // The native text as is: no re-serializing on the hot path.
            raw: raw.map(|r| Bytes::from(Box::<str>::from(r).into_boxed_bytes())),
        };
        self.batch.push(Arc::new(stored));
    }

    /// Answer once everything recorded so far is committed.
    pub fn reply<T: Send + 'static>(&mut self, reply: Reply<T>, result: Result<T, SessionError>) {
        self.after_commit.push(Box::new(move || {
            let _ = reply.send(result);
        }));
    }

    /// Hand what was recorded (and the document, when it changed) to the store, then release the
    /// held-back replies once the feed's watermark reaches the last recorded event.
    pub async fn flush(&mut self, shared: &Shared) {
        let document = std::mem::take(&mut self.state_dirty).then(|| shared.document());
        if document.is_some() || !self.batch.is_empty() {
            let events = std::mem::take(&mut self.batch);
            let expected_last_seq = self.appended;
            self.appended = events.last().map_or(expected_last_seq, |e| e.sequence);
            let append = Append { session_id: shared.id.clone(), expected_last_seq, events, document };
            match self.store.append(append).await {
                Ok(receipt) => self.receipts.push_back(receipt),
                Err(err) => tracing::error!(session = %shared.id, %err, "store gone; events dropped"),
            }
        }
        self.heard(shared);
        self.release(shared);
    }

    /// Log appends the store refused or failed. Their events are never shown (only committed
    /// events reach the feed); a conflict means another writer holds the session.
    fn heard(&mut self, shared: &Shared) {
        while let Some(answer) = self.receipts.front_mut().and_then(Receipt::try_take) {
            self.receipts.pop_front();
            if let Err(err) = answer {
                tracing::error!(session = %shared.id, %err, "events were not stored");
            }
        }
    }

    fn release(&mut self, shared: &Shared) {
        if self.after_commit.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.after_commit);
        let target = self.next_seq - 1;
        let mut watermark = shared.feed.subscribe();
        tokio::spawn(async move {
            // A failed commit never reaches the target; answer anyway rather than hang.
            let wait = watermark.wait_for(|w| *w >= target);
            let _ = tokio::time::timeout(std::time::Duration::from_secs(30), wait).await;
            for f in pending {
                f();
            }
        });
    }
}

impl Actor {
    /// Record an event: apply its effect on the session's state, then stamp and queue it.
    pub(super) fn record(&mut self, data: EventData, synthetic: bool, raw: Option<Box<RawValue>>) {
        self.effect(&data);
        self.rec.stamp(&self.shared, data, synthetic, raw);
    }

    /// Record an event the daemon made.
    pub(super) fn record_daemon(&mut self, data: EventData) {
        self.record(data, true, None);
    }
}
