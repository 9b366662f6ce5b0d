//! The axum app: one catch-all handler that routes by path suffix, records
//! every request, and always answers (never hangs, never drops a
//! connection without a response), because every real agent CLI hangs or
//! retries forever when its model server misbehaves.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, request::Parts, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::watch;

use crate::record::{Api, RecordedRequest};
use crate::script::{self, Decision, Reply, Source};
use crate::{anthropic, chat, gemini, responses};

/// Claude resends the whole conversation with ~25 tool schemas every turn;
/// stay far above that rather than use axum's 2 MB default.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// State shared between the server thread and the `ModelStub` handle.
pub(crate) struct Shared {
    pub script: Mutex<VecDeque<Reply>>,
    pub log: Mutex<Vec<RecordedRequest>>,
    /// Number of recorded requests; waiters subscribe instead of polling.
    pub recorded: watch::Sender<usize>,
}

impl Shared {
    pub fn new() -> Self {
        Self { script: Mutex::default(), log: Mutex::default(), recorded: watch::Sender::new(0) }
    }

    fn record(&self, request: RecordedRequest) {
        tracing::info!(request = %request.summary(), "model-stub");
        let count = {
            let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
            log.push(request);
            log.len()
        };
        // Published after the push, so a woken waiter always sees the entry.
        self.recorded.send_replace(count);
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let api = Api::from_path(parts.uri.path());
    let mut record = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: header_map(&parts.headers),
        body: Value::Null,
        api,
        side: false,
        scripted: false,
        status: 0,
    };
    let (response, pause) = answer(&shared, api, &parts, body, &mut record).await;
    record.status = response.status().as_u16();
    shared.record(record);
    // Recorded first, so a test can observe the request while it stalls.
    if let Some(pause) = pause {
        tokio::time::sleep(pause).await;
    }
    response
}

/// Builds the response; the `Duration` is a scripted delay to apply before
/// sending it (non-streaming replies and errors).
async fn answer(
    shared: &Shared,
    api: Api,
    parts: &Parts,
    body: Body,
    record: &mut RecordedRequest,
) -> (Response, Option<Duration>) {
    let method = parts.method.as_str();
    if api == Api::Unknown {
        let message = format!("model-stub: no route for {method} {}", parts.uri.path());
        return (generic_error(StatusCode::NOT_FOUND, &message), None);
    }
    if !api.allows(method) {
        let message = format!("model-stub: {method} is not supported on {}", parts.uri.path());
        return (api_error(api, StatusCode::METHOD_NOT_ALLOWED, &message), None);
    }
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!("model-stub: could not read the request body: {e}");
            return (api_error(api, StatusCode::PAYLOAD_TOO_LARGE, &message), None);
        }
    };
    // Decompression would pull in codecs for a feature no CLI was seen
    // using; a clear 415 makes the agent fail fast instead.
    if let Some(encoding) = parts.headers.get(header::CONTENT_ENCODING) {
        let encoding = String::from_utf8_lossy(encoding.as_bytes());
        if !encoding.trim().eq_ignore_ascii_case("identity") {
            let message = format!(
                "model-stub: request Content-Encoding `{encoding}` is not supported; send an uncompressed JSON body"
            );
            return (api_error(api, StatusCode::UNSUPPORTED_MEDIA_TYPE, &message), None);
        }
    }
    let parsed = if bytes.is_empty() { Ok(Value::Null) } else { serde_json::from_slice::<Value>(&bytes) };
    record.body = match &parsed {
        Ok(v) => v.clone(),
        Err(_) => Value::String(String::from_utf8_lossy(&bytes).into_owned()),
    };

    match api {
        Api::Root => (json_response(StatusCode::OK, json!({"ok": true, "service": "model-stub"})), None),
        Api::Models => (models(), None),
        _ => {
            let body = match parsed {
                Ok(body @ Value::Object(_)) => body,
                Ok(_) => {
                    return (api_error(api, StatusCode::BAD_REQUEST, "model-stub: body must be a JSON object"), None)
                }
                Err(e) => {
                    let message = format!("model-stub: body is not valid JSON: {e}");
                    return (api_error(api, StatusCode::BAD_REQUEST, &message), None);
                }
            };
            conversation(shared, api, &body, parts.uri.path(), record)
        }
    }
}

fn conversation(
    shared: &Shared,
    api: Api,
    body: &Value,
    path: &str,
    record: &mut RecordedRequest,
) -> (Response, Option<Duration>) {
    let parsed = match api {
        Api::Gemini => gemini::parse(body, path),
        Api::Anthropic => anthropic::parse(body),
        Api::Responses => responses::parse(body),
        Api::ChatCompletions => chat::parse(body),
        Api::AnthropicCountTokens => return (anthropic::count_tokens(body), None),
        _ => unreachable!("non-model APIs are answered by the caller"),
    };
    let turn = match parsed {
        Ok(turn) => turn,
        Err(message) => return (api_error(api, StatusCode::BAD_REQUEST, &format!("model-stub: {message}")), None),
    };
    let (decision, source) = script::decide(&turn, &shared.script);
    record.side = source == Source::Side;
    record.scripted = source == Source::Script;
    match decision {
        Decision::Fail { status, message, pause } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (api_error(api, status, &message), pause)
        }
        Decision::Answer(answer) => {
            let response = match api {
                Api::Anthropic => anthropic::respond(&turn, &answer),
                Api::Responses => responses::respond(&turn, &answer),
                Api::Gemini => gemini::respond(&turn, &answer),
                _ => chat::respond(&turn, &answer),
            };
            // Streams stall inside the body instead (after the first delta).
            let pause = if turn.stream { None } else { answer.pause };
            (response, pause)
        }
    }
}

fn models() -> Response {
    let model = |id: &str| {
        json!({"id": id, "object": "model", "type": "model", "display_name": id, "created": 0,
               "created_at": "2025-01-01T00:00:00Z", "owned_by": "model-stub"})
    };
    // Both the Anthropic (`data`, `has_more`, `first_id`) and OpenAI
    // (`object: list`, `data`) list shapes in one body.
    json_response(
        StatusCode::OK,
        json!({"object": "list", "data": [model("mock-model"), model("model-stub")],
               "has_more": false, "first_id": "mock-model", "last_id": "model-stub"}),
    )
}

/// Error in the envelope the addressed API uses.
fn api_error(api: Api, status: StatusCode, message: &str) -> Response {
    match api {
        Api::Anthropic | Api::AnthropicCountTokens => anthropic::error(status, message),
        Api::Responses => responses::error(status, message),
        Api::ChatCompletions => chat::error(status, message),
        Api::Gemini => gemini::error(status, message),
        _ => generic_error(status, message),
    }
}

/// For paths of no known API: readable by both Anthropic-style
/// (`type`, `error.type`) and OpenAI-style (`error.message`) clients.
fn generic_error(status: StatusCode, message: &str) -> Response {
    anthropic::error(status, message)
}

pub(crate) fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(id) = new_id("req_").parse() {
        response.headers_mut().insert("x-request-id", id);
    }
    response
}

pub(crate) fn new_id(prefix: &str) -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}{}", &hex[..24])
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn header_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        map.entry(name.as_str().to_string())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    map
}
