//! Universal events as ACP sees them: `session/update` notifications for what the agent says
//! and does, `session/request_permission` for what it asks, and the prompt's `stopReason`.
//! Pure: the pump (`pump.rs`) keeps the little state it needs (which item is which).

use std::collections::HashMap;

use sandbox_agent_schema::*;
use serde_json::{json, Value};

/// The permission options every request offers, and what each means to the daemon.
pub const OPTIONS: [(&str, &str, &str, PermissionReply); 3] = [
    ("once", "allow_once", "Allow once", PermissionReply::Once),
    ("always", "allow_always", "Always allow", PermissionReply::Always),
    ("reject", "reject_once", "Reject", PermissionReply::Reject),
];

/// What the daemon does with an answer to `session/request_permission`: a selected option, or
/// `cancelled` (a rejection).
pub fn permission_reply(result: &Value) -> PermissionReply {
    let outcome = &result["outcome"];
    let selected = outcome["optionId"].as_str().filter(|_| outcome["outcome"] == "selected");
    OPTIONS.iter().find(|o| Some(o.0) == selected).map_or(PermissionReply::Reject, |o| o.3)
}

/// `stopReason` of a turn that ended this way; None: it failed (a JSON-RPC error instead).
pub fn stop_reason(reason: TurnEndReason) -> Option<&'static str> {
    match reason {
        TurnEndReason::Completed => Some("end_turn"),
        TurnEndReason::Interrupted => Some("cancelled"),
        _ => None,
    }
}

/// One session's view: its id on the ACP side and the items seen so far.
#[derive(Default)]
pub struct Translator {
    pub session_id: String,
    items: HashMap<String, (ItemKind, Option<ItemRole>, bool)>,
}

/// What one universal event becomes.
pub enum Out {
    Notify(Value),
    /// A permission to ask the client (the daemon's permission id, the request's params).
    Ask(String, Value),
}

impl Translator {
    pub fn new(session_id: &str) -> Self {
        Translator { session_id: session_id.to_string(), items: HashMap::new() }
    }

    fn update(&self, update: Value) -> Out {
        Out::Notify(json!({"jsonrpc": "2.0", "method": "session/update",
            "params": {"sessionId": self.session_id, "update": update}}))
    }

    pub fn event(&mut self, event: &UniversalEvent) -> Vec<Out> {
        match &event.data {
            EventData::ItemStarted(e) => self.started(&e.item).into_iter().collect(),
            EventData::ItemDelta(d) => match self.items.get_mut(&d.item_id) {
                Some((ItemKind::Message, Some(ItemRole::Assistant), streamed)) => {
                    *streamed = true;
                    vec![self.update(json!({"sessionUpdate": "agent_message_chunk",
                        "content": {"type": "text", "text": d.delta}}))]
                }
                _ => Vec::new(),
            },
            EventData::ItemCompleted(e) => self.completed(&e.item),
            EventData::PermissionRequested(p) => {
                let options: Vec<Value> = OPTIONS
                    .iter()
                    .map(|(id, kind, name, _)| json!({"optionId": id, "kind": kind, "name": name}))
                    .collect();
                let params = json!({"sessionId": self.session_id, "options": options,
                    "toolCall": {"toolCallId": p.permission_id, "title": p.action, "rawInput": p.metadata}});
                vec![Out::Ask(p.permission_id.clone(), params)]
            }
            _ => Vec::new(),
        }
    }

    fn started(&mut self, item: &UniversalItem) -> Option<Out> {
        let seen = self.items.insert(item.item_id.clone(), (item.kind, item.role, false)).is_some();
        match (&item.kind, item.content.first()) {
            (ItemKind::ToolCall, Some(ContentPart::ToolCall { name, arguments, .. })) if !seen => {
                let raw: Value = serde_json::from_str(arguments).unwrap_or(Value::Null);
                Some(self.update(json!({"sessionUpdate": "tool_call", "toolCallId": item.item_id, "title": name,
                    "kind": "other", "status": "pending", "rawInput": raw})))
            }
            _ => None,
        }
    }

    fn completed(&mut self, item: &UniversalItem) -> Vec<Out> {
        let streamed = self.items.get(&item.item_id).is_some_and(|i| i.2);
        let mut out = Vec::new();
        if !self.items.contains_key(&item.item_id) {
            out.extend(self.started(item));
        }
        match item.kind {
            // A message that arrived whole (no deltas) is sent as one chunk.
            ItemKind::Message if item.role == Some(ItemRole::Assistant) && !streamed => {
                let text: String = item
                    .content
                    .iter()
                    .filter_map(|p| match p {
                        ContentPart::Text { text } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect();
                if !text.is_empty() {
                    out.push(self.update(json!({"sessionUpdate": "agent_message_chunk",
                        "content": {"type": "text", "text": text}})));
                }
            }
            ItemKind::ToolResult => {
                if let Some(ContentPart::ToolResult { output, .. }) = item.content.first() {
                    let call = item.parent_id.clone().unwrap_or_default();
                    let status = if item.status == ItemStatus::Failed { "failed" } else { "completed" };
                    out.push(self.update(json!({"sessionUpdate": "tool_call_update", "toolCallId": call,
                        "status": status, "content": [{"type": "content", "content": {"type": "text", "text": output}}]})));
                }
            }
            _ => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(data: EventData) -> UniversalEvent {
        UniversalEvent {
            event_id: "e".into(),
            sequence: 1,
            time: "t".into(),
            session_id: "s".into(),
            native_session_id: None,
            synthetic: false,
            source: EventSource::Agent,
            data,
            raw: None,
        }
    }

    fn item(
        id: &str,
        kind: ItemKind,
        role: ItemRole,
        parent: Option<&str>,
        content: Vec<ContentPart>,
    ) -> UniversalItem {
        UniversalItem {
            item_id: id.into(),
            native_item_id: None,
            parent_id: parent.map(str::to_string),
            kind,
            role: Some(role),
            content,
            status: ItemStatus::Completed,
        }
    }

    fn updates(out: Vec<Out>) -> Vec<Value> {
        out.into_iter()
            .map(|o| match o {
                Out::Notify(m) => m["params"]["update"].clone(),
                Out::Ask(id, params) => json!({"ask": id, "params": params}),
            })
            .collect()
    }

    #[test]
    fn messages_tools_and_permissions_become_acp() {
        let mut t = Translator::new("s");
        let msg = item("m", ItemKind::Message, ItemRole::Assistant, None, vec![]);
        assert!(updates(t.event(&ev(EventData::ItemStarted(ItemEventData { item: msg.clone() })))).is_empty());
        let delta =
            EventData::ItemDelta(ItemDeltaData { item_id: "m".into(), native_item_id: None, delta: "hi".into() });
        assert_eq!(
            updates(t.event(&ev(delta))),
            [json!({"sessionUpdate": "agent_message_chunk", "content": {"type": "text", "text": "hi"}})]
        );
        // Streamed already: the completed item adds nothing.
        assert!(updates(t.event(&ev(EventData::ItemCompleted(ItemEventData { item: msg })))).is_empty());
        // A message that came whole is one chunk.
        let whole =
            item("w", ItemKind::Message, ItemRole::Assistant, None, vec![ContentPart::Text { text: "all".into() }]);
        assert_eq!(
            updates(t.event(&ev(EventData::ItemCompleted(ItemEventData { item: whole }))))[0]["content"]["text"],
            "all"
        );
        // A user's message is not the agent's.
        let user = item("u", ItemKind::Message, ItemRole::User, None, vec![ContentPart::Text { text: "q".into() }]);
        assert!(updates(t.event(&ev(EventData::ItemCompleted(ItemEventData { item: user })))).is_empty());

        let call =
            ContentPart::ToolCall { name: "Bash".into(), arguments: r#"{"command":"ls"}"#.into(), call_id: "c".into() };
        let call = item("t", ItemKind::ToolCall, ItemRole::Assistant, None, vec![call]);
        let out = updates(t.event(&ev(EventData::ItemStarted(ItemEventData { item: call }))));
        assert_eq!(
            (&out[0]["sessionUpdate"], &out[0]["toolCallId"], &out[0]["rawInput"]),
            (&json!("tool_call"), &json!("t"), &json!({"command": "ls"}))
        );
        let result = ContentPart::ToolResult { call_id: "c".into(), output: "a b".into() };
        let mut result = item("r", ItemKind::ToolResult, ItemRole::Tool, Some("t"), vec![result]);
        result.status = ItemStatus::Failed;
        let out = updates(t.event(&ev(EventData::ItemCompleted(ItemEventData { item: result }))));
        assert_eq!(
            (&out[0]["sessionUpdate"], &out[0]["toolCallId"], &out[0]["status"]),
            (&json!("tool_call_update"), &json!("t"), &json!("failed"))
        );
        assert_eq!(out[0]["content"][0]["content"]["text"], "a b");

        let asked = PermissionEventData {
            permission_id: "p1".into(),
            action: "Bash".into(),
            status: PermissionStatus::Requested,
            metadata: None,
            answered_by: None,
        };
        let out = updates(t.event(&ev(EventData::PermissionRequested(asked))));
        assert_eq!(out[0]["ask"], "p1");
        assert_eq!(out[0]["params"]["options"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn answers_and_stop_reasons() {
        let pick = |outcome: Value| permission_reply(&json!({"outcome": outcome}));
        assert_eq!(pick(json!({"outcome": "selected", "optionId": "once"})), PermissionReply::Once);
        assert_eq!(pick(json!({"outcome": "selected", "optionId": "always"})), PermissionReply::Always);
        assert_eq!(pick(json!({"outcome": "selected", "optionId": "reject"})), PermissionReply::Reject);
        assert_eq!(pick(json!({"outcome": "cancelled"})), PermissionReply::Reject);
        assert_eq!(pick(json!({"outcome": "selected", "optionId": "made-up"})), PermissionReply::Reject);
        assert_eq!(stop_reason(TurnEndReason::Completed), Some("end_turn"));
        assert_eq!(stop_reason(TurnEndReason::Interrupted), Some("cancelled"));
        assert_eq!(stop_reason(TurnEndReason::Error), None);
    }
}
