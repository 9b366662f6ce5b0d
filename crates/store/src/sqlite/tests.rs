use super::*;
use crate::conformance::{self, event};
use crate::Expect;

#[tokio::test]
async fn sqlite_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    let n = std::sync::atomic::AtomicU64::new(0);
    let make = || -> Arc<dyn Store> {
        let i = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Arc::new(SqliteStore::open(dir.path().join(format!("{i}.sqlite"))).unwrap())
    };
    conformance::run(&make).await;
}

#[tokio::test]
async fn events_and_revisions_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    {
        let store = SqliteStore::open(&path).unwrap();
        store.put_session("a".into(), "{}".into(), Expect::Absent).await.unwrap();
        let events = (1..=10).map(event).collect();
        let append = Append { session_id: "a".into(), expected_last_seq: 0, events, document: Some("v2".into()) };
        store.append(append).await.unwrap().wait().await.unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let rows = store.load_sessions().await.unwrap();
    assert_eq!(rows, vec![SessionRow { id: "a".into(), data: "v2".into(), revision: 2, last_sequence: 10 }]);
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
    let next = store.put_session("old".into(), "{}".into(), Expect::Revision(1)).await.unwrap();
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
