//! ACP over HTTP through the Rust client and the CLI (the real ACP SDK client drives it in
//! `sdks/typescript/test/acp.test.ts`): the mock agent behind a connection, and bad input.

use futures_util::StreamExt;
use serde_json::{json, Value};

use crate::common::*;

fn rpc(id: u64, method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
}

#[tokio::test]
async fn a_prompt_streams_its_updates_and_answers_when_its_turn_ends() {
    let d = Daemon::start().await;
    let c = d.client();
    let init =
        c.post_acp("ed", Some("mock"), &rpc(1, "initialize", json!({"protocolVersion": 1}))).await.unwrap().unwrap();
    assert_eq!((init["id"].as_u64(), init["result"]["agentInfo"]["name"].as_str()), (Some(1), Some("sandbox-agent")));
    let cwd = d.data_path().join("acp-work");
    let new = rpc(2, "session/new", json!({"cwd": cwd, "mcpServers": []}));
    let session =
        c.post_acp("ed", None, &new).await.unwrap().unwrap()["result"]["sessionId"].as_str().unwrap().to_string();
    let info = c.get_session(&session).await.unwrap();
    assert_eq!((info.agent.as_str(), std::path::PathBuf::from(&info.directory)), ("mock", cwd));

    let prompt = rpc(
        3,
        "session/prompt",
        json!({"sessionId": session, "prompt": [{"type": "text", "text": "echo over the wire"}]}),
    );
    let done = tokio::time::timeout(WAIT, c.post_acp("ed", None, &prompt)).await.unwrap().unwrap().unwrap();
    assert_eq!(done, json!({"jsonrpc": "2.0", "id": 3, "result": {"stopReason": "end_turn"}}));

    // The stream from the start: every update of the turn, numbered 1, 2, 3, …
    let stream = c.acp_events("ed", None).await.unwrap();
    let last = c.list_acp_servers().await.unwrap().servers[0].last_event_id;
    let messages: Vec<_> = tokio::time::timeout(WAIT, stream.take(last as usize).collect::<Vec<_>>()).await.unwrap();
    let messages: Vec<_> = messages.into_iter().map(Result::unwrap).collect();
    assert_eq!(messages.iter().map(|m| m.id).collect::<Vec<_>>(), (1..=last).collect::<Vec<_>>());
    let text: String = messages
        .iter()
        .filter(|m| m.message["params"]["update"]["sessionUpdate"] == "agent_message_chunk")
        .map(|m| m.message["params"]["update"]["content"]["text"].as_str().unwrap().to_string())
        .collect();
    // The mock's greeting at session start, then the reply.
    assert!(text.starts_with("Mock agent ready.") && text.ends_with("over the wire"), "{text}");
    // Resuming after the last one gives nothing old.
    let mut resumed = c.acp_events("ed", Some(last)).await.unwrap();
    assert!(tokio::time::timeout(std::time::Duration::from_millis(300), resumed.next()).await.is_err());

    // An ordinary session: its universal log has the turn.
    let events = c.events(&session, &Default::default()).await.unwrap().events;
    assert!(events.iter().any(|e| e.data.event_type() == "turn.ended"));
    let list = c.list_acp_servers().await.unwrap().servers;
    assert_eq!(
        (list[0].server_id.as_str(), list[0].agent.as_str(), list[0].session_ids.clone()),
        ("ed", "mock", vec![session])
    );
    c.close_acp("ed").await.unwrap();
    assert!(c.list_acp_servers().await.unwrap().servers.is_empty());
}

#[tokio::test]
async fn bad_input_gets_a_problem_or_a_json_rpc_error() {
    let d = Daemon::start().await;
    let c = d.client();
    // Not JSON-RPC at all: a problem.
    let err = c.post_acp("x", None, &json!({"hello": 1})).await.unwrap_err();
    assert_eq!(err.problem().unwrap().status, 400, "{err}");
    let raw = reqwest::Client::new()
        .post(format!("{}/v1/acp/x", d.url))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    assert!(raw.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    // An agent the daemon does not have.
    let err = c.post_acp("y", Some("nope"), &rpc(1, "initialize", json!({}))).await.unwrap_err();
    assert_eq!(err.problem().unwrap().code(), "unsupported_agent");
    // JSON-RPC it cannot serve: a JSON-RPC error, in a 200.
    let answer = c.post_acp("x", None, &rpc(7, "session/fork", json!({}))).await.unwrap().unwrap();
    assert_eq!(answer["error"]["code"], -32601);
    let answer = c
        .post_acp("x", None, &rpc(8, "session/prompt", json!({"sessionId": "ses_nope", "prompt": []})))
        .await
        .unwrap()
        .unwrap();
    assert!(answer["error"]["message"].as_str().unwrap().contains("not open"), "{answer}");
    let answer = c.post_acp("x", None, &rpc(9, "session/new", json!({"cwd": "relative/dir"}))).await.unwrap().unwrap();
    assert!(answer["error"]["message"].as_str().unwrap().contains("absolute"), "{answer}");
    // ACP's MCP servers are the session's: the mock takes none, and says so.
    let with_mcp = json!({"cwd": d.data_path().join("m"), "mcpServers": [{"name": "echo", "command": "python3", "args": ["s.py"], "env": [{"name": "K", "value": "v"}]}]});
    let answer = c.post_acp("x", None, &rpc(10, "session/new", with_mcp)).await.unwrap().unwrap();
    assert!(answer["error"]["message"].as_str().unwrap().contains("MCP servers"), "{answer}");
    // Connections that do not exist.
    for err in [c.acp_events("ghost", None).await.err().unwrap(), c.close_acp("ghost").await.unwrap_err()] {
        assert_eq!(err.problem().unwrap().status, 404);
    }
}

#[tokio::test]
async fn the_cli_posts_lists_follows_and_closes() {
    let d = Daemon::start().await;
    let (code, out, err) = d
        .cli(&["acp", "post", "c1", "--agent", "mock", r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#])
        .await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"protocolVersion\":1"), "{out}");
    let (code, out, _) = d
        .cli(&["acp", "post", "c1", r#"{"jsonrpc":"2.0","method":"session/cancel","params":{"sessionId":"x"}}"#])
        .await;
    assert_eq!((code, out.as_str()), (0, ""), "a notification prints nothing");
    let (_, out, _) = d.cli(&["acp", "list"]).await;
    assert!(out.starts_with("c1 mock sessions []"), "{out}");
    let (code, out, _) = d.cli(&["acp", "close", "c1"]).await;
    assert_eq!((code, out.trim()), (0, "c1 closed"));
    let (code, _, err) = d.cli(&["acp", "events", "c1"]).await;
    assert!(code != 0 && err.contains("no ACP connection c1"), "{err}");
}
