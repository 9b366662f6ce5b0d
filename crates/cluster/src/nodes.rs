//! The node registry: every node puts its record in the nodes bucket every third of the lease
//! TTL; the bucket forgets a record four TTLs old, and a record older than one TTL is shown as
//! not alive. Placement reads it.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::leases::now_ms;
use crate::{Cluster, ClusterError};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NodeRecord {
    pub id: String,
    /// Sessions whose lease it holds.
    pub sessions: usize,
    pub max_sessions: usize,
    pub started_ms: u64,
    pub heartbeat_ms: u64,
    pub version: String,
}

impl Cluster {
    fn record(&self, started_ms: u64) -> NodeRecord {
        NodeRecord {
            id: self.config.node_id.clone(),
            sessions: self.leases().count(),
            max_sessions: self.config.max_sessions,
            started_ms,
            heartbeat_ms: now_ms(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    /// Put this node's record now.
    pub async fn heartbeat(&self, started_ms: u64) -> Result<(), ClusterError> {
        let value = serde_json::to_vec(&self.record(started_ms)).expect("records serialize");
        self.nodes.put(&self.config.node_id, value.into()).await.map_err(|e| ClusterError::Nats(e.to_string()))?;
        Ok(())
    }

    /// Every node in the registry, by id (as the nodes bucket's watch has it).
    pub fn nodes(&self) -> Vec<NodeRecord> {
        // The bucket forgets a record four TTLs old without telling its watchers: so does this.
        let horizon = now_ms().saturating_sub(4 * self.config.lease_ttl.as_millis() as u64);
        let nodes = self.directory.nodes.read().unwrap();
        let mut out: Vec<NodeRecord> = nodes.values().filter(|n| n.heartbeat_ms >= horizon).cloned().collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// Whether a record is fresh enough to count the node as alive.
    pub fn alive(&self, record: &NodeRecord) -> bool {
        record.heartbeat_ms + self.config.lease_ttl.as_millis() as u64 >= now_ms()
    }

    /// Whether placement may try the node: a heartbeat or two late under load does not take a
    /// node out (a dead one answers "no responders" at once, and the next is tried).
    fn placeable(&self, record: &NodeRecord) -> bool {
        record.heartbeat_ms + 2 * self.config.lease_ttl.as_millis() as u64 >= now_ms()
    }

    /// Where a new session goes: the live node with the fewest sessions and room for one more
    /// (this node on a tie); `None` when every node is full.
    pub fn place(&self) -> Option<String> {
        self.placements().into_iter().next()
    }

    /// The live nodes with room for a new session, the least loaded first (this node on a tie).
    /// This node's count is current; the others' are as of their last heartbeat.
    pub fn placements(&self) -> Vec<String> {
        let me = self.config.node_id.as_str();
        let mine = self.leases().count();
        let mut candidates: Vec<(usize, bool, String)> = self
            .nodes()
            .into_iter()
            .filter(|n| n.id != me && self.placeable(n) && n.sessions < n.max_sessions)
            .map(|n| (n.sessions, true, n.id))
            .collect();
        if mine < self.config.max_sessions {
            candidates.push((mine, false, me.to_string()));
        }
        candidates.sort();
        candidates.into_iter().map(|(_, _, id)| id).collect()
    }

    /// Heartbeat until the process ends.
    pub fn spawn_heartbeats(self: &std::sync::Arc<Self>) {
        let cluster = std::sync::Arc::downgrade(self);
        let every = self.config.lease_ttl / 3;
        let started = now_ms();
        let mut count = self.leases().watch_count();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every.max(Duration::from_millis(200)));
            loop {
                // At every tick, and at once when this node's load changes (placement reads it).
                tokio::select! {
                    _ = tick.tick() => {}
                    changed = count.changed() => if changed.is_err() { return },
                }
                let Some(cluster) = cluster.upgrade() else { return };
                if let Err(err) = tokio::time::timeout(every, cluster.heartbeat(started)).await.unwrap_or(Ok(())) {
                    tracing::warn!(%err, "heartbeat");
                }
            }
        });
    }
}
