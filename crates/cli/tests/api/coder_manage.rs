//! Managing sessions: the list's filters and paging, PATCH, archive, resume and delete.

use std::path::Path;

use sandbox_agent_schema::*;

use crate::common::*;

fn tagged(task: &str, tags: &[&str]) -> CreateSessionRequest {
    CreateSessionRequest { task: Some(task.into()), tags: tags.iter().map(|t| t.to_string()).collect(), ..mock() }
}

fn ids(list: &SessionListResponse) -> Vec<&str> {
    list.sessions.iter().map(|s| s.session_id.as_str()).collect()
}

async fn task_done(c: &sandbox_agent_client::Client, id: &str) {
    sse_until(c, id, 0, |e| matches!(e.data, EventData::TaskCompleted(_))).await;
}

#[tokio::test]
async fn the_list_filters_pages_and_counts_newest_first() {
    let d = Daemon::start().await;
    let c = d.client();
    for (i, tags) in [&["a", "team:x"][..], &["a"], &["b"], &["a", "team:x"], &[]].into_iter().enumerate() {
        let id = format!("s{i}");
        c.create_session_with_id(&id, &tagged(&format!("fix bug {i} in the parser"), tags)).await.unwrap();
        task_done(&c, &id).await;
    }
    let list = |q: SessionListQuery| {
        let c = c.clone();
        async move { c.list_sessions(&q).await.unwrap() }
    };
    let all = list(Default::default()).await;
    assert_eq!((all.total, ids(&all)), (5, vec!["s4", "s3", "s2", "s1", "s0"]), "newest first");
    let page = list(SessionListQuery { limit: Some(2), offset: Some(1), ..Default::default() }).await;
    assert_eq!((page.total, page.limit, page.offset, ids(&page)), (5, 2, 1, vec!["s3", "s2"]));
    let past = list(SessionListQuery { offset: Some(9), ..Default::default() }).await;
    assert_eq!((past.total, past.sessions.len()), (5, 0));
    let both = list(SessionListQuery { tag: Some(vec!["a".into(), "team:x".into()]), ..Default::default() }).await;
    assert_eq!((both.total, ids(&both)), (2, vec!["s3", "s0"]), "every tag must match");
    let search = list(SessionListQuery { search: Some("BUG 2".into()), ..Default::default() }).await;
    assert_eq!(ids(&search), ["s2"], "search is case-insensitive over task and label");
    let label = list(SessionListQuery { label: Some("fix bug 1 in the parser".into()), ..Default::default() }).await;
    assert_eq!(ids(&label), ["s1"]);
    let idle = list(SessionListQuery { status: Some("idle".into()), agent: Some("mock".into()), ..Default::default() });
    assert_eq!(idle.await.total, 5);
    let none = list(SessionListQuery { agent: Some("claude".into()), ..Default::default() }).await;
    assert_eq!(none.total, 0);
    // Bad parameters are problems, not an empty page.
    let capped = list(SessionListQuery { limit: Some(501), ..Default::default() }).await;
    assert_eq!((capped.limit, capped.sessions.len()), (500, 5), "limit is capped at 500");
    for query in ["limit=ten", "offset=-1", "status=sleeping", "color=red", "includeArchived=maybe"] {
        let resp = reqwest::get(format!("{}/v1/sessions?{query}", d.url)).await.unwrap();
        assert_eq!(resp.status().as_u16(), 400, "{query}");
        assert_eq!(resp.headers()["content-type"], "application/problem+json", "{query}");
    }
}

#[tokio::test]
async fn patch_records_an_update_and_refuses_runtime_fields() {
    let d = Daemon::start().await;
    let c = d.client();
    c.create_session_with_id("s", &tagged("a task", &["old"])).await.unwrap();
    task_done(&c, "s").await;
    let update = UpdateSessionRequest {
        label: Some("renamed".into()),
        tags: Some(vec!["new".into(), "x/y".into()]),
        metadata: Some(Some(serde_json::from_str(r#"{"ticket": 42}"#).unwrap())),
    };
    let info = c.update_session("s", &update).await.unwrap();
    assert_eq!((info.label.as_deref(), info.tags.clone()), (Some("renamed"), vec!["new".into(), "x/y".into()]));
    assert_eq!(serde_json::to_value(&info.metadata).unwrap(), serde_json::json!({"ticket": 42}));
    let query = EventsQuery { type_: Some("session.updated".into()), ..Default::default() };
    let updated = c.events("s", &query).await.unwrap().events;
    let EventData::SessionUpdated(u) = &updated[0].data else { panic!("{updated:?}") };
    assert_eq!(
        (u.fields.clone(), u.updated_by.as_str()),
        (vec!["label".into(), "tags".into(), "metadata".into()], "daemon")
    );
    // `null` clears the metadata; an absent field leaves it.
    let http = reqwest::Client::new();
    let patch = |body: &'static str| {
        http.patch(format!("{}/v1/sessions/s", d.url)).header("content-type", "application/json").body(body).send()
    };
    assert_eq!(patch(r#"{"label": "again"}"#).await.unwrap().status().as_u16(), 200);
    assert!(c.get_session("s").await.unwrap().metadata.is_some());
    assert_eq!(patch(r#"{"metadata": null}"#).await.unwrap().status().as_u16(), 200);
    let info = c.get_session("s").await.unwrap();
    assert_eq!((info.metadata, info.label.as_deref()), (None, Some("again")));
    for body in [r#"{"agent": "claude"}"#, r#"{"model": "x"}"#, r#"{"tags": ["bad tag"]}"#, r#"{"metadata": 3}"#] {
        let resp = patch(body).await.unwrap();
        assert_eq!(resp.status().as_u16(), 422, "{body}");
        assert_eq!(resp.headers()["content-type"], "application/problem+json", "{body}");
    }
    assert_eq!(c.get_session("s").await.unwrap().label.as_deref(), Some("again"), "nothing changed");
}

#[tokio::test]
async fn an_archived_session_is_read_only_hidden_and_readable_and_delete_removes_its_workspace() {
    let d = Daemon::start().await;
    let c = d.client();
    c.create_session_with_id("s", &tagged("archive me", &[])).await.unwrap();
    task_done(&c, "s").await;
    c.create_session_with_id("other", &tagged("stay", &[])).await.unwrap();
    let before = all_events(&c, "s").await.len();
    assert_eq!(c.archive_session("s").await.unwrap().status, SessionStatus::Archived);
    let info = c.get_session("s").await.unwrap();
    assert!(info.archived && info.status == SessionStatus::Archived);
    let refused = c.send_message("s", "more").await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((refused.status, refused.code()), (409, "session_archived"));
    let refused = c.resume_session("s").await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((refused.status, refused.code()), (409, "session_archived"));
    let refused = c.reply_permission("s", "perm_1", PermissionReply::Once).await.unwrap_err();
    assert_eq!(refused.problem().unwrap().code(), "session_archived");
    let refused = c.reply_question("s", "q_1", vec![vec!["Red".into()]]).await.unwrap_err();
    assert_eq!(refused.problem().unwrap().code(), "session_archived");
    // Nothing runs, so an interrupt has nothing to do: 204, as for any session at rest.
    c.interrupt("s").await.unwrap();
    let relabel = UpdateSessionRequest { label: Some("x".into()), ..Default::default() };
    assert_eq!(c.update_session("s", &relabel).await.unwrap_err().problem().unwrap().status, 409);
    assert_eq!(ids(&c.list_sessions(&Default::default()).await.unwrap()), ["other"]);
    let with = SessionListQuery { include_archived: Some(true), ..Default::default() };
    assert_eq!(ids(&c.list_sessions(&with).await.unwrap()), ["other", "s"]);
    // Every event is kept and the transcript still reads.
    assert!(all_events(&c, "s").await.len() >= before);
    let transcript = c.transcript("s", &Default::default()).await.unwrap();
    assert_eq!(transcript.entries[1].text.as_deref(), Some("archive me"), "{transcript:?}");
    let workspace = info.workspace.clone().unwrap();
    assert!(Path::new(&workspace).is_dir(), "the workspace is kept");
    c.delete_session("s").await.unwrap();
    assert!(!Path::new(&workspace).exists(), "delete removes the workspace");
    assert_eq!(c.get_session("s").await.unwrap_err().problem().unwrap().status, 404);
    assert_eq!(c.events("s", &Default::default()).await.unwrap_err().problem().unwrap().status, 404);
}

#[tokio::test]
async fn resume_wakes_a_paused_session_now() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    assert_eq!(assistant_text(&turn(&c, "s", "echo first").await), "first");
    let d = d.restart().await;
    let c = d.client();
    assert_eq!(c.get_session("s").await.unwrap().status, SessionStatus::Paused);
    assert_eq!(c.resume_session("s").await.unwrap().status, SessionStatus::Idle);
    assert_eq!(c.get_session("s").await.unwrap().status, SessionStatus::Idle);
    assert_eq!(c.resume_session("s").await.unwrap().status, SessionStatus::Idle, "resuming twice is harmless");
    assert_eq!(assistant_text(&turn(&c, "s", "echo second").await), "second");
    c.terminate("s").await.unwrap();
    let ended = c.resume_session("s").await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((ended.status, ended.code()), (409, "session_ended"));
    let missing = c.resume_session("nope").await.unwrap_err().problem().cloned().unwrap();
    assert_eq!(missing.status, 404);
}
