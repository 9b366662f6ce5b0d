//! The JetStream backend against a real nats-server: the store contract every backend passes,
//! and what only a shared log has to get right (two nodes, one session).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream;
use sandbox_agent_cluster::{Leases, Names, NatsStore};
use sandbox_agent_store::conformance::{self, append, document};
use sandbox_agent_store::{Append, Expect, Store, StoreError};
use sandbox_agent_test_support::nats::NatsServer;

const WAIT: Duration = Duration::from_secs(10);

/// A node of cluster `prefix`: its own connection, leases of `ttl`, renewed or not.
async fn node(nats: &NatsServer, prefix: &str, id: &str, ttl: Duration, renew: bool) -> Arc<NatsStore> {
    let client = async_nats::connect(nats.url()).await.unwrap();
    let js = jetstream::new(client);
    let bucket = js
        .create_or_update_key_value(jetstream::kv::Config {
            bucket: Names::new(prefix).leases_bucket(),
            history: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    let (leases, _lost) = Leases::new(bucket, id.into(), ttl);
    if renew {
        leases.spawn_renewals();
    }
    NatsStore::open(js, Names::new(prefix), leases).await.unwrap()
}

async fn stored(store: &dyn Store, a: Append) -> Result<(), StoreError> {
    tokio::time::timeout(WAIT, store.append(a).await.unwrap().wait()).await.expect("answered")
}

#[tokio::test]
async fn jetstream_passes_the_conformance_suite() {
    let nats = Arc::new(NatsServer::start().await);
    let n = AtomicU64::new(0);
    let make = || -> futures_util::future::BoxFuture<'static, Arc<dyn Store>> {
        let prefix = format!("conf{}", n.fetch_add(1, Ordering::Relaxed));
        let nats = nats.clone();
        Box::pin(async move { node(&nats, &prefix, "n1", Duration::from_secs(30), true).await as Arc<dyn Store> })
    };
    conformance::run(&make).await;
}

#[tokio::test]
async fn a_second_node_reads_and_tails_what_the_first_wrote_and_may_not_write_it() {
    let nats = NatsServer::start().await;
    let a = node(&nats, "two", "a", Duration::from_secs(30), true).await;
    let b = node(&nats, "two", "b", Duration::from_secs(30), true).await;
    a.put_session("s.1".into(), document("{}"), Expect::Absent).await.unwrap().wait().await.unwrap();
    stored(&*a, append("s.1", 0, 1..=3)).await.unwrap();
    let seen = Arc::new(Seen::default());
    let _tail = b.tail("s.1".into(), 1, seen.clone()).await.unwrap();
    stored(&*a, append("s.1", 3, 4..=5)).await.unwrap();
    let got = tokio::time::timeout(WAIT, seen.until(5)).await.expect("b hears a's commits");
    assert_eq!(got, vec![2, 3, 4, 5], "backlog after 1, then live, once each");
    let read: Vec<u64> = b.read_events("s.1".into(), 0, 100).await.unwrap().iter().map(|e| e.sequence).collect();
    assert_eq!(read, [1, 2, 3, 4, 5]);
    assert_eq!(b.load_session("s.1".into()).await.unwrap().unwrap().last_sequence, 5);
    let refused = stored(&*b, append("s.1", 5, 6..=6)).await;
    assert!(matches!(&refused, Err(StoreError::Fenced { holder, .. }) if holder == "a"), "{refused:?}");
    let refused = b.put_session("s.1".into(), document("x"), Expect::Any).await.unwrap().wait().await;
    assert!(matches!(refused, Err(StoreError::Fenced { .. })), "{refused:?}");
}

#[tokio::test]
async fn two_nodes_racing_for_an_expired_lease_one_wins_and_the_old_owner_is_fenced() {
    let nats = NatsServer::start().await;
    let ttl = Duration::from_millis(1500);
    // The owner does not renew: it is as good as dead, but it still tries to write.
    let old = node(&nats, "race", "old", ttl, false).await;
    let b = node(&nats, "race", "b", ttl, true).await;
    let c = node(&nats, "race", "c", ttl, true).await;
    old.put_session("s".into(), document("{}"), Expect::Absent).await.unwrap().wait().await.unwrap();
    stored(&*old, append("s", 0, 1..=2)).await.unwrap();
    // A lease is a deadline: wait until it has passed.
    tokio::time::sleep(ttl + Duration::from_millis(200)).await;
    let (rb, rc) = tokio::join!(b.leases().acquire("s"), c.leases().acquire("s"));
    assert!(rb.is_ok() != rc.is_ok(), "exactly one wins: {rb:?} {rc:?}");
    let (winner, loser) = if rb.is_ok() { (&b, &c) } else { (&c, &b) };
    stored(&**winner, append("s", 2, 3..=3)).await.unwrap();
    let stale = stored(&*old, append("s", 2, 3..=3)).await;
    assert!(matches!(stale, Err(StoreError::Fenced { .. })), "the old owner's append is refused: {stale:?}");
    let lost = stored(&**loser, append("s", 3, 4..=4)).await;
    assert!(matches!(lost, Err(StoreError::Fenced { .. })), "so is the loser's: {lost:?}");
    let read: Vec<u64> = winner.read_events("s".into(), 0, 10).await.unwrap().iter().map(|e| e.sequence).collect();
    assert_eq!(read, [1, 2, 3], "one writer per sequence");
    // Even before the winner wrote anything, the marker it wrote on taking over fences the old owner.
    let d = node(&nats, "race", "d", ttl, true).await;
    d.put_session("t".into(), document("{}"), Expect::Absent).await.unwrap().wait().await.unwrap();
    assert!(old.leases().acquire("t").await.is_err());
}

#[tokio::test]
async fn a_batch_bigger_than_a_nats_message_is_stored_whole() {
    let nats = NatsServer::start().await;
    let a = node(&nats, "big", "a", Duration::from_secs(30), true).await;
    a.put_session("s".into(), document("{}"), Expect::Absent).await.unwrap().wait().await.unwrap();
    let big = |seq: u64| {
        Arc::new(sandbox_agent_store::StoredEvent {
            sequence: seq,
            event_type: "item.delta",
            json: bytes::Bytes::from(format!(r#"{{"sequence":{seq},"pad":"{}","raw":null}}"#, "x".repeat(300_000))),
            raw: None,
        })
    };
    let batch =
        Append { session_id: "s".into(), expected_last_seq: 0, events: (1..=8).map(big).collect(), document: None };
    stored(&*a, batch).await.unwrap();
    let read = a.read_events("s".into(), 3, 100).await.unwrap();
    assert_eq!(read.iter().map(|e| e.sequence).collect::<Vec<_>>(), [4, 5, 6, 7, 8]);
    assert_eq!(read[0].json, big(4).json);
}

#[derive(Default)]
struct Seen(std::sync::Mutex<Vec<u64>>, tokio::sync::Notify);

impl sandbox_agent_store::CommitSink for Seen {
    fn committed(&self, events: &[Arc<sandbox_agent_store::StoredEvent>]) {
        self.0.lock().unwrap().extend(events.iter().map(|e| e.sequence));
        self.1.notify_waiters();
    }
}

impl Seen {
    async fn until(&self, last: u64) -> Vec<u64> {
        loop {
            let notified = self.1.notified();
            {
                let seen = self.0.lock().unwrap();
                if seen.last() == Some(&last) {
                    return seen.clone();
                }
            }
            notified.await;
        }
    }
}

#[tokio::test]
async fn a_session_row_says_which_events_its_document_reflects() {
    let nats = NatsServer::start().await;
    let a = node(&nats, "docseq", "a", Duration::from_secs(30), true).await;
    a.put_session("s".into(), document("{}"), Expect::Absent).await.unwrap().wait().await.unwrap();
    stored(&*a, Append { document: Some(document(r#"{"v":1}"#)), ..append("s", 0, 1..=3) }).await.unwrap();
    // Events without a document (a writer that died before writing it looks the same).
    stored(&*a, append("s", 3, 4..=6)).await.unwrap();
    let row = a.load_session("s".into()).await.unwrap().unwrap();
    assert_eq!((row.data.as_str(), row.last_sequence, row.document_sequence), (r#"{"v":1}"#, 6, 3));
    stored(&*a, Append { document: Some(document(r#"{"v":2}"#)), ..append("s", 6, 7..=7) }).await.unwrap();
    let rows = a.load_sessions().await.unwrap();
    assert_eq!(rows.iter().map(|r| (r.last_sequence, r.document_sequence)).collect::<Vec<_>>(), [(7, 7)]);
}

#[tokio::test]
async fn a_document_behind_its_events_in_the_bucket_is_read_from_the_log() {
    let nats = NatsServer::start().await;
    let a = node(&nats, "behind", "a", Duration::from_secs(30), true).await;
    a.put_session("s".into(), document(r#"{"v":0}"#), Expect::Absent).await.unwrap().wait().await.unwrap();
    stored(&*a, Append { document: Some(document(r#"{"v":1}"#)), ..append("s", 0, 1..=3) }).await.unwrap();
    stored(&*a, append("s", 3, 4..=4)).await.unwrap();
    // The writer died after the events and before the bucket's copy: it still says v0.
    let js = jetstream::new(async_nats::connect(nats.url()).await.unwrap());
    let bucket = js.get_key_value(Names::new("behind").sessions_bucket()).await.unwrap();
    let key = sandbox_agent_cluster::names::token("s");
    let mut envelope: serde_json::Value = serde_json::from_slice(&bucket.get(&key).await.unwrap().unwrap()).unwrap();
    (envelope["data"], envelope["seq"]) = (r#"{"v":0}"#.into(), 0.into());
    bucket.put(&key, serde_json::to_vec(&envelope).unwrap().into()).await.unwrap();
    let b = node(&nats, "behind", "b", Duration::from_secs(30), true).await;
    let row = b.load_session("s".into()).await.unwrap().unwrap();
    assert_eq!((row.data.as_str(), row.last_sequence, row.document_sequence), (r#"{"v":1}"#, 4, 3));
    assert_eq!(b.read_events("s".into(), 0, 10).await.unwrap().len(), 4, "the events read past the document");
}

#[tokio::test]
async fn other_nodes_hear_a_document_with_the_events_that_changed_it() {
    let nats = NatsServer::start().await;
    let a = node(&nats, "heard", "a", Duration::from_secs(30), true).await;
    let b = node(&nats, "heard", "b", Duration::from_secs(30), true).await;
    let mut changes = b.changes();
    a.put_session("s".into(), document(r#"{"v":0}"#), Expect::Absent).await.unwrap().wait().await.unwrap();
    stored(&*a, Append { document: Some(document(r#"{"v":1}"#)), ..append("s", 0, 1..=3) }).await.unwrap();
    let mut heard = Vec::new();
    tokio::time::timeout(WAIT, async {
        while heard.len() < 3 {
            let c = changes.recv().await.unwrap();
            heard.push((c.data.unwrap_or_default(), c.seq, c.logged));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{heard:?}"));
    heard.sort();
    // The first document from the bucket; the second both from the log and from the bucket.
    let expected = [(r#"{"v":0}"#, 0, false), (r#"{"v":1}"#, 3, false), (r#"{"v":1}"#, 3, true)];
    assert_eq!(heard, expected.map(|(d, s, l)| (d.to_string(), s, l)));
}
