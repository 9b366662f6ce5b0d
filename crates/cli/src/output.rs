//! Human-readable output (the default) and `--json`.

use sandbox_agent_schema::*;
use serde::Serialize;

#[derive(Clone, Copy)]
pub struct Out {
    pub json: bool,
}

impl Out {
    /// Print `value` as pretty JSON with `--json`, else as `text(value)`.
    pub fn value<T: Serialize>(&self, value: &T, text: impl FnOnce(&T) -> String) {
        if self.json {
            self.json_only(value);
        } else {
            println!("{}", text(value));
        }
    }

    pub fn json_only<T: Serialize>(&self, value: &T) {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    }

    /// For 204 answers: a word for people, `{}` for machines.
    pub fn done(&self, text: &str) {
        if self.json {
            println!("{{}}");
        } else {
            println!("{text}");
        }
    }
}

pub fn print_sessions(sessions: &[SessionInfo]) -> String {
    if sessions.is_empty() {
        return "no sessions".into();
    }
    sessions
        .iter()
        .map(|s| {
            let label = s.label.as_deref().map(|l| format!("  {l}")).unwrap_or_default();
            format!(
                "{:<40} {:<8} {:<8} {:>6} events  {}{label}",
                s.session_id,
                s.agent,
                s.status.as_str(),
                s.event_count,
                s.created_at
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn print_session(s: &SessionInfo) -> String {
    let mut lines = vec![
        format!("session   {}", s.session_id),
        format!("agent     {} (mode {}, permissions {})", s.agent, s.agent_mode, s.permission_mode),
        format!("status    {}", s.status.as_str()),
        format!("events    {}", s.event_count),
        format!("directory {}", s.directory),
        format!("created   {}  updated {}", s.created_at, s.updated_at),
    ];
    if let Some(native) = &s.native_session_id {
        lines.push(format!("native id {native}"));
    }
    if let Some(label) = &s.label {
        lines.push(format!("label     {label}"));
    }
    if !s.tags.is_empty() {
        lines.push(format!("tags      {}", s.tags.join(" ")));
    }
    if let Some(workspace) = &s.workspace {
        lines.push(format!("workspace {workspace}"));
    }
    for r in &s.repos {
        let at = r.commit.as_deref().or(r.branch.as_deref()).unwrap_or("");
        lines.push(format!("repo      {} @ {at} in {}", r.url, r.path));
    }
    if let Some(metadata) = &s.metadata {
        lines.push(format!("metadata  {}", serde_json::Value::Object(metadata.clone())));
    }
    if s.participant_count > 0 {
        lines.push(format!("participants {} (last activity {})", s.participant_count, s.last_activity_at));
    }
    for p in &s.pending_permissions {
        lines.push(format!("pending permission {} ({})", p.permission_id, p.action));
    }
    for q in &s.pending_questions {
        lines.push(format!("pending question {}: {} [{}]", q.question_id, q.prompt, q.options.join(" / ")));
    }
    lines.join("\n")
}

fn item_summary(item: &UniversalItem) -> String {
    let text: String = item
        .content
        .iter()
        .map(|part| match part {
            ContentPart::Text { text } => text.clone(),
            ContentPart::ToolCall { name, arguments, .. } => format!("{name}({arguments})"),
            ContentPart::ToolResult { output, .. } => output.clone(),
            ContentPart::FileRef { path, action, .. } => format!("[{action:?} {path}]"),
            ContentPart::Reasoning { text, .. } => format!("(thinking) {text}"),
            ContentPart::Image { path, .. } => format!("[image {path}]"),
            ContentPart::Status { label, detail } => format!("{label} {}", detail.as_deref().unwrap_or("")),
            ContentPart::Json { json } => json.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let role = item.role.map(|r| format!("{r:?}").to_lowercase()).unwrap_or_default();
    format!("{} {:?} {role}: {}", item.item_id, item.kind, text.replace('\n', " "))
}

pub fn print_event(ev: &UniversalEvent) {
    let detail = match &ev.data {
        EventData::ItemStarted(d) | EventData::ItemCompleted(d) => item_summary(&d.item),
        EventData::ItemDelta(d) => format!("{} {:?}", d.item_id, d.delta),
        EventData::TurnStarted(d) => d.turn_id.clone(),
        EventData::TurnEnded(d) => format!("{} {:?}", d.turn_id, d.reason),
        EventData::SessionStarted(_) => String::new(),
        EventData::SessionEnded(d) => format!("{:?} by {:?}", d.reason, d.terminated_by),
        EventData::Error(d) => d.message.clone(),
        EventData::PermissionRequested(d) | EventData::PermissionResolved(d) => {
            format!("{} {} {:?}", d.permission_id, d.action, d.status)
        }
        EventData::QuestionRequested(d) | EventData::QuestionResolved(d) => {
            format!("{} {:?} [{}] {:?}", d.question_id, d.prompt, d.options.join(" / "), d.status)
        }
        EventData::AgentUnparsed(d) => d.error.clone(),
        EventData::SessionUpdated(d) => format!("{} by {}", d.fields.join(", "), d.updated_by),
        EventData::SetupStarted(d) => format!("#{} {} {}", d.index, wire(&d.step), d.name),
        EventData::SetupOutput(d) => format!("#{} {} {:?}", d.index, wire(&d.stream), d.text),
        EventData::SetupCompleted(d) => {
            let exit = d.exit_code.map_or_else(|| "killed".to_string(), |c| format!("exit {c}"));
            format!("#{} {exit} in {} ms", d.index, d.duration_ms)
        }
        EventData::TaskStarted(d) => d.label.clone(),
        EventData::TaskCompleted(d) => d.turn_id.clone(),
        EventData::TaskFailed(d) => format!("{}: {}", wire(&d.reason), d.message),
        EventData::ParticipantJoined(d) | EventData::ParticipantLeft(d) => {
            format!("{} {} {}", d.participant.id, d.participant.name, wire(&d.participant.role))
        }
        EventData::ContractPassed(d) => format!("{} ({}) #{}", d.path, d.status, d.iteration),
        EventData::ContractFailed(d) => {
            let errors: Vec<String> = d.errors.iter().map(|e| format!("{}: {}", wire(&e.kind), e.message)).collect();
            format!("{} #{}: {}", d.path, d.iteration, errors.join("; "))
        }
        EventData::TaskBlocked(d) => d.blockers.join("; "),
        EventData::LoopIteration(d) => format!("{} of {}", d.iteration, d.max_iterations),
        EventData::LoopStatusChanged(d) => {
            let why = d.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
            format!("{} -> {}{why}", wire(&d.from), wire(&d.to))
        }
        EventData::RunCompleted(d) => {
            let end = match (d.exit_code, d.signal) {
                (_, Some(sig)) if d.timed_out => format!("timed out (signal {sig})"),
                (Some(code), _) => format!("exit {code}"),
                (None, Some(sig)) => format!("signal {sig}"),
                (None, None) => "ended".into(),
            };
            format!("{} {end} in {} ms by {}", d.command.join(" "), d.duration_ms, d.run_by)
        }
    };
    println!("#{:<6} {:<20} {detail}", ev.sequence, ev.data.event_type());
}

/// One line per transcript entry: sequence, type, and its text or tool.
pub fn print_transcript(page: &TranscriptResponse) -> String {
    let mut lines: Vec<String> = page
        .entries
        .iter()
        .map(|e| {
            let kind = serde_json::to_value(e.type_).unwrap_or_default().as_str().unwrap_or("").to_string();
            let body = match (&e.tool_name, &e.text) {
                (Some(tool), _) => {
                    format!("{tool} {}", e.tool_args.as_ref().map(|a| a.to_string()).unwrap_or_default())
                }
                (None, Some(text)) => text.replace('\n', " "),
                (None, None) => String::new(),
            };
            format!("{:>6} {kind:<12} {}", e.sequence, body.chars().take(160).collect::<String>())
        })
        .collect();
    if page.has_more {
        lines.push(format!("… {} entries in all", page.total));
    }
    lines.join("\n")
}

pub fn print_participants(participants: &[Participant]) -> String {
    participants
        .iter()
        .map(|p| {
            let role = serde_json::to_value(p.role).unwrap_or_default().as_str().unwrap_or("").to_string();
            let transport = serde_json::to_value(p.transport).unwrap_or_default().as_str().unwrap_or("").to_string();
            let state = match &p.disconnected_at {
                Some(at) => format!("left {at}"),
                None => "connected".into(),
            };
            format!("{} {:<20} {role:<10} {transport:<5} joined {} {state}", p.id, p.name, p.connected_at)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An enum's name on the wire (`stderr`, `setup_failed`), not its Rust name.
pub fn wire<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
