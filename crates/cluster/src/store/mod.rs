//! The JetStream backend of [`Store`]: one stream for every session's events, a subject per
//! session, one message per appended batch; session documents in a KV bucket with
//! compare-and-set on revision; ownership by lease ([`crate::leases`]), whose token fences
//! every message. Commits reach tails through one ordered consumer per node over all sessions'
//! subjects, so a node hears another node's commits exactly as its own.

mod artifacts;
mod index;
mod read;
mod writer;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use async_nats::jetstream::{self, consumer, kv, stream};
use futures_util::future::BoxFuture;
use futures_util::StreamExt;
use sandbox_agent_store::{
    Append, CommitSink, Document, Expect, Receipt, Result, SessionPage, SessionQuery, SessionRow, Store, StoreError,
    StoredEvent, Tail, Tails,
};
use tokio::sync::{broadcast, mpsc, watch};

use crate::codec::{self, Mark};
use crate::leases::Leases;
use crate::names::{untoken, Names};
use index::{Carried, Doc, Envelope, Index};
use writer::{Op, Writer};

pub(crate) const BACKEND: &str = "nats";

/// A session document changed (on any node, this one included): `None` when it was deleted.
#[derive(Debug, Clone)]
pub struct DocumentChange {
    pub session_id: String,
    pub data: Option<String>,
    /// The last event the document reflects.
    pub seq: u64,
    /// Read from the events message that changed it (the bucket's copy comes later).
    pub logged: bool,
}

pub(crate) struct Inner {
    pub names: Names,
    pub js: jetstream::Context,
    pub events: stream::Stream,
    pub docs: kv::Store,
    pub artifacts: async_nats::jetstream::object_store::ObjectStore,
    pub leases: Arc<Leases>,
    pub index: RwLock<Index>,
    pub tails: Tails,
    writers: Mutex<HashMap<String, mpsc::Sender<Op>>>,
    /// The highest stream sequence this node's writers had acknowledged.
    acked: watch::Sender<u64>,
    /// The highest stream sequence the consumer delivered.
    delivered: watch::Sender<u64>,
    changes: broadcast::Sender<DocumentChange>,
}

impl Inner {
    pub fn acked(&self, seq: u64) {
        self.acked.send_if_modified(|a| {
            let grew = seq > *a;
            *a = (*a).max(seq);
            grew
        });
    }
}

pub struct NatsStore {
    inner: Arc<Inner>,
}

pub(crate) fn backend(err: impl std::fmt::Display) -> StoreError {
    StoreError::backend(BACKEND, err)
}

impl NatsStore {
    /// Create (or find) the cluster's stream and bucket, read every document, and start
    /// following commits and document changes.
    pub async fn open(js: jetstream::Context, names: Names, leases: Arc<Leases>) -> Result<Arc<NatsStore>> {
        let events = js
            .get_or_create_stream(stream::Config {
                name: names.events_stream(),
                subjects: vec![names.events_wildcard()],
                allow_direct: true,
                storage: stream::StorageType::File,
                ..Default::default()
            })
            .await
            .map_err(backend)?;
        let docs = js
            .create_or_update_key_value(kv::Config {
                bucket: names.sessions_bucket(),
                history: 1,
                ..Default::default()
            })
            .await
            .map_err(backend)?;
        let artifacts = artifacts::bucket(&js, names.artifacts_bucket()).await?;
        let (changes, _) = broadcast::channel(1024);
        let inner = Arc::new(Inner {
            names,
            js,
            events,
            docs,
            artifacts,
            leases,
            index: RwLock::new(Index::default()),
            tails: Tails::default(),
            writers: Mutex::new(HashMap::new()),
            acked: watch::Sender::new(0),
            delivered: watch::Sender::new(0),
            changes,
        });
        let consumer = inner
            .events
            .create_consumer(consumer::pull::OrderedConfig {
                filter_subject: inner.names.events_wildcard(),
                deliver_policy: consumer::DeliverPolicy::New,
                ..Default::default()
            })
            .await
            .map_err(backend)?;
        // Where the consumer starts: everything committed before is read, not delivered.
        let start = inner.events.get_info().await.map_err(backend)?.state.last_sequence;
        inner.delivered.send_replace(start);
        tokio::spawn(deliver(Arc::downgrade(&inner), consumer));
        let watch_from = load_documents(&inner).await?;
        let watch = inner.docs.watch_all_from_revision(watch_from + 1).await.map_err(backend)?;
        tokio::spawn(follow_documents(Arc::downgrade(&inner), watch));
        Ok(Arc::new(NatsStore { inner }))
    }

    /// Document changes as they are committed, on any node.
    pub fn changes(&self) -> broadcast::Receiver<DocumentChange> {
        self.inner.changes.subscribe()
    }

    pub fn leases(&self) -> &Arc<Leases> {
        &self.inner.leases
    }

    /// Every known session id (from the in-memory index).
    pub fn session_ids(&self) -> Vec<String> {
        self.inner.index.read().unwrap().all().into_iter().map(|(id, _)| id).collect()
    }

    fn writer(&self, session_id: &str) -> mpsc::Sender<Op> {
        let mut writers = self.inner.writers.lock().unwrap();
        if let Some(tx) = writers.get(session_id).filter(|tx| !tx.is_closed()) {
            return tx.clone();
        }
        let (tx, rx) = mpsc::channel(64);
        tokio::spawn(Writer::new(self.inner.clone(), session_id.to_string()).run(rx));
        writers.insert(session_id.to_string(), tx.clone());
        tx
    }

    async fn send<T>(
        &self,
        session_id: &str,
        make: impl FnOnce(sandbox_agent_store::Promise<T>) -> Op,
    ) -> Result<Receipt<T>> {
        let (promise, receipt) = Receipt::pair();
        self.writer(session_id).send(make(promise)).await.map_err(|_| StoreError::Closed)?;
        Ok(receipt)
    }
}

/// Read every document into the index; the bucket revision to watch after.
async fn load_documents(inner: &Inner) -> Result<u64> {
    let status = inner.docs.status().await.map_err(backend)?;
    let upto = status.info.state.last_sequence;
    let mut keys = match inner.docs.keys().await {
        Ok(keys) => keys.boxed(),
        Err(err) => return Err(backend(err)),
    };
    let mut ids = Vec::new();
    while let Some(key) = keys.next().await {
        ids.push(key.map_err(backend)?);
    }
    let entries = futures_util::future::join_all(ids.iter().map(|k| inner.docs.entry(k.clone()))).await;
    let mut index = inner.index.write().unwrap();
    for (key, entry) in ids.iter().zip(entries) {
        let Some(entry) = entry.map_err(backend)? else { continue };
        if let Some(doc) = parse_doc(&entry) {
            index.put(&untoken(key), doc);
        }
    }
    Ok(upto)
}

fn parse_doc(entry: &kv::Entry) -> Option<Doc> {
    if entry.operation != kv::Operation::Put {
        return None;
    }
    let env: Envelope = serde_json::from_slice(&entry.value).ok()?;
    Some(Doc::from_envelope(env, entry.revision))
}

async fn follow_documents(inner: std::sync::Weak<Inner>, mut watch: kv::Watch) {
    while let Some(entry) = watch.next().await {
        let Some(inner) = inner.upgrade() else { return };
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                tracing::warn!(%err, "document watch");
                continue;
            }
        };
        let id = untoken(&entry.key);
        let change = match parse_doc(&entry) {
            Some(doc) => {
                let (data, seq) = (doc.data.clone(), doc.seq);
                // Applied (or already applied by the local write): either way, tell.
                inner.index.write().unwrap().put(&id, doc);
                DocumentChange { session_id: id, data: Some(data), seq, logged: false }
            }
            None => {
                inner.index.write().unwrap().remove(&id, entry.revision);
                inner.tails.end(&id);
                DocumentChange { session_id: id, data: None, seq: 0, logged: false }
            }
        };
        let _ = inner.changes.send(change);
    }
    tracing::warn!("the document watch ended");
}

/// The node's one consumer: every committed batch of every session, to that session's tails.
async fn deliver(inner: std::sync::Weak<Inner>, consumer: consumer::Consumer<consumer::pull::OrderedConfig>) {
    let mut messages = match consumer.messages().await {
        Ok(m) => m,
        Err(err) => {
            tracing::error!(%err, "the events consumer did not start");
            return;
        }
    };
    while let Some(msg) = messages.next().await {
        let Some(inner) = inner.upgrade() else { return };
        let msg = match msg {
            Ok(msg) => msg,
            Err(err) => {
                tracing::warn!(%err, "events consumer");
                continue;
            }
        };
        let Ok(info) = msg.info() else { continue };
        let stream_seq = info.stream_sequence;
        let headers = msg.headers.clone().unwrap_or_default();
        if let (Some(mark), Some(id)) = (Mark::read(&headers), headers.get(codec::SESSION)) {
            if !mark.is_fence {
                if let Some((events, doc)) = mark.split(&msg.payload) {
                    inner.tails.deliver(id.as_str(), &events);
                    // Replicas get the document with the events that changed it, before the
                    // bucket's copy (which a writer dying in between never writes).
                    if let Some(carried) = doc.and_then(|d| serde_json::from_slice::<Carried>(&d).ok()) {
                        let (session_id, data) = (id.as_str().to_string(), Some(carried.data));
                        let _ = inner.changes.send(DocumentChange { session_id, data, seq: mark.last, logged: true });
                    }
                }
            }
        }
        inner.delivered.send_replace(stream_seq);
    }
    tracing::warn!("the events consumer ended");
}

impl Store for NatsStore {
    fn append(&self, append: Append) -> BoxFuture<'_, Result<Receipt>> {
        Box::pin(async move {
            let id = append.session_id.clone();
            self.send(&id, |p| Op::Append(append, p)).await
        })
    }

    fn put_session(&self, id: String, document: Document, expect: Expect) -> BoxFuture<'_, Result<Receipt<u64>>> {
        Box::pin(async move { self.send(&id, |p| Op::Put(document, expect, p)).await })
    }

    fn delete_session(&self, id: String) -> BoxFuture<'_, Result<Receipt>> {
        Box::pin(async move {
            // The document and events first: a delete that fails half way leaves a session's
            // artifacts without it, never a session without its artifacts.
            let deleted = self.send(&id, Op::Delete).await?.wait().await;
            let result = match deleted {
                Ok(()) => artifacts::delete_all(&self.inner, &id).await,
                Err(err) => Err(err),
            };
            Ok(Receipt::ready(result))
        })
    }

    fn put_artifact(&self, session_id: String, name: String, bytes: Vec<u8>) -> BoxFuture<'_, Result<Receipt>> {
        Box::pin(async move { Ok(Receipt::ready(artifacts::put(&self.inner, &session_id, &name, &bytes).await)) })
    }

    fn read_artifact(&self, session_id: String, name: String) -> BoxFuture<'_, Result<Option<Vec<u8>>>> {
        Box::pin(async move { artifacts::read(&self.inner, &session_id, &name).await })
    }

    fn tail(&self, session_id: String, after: u64, sink: Arc<dyn CommitSink>) -> BoxFuture<'_, Result<Tail>> {
        Box::pin(async move {
            let tail = self.inner.tails.register_buffered(&session_id, after, sink);
            let backlog = read::events(&self.inner, &session_id, after, usize::MAX).await?;
            let backlog: Vec<_> = backlog.into_iter().map(Arc::new).collect();
            self.inner.tails.backfill(&tail, &backlog);
            Ok(tail)
        })
    }

    fn barrier(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let writers: Vec<_> = self.inner.writers.lock().unwrap().values().cloned().collect();
            for tx in writers {
                let (promise, receipt) = Receipt::pair();
                if tx.send(Op::Barrier(promise)).await.is_ok() {
                    receipt.wait().await?;
                }
            }
            let target = *self.inner.acked.borrow();
            let mut delivered = self.inner.delivered.subscribe();
            delivered.wait_for(|d| *d >= target).await.map_err(|_| StoreError::Closed)?;
            Ok(())
        })
    }

    fn load_sessions(&self) -> BoxFuture<'_, Result<Vec<SessionRow>>> {
        Box::pin(async move {
            let all = self.inner.index.read().unwrap().all();
            let lasts =
                futures_util::future::join_all(all.iter().map(|(id, _)| read::last_sequence(&self.inner, id))).await;
            let mut rows = Vec::with_capacity(all.len());
            for ((id, doc), last) in all.into_iter().zip(lasts) {
                let document_sequence = doc.seq;
                rows.push(SessionRow {
                    id,
                    data: doc.data,
                    revision: doc.rev,
                    last_sequence: last?,
                    document_sequence,
                });
            }
            Ok(rows)
        })
    }

    fn load_session(&self, session_id: String) -> BoxFuture<'_, Result<Option<SessionRow>>> {
        Box::pin(async move {
            let key = crate::names::token(&session_id);
            let Some(entry) = self.inner.docs.entry(key).await.map_err(backend)? else { return Ok(None) };
            let Some(doc) = parse_doc(&entry) else { return Ok(None) };
            self.inner.index.write().unwrap().put(&session_id, doc.clone());
            let last_sequence = read::last_sequence(&self.inner, &session_id).await?;
            let (mut data, mut document_sequence) = (doc.data, doc.seq);
            // The bucket's copy is written after the events: the log may hold a newer one.
            if last_sequence > document_sequence {
                if let Some((carried, seq)) = read::newest_document(&self.inner, &session_id, doc.seq).await? {
                    (data, document_sequence) = (carried.data, seq);
                }
            }
            Ok(Some(SessionRow { id: session_id, data, revision: doc.rev, last_sequence, document_sequence }))
        })
    }

    fn list_sessions(&self, query: SessionQuery) -> BoxFuture<'_, Result<SessionPage>> {
        Box::pin(async move { Ok(self.inner.index.read().unwrap().list(&query)) })
    }

    fn read_events(&self, session_id: String, after: u64, limit: usize) -> BoxFuture<'_, Result<Vec<StoredEvent>>> {
        Box::pin(async move { read::events(&self.inner, &session_id, after, limit).await })
    }
}
