//! Test support: the recorded transcripts in `resources/transcripts/`.

use std::path::PathBuf;

use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../resources/transcripts")
}

/// One transcript's lines as JSON values.
pub fn load(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("transcript line is JSON")).collect()
}

/// Every transcript whose name starts with `prefix`, by name.
pub fn all(prefix: &str) -> Vec<(String, Vec<Value>)> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("resources/transcripts")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".jsonl"))
        .collect();
    names.sort();
    names.into_iter().map(|n| (n.clone(), load(&n))).collect()
}

/// A line as the agent process saw it.
pub enum Line {
    /// From the agent (stdout, SSE, HTTP response), as text.
    Out(String),
    /// To the agent (stdin, HTTP request).
    In(Value),
}

/// Unwrap the drivers' `{"_dir", "_t", "msg"}` envelopes; bare lines are agent output.
pub fn native_lines(lines: &[Value]) -> Vec<Line> {
    lines
        .iter()
        .map(|l| match (l.get("_dir").and_then(Value::as_str), l.get("msg")) {
            (Some("stdin" | "http-req"), Some(msg)) => Line::In(msg.clone()),
            (Some(_), Some(msg)) => Line::Out(msg.to_string()),
            _ => Line::Out(l.to_string()),
        })
        .collect()
}
