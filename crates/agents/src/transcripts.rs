//! Test support: the recorded transcripts in `resources/transcripts/`.

use std::path::PathBuf;

use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../resources/transcripts")
}

/// One transcript's lines as JSON values.
pub fn load(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("transcript line is JSON"))
        .collect()
}

/// Which converter test replays which transcripts, by file-name prefix. Each converter's
/// "converts cleanly" test replays every transcript of its set and fails on any
/// `agent.unparsed`; `every_transcript_is_claimed` below fails on a transcript no set claims.
pub const CLAUDE: &[&str] = &["claude-print-", "claude-resume-", "claude-streamjson-"];
pub const CODEX_APPSERVER: &[&str] = &["codex-appserver-"];
pub const CODEX_EXEC: &[&str] = &["codex-exec-json-"];
pub const OPENCODE: &[&str] = &["opencode-serve-", "opencode-run-json-"];
pub const ACP: &[&str] = &["claude-agent-acp-", "claude-code-acp-", "codex-acp-", "opencode-acp-"];

const CLAIMS: &[(&str, &[&str])] = &[
    ("claude", CLAUDE),
    ("codex app-server", CODEX_APPSERVER),
    ("codex exec", CODEX_EXEC),
    ("opencode", OPENCODE),
    ("acp", ACP),
];

/// The names of every transcript file.
fn names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("resources/transcripts")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".jsonl"))
        .collect();
    names.sort();
    names
}

/// Every transcript whose name starts with one of `prefixes`, by name.
pub fn all_of(prefixes: &[&str]) -> Vec<(String, Vec<Value>)> {
    names().into_iter().filter(|n| prefixes.iter().any(|p| n.starts_with(p))).map(|n| (n.clone(), load(&n))).collect()
}

/// Every recorded transcript is replayed by exactly one converter test, so a new recording
/// cannot slip in without being checked for `agent.unparsed`.
#[test]
fn every_transcript_is_claimed() {
    let files: Vec<String> = std::fs::read_dir(dir())
        .expect("resources/transcripts")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n != "README.md")
        .collect();
    assert!(files.len() >= 21, "found {} transcripts", files.len());
    for name in files {
        assert!(name.ends_with(".jsonl"), "{name}: transcripts are .jsonl files");
        let claimed: Vec<&str> = CLAIMS
            .iter()
            .filter(|(_, prefixes)| prefixes.iter().any(|p| name.starts_with(p)))
            .map(|(c, _)| *c)
            .collect();
        assert_eq!(
            claimed.len(),
            1,
            "{name} is replayed by {claimed:?}: add its prefix to exactly one converter's set in transcripts.rs"
        );
    }
}

/// The universal events among a converter's actions.
pub fn events(actions: &[crate::Action]) -> Vec<&sandbox_agent_schema::EventData> {
    actions
        .iter()
        .filter_map(|a| match a {
            crate::Action::Emit(crate::AgentOutput::Event(ev)) => Some(&ev.data),
            _ => None,
        })
        .collect()
}

/// The lines a converter asked to write to the agent.
pub fn writes(actions: &[crate::Action]) -> Vec<&Value> {
    actions.iter().filter_map(|a| if let crate::Action::Write(v) = a { Some(v) } else { None }).collect()
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

/// The first event of one `EventData` variant, cloned: `first_event!(evs, EventData::Error)`.
macro_rules! first_event {
    ($events:expr, $variant:path) => {
        $events
            .iter()
            .find_map(|e| match e {
                $variant(d) => Some(d.clone()),
                _ => None,
            })
            .expect(concat!("no ", stringify!($variant)))
    };
}
pub(crate) use first_event;

/// The first completed item of `kind`.
pub fn completed_item(
    events: &[&sandbox_agent_schema::EventData],
    kind: sandbox_agent_schema::ItemKind,
) -> Option<sandbox_agent_schema::UniversalItem> {
    events.iter().find_map(|e| match e {
        sandbox_agent_schema::EventData::ItemCompleted(d) if d.item.kind == kind => Some(d.item.clone()),
        _ => None,
    })
}
