use super::*;
use crate::conformance::{self, document, event};
use crate::{Expect, SessionIndex};

#[tokio::test]
async fn sqlite_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    let n = std::sync::atomic::AtomicU64::new(0);
    let make = || -> futures_util::future::BoxFuture<'static, Arc<dyn Store>> {
        let i = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path().join(format!("{i}.sqlite"))).unwrap());
        Box::pin(async move { store })
    };
    conformance::run(&make).await;
}

#[tokio::test]
async fn events_and_revisions_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    {
        let store = SqliteStore::open(&path).unwrap();
        store.put_session("a".into(), document("{}"), Expect::Absent).await.unwrap();
        let events = (1..=10).map(event).collect();
        let append = Append { session_id: "a".into(), expected_last_seq: 0, events, document: Some(document("v2")) };
        store.append(append).await.unwrap().wait().await.unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let rows = store.load_sessions().await.unwrap();
    assert_eq!(
        rows,
        vec![SessionRow { id: "a".into(), data: "v2".into(), revision: 2, last_sequence: 10, document_sequence: 10 }]
    );
    // The chain goes on from what was stored, in a new process.
    let stale = Append { session_id: "a".into(), expected_last_seq: 0, events: vec![event(1)], document: None };
    assert!(matches!(store.append(stale).await.unwrap().wait().await, Err(StoreError::Conflict { actual: 10, .. })));
}

#[tokio::test]
async fn databases_without_revisions_are_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE sessions (sid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
         INSERT INTO sessions (id, data) VALUES ('old', '{\"v\":1}');",
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    let rows = store.load_sessions().await.unwrap();
    assert_eq!((rows[0].id.as_str(), rows[0].revision, rows[0].last_sequence), ("old", 1, 0));
    let next = store.put_session("old".into(), document("{}"), Expect::Revision(1)).await.unwrap();
    assert_eq!(next.wait().await.unwrap(), 2);
}

#[tokio::test]
async fn backend_errors_name_the_backend_not_the_query() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the database file should be: opening fails.
    let path = dir.path().join("db.sqlite");
    std::fs::create_dir(&path).unwrap();
    let Err(e) = SqliteStore::open(&path) else { panic!("opened a directory") };
    assert!(matches!(e, StoreError::Backend { backend: "sqlite", .. }), "{e:?}");
}

fn query() -> SessionQuery {
    SessionQuery { include_archived: true, ..Default::default() }
}

async fn ids(store: &SqliteStore, q: SessionQuery) -> Vec<String> {
    store.list_sessions(q).await.unwrap().ids
}

#[tokio::test]
async fn databases_made_before_listing_are_indexed_from_their_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        r#"CREATE TABLE sessions (sid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL,
                                  rev INTEGER NOT NULL DEFAULT 1);
           CREATE TABLE events (sid INTEGER NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
                                json BLOB NOT NULL, raw BLOB, UNIQUE (sid, seq));
           INSERT INTO sessions (id, data) VALUES ('s1', '{"sessionId":"s1","agent":"mock","status":"idle","title":"Hello"}');
           INSERT INTO sessions (id, data, rev) VALUES ('s2', '{"sessionId":"s2","agent":"claude","status":"running"}', 3);
           INSERT INTO sessions (id, data) VALUES ('s3', 'not json');
           INSERT INTO events (sid, seq, type, json) VALUES (1, 1, 'item.delta', '{}');"#,
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(ids(&store, SessionQuery::default()).await, ["s3", "s2", "s1"], "old rows are listed, newest first");
    assert_eq!(ids(&store, SessionQuery { status: Some("idle".into()), ..query() }).await, ["s1"]);
    assert_eq!(ids(&store, SessionQuery { agent: Some("claude".into()), ..query() }).await, ["s2"]);
    assert_eq!(ids(&store, SessionQuery { label: Some("Hello".into()), ..query() }).await, ["s1"]);
    assert_eq!(ids(&store, SessionQuery { search: Some("HELL".into()), ..query() }).await, ["s1"]);
    assert!(ids(&store, SessionQuery { tags: vec!["t".into()], ..query() }).await.is_empty());
    let rows = store.load_sessions().await.unwrap();
    let kept: Vec<_> = rows.iter().map(|r| (r.id.as_str(), r.revision, r.last_sequence)).collect();
    assert_eq!(kept, [("s1", 1, 1), ("s2", 3, 0), ("s3", 1, 0)], "documents, revisions and events are kept");

    // The migrated table is maintained like a new one (triggers, columns)...
    let index = SessionIndex { status: "ended".into(), tags: vec!["t".into()], ..Default::default() };
    let put = store.put_session("s1".into(), Document::new("{}", index), Expect::Revision(1)).await.unwrap();
    assert_eq!(put.wait().await.unwrap(), 2);
    assert_eq!(ids(&store, SessionQuery { tags: vec!["t".into()], ..query() }).await, ["s1"]);
    drop(store);
    // ...and reopening does not index from the JSON again over what was written since.
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(ids(&store, SessionQuery { status: Some("ended".into()), ..query() }).await, ["s1"]);
    assert!(ids(&store, SessionQuery { label: Some("Hello".into()), ..query() }).await.is_empty());
    assert_eq!(ids(&store, SessionQuery { status: Some("running".into()), ..query() }).await, ["s2"]);
}

#[tokio::test]
async fn ten_thousand_sessions_list_by_index() {
    const N: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("db.sqlite")).unwrap();
    let statuses = ["idle", "running", "ended"];
    let indexes: Vec<(String, SessionIndex)> = (0..N)
        .map(|i| {
            let label = format!("Session {i}");
            let index = SessionIndex {
                status: statuses[i % 3].into(),
                agent: if i % 2 == 0 { "mock" } else { "claude" }.into(),
                search: format!("{label} task {}", i % 13).to_lowercase(),
                label: Some(label),
                tags: vec![format!("g{}", i % 10), format!("h{}", i % 7), "all".into()],
                archived: i % 100 == 0,
            };
            (format!("s{i:05}"), index)
        })
        .collect();
    let mut receipts = Vec::with_capacity(N);
    for (id, index) in &indexes {
        let doc = Document::new(format!(r#"{{"sessionId":"{id}"}}"#), index.clone());
        receipts.push(store.put_session(id.clone(), doc, Expect::Absent).await.unwrap());
    }
    for receipt in receipts {
        receipt.wait().await.unwrap();
    }
    let queries = [
        SessionQuery { tags: vec!["g3".into(), "h5".into()], status: Some("idle".into()), ..Default::default() },
        SessionQuery { tags: vec!["all".into()], limit: 20, offset: 40, ..Default::default() },
        SessionQuery { agent: Some("claude".into()), search: Some("TASK 12".into()), ..Default::default() },
        SessionQuery { label: Some("Session 4321".into()), ..Default::default() },
        SessionQuery { tags: vec!["g0".into()], include_archived: true, limit: 1000, ..Default::default() },
        SessionQuery { status: Some("ended".into()), offset: 3300, ..Default::default() },
    ];
    for q in queries {
        let started = std::time::Instant::now();
        let page = store.list_sessions(q.clone()).await.unwrap();
        let elapsed = started.elapsed();
        let matching: Vec<&String> = indexes.iter().rev().filter(|(_, ix)| q.matches(ix)).map(|(id, _)| id).collect();
        let expected: Vec<String> = matching.iter().skip(q.offset).take(q.limit).map(|id| id.to_string()).collect();
        assert!(!matching.is_empty(), "{q:?} matches something");
        assert_eq!((page.ids, page.total), (expected, matching.len() as u64), "{q:?}");
        eprintln!("{elapsed:?} to list {q:?}");
    }
}
