//! What the stub remembers about each request, for test assertions.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// Which API an incoming request was addressed to, decided from the path
/// suffix (so base URLs with or without `/v1` both work).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    /// `GET`/`HEAD /` (Claude preconnects with `HEAD /`).
    Root,
    /// `GET …/models`.
    Models,
    /// `POST …/messages` (Anthropic Messages).
    Anthropic,
    /// `POST …/messages/count_tokens`.
    AnthropicCountTokens,
    /// `POST …/responses` (OpenAI Responses).
    Responses,
    /// `POST …/chat/completions`.
    ChatCompletions,
    /// `POST …/models/{model}:generateContent` or `:streamGenerateContent` (Gemini).
    Gemini,
    /// Anything else (answered 404/405).
    Unknown,
}

impl Api {
    /// Classify by path only; the method is checked separately so a wrong
    /// method on a known path gets a 405 rather than a 404.
    pub(crate) fn from_path(path: &str) -> Api {
        let path = path.trim_end_matches('/');
        if path.is_empty() {
            Api::Root
        } else if path.ends_with("/messages/count_tokens") {
            Api::AnthropicCountTokens
        } else if path.ends_with("/messages") {
            Api::Anthropic
        } else if path.ends_with("/responses") {
            Api::Responses
        } else if path.ends_with("/chat/completions") {
            Api::ChatCompletions
        } else if path.ends_with(":generateContent") || path.ends_with(":streamGenerateContent") {
            Api::Gemini
        } else if path.ends_with("/models") {
            Api::Models
        } else {
            Api::Unknown
        }
    }

    pub(crate) fn allows(self, method: &str) -> bool {
        match self {
            Api::Root => matches!(method, "GET" | "HEAD"),
            Api::Models => method == "GET",
            Api::Anthropic | Api::AnthropicCountTokens | Api::Responses | Api::ChatCompletions | Api::Gemini => {
                method == "POST"
            }
            Api::Unknown => false,
        }
    }

    /// True for the conversational APIs (the ones a script answers).
    pub fn is_model(self) -> bool {
        matches!(self, Api::Anthropic | Api::Responses | Api::ChatCompletions | Api::Gemini)
    }
}

/// One request as received.
#[derive(Debug, Clone, Serialize)]
pub struct RecordedRequest {
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// Raw query string, e.g. `beta=true`.
    pub query: Option<String>,
    /// Header names lowercased; repeated headers joined with `", "`.
    pub headers: BTreeMap<String, String>,
    /// Parsed JSON body; `Null` when empty or not decodable (unsupported
    /// `Content-Encoding`), a JSON string holding the raw text when it is
    /// not JSON.
    pub body: Value,
    pub api: Api,
    /// Answered generically without touching the script (no tools, or a
    /// structured-output request such as title generation).
    pub side: bool,
    /// Consumed a scripted reply.
    pub scripted: bool,
    /// HTTP status the stub answered with.
    pub status: u16,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// Names of the tools the request offered, in request order.
    pub fn tool_names(&self) -> Vec<String> {
        let parsed = match self.api {
            Api::Anthropic => crate::anthropic::parse(&self.body),
            Api::Responses => crate::responses::parse(&self.body),
            Api::ChatCompletions => crate::chat::parse(&self.body),
            Api::Gemini => crate::gemini::parse(&self.body, &self.path),
            _ => return Vec::new(),
        };
        parsed.map(|t| t.tools.into_iter().map(|t| t.name).collect()).unwrap_or_default()
    }

    /// The files (images, documents) the request carries as bytes.
    pub fn files(&self) -> Vec<crate::files::SeenFile> {
        crate::files::files(&self.body)
    }

    /// Whether `needle` occurs anywhere in the JSON body (handy for "the
    /// second request carries the first turn's tool output").
    pub fn contains(&self, needle: &str) -> bool {
        match &self.body {
            Value::String(s) => s.contains(needle),
            body => body.to_string().contains(needle) || contains_str(body, needle),
        }
    }

    /// One-line description used in timeout messages.
    pub(crate) fn summary(&self) -> String {
        let role = if self.side {
            " side"
        } else if self.scripted {
            " scripted"
        } else {
            ""
        };
        format!("{} {} -> {} ({:?}{role})", self.method, self.path, self.status, self.api)
    }
}

/// String leaves compared unescaped, so needles with quotes or newlines
/// match too.
fn contains_str(v: &Value, needle: &str) -> bool {
    match v {
        Value::String(s) => s.contains(needle),
        Value::Array(a) => a.iter().any(|v| contains_str(v, needle)),
        Value::Object(o) => o.iter().any(|(k, v)| k.contains(needle) || contains_str(v, needle)),
        _ => false,
    }
}
