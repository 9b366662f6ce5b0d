//! Item bookkeeping behind the daemon's guarantees: every item gets an `itm_` id, exactly
//! one `item.started` before its deltas, a delta when it carries text but the agent sent none,
//! and exactly one `item.completed`. Pure logic over event data, no I/O.

use std::collections::HashMap;

use sandbox_agent_schema::{
    ContentPart, EventData, ItemDeltaData, ItemEventData, ItemKind, ItemRole, ItemStatus, UniversalItem,
};

#[derive(Debug)]
struct Tracked {
    item_id: String,
    completed: bool,
    has_delta: bool,
    /// The item as started, kept while it is open so it can be closed as failed.
    open: Option<UniversalItem>,
}

/// Native item id → daemon item state. Items the agent gives no native id get an
/// internal key; their deltas and completion go to the newest such open item.
#[derive(Debug, Default)]
pub struct ItemTracker {
    by_native: HashMap<String, Tracked>,
    anonymous: u64,
    last_anonymous: Option<String>,
}

/// The id an event's item will get: the daemon numbers items by the sequence of their
/// `item.started`, so ids are unique for the life of the session without a counter to persist.
pub fn item_id_for(sequence: u64) -> String {
    format!("itm_{sequence}")
}

impl ItemTracker {
    fn key(&mut self, native: Option<&str>, starting: bool) -> String {
        match native {
            Some(id) => id.to_string(),
            None if starting => {
                self.anonymous += 1;
                let key = format!("\u{0}anon{}", self.anonymous);
                self.last_anonymous = Some(key.clone());
                key
            }
            None => self.last_anonymous.clone().unwrap_or_else(|| "\u{0}anon".to_string()),
        }
    }

    fn parent(&self, item: &mut UniversalItem) {
        if let Some(parent) = &item.parent_id {
            if let Some(t) = self.by_native.get(parent) {
                item.parent_id = Some(t.item_id.clone());
            }
        }
    }

    /// Turn one agent event into the events to record. `next_seq` is the sequence the first
    /// returned event will get (so a newly started item can be named after it).
    pub fn normalize(&mut self, data: EventData, next_seq: u64) -> Vec<EventData> {
        match data {
            EventData::ItemStarted(ItemEventData { mut item }) => {
                let key = self.key(item.native_item_id.as_deref(), true);
                if self.by_native.contains_key(&key) {
                    return Vec::new(); // a second start of the same item
                }
                self.start(key, &mut item, next_seq);
                vec![EventData::ItemStarted(ItemEventData { item })]
            }
            EventData::ItemDelta(mut delta) => {
                let key = self.key(delta.native_item_id.as_deref(), false);
                let mut out = Vec::new();
                if !self.by_native.contains_key(&key) {
                    let mut item = UniversalItem::new(ItemKind::Message, Some(ItemRole::Assistant), vec![]);
                    item.native_item_id = delta.native_item_id.clone();
                    self.start(key.clone(), &mut item, next_seq);
                    out.push(EventData::ItemStarted(ItemEventData { item }));
                }
                let tracked = self.by_native.get_mut(&key).expect("tracked above");
                if tracked.completed {
                    return Vec::new(); // nothing may follow item.completed
                }
                tracked.has_delta = true;
                delta.item_id = tracked.item_id.clone();
                out.push(EventData::ItemDelta(delta));
                out
            }
            EventData::ItemCompleted(ItemEventData { mut item }) => {
                let key = self.key(item.native_item_id.as_deref(), false);
                let mut out = Vec::new();
                if !self.by_native.contains_key(&key) {
                    let mut started = item.clone();
                    started.status = ItemStatus::InProgress;
                    self.start(key.clone(), &mut started, next_seq);
                    out.push(EventData::ItemStarted(ItemEventData { item: started }));
                }
                self.parent(&mut item);
                let tracked = self.by_native.get_mut(&key).expect("tracked above");
                if tracked.completed {
                    return Vec::new();
                }
                tracked.completed = true;
                tracked.open = None;
                item.item_id = tracked.item_id.clone();
                let text: String = item.content.iter().filter_map(ContentPart::delta_text).collect();
                if !tracked.has_delta && !text.is_empty() {
                    out.push(EventData::ItemDelta(ItemDeltaData {
                        item_id: item.item_id.clone(),
                        native_item_id: item.native_item_id.clone(),
                        delta: text,
                    }));
                }
                out.push(EventData::ItemCompleted(ItemEventData { item }));
                out
            }
            other => vec![other],
        }
    }

    fn start(&mut self, key: String, item: &mut UniversalItem, seq: u64) {
        item.item_id = item_id_for(seq);
        self.parent(item);
        let tracked = Tracked { item_id: item.item_id.clone(), completed: false, has_delta: false, open: Some(item.clone()) };
        self.by_native.insert(key, tracked);
    }

    /// `item.completed` (failed) for every item still open, oldest first: the turn was cut
    /// short (interrupt, crash, terminate) and the agent will not finish them.
    pub fn close_open(&mut self) -> Vec<EventData> {
        let mut open: Vec<UniversalItem> = self
            .by_native
            .values_mut()
            .filter(|t| !t.completed)
            .filter_map(|t| {
                t.completed = true;
                t.open.take()
            })
            .collect();
        open.sort_by_key(|item| item.item_id.trim_start_matches("itm_").parse::<u64>().unwrap_or(0));
        open.into_iter()
            .map(|mut item| {
                item.status = ItemStatus::Failed;
                EventData::ItemCompleted(ItemEventData { item })
            })
            .collect()
    }

    /// Rebuild the open items of a turn from its stored events (after a daemon restart).
    pub fn replay(&mut self, data: &EventData) {
        match data {
            EventData::ItemStarted(ItemEventData { item }) => {
                let tracked = Tracked { item_id: item.item_id.clone(), completed: false, has_delta: false, open: Some(item.clone()) };
                self.by_native.insert(item.item_id.clone(), tracked);
            }
            EventData::ItemCompleted(ItemEventData { item }) => {
                self.by_native.remove(&item.item_id);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(native: &str, text: &str, status: ItemStatus) -> UniversalItem {
        let mut item = UniversalItem::new(ItemKind::Message, Some(ItemRole::Assistant), vec![ContentPart::text(text)]);
        item.native_item_id = Some(native.into());
        item.status = status;
        item
    }

    fn types(events: &[EventData]) -> Vec<&'static str> {
        events.iter().map(EventData::event_type).collect()
    }

    #[test]
    fn completed_alone_gets_started_and_delta() {
        let mut t = ItemTracker::default();
        let out = t.normalize(EventData::ItemCompleted(ItemEventData { item: msg("n1", "hi", ItemStatus::Completed) }), 7);
        assert_eq!(types(&out), ["item.started", "item.delta", "item.completed"]);
        let EventData::ItemDelta(d) = &out[1] else { panic!() };
        assert_eq!((d.item_id.as_str(), d.delta.as_str()), ("itm_7", "hi"));
    }

    #[test]
    fn duplicate_start_and_late_events_are_dropped() {
        let mut t = ItemTracker::default();
        let start = EventData::ItemStarted(ItemEventData { item: msg("n1", "", ItemStatus::InProgress) });
        assert_eq!(t.normalize(start.clone(), 1).len(), 1);
        assert!(t.normalize(start, 2).is_empty());
        let delta = EventData::ItemDelta(ItemDeltaData { item_id: String::new(), native_item_id: Some("n1".into()), delta: "a".into() });
        let out = t.normalize(delta.clone(), 2);
        let EventData::ItemDelta(d) = &out[0] else { panic!() };
        assert_eq!(d.item_id, "itm_1");
        let done = t.normalize(EventData::ItemCompleted(ItemEventData { item: msg("n1", "a", ItemStatus::Completed) }), 3);
        assert_eq!(types(&done), ["item.completed"], "no synthetic delta when one was streamed");
        assert!(t.normalize(delta, 4).is_empty(), "no delta after completion");
    }

    #[test]
    fn open_items_are_closed_as_failed() {
        let mut t = ItemTracker::default();
        t.normalize(EventData::ItemStarted(ItemEventData { item: msg("a", "", ItemStatus::InProgress) }), 1);
        t.normalize(EventData::ItemStarted(ItemEventData { item: msg("b", "", ItemStatus::InProgress) }), 2);
        t.normalize(EventData::ItemCompleted(ItemEventData { item: msg("b", "x", ItemStatus::Completed) }), 3);
        let closed = t.close_open();
        assert_eq!(closed.len(), 1);
        let EventData::ItemCompleted(ItemEventData { item }) = &closed[0] else { panic!() };
        assert_eq!((item.item_id.as_str(), item.status), ("itm_1", ItemStatus::Failed));
        assert!(t.close_open().is_empty());
    }

    #[test]
    fn parents_are_mapped_to_item_ids() {
        let mut t = ItemTracker::default();
        t.normalize(EventData::ItemStarted(ItemEventData { item: msg("parent", "", ItemStatus::InProgress) }), 5);
        let mut child = UniversalItem::new(ItemKind::ToolCall, Some(ItemRole::Assistant), vec![]);
        child.native_item_id = Some("child".into());
        child.parent_id = Some("parent".into());
        let out = t.normalize(EventData::ItemStarted(ItemEventData { item: child }), 6);
        let EventData::ItemStarted(ItemEventData { item }) = &out[0] else { panic!() };
        assert_eq!(item.parent_id.as_deref(), Some("itm_5"));
    }
}
