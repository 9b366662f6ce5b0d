//! Bad input gets the right problem detail and loses nothing.

use reqwest::Method;
use serde_json::Value;

use crate::common::*;

struct Case {
    name: &'static str,
    method: Method,
    path: String,
    body: Option<Vec<u8>>,
    content_type: Option<&'static str>,
    status: u16,
    code: &'static str,
}

fn case(name: &'static str, method: Method, path: &str, body: Option<&str>, status: u16, code: &'static str) -> Case {
    Case {
        name,
        method,
        path: path.to_string(),
        body: body.map(|b| b.as_bytes().to_vec()),
        content_type: body.map(|_| "application/json"),
        status,
        code,
    }
}

/// The OpenAPI operation a concrete request hits (templates match one segment per parameter).
fn operation<'a>(doc: &'a Value, method: &Method, path: &str) -> Option<&'a Value> {
    let path = path.split('?').next().unwrap();
    let segments: Vec<&str> = path.split('/').collect();
    doc["paths"].as_object()?.iter().find_map(|(template, item)| {
        let parts: Vec<&str> = template.split('/').collect();
        let matches =
            parts.len() == segments.len() && parts.iter().zip(&segments).all(|(t, s)| t.starts_with('{') || t == s);
        matches.then(|| item.get(method.as_str().to_lowercase())).flatten()
    })
}

async fn check(d: &Daemon, doc: &Value, c: Case) {
    // What the daemon answers is what its OpenAPI document says it may answer.
    if let Some(op) = operation(doc, &c.method, &c.path) {
        let documented = &op["responses"][c.status.to_string()];
        assert_eq!(
            documented["content"]["application/problem+json"]["schema"]["$ref"], "#/components/schemas/ProblemDetails",
            "{}: {} {} is not documented for {} {}",
            c.name, c.status, c.code, c.method, c.path
        );
        assert!(documented["description"].as_str().unwrap().contains(&format!("`{}`", c.code)), "{}", c.name);
    } else {
        assert!(matches!(c.status, 404 | 405), "{}: no operation for {} {}", c.name, c.method, c.path);
    }
    let mut req = reqwest::Client::new().request(c.method.clone(), format!("{}{}", d.url, c.path));
    if let Some(ct) = c.content_type {
        req = req.header("content-type", ct);
    }
    if let Some(body) = c.body {
        req = req.body(body);
    }
    let resp = tokio::time::timeout(WAIT, req.send()).await.unwrap().unwrap();
    assert_eq!(resp.status().as_u16(), c.status, "{}: status", c.name);
    assert_eq!(resp.headers()["content-type"], "application/problem+json", "{}: content type", c.name);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["type"], format!("urn:sandbox-agent:error:{}", c.code), "{}: {body}", c.name);
    assert_eq!(body["status"], c.status, "{}", c.name);
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "{}", c.name);
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()), "{}", c.name);
}

#[tokio::test]
async fn bad_input_table() {
    let d = Daemon::start().await;
    let c = d.client();
    let doc: Value = reqwest::get(format!("{}/v1/openapi.json", d.url)).await.unwrap().json().await.unwrap();
    new_session(&c, "s").await;
    let big = format!(r#"{{"message":"{}"}}"#, "x".repeat(2 * 1024 * 1024));
    let long_id = "a".repeat(129);
    let cases = vec![
        case("malformed json", Method::POST, "/v1/sessions/new1", Some("{bad"), 400, "invalid_json"),
        case("missing field", Method::POST, "/v1/sessions/new1", Some("{}"), 422, "invalid_body"),
        case("wrong type", Method::POST, "/v1/sessions/new1", Some(r#"{"agent":5}"#), 422, "invalid_body"),
        case("not an object", Method::POST, "/v1/sessions/s/messages", Some("[1,2]"), 422, "invalid_body"),
        Case {
            content_type: None,
            ..case(
                "no content type",
                Method::POST,
                "/v1/sessions/s/messages",
                Some(r#"{"message":"x"}"#),
                415,
                "unsupported_media_type",
            )
        },
        Case {
            body: Some(big.into_bytes()),
            ..case("2 MiB body", Method::POST, "/v1/sessions/s/messages", Some(""), 413, "payload_too_large")
        },
        case("unknown agent", Method::POST, "/v1/sessions/new1", Some(r#"{"agent":"gpt"}"#), 400, "unsupported_agent"),
        case(
            "unknown agent mode",
            Method::POST,
            "/v1/sessions/new1",
            Some(r#"{"agent":"mock","agentMode":"zzz"}"#),
            400,
            "mode_not_supported",
        ),
        case(
            "unknown permission mode",
            Method::POST,
            "/v1/sessions/new1",
            Some(r#"{"agent":"mock","permissionMode":"yolo"}"#),
            400,
            "invalid_request",
        ),
        case(
            "unsupported permission mode",
            Method::POST,
            "/v1/sessions/new1",
            Some(r#"{"agent":"mock","permissionMode":"acceptEdits"}"#),
            400,
            "mode_not_supported",
        ),
        case(
            "agent not installed",
            Method::POST,
            "/v1/sessions/new1",
            Some(r#"{"agent":"claude"}"#),
            404,
            "agent_not_installed",
        ),
        case(
            "relative directory",
            Method::POST,
            "/v1/sessions/new1",
            Some(r#"{"agent":"mock","directory":"rel/dir"}"#),
            400,
            "invalid_request",
        ),
        case(
            "duplicate id",
            Method::POST,
            "/v1/sessions/s",
            Some(r#"{"agent":"mock"}"#),
            409,
            "session_already_exists",
        ),
        case("id with space", Method::GET, "/v1/sessions/a%20b", None, 400, "invalid_request"),
        case("dot-dot id", Method::GET, "/v1/sessions/..%2F..%2Fetc", None, 400, "invalid_request"),
        case(
            "traversal id create",
            Method::POST,
            "/v1/sessions/..%2Fescape",
            Some(r#"{"agent":"mock"}"#),
            400,
            "invalid_request",
        ),
        case("overlong id", Method::GET, &format!("/v1/sessions/{long_id}"), None, 400, "invalid_request"),
        case("non-ascii id", Method::GET, "/v1/sessions/%C3%B1", None, 400, "invalid_request"),
        case("unknown session get", Method::GET, "/v1/sessions/nope", None, 404, "session_not_found"),
        case(
            "unknown session message",
            Method::POST,
            "/v1/sessions/nope/messages",
            Some(r#"{"message":"x"}"#),
            404,
            "session_not_found",
        ),
        case("unknown session events", Method::GET, "/v1/sessions/nope/events", None, 404, "session_not_found"),
        case("unknown session sse", Method::GET, "/v1/sessions/nope/events/sse", None, 404, "session_not_found"),
        case("unknown session delete", Method::DELETE, "/v1/sessions/nope", None, 404, "session_not_found"),
        case("unknown session terminate", Method::POST, "/v1/sessions/nope/terminate", None, 404, "session_not_found"),
        case("unknown session interrupt", Method::POST, "/v1/sessions/nope/interrupt", None, 404, "session_not_found"),
        case(
            "unknown question",
            Method::POST,
            "/v1/sessions/s/questions/q9/reply",
            Some(r#"{"answers":[["a"]]}"#),
            400,
            "invalid_request",
        ),
        case(
            "unknown question reject",
            Method::POST,
            "/v1/sessions/s/questions/q9/reject",
            None,
            400,
            "invalid_request",
        ),
        case(
            "unknown permission",
            Method::POST,
            "/v1/sessions/s/permissions/p9/reply",
            Some(r#"{"reply":"once"}"#),
            400,
            "invalid_request",
        ),
        case(
            "bad permission reply",
            Method::POST,
            "/v1/sessions/s/permissions/p9/reply",
            Some(r#"{"reply":"maybe"}"#),
            422,
            "invalid_body",
        ),
        case("bad offset", Method::GET, "/v1/sessions/s/events?offset=abc", None, 400, "invalid_request"),
        case("negative limit", Method::GET, "/v1/sessions/s/events?limit=-1", None, 400, "invalid_request"),
        case("bad install body", Method::POST, "/v1/agents/mock/install", Some("{nope"), 400, "invalid_json"),
        case("unsupported agent modes", Method::GET, "/v1/agents/gpt/modes", None, 400, "unsupported_agent"),
        case("unsupported agent models", Method::GET, "/v1/agents/gpt/models", None, 400, "unsupported_agent"),
        case(
            "models of an agent not installed",
            Method::GET,
            "/v1/agents/claude/models",
            None,
            404,
            "agent_not_installed",
        ),
        case("models of codex not installed", Method::GET, "/v1/agents/codex/models", None, 404, "agent_not_installed"),
        case(
            "models of opencode not installed",
            Method::GET,
            "/v1/agents/opencode/models",
            None,
            404,
            "agent_not_installed",
        ),
        case("unknown route", Method::GET, "/v1/nothing/here", None, 404, "not_found"),
        case("unknown root route", Method::GET, "/favicon.ico", None, 404, "not_found"),
        case("wrong method", Method::PUT, "/v1/sessions", None, 405, "method_not_allowed"),
        case("wrong method on health", Method::DELETE, "/v1/health", None, 405, "method_not_allowed"),
    ];
    for c in cases {
        check(&d, &doc, c).await;
    }
    // Nothing was lost or created by all that.
    let list = c.list_sessions(&Default::default()).await.unwrap().sessions;
    assert_eq!(list.iter().map(|s| s.session_id.as_str()).collect::<Vec<_>>(), ["s"]);
    check_contract(&all_events(&c, "s").await, false);
    assert_eq!(assistant_text(&turn(&c, "s", "echo fine").await), "fine");
}

#[tokio::test]
async fn body_limit_is_configurable() {
    let d = Daemon::start_with(&["--max-body-bytes", "64"]).await;
    let c = d.client();
    new_session(&c, "s").await;
    let msg = format!(r#"{{"message":"{}"}}"#, "x".repeat(100));
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/sessions/s/messages", d.url))
        .header("content-type", "application/json")
        .body(msg)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    c.send_message("s", "echo small").await.unwrap();
}

#[tokio::test]
async fn replying_twice_and_state_conflicts() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    let start = c.get_session("s").await.unwrap().event_count;
    c.send_message("s", "permission").await.unwrap();
    let asked = sse_until(&c, "s", start, |e| e.data.event_type() == "permission.requested").await;
    let sandbox_agent_schema::EventData::PermissionRequested(p) = &asked.last().unwrap().data else { panic!() };
    // A turn is running: another message is refused, nothing is queued.
    let busy = c.send_message("s", "echo no").await.unwrap_err();
    assert_eq!((busy.problem().unwrap().status, busy.problem().unwrap().code()), (409, "turn_in_progress"));
    c.reply_permission("s", &p.permission_id, sandbox_agent_schema::PermissionReply::Always).await.unwrap();
    let again =
        c.reply_permission("s", &p.permission_id, sandbox_agent_schema::PermissionReply::Reject).await.unwrap_err();
    let problem = again.problem().unwrap();
    assert_eq!((problem.status, problem.code()), (400, "invalid_request"));
    assert!(problem.detail.as_deref().unwrap().contains("already resolved"));
    assert_eq!(problem.session_id.as_deref(), Some("s"));
    c.interrupt("s").await.unwrap();
    let events = all_events(&c, "s").await;
    assert_eq!(count(&events, "permission.resolved"), 2, "one reply, one voided by the interrupt");
    check_contract(&events, false);
}

#[tokio::test]
async fn too_many_sessions() {
    let d = Daemon::start_with(&["--max-sessions", "2"]).await;
    let c = d.client();
    new_session(&c, "a").await;
    new_session(&c, "b").await;
    let err = c.create_session_with_id("c", &mock()).await.unwrap_err();
    assert_eq!(err.problem().unwrap().status, 429);
    c.terminate("a").await.unwrap();
    new_session(&c, "c").await;
}

/// A client that writes its whole (too large) body before it reads the answer, as Python's
/// urllib does, must get the 413 problem, not a reset connection. Raw TCP so nothing reads early;
/// the body (4 MiB) is far more than socket buffers hold, so a server that answered without
/// reading would leave the write unfinished or reset it.
#[tokio::test]
async fn an_oversized_body_written_in_full_gets_its_413() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let d = Daemon::start_with(&["--max-body-bytes", "1024"]).await;
    new_session(&d.client(), "s").await;
    let addr = d.url.trim_start_matches("http://").to_string();
    let body = format!(r#"{{"message":"{}"}}"#, "x".repeat(4 << 20));
    for (round, chunked) in [(0, false), (1, true), (2, false), (3, true), (4, false)] {
        let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = if chunked {
            "POST /v1/sessions/s/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_string()
        } else {
            format!(
                "POST /v1/sessions/s/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            )
        };
        let write = async {
            tcp.write_all(head.as_bytes()).await?;
            if chunked {
                for piece in body.as_bytes().chunks(64 << 10) {
                    tcp.write_all(format!("{:x}\r\n", piece.len()).as_bytes()).await?;
                    tcp.write_all(piece).await?;
                    tcp.write_all(b"\r\n").await?;
                }
                tcp.write_all(b"0\r\n\r\n").await?;
            } else {
                tcp.write_all(body.as_bytes()).await?;
            }
            tcp.flush().await
        };
        tokio::time::timeout(WAIT, write).await.unwrap().unwrap_or_else(|e| panic!("round {round}: writing: {e}"));
        let mut answer = Vec::new();
        tokio::time::timeout(WAIT, tcp.read_to_end(&mut answer))
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("round {round}: reading: {e}"));
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "round {round}: {answer}");
        assert!(answer.to_ascii_lowercase().contains("connection: close"), "round {round}: {answer}");
        assert!(answer.contains("urn:sandbox-agent:error:payload_too_large"), "round {round}: {answer}");
    }
    // The session is untouched and takes a message that fits.
    let c = d.client();
    assert_eq!(assistant_text(&turn(&c, "s", "echo small").await), "small");
}
