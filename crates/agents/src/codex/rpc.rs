//! The JSON-RPC side of the Codex converter: the requests the adapter sends (handshake, turns,
//! interrupts), the responses to them, and Codex's own requests (approvals, which become
//! permissions; everything else is refused). Responses and requests are deserialized into the
//! app-server's types first, like notifications.

use sandbox_agent_agent_types::codex::{
    InitializeResponse, ServerRequest, ThreadResumeResponse, ThreadStartResponse, TurnStartResponse,
};
use sandbox_agent_schema::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::{emit, Action, Approval, Converter, Handshake, Turn, LOCATION};
use crate::universal::{raw_json, unparsed};
use crate::AgentOutput;

/// Our requests awaiting a response, by JSON-RPC id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Request {
    Initialize,
    ThreadStart,
    TurnStart,
    TurnInterrupt,
}

use crate::jsonrpc::error_message as rpc_error_message;
pub(super) use crate::jsonrpc::id_string;

/// A response's `result`, typed.
fn result<T: DeserializeOwned>(v: &Value, what: &str) -> Result<T, String> {
    T::deserialize(&v["result"]).map_err(|e| format!("not a {what} response: {e}"))
}

impl Converter {
    fn request(&mut self, kind: Request, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.requests.insert(id, kind);
        json!({"id": id, "method": method, "params": params})
    }

    /// The first message of the handshake.
    pub fn initialize(&mut self) -> Value {
        self.handshake = Handshake::Initializing;
        let info = json!({"name": "sandbox-agent", "title": "sandbox-agent", "version": self.settings.client_version});
        let mut params = json!({"clientInfo": info});
        if self.settings.plan {
            params["capabilities"] = json!({"experimentalApi": true});
        }
        self.request(Request::Initialize, "initialize", params)
    }

    fn thread_request(&mut self) -> Value {
        let mut params = self.settings.thread_params.clone();
        match self.settings.resume.clone() {
            Some(id) => {
                params.insert("threadId".into(), Value::String(id));
                self.request(Request::ThreadStart, "thread/resume", Value::Object(params))
            }
            None => self.request(Request::ThreadStart, "thread/start", Value::Object(params)),
        }
    }

    /// `turn/start` for a user message; the turn runs until Codex completes it.
    /// `turn/start` with the message: images as `localImage` (Codex reads and sends them),
    /// other files named by path (Codex reads those with its tools).
    /// `turn/start` for a message; None while it is held for MCP servers still starting.
    pub fn user_message(&mut self, text: &str, attachments: &[crate::Attachment]) -> Option<Value> {
        self.turn = Some(Turn { baseline: self.tokens, ..Default::default() });
        let mut input = vec![json!({"type": "text", "text": text})];
        input.extend(attachments.iter().map(|a| match a.is_image() {
            true => json!({"type": "localImage", "path": a.path}),
            false => json!({"type": "text", "text": a.mention()}),
        }));
        let mut params = json!({"threadId": self.thread_id.clone().unwrap_or_default(), "input": input});
        if self.settings.plan {
            let model = self.model.clone().unwrap_or_default();
            params["collaborationMode"] = json!({"mode": "plan", "settings": {"model": model}});
        }
        let request = self.request(Request::TurnStart, "turn/start", params);
        if self.mcp_starting.is_empty() {
            return Some(request);
        }
        self.held = Some(request);
        None
    }

    /// Codex's word on an MCP server's start: once none is starting, a held turn goes.
    pub(super) fn mcp_started(&mut self, name: &str, status: &str, error: Option<&str>) -> Vec<Action> {
        if status == "starting" || !self.mcp_starting.remove(name) {
            return Vec::new();
        }
        let mut out = Vec::new();
        if status != "ready" {
            let message = format!("MCP server {name} did not start ({status}): {}", error.unwrap_or("no reason given"));
            let data = ErrorData { message, code: Some("mcp_server_failed".into()), details: None };
            out.push(emit(EventData::Error(data)));
        }
        if self.mcp_starting.is_empty() {
            out.extend(self.held.take().map(Action::Write));
        }
        out
    }

    /// `turn/interrupt` for the running turn; deferred until Codex has named the turn.
    pub fn interrupt(&mut self) -> Option<Value> {
        // A turn held for MCP servers starts now, and is interrupted once Codex names it.
        if let Some(held) = self.held.take() {
            if let Some(turn) = self.turn.as_mut() {
                turn.interrupt_wanted = true;
            }
            return Some(held);
        }
        let turn = self.turn.as_mut()?;
        match turn.id.clone() {
            Some(turn_id) => Some(self.interrupt_request(turn_id)),
            None => {
                turn.interrupt_wanted = true;
                None
            }
        }
    }

    pub(super) fn interrupt_request(&mut self, turn_id: String) -> Value {
        let params = json!({"threadId": self.thread_id.clone().unwrap_or_default(), "turnId": turn_id});
        self.request(Request::TurnInterrupt, "turn/interrupt", params)
    }

    /// The JSON-RPC response answering an approval request; None if it is not pending.
    pub fn permission_reply(&mut self, id: &str, reply: PermissionReply) -> Option<Value> {
        let approval = self.approvals.remove(id)?;
        if approval.elicitation {
            // `_meta.persist: "session"` is Codex's "Approve this session".
            let result = match reply {
                PermissionReply::Once => json!({"action": "accept", "content": {}}),
                PermissionReply::Always => json!({"action": "accept", "content": {}, "_meta": {"persist": "session"}}),
                PermissionReply::Reject => json!({"action": "decline"}),
            };
            return Some(json!({"id": approval.rpc_id, "result": result}));
        }
        let decision = match reply {
            PermissionReply::Once => "accept",
            PermissionReply::Always => "acceptForSession",
            PermissionReply::Reject => "decline",
        };
        Some(json!({"id": approval.rpc_id, "result": {"decision": decision}}))
    }

    /// The JSON-RPC response to a `request_user_input` call; None if it is not pending.
    /// `answers: None` rejects it: no answers (what Codex itself passes the model for a refusal).
    pub fn question_reply(&mut self, id: &str, answers: Option<&[Vec<String>]>) -> Option<Value> {
        let question = self.questions.remove(id)?;
        Some(match answers {
            Some(answers) => {
                let keyed: serde_json::Map<String, Value> = question
                    .ids
                    .iter()
                    .zip(answers.iter().map(Some).chain(std::iter::repeat(None)))
                    .map(|(qid, a)| (qid.clone(), json!({"answers": a.cloned().unwrap_or_default()})))
                    .collect();
                json!({"id": question.rpc_id, "result": {"answers": keyed}})
            }
            None => json!({"id": question.rpc_id, "result": {"answers": {}}}),
        })
    }

    pub(super) fn response(&mut self, id: &Value, v: &Value) -> Result<Vec<Action>, String> {
        let kind = id
            .as_u64()
            .and_then(|n| self.requests.remove(&n))
            .ok_or_else(|| format!("response to unknown request id {id}"))?;
        let error = v.get("error").filter(|e| !e.is_null()).map(rpc_error_message);
        let mut out = Vec::new();
        match (kind, error) {
            (Request::Initialize, Some(e)) => self.handshake = Handshake::Failed(format!("initialize failed: {e}")),
            (Request::Initialize, None) => {
                let init: InitializeResponse = result(v, "initialize").inspect_err(|e| {
                    self.handshake = Handshake::Failed(e.clone());
                })?;
                self.user_agent = Some(init.user_agent);
                self.handshake = Handshake::StartingThread;
                out.push(Action::Write(json!({"method": "initialized"})));
                out.push(Action::Write(self.thread_request()));
            }
            (Request::ThreadStart, Some(e)) => {
                let what = if self.settings.resume.is_some() { "thread/resume" } else { "thread/start" };
                self.handshake = Handshake::Failed(format!("{what} failed: {e}"));
            }
            (Request::ThreadStart, None) => {
                // thread/start and thread/resume answer alike; the resume response is checked
                // against its own type.
                let id = match self.settings.resume {
                    Some(_) => result::<ThreadResumeResponse>(v, "thread/resume").map(|r| r.thread.id),
                    None => result::<ThreadStartResponse>(v, "thread/start").map(|r| r.thread.id),
                }
                .inspect_err(|e| self.handshake = Handshake::Failed(e.clone()))?;
                self.thread_id = Some(id.clone());
                self.handshake = Handshake::Ready(id.clone());
                out.push(Action::Emit(AgentOutput::NativeSessionId(id.clone())));
                let r = &v["result"];
                self.model = r.get("model").and_then(Value::as_str).map(str::to_string);
                let metadata = json!({
                    "threadId": id, "model": r.get("model"), "modelProvider": r.get("modelProvider"),
                    "cwd": r.get("cwd"), "approvalPolicy": r.get("approvalPolicy"), "sandbox": r.get("sandbox"),
                    "cliVersion": r["thread"].get("cliVersion"), "userAgent": self.user_agent,
                });
                out.extend(self.announce(metadata));
            }
            (Request::TurnStart, Some(e)) => {
                // No turn/completed will follow: end the turn here.
                if self.turn.take().is_some() {
                    let message = format!("turn/start failed: {e}");
                    let code = Some("turn_start_failed".into());
                    let error = ErrorData { message: message.clone(), code, details: v.get("error").cloned() };
                    out.push(emit(EventData::Error(error)));
                    out.push(emit(crate::universal::turn_failed(message)));
                }
            }
            (Request::TurnStart, None) => {
                let started: TurnStartResponse = result(v, "turn/start")?;
                out.extend(self.learn_turn(&started.turn.id));
            }
            (Request::TurnInterrupt, Some(e)) => {
                // Only worth telling while the turn still runs (otherwise it simply ended first).
                if self.turn.is_some() {
                    let message = format!("turn/interrupt failed: {e}");
                    let code = Some("interrupt_failed".into());
                    out.push(emit(EventData::Error(ErrorData { message, code, details: v.get("error").cloned() })));
                }
            }
            // The turn ends with turn/completed (status interrupted); its result is empty.
            (Request::TurnInterrupt, None) => {}
        }
        Ok(out)
    }

    pub(super) fn announce(&mut self, metadata: Value) -> Vec<Action> {
        if std::mem::replace(&mut self.announced, true) {
            return Vec::new();
        }
        vec![emit(EventData::SessionStarted(SessionStartedData { metadata: Some(metadata) }))]
    }

    /// A server→client request: approvals become permissions; everything else is refused.
    pub(super) fn server_request(&mut self, method: &str, id: &Value, v: &Value) -> Vec<Action> {
        let refusal =
            json!({"id": id, "error": {"code": -32601, "message": format!("sandbox-agent does not support {method}")}});
        let request = match ServerRequest::from_value(v) {
            Ok(request) => request,
            Err(e) => {
                let why = format!("not an app-server request: {e}");
                return vec![Action::Write(refusal), Action::Emit(unparsed(LOCATION, why, raw_json(v)))];
            }
        };
        // Approval metadata is passed on as Codex sent it.
        let p = &v["params"];
        let mut elicitation = false;
        let (action, metadata): (String, Value) = match request {
            ServerRequest::ItemCommandExecutionRequestApproval(r) => {
                let metadata = json!({
                    "command": p.get("command"), "cwd": p.get("cwd"), "reason": p.get("reason"), "itemId": r.item_id,
                    "turnId": r.turn_id, "threadId": r.thread_id, "commandActions": p.get("commandActions"),
                    "availableDecisions": p.get("availableDecisions"),
                    "proposedExecpolicyAmendment": p.get("proposedExecpolicyAmendment"),
                    "networkApprovalContext": p.get("networkApprovalContext"),
                });
                ("commandExecution".into(), metadata)
            }
            ServerRequest::ItemFileChangeRequestApproval(r) => {
                let changes = self.changes.get(&super::native_id(&r.turn_id, &r.item_id));
                let metadata = json!({
                    "reason": p.get("reason"), "grantRoot": p.get("grantRoot"), "itemId": r.item_id, "turnId": r.turn_id,
                    "threadId": r.thread_id, "changes": changes,
                });
                ("fileChange".into(), metadata)
            }
            // Offered to the model only in the Plan collaboration mode.
            ServerRequest::ItemToolRequestUserInput(r) => return self.ask(id, *r),
            // Codex asks to run an MCP tool through an elicitation of its own kind.
            ServerRequest::McpServerElicitationRequest(_)
                if p.pointer("/_meta/codex_approval_kind").and_then(Value::as_str) == Some("mcp_tool_call") =>
            {
                elicitation = true;
                let meta = &p["_meta"];
                let tool = meta.get("tool_name").and_then(Value::as_str).unwrap_or_default();
                let server = p.get("serverName").and_then(Value::as_str).unwrap_or_default();
                let metadata = json!({
                    "message": p.get("message"), "server": server, "tool": tool, "arguments": meta.get("tool_params"),
                    "description": meta.get("tool_description"), "turnId": p.get("turnId"), "threadId": p.get("threadId"),
                });
                // Named like the others, after the Codex item it approves.
                ("mcpToolCall".into(), metadata)
            }
            // Defined by the protocol but not served by this adapter: other MCP elicitations, extra
            // permissions, dynamic tools (we register none), ChatGPT tokens, attestation, and the
            // legacy approvals of turns started through the v1 API (we use turn/start). Refused,
            // and said so.
            ServerRequest::McpServerElicitationRequest(_)
            | ServerRequest::ItemPermissionsRequestApproval(_)
            | ServerRequest::ItemToolCall(_)
            | ServerRequest::AccountChatgptAuthTokensRefresh(_)
            | ServerRequest::AttestationGenerate(_)
            | ServerRequest::ApplyPatchApproval(_)
            | ServerRequest::ExecCommandApproval(_) => {
                let data = ErrorData {
                    message: format!("codex sent {method}, which sandbox-agent does not support; it was refused"),
                    code: Some("unsupported_request".into()),
                    details: Some(p.clone()),
                };
                return vec![Action::Write(refusal), emit(EventData::Error(data))];
            }
        };
        let permission_id = id_string(id);
        let data = PermissionEventData {
            permission_id: permission_id.clone(),
            action,
            status: PermissionStatus::Requested,
            metadata: Some(metadata),
            answered_by: None,
        };
        self.approvals.insert(permission_id, Approval { rpc_id: id.clone(), data: data.clone(), elicitation });
        vec![emit(EventData::PermissionRequested(data))]
    }

    /// `request_user_input` as a question: its first question's text and option labels (the
    /// universal question has one prompt; every question's answer is passed back in order).
    fn ask(&mut self, id: &Value, r: sandbox_agent_agent_types::codex::ToolRequestUserInputParams) -> Vec<Action> {
        let question_id = id_string(id);
        let first = r.questions.first();
        let prompt = r.questions.iter().map(|q| q.question.clone()).collect::<Vec<_>>().join("\n");
        let options = first
            .and_then(|q| q.options.as_ref())
            .map(|o| o.iter().map(|o| o.label.clone()).collect())
            .unwrap_or_default();
        let data = QuestionEventData {
            question_id: question_id.clone(),
            prompt,
            options,
            response: None,
            status: QuestionStatus::Requested,
            answered_by: None,
        };
        let ids = r.questions.into_iter().map(|q| q.id).collect();
        self.questions.insert(question_id, super::Question { rpc_id: id.clone(), ids, data: data.clone() });
        vec![emit(EventData::QuestionRequested(data))]
    }
}
