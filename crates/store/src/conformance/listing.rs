//! Listing checks: what [`Store::list_sessions`] returns after each kind of write. Every page is
//! asserted literally and also against [`SessionQuery::matches`] over what was written, so a
//! backend answering in its own query language (SQL) reads queries the way the reference does.

use std::sync::Arc;

use super::{append, wait};
use crate::{Document, Expect, SessionIndex, SessionQuery, Store, StoreError};

/// What a check wrote, in the order sessions were first stored: the reference listing.
#[derive(Default)]
struct Model(Vec<(String, SessionIndex)>);

impl Model {
    fn put(&mut self, id: &str, index: SessionIndex) {
        match self.0.iter_mut().find(|(i, _)| i == id) {
            Some((_, old)) => *old = index,
            None => self.0.push((id.to_string(), index)),
        }
    }

    fn delete(&mut self, id: &str) {
        self.0.retain(|(i, _)| i != id);
    }

    /// The page and total the reference reading gives.
    fn page(&self, q: &SessionQuery) -> (Vec<String>, u64) {
        let matching: Vec<&String> = self.0.iter().rev().filter(|(_, ix)| q.matches(ix)).map(|(id, _)| id).collect();
        (matching.iter().skip(q.offset).take(q.limit).map(|id| id.to_string()).collect(), matching.len() as u64)
    }
}

/// An unarchived index; the search text is the label and the task, lowercased.
fn index(status: &str, agent: &str, label: Option<&str>, task: &str, tags: &[&str]) -> SessionIndex {
    SessionIndex {
        status: status.into(),
        agent: agent.into(),
        label: label.map(Into::into),
        search: format!("{} {task}", label.unwrap_or_default()).to_lowercase(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        archived: false,
    }
}

fn archived(mut index: SessionIndex) -> SessionIndex {
    index.archived = true;
    index
}

fn tags(tags: &[&str]) -> SessionQuery {
    SessionQuery { tags: tags.iter().map(|t| t.to_string()).collect(), ..Default::default() }
}

fn with_archived(q: SessionQuery) -> SessionQuery {
    SessionQuery { include_archived: true, ..q }
}

struct Fixture {
    store: Arc<dyn Store>,
    model: Model,
}

impl Fixture {
    fn new(store: Arc<dyn Store>) -> Self {
        Fixture { store, model: Model::default() }
    }

    async fn put(&mut self, id: &str, index: SessionIndex) {
        let doc = Document::new(format!(r#"{{"sessionId":"{id}"}}"#), index.clone());
        wait(self.store.put_session(id.into(), doc, Expect::Any).await.unwrap()).await.unwrap();
        self.model.put(id, index);
    }

    async fn delete(&mut self, id: &str) {
        wait(self.store.delete_session(id.into()).await.unwrap()).await.unwrap();
        self.model.delete(id);
    }

    /// Assert the page of `q` is `ids` with `total` matching, as the reference reads it too.
    async fn page(&self, q: SessionQuery, ids: &[&str], total: u64) {
        let page = self.store.list_sessions(q.clone()).await.unwrap();
        let expected: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        assert_eq!((&page.ids, page.total), (&expected, total), "listing {q:?}");
        assert_eq!(self.model.page(&q), (expected, total), "the reference reading of {q:?} (a wrong check)");
    }

    /// Assert `q` lists exactly `ids` (one page holds them all).
    async fn lists(&self, q: SessionQuery, ids: &[&str]) {
        self.page(q, ids, ids.len() as u64).await;
    }
}

pub(super) async fn filters_by_each_field(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store);
    f.put("a", index("idle", "mock", Some("Alpha"), "fix the parser", &["x", "y"])).await;
    f.put("b", index("running", "claude", Some("Beta"), "write the docs", &["x", "it's"])).await;
    f.put("c", index("idle", "claude", None, "Refactor Parser", &["y"])).await;
    f.put("d", archived(index("idle", "mock", Some("Alpha"), "old parser work", &["x", "y"]))).await;
    let all = SessionQuery::default;

    f.lists(all(), &["c", "b", "a"]).await;
    f.lists(with_archived(all()), &["d", "c", "b", "a"]).await;

    f.lists(tags(&["x"]), &["b", "a"]).await;
    f.lists(tags(&["x", "y"]), &["a"]).await;
    f.lists(with_archived(tags(&["y", "x"])), &["d", "a"]).await;
    f.lists(tags(&["y", "nope"]), &[]).await;
    f.lists(tags(&["it's"]), &["b"]).await;
    f.lists(tags(&["X"]), &[]).await;

    let label = |l: &str| SessionQuery { label: Some(l.into()), ..all() };
    f.lists(label("Alpha"), &["a"]).await;
    f.lists(with_archived(label("Alpha")), &["d", "a"]).await;
    f.lists(label("alpha"), &[]).await;
    f.lists(label("Alph"), &[]).await;
    f.lists(label(""), &[]).await;

    let status = |s: &str| SessionQuery { status: Some(s.into()), ..all() };
    f.lists(status("idle"), &["c", "a"]).await;
    f.lists(status("running"), &["b"]).await;
    f.lists(status("IDLE"), &[]).await;

    let agent = |a: &str| SessionQuery { agent: Some(a.into()), ..all() };
    f.lists(agent("claude"), &["c", "b"]).await;
    f.lists(agent("mock"), &["a"]).await;

    let search = |s: &str| SessionQuery { search: Some(s.into()), ..all() };
    f.lists(search("PARSER"), &["c", "a"]).await;
    f.lists(search("the"), &["b", "a"]).await;
    f.lists(search("ha fi"), &["a"]).await;
    f.lists(search(""), &["c", "b", "a"]).await;
    f.lists(with_archived(search("parser")), &["d", "c", "a"]).await;
    f.lists(search("%"), &[]).await;
    f.lists(search("_"), &[]).await;

    let idle_mock_y =
        SessionQuery { status: Some("idle".into()), agent: Some("mock".into()), tags: vec!["y".into()], ..all() };
    f.lists(idle_mock_y.clone(), &["a"]).await;
    f.lists(with_archived(idle_mock_y), &["d", "a"]).await;
}

pub(super) async fn pages_newest_first(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store);
    for i in 0..7 {
        let tags: &[&str] = if i % 2 == 0 { &["even"] } else { &[] };
        f.put(&format!("s{i}"), index("idle", "mock", None, "", tags)).await;
    }
    let page = |limit, offset| SessionQuery { limit, offset, ..Default::default() };
    f.page(page(3, 0), &["s6", "s5", "s4"], 7).await;
    f.page(page(3, 3), &["s3", "s2", "s1"], 7).await;
    f.page(page(3, 6), &["s0"], 7).await;
    f.page(page(3, 7), &[], 7).await;
    f.page(page(0, 0), &[], 7).await;
    f.page(page(usize::MAX, usize::MAX), &[], 7).await;
    f.page(page(usize::MAX, 5), &["s1", "s0"], 7).await;
    f.page(SessionQuery { limit: 2, offset: 1, ..tags(&["even"]) }, &["s4", "s2"], 4).await;
    // Replacing a document keeps its place: the order is when the session was first stored.
    f.put("s0", index("running", "mock", None, "", &[])).await;
    f.put("s3", index("running", "mock", None, "", &["even"])).await;
    f.lists(SessionQuery::default(), &["s6", "s5", "s4", "s3", "s2", "s1", "s0"]).await;
    f.lists(tags(&["even"]), &["s6", "s4", "s3", "s2"]).await;
}

pub(super) async fn replaced_documents_relist(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store);
    f.put("a", index("idle", "mock", Some("First"), "task", &["old"])).await;
    f.put("b", index("idle", "mock", None, "task", &["old"])).await;
    f.put("a", index("running", "mock", Some("Second"), "task", &["new"])).await;
    f.lists(tags(&["old"]), &["b"]).await;
    f.lists(tags(&["new"]), &["a"]).await;
    f.lists(SessionQuery { status: Some("idle".into()), ..Default::default() }, &["b"]).await;
    f.lists(SessionQuery { status: Some("running".into()), ..Default::default() }, &["a"]).await;
    f.lists(SessionQuery { label: Some("First".into()), ..Default::default() }, &[]).await;
    f.lists(SessionQuery { label: Some("Second".into()), ..Default::default() }, &["a"]).await;
    f.lists(SessionQuery { search: Some("first".into()), ..Default::default() }, &[]).await;
    f.lists(SessionQuery { search: Some("second".into()), ..Default::default() }, &["a"]).await;

    f.put("a", archived(index("running", "mock", Some("Second"), "task", &["new"]))).await;
    f.lists(SessionQuery::default(), &["b"]).await;
    f.lists(with_archived(SessionQuery::default()), &["b", "a"]).await;
    f.lists(tags(&["new"]), &[]).await;
    f.lists(with_archived(tags(&["new"])), &["a"]).await;
    f.put("a", index("running", "mock", Some("Second"), "task", &["new"])).await;
    f.lists(SessionQuery::default(), &["b", "a"]).await;
    f.put("a", index("running", "mock", None, "task", &[])).await;
    f.lists(tags(&["new"]), &[]).await;
    f.lists(SessionQuery { label: Some("Second".into()), ..Default::default() }, &[]).await;

    // A refused replacement changes nothing.
    let doc = Document::new("{}", index("idle", "mock", None, "", &["stale"]));
    let refused = wait(f.store.put_session("a".into(), doc, Expect::Revision(1)).await.unwrap()).await;
    assert!(matches!(refused, Err(StoreError::RevisionConflict { .. })), "{refused:?}");
    f.lists(tags(&["stale"]), &[]).await;
}

pub(super) async fn appended_documents_are_listed(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store);
    f.put("older", index("idle", "mock", None, "", &["t"])).await;
    let mut born = append("born", 0, 1..=2);
    let first = index("running", "claude", Some("Born"), "", &["t"]);
    born.document = Some(Document::new("{}", first.clone()));
    wait(f.store.append(born).await.unwrap()).await.unwrap();
    f.model.put("born", first);
    f.lists(tags(&["t"]), &["born", "older"]).await;
    f.lists(SessionQuery { agent: Some("claude".into()), ..Default::default() }, &["born"]).await;

    let mut next = append("born", 2, 3..=3);
    let second = index("idle", "claude", Some("Born"), "", &["u"]);
    next.document = Some(Document::new("{}", second.clone()));
    wait(f.store.append(next).await.unwrap()).await.unwrap();
    f.model.put("born", second);
    f.lists(tags(&["t"]), &["older"]).await;
    f.lists(tags(&["u"]), &["born"]).await;
    f.lists(SessionQuery { status: Some("idle".into()), ..Default::default() }, &["born", "older"]).await;

    // The document of a refused append is not stored, so not listed; an append without one
    // leaves the listing as it was.
    let mut stale = append("born", 0, 1..=1);
    stale.document = Some(Document::new("{}", index("idle", "claude", None, "", &["refused"])));
    let refused = wait(f.store.append(stale).await.unwrap()).await;
    assert!(matches!(refused, Err(StoreError::Conflict { .. })), "{refused:?}");
    f.lists(tags(&["refused"]), &[]).await;
    wait(f.store.append(append("born", 3, 4..=4)).await.unwrap()).await.unwrap();
    f.lists(tags(&["u"]), &["born"]).await;
}

pub(super) async fn deleted_sessions_leave(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store);
    for id in ["a", "b", "c"] {
        f.put(id, index("idle", "mock", Some("L"), "task", &["t"])).await;
    }
    wait(f.store.append(append("b", 0, 1..=3)).await.unwrap()).await.unwrap();
    f.delete("b").await;
    f.lists(tags(&["t"]), &["c", "a"]).await;
    f.lists(SessionQuery { label: Some("L".into()), ..Default::default() }, &["c", "a"]).await;
    f.delete("never stored").await;
    f.lists(SessionQuery::default(), &["c", "a"]).await;
    // Stored again, the id is a new session: the newest.
    f.put("b", index("idle", "mock", None, "", &["t"])).await;
    f.lists(tags(&["t"]), &["b", "c", "a"]).await;
    for id in ["a", "b", "c"] {
        f.delete(id).await;
    }
    f.lists(with_archived(SessionQuery::default()), &[]).await;
    f.lists(tags(&["t"]), &[]).await;
}
