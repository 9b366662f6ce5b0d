//! Our sessions, events and transcript in the Coder Hub's vocabulary. Pure functions: no I/O.

use std::collections::HashSet;

use sandbox_agent_schema::*;
use serde_json::{json, Value};

use super::wire::*;

/// Epoch milliseconds of an RFC 3339 time (0 if it does not parse, which our own times always do).
pub fn ms(time: &str) -> u64 {
    humantime::parse_rfc3339_weak(time)
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as u64)
}

/// The Hub's `status` word for ours.
pub fn status(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Starting => "creating",
        SessionStatus::Idle => "idle",
        SessionStatus::Running => "active",
        SessionStatus::Paused => "paused",
        SessionStatus::Ended => "ended",
        SessionStatus::Archived => "archived",
    }
}

fn bucket(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Starting => "provisioning",
        SessionStatus::Idle | SessionStatus::Running => "running",
        SessionStatus::Paused => "paused",
        SessionStatus::Ended | SessionStatus::Archived => "history",
    }
}

pub fn skills(info: &SessionInfo) -> Vec<HubSkill> {
    info.skills.iter().map(|name| HubSkill { skill_id: name.clone(), repo: "custom", name: name.clone() }).collect()
}

/// A session for the list (`detail: false`: no task, metadata or update time) or the detail.
pub fn session(info: &SessionInfo, detail: bool, loop_state: Option<&LoopState>) -> HubSession {
    let live = matches!(info.status, SessionStatus::Idle | SessionStatus::Running);
    let repos: Vec<HubRepoInfo> = info
        .repos
        .iter()
        .map(|r| HubRepoInfo {
            url: r.url.clone(),
            branch: r.branch.clone(),
            commit: r.commit.clone(),
            root_path: r.path.clone(),
        })
        .collect();
    HubSession {
        session_id: info.session_id.clone(),
        label: info.label.clone().or_else(|| info.title.clone()).unwrap_or_default(),
        status: status(info.status),
        mode: "sandbox",
        visibility: "private",
        workflow_mode: info.workflow_mode,
        created_at: info.created_at.clone(),
        last_activity_at: info.last_activity_at.clone(),
        task_count: info.task.is_some() as u64,
        sub_agent_count: 0,
        observer_count: 0,
        participant_count: info.participant_count,
        tags: info.tags.clone(),
        skills: skills(info),
        enabled_agents: Vec::new(),
        bucket: bucket(info.status),
        runtime_available: live,
        control_available: live,
        wake_available: info.status == SessionStatus::Paused,
        history_only: matches!(info.status, SessionStatus::Ended | SessionStatus::Archived),
        live_expected: live || info.status == SessionStatus::Starting,
        agent: info.agent.clone(),
        repo: repos.first().cloned(),
        repos,
        loop_status: loop_state.map(|l| l.status),
        loop_iteration: loop_state.map(|l| l.iteration),
        task: if detail { info.task.clone() } else { None },
        metadata: if detail { info.metadata.clone() } else { None },
        updated_at: detail.then(|| info.updated_at.clone()),
    }
}

pub fn loop_state(state: LoopResponse) -> HubLoop {
    HubLoop {
        session_id: state.session_id,
        workflow_mode: state.workflow_mode,
        loop_: state.loop_.map(|l| HubLoopState {
            status: l.status,
            iteration: l.iteration,
            max_iterations: l.max_iterations,
            auto_continue: l.auto_continue,
            goal: l.goal,
            summary: l.summary,
            next_action: l.next_action,
            started_at: l.started_at.as_deref().map(ms),
            updated_at: ms(&l.updated_at),
            completed_at: l.completed_at.as_deref().map(ms),
        }),
    }
}

fn role(role: ParticipantRole) -> &'static str {
    match role {
        ParticipantRole::Observer => "observer",
        ParticipantRole::Controller => "controller",
    }
}

fn transport(transport: ParticipantTransport) -> &'static str {
    match transport {
        ParticipantTransport::Sse => "sse",
        ParticipantTransport::Ws => "ws",
        ParticipantTransport::Token => "token",
    }
}

pub fn participant(p: &Participant) -> HubParticipant {
    let mut metadata = JsonObject::new();
    metadata.insert("name".into(), p.name.clone().into());
    metadata.insert("principal".into(), p.principal.clone().into());
    HubParticipant {
        id: p.id.clone(),
        role: role(p.role),
        transport: transport(p.transport),
        connected_at: p.connected_at.clone(),
        disconnected_at: p.disconnected_at.clone(),
        last_activity_at: p.last_activity_at.clone(),
        metadata,
    }
}

/// A participant as presence frames carry it: only stream attachments qualify.
pub fn live_participant(p: &Participant) -> Option<LiveParticipant> {
    p.transport.attached().then(|| LiveParticipant {
        id: p.id.clone(),
        role: role(p.role),
        transport: transport(p.transport),
        subscriptions: Vec::new(),
        connected_at: ms(&p.connected_at),
        last_activity: ms(&p.last_activity_at),
    })
}

/// A transcript entry as a conversation entry.
pub fn entry(e: &TranscriptEntry, agent: &str) -> Entry {
    let type_ = match e.type_ {
        TranscriptEntryType::UserPrompt => "user_prompt",
        TranscriptEntryType::Message | TranscriptEntryType::Error => "message",
        TranscriptEntryType::Thinking => "thinking",
        TranscriptEntryType::ToolCall => "tool_call",
        TranscriptEntryType::ToolResult | TranscriptEntryType::FileChange => "tool_result",
        TranscriptEntryType::Status => "runtime_status",
        TranscriptEntryType::Turn => "turn",
    };
    let thinking = e.type_ == TranscriptEntryType::Thinking;
    Entry {
        type_,
        agent: agent.to_string(),
        content: if thinking { None } else { e.text.clone() },
        thinking: if thinking { e.text.clone() } else { None },
        tool_name: e
            .tool_name
            .clone()
            .or_else(|| (e.type_ == TranscriptEntryType::FileChange).then(|| "file_change".into())),
        tool_args: e.tool_args.as_ref().map(|args| match args {
            Value::Object(map) => map.clone(),
            other => JsonObject::from_iter([("input".to_string(), other.clone())]),
        }),
        tool_call_id: e.tool_call_id.clone(),
        is_error: e.is_error.or((e.type_ == TranscriptEntryType::Error).then_some(true)),
        turn_id: e.turn_id.clone(),
        sequence: e.sequence,
        timestamp: ms(&e.timestamp),
    }
}

/// An event in the Hub's words: its name, category and payload (our own event data, with the
/// fields the Hub's consumers read added).
pub struct Mapped {
    pub event: String,
    pub category: &'static str,
    pub data: JsonObject,
    pub task_id: Option<String>,
    /// For `participant.*`: the attachment, sent as a presence frame.
    pub presence: Option<LiveParticipant>,
}

/// Which items are reasoning, learned from their `item.started`, so their deltas are thinking.
#[derive(Default)]
pub struct Items {
    thinking: HashSet<String>,
}

fn item_text(item: &UniversalItem) -> String {
    item.content.iter().filter_map(ContentPart::delta_text).collect()
}

fn tool_call(item: &UniversalItem) -> Option<(&str, &str, &str)> {
    item.content.iter().find_map(|p| match p {
        ContentPart::ToolCall { name, arguments, call_id } => {
            Some((name.as_str(), arguments.as_str(), call_id.as_str()))
        }
        _ => None,
    })
}

pub fn event(ev: &UniversalEvent, agent: &str, items: &mut Items) -> Mapped {
    let mut data = match serde_json::to_value(&ev.data) {
        Ok(Value::Object(mut tagged)) => match tagged.remove("data") {
            Some(Value::Object(data)) => data,
            _ => JsonObject::new(),
        },
        _ => JsonObject::new(),
    };
    let mut put = |k: &str, v: Value| {
        data.insert(k.to_string(), v);
    };
    let task = || Some(ev.session_id.clone());
    let (event, category, task_id, presence): (&str, &'static str, Option<String>, Option<LiveParticipant>) = match &ev
        .data
    {
        EventData::SessionStarted(_) => ("session_start", "session", None, None),
        EventData::SessionEnded(end) => {
            let name = if end.reason == SessionEndReason::Completed { "session_complete" } else { "session_shutdown" };
            (name, "session", None, None)
        }
        EventData::Error(e) => {
            put("error", e.message.clone().into());
            ("session_error", "session", None, None)
        }
        EventData::SessionUpdated(u) if u.label.is_some() => ("session_label_updated", "session", None, None),
        EventData::TurnStarted(t) => {
            put("turnId", t.turn_id.clone().into());
            ("turn_start", "agent", None, None)
        }
        EventData::TurnEnded(t) => {
            put("turnId", t.turn_id.clone().into());
            ("turn_end", "agent", None, None)
        }
        EventData::ItemStarted(ItemEventData { item }) => {
            put("itemId", item.item_id.clone().into());
            if item.content.iter().any(|p| matches!(p, ContentPart::Reasoning { .. })) {
                items.thinking.insert(item.item_id.clone());
                ("thinking_start", "agent", None, None)
            } else if let Some((name, args, id)) = tool_call(item) {
                put("toolName", name.into());
                put("toolCallId", id.into());
                put("args", args.into());
                ("tool_execution_start", "tool", None, None)
            } else {
                ("message_start", "agent", None, None)
            }
        }
        EventData::ItemDelta(d) => {
            let thinking = items.thinking.contains(&d.item_id);
            put("agentName", agent.into());
            put("status", if thinking { "thinking_delta" } else { "text_delta" }.into());
            put("delta", d.delta.clone().into());
            put("itemId", d.item_id.clone().into());
            ("agent_progress", "agent", None, None)
        }
        EventData::ItemCompleted(ItemEventData { item }) => {
            put("itemId", item.item_id.clone().into());
            if items.thinking.remove(&item.item_id) {
                put("thinking", item_text(item).into());
                ("thinking_end", "agent", None, None)
            } else if let Some((name, args, id)) = tool_call(item) {
                put("toolName", name.into());
                put("toolCallId", id.into());
                put("args", args.into());
                ("tool_call", "tool", None, None)
            } else if item.kind == ItemKind::ToolResult {
                let (id, output) = item
                    .content
                    .iter()
                    .find_map(|p| match p {
                        ContentPart::ToolResult { call_id, output } => Some((call_id.clone(), output.clone())),
                        _ => None,
                    })
                    .unwrap_or_default();
                put("toolCallId", id.into());
                put("result", output.into());
                put("isError", (item.status == ItemStatus::Failed).into());
                ("tool_result", "tool", None, None)
            } else {
                put("text", item_text(item).into());
                ("message_end", "agent", None, None)
            }
        }
        EventData::TaskStarted(t) => {
            put("taskId", ev.session_id.clone().into());
            put("agent", agent.into());
            put("prompt", t.task.clone().into());
            put("description", t.label.clone().into());
            ("task_start", "task", task(), None)
        }
        EventData::TaskCompleted(_) => {
            put("taskId", ev.session_id.clone().into());
            put("agent", agent.into());
            ("task_complete", "task", task(), None)
        }
        EventData::TaskFailed(f) => {
            put("taskId", ev.session_id.clone().into());
            put("agent", agent.into());
            put("error", f.message.clone().into());
            ("task_error", "task", task(), None)
        }
        EventData::TaskBlocked(b) => {
            put("taskId", ev.session_id.clone().into());
            put("agent", agent.into());
            put("error", b.blockers.join("; ").into());
            ("task_error", "task", task(), None)
        }
        EventData::LoopStatusChanged(_) | EventData::LoopIteration(_) => ("loop_state_updated", "loop", task(), None),
        EventData::ParticipantJoined(p) => ("session_join", "session", None, live_participant(&p.participant)),
        EventData::ParticipantLeft(p) => ("session_leave", "session", None, live_participant(&p.participant)),
        // No Hub equivalent: our own name, `.` → `_`, in the category of its prefix.
        other => {
            let name = other.event_type().replace('.', "_");
            return Mapped { event: name, category: category_of(other), data, task_id: None, presence: None };
        }
    };
    put("agentRole", "lead".into());
    Mapped { event: event.to_string(), category, data, task_id, presence }
}

fn category_of(data: &EventData) -> &'static str {
    match data {
        EventData::PermissionRequested(_) | EventData::PermissionResolved(_) => "permission",
        EventData::QuestionRequested(_) | EventData::QuestionResolved(_) => "question",
        EventData::SetupStarted(_) | EventData::SetupOutput(_) | EventData::SetupCompleted(_) => "runtime",
        EventData::RunCompleted(_) => "runtime",
        EventData::ContractPassed(_) | EventData::ContractFailed(_) => "contract",
        _ => "session",
    }
}

/// Whether a `subscribe` pattern lets an event through: `*`, `prefix*`, an exact name or a
/// category.
pub fn subscribed(patterns: &[String], event: &str, category: &str) -> bool {
    patterns.is_empty()
        || patterns.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => event.starts_with(prefix),
            None => p == event || p == category,
        })
}

/// The frame a mapped event becomes: presence for attachments, broadcast for the rest.
pub fn frame(mapped: Mapped, session_id: &str, timestamp: u64) -> (&'static str, Value) {
    match mapped.presence {
        Some(participant) => (
            "presence",
            json!({"type": "presence", "event": mapped.event, "participant": participant, "sessionId": session_id, "timestamp": timestamp}),
        ),
        None => (
            "broadcast",
            json!({"type": "broadcast", "event": mapped.event, "data": mapped.data, "category": mapped.category,
                "sessionId": session_id, "timestamp": timestamp}),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_names_prefixes_and_categories() {
        let p = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(subscribed(&[], "anything", "x"));
        assert!(subscribed(&p(&["task_*", "agent_*"]), "task_start", "task"));
        assert!(subscribed(&p(&["task_*", "agent_*"]), "agent_progress", "agent"));
        assert!(!subscribed(&p(&["task_*", "agent_*"]), "session_label_updated", "session"));
        assert!(subscribed(&p(&["session"]), "session_label_updated", "session"));
        assert!(subscribed(&p(&["*"]), "turn_end", "agent"));
        assert!(!subscribed(&p(&["turn_start"]), "turn_end", "agent"));
    }

    #[test]
    fn times_are_epoch_milliseconds() {
        assert_eq!(ms("1970-01-01T00:00:01.500Z"), 1500);
        assert_eq!(ms("2026-01-01T00:00:00Z"), 1_767_225_600_000);
    }
}
