//! Keeps a node's session manager in step with its cluster: other nodes' documents refresh
//! their replicas here, a lost lease turns a local session into a replica, and a session whose
//! lease ran out (its node died) is taken over by a node with room — the least loaded first.

use std::sync::Arc;

use sandbox_agent_sessions::SessionManager;
use tokio::sync::broadcast::error::RecvError;

use crate::leases::{now_ms, Lease};
use crate::Cluster;

/// Start following the cluster for `manager`.
pub fn spawn(cluster: Arc<Cluster>, manager: Arc<SessionManager>) {
    cluster.spawn_heartbeats();
    tokio::spawn(follow_documents(cluster.clone(), manager.clone()));
    if let Some(mut lost) = cluster.lost.lock().unwrap().take() {
        let manager = manager.clone();
        tokio::spawn(async move {
            while let Some(id) = lost.recv().await {
                manager.release(&id).await;
            }
        });
    }
    tokio::spawn(take_over(cluster, manager));
}

async fn follow_documents(cluster: Arc<Cluster>, manager: Arc<SessionManager>) {
    let mut changes = cluster.nats_store().changes();
    loop {
        match changes.recv().await {
            Ok(change) => match change.data {
                Some(data) => manager.observe(&change.session_id, data, change.seq, change.logged).await,
                None => manager.forget(&change.session_id),
            },
            Err(RecvError::Lagged(n)) => {
                // Missed changes: read every document again.
                tracing::warn!(missed = n, "document changes lagged; resyncing");
                for id in cluster.nats_store().session_ids() {
                    if let Ok(Some(row)) = cluster.store().load_session(id.clone()).await {
                        manager.observe(&id, row.data, row.document_sequence, false).await;
                    }
                }
            }
            Err(RecvError::Closed) => return,
        }
    }
}

/// Every third of the lease TTL: take over what is this node's to take.
async fn take_over(cluster: Arc<Cluster>, manager: Arc<SessionManager>) {
    let ttl = cluster.config.lease_ttl;
    let mut tick = tokio::time::interval(ttl / 3);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if !cluster.connected() {
            continue;
        }
        let orphans = orphans(&cluster, &manager);
        for (id, lease) in orphans {
            let mine = lease.as_ref().is_some_and(|l| l.node == cluster.node_id());
            // Left for the least-loaded node, unless it has been free for a whole TTL more
            // (that node may be gone too) or it was this node's before a restart.
            let overdue = lease.as_ref().is_none_or(|l| l.until + ttl.as_millis() as u64 <= now_ms());
            if !mine && !overdue && cluster.place().as_deref() != Some(cluster.node_id()) {
                continue;
            }
            if cluster.leases().count() >= cluster.config.max_sessions {
                break;
            }
            if cluster.leases().acquire(&id).await.is_err() {
                continue;
            }
            if !manager.adopt(&id).await {
                cluster.leases().release(&id).await;
            }
        }
    }
}

/// Sessions followed here whose lease is free: missing, expired, or this node's own from
/// before a restart.
fn orphans(cluster: &Cluster, manager: &SessionManager) -> Vec<(String, Option<Lease>)> {
    let leases = cluster.directory.leases.read().unwrap().clone();
    let now = now_ms();
    cluster
        .nats_store()
        .session_ids()
        .into_iter()
        .filter(|id| manager.is_local(id) == Some(false))
        .filter_map(|id| {
            let lease = leases.get(&id).cloned();
            let free = lease.as_ref().is_none_or(|l| l.node == cluster.node_id() || l.expired(now));
            free.then_some((id, lease))
        })
        .collect()
}
