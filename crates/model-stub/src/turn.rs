//! The API-neutral summary of one model request (`Turn`) plus the small text
//! helpers the three wire parsers share.

use serde_json::{json, Map, Value};

use crate::tools::OfferedTool;

/// What the stub needs to know about a request to answer it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Turn {
    pub model: String,
    pub stream: bool,
    pub tools: Vec<OfferedTool>,
    pub last: Last,
    /// The agent's working directory, if its prompt reveals it.
    pub cwd: Option<String>,
    /// JSON schema of a requested structured output (title generation etc.).
    pub schema: Option<Value>,
    /// Chat Completions `stream_options.include_usage`.
    pub include_usage: bool,
}

impl Turn {
    /// The fields every API shares: model, stream flag, and the cwd found in `texts`.
    pub fn new(body: &Value, tools: Vec<OfferedTool>, last: Last, texts: &[String], schema: Option<Value>) -> Self {
        Turn {
            model: body.get("model").and_then(Value::as_str).unwrap_or("model-stub").to_string(),
            stream: body.get("stream").and_then(Value::as_bool).unwrap_or(false),
            tools,
            last,
            cwd: find_cwd(texts.iter().map(String::as_str)),
            schema,
            include_usage: false,
        }
    }
}

/// The schema of a structured-output request: `format` is a `{"type": "json_schema", …}`
/// object, and the schema sits at `at` inside it (`/schema` or `/json_schema/schema`).
pub(crate) fn json_schema(format: Option<&Value>, at: &str) -> Option<Value> {
    format
        .filter(|f| f.get("type").and_then(Value::as_str) == Some("json_schema"))
        .map(|f| f.pointer(at).cloned().unwrap_or(json!({})))
}

/// The last conversational item (system/developer entries skipped).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Last {
    ToolResult(String),
    User(String),
    /// Empty conversation, or the assistant spoke last.
    #[default]
    Nothing,
}

/// Concatenated text of a message `content` in any of the three APIs'
/// shapes: a plain string, or a list of typed parts.
pub(crate) fn text_of(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts.iter().map(part_text).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n"),
        Value::Object(_) => part_text(content),
        _ => String::new(),
    }
}

fn part_text(part: &Value) -> String {
    match part {
        Value::String(s) => s.clone(),
        Value::Object(o) => match o.get("type").and_then(Value::as_str) {
            Some("tool_result") => o.get("content").map(text_of).unwrap_or_default(),
            Some("text" | "input_text" | "output_text") | None => {
                o.get("text").and_then(Value::as_str).unwrap_or_default().to_string()
            }
            Some(_) => String::new(),
        },
        _ => String::new(),
    }
}

/// Find the agent's cwd: Codex sends `<cwd>/path</cwd>` in its environment
/// context; Claude and OpenCode write `Working directory: /path` (or
/// `Primary working directory: /path`) in the system prompt.
pub(crate) fn find_cwd<'a>(texts: impl IntoIterator<Item = &'a str> + Clone) -> Option<String> {
    for text in texts.clone() {
        if let Some(start) = text.find("<cwd>") {
            let rest = &text[start + 5..];
            if let Some(end) = rest.find("</cwd>") {
                let cwd = rest[..end].trim();
                if cwd.starts_with('/') {
                    return Some(cwd.to_string());
                }
            }
        }
    }
    texts.into_iter().find_map(labelled_cwd)
}

fn labelled_cwd(text: &str) -> Option<String> {
    const LABEL: &str = "working directory";
    // ASCII lowercasing keeps byte offsets identical to `text`.
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(LABEL) {
        let after = from + pos + LABEL.len();
        let rest = &text[after..];
        // Only accept a path right after the label (": /x", "**: `/x`"), so
        // prose like "the working directory for /foo" does not match.
        let gap = rest.find(|c: char| !matches!(c, ':' | ' ' | '*' | '`')).unwrap_or(rest.len());
        if gap <= 4 && rest[gap..].starts_with('/') {
            let path = &rest[gap..];
            let end =
                path.find(|c: char| c.is_whitespace() || matches!(c, '<' | '"' | '\'' | '`')).unwrap_or(path.len());
            return Some(path[..end].to_string());
        }
        from = after;
    }
    None
}

/// A JSON value satisfying the common shape of a structured-output schema:
/// every required property gets a harmless placeholder (`title` gets a
/// readable one, since title generation is the usual caller).
pub(crate) fn stub_json(schema: &Value) -> Value {
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None if schema.get("properties").is_some() => {
            let props = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
            let required: Option<Vec<&str>> =
                schema.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect());
            let mut out = Map::new();
            for (key, sub) in &props {
                if required.as_ref().is_none_or(|r| r.contains(&key.as_str())) {
                    out.insert(key.clone(), stub_property(key, sub));
                }
            }
            Value::Object(out)
        }
        _ => stub_property("value", schema),
    }
}

fn stub_property(key: &str, schema: &Value) -> Value {
    if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|e| e.first()) {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") if key == "title" => json!("Stub session"),
        Some("string") => json!(format!("stub {key}")),
        Some("integer" | "number") => json!(0),
        Some("boolean") => json!(false),
        Some("array") => json!([]),
        Some("object") => stub_json(schema),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_handles_all_shapes() {
        assert_eq!(text_of(&json!("hi")), "hi");
        let parts = json!([{"type": "text", "text": "a"}, {"type": "image"}, {"type": "input_text", "text": "b"},
            {"type": "tool_result", "content": [{"type": "text", "text": "c"}]}]);
        assert_eq!(text_of(&parts), "a\nb\nc");
    }

    #[test]
    fn cwd_from_each_agent_style() {
        assert_eq!(find_cwd(["x", "<environment_context>\n  <cwd>/w/codex</cwd>"]).as_deref(), Some("/w/codex"));
        assert_eq!(
            find_cwd(["<env>\nWorking directory: /w/claude\nIs directory a git repo: No"]).as_deref(),
            Some("/w/claude")
        );
        assert_eq!(find_cwd([" - Primary working directory: /w/new\n"]).as_deref(), Some("/w/new"));
        assert_eq!(find_cwd(["change the working directory for /etc"]), None);
    }

    #[test]
    fn stub_json_fills_required_properties() {
        let schema = json!({"type": "object", "required": ["title", "n"],
            "properties": {"title": {"type": "string"}, "n": {"type": "integer"}, "opt": {"type": "string"}}});
        assert_eq!(stub_json(&schema), json!({"title": "Stub session", "n": 0}));
    }
}
