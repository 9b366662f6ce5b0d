//! The Coder Hub surface's edges over raw HTTP and WebSocket (the real `CoderClient` drives the
//! happy paths in `sdks/typescript/test/coder-compat.test.ts`): bad input, keys in the query,
//! session tokens, WebSocket refusals, a stream that outlives its session, and secrets.

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::common::*;
use sandbox_agent_test_support::git::{file_url, Repo};

pub(crate) const TOKEN: &str = "hub-daemon-token";

async fn daemon() -> Daemon {
    Daemon::start_with(&["--token", TOKEN, "--coder-agent", "mock", "--sse-ping-ms", "50"]).await
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// A Hub call the way its client makes it: JSON content type on every method, the key as bearer.
pub(crate) async fn call(d: &Daemon, method: reqwest::Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = http()
        .request(method, format!("{}{path}", d.url))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json");
    req = match body {
        Some(body) => req.body(body.to_string()),
        None => req.header("content-length", "0"),
    };
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn create(d: &Daemon, body: Value) -> String {
    let (status, created) = call(d, reqwest::Method::POST, "/api/hub/session", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["sessionId"].as_str().unwrap().to_string();
    sse_until(&d.client(), &id, 0, |e| e.data.event_type() == "turn.ended").await;
    id
}

/// A refusal: the status, and the `error` string the Hub's client shows (beside the problem).
fn refused(reply: &(StatusCode, Value), status: StatusCode, needle: &str) {
    assert_eq!(reply.0, status, "{}", reply.1);
    let error = reply.1["error"].as_str().unwrap_or_else(|| panic!("no error string: {}", reply.1));
    assert!(error.contains(needle), "{error:?} lacks {needle:?}");
    assert_eq!(reply.1["detail"], reply.1["error"]);
    assert_eq!(reply.1["status"], status.as_u16());
}

#[tokio::test]
async fn bad_input_gets_a_problem_with_an_error_string_and_changes_nothing() {
    let d = daemon().await;
    let post = |body: &str| {
        http()
            .post(format!("{}/api/hub/session", d.url))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    let malformed = post("{\"task\": ").await.unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert!(malformed.headers()["content-type"].to_str().unwrap().contains("json"));
    let body: Value = malformed.json().await.unwrap();
    assert_eq!(body["type"], "urn:sandbox-agent:error:invalid_json");
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");

    let post_json = |body: Value| call(&d, reqwest::Method::POST, "/api/hub/session", Some(body));
    refused(&post_json(json!({"label": "no task"})).await, StatusCode::UNPROCESSABLE_ENTITY, "task");
    refused(
        &post_json(json!({"task": "t", "runtime": "bun:1"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "\"runtime\"",
    );
    refused(
        &post_json(json!({"task": "t", "visibility": "organization"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "private",
    );
    refused(
        &post_json(json!({"task": "t", "workspaceId": "hworkspace_1"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "workspaceId",
    );
    refused(&post_json(json!({"task": "t", "agent": "gpt-9"})).await, StatusCode::UNPROCESSABLE_ENTITY, "gpt-9");
    refused(
        &post_json(json!({"task": "t", "repo": {"url": "file:///x", "path": "sub"}})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "path",
    );
    refused(
        &post_json(json!({"task": "t", "skills": [{"skillId": "frontend-design", "repo": "anthropics/skills"}]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "frontend-design",
    );
    refused(&post_json(json!({"task": "t", "tags": ["bad tag!"]})).await, StatusCode::UNPROCESSABLE_ENTITY, "tag");
    let huge = json!({"task": "x".repeat(2 * 1024 * 1024)});
    refused(&post_json(huge).await, StatusCode::PAYLOAD_TOO_LARGE, "larger than the limit");
    let (_, list) = call(&d, reqwest::Method::GET, "/api/hub/sessions?includeArchived=true", None).await;
    assert_eq!(list["total"], 0, "a refused create made a session: {list}");

    // Unknown ids and routes, traversal in the id, a bad query, a wrong method.
    refused(
        &call(&d, reqwest::Method::GET, "/api/hub/session/nope", None).await,
        StatusCode::NOT_FOUND,
        "session not found: nope",
    );
    refused(
        &call(&d, reqwest::Method::GET, "/api/hub/session/..%2F..%2Fetc", None).await,
        StatusCode::BAD_REQUEST,
        "invalid session id",
    );
    refused(
        &call(&d, reqwest::Method::POST, "/api/hub/session/nope/archive", None).await,
        StatusCode::NOT_FOUND,
        "nope",
    );
    refused(&call(&d, reqwest::Method::GET, "/api/hub/workspaces", None).await, StatusCode::NOT_FOUND, "no route");
    refused(
        &call(&d, reqwest::Method::GET, "/api/hub/sessions?limit=ten", None).await,
        StatusCode::BAD_REQUEST,
        "limit",
    );
    refused(&call(&d, reqwest::Method::PUT, "/api/hub/sessions", None).await, StatusCode::METHOD_NOT_ALLOWED, "PUT");

    let id = create(&d, json!({"task": "hello", "label": "kept"})).await;
    let path = format!("/api/hub/session/{id}");
    let patch = |body: Value| call(&d, reqwest::Method::PATCH, &path, Some(body));
    refused(&patch(json!({"defaultAgent": "scout"})).await, StatusCode::UNPROCESSABLE_ENTITY, "defaultAgent");
    refused(
        &patch(json!({"metadata": {"n": 1}, "workflowMode": "loop"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "workflowMode",
    );
    let (_, detail) = call(&d, reqwest::Method::GET, &format!("/api/hub/session/{id}"), None).await;
    assert_eq!((detail["label"].as_str(), detail.get("metadata")), (Some("kept"), None), "{detail}");
}

#[tokio::test]
async fn keys_come_as_bearer_or_api_key_and_session_tokens_see_their_session_only() {
    let d = daemon().await;
    let c = d.client();
    let (a, b) = (create(&d, json!({"task": "one"})).await, create(&d, json!({"task": "two"})).await);
    let get = |path: String, key: Option<&str>| {
        let url = match key {
            Some(key) => format!("{}{path}?api_key={key}", d.url),
            None => format!("{}{path}", d.url),
        };
        async move {
            let res = http().get(url).header("content-type", "application/json").send().await.unwrap();
            let status = res.status();
            (status, res.json::<Value>().await.unwrap_or_default())
        }
    };
    assert_eq!(get(format!("/api/hub/session/{a}"), Some(TOKEN)).await.0, StatusCode::OK);
    refused(&get(format!("/api/hub/session/{a}"), None).await, StatusCode::UNAUTHORIZED, "token invalid");
    refused(&get(format!("/api/hub/session/{a}"), Some("wrong")).await, StatusCode::UNAUTHORIZED, "token invalid");

    let observer = c
        .create_token(
            &a,
            &sandbox_agent_schema::TokenRequest {
                name: "app".into(),
                role: sandbox_agent_schema::ParticipantRole::Observer,
                ttl_seconds: None,
            },
        )
        .await
        .unwrap();
    let key = Some(observer.token.as_str());
    assert_eq!(get(format!("/coder/api/hub/session/{a}/events/history"), key).await.0, StatusCode::OK);
    refused(&get(format!("/api/hub/session/{b}"), key).await, StatusCode::FORBIDDEN, &format!("session {a} only"));
    refused(&get("/api/hub/sessions".into(), key).await, StatusCode::FORBIDDEN, "only the daemon token");
    let resume =
        http().post(format!("{}/api/hub/session/{a}/resume?api_key={}", d.url, observer.token)).send().await.unwrap();
    assert_eq!(resume.status(), StatusCode::FORBIDDEN);
    c.revoke_token(&a, &observer.participant_id).await.unwrap();
    refused(&get(format!("/api/hub/session/{a}"), key).await, StatusCode::UNAUTHORIZED, "token invalid");
}

pub(crate) async fn ws(
    d: &Daemon,
    query: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let url = format!("{}/api/ws?{query}", d.url.replace("http://", "ws://"));
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

/// Text frames until the close; the close code.
async fn until_close(
    socket: &mut (impl StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin),
) -> (Vec<Value>, u16) {
    tokio::time::timeout(WAIT, async {
        let mut frames = Vec::new();
        while let Some(msg) = socket.next().await {
            match msg.unwrap() {
                Message::Text(t) => frames.push(serde_json::from_str(&t).unwrap()),
                Message::Close(frame) => return (frames, frame.map_or(0, |f| u16::from(f.code))),
                _ => {}
            }
        }
        panic!("closed without a close frame: {frames:?}")
    })
    .await
    .expect("no close")
}

#[tokio::test]
async fn the_websocket_refuses_with_the_hubs_close_codes_and_takes_the_key_from_its_first_frame() {
    let d = daemon().await;
    let id = create(&d, json!({"task": "hi"})).await;
    for (query, code, reason) in [
        (format!("sessionId={id}&api_key=wrong"), 4401, "auth_failed"),
        (format!("sessionId={id}&role=lead&api_key={TOKEN}"), 4400, "unsupported_role"),
        (format!("role=observer&api_key={TOKEN}"), 4400, "bad_request"),
        (format!("sessionId=ghost&api_key={TOKEN}"), 4404, "session_not_found"),
    ] {
        let mut socket = ws(&d, &query).await;
        let (frames, closed) = until_close(&mut socket).await;
        assert_eq!(
            (closed, frames[0]["type"].as_str(), frames[0]["code"].as_str()),
            (code, Some("connection_rejected"), Some(reason)),
            "{query}"
        );
    }
    let observer = d
        .client()
        .create_token(
            &id,
            &sandbox_agent_schema::TokenRequest {
                name: "o".into(),
                role: sandbox_agent_schema::ParticipantRole::Observer,
                ttl_seconds: None,
            },
        )
        .await
        .unwrap();
    let mut socket = ws(&d, &format!("sessionId={id}&role=controller&api_key={}", observer.token)).await;
    assert_eq!(until_close(&mut socket).await.1, 4403);

    // No key in the query: the first frame carries it, as the Hub's client sends it.
    let mut socket = ws(&d, &format!("sessionId={id}&role=controller")).await;
    socket.send(Message::Text(json!({"authorization": TOKEN, "org_id": "o"}).to_string().into())).await.unwrap();
    let first = tokio::time::timeout(WAIT, socket.next()).await.unwrap().unwrap().unwrap();
    let init: Value = serde_json::from_str(first.to_text().unwrap()).unwrap();
    assert_eq!(
        (init["type"].as_str(), init["role"].as_str(), init["sessionId"].as_str()),
        (Some("init"), Some("controller"), Some(id.as_str()))
    );
    let participants = d.client().participants(&id).await.unwrap().participants;
    let attached = participants
        .iter()
        .find(|p| p.transport == sandbox_agent_schema::ParticipantTransport::Ws)
        .expect("a ws participant");
    assert_eq!(
        (attached.role, attached.disconnected_at.is_none()),
        (sandbox_agent_schema::ParticipantRole::Controller, true)
    );
    socket.send(Message::Text(json!({"type": "ping", "timestamp": 7}).to_string().into())).await.unwrap();
    socket.send(Message::Text("not json".into())).await.unwrap();
    socket
        .send(Message::Text(
            json!({"type": "rpc_command", "id": "r1", "command": {"type": "dance"}}).to_string().into(),
        ))
        .await
        .unwrap();
    let mut seen = Vec::new();
    tokio::time::timeout(WAIT, async {
        while seen.iter().filter(|f: &&Value| f.get("actions").is_some()).count() == 0 {
            let Message::Text(t) = socket.next().await.unwrap().unwrap() else { continue };
            seen.push(serde_json::from_str::<Value>(&t).unwrap());
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{seen:?}"));
    let kinds: Vec<_> = seen.iter().filter_map(|f| f["type"].as_str()).collect();
    assert!(
        kinds.contains(&"pong") && kinds.contains(&"protocol_error") && kinds.contains(&"rpc_response"),
        "{seen:?}"
    );
    assert!(seen.iter().any(|f| f["type"] == "pong" && f["echoedTimestamp"] == 7));
    let acted = seen.iter().find(|f| f.get("actions").is_some()).unwrap();
    assert_eq!(acted["id"], "r1");
    assert!(acted["actions"][0]["reason"].as_str().unwrap().contains("unknown command \"dance\""), "{acted}");
}

/// Reads the body into `seen` until `needle` is in it (true) or the body ends (false).
pub(crate) async fn read_until<S, B, E>(body: &mut S, seen: &mut String, needle: &str) -> bool
where
    S: futures_util::Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Debug,
{
    tokio::time::timeout(WAIT, async {
        while !seen.contains(needle) {
            match body.next().await {
                Some(chunk) => seen.push_str(&String::from_utf8_lossy(chunk.unwrap().as_ref())),
                None => return false,
            }
        }
        true
    })
    .await
    .unwrap_or_else(|_| panic!("no {needle:?} in {seen}"))
}

#[tokio::test]
async fn the_stream_outlives_its_session_and_ends_when_the_session_is_deleted() {
    let d = daemon().await;
    let id = create(&d, json!({"task": "wait for the end"})).await;
    let res = http().get(format!("{}/api/hub/session/{id}/events?api_key={TOKEN}", d.url)).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut body = res.bytes_stream();
    let mut seen = String::new();
    assert!(read_until(&mut body, &mut seen, "event: hydration").await);
    d.client().terminate(&id).await.unwrap();
    assert!(read_until(&mut body, &mut seen, "\"session_shutdown\"").await, "{seen}");
    // Past the end: pings, not a close (its client would reconnect at once).
    let mut after = String::new();
    assert!(read_until(&mut body, &mut after, ": ping\n\n: ping").await, "{after}");
    let (status, _) = call(&d, reqwest::Method::DELETE, &format!("/api/hub/session/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!read_until(&mut body, &mut after, "never sent").await, "the stream stayed open after the delete");
}

#[tokio::test]
async fn repo_credentials_and_env_never_leave_the_daemon() {
    let d = daemon().await;
    let repo = Repo::init(d.data_path().join("src-repo"), "main");
    repo.commit(&[("a.txt", "a")], "first");
    let body = json!({"task": "look", "env": {"SECRET_ENV": "env-s3cr3t-value"},
        "repo": {"url": file_url(&repo.dir), "token": "repo-s3cr3t-token"}});
    let id = create(&d, body).await;
    let mut everything = String::new();
    for path in ["", "/events/history?limit=500", "/replay", "/participants", "/loop"] {
        let (status, body) = call(&d, reqwest::Method::GET, &format!("/api/hub/session/{id}{path}"), None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        everything.push_str(&body.to_string());
    }
    everything.push_str(&call(&d, reqwest::Method::GET, "/api/hub/sessions", None).await.1.to_string());
    assert!(everything.contains(&id));
    for secret in ["env-s3cr3t-value", "repo-s3cr3t-token"] {
        assert!(!everything.contains(secret), "{secret} was served");
    }
}
