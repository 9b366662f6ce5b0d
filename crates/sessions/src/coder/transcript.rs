//! The conversation as a late client needs it: one entry per finished item (and per turn end,
//! error and failed task), derived from the event log the same way for every agent.

use sandbox_agent_schema::*;

/// Builds entries from events in sequence order.
#[derive(Default)]
pub struct Transcript {
    turn: Option<String>,
    pub entries: Vec<TranscriptEntry>,
}

impl Transcript {
    pub fn push(&mut self, event: &UniversalEvent) {
        match &event.data {
            EventData::TurnStarted(t) => self.turn = Some(t.turn_id.clone()),
            EventData::TurnEnded(t) => {
                let mut entry = self.entry(TranscriptEntryType::Turn, event, None);
                entry.turn_id = Some(t.turn_id.clone());
                entry.text = Some(format!("{:?}", t.reason).to_lowercase());
                entry.is_error = Some(t.reason == TurnEndReason::Error);
                self.entries.push(entry);
                self.turn = None;
            }
            EventData::ItemCompleted(ItemEventData { item }) => self.item(item, event),
            EventData::Error(e) => {
                let mut entry = self.entry(TranscriptEntryType::Error, event, None);
                entry.text = Some(e.message.clone());
                entry.is_error = Some(true);
                self.entries.push(entry);
            }
            EventData::TaskFailed(f) => {
                let mut entry = self.entry(TranscriptEntryType::Error, event, None);
                entry.text = Some(f.message.clone());
                entry.is_error = Some(true);
                self.entries.push(entry);
            }
            _ => {}
        }
    }

    fn entry(
        &self,
        type_: TranscriptEntryType,
        event: &UniversalEvent,
        item: Option<&UniversalItem>,
    ) -> TranscriptEntry {
        TranscriptEntry {
            type_,
            turn_id: self.turn.clone(),
            item_id: item.map(|i| i.item_id.clone()),
            sequence: event.sequence,
            text: None,
            tool_name: None,
            tool_args: None,
            tool_call_id: None,
            is_error: None,
            timestamp: event.time.clone(),
        }
    }

    /// One entry per run of text parts, and one per reasoning, tool, file or status part.
    fn item(&mut self, item: &UniversalItem, event: &UniversalEvent) {
        let text_type = match (item.kind, item.role) {
            (ItemKind::Message, Some(ItemRole::User)) => TranscriptEntryType::UserPrompt,
            (ItemKind::Status | ItemKind::System, _) => TranscriptEntryType::Status,
            (ItemKind::ToolResult, _) => TranscriptEntryType::ToolResult,
            _ => TranscriptEntryType::Message,
        };
        let failed = item.status == ItemStatus::Failed;
        let mut text = String::new();
        let flush = |this: &mut Self, text: &mut String| {
            if !text.is_empty() {
                let mut entry = this.entry(text_type, event, Some(item));
                entry.text = Some(std::mem::take(text));
                if text_type == TranscriptEntryType::ToolResult {
                    entry.is_error = Some(failed);
                }
                this.entries.push(entry);
            }
        };
        for part in &item.content {
            let mut entry = match part {
                ContentPart::Text { text: t } => {
                    text.push_str(t);
                    continue;
                }
                ContentPart::Json { json } => {
                    text.push_str(&json.to_string());
                    continue;
                }
                ContentPart::Reasoning { text: t, .. } => {
                    let mut e = self.entry(TranscriptEntryType::Thinking, event, Some(item));
                    e.text = Some(t.clone());
                    e
                }
                ContentPart::ToolCall { name, arguments, call_id } => {
                    let mut e = self.entry(TranscriptEntryType::ToolCall, event, Some(item));
                    e.tool_name = Some(name.clone());
                    e.tool_args = Some(
                        serde_json::from_str(arguments)
                            .unwrap_or_else(|_| serde_json::Value::String(arguments.clone())),
                    );
                    e.tool_call_id = Some(call_id.clone());
                    e
                }
                ContentPart::ToolResult { call_id, output } => {
                    let mut e = self.entry(TranscriptEntryType::ToolResult, event, Some(item));
                    e.text = Some(output.clone());
                    e.tool_call_id = Some(call_id.clone());
                    e.is_error = Some(failed);
                    e
                }
                ContentPart::FileRef { path, action, diff } => {
                    let mut e = self.entry(TranscriptEntryType::FileChange, event, Some(item));
                    e.text = Some(path.clone());
                    e.tool_args = Some(serde_json::json!({"action": action, "diff": diff}));
                    e
                }
                ContentPart::Status { label, detail } => {
                    let mut e = self.entry(TranscriptEntryType::Status, event, Some(item));
                    e.text = Some(match detail {
                        Some(d) => format!("{label}: {d}"),
                        None => label.clone(),
                    });
                    e
                }
                ContentPart::Image { path, .. } => {
                    let mut e = self.entry(TranscriptEntryType::Message, event, Some(item));
                    e.text = Some(format!("[image: {path}]"));
                    e
                }
            };
            flush(self, &mut text);
            if text_type == TranscriptEntryType::ToolResult && entry.tool_call_id.is_none() {
                entry.is_error = Some(failed);
            }
            self.entries.push(entry);
        }
        flush(self, &mut text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(sequence: u64, data: EventData) -> UniversalEvent {
        UniversalEvent {
            event_id: format!("evt_{sequence}"),
            sequence,
            time: "2026-01-01T00:00:00.000Z".into(),
            session_id: "s".into(),
            native_session_id: None,
            synthetic: false,
            source: EventSource::Agent,
            data,
            raw: None,
        }
    }

    fn done(kind: ItemKind, role: Option<ItemRole>, content: Vec<ContentPart>) -> EventData {
        let mut item = UniversalItem::new(kind, role, content);
        item.item_id = "itm_1".into();
        item.status = ItemStatus::Completed;
        EventData::ItemCompleted(ItemEventData { item })
    }

    #[test]
    fn a_turn_with_thinking_a_tool_and_an_answer() {
        let call = ContentPart::ToolCall {
            name: "Bash".into(),
            arguments: r#"{"command":"ls"}"#.into(),
            call_id: "c1".into(),
        };
        let events = [
            ev(1, EventData::TurnStarted(TurnStartedData { turn_id: "turn_1".into() })),
            ev(2, done(ItemKind::Message, Some(ItemRole::User), vec![ContentPart::text("list files")])),
            ev(
                3,
                EventData::ItemDelta(ItemDeltaData {
                    item_id: "x".into(),
                    native_item_id: None,
                    delta: "ignored".into(),
                }),
            ),
            ev(
                4,
                done(
                    ItemKind::Message,
                    Some(ItemRole::Assistant),
                    vec![
                        ContentPart::Reasoning { text: "hmm".into(), visibility: ReasoningVisibility::Public },
                        ContentPart::text("Let me "),
                        ContentPart::text("look."),
                    ],
                ),
            ),
            ev(5, done(ItemKind::ToolCall, Some(ItemRole::Assistant), vec![call])),
            ev(
                6,
                done(
                    ItemKind::ToolResult,
                    Some(ItemRole::Tool),
                    vec![ContentPart::ToolResult { call_id: "c1".into(), output: "a.txt".into() }],
                ),
            ),
            ev(
                7,
                EventData::TurnEnded(TurnEndedData {
                    turn_id: "turn_1".into(),
                    reason: TurnEndReason::Completed,
                    usage: None,
                    message: None,
                }),
            ),
        ];
        let mut t = Transcript::default();
        events.iter().for_each(|e| t.push(e));
        let kinds: Vec<_> = t.entries.iter().map(|e| e.type_).collect();
        use TranscriptEntryType as T;
        assert_eq!(kinds, [T::UserPrompt, T::Thinking, T::Message, T::ToolCall, T::ToolResult, T::Turn]);
        assert_eq!(t.entries[2].text.as_deref(), Some("Let me look."));
        assert_eq!(t.entries[3].tool_args.as_ref().unwrap()["command"], "ls");
        assert_eq!(t.entries[4].is_error, Some(false));
        assert!(t.entries.iter().all(|e| e.turn_id.as_deref() == Some("turn_1")));
        assert_eq!(t.entries[5].sequence, 7);
    }
}
