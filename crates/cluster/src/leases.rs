//! Ownership: a session's agent runs on exactly one node, the one holding its lease in the
//! leases bucket. A lease is `{node, token, until}`; the token is the KV revision that acquired
//! it, and every message that node writes to the session's events carries it (the fence). A
//! lease is renewed every third of its TTL; one that another node took, or that this node
//! could not renew before it ran out (a partition), is lost, and the session's agent stops.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_nats::jetstream::kv;
use bytes::Bytes;
use sandbox_agent_store::StoreError;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::names::token;

const BACKEND: &str = "nats";

/// A lease as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Lease {
    pub node: String,
    /// 0 in the write that acquires it: the token is that write's revision.
    #[serde(default)]
    pub token: u64,
    /// Milliseconds since the epoch after which the lease is free to take.
    pub until: u64,
}

impl Lease {
    pub fn parse(entry: &kv::Entry) -> Option<Lease> {
        let mut lease: Lease = serde_json::from_slice(&entry.value).ok()?;
        if lease.token == 0 {
            lease.token = entry.revision;
        }
        Some(lease)
    }

    pub fn expired(&self, now: u64) -> bool {
        self.until < now
    }
}

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

#[derive(Debug, Clone, Copy)]
struct Held {
    token: u64,
    revision: u64,
    until: u64,
}

/// The leases this node holds, and how it takes, renews and gives them up.
pub struct Leases {
    bucket: kv::Store,
    node: String,
    ttl: Duration,
    held: Mutex<HashMap<String, Held>>,
    lost: mpsc::UnboundedSender<String>,
    /// How many are held, for the heartbeat to publish at once when it changes.
    count: tokio::sync::watch::Sender<usize>,
}

impl Leases {
    pub fn new(bucket: kv::Store, node: String, ttl: Duration) -> (Arc<Self>, mpsc::UnboundedReceiver<String>) {
        let (lost, lost_rx) = mpsc::unbounded_channel();
        let count = tokio::sync::watch::Sender::new(0);
        (Arc::new(Leases { bucket, node, ttl, held: Mutex::new(HashMap::new()), lost, count }), lost_rx)
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The token of the lease held on `session_id`, if this node holds it.
    pub fn token(&self, session_id: &str) -> Option<u64> {
        self.held.lock().unwrap().get(session_id).map(|h| h.token)
    }

    /// How many sessions this node holds.
    pub fn count(&self) -> usize {
        self.held.lock().unwrap().len()
    }

    /// Changes whenever the number of held leases does.
    pub fn watch_count(&self) -> tokio::sync::watch::Receiver<usize> {
        self.count.subscribe()
    }

    fn counted(&self) {
        let n = self.held.lock().unwrap().len();
        self.count.send_if_modified(|c| std::mem::replace(c, n) != n);
    }

    pub fn held_ids(&self) -> Vec<String> {
        self.held.lock().unwrap().keys().cloned().collect()
    }

    fn value(&self, token: u64) -> Bytes {
        let until = now_ms() + self.ttl.as_millis() as u64;
        Bytes::from(serde_json::to_vec(&Lease { node: self.node.clone(), token, until }).expect("leases serialize"))
    }

    /// Take the lease of `session_id`: free, expired, or this node's own (from before a
    /// restart). Exactly one of several nodes racing for it wins (compare-and-set on the
    /// revision); the others get [`StoreError::Fenced`]. Answers the fencing token.
    pub async fn acquire(&self, session_id: &str) -> Result<u64, StoreError> {
        if let Some(token) = self.token(session_id) {
            return Ok(token);
        }
        let key = token(session_id);
        let current = self.bucket.entry(&key).await.map_err(|e| StoreError::backend(BACKEND, e))?;
        let live = current.as_ref().filter(|e| e.operation == kv::Operation::Put);
        let (revision, token) = match live.and_then(|e| Lease::parse(e).map(|l| (e, l))) {
            None => {
                let revision = match current {
                    // A deleted lease's marker: replace it at its revision.
                    Some(e) => self
                        .bucket
                        .update(&key, self.value(0), e.revision)
                        .await
                        .map_err(|e| self.refused(session_id, e))?,
                    None => self.bucket.create(&key, self.value(0)).await.map_err(|e| self.refused(session_id, e))?,
                };
                (revision, revision)
            }
            Some((entry, lease)) if lease.node == self.node => {
                let revision = self
                    .bucket
                    .update(&key, self.value(lease.token), entry.revision)
                    .await
                    .map_err(|e| self.refused(session_id, e))?;
                (revision, lease.token)
            }
            Some((entry, lease)) if lease.expired(now_ms()) => {
                let revision = self
                    .bucket
                    .update(&key, self.value(0), entry.revision)
                    .await
                    .map_err(|e| self.refused(session_id, e))?;
                (revision, revision)
            }
            Some((_, lease)) => {
                return Err(StoreError::Fenced { session_id: session_id.to_string(), holder: lease.node });
            }
        };
        let until = now_ms() + self.ttl.as_millis() as u64;
        self.held.lock().unwrap().insert(session_id.to_string(), Held { token, revision, until });
        self.counted();
        tracing::info!(session = session_id, token, "lease acquired");
        Ok(token)
    }

    fn refused(&self, session_id: &str, err: impl std::fmt::Display) -> StoreError {
        // Someone wrote the lease between our read and our write: they won.
        tracing::debug!(session = session_id, %err, "lease race lost");
        StoreError::Fenced { session_id: session_id.to_string(), holder: "another node".into() }
    }

    /// Forget a lease this node holds and tell the session layer (it was taken, or ran out).
    pub fn lose(&self, session_id: &str) {
        let removed = self.held.lock().unwrap().remove(session_id).is_some();
        self.counted();
        if removed {
            tracing::warn!(session = session_id, "lease lost; the session's agent stops here");
            let _ = self.lost.send(session_id.to_string());
        }
    }

    /// Give the lease up (the session was deleted, or the daemon stops): another node may take
    /// it at once.
    pub async fn release(&self, session_id: &str) {
        let held = self.held.lock().unwrap().remove(session_id);
        self.counted();
        let Some(held) = held else { return };
        let key = token(session_id);
        let expired = Lease { node: self.node.clone(), token: held.token, until: 0 };
        let value = Bytes::from(serde_json::to_vec(&expired).expect("leases serialize"));
        if let Err(err) = self.bucket.update(&key, value, held.revision).await {
            tracing::debug!(session = session_id, %err, "lease not released");
        }
    }

    /// Give up every lease (a graceful stop: the other nodes take the sessions over at once).
    pub async fn release_all(&self) {
        for id in self.held_ids() {
            self.release(&id).await;
        }
    }

    /// Drop the lease record of a deleted session.
    pub async fn remove(&self, session_id: &str) {
        self.held.lock().unwrap().remove(session_id);
        self.counted();
        if let Err(err) = self.bucket.delete(token(session_id)).await {
            tracing::debug!(session = session_id, %err, "lease record not removed");
        }
    }

    /// Renew every held lease once. A lease someone else wrote is lost at once; one that could
    /// not be written (NATS unreachable) is lost once its time is up, so a partitioned node
    /// stops its agents before another node takes them over.
    pub async fn renew(&self) {
        let held: Vec<(String, Held)> = self.held.lock().unwrap().iter().map(|(k, v)| (k.clone(), *v)).collect();
        for (id, h) in held {
            let until = now_ms() + self.ttl.as_millis() as u64;
            match self.bucket.update(token(&id), self.value(h.token), h.revision).await {
                Ok(revision) => {
                    if let Some(entry) = self.held.lock().unwrap().get_mut(&id) {
                        *entry = Held { token: h.token, revision, until };
                    }
                }
                Err(err) if err.kind() == kv::UpdateErrorKind::WrongLastRevision => self.lose(&id),
                Err(err) => {
                    tracing::warn!(session = %id, %err, "lease not renewed");
                    if h.until <= now_ms() {
                        self.lose(&id);
                    }
                }
            }
        }
    }

    /// Renew leases until the process ends.
    pub fn spawn_renewals(self: &Arc<Self>) {
        let leases = Arc::downgrade(self);
        let every = self.ttl / 3;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(leases) = leases.upgrade() else { return };
                // A renewal stuck on a dead connection must not outlive the leases' time.
                let _ = tokio::time::timeout(every, leases.renew()).await;
                let now = now_ms();
                let stale: Vec<String> = leases
                    .held
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|(_, h)| h.until <= now)
                    .map(|(k, _)| k.clone())
                    .collect();
                for id in stale {
                    leases.lose(&id);
                }
            }
        });
    }
}
