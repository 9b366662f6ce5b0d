//! What a test scripts (`Reply`, `Tool`) and how one request is turned into
//! an API-neutral decision. The wire modules (`anthropic`, `responses`,
//! `chat`) only render decisions; they never look at the script.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::tools::{self, ToolCall};
use crate::turn::{Last, Turn};

/// One scripted model reply. Serialized externally tagged in snake_case, e.g.
/// `{"text": "hi"}`, `{"tool": {"shell": {"command": "ls"}}}`,
/// `{"http": {"status": 400, "message": "boom"}}`,
/// `{"delay": {"ms": 2000, "then": {"text": "slow"}}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// Assistant text, streamed in a few chunks.
    Text(String),
    /// One tool call; the tool name is chosen from the request's own tool list.
    Tool(Tool),
    /// An API error in the shape the requested API uses.
    Http { status: u16, message: String },
    /// Stream `then`, but stall for `ms` right after its first content delta
    /// (for non-streaming requests and errors: before answering).
    Delay { ms: u64, then: Box<Reply> },
    /// Emit a reasoning/thinking block before `then`.
    Reasoning { text: String, then: Box<Reply> },
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Self {
        Reply::Text(text.into())
    }

    pub fn tool(tool: Tool) -> Self {
        Reply::Tool(tool)
    }

    pub fn http(status: u16, message: impl Into<String>) -> Self {
        Reply::Http { status, message: message.into() }
    }

    pub fn delay(ms: u64, then: Reply) -> Self {
        Reply::Delay { ms, then: Box::new(then) }
    }

    pub fn reasoning(text: impl Into<String>, then: Reply) -> Self {
        Reply::Reasoning { text: text.into(), then: Box::new(then) }
    }
}

/// An abstract tool call. The stub maps it onto whatever tool the agent
/// offers, because tool names differ between agents and even between models
/// of the same agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tool {
    /// `Bash` / `exec_command` / `shell_command` / `shell` / `local_shell` / `bash`.
    Shell { command: String },
    /// `Write` / `write`, else Codex `apply_patch` with an `*** Add File:` patch.
    WriteFile { path: String, content: String },
    /// Codex `apply_patch` (`*** Add File:`), else `Write` / `write`.
    Patch { path: String, content: String },
    /// `AskUserQuestion` / `request_user_input` / `question`.
    AskUser { question: String, options: Vec<String> },
    /// Exactly the named tool with these arguments. For a freeform (custom)
    /// tool, `arguments` is the raw input string.
    Named { name: String, arguments: Value },
}

impl Tool {
    pub fn shell(command: impl Into<String>) -> Self {
        Tool::Shell { command: command.into() }
    }

    pub fn write_file(path: impl Into<String>, content: impl Into<String>) -> Self {
        Tool::WriteFile { path: path.into(), content: content.into() }
    }

    pub fn patch(path: impl Into<String>, content: impl Into<String>) -> Self {
        Tool::Patch { path: path.into(), content: content.into() }
    }

    pub fn ask_user<S: Into<String>>(question: impl Into<String>, options: impl IntoIterator<Item = S>) -> Self {
        Tool::AskUser { question: question.into(), options: options.into_iter().map(Into::into).collect() }
    }

    pub fn named(name: impl Into<String>, arguments: Value) -> Self {
        Tool::Named { name: name.into(), arguments }
    }
}

/// Where a decision came from; recorded so tests can tell turns apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Title generation and similar auxiliary calls: never touch the script.
    Side,
    /// Popped from the script queue.
    Script,
    /// Script was empty: answered from the conversation.
    Default,
}

/// API-neutral content of a successful answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Content {
    Text(String),
    Call(ToolCall),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    pub reasoning: Option<String>,
    pub content: Content,
    /// Stall this long after the first content delta.
    pub pause: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decision {
    Answer(Answer),
    Fail { status: u16, message: String, pause: Option<Duration> },
}

/// Decide the answer to one parsed request, consuming a scripted reply only
/// for real agent turns.
pub(crate) fn decide(turn: &Turn, script: &Mutex<VecDeque<Reply>>) -> (Decision, Source) {
    // Side requests (no tools, or structured output such as title
    // generation) can run concurrently with the main turn (OpenCode does
    // this), so they must never eat a reply meant for the agent loop.
    if turn.tools.is_empty() || turn.schema.is_some() {
        let text = match &turn.schema {
            Some(schema) => crate::turn::stub_json(schema).to_string(),
            None => "Stub session".to_string(),
        };
        return (Decision::Answer(plain(Content::Text(text))), Source::Side);
    }
    let scripted = script.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
    match scripted {
        Some(reply) => (realize(reply, turn), Source::Script),
        None => (Decision::Answer(plain(Content::Text(default_text(&turn.last)))), Source::Default),
    }
}

/// Stateless fallback, decided from the conversation alone.
fn default_text(last: &Last) -> String {
    match last {
        Last::ToolResult(output) => {
            let head: String = output.trim().chars().take(200).collect();
            format!("DONE: {head}")
        }
        Last::User(_) | Last::Nothing => "OK".to_string(),
    }
}

fn plain(content: Content) -> Answer {
    Answer { reasoning: None, content, pause: None }
}

fn realize(reply: Reply, turn: &Turn) -> Decision {
    match reply {
        Reply::Text(text) => Decision::Answer(plain(Content::Text(text))),
        Reply::Tool(tool) => match tools::resolve(&tool, &turn.tools, turn.cwd.as_deref()) {
            Ok(call) => Decision::Answer(plain(Content::Call(call))),
            // A loud 400 makes a mis-scripted test fail fast instead of the
            // agent wandering off with a wrong tool.
            Err(message) => Decision::Fail { status: 400, message, pause: None },
        },
        Reply::Http { status, message } => Decision::Fail { status, message, pause: None },
        Reply::Delay { ms, then } => {
            let extra = Duration::from_millis(ms);
            let add = |p: Option<Duration>| Some(p.unwrap_or_default() + extra);
            match realize(*then, turn) {
                Decision::Answer(mut a) => {
                    a.pause = add(a.pause);
                    Decision::Answer(a)
                }
                Decision::Fail { status, message, pause } => Decision::Fail { status, message, pause: add(pause) },
            }
        }
        Reply::Reasoning { text, then } => match realize(*then, turn) {
            Decision::Answer(mut a) => {
                a.reasoning = Some(text);
                Decision::Answer(a)
            }
            fail => fail,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::{OfferedTool, ToolKind};
    use serde_json::json;

    fn turn_with(tools: &[&str], last: Last) -> Turn {
        Turn {
            tools: tools
                .iter()
                .map(|n| OfferedTool {
                    name: n.to_string(),
                    kind: ToolKind::Function,
                    schema: Value::Null,
                    namespace: None,
                })
                .collect(),
            last,
            ..Turn::default()
        }
    }

    #[test]
    fn replies_round_trip_through_json() {
        let script = vec![
            Reply::tool(Tool::shell("ls")),
            Reply::delay(5, Reply::text("x")),
            Reply::http(429, "slow down"),
            Reply::tool(Tool::named("x", json!({"a": 1}))),
        ];
        let text = serde_json::to_string(&script).unwrap();
        assert!(text.contains(r#"{"tool":{"shell":{"command":"ls"}}}"#), "{text}");
        let back: Vec<Reply> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, script);
    }

    #[test]
    fn default_answers_follow_the_conversation() {
        let q = Mutex::new(VecDeque::new());
        let long = format!("  {}  ", "x".repeat(500));
        let (d, src) = decide(&turn_with(&["Bash"], Last::ToolResult(long)), &q);
        assert_eq!(src, Source::Default);
        let Decision::Answer(a) = d else { panic!() };
        assert_eq!(a.content, Content::Text(format!("DONE: {}", "x".repeat(200))));
        let (d, _) = decide(&turn_with(&["Bash"], Last::User("hi".into())), &q);
        assert_eq!(d, Decision::Answer(plain(Content::Text("OK".into()))));
    }

    #[test]
    fn side_requests_do_not_consume_the_script() {
        let q = Mutex::new(VecDeque::from([Reply::text("scripted")]));
        let (_, src) = decide(&turn_with(&[], Last::User("title?".into())), &q);
        assert_eq!(src, Source::Side);
        let mut t = turn_with(&["Bash"], Last::Nothing);
        t.schema = Some(json!({"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}));
        let (d, src) = decide(&t, &q);
        assert_eq!(src, Source::Side);
        assert_eq!(d, Decision::Answer(plain(Content::Text(r#"{"title":"Stub session"}"#.into()))));
        assert_eq!(q.lock().unwrap().len(), 1);
    }

    #[test]
    fn nested_delay_and_reasoning_flatten() {
        let q = Mutex::new(VecDeque::from([Reply::delay(
            100,
            Reply::reasoning("hmm", Reply::delay(50, Reply::text("ok"))),
        )]));
        let (d, _) = decide(&turn_with(&["Bash"], Last::Nothing), &q);
        let Decision::Answer(a) = d else { panic!() };
        assert_eq!(a.pause, Some(Duration::from_millis(150)));
        assert_eq!(a.reasoning.as_deref(), Some("hmm"));
    }

    #[test]
    fn missing_tool_is_a_400() {
        let q = Mutex::new(VecDeque::from([Reply::tool(Tool::shell("ls"))]));
        let (d, src) = decide(&turn_with(&["Read"], Last::Nothing), &q);
        assert_eq!(src, Source::Script);
        let Decision::Fail { status, message, .. } = d else { panic!() };
        assert_eq!(status, 400);
        assert!(message.contains("Read") && message.contains("Bash"), "{message}");
    }
}
