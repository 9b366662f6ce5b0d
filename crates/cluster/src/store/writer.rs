//! One writer task per session: its writes are applied in the order they were made, appends
//! queued behind each other go out as one message (group commit), and each message names the
//! subject sequence it follows, so JetStream refuses it if anyone else wrote in between.

use std::sync::Arc;

use async_nats::jetstream::context::PublishErrorKind;
use async_nats::jetstream::kv;
use async_nats::jetstream::message::PublishMessage;
use bytes::Bytes;
use sandbox_agent_store::{check_chain, check_revision, Append, Document, Expect, Promise, StoreError, StoredEvent};
use tokio::sync::mpsc;

use super::index::{Carried, Doc, Envelope};
use super::{Inner, BACKEND};
use crate::codec::{self, Mark};
use crate::names::token;

/// The largest message body this writer sends (NATS refuses payloads past `max_payload`,
/// 1 MiB by default); a bigger batch goes out as several messages.
const MAX_BODY: usize = 768 * 1024;

pub enum Op {
    Append(Append, Promise<()>),
    Put(Document, Expect, Promise<u64>),
    Delete(Promise<()>),
    Barrier(Promise<()>),
}

/// The last message of the session's subject, as this writer last knew it.
#[derive(Debug, Clone, Copy)]
struct Chain {
    /// The session's last event sequence.
    last: u64,
    /// The stream sequence of the subject's last message (0: none).
    stream_seq: u64,
    /// Whose fence that message carries.
    fence: u64,
}

pub struct Writer {
    inner: Arc<Inner>,
    id: String,
    subject: String,
    key: String,
    chain: Option<Chain>,
}

impl Writer {
    pub fn new(inner: Arc<Inner>, id: String) -> Self {
        let subject = inner.names.events_subject(&id);
        let key = token(&id);
        Writer { inner, id, subject, key, chain: None }
    }

    pub async fn run(mut self, mut rx: mpsc::Receiver<Op>) {
        let mut next = None;
        loop {
            let op = match next.take() {
                Some(op) => op,
                None => match rx.recv().await {
                    Some(op) => op,
                    None => return,
                },
            };
            match op {
                Op::Append(first, promise) => {
                    let mut group = vec![(first, promise)];
                    while let Ok(op) = rx.try_recv() {
                        match op {
                            Op::Append(a, p) => group.push((a, p)),
                            other => {
                                next = Some(other);
                                break;
                            }
                        }
                    }
                    self.append(group).await;
                }
                Op::Put(document, expect, promise) => promise.keep(self.put(document, expect).await),
                Op::Delete(promise) => promise.keep(self.delete().await),
                Op::Barrier(promise) => promise.keep(Ok(())),
            }
        }
    }

    fn backend(err: impl std::fmt::Display) -> StoreError {
        StoreError::backend(BACKEND, err)
    }

    /// The subject's last message, read from the server.
    async fn read_chain(&self) -> Result<Chain, StoreError> {
        match self.inner.events.direct_get_last_for_subject(&self.subject).await {
            Ok(msg) => {
                let mark =
                    Mark::read(&msg.headers).ok_or_else(|| Self::backend("a foreign message in the events stream"))?;
                Ok(Chain { last: mark.last, stream_seq: msg.sequence, fence: mark.fence })
            }
            Err(err) if err.kind() == async_nats::jetstream::stream::DirectGetErrorKind::NotFound => {
                Ok(Chain { last: 0, stream_seq: 0, fence: 0 })
            }
            Err(err) => Err(Self::backend(err)),
        }
    }

    /// The lease's token, taking it (and fencing the subject) when this node does not hold it.
    async fn fence(&mut self) -> Result<u64, StoreError> {
        if let (Some(token), Some(chain)) = (self.inner.leases.token(&self.id), self.chain) {
            if chain.fence == token {
                return Ok(token);
            }
        }
        let token = self.inner.leases.acquire(&self.id).await?;
        let chain = self.read_chain().await?;
        if chain.fence == token {
            self.chain = Some(chain);
            return Ok(token);
        }
        // The marker: from here on, a message of the previous holder names a subject sequence
        // that is no longer the last one, and is refused.
        match self.publish(&[], None, chain.last, token, chain.stream_seq).await {
            Ok(stream_seq) => {
                self.chain = Some(Chain { last: chain.last, stream_seq, fence: token });
                Ok(token)
            }
            Err(err) => {
                self.chain = None;
                self.inner.leases.lose(&self.id);
                Err(err)
            }
        }
    }

    async fn publish(
        &self,
        events: &[Arc<StoredEvent>],
        doc: Option<&[u8]>,
        last_before: u64,
        fence: u64,
        expect: u64,
    ) -> Result<u64, StoreError> {
        let msg = PublishMessage::build()
            .headers(codec::headers(&self.id, events, last_before, fence, doc))
            .payload(codec::encode(events, doc))
            .expected_last_subject_sequence(expect);
        let ack =
            self.inner.js.send_publish(self.subject.clone(), msg).await.map_err(|e| self.publish_error(e.kind(), e))?;
        let ack = ack.await.map_err(|e| self.publish_error(e.kind(), e))?;
        self.inner.acked(ack.sequence);
        Ok(ack.sequence)
    }

    fn publish_error(&self, kind: PublishErrorKind, err: impl std::fmt::Display) -> StoreError {
        match kind {
            // Someone wrote the subject since: the caller reads the chain again to say who.
            PublishErrorKind::WrongLastSequence => {
                StoreError::Conflict { session_id: self.id.clone(), expected: 0, actual: 0 }
            }
            _ => Self::backend(err),
        }
    }

    async fn exists(&self, group: &[(Append, Promise<()>)]) -> Result<bool, StoreError> {
        if group.iter().any(|(a, _)| a.document.is_some()) || self.inner.index.read().unwrap().get(&self.id).is_some() {
            return Ok(true);
        }
        Ok(self.inner.docs.get(&self.key).await.map_err(Self::backend)?.is_some())
    }

    async fn append(&mut self, group: Vec<(Append, Promise<()>)>) {
        let ready = async {
            if !self.exists(&group).await? {
                return Err(StoreError::NotFound(self.id.clone()));
            }
            self.fence().await
        };
        let token = match ready.await {
            Ok(token) => token,
            Err(err) => {
                for (_, p) in group {
                    p.keep(Err(err.clone()));
                }
                return;
            }
        };
        let chain = self.chain.expect("fenced");
        // Each append follows the one before it; one that does not is refused alone. The events
        // up to each append that changed the document go out with it (a segment).
        let mut last = chain.last;
        let mut segments: Vec<Segment> = vec![Segment::default()];
        let mut document = None;
        let mut accepted = Vec::new();
        for (append, promise) in group {
            match check_chain(&append, last) {
                Ok(()) => {
                    last = append.events.last().map_or(last, |e| e.sequence);
                    let segment = segments.last_mut().expect("one at least");
                    segment.events.extend(append.events);
                    if let Some(doc) = append.document {
                        let carried = Carried { index: doc.index.clone(), data: doc.data.clone() };
                        segment.doc = Some(serde_json::to_vec(&carried).expect("documents serialize"));
                        segments.push(Segment::default());
                        document = Some(doc);
                    }
                    accepted.push(promise);
                }
                Err(err) => promise.keep(Err(err)),
            }
        }
        let result = self.store_events(&segments, chain, token).await;
        // The bucket's copy, once per group: the newest document.
        let result = match (result, document) {
            (Ok(()), Some(document)) => self.write_document(document, Expect::Any, last).await.map(drop),
            (result, _) => result,
        };
        for p in accepted {
            p.keep(result.clone());
        }
    }

    async fn store_events(&mut self, segments: &[Segment], chain: Chain, token: u64) -> Result<(), StoreError> {
        let mut chain = chain;
        let mut parts: Vec<Part<'_>> = Vec::new();
        for s in segments {
            // A document alone (no events) is the bucket's only: nothing in the log depends on it.
            let doc = s.doc.as_deref().filter(|_| !s.events.is_empty());
            let budget = MAX_BODY.saturating_sub(doc.map_or(0, <[u8]>::len)).max(1);
            let chunked = chunks(&s.events, budget);
            let n = chunked.len();
            // The document goes with the segment's last events, the ones that made it.
            parts.extend(chunked.into_iter().enumerate().map(|(i, part)| (part, doc.filter(|_| i + 1 == n))));
        }
        for (part, doc) in parts {
            if part.is_empty() {
                continue;
            }
            match self.publish(part, doc, chain.last, token, chain.stream_seq).await {
                Ok(stream_seq) => {
                    chain = Chain { last: part[part.len() - 1].sequence, stream_seq, fence: token };
                    self.chain = Some(chain);
                }
                Err(err) => {
                    self.chain = None;
                    let StoreError::Conflict { .. } = err else { return Err(err) };
                    let now = self.read_chain().await?;
                    if now.fence != token {
                        // Another node took the session over: this one stops writing it.
                        self.inner.leases.lose(&self.id);
                        return Err(StoreError::Fenced { session_id: self.id.clone(), holder: "another node".into() });
                    }
                    self.chain = Some(now);
                    return Err(StoreError::Conflict {
                        session_id: self.id.clone(),
                        expected: chain.last,
                        actual: now.last,
                    });
                }
            }
        }
        Ok(())
    }

    async fn put(&mut self, document: Document, expect: Expect) -> Result<u64, StoreError> {
        let token = self.fence().await?;
        // A document written alone has no subject sequence to be refused on: the subject's
        // last fence must still be this node's (a takeover writes its fence first).
        let chain = self.read_chain().await?;
        if chain.fence != token {
            self.chain = None;
            self.inner.leases.lose(&self.id);
            return Err(StoreError::Fenced { session_id: self.id.clone(), holder: "another node".into() });
        }
        self.write_document(document, expect, chain.last).await
    }

    /// Compare-and-set on the bucket's revision of the key, with the contract's revision
    /// inside the value, and `seq`, the last event stored before it (a writer dying between
    /// its events and their document leaves the document behind them: see `SessionRow`).
    async fn write_document(&mut self, document: Document, expect: Expect, seq: u64) -> Result<u64, StoreError> {
        let entry = self.inner.docs.entry(&self.key).await.map_err(Self::backend)?;
        let live = entry.as_ref().filter(|e| e.operation == kv::Operation::Put);
        let held = live.and_then(|e| serde_json::from_slice::<Envelope>(&e.value).ok());
        let rev = check_revision(&self.id, expect, held.as_ref().map(|h| h.rev))?;
        // Only a document's first write leaves `born` 0, so a held 0 means the held value is it.
        let born = match (&held, live) {
            (Some(h), Some(e)) if h.born == 0 => e.revision,
            (Some(h), _) => h.born,
            _ => 0,
        };
        let envelope = Envelope { rev, born, index: document.index, data: document.data, seq };
        let value = Bytes::from(serde_json::to_vec(&envelope).expect("documents serialize"));
        let written = match &entry {
            Some(e) => self.inner.docs.update(&self.key, value, e.revision).await.map_err(|e| e.to_string()),
            None => self.inner.docs.create(&self.key, value).await.map_err(|e| e.to_string()),
        };
        let kv_rev = match written {
            Ok(kv_rev) => kv_rev,
            Err(err) => {
                tracing::debug!(session = %self.id, %err, "document write lost a race");
                let actual = self.inner.docs.entry(&self.key).await.map_err(Self::backend)?;
                let actual = actual
                    .filter(|e| e.operation == kv::Operation::Put)
                    .and_then(|e| serde_json::from_slice::<Envelope>(&e.value).ok())
                    .map(|h| h.rev);
                let expected = match expect {
                    Expect::Revision(r) => Some(r),
                    _ => None,
                };
                return Err(StoreError::RevisionConflict { session_id: self.id.clone(), expected, actual });
            }
        };
        let doc = Doc::from_envelope(envelope, kv_rev);
        self.inner.index.write().unwrap().put(&self.id, doc);
        Ok(rev)
    }

    async fn delete(&mut self) -> Result<(), StoreError> {
        self.chain = None;
        let purge = self.inner.events.purge().filter(self.subject.clone());
        purge.await.map_err(|e| Self::backend(format!("purging events: {e}")))?;
        self.inner
            .docs
            .purge(&self.key)
            .await
            .map_err(|e| Self::backend(format!("purging the document {:?}: {e}", self.key)))?;
        self.inner.index.write().unwrap().forget(&self.id);
        self.inner.tails.end(&self.id);
        self.inner.leases.remove(&self.id).await;
        Ok(())
    }
}

/// One message: events, and the document when they end a segment.
type Part<'a> = (&'a [Arc<StoredEvent>], Option<&'a [u8]>);

/// Events, and the document they changed (serialized as [`Carried`]).
#[derive(Default)]
struct Segment {
    events: Vec<Arc<StoredEvent>>,
    doc: Option<Vec<u8>>,
}

/// Events split so that no message body passes `budget` (one event bigger than that goes
/// alone, and the server's limit decides).
fn chunks(events: &[Arc<StoredEvent>], budget: usize) -> Vec<&[Arc<StoredEvent>]> {
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, e) in events.iter().enumerate() {
        let n = codec::framed_len(e);
        if size + n > budget && i > start {
            out.push(&events[start..i]);
            (start, size) = (i, 0);
        }
        size += n;
    }
    out.push(&events[start..]);
    out
}
