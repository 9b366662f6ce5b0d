//! A node of a cluster holds every session of the cluster: those whose lease it holds with an
//! actor (local), the others as replicas — their document as last committed, their events
//! tailed from the shared store into a feed — so it can list, show and stream any session.
//! The cluster's coordinator moves sessions between the two: [`SessionManager::adopt`] when this
//! node takes a session over, [`SessionManager::release`] when it lost the lease. Neither the
//! feed nor the streams reading it change when a session moves, so a client streaming from
//! this node sees no seam.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use sandbox_agent_schema::{EventData, SessionStatus, UniversalEvent};
use sandbox_agent_store::SessionRow;

use crate::actor::Command;
use crate::feed::EventFeed;
use crate::handle::SessionHandle;
use crate::state::SessionRecord;
use crate::SessionManager;

/// How long a session's actor gets to stop by itself when its lease is lost.
const RELEASE_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

impl SessionManager {
    /// Whether this node runs `id` (`None`: no such session here).
    pub fn is_local(&self, id: &str) -> Option<bool> {
        self.sessions.read().unwrap().get(id).map(|h| h.is_local())
    }

    /// The sessions this node runs.
    pub fn local_ids(&self) -> Vec<String> {
        self.sessions.read().unwrap().iter().filter(|(_, h)| h.is_local()).map(|(id, _)| id.clone()).collect()
    }

    /// Follow a stored session as a replica (or refresh one with a newer document).
    pub(crate) async fn observe_row(&self, row: SessionRow, logged: bool) {
        let existing = self.sessions.read().unwrap().get(&row.id).cloned();
        if existing.as_ref().is_some_and(|h| h.is_local()) {
            return;
        }
        // Copies come from the bucket's watch, from the log, and from a request's lookup, in no
        // set order: one older than held is not applied; the bucket's at the same sequence is
        // (a document written alone comes after the one its events carried).
        let held = existing.as_ref().map(|h| h.shared.doc_seq.load(Ordering::Relaxed));
        if held.is_some_and(|held| row.document_sequence < held || (logged && row.document_sequence == held)) {
            tracing::debug!(session = %row.id, seq = row.document_sequence, logged, ?held, "an older document copy: not applied");
            return;
        }
        let record: SessionRecord = match serde_json::from_str(&row.data) {
            Ok(record) => record,
            Err(err) => {
                tracing::error!(session = %row.id, %err, "unreadable session record; not followed");
                return;
            }
        };
        self.tokens.remove_session(&row.id);
        for token in &record.state.tokens {
            self.tokens.insert(token.hash.clone(), &row.id, &token.participant_id);
        }
        let handle = match existing {
            // The same feed and tail; the newer document.
            Some(old) => SessionHandle::replica(
                self.shared(record, row.last_sequence, Some(old.shared.feed.clone())),
                old.follow.clone(),
            ),
            None => {
                let shared = self.shared(record, row.last_sequence, None);
                let tail = match self.store.tail(row.id.clone(), row.last_sequence, shared.feed.clone()).await {
                    Ok(tail) => Some(tail),
                    Err(err) => {
                        tracing::error!(session = %row.id, %err, "could not tail a followed session");
                        None
                    }
                };
                SessionHandle::replica(shared, Arc::new(std::sync::Mutex::new(tail)))
            }
        };
        handle.shared.doc_seq.store(row.document_sequence, Ordering::Relaxed);
        let mut sessions = self.sessions.write().unwrap();
        match sessions.get(&row.id) {
            // An adoption may have happened meanwhile: a local session stays local.
            Some(now) if now.is_local() => {}
            // Another look at the same new session (a request's discovery, the document watch)
            // got in first: streams may read its feed already, so it stays, and this tail goes.
            Some(now) if !Arc::ptr_eq(&now.shared.feed, &handle.shared.feed) => {}
            _ => {
                sessions.insert(row.id, handle);
            }
        }
    }

    /// Another node wrote a session's document (`data`, reflecting the events up to `seq`;
    /// `logged`: read from the events message that changed it, not from the bucket's copy):
    /// refresh its replica, or start following it.
    pub async fn observe(&self, id: &str, data: String, seq: u64, logged: bool) {
        if self.is_local(id) == Some(true) {
            return;
        }
        let last_sequence = match self.sessions.read().unwrap().get(id) {
            Some(h) => h.shared.feed.watermark(),
            None => 0,
        };
        let last_sequence = if last_sequence == 0 {
            match self.store.load_session(id.to_string()).await {
                Ok(Some(row)) => row.last_sequence,
                _ => 0,
            }
        } else {
            last_sequence
        };
        let row = SessionRow { id: id.to_string(), data, revision: 0, last_sequence, document_sequence: seq };
        self.observe_row(row, logged).await;
    }

    /// A session this node has not heard of yet (just created on another node; the document
    /// watch lags): look it up in the store and follow it. False when there is none.
    pub async fn discover(&self, id: &str) -> bool {
        if self.is_local(id).is_some() {
            return true;
        }
        match self.store.load_session(id.to_string()).await {
            Ok(Some(row)) => {
                self.observe_row(row, false).await;
                self.is_local(id).is_some()
            }
            _ => false,
        }
    }

    /// A session was deleted on another node: its replica goes, and its streams end.
    pub fn forget(&self, id: &str) {
        let mut sessions = self.sessions.write().unwrap();
        if sessions.get(id).is_some_and(|h| !h.is_local()) {
            if let Some(handle) = sessions.remove(id) {
                handle.shared.feed.close();
            }
            self.tokens.remove_session(id);
        }
    }

    /// Run `id` here from now on (this node holds its lease): it is restored from the store as
    /// after a restart — an interrupted turn failed, the agent resumed on the next message.
    /// False when there is no such stored session.
    pub async fn adopt(&self, id: &str) -> bool {
        let existing = self.sessions.read().unwrap().get(id).cloned();
        if existing.as_ref().is_some_and(|h| h.is_local()) {
            return true;
        }
        let row = match self.store.load_session(id.to_string()).await {
            Ok(Some(row)) => row,
            Ok(None) => return false,
            Err(err) => {
                tracing::error!(session = id, %err, "could not load a session to take over");
                return false;
            }
        };
        let row = self.catch_up(row).await;
        // The replica's tail ends before the actor's starts (the actor tails from what the
        // feed has, so nothing is missed and nothing doubled).
        let feed: Option<Arc<EventFeed>> = existing.map(|h| {
            drop(h.follow.lock().unwrap().take());
            h.shared.feed.clone()
        });
        let Some(handle) = self.restore(row, feed).await else { return false };
        let status = handle.info().status;
        self.sessions.write().unwrap().insert(id.to_string(), handle);
        tracing::info!(session = id, ?status, "session taken over");
        true
    }

    /// A document the store holds behind its events (the previous owner died between writing
    /// the two): what restoring depends on is brought up to the last event — the turn that was
    /// running (so it is failed once) and the agent's native id (so it resumes).
    async fn catch_up(&self, mut row: SessionRow) -> SessionRow {
        if row.document_sequence >= row.last_sequence {
            return row;
        }
        let Ok(mut record) = serde_json::from_str::<SessionRecord>(&row.data) else { return row };
        let (from, mut after) = (row.document_sequence, row.document_sequence);
        while after < row.last_sequence {
            let page = match self.store.read_events(row.id.clone(), after, crate::coder::manage::READ_PAGE).await {
                Ok(page) => page,
                Err(err) => {
                    tracing::error!(session = %row.id, %err, "could not read the events the document is behind");
                    return row;
                }
            };
            let Some(last) = page.last() else { break };
            after = last.sequence;
            for event in page.iter().filter_map(|e| serde_json::from_slice::<UniversalEvent>(&e.json).ok()) {
                let state = &mut record.state;
                if event.native_session_id.is_some() {
                    state.native_session_id = event.native_session_id;
                }
                match event.data {
                    EventData::TurnStarted(t) => {
                        state.current_turn_id = Some(t.turn_id);
                        state.status = SessionStatus::Running;
                    }
                    EventData::TurnEnded(_) => {
                        state.current_turn_id = None;
                        if state.status == SessionStatus::Running {
                            state.status = SessionStatus::Idle;
                        }
                    }
                    _ => {}
                }
            }
        }
        tracing::info!(session = %row.id, from, to = after, status = ?record.state.status, "the document was behind its events: caught up");
        row.data = serde_json::to_string(&record).expect("records serialize");
        row
    }

    /// This node lost `id`'s lease: stop its agent without writing anything more, and follow
    /// it as a replica from here on.
    pub async fn release(&self, id: &str) {
        let Some(handle) = self.sessions.read().unwrap().get(id).cloned().filter(|h| h.is_local()) else { return };
        // A replica at once, from what this node knew (the store may be out of reach: that is
        // how leases are lost): from here on this node runs nothing of it.
        let Ok(record) = serde_json::from_str::<SessionRecord>(&handle.shared.document().data) else { return };
        let feed = handle.shared.feed.clone();
        let follow: crate::handle::Follow = Default::default();
        let shared = self.shared(record, feed.watermark(), Some(feed.clone()));
        let replica = SessionHandle::replica(shared, follow.clone());
        self.sessions.write().unwrap().insert(id.to_string(), replica);
        tracing::warn!(session = id, "session given up: another node runs it now");
        // An actor blocked on the unreachable store never reads its commands: it is stopped
        // outright then (its agent goes with it).
        let asked = tokio::time::timeout(RELEASE_WAIT, handle.call(|resp| Command::Release { resp })).await;
        if asked.is_err() {
            if let Some(task) = &handle.task {
                task.abort();
            }
        }
        // The actor is gone (and its tail with it) once its command channel closes; only then
        // does the replica's tail start, so the feed never hears an event twice.
        if let Some(commands) = &handle.commands {
            let _ = tokio::time::timeout(RELEASE_WAIT, commands.closed()).await;
        }
        let store = self.store.clone();
        let id = id.to_string();
        tokio::spawn(async move {
            let after = feed.watermark();
            match store.tail(id.clone(), after, feed).await {
                Ok(tail) => *follow.lock().unwrap() = Some(tail),
                Err(err) => tracing::error!(session = %id, %err, "could not tail a given-up session"),
            }
        });
    }
}
