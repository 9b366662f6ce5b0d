//! The built-in mock agent: in-process, deterministic, and the reference for every event and
//! content part the universal schema has. Send it `help` to list its commands.

use std::time::Duration;

use sandbox_agent_schema::*;
use serde_json::json;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::pending::{Pending, Reply};
use crate::{
    Agent, AgentEvent, AgentHandle, AgentInput, AgentOutput, InstallStatus, ModelsFuture, ModelsSpec, OutputSender,
    SessionSpec, StartFuture,
};

pub const HELP: &str = "Mock agent commands:\n\
- help: this list\n\
- demo: every item and part type in one turn\n\
- markdown: a streamed markdown message\n\
- tool: tool calls and results with file references\n\
- status: a status item\n\
- image: a message with an image part\n\
- reasoning: a message with reasoning\n\
- unknown: an item of unknown kind\n\
- permission / permissions: ask for two permissions and wait for the replies\n\
- question / questions: ask two questions and wait for the answers\n\
- error: an error event (and an agent.unparsed one) ending the turn with an error\n\
- unparsed: an agent.unparsed event\n\
- end: end the session\n\
- echo TEXT / say TEXT: reply with TEXT\n\
- write PATH: write the lines after it, up to a line EOF, to PATH in its directory (repeatable)\n\
- turns: the sections after it, split by lines ---, are this and the next turns' messages\n\
- flood N: one message of N deltas, as fast as possible\n\
- slow MS: a message that takes MS milliseconds (interruptible)\n\
- hang: a turn that says nothing and ignores interrupts (for timeout tests)\n\
Anything else is echoed back.";

static INCARNATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

const GREETING: &str = "Mock agent ready. Send `help` to see what it can do.";

pub struct MockAgent {
    pacing: Duration,
}

impl MockAgent {
    /// `pacing`: pause before each event (zero: as fast as possible).
    pub fn new(pacing: Duration) -> Self {
        MockAgent { pacing }
    }
}

impl Agent for MockAgent {
    fn id(&self) -> &str {
        "mock"
    }

    fn capabilities(&self) -> AgentCapabilities {
        // Each flag here is exercised by the daemon's mock-agent tests.
        AgentCapabilities {
            plan_mode: false,
            permissions: true,
            questions: true,
            tool_calls: true,
            tool_results: true,
            text_messages: true,
            images: true,
            // tests/api/attachments.rs: the mock reads what it was sent and says so.
            file_attachments: true,
            session_lifecycle: true,
            error_events: true,
            reasoning: true,
            command_execution: true,
            file_changes: true,
            mcp_tools: false,
            skills: false,
            streaming_deltas: true,
            status: true,
            item_started: true,
            shared_process: false,
            interrupt: true,
            resume: true,
        }
    }

    fn modes(&self) -> Vec<AgentModeInfo> {
        vec![
            AgentModeInfo { id: "build".into(), name: "Build".into(), description: "Act on requests".into() },
            AgentModeInfo { id: "plan".into(), name: "Plan".into(), description: "Plan before acting".into() },
        ]
    }

    fn permission_modes(&self) -> &'static [&'static str] {
        &["default", "plan", "bypass"]
    }

    fn install_status(&self) -> InstallStatus {
        InstallStatus {
            installed: true,
            version: Some("builtin".into()),
            source: Some(sandbox_agent_schema::AgentSource::Builtin),
            ..Default::default()
        }
    }

    /// A fixed list: the mock's behaviour does not depend on the model.
    fn models(&self, _spec: ModelsSpec) -> ModelsFuture<'_> {
        let model = |id: &str, name: &str, default: bool, variants: &[&str]| AgentModelInfo {
            id: id.into(),
            name: name.into(),
            description: Some("The mock agent answers the same whatever the model".into()),
            default,
            variants: variants.iter().map(|v| v.to_string()).collect(),
            default_variant: variants.first().map(|v| v.to_string()),
        };
        let list = AgentModelsResponse {
            models: vec![
                model("mock", "Mock", true, &[]),
                model("mock-thinking", "Mock Thinking", false, &["low", "high"]),
            ],
            default_model: Some("mock".into()),
            note: None,
        };
        Box::pin(async move { Ok(list) })
    }

    fn start(&self, spec: SessionSpec, output: OutputSender) -> StartFuture {
        let pacing = self.pacing;
        Box::pin(async move {
            let (input, rx) = mpsc::unbounded_channel();
            let native = format!("mock-{}", spec.session_id);
            let resumed = spec.start.is_resume();
            // Native ids must not repeat when a paused session restarts its agent.
            let incarnation = INCARNATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let directory = spec.directory.clone();
            let mut mock =
                Mock { out: output, pacing, next_id: 0, incarnation, directory, script: Vec::new(), scripted: 0 };
            // Greet before the start is done, so the greeting is queued ahead of any first
            // message (a task is sent at once) and always lands before its turn.
            if resumed || mock.greet().await.is_ok() {
                tokio::spawn(mock.run(rx));
            }
            Ok(AgentHandle { input, native_session_id: Some(native) })
        })
    }
}

/// The daemon went away (output channel closed) or asked us to stop.
struct Stop;

type Step = Result<(), Stop>;

struct Mock {
    out: OutputSender,
    pacing: Duration,
    next_id: u64,
    incarnation: u64,
    /// Where `write` writes.
    directory: std::path::PathBuf,
    /// `turns`: the messages of this and the following turns, whatever they are sent.
    script: Vec<String>,
    scripted: usize,
}

impl Mock {
    async fn run(mut self, mut input: mpsc::UnboundedReceiver<AgentInput>) {
        while let Some(msg) = input.recv().await {
            let step = match msg {
                AgentInput::Message { turn_id, text, attachments } => {
                    self.turn(&turn_id, &text, &attachments, &mut input).await
                }
                AgentInput::Shutdown => return,
                // Replies and interrupts outside a turn have nothing to act on.
                _ => Ok(()),
            };
            if step.is_err() {
                return;
            }
        }
    }

    /// `write PATH` blocks: each the lines after it up to `EOF` (or the end), into a file under
    /// the mock's directory (what a real agent's file tool would do, for contract tests).
    fn write_files(&self, text: &str) -> String {
        let mut said = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some(path) = line.trim().strip_prefix("write ").map(str::trim) else { continue };
            let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "EOF").collect();
            let inside = std::path::Path::new(path).components().all(|c| matches!(c, std::path::Component::Normal(_)));
            let dest = self.directory.join(path);
            let written = inside
                && dest.parent().is_none_or(|p| std::fs::create_dir_all(p).is_ok())
                && std::fs::write(&dest, format!("{}\n", body.join("\n"))).is_ok();
            said.push(if written { format!("Wrote {path}.") } else { format!("Could not write {path}.") });
        }
        said.join(" ")
    }

    async fn greet(&mut self) -> Step {
        // The one mock event with a native payload, so `include_raw` has something to show.
        let data = EventData::SessionStarted(SessionStartedData { metadata: Some(json!({"mock": true})) });
        let raw = json!({"type": "mock.ready", "commands": HELP.lines().count() - 1});
        self.send(AgentEvent { data, synthetic: false, raw: Some(crate::universal::raw_json(&raw)) }).await?;
        self.message(&[GREETING]).await
    }

    async fn emit(&mut self, data: EventData) -> Step {
        self.send(AgentEvent::native(data)).await
    }

    async fn send(&mut self, event: AgentEvent) -> Step {
        if !self.pacing.is_zero() {
            tokio::time::sleep(self.pacing).await;
        }
        self.out.send(AgentOutput::Event(event)).await.map_err(|_| Stop)
    }

    fn native_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("mock_{prefix}_{}_{}", self.incarnation, self.next_id)
    }

    async fn start_item(&mut self, kind: ItemKind, role: ItemRole, content: Vec<ContentPart>) -> Result<String, Stop> {
        let id = self.native_id(match kind {
            ItemKind::Message => "msg",
            ItemKind::ToolCall => "call",
            ItemKind::ToolResult => "result",
            _ => "item",
        });
        let mut item = UniversalItem::new(kind, Some(role), content);
        item.native_item_id = Some(id.clone());
        self.emit(EventData::ItemStarted(ItemEventData { item })).await?;
        Ok(id)
    }

    async fn delta(&mut self, id: &str, delta: impl Into<String>) -> Step {
        let data = ItemDeltaData { item_id: String::new(), native_item_id: Some(id.to_string()), delta: delta.into() };
        self.emit(EventData::ItemDelta(data)).await
    }

    async fn complete(
        &mut self,
        id: &str,
        kind: ItemKind,
        role: ItemRole,
        content: Vec<ContentPart>,
        status: ItemStatus,
    ) -> Step {
        let mut item = UniversalItem::new(kind, Some(role), content);
        item.native_item_id = Some(id.to_string());
        item.status = status;
        self.emit(EventData::ItemCompleted(ItemEventData { item })).await
    }

    /// An assistant message streamed as the given chunks.
    async fn message(&mut self, chunks: &[&str]) -> Step {
        let id = self.start_item(ItemKind::Message, ItemRole::Assistant, vec![]).await?;
        for chunk in chunks {
            self.delta(&id, *chunk).await?;
        }
        let content = vec![ContentPart::text(chunks.concat())];
        self.complete(&id, ItemKind::Message, ItemRole::Assistant, content, ItemStatus::Completed).await
    }

    /// What the mock was sent: one line per attachment, with its size and first bytes as read.
    async fn seen(&mut self, attachments: &[crate::Attachment]) -> Step {
        let mut lines = vec![format!("Received {} attachment(s):\n", attachments.len())];
        for a in attachments {
            let bytes = tokio::fs::read(&a.path).await.unwrap_or_default();
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).into_owned();
            lines.push(format!("- {} ({}, {} bytes): {head:?}\n", a.name, a.mime, bytes.len()));
        }
        let chunks: Vec<&str> = lines.iter().map(String::as_str).collect();
        self.message(&chunks).await
    }

    /// A finished item with no streamed text (tool calls, results, status …).
    async fn whole_item(
        &mut self,
        kind: ItemKind,
        role: ItemRole,
        content: Vec<ContentPart>,
        status: ItemStatus,
    ) -> Result<String, Stop> {
        let id = self.start_item(kind, role, content.clone()).await?;
        self.complete(&id, kind, role, content, status).await?;
        Ok(id)
    }

    async fn end_turn(&mut self, turn_id: &str, reason: TurnEndReason, message: Option<String>) -> Step {
        let usage = Some(TokenUsage { input_tokens: Some(0), output_tokens: Some(0), ..Default::default() });
        self.emit(EventData::TurnEnded(TurnEndedData { turn_id: turn_id.to_string(), reason, usage, message })).await
    }

    /// The message a `turns` script gives this turn, if one runs.
    fn scripted(&mut self, text: &str) -> Option<String> {
        let trimmed = text.trim_start();
        if trimmed.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case("turns")) {
            let rest = trimmed.split_once('\n').map_or("", |(_, rest)| rest);
            self.script = rest.split("\n---\n").map(str::to_string).collect();
            self.scripted = 0;
        } else if !self.script.is_empty() {
            self.scripted = (self.scripted + 1).min(self.script.len() - 1);
        }
        self.script.get(self.scripted).cloned()
    }

    async fn turn(
        &mut self,
        turn_id: &str,
        text: &str,
        attachments: &[crate::Attachment],
        input: &mut mpsc::UnboundedReceiver<AgentInput>,
    ) -> Step {
        if !attachments.is_empty() {
            self.seen(attachments).await?;
        }
        let script = self.scripted(text);
        let text = script.as_deref().unwrap_or(text);
        let trimmed = text.trim();
        let (command, arg) = trimmed.split_once(char::is_whitespace).unwrap_or((trimmed, ""));
        let arg = arg.trim();
        let mut reason = TurnEndReason::Completed;
        match command.to_ascii_lowercase().as_str() {
            "help" => {
                let lines: Vec<String> = HELP.split_inclusive('\n').map(str::to_string).collect();
                let chunks: Vec<&str> = lines.iter().map(String::as_str).collect();
                self.message(&chunks).await?
            }
            "demo" => self.demo().await?,
            "markdown" => self.markdown().await?,
            "tool" | "tools" | "tooling" => self.tools().await?,
            "status" => self.status().await?,
            "image" => self.image().await?,
            "reasoning" => self.reasoning().await?,
            "unknown" => self.unknown().await?,
            "permission" | "permissions" => {
                return self.hitl(turn_id, input, Pending::permissions(turn_id)).await;
            }
            "question" | "questions" => return self.hitl(turn_id, input, Pending::questions(turn_id)).await,
            "error" => {
                self.emit(EventData::Error(ErrorData {
                    message: "mock error: this is what an agent error looks like".into(),
                    code: Some("mock_error".into()),
                    details: Some(json!({"command": "error"})),
                }))
                .await?;
                self.unparsed().await?;
                reason = TurnEndReason::Error;
            }
            "unparsed" => self.unparsed().await?,
            "end" | "ended" | "session.end" => {
                self.message(&["Ending the session."]).await?;
                self.end_turn(turn_id, TurnEndReason::Completed, None).await?;
                self.emit(EventData::SessionEnded(SessionEndedData {
                    reason: SessionEndReason::Completed,
                    terminated_by: TerminatedBy::Agent,
                    message: Some("mock session ended on request".into()),
                    exit_code: None,
                    stderr: None,
                }))
                .await?;
                return Err(Stop);
            }
            "echo" | "say" => self.message(&[arg]).await?,
            "write" => {
                let said = self.write_files(trimmed);
                self.message(&[said.as_str()]).await?
            }
            "flood" => return self.flood(turn_id, arg.parse().unwrap_or(1000), input).await,
            "slow" => return self.slow(turn_id, arg.parse().unwrap_or(1000), input).await,
            "hang" => loop {
                // Deaf to interrupts: only stopping the agent ends this.
                if matches!(input.recv().await, None | Some(AgentInput::Shutdown)) {
                    return Err(Stop);
                }
            },
            _ => self.message(&["You said: ", trimmed]).await?,
        }
        self.end_turn(turn_id, reason, None).await
    }

    async fn demo(&mut self) -> Step {
        self.message(&["Demo: ", "markdown"]).await?;
        self.markdown().await?;
        self.message(&["Demo: ", "tools"]).await?;
        self.tools().await?;
        self.message(&["Demo: ", "status, image, reasoning, unknown"]).await?;
        self.status().await?;
        self.image().await?;
        self.reasoning().await?;
        self.unknown().await?;
        self.message(&["Demo ", "complete."]).await
    }

    async fn markdown(&mut self) -> Step {
        self.message(&[
            "# Mock markdown\n\n",
            "Some **bold** and `code`.\n\n",
            "- one\n- two\n\n",
            "```rust\nfn main() {}\n```\n",
        ])
        .await
    }

    async fn tools(&mut self) -> Step {
        let call = ContentPart::ToolCall {
            name: "mock.edit".into(),
            arguments: json!({"path": "src/lib.rs"}).to_string(),
            call_id: "call_edit".into(),
        };
        self.whole_item(ItemKind::ToolCall, ItemRole::Assistant, vec![call], ItemStatus::Completed).await?;
        let result = vec![
            ContentPart::ToolResult { call_id: "call_edit".into(), output: "edited 1 file".into() },
            ContentPart::FileRef { path: "README.md".into(), action: FileAction::Read, diff: None },
            ContentPart::FileRef { path: "notes.txt".into(), action: FileAction::Write, diff: None },
            ContentPart::FileRef {
                path: "src/lib.rs".into(),
                action: FileAction::Patch,
                diff: Some("--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-old\n+new\n".into()),
            },
        ];
        self.whole_item(ItemKind::ToolResult, ItemRole::Tool, result, ItemStatus::Completed).await?;
        let call = ContentPart::ToolCall {
            name: "mock.shell".into(),
            arguments: json!({"command": ["false"]}).to_string(),
            call_id: "call_shell".into(),
        };
        self.whole_item(ItemKind::ToolCall, ItemRole::Assistant, vec![call], ItemStatus::Completed).await?;
        let result = vec![ContentPart::ToolResult { call_id: "call_shell".into(), output: "exit status 1".into() }];
        self.whole_item(ItemKind::ToolResult, ItemRole::Tool, result, ItemStatus::Failed).await?;
        Ok(())
    }

    async fn status(&mut self) -> Step {
        let part = ContentPart::Status { label: "mock.status".into(), detail: Some("all systems nominal".into()) };
        self.whole_item(ItemKind::Status, ItemRole::System, vec![part], ItemStatus::Completed).await.map(drop)
    }

    async fn image(&mut self) -> Step {
        let id = self.start_item(ItemKind::Message, ItemRole::Assistant, vec![]).await?;
        self.delta(&id, "Here is an image.").await?;
        let content = vec![
            ContentPart::text("Here is an image."),
            ContentPart::Image { path: "mock/image.png".into(), mime: Some("image/png".into()) },
        ];
        self.complete(&id, ItemKind::Message, ItemRole::Assistant, content, ItemStatus::Completed).await
    }

    async fn reasoning(&mut self) -> Step {
        let id = self.start_item(ItemKind::Message, ItemRole::Assistant, vec![]).await?;
        self.delta(&id, "Thinking about it. ").await?;
        self.delta(&id, "Done thinking.").await?;
        let content = vec![
            ContentPart::Reasoning { text: "Thinking about it. ".into(), visibility: ReasoningVisibility::Public },
            ContentPart::text("Done thinking."),
        ];
        self.complete(&id, ItemKind::Message, ItemRole::Assistant, content, ItemStatus::Completed).await
    }

    async fn unknown(&mut self) -> Step {
        let part = ContentPart::Json { json: json!({"mock": "an item the schema has no kind for"}) };
        self.whole_item(ItemKind::Unknown, ItemRole::Assistant, vec![part], ItemStatus::Completed).await.map(drop)
    }

    async fn unparsed(&mut self) -> Step {
        self.emit(EventData::AgentUnparsed(AgentUnparsedData {
            error: "mock: deliberately unparsed payload".into(),
            location: "mock".into(),
            raw_hash: None,
        }))
        .await
    }

    /// Ask, then wait for every reply (or an interrupt) before ending the turn.
    async fn hitl(
        &mut self,
        turn_id: &str,
        input: &mut mpsc::UnboundedReceiver<AgentInput>,
        mut pending: Pending,
    ) -> Step {
        for request in pending.requests() {
            self.emit(request).await?;
        }
        let mut answers = Vec::new();
        while !pending.is_empty() {
            match input.recv().await {
                None | Some(AgentInput::Shutdown) => return Err(Stop),
                Some(AgentInput::Interrupt) => {
                    return self
                        .end_turn(
                            turn_id,
                            TurnEndReason::Interrupted,
                            Some("interrupted while waiting for a reply".into()),
                        )
                        .await;
                }
                Some(AgentInput::Message { .. }) => {}
                Some(other) => {
                    if let Some(Reply(text)) = pending.take(&other) {
                        answers.push(text);
                    }
                }
            }
        }
        let text = answers.join("\n");
        self.message(&[text.as_str()]).await?;
        self.end_turn(turn_id, TurnEndReason::Completed, None).await
    }

    async fn flood(&mut self, turn_id: &str, n: u64, input: &mut mpsc::UnboundedReceiver<AgentInput>) -> Step {
        let id = self.start_item(ItemKind::Message, ItemRole::Assistant, vec![]).await?;
        let mut text = String::new();
        let mut reason = TurnEndReason::Completed;
        for i in 0..n {
            let delta = format!("{i} ");
            text.push_str(&delta);
            self.delta(&id, delta).await?;
            // Look for an interrupt now and then; nothing else can arrive mid-turn.
            if i % 1024 == 1023 && matches!(input.try_recv(), Ok(AgentInput::Interrupt)) {
                reason = TurnEndReason::Interrupted;
                break;
            }
        }
        self.finish_message(turn_id, &id, text, reason).await
    }

    /// Complete a streamed message (failed when interrupted) and end the turn.
    async fn finish_message(&mut self, turn_id: &str, id: &str, text: String, reason: TurnEndReason) -> Step {
        let status = if reason == TurnEndReason::Completed { ItemStatus::Completed } else { ItemStatus::Failed };
        self.complete(id, ItemKind::Message, ItemRole::Assistant, vec![ContentPart::text(text)], status).await?;
        self.end_turn(turn_id, reason, None).await
    }

    async fn slow(&mut self, turn_id: &str, ms: u64, input: &mut mpsc::UnboundedReceiver<AgentInput>) -> Step {
        let id = self.start_item(ItemKind::Message, ItemRole::Assistant, vec![]).await?;
        let deadline = Instant::now() + Duration::from_millis(ms);
        let mut text = String::new();
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        let reason = loop {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => break TurnEndReason::Completed,
                _ = tick.tick() => {
                    self.delta(&id, ".").await?;
                    text.push('.');
                }
                msg = input.recv() => match msg {
                    None | Some(AgentInput::Shutdown) => return Err(Stop),
                    Some(AgentInput::Interrupt) => break TurnEndReason::Interrupted,
                    Some(_) => {}
                },
            }
        };
        self.finish_message(turn_id, &id, text, reason).await
    }
}
