//! Item bookkeeping behind the daemon's guarantees: every item gets an `itm_` id, exactly
//! one `item.started` before its deltas, a delta when it carries text but the agent sent none,
//! and exactly one `item.completed`. Pure logic over event data, no I/O.

use std::collections::{HashMap, VecDeque};

use sandbox_agent_schema::{
    ContentPart, EventData, ItemDeltaData, ItemEventData, ItemKind, ItemRole, ItemStatus, UniversalItem,
};

/// How many completed items are remembered (to drop late duplicates and map parents).
const DONE_MEMORY: usize = 4096;

#[derive(Debug)]
struct Open {
    item_id: String,
    has_delta: bool,
    /// The item as started, so it can be closed as failed if the turn is cut short.
    started: UniversalItem,
}

/// Native item id → daemon item state. Open items are kept until they complete; completed
/// ones are remembered in a bounded window. Items the agent gives no native id get an
/// internal key; their deltas and completion go to the newest such item still open.
#[derive(Debug, Default)]
pub struct ItemTracker {
    open: HashMap<String, Open>,
    done: HashMap<String, String>,
    done_order: VecDeque<String>,
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
        if let Some(id) = native {
            return id.to_string();
        }
        match &self.last_anonymous {
            Some(key) if !starting && self.open.contains_key(key) => key.clone(),
            _ => {
                self.anonymous += 1;
                let key = format!("\u{0}anon{}", self.anonymous);
                self.last_anonymous = Some(key.clone());
                key
            }
        }
    }

    fn item_id_of(&self, key: &str) -> Option<&String> {
        self.open.get(key).map(|o| &o.item_id).or_else(|| self.done.get(key))
    }

    /// Map a native parent id to its item id; a parent the daemon never saw is dropped
    /// rather than leaking a native id into `parent_id`.
    fn parent(&self, item: &mut UniversalItem) {
        item.parent_id = item.parent_id.as_deref().and_then(|p| self.item_id_of(p)).cloned();
    }

    fn start(&mut self, key: String, item: &mut UniversalItem, seq: u64) {
        item.item_id = item_id_for(seq);
        self.parent(item);
        let open = Open { item_id: item.item_id.clone(), has_delta: false, started: item.clone() };
        self.open.insert(key, open);
    }

    fn finish(&mut self, key: &str) -> Option<Open> {
        let open = self.open.remove(key)?;
        if self.done_order.len() == DONE_MEMORY {
            if let Some(old) = self.done_order.pop_front() {
                self.done.remove(&old);
            }
        }
        self.done_order.push_back(key.to_string());
        self.done.insert(key.to_string(), open.item_id.clone());
        Some(open)
    }

    /// Turn one agent event into the events to record. `next_seq` is the sequence the first
    /// returned event will get (so a newly started item can be named after it).
    pub fn normalize(&mut self, data: EventData, next_seq: u64) -> Vec<EventData> {
        match data {
            EventData::ItemStarted(ItemEventData { mut item }) => {
                let key = self.key(item.native_item_id.as_deref(), true);
                if self.item_id_of(&key).is_some() {
                    return Vec::new(); // a second start of the same item
                }
                self.start(key, &mut item, next_seq);
                vec![EventData::ItemStarted(ItemEventData { item })]
            }
            EventData::ItemDelta(mut delta) => {
                let key = self.key(delta.native_item_id.as_deref(), false);
                if self.done.contains_key(&key) {
                    return Vec::new(); // nothing may follow item.completed
                }
                let mut out = Vec::new();
                if !self.open.contains_key(&key) {
                    let mut item = UniversalItem::new(ItemKind::Message, Some(ItemRole::Assistant), vec![]);
                    item.native_item_id = delta.native_item_id.clone();
                    self.start(key.clone(), &mut item, next_seq);
                    out.push(EventData::ItemStarted(ItemEventData { item }));
                }
                let open = self.open.get_mut(&key).expect("opened above");
                open.has_delta = true;
                delta.item_id = open.item_id.clone();
                out.push(EventData::ItemDelta(delta));
                out
            }
            EventData::ItemCompleted(ItemEventData { mut item }) => {
                let key = self.key(item.native_item_id.as_deref(), false);
                if self.done.contains_key(&key) {
                    return Vec::new();
                }
                let mut out = Vec::new();
                if !self.open.contains_key(&key) {
                    let mut started = item.clone();
                    started.status = ItemStatus::InProgress;
                    self.start(key.clone(), &mut started, next_seq);
                    out.push(EventData::ItemStarted(ItemEventData { item: started }));
                }
                self.parent(&mut item);
                let open = self.finish(&key).expect("opened above");
                item.item_id = open.item_id;
                let text: String = item.content.iter().filter_map(ContentPart::delta_text).collect();
                if !open.has_delta && !text.is_empty() {
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

    /// `item.completed` (failed) for every item still open, oldest first: the turn was cut
    /// short (interrupt, crash, terminate) and the agent will not finish them.
    pub fn close_open(&mut self) -> Vec<EventData> {
        let keys: Vec<String> = self.open.keys().cloned().collect();
        let mut closed: Vec<UniversalItem> =
            keys.iter().filter_map(|k| self.finish(k)).map(|open| open.started).collect();
        closed.sort_by_key(|item| item.item_id.trim_start_matches("itm_").parse::<u64>().unwrap_or(0));
        closed
            .into_iter()
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
                let open = Open { item_id: item.item_id.clone(), has_delta: false, started: item.clone() };
                self.open.insert(item.item_id.clone(), open);
            }
            EventData::ItemCompleted(ItemEventData { item }) => {
                self.open.remove(&item.item_id);
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
        let out =
            t.normalize(EventData::ItemCompleted(ItemEventData { item: msg("n1", "hi", ItemStatus::Completed) }), 7);
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
        let delta = EventData::ItemDelta(ItemDeltaData {
            item_id: String::new(),
            native_item_id: Some("n1".into()),
            delta: "a".into(),
        });
        let out = t.normalize(delta.clone(), 2);
        let EventData::ItemDelta(d) = &out[0] else { panic!() };
        assert_eq!(d.item_id, "itm_1");
        let done =
            t.normalize(EventData::ItemCompleted(ItemEventData { item: msg("n1", "a", ItemStatus::Completed) }), 3);
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
    fn anonymous_items_do_not_collide() {
        let mut t = ItemTracker::default();
        let anon = |text: &str| {
            let mut item = msg("x", text, ItemStatus::Completed);
            item.native_item_id = None;
            EventData::ItemCompleted(ItemEventData { item })
        };
        assert_eq!(types(&t.normalize(anon("a"), 1)), ["item.started", "item.delta", "item.completed"]);
        assert_eq!(types(&t.normalize(anon("b"), 4)), ["item.started", "item.delta", "item.completed"]);
        let delta =
            EventData::ItemDelta(ItemDeltaData { item_id: String::new(), native_item_id: None, delta: "c".into() });
        assert_eq!(types(&t.normalize(delta, 7)), ["item.started", "item.delta"]);
    }

    #[test]
    fn completed_items_are_forgotten_beyond_the_window() {
        let mut t = ItemTracker::default();
        for i in 0..(DONE_MEMORY as u64 + 10) {
            t.normalize(
                EventData::ItemCompleted(ItemEventData { item: msg(&format!("n{i}"), "", ItemStatus::Completed) }),
                i * 3 + 1,
            );
        }
        assert_eq!(t.done.len(), DONE_MEMORY);
        assert!(t.open.is_empty());
    }

    #[test]
    fn unknown_parents_are_dropped() {
        let mut t = ItemTracker::default();
        let mut item = msg("c", "", ItemStatus::InProgress);
        item.parent_id = Some("never-seen".into());
        let out = t.normalize(EventData::ItemStarted(ItemEventData { item }), 1);
        let EventData::ItemStarted(ItemEventData { item }) = &out[0] else { panic!() };
        assert_eq!(item.parent_id, None);
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
