//! What every node knows of the others without asking: the nodes bucket and the leases bucket,
//! each read once (with history) and then watched, into memory. Placement, the node list and
//! the takeover scan read these maps; a listing never creates a consumer per call.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_nats::jetstream::kv;
use futures_util::StreamExt;

use crate::leases::Lease;
use crate::names::untoken;
use crate::nodes::NodeRecord;
use crate::ClusterError;

#[derive(Default)]
pub struct Directory {
    pub nodes: RwLock<HashMap<String, NodeRecord>>,
    /// By session id.
    pub leases: RwLock<HashMap<String, Lease>>,
}

impl Directory {
    /// Fill the maps and keep them filled (until the process ends).
    pub async fn follow(self: &Arc<Self>, nodes: &kv::Store, leases: &kv::Store) -> Result<(), ClusterError> {
        let nats = |e: &dyn std::fmt::Display| ClusterError::Nats(e.to_string());
        let node_watch = nodes.watch_with_history(">").await.map_err(|e| nats(&e))?;
        let lease_watch = leases.watch_with_history(">").await.map_err(|e| nats(&e))?;
        let dir = Arc::downgrade(self);
        tokio::spawn(follow(dir.clone(), node_watch, |dir, entry| {
            let mut nodes = dir.nodes.write().unwrap();
            match serde_json::from_slice::<NodeRecord>(&entry.value)
                .ok()
                .filter(|_| entry.operation == kv::Operation::Put)
            {
                Some(record) => nodes.insert(entry.key.clone(), record),
                None => nodes.remove(&entry.key),
            };
        }));
        tokio::spawn(follow(dir, lease_watch, |dir, entry| {
            let mut leases = dir.leases.write().unwrap();
            let id = untoken(&entry.key);
            match Lease::parse(entry).filter(|_| entry.operation == kv::Operation::Put) {
                Some(lease) => leases.insert(id, lease),
                None => leases.remove(&id),
            };
        }));
        Ok(())
    }
}

async fn follow(dir: std::sync::Weak<Directory>, mut watch: kv::Watch, apply: impl Fn(&Directory, &kv::Entry)) {
    while let Some(entry) = watch.next().await {
        let Some(dir) = dir.upgrade() else { return };
        match entry {
            Ok(entry) => apply(&dir, &entry),
            Err(err) => tracing::warn!(%err, "cluster directory watch"),
        }
    }
}
