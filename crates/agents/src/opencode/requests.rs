//! The daemon's side of the OpenCode converter: the HTTP requests a session makes (prompts,
//! aborts, permission and question replies) and what a failed one means for the turn.

use sandbox_agent_schema::*;
use serde_json::{json, Value};

use super::{usage_of, Converter, Turn};
use crate::{AgentEvent, AgentOutput};

/// What an HTTP request to the OpenCode server is for (decides what a failure means).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Prompt,
    Abort,
    PermissionReply,
    QuestionReply,
}

/// A `POST` to the OpenCode server. `path` has no query; the session loop adds
/// `?directory=` (OpenCode scopes everything to a project directory).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub kind: RequestKind,
    pub path: String,
    pub body: Option<Value>,
    /// Tried when the server answers 404 to `path` (the route of older servers).
    pub fallback: Option<(String, Value)>,
}

/// What the session loop must do.
#[derive(Debug)]
pub enum Action {
    Emit(AgentOutput),
    Request(Request),
}

/// Per-session settings that shape the requests.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// OpenCode agent (`build`, `plan`, a custom one) for each prompt.
    pub agent: Option<String>,
    /// `{providerID, modelID}` for each prompt; None lets the server's config decide.
    pub model: Option<(String, String)>,
    pub variant: Option<String>,
    /// Bypass: answer every permission request `once` without asking the client.
    pub auto_approve: bool,
}

/// `file://` and the path, percent-encoded where a URL needs it.
fn file_url(path: &std::path::Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => url.push(b as char),
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

/// A synthetic event (the adapter's, not OpenCode's).
fn synthetic(data: EventData) -> Action {
    Action::Emit(AgentOutput::Event(AgentEvent { data, synthetic: true, raw: None }))
}

impl Converter {
    /// The prompt for a new turn. Attachments are `file` parts with a `file://` URL (OpenCode
    /// reads them: text through its Read tool, images and PDFs as data for the model); each is
    /// also named by path, and a file of another type only by path.
    pub fn message(&mut self, text: &str, attachments: &[crate::Attachment]) -> Request {
        self.turn = Some(Turn::default());
        let mut parts = vec![json!({"type": "text", "text": text})];
        for a in attachments {
            parts.push(json!({"type": "text", "text": a.mention()}));
            if a.is_image() || a.is_text() || a.mime == "application/pdf" {
                let url = file_url(&a.path);
                parts.push(json!({"type": "file", "mime": a.mime, "filename": a.name, "url": url}));
            }
        }
        let mut body = json!({"parts": parts});
        if let Some(agent) = &self.opts.agent {
            body["agent"] = json!(agent);
        }
        if let Some((provider, model)) = &self.opts.model {
            body["model"] = json!({"providerID": provider, "modelID": model});
        }
        if let Some(variant) = &self.opts.variant {
            body["variant"] = json!(variant);
        }
        Request {
            kind: RequestKind::Prompt,
            path: format!("/session/{}/prompt_async", self.root_id()),
            body: Some(body),
            fallback: None,
        }
    }

    /// Abort the running turn; OpenCode then reports `MessageAbortedError` and goes idle.
    pub fn interrupt(&mut self) -> Request {
        if let Some(turn) = &mut self.turn {
            turn.interrupt_requested = true;
        }
        Request {
            kind: RequestKind::Abort,
            path: format!("/session/{}/abort", self.root_id()),
            body: None,
            fallback: None,
        }
    }

    /// OpenCode never confirmed an abort: end the turn anyway (interrupted).
    pub fn interrupt_timed_out(&mut self) -> Vec<Action> {
        match self.turn.take() {
            Some(turn) => {
                let data = TurnEndedData {
                    turn_id: String::new(),
                    reason: TurnEndReason::Interrupted,
                    usage: usage_of(&turn),
                    message: Some("OpenCode did not confirm the abort in time".into()),
                };
                vec![synthetic(EventData::TurnEnded(data))]
            }
            None => Vec::new(),
        }
    }

    pub fn permission_reply(&mut self, id: &str, reply: PermissionReply) -> Request {
        let session = self.permissions.remove(id).unwrap_or_else(|| self.root_id().to_string());
        let reply = match reply {
            PermissionReply::Once => "once",
            PermissionReply::Always => "always",
            PermissionReply::Reject => "reject",
        };
        Request {
            kind: RequestKind::PermissionReply,
            path: format!("/permission/{id}/reply"),
            body: Some(json!({"reply": reply})),
            fallback: Some((format!("/session/{session}/permissions/{id}"), json!({"response": reply}))),
        }
    }

    /// Answer a question (`answers`: one array of selected labels per question) or reject it (None).
    pub fn question_reply(&mut self, id: &str, answers: Option<&[Vec<String>]>) -> Request {
        let count = self.questions.remove(id).unwrap_or(0);
        match answers {
            Some(answers) => {
                let mut answers = answers.to_vec();
                // OpenCode expects one answer per question, in order.
                while answers.len() < count {
                    answers.push(Vec::new());
                }
                Request {
                    kind: RequestKind::QuestionReply,
                    path: format!("/question/{id}/reply"),
                    body: Some(json!({"answers": answers})),
                    fallback: None,
                }
            }
            None => Request {
                kind: RequestKind::QuestionReply,
                path: format!("/question/{id}/reject"),
                body: None,
                fallback: None,
            },
        }
    }

    /// A request failed (`status` None: no HTTP answer at all).
    pub fn request_failed(&mut self, req: &Request, status: Option<u16>, detail: &str) -> Vec<Action> {
        let what = match req.kind {
            RequestKind::Abort => return Vec::new(), // the abort timeout ends the turn
            RequestKind::Prompt => "the prompt",
            RequestKind::PermissionReply => "the permission reply",
            RequestKind::QuestionReply => "the question reply",
        };
        let message = match status {
            Some(code) => format!("OpenCode rejected {what} (HTTP {code}): {detail}"),
            None => format!("could not send {what} to OpenCode: {detail}"),
        };
        let details = json!({"path": req.path, "status": status, "body": detail});
        let err = ErrorData { message: message.clone(), code: Some("opencode_http".into()), details: Some(details) };
        let mut out = vec![synthetic(EventData::Error(err))];
        if req.kind == RequestKind::Prompt {
            if let Some(turn) = self.turn.take() {
                let data = TurnEndedData {
                    turn_id: String::new(),
                    reason: TurnEndReason::Error,
                    usage: usage_of(&turn),
                    message: Some(message),
                };
                out.push(synthetic(EventData::TurnEnded(data)));
            }
        }
        out
    }

    pub(super) fn root_id(&self) -> &str {
        self.root.as_deref().unwrap_or("")
    }

    /// In `bypass`, every permission request is answered `once` right away (and not shown).
    pub(super) fn auto_approve(&mut self, v: &Value) -> Vec<Action> {
        // Answered even when the request does not match the schema (it is then unparsed), so
        // OpenCode never waits on a request nobody sees.
        if !self.opts.auto_approve || v.get("type").and_then(Value::as_str) != Some("permission.asked") {
            return Vec::new();
        }
        match v.pointer("/properties/id").and_then(Value::as_str) {
            Some(id) => vec![Action::Request(self.permission_reply(id, PermissionReply::Once))],
            None => Vec::new(),
        }
    }
}
