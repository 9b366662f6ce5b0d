//! Builders of the universal events the converters emit, shared by all of them.

use sandbox_agent_schema::*;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::{AgentEvent, AgentOutput};

/// The `turn.ended` of a turn that failed with `message`.
pub(crate) fn turn_failed(message: String) -> EventData {
    EventData::TurnEnded(TurnEndedData {
        turn_id: String::new(),
        reason: TurnEndReason::Error,
        usage: None,
        message: Some(message),
    })
}

/// An agent event (not synthetic) with no native payload yet.
pub(crate) fn event(data: EventData) -> AgentOutput {
    AgentOutput::Event(AgentEvent::native(data))
}

pub(crate) fn item(
    kind: ItemKind,
    role: ItemRole,
    native: &str,
    content: Vec<ContentPart>,
    status: ItemStatus,
) -> UniversalItem {
    let mut item = UniversalItem::new(kind, Some(role), content);
    item.native_item_id = Some(native.to_string());
    item.status = status;
    item
}

pub(crate) fn started(item: UniversalItem) -> EventData {
    EventData::ItemStarted(ItemEventData { item })
}

pub(crate) fn completed(item: UniversalItem) -> EventData {
    EventData::ItemCompleted(ItemEventData { item })
}

pub(crate) fn delta(native: String, text: &str) -> EventData {
    EventData::ItemDelta(ItemDeltaData {
        item_id: String::new(),
        native_item_id: Some(native),
        delta: text.to_string(),
    })
}

/// `agent.unparsed` for a native message that did not match the agent's schema (or that the
/// converter does not handle), carrying the message as `raw`.
pub(crate) fn unparsed(location: &str, error: String, raw: Box<RawValue>) -> AgentOutput {
    let data = AgentUnparsedData { error, location: location.into(), raw_hash: None };
    AgentOutput::Event(AgentEvent { data: EventData::AgentUnparsed(data), synthetic: true, raw: Some(raw) })
}

/// The native payload goes with the first event it produced (an unparsed one carries its own).
pub(crate) fn attach_raw<'a>(outputs: impl IntoIterator<Item = &'a mut AgentOutput>, raw: Box<RawValue>) {
    if let Some(AgentOutput::Event(ev)) = outputs.into_iter().find(|o| matches!(o, AgentOutput::Event(_))) {
        if ev.raw.is_none() {
            ev.raw = Some(raw);
        }
    }
}

/// A native message the converter holds as a `Value`, as JSON text.
pub(crate) fn raw_json(v: &Value) -> Box<RawValue> {
    serde_json::value::to_raw_value(v).expect("json values serialize")
}

/// A line that parsed as JSON, as is (its raw is what the agent wrote, byte for byte).
pub(crate) fn raw_line(line: &str) -> Box<RawValue> {
    RawValue::from_string(line.to_owned()).unwrap_or_else(|_| raw_text(line))
}

/// A line that is not JSON, as a JSON string.
pub(crate) fn raw_text(line: &str) -> Box<RawValue> {
    serde_json::value::to_raw_value(line).expect("strings serialize")
}

/// The emitted outputs among a stdio converter's actions.
pub(crate) fn emitted(actions: &mut [crate::Action]) -> impl Iterator<Item = &mut AgentOutput> {
    actions.iter_mut().filter_map(|a| match a {
        crate::Action::Emit(o) => Some(o),
        crate::Action::Write(_) => None,
    })
}

/// A tool call's arguments as JSON text (`{}` when there are none).
pub(crate) fn arguments(input: Option<&Value>) -> String {
    match input {
        Some(Value::Object(map)) if map.is_empty() => "{}".to_string(),
        Some(input) => input.to_string(),
        None => "{}".to_string(),
    }
}
