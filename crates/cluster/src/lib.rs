//! Many daemons as one, through NATS JetStream (opt-in: `server --cluster nats://…`).
//!
//! - [`store`]: the JetStream backend of `sandbox_agent_store::Store` (events stream, sessions
//!   bucket), which every node of a cluster shares.
//! - [`leases`]: which node runs a session's agent, with fencing.
//! - [`nodes`]: the node registry (heartbeats, load).
//! - [`forward`]: a request that reaches a node which does not own the session goes to the one
//!   that does, over NATS request/reply.
//! - [`coordinator`]: keeps this node's session manager in step with the cluster: sessions of
//!   other nodes followed as replicas, expired leases taken over, lost ones given up.
//!
//! See `docs/cluster.md` for what is and is not guaranteed.

pub mod codec;
pub mod coordinator;
pub mod directory;
pub mod forward;
pub mod leases;
pub mod names;
pub mod nodes;
pub mod store;

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, kv};
use sandbox_agent_store::Store;

pub use forward::{ForwardError, ForwardRequest, ForwardResponse};
pub use leases::{Lease, Leases};
pub use names::Names;
pub use nodes::NodeRecord;
pub use store::NatsStore;

/// How this node joins a cluster.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// `nats://HOST:PORT` (comma-separated for several servers).
    pub url: String,
    pub node_id: String,
    /// Names this cluster's streams, buckets and subjects on the server.
    pub prefix: String,
    /// A lease not renewed for this long is free to take.
    pub lease_ttl: Duration,
    /// Sessions this node takes at most (placement skips a full node).
    pub max_sessions: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("invalid {0}: use letters, digits, '-' and '_' (at most 64)")]
    InvalidName(&'static str),
    #[error("could not connect to NATS at {url}: {message}")]
    Connect { url: String, message: String },
    #[error("NATS: {0}")]
    Nats(String),
}

/// A node's connection to its cluster.
pub struct Cluster {
    pub config: ClusterConfig,
    pub names: Names,
    client: async_nats::Client,
    store: Arc<NatsStore>,
    nodes: kv::Store,
    leases_bucket: kv::Store,
    pub(crate) directory: Arc<directory::Directory>,
    pub(crate) lost: std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<String>>>,
}

impl Cluster {
    pub async fn connect(config: ClusterConfig) -> Result<Arc<Cluster>, ClusterError> {
        if !names::valid_name(&config.node_id) {
            return Err(ClusterError::InvalidName("node id"));
        }
        if !names::valid_name(&config.prefix) {
            return Err(ClusterError::InvalidName("cluster prefix"));
        }
        let client = async_nats::ConnectOptions::new()
            .name(format!("sandbox-agent {}", config.node_id))
            .max_reconnects(None)
            .connection_timeout(Duration::from_secs(5))
            .connect(config.url.as_str())
            .await
            .map_err(|e| ClusterError::Connect { url: config.url.clone(), message: e.to_string() })?;
        let js = jetstream::new(client.clone());
        let names = Names::new(&config.prefix);
        let nats = |e: &dyn std::fmt::Display| ClusterError::Nats(e.to_string());
        let leases_bucket = js
            .create_or_update_key_value(kv::Config { bucket: names.leases_bucket(), history: 1, ..Default::default() })
            .await
            .map_err(|e| nats(&e))?;
        let nodes = js
            .create_or_update_key_value(kv::Config {
                bucket: names.nodes_bucket(),
                history: 1,
                // A node that stops heartbeating drops out of the registry by itself.
                max_age: config.lease_ttl * 4,
                ..Default::default()
            })
            .await
            .map_err(|e| nats(&e))?;
        let (leases, lost) = Leases::new(leases_bucket.clone(), config.node_id.clone(), config.lease_ttl);
        leases.spawn_renewals();
        let store = NatsStore::open(js, names.clone(), leases).await.map_err(|e| nats(&e))?;
        let directory = Arc::new(directory::Directory::default());
        directory.follow(&nodes, &leases_bucket).await?;
        Ok(Arc::new(Cluster {
            config,
            names,
            client,
            store,
            nodes,
            leases_bucket,
            directory,
            lost: std::sync::Mutex::new(Some(lost)),
        }))
    }

    pub fn store(&self) -> Arc<dyn Store> {
        self.store.clone()
    }

    pub fn nats_store(&self) -> &Arc<NatsStore> {
        &self.store
    }

    pub fn leases(&self) -> &Arc<Leases> {
        self.store.leases()
    }

    pub fn node_id(&self) -> &str {
        &self.config.node_id
    }

    pub fn client(&self) -> &async_nats::Client {
        &self.client
    }

    /// Whether the connection to NATS is up now.
    pub fn connected(&self) -> bool {
        self.client.connection_state() == async_nats::connection::State::Connected
    }

    /// The lease on `session_id` as the leases bucket says now, live or not.
    pub async fn lease(&self, session_id: &str) -> Result<Option<Lease>, ClusterError> {
        let entry =
            self.leases_bucket.entry(names::token(session_id)).await.map_err(|e| ClusterError::Nats(e.to_string()))?;
        Ok(entry.filter(|e| e.operation == kv::Operation::Put).and_then(|e| Lease::parse(&e)))
    }

    /// The sessions each node holds a live lease on (as the leases bucket's watch has it).
    pub fn leases_by_node(&self) -> std::collections::HashMap<String, Vec<String>> {
        let now = leases::now_ms();
        let mut out: std::collections::HashMap<String, Vec<String>> = Default::default();
        for (id, lease) in self.directory.leases.read().unwrap().iter().filter(|(_, l)| !l.expired(now)) {
            out.entry(lease.node.clone()).or_default().push(id.clone());
        }
        out
    }

    /// The node holding a live lease on `session_id`.
    pub async fn owner_of(&self, session_id: &str) -> Result<Option<String>, ClusterError> {
        Ok(self.lease(session_id).await?.filter(|l| !l.expired(leases::now_ms())).map(|l| l.node))
    }
}
