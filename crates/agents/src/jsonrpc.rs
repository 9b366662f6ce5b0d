//! JSON-RPC helpers shared by the JSON-RPC adapters (codex app-server, ACP).

use serde_json::Value;

/// The id of a JSON-RPC message as a string key: numbers as digits, strings as they are.
pub fn id_string(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A JSON-RPC error object's message (the whole object when it has none).
pub(crate) fn error_message(e: &Value) -> String {
    match e.get("message").and_then(Value::as_str) {
        Some(m) => m.to_string(),
        None => e.to_string(),
    }
}
