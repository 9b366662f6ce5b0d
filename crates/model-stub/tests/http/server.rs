//! Routing, error handling, recording, waiting, lifecycle and the binary.

use std::io::{Read, Write};
use std::time::Duration;

use sandbox_agent_model_stub::{Api, ModelStub, Reply};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::support::*;

#[tokio::test]
async fn root_answers_head_and_get() {
    let stub = ModelStub::start().await;
    let head = client().head(stub.url()).send().await.unwrap();
    assert_eq!(head.status(), 200);
    let get = client().get(format!("{}/", stub.url())).send().await.unwrap();
    assert_eq!(get.status(), 200);
    assert_eq!(get.json::<Value>().await.unwrap()["ok"], true);
    let recorded = stub.requests();
    assert_eq!(
        recorded.iter().map(|r| (r.method.as_str(), r.api)).collect::<Vec<_>>(),
        [("HEAD", Api::Root), ("GET", Api::Root)]
    );
    assert!(stub.turns().is_empty());
}

#[tokio::test]
async fn models_list() {
    let stub = ModelStub::start().await;
    let body: Value = client().get(format!("{}/v1/models", stub.url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["object"], "list");
    assert!(body["data"].as_array().unwrap().iter().any(|m| m["id"] == "mock-model"));
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
    let stub = ModelStub::start().await;
    let response = client().post(format!("{}/v1/embeddings", stub.url())).body("{}").send().await.unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("/v1/embeddings"));

    let response = client().get(format!("{}/v1/messages", stub.url())).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.json::<Value>().await.unwrap()["type"], "error");
    assert_eq!(stub.requests().iter().map(|r| r.status).collect::<Vec<_>>(), [404, 405]);
}

#[tokio::test]
async fn garbage_bodies_are_4xx_in_each_api_envelope() {
    let stub = ModelStub::start().await;
    stub.push(Reply::text("kept"));
    for (path, body) in [
        ("/v1/messages", "not json"),
        ("/v1/responses", "{\"input\": "),
        ("/v1/chat/completions", "[1, 2]"),
        ("/v1/messages", "{\"model\": \"m\"}"),
        ("/v1/responses", ""),
    ] {
        let response = client().post(format!("{}{path}", stub.url())).body(body).send().await.unwrap();
        assert_eq!(response.status(), 400, "{path} {body:?}");
        let json: Value = response.json().await.unwrap();
        assert!(json["error"]["message"].as_str().unwrap().starts_with("model-stub:"), "{json}");
        if path == "/v1/messages" {
            assert_eq!(json["error"]["type"], "invalid_request_error");
        }
    }
    assert_eq!(stub.pending(), 1, "rejected requests must not consume the script");
    let recorded = stub.requests();
    assert_eq!(recorded[0].body, json!("not json"));
    assert_eq!(recorded[3].body, json!({"model": "m"}));
}

#[tokio::test]
async fn compressed_bodies_get_415_not_a_hang() {
    let stub = ModelStub::start().await;
    for encoding in ["gzip", "zstd"] {
        let response = client()
            .post(format!("{}/v1/responses", stub.url()))
            .header("content-encoding", encoding)
            .body(vec![0x1f, 0x8b, 0x08, 0x00])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 415);
        let body: Value = response.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains(encoding));
    }
    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test]
async fn recorded_requests_keep_headers_and_body() {
    let stub = ModelStub::start().await;
    client()
        .post(format!("{}/v1/messages?beta=true", stub.url()))
        .header("x-api-key", "dummy")
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "m", "messages": [{"role": "user", "content": "hello"}], "tools": claude_tools()}))
        .send()
        .await
        .unwrap();
    let r = &stub.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str(), r.query.as_deref()), ("POST", "/v1/messages", Some("beta=true")));
    assert_eq!(r.header("X-Api-Key"), Some("dummy"));
    assert_eq!(r.headers["anthropic-version"], "2023-06-01");
    assert_eq!(r.body["messages"][0]["content"], "hello");
    assert_eq!(r.tool_names(), ["Task", "Bash", "Write", "AskUserQuestion"]);
    assert_eq!((r.api, r.side, r.scripted, r.status), (Api::Anthropic, false, false, 200));
}

#[tokio::test]
async fn wait_for_requests_wakes_on_arrival_and_times_out_readably() {
    let stub = ModelStub::start().await;
    let err = stub.wait_for_requests(1, Duration::from_millis(100)).await.unwrap_err();
    assert!(err.to_string().contains("0 request(s)"), "{err}");

    let url = stub.url();
    let (waited, ()) = tokio::join!(stub.wait_for_requests(2, T), async {
        client().head(&url).send().await.unwrap();
        client().get(format!("{url}/v1/models")).send().await.unwrap();
    });
    assert_eq!(waited.unwrap().len(), 2);

    let err = stub.wait_until(Duration::from_millis(50), |r| r.iter().any(|r| r.api.is_model())).await.unwrap_err();
    assert_eq!(err.seen.len(), 2);
    assert!(err.to_string().contains("GET /v1/models -> 200"), "{err}");
    assert!(stub.wait_for_turns(1, Duration::from_millis(50)).await.is_err());
}

#[tokio::test]
async fn stub_is_recorded_before_a_delayed_non_streaming_reply() {
    let stub = ModelStub::start().await;
    stub.push(Reply::delay(60_000, Reply::text("late")));
    let url = stub.url();
    let pending = tokio::spawn(async move {
        client()
            .post(format!("{url}/v1/chat/completions"))
            .json(&json!({"messages": [{"role": "user", "content": "hi"}], "tools": opencode_tools()}))
            .send()
            .await
    });
    let recorded = stub.wait_for_requests(1, T).await.unwrap();
    assert!(recorded[0].scripted);
    assert!(!pending.is_finished());
    pending.abort();
}

/// `bind` works without any runtime, and the server thread answers while
/// the calling thread blocks (as a test driving a CLI synchronously would).
#[test]
fn bind_serves_blocking_callers_and_stops_on_drop() {
    let stub = ModelStub::bind("127.0.0.1:0").unwrap();
    let addr = stub.addr();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(T)).unwrap();
    stream.write_all(b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert_eq!(stub.requests().len(), 1);

    drop(stub);
    // The server thread winds down asynchronously; poll with a deadline.
    let deadline = std::time::Instant::now() + T;
    while std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
        assert!(std::time::Instant::now() < deadline, "server still accepting after drop");
        std::thread::yield_now();
    }
}

#[tokio::test]
async fn binary_serves_a_script_file() {
    let dir = std::env::temp_dir().join(format!("model-stub-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("script.json");
    std::fs::write(&script, r#"[{"text": "from the file"}]"#).unwrap();

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_model-stub"))
        .args(["--port", "0", "--script"])
        .arg(&script)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(T, lines.next_line()).await.unwrap().unwrap().unwrap();
    let url = line.strip_prefix("listening on ").unwrap_or_else(|| panic!("{line}")).to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let body: Value = client()
        .post(format!("{url}/v1/chat/completions"))
        .json(&json!({"messages": [{"role": "user", "content": "hi"}], "tools": opencode_tools()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["choices"][0]["message"]["content"], "from the file");
    child.kill().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
