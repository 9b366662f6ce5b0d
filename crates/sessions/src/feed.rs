//! A session's committed events as clients see them: a watermark ("everything up to this
//! sequence is durable") and a small ring of the newest events, already serialized.
//! Clients that fall behind the ring read from the store instead, so memory stays bounded
//! whatever the session length or the number of clients.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use sandbox_agent_store::{CommitSink, StoredEvent};
use tokio::sync::watch;

const RING_CAPACITY: usize = 1024;

pub struct EventFeed {
    ring: Mutex<VecDeque<Arc<StoredEvent>>>,
    watermark: watch::Sender<u64>,
    /// Set when the session is deleted (its events are gone): streams end at once.
    closed: AtomicBool,
    /// Set once `session.ended` is committed: nothing will follow it.
    ended: AtomicBool,
}

/// What a client gets when it asks for events after a sequence.
pub enum Catchup {
    /// From memory (possibly empty if nothing new).
    Ring(Vec<Arc<StoredEvent>>),
    /// The ring no longer holds the next event: read the store.
    Store,
}

impl EventFeed {
    /// `ended`: the session's last event is its `session.ended`.
    pub fn new(last_sequence: u64, ended: bool) -> Self {
        EventFeed {
            ring: Mutex::new(VecDeque::new()),
            watermark: watch::Sender::new(last_sequence),
            closed: AtomicBool::new(false),
            ended: AtomicBool::new(ended),
        }
    }

    pub fn watermark(&self) -> u64 {
        *self.watermark.borrow()
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.watermark.subscribe()
    }

    /// Committed events with `after < sequence <= upto`, at most `max`.
    pub fn after(&self, after: u64, upto: u64, max: usize) -> Catchup {
        let ring = self.ring.lock().unwrap();
        match ring.front() {
            // The ring covers `after + 1` (or everything since). A failed commit can leave a
            // gap in sequences, so search rather than index.
            Some(first) if first.sequence <= after + 1 => {
                let start = ring.partition_point(|e| e.sequence <= after);
                let events = ring.range(start..).take_while(|e| e.sequence <= upto).take(max).cloned().collect();
                Catchup::Ring(events)
            }
            _ if upto <= after => Catchup::Ring(Vec::new()),
            _ => Catchup::Store,
        }
    }

    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.watermark.send_modify(|_| {});
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    pub fn is_ended(&self) -> bool {
        self.ended.load(Ordering::SeqCst)
    }
}

impl CommitSink for EventFeed {
    fn committed(&self, events: &[Arc<StoredEvent>]) {
        let Some(last) = events.last() else { return };
        {
            let mut ring = self.ring.lock().unwrap();
            for ev in events {
                if ring.len() == RING_CAPACITY {
                    ring.pop_front();
                }
                ring.push_back(ev.clone());
            }
        }
        self.watermark.send_replace(last.sequence);
        if last.event_type == "session.ended" {
            // Nothing follows: a late reader can take the store, and a history of ended sessions
            // does not keep a ring each (its capacity too, hence a new deque).
            *self.ring.lock().unwrap() = VecDeque::new();
            // Only after the watermark: a reader that sees `ended` also sees the last sequence.
            self.ended.store(true, Ordering::SeqCst);
            self.watermark.send_modify(|_| {});
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(sequence: u64, event_type: &'static str) -> Arc<StoredEvent> {
        Arc::new(StoredEvent { sequence, event_type, json: format!("{{\"sequence\":{sequence}}}").into(), raw: None })
    }

    #[test]
    fn the_ring_serves_the_newest_events_and_is_dropped_once_the_session_ends() {
        let feed = EventFeed::new(0, false);
        feed.committed(&[event(1, "turn.started"), event(2, "turn.ended")]);
        let Catchup::Ring(got) = feed.after(0, 2, 10) else { panic!("from the ring") };
        assert_eq!(got.iter().map(|e| e.sequence).collect::<Vec<_>>(), [1, 2]);
        assert!(matches!(feed.after(2, 2, 10), Catchup::Ring(v) if v.is_empty()));
        feed.committed(&[event(3, "session.ended")]);
        assert!(feed.is_ended() && feed.watermark() == 3);
        assert!(matches!(feed.after(0, 3, 10), Catchup::Store), "an ended session's events come from the store");
        assert!(matches!(feed.after(3, 3, 10), Catchup::Ring(v) if v.is_empty()), "and nothing follows the end");
        assert_eq!(feed.ring.lock().unwrap().capacity(), 0);
    }
}
