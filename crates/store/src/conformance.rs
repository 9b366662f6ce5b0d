//! The contract every [`Store`] backend must meet, as checks any backend's tests run:
//! `conformance::run(&|| Box::pin(async { make_a_fresh_store() })).await`. Each check gets a
//! fresh, empty store.
//! Listing ([`listing`]) is checked against [`crate::SessionQuery::matches`], so a backend that
//! lists in its own query language still agrees with the reference reading.

mod listing;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::BoxFuture;

use crate::{Append, CommitSink, Document, Expect, Receipt, SessionIndex, Store, StoreError, StoredEvent};

type Check = fn(Arc<dyn Store>) -> BoxFuture<'static, ()>;

const CHECKS: &[(&str, Check)] = &[
    ("appends read back in order", |s| Box::pin(appends_read_back(s))),
    ("a stale append is refused", |s| Box::pin(stale_append_is_refused(s))),
    ("events for an unknown session are refused", |s| Box::pin(unknown_session_is_refused(s))),
    ("tails see backlog then commits, once", |s| Box::pin(tails_see_backlog_then_commits(s))),
    ("documents are compare-and-set", |s| Box::pin(documents_are_compare_and_set(s))),
    ("delete removes everything and ends tails", |s| Box::pin(delete_removes_everything(s))),
    ("a row says which events its document reflects", |s| Box::pin(document_sequences(s))),
    ("artifacts are kept, replaced and deleted with their session", |s| Box::pin(artifacts(s))),
    ("listing filters by each field", |s| Box::pin(listing::filters_by_each_field(s))),
    ("listing pages newest first with the total", |s| Box::pin(listing::pages_newest_first(s))),
    ("a replaced document is listed anew", |s| Box::pin(listing::replaced_documents_relist(s))),
    ("documents written with events are listed", |s| Box::pin(listing::appended_documents_are_listed(s))),
    ("deleted sessions leave the listing", |s| Box::pin(listing::deleted_sessions_leave(s))),
];

/// Run every check, each on a store from `make`. Panics naming the check that failed.
pub async fn run(make: &(dyn Fn() -> BoxFuture<'static, Arc<dyn Store>> + Sync)) {
    for (name, check) in CHECKS {
        let store = make().await;
        let outcome = tokio::time::timeout(Duration::from_secs(30), check(store)).await;
        assert!(outcome.is_ok(), "store conformance: {name}: timed out");
    }
}

/// An event of `seq`; every even one carries a native payload.
pub fn event(seq: u64) -> Arc<StoredEvent> {
    Arc::new(StoredEvent {
        sequence: seq,
        event_type: "item.delta",
        json: Bytes::from(format!(r#"{{"sequence":{seq},"raw":null}}"#)),
        raw: seq.is_multiple_of(2).then(|| Bytes::from(format!(r#"{{"n":{seq}}}"#))),
    })
}

/// A document with `data` and an empty index.
pub fn document(data: &str) -> Document {
    Document::new(data, SessionIndex::default())
}

/// An append of [`event`]s `seqs` after `expected`, without a document.
pub fn append(session: &str, expected: u64, seqs: std::ops::RangeInclusive<u64>) -> Append {
    Append {
        session_id: session.into(),
        expected_last_seq: expected,
        events: seqs.map(event).collect(),
        document: None,
    }
}

async fn wait<T>(receipt: Receipt<T>) -> crate::Result<T> {
    tokio::time::timeout(Duration::from_secs(10), receipt.wait()).await.expect("a receipt is answered")
}

async fn create(store: &dyn Store, id: &str) {
    let receipt = store.put_session(id.into(), document("{}"), Expect::Absent).await.unwrap();
    assert_eq!(wait(receipt).await.unwrap(), 1, "a new document is at revision 1");
}

async fn sequences(store: &dyn Store, id: &str, after: u64, limit: usize) -> Vec<u64> {
    store.read_events(id.into(), after, limit).await.unwrap().iter().map(|e| e.sequence).collect()
}

async fn appends_read_back(store: Arc<dyn Store>) {
    create(&*store, "a").await;
    let mut receipts = Vec::new();
    for chunk in (1..=100u64).collect::<Vec<_>>().chunks(7) {
        let (first, last) = (chunk[0], chunk[chunk.len() - 1]);
        receipts.push(store.append(append("a", first - 1, first..=last)).await.unwrap());
    }
    for receipt in receipts {
        wait(receipt).await.unwrap();
    }
    assert_eq!(sequences(&*store, "a", 10, 5).await, vec![11, 12, 13, 14, 15]);
    assert_eq!(sequences(&*store, "a", 95, 100).await, vec![96, 97, 98, 99, 100]);
    let page = store.read_events("a".into(), 0, 3).await.unwrap();
    assert_eq!(page[1], *event(2), "events come back byte for byte, native payload included");
    assert!(page[0].raw.is_none());
    let rows = store.load_sessions().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].id.as_str(), rows[0].last_sequence), ("a", 100));
    assert!(store.read_events("missing".into(), 0, 5).await.unwrap().is_empty());
}

async fn stale_append_is_refused(store: Arc<dyn Store>) {
    create(&*store, "a").await;
    wait(store.append(append("a", 0, 1..=1)).await.unwrap()).await.unwrap();
    // Two writers both believe seq 1 is the last: exactly one of them stores seq 2.
    let first = store.append(append("a", 1, 2..=3)).await.unwrap();
    let second = store.append(append("a", 1, 2..=2)).await.unwrap();
    wait(first).await.unwrap();
    let refused = wait(second).await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict { session_id, expected: 1, actual: 3 }) if session_id == "a"),
        "{refused:?}"
    );
    let ahead = wait(store.append(append("a", 5, 6..=6)).await.unwrap()).await;
    assert!(matches!(ahead, Err(StoreError::Conflict { expected: 5, actual: 3, .. })), "{ahead:?}");
    let backwards = wait(store.append(append("a", 3, 3..=4)).await.unwrap()).await;
    assert!(matches!(backwards, Err(StoreError::Conflict { .. })), "sequences must ascend past the expected one");
    assert_eq!(sequences(&*store, "a", 0, 10).await, vec![1, 2, 3], "nothing of a refused append is stored");
    wait(store.append(append("a", 3, 4..=4)).await.unwrap()).await.unwrap();
    assert_eq!(store.load_sessions().await.unwrap()[0].last_sequence, 4);
}

async fn unknown_session_is_refused(store: Arc<dyn Store>) {
    let receipt = store.append(append("ghost", 0, 1..=2)).await.unwrap();
    assert!(matches!(wait(receipt).await, Err(StoreError::NotFound(id)) if id == "ghost"));
    assert!(store.load_sessions().await.unwrap().is_empty());
    // With its document, an append creates the session.
    let mut with_doc = append("born", 0, 1..=2);
    with_doc.document = Some(document(r#"{"x":1}"#));
    wait(store.append(with_doc).await.unwrap()).await.unwrap();
    let rows = store.load_sessions().await.unwrap();
    assert_eq!((rows[0].id.as_str(), rows[0].data.as_str(), rows[0].last_sequence), ("born", r#"{"x":1}"#, 2));
}

/// Remembers what it was told.
#[derive(Default)]
struct Seen(Mutex<Vec<u64>>);

impl CommitSink for Seen {
    fn committed(&self, events: &[Arc<StoredEvent>]) {
        self.0.lock().unwrap().extend(events.iter().map(|e| e.sequence));
    }
}

impl Seen {
    fn take(&self) -> Vec<u64> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

async fn barrier(store: &dyn Store) {
    tokio::time::timeout(Duration::from_secs(10), store.barrier()).await.expect("barrier answered").unwrap();
}

async fn tails_see_backlog_then_commits(store: Arc<dyn Store>) {
    create(&*store, "a").await;
    create(&*store, "b").await;
    store.append(append("a", 0, 1..=5)).await.unwrap();
    let from_start = Arc::new(Seen::default());
    let from_three = Arc::new(Seen::default());
    let _t1 = store.tail("a".into(), 0, from_start.clone()).await.unwrap();
    let t2 = store.tail("a".into(), 3, from_three.clone()).await.unwrap();
    barrier(&*store).await;
    assert_eq!(from_start.take(), vec![1, 2, 3, 4, 5], "the backlog, from the start");
    assert_eq!(from_three.take(), vec![4, 5], "the backlog after 3");
    store.append(append("a", 5, 6..=7)).await.unwrap();
    store.append(append("b", 0, 1..=1)).await.unwrap();
    barrier(&*store).await;
    assert_eq!(from_start.take(), vec![6, 7], "live commits, and only the session's");
    assert_eq!(from_three.take(), vec![6, 7]);
    drop(t2);
    let refused = store.append(append("a", 5, 6..=6)).await.unwrap();
    store.append(append("a", 7, 8..=8)).await.unwrap();
    barrier(&*store).await;
    assert!(wait(refused).await.is_err());
    assert_eq!(from_start.take(), vec![8], "a refused append is never delivered");
    assert!(from_three.take().is_empty(), "a dropped tail hears nothing");
}

async fn documents_are_compare_and_set(store: Arc<dyn Store>) {
    create(&*store, "a").await;
    let put = |data: &str, expect| store.put_session("a".into(), document(data), expect);
    let again = wait(put("x", Expect::Absent).await.unwrap()).await;
    assert!(matches!(again, Err(StoreError::RevisionConflict { actual: Some(1), .. })), "{again:?}");
    assert_eq!(wait(put("v2", Expect::Revision(1)).await.unwrap()).await.unwrap(), 2);
    let stale = wait(put("lost", Expect::Revision(1)).await.unwrap()).await;
    assert!(matches!(stale, Err(StoreError::RevisionConflict { expected: Some(1), actual: Some(2), .. })));
    assert_eq!(wait(put("v3", Expect::Any).await.unwrap()).await.unwrap(), 3);
    // A document that comes with events is a revision too.
    let mut with_doc = append("a", 0, 1..=1);
    with_doc.document = Some(document("v4"));
    wait(store.append(with_doc).await.unwrap()).await.unwrap();
    let rows = store.load_sessions().await.unwrap();
    assert_eq!((rows[0].data.as_str(), rows[0].revision), ("v4", 4));
    let missing = wait(store.put_session("b".into(), document("x"), Expect::Revision(1)).await.unwrap()).await;
    assert!(matches!(missing, Err(StoreError::RevisionConflict { actual: None, .. })));
}

async fn delete_removes_everything(store: Arc<dyn Store>) {
    create(&*store, "a").await;
    create(&*store, "b").await;
    store.append(append("a", 0, 1..=3)).await.unwrap();
    let seen = Arc::new(Seen::default());
    let _tail = store.tail("a".into(), 3, seen.clone()).await.unwrap();
    wait(store.delete_session("a".into()).await.unwrap()).await.unwrap();
    let rows = store.load_sessions().await.unwrap();
    assert_eq!(rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec!["b"]);
    assert!(store.read_events("a".into(), 0, 10).await.unwrap().is_empty());
    // The id can be used again, from scratch; the old tail hears nothing of it.
    create(&*store, "a").await;
    wait(store.append(append("a", 0, 1..=1)).await.unwrap()).await.unwrap();
    barrier(&*store).await;
    assert!(seen.take().is_empty());
    assert_eq!(sequences(&*store, "a", 0, 10).await, vec![1]);
}

async fn document_sequences(store: Arc<dyn Store>) {
    create(&*store, "a").await;
    let with_doc = Append { document: Some(document(r#"{"v":1}"#)), ..append("a", 0, 1..=3) };
    wait(store.append(with_doc).await.unwrap()).await.unwrap();
    wait(store.append(append("a", 3, 4..=5)).await.unwrap()).await.unwrap();
    let row = store.load_session("a".into()).await.unwrap().unwrap();
    assert_eq!(row.last_sequence, 5);
    assert!((3..=5).contains(&row.document_sequence), "at least what it was written with: {}", row.document_sequence);
}

async fn artifacts(store: Arc<dyn Store>) {
    let put = |id: &str, name: &str, bytes: &[u8]| store.put_artifact(id.into(), name.into(), bytes.to_vec());
    let read = |id: &str, name: &str| store.read_artifact(id.into(), name.into());
    let refused = wait(put("ghost", "r.json", b"{}").await.unwrap()).await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "an artifact needs its session: {refused:?}");
    create(&*store, "a").await;
    create(&*store, "b").await;
    // Bigger than one NATS message, and not text.
    let big: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    wait(put("a", "report-1.json", b"{\"v\":1}").await.unwrap()).await.unwrap();
    wait(put("a", "big.bin", &big).await.unwrap()).await.unwrap();
    wait(put("b", "report-1.json", b"{\"b\":1}").await.unwrap()).await.unwrap();
    assert_eq!(read("a", "report-1.json").await.unwrap().as_deref(), Some(&b"{\"v\":1}"[..]));
    assert!(read("a", "big.bin").await.unwrap() == Some(big), "a large artifact reads back whole");
    assert_eq!(read("a", "none").await.unwrap(), None);
    wait(put("a", "report-1.json", b"{\"v\":2}").await.unwrap()).await.unwrap();
    assert_eq!(read("a", "report-1.json").await.unwrap().as_deref(), Some(&b"{\"v\":2}"[..]), "replaced");
    wait(store.delete_session("a".into()).await.unwrap()).await.unwrap();
    assert_eq!(read("a", "report-1.json").await.unwrap(), None, "deleted with its session");
    create(&*store, "a").await;
    assert_eq!(read("a", "big.bin").await.unwrap(), None, "a new session of the id starts empty");
    assert_eq!(read("b", "report-1.json").await.unwrap().as_deref(), Some(&b"{\"b\":1}"[..]), "others stay");
}
