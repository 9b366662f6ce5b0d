//! Participants and scoped tokens: what each role may do, walked route by route from the
//! OpenAPI document; expiry; presence; who answered.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sandbox_agent_client::{Client, SseOptions};
use sandbox_agent_schema::*;

use crate::common::*;

const DAEMON_TOKEN: &str = "daemon-secret";

async fn issue(c: &Client, id: &str, name: &str, role: ParticipantRole, ttl: Option<u64>) -> TokenResponse {
    c.create_token(id, &TokenRequest { name: name.into(), role, ttl_seconds: ttl }).await.unwrap()
}

/// Every operation of the served OpenAPI document with the given token, on session `own` and
/// on another one: the status of each, as `(scope, method, path, on_own, status)`.
async fn walk(d: &Daemon, token: &str, own: &str, other: &str) -> Vec<(String, String, String, bool, u16)> {
    let http = reqwest::Client::new();
    let doc: serde_json::Value = d.client().openapi().await.unwrap();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let scope = op["security"][0]["bearer"][0].as_str().unwrap_or("public").to_string();
            // The files API names its session in the query.
            let fs = path.starts_with("/v1/fs/");
            for (session, on_own) in [(own, true), (other, false)] {
                if !path.contains("{session_id}") && !fs && !on_own {
                    continue;
                }
                let mut url = format!("{}{}", d.url, path)
                    .replace("{session_id}", session)
                    .replace("{agent}", "mock")
                    .replace(['{', '}'], "");
                if fs {
                    url.push_str(&format!("?path=walk-probe&sessionId={session}"));
                }
                let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                // Headers are enough: an SSE stream is dropped as soon as it answers.
                let resp = http.request(method.clone(), &url).bearer_auth(token).json(&serde_json::json!({})).send();
                let status = tokio::time::timeout(WAIT, resp).await.expect("no answer").unwrap().status().as_u16();
                out.push((scope.clone(), method.to_string(), path.clone(), on_own, status));
            }
        }
    }
    out
}

/// Observers read their own session only; controllers also drive it; neither manages it or
/// touches another. Everything a role may not do is 403 and does nothing.
#[tokio::test]
async fn each_role_gets_403_on_every_route_it_may_not_use() {
    let d = Daemon::start_with(&["--token", DAEMON_TOKEN]).await;
    let c = d.client();
    new_session(&c, "s").await;
    new_session(&c, "other").await;
    let observer = issue(&c, "s", "viewer", ParticipantRole::Observer, None).await;
    let controller = issue(&c, "s", "driver", ParticipantRole::Controller, None).await;
    for (token, role) in [(&observer.token, "observer"), (&controller.token, "controller")] {
        let results = walk(&d, token, "s", "other").await;
        // What a session token may reach at all, pinned: a new route is the daemon's unless
        // it is added here on purpose.
        let mut scoped: Vec<String> = results
            .iter()
            .filter(|r| r.3 && r.0.starts_with("session:"))
            .map(|r| format!("{} {} {}", r.0, r.1, r.2))
            .collect();
        scoped.sort();
        let s = "/v1/sessions/{session_id}";
        let files = [
            "session:read GET /v1/fs/entries",
            "session:read GET /v1/fs/file",
            "session:read GET /v1/fs/stat",
            "session:write DELETE /v1/fs/entry",
            "session:write POST /v1/fs/mkdir",
            "session:write POST /v1/fs/move",
            "session:write POST /v1/fs/upload-batch",
            "session:write PUT /v1/fs/file",
            "session:read GET /v1/sessions/{session_id}/terminals",
            "session:read GET /v1/sessions/{session_id}/terminals/{terminal_id}",
            "session:read GET /v1/sessions/{session_id}/terminals/{terminal_id}/ws",
            "session:write POST /v1/sessions/{session_id}/terminals",
            "session:write DELETE /v1/sessions/{session_id}/terminals/{terminal_id}",
        ];
        let mut expected: Vec<String> = [
            "",
            "/artifacts",
            "/artifacts/{name}",
            "/events",
            "/events/sse",
            "/loop",
            "/participants",
            "/result",
            "/transcript",
        ]
        .iter()
        .map(|p| format!("session:read GET {s}{p}"))
        .chain(files.iter().map(|f| f.to_string()))
        .chain(
            [
                "/interrupt",
                "/messages",
                "/messages/stream",
                "/permissions/{permission_id}/reply",
                "/questions/{question_id}/reject",
                "/questions/{question_id}/reply",
                "/resume",
            ]
            .iter()
            .map(|p| format!("session:write POST {s}{p}")),
        )
        .collect();
        expected.sort();
        assert_eq!(scoped, expected);
        assert!(results.len() >= 30, "{role}: only {} requests", results.len());
        for (scope, method, path, on_own, status) in results {
            let allowed = match scope.as_str() {
                "public" => true,
                "session:read" => on_own,
                "session:write" => on_own && role == "controller",
                _ => false,
            };
            let what = format!("{role} {method} {path} (own session: {on_own}, scope {scope}): {status}");
            if allowed {
                assert!(status != 401 && status != 403, "{what}");
            } else {
                assert_eq!(status, 403, "{what}");
            }
        }
    }
    // Nothing forbidden happened: both sessions are there, not archived, with no turn sent.
    let list = c.list_sessions(&Default::default()).await.unwrap();
    assert_eq!(list.total, 2);
    assert!(list.sessions.iter().all(|s| !s.archived && !s.ended), "{:?}", list.sessions);
    let other = all_events(&c, "other").await;
    assert_eq!(count(&other, "turn.started"), 0, "{:?}", types(&other));
}

#[tokio::test]
async fn a_controller_messages_and_answers_with_its_name_on_the_answer_but_cannot_archive() {
    let d = Daemon::start_with(&["--token", DAEMON_TOKEN]).await;
    let c = d.client();
    new_session(&c, "s").await;
    let issued = issue(&c, "s", "driver", ParticipantRole::Controller, None).await;
    let controller = c.with_token(Some(issued.token.clone()));
    let start = c.get_session("s").await.unwrap().event_count;
    controller.send_message("s", "permissions").await.unwrap();
    let asked = sse_until(&controller, "s", start, |e| match &e.data {
        EventData::PermissionRequested(p) => p.permission_id.ends_with("_2"),
        _ => false,
    })
    .await;
    let ids = permission_ids(&asked);
    controller.reply_permission("s", &ids[0], PermissionReply::Once).await.unwrap();
    c.reply_permission("s", &ids[1], PermissionReply::Reject).await.unwrap();
    let rest = sse_until(&c, "s", asked.last().unwrap().sequence, |e| e.data.event_type() == "turn.ended").await;
    let answered: Vec<(PermissionStatus, Option<&str>)> = rest
        .iter()
        .filter_map(|e| match &e.data {
            EventData::PermissionResolved(p) => Some((p.status, p.answered_by.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(
        answered,
        [
            (PermissionStatus::Approved, Some(issued.participant_id.as_str())),
            (PermissionStatus::Denied, Some("daemon"))
        ]
    );
    let refused = controller.archive_session("s").await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((refused.status, refused.code()), (403, "forbidden"));
    assert_eq!(refused.detail.as_deref(), Some("only the daemon token may do this"));
    let more = TokenRequest { name: "more".into(), role: ParticipantRole::Controller, ttl_seconds: None };
    assert_eq!(controller.create_token("s", &more).await.unwrap_err().problem().unwrap().status, 403);
    assert!(!c.get_session("s").await.unwrap().archived);
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let d = Daemon::start_with(&["--token", DAEMON_TOKEN]).await;
    let c = d.client();
    new_session(&c, "s").await;
    let issued_at = Instant::now();
    let issued = issue(&c, "s", "brief", ParticipantRole::Observer, Some(1)).await;
    let observer = c.with_token(Some(issued.token));
    // Valid now (unless this machine took a whole second to get here), refused once it expires.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match observer.get_session("s").await {
            Ok(info) => assert_eq!(info.session_id, "s"),
            Err(err) => {
                let problem = err.problem().cloned().unwrap();
                assert_eq!((problem.status, problem.code()), (401, "token_invalid"));
                break;
            }
        }
        assert!(Instant::now() < deadline, "the token never expired");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(issued_at.elapsed() >= Duration::from_secs(1), "refused before its expiry");
    for ttl in [0, 31 * 24 * 3600] {
        let req = TokenRequest { name: "x".into(), role: ParticipantRole::Observer, ttl_seconds: Some(ttl) };
        assert_eq!(c.create_token("s", &req).await.unwrap_err().problem().unwrap().status, 422, "ttl {ttl}");
    }
}

#[tokio::test]
async fn sse_attachments_join_and_leave_as_named_participants() {
    let d = Daemon::start_with(&["--token", DAEMON_TOKEN]).await;
    let c = d.client();
    new_session(&c, "s").await;
    let start = c.get_session("s").await.unwrap().event_count;
    let issued = issue(&c, "s", "viewer", ParticipantRole::Observer, None).await;
    let observer = c.with_token(Some(issued.token.clone()));
    let opts = SseOptions { participant: Some("dashboard".into()), ..Default::default() };
    let mut stream = observer.events_sse("s", &opts).await.unwrap();
    // Its own arrival is the first thing it sees after the token's.
    let joined = tokio::time::timeout(WAIT, async {
        loop {
            let ev = stream.next().await.expect("stream open").unwrap();
            if let EventData::ParticipantJoined(p) = ev.data {
                if p.participant.transport == ParticipantTransport::Sse {
                    return p.participant;
                }
            }
        }
    })
    .await
    .unwrap();
    assert_eq!((joined.name.as_str(), joined.role), ("dashboard", ParticipantRole::Observer));
    assert_eq!(joined.principal, issued.participant_id);
    let listed = c.participants("s").await.unwrap().participants;
    let live = listed.iter().find(|p| p.id == joined.id).unwrap();
    assert!(live.disconnected_at.is_none());
    let token = listed.iter().find(|p| p.id == issued.participant_id).unwrap();
    assert_eq!((token.transport, token.name.as_str()), (ParticipantTransport::Token, "viewer"));
    assert!(token.expires_at.is_some());
    assert!(c.get_session("s").await.unwrap().participant_count >= 1);
    drop(stream);
    let left = sse_until(
        &c,
        "s",
        start,
        |e| matches!(&e.data, EventData::ParticipantLeft(p) if p.participant.id == joined.id),
    )
    .await;
    let EventData::ParticipantLeft(p) = &left.last().unwrap().data else { unreachable!() };
    assert!(p.participant.disconnected_at.is_some());
    let gone = c.participants("s").await.unwrap().participants;
    assert!(gone.iter().find(|p| p.id == joined.id).unwrap().disconnected_at.is_some(), "who was there is kept");
    // A name by header works too.
    let http = reqwest::Client::new();
    let resp = http
        .get(format!("{}/v1/sessions/s/events/sse", d.url))
        .bearer_auth(DAEMON_TOKEN)
        .header("x-participant-name", "by-header")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let named = sse_until(
        &c,
        "s",
        start,
        |e| matches!(&e.data, EventData::ParticipantJoined(p) if p.participant.name == "by-header"),
    )
    .await;
    let EventData::ParticipantJoined(p) = &named.last().unwrap().data else { unreachable!() };
    assert_eq!((p.participant.role, p.participant.principal.as_str()), (ParticipantRole::Controller, "daemon"));
    drop(resp);
}
