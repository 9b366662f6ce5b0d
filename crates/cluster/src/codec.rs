//! How an append travels in JetStream: one message per batch of events (so a batch is stored
//! whole or not at all, and the expected-last-subject-sequence check covers it), its events
//! framed back to back, then the session's document when the batch changed it (so the two are
//! stored at once: the sessions bucket is a copy, written after), and the headers a reader
//! needs without decoding the body.

use std::sync::Arc;

use async_nats::HeaderMap;
use bytes::{Buf, BufMut, Bytes, BytesMut};
use sandbox_agent_store::StoredEvent;

/// The session the message belongs to (subjects carry an escaped form).
pub const SESSION: &str = "Sa-Session";
/// The sequence of the message's first event.
pub const FIRST: &str = "Sa-First";
/// The sequence of its last event (a fence: the last sequence before it).
pub const LAST: &str = "Sa-Last";
/// The fencing token (the lease revision) of the node that wrote it.
pub const FENCE: &str = "Sa-Fence";
/// `fence` for the marker a node writes when it takes a session over; absent for events.
pub const KIND: &str = "Sa-Kind";
/// The length of the document at the end of the body (absent: none).
pub const DOC: &str = "Sa-Doc";

/// What the headers of an event subject's message say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub first: u64,
    pub last: u64,
    pub fence: u64,
    pub is_fence: bool,
    /// The bytes of the document at the end of the body (0: none).
    pub doc: usize,
}

impl Mark {
    pub fn read(headers: &HeaderMap) -> Option<Mark> {
        let num = |name: &str| headers.get(name).and_then(|v| v.as_str().parse::<u64>().ok());
        Some(Mark {
            first: num(FIRST).unwrap_or(0),
            last: num(LAST)?,
            fence: num(FENCE).unwrap_or(0),
            is_fence: headers.get(KIND).is_some_and(|v| v.as_str() == "fence"),
            doc: num(DOC).unwrap_or(0) as usize,
        })
    }

    /// The body's events and its document, apart; `None` when it is not one this crate wrote.
    pub fn split(&self, body: &Bytes) -> Option<(Vec<Arc<StoredEvent>>, Option<Bytes>)> {
        let at = body.len().checked_sub(self.doc)?;
        let events = decode(body.slice(..at))?;
        Some((events, (self.doc > 0).then(|| body.slice(at..))))
    }
}

pub fn headers(
    session_id: &str,
    events: &[Arc<StoredEvent>],
    last_before: u64,
    fence: u64,
    doc: Option<&[u8]>,
) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(SESSION, session_id);
    let first = events.first().map_or(last_before, |e| e.sequence);
    let last = events.last().map_or(last_before, |e| e.sequence);
    h.insert(FIRST, first.to_string().as_str());
    h.insert(LAST, last.to_string().as_str());
    h.insert(FENCE, fence.to_string().as_str());
    if events.is_empty() && doc.is_none() {
        h.insert(KIND, "fence");
    }
    if let Some(doc) = doc {
        h.insert(DOC, doc.len().to_string().as_str());
    }
    h
}

/// The bytes [`encode`] takes for one event.
pub fn framed_len(e: &StoredEvent) -> usize {
    8 + 1 + e.event_type.len() + 4 + e.json.len() + 4 + e.raw.as_ref().map_or(0, |r| r.len())
}

/// Frame: sequence (u64), type (u8 length + bytes), envelope (u32 length + bytes), native
/// payload (u32 length + 1, 0 for none, + bytes); then `doc` as it is.
pub fn encode(events: &[Arc<StoredEvent>], doc: Option<&[u8]>) -> Bytes {
    let size: usize = events.iter().map(|e| framed_len(e)).sum::<usize>() + doc.map_or(0, <[u8]>::len);
    let mut out = BytesMut::with_capacity(size);
    for e in events {
        out.put_u64(e.sequence);
        out.put_u8(e.event_type.len() as u8);
        out.put_slice(e.event_type.as_bytes());
        out.put_u32(e.json.len() as u32);
        out.put_slice(&e.json);
        match &e.raw {
            Some(raw) => {
                out.put_u32(raw.len() as u32 + 1);
                out.put_slice(raw);
            }
            None => out.put_u32(0),
        }
    }
    if let Some(doc) = doc {
        out.put_slice(doc);
    }
    out.freeze()
}

/// The events of a message body; `None` when it is not one this crate wrote.
pub fn decode(mut body: Bytes) -> Option<Vec<Arc<StoredEvent>>> {
    let mut events = Vec::new();
    while body.has_remaining() {
        if body.remaining() < 9 {
            return None;
        }
        let sequence = body.get_u64();
        let type_len = body.get_u8() as usize;
        if body.remaining() < type_len + 4 {
            return None;
        }
        let name = body.split_to(type_len);
        let event_type = StoredEvent::static_type(std::str::from_utf8(&name).ok()?);
        let json_len = body.get_u32() as usize;
        if body.remaining() < json_len + 4 {
            return None;
        }
        let json = body.split_to(json_len);
        let raw = match body.get_u32() as usize {
            0 => None,
            n if body.remaining() >= n - 1 => Some(body.split_to(n - 1)),
            _ => return None,
        };
        events.push(Arc::new(StoredEvent { sequence, event_type, json, raw }));
    }
    Some(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sandbox_agent_store::conformance::event;

    #[test]
    fn batches_come_back_byte_for_byte() {
        let events: Vec<_> = (1..=4).map(event).collect();
        let back = decode(encode(&events, None)).unwrap();
        assert_eq!(back.len(), 4);
        for (a, b) in events.iter().zip(&back) {
            assert_eq!(**a, **b);
        }
        assert!(decode(Bytes::from_static(b"\\x00\\x01")).is_none(), "a foreign body is refused");
        let h = headers("s", &events, 0, 7, None);
        let mark = Mark::read(&h).unwrap();
        assert_eq!(mark, Mark { first: 1, last: 4, fence: 7, is_fence: false, doc: 0 });
        let f = headers("s", &[], 4, 9, None);
        assert_eq!(Mark::read(&f), Some(Mark { first: 4, last: 4, fence: 9, is_fence: true, doc: 0 }));
        // A document rides at the end of the body.
        let doc = br#"{"data":"{}"}"#;
        let (h, body) = (headers("s", &events, 0, 7, Some(doc)), encode(&events, Some(doc)));
        let (back, held) = Mark::read(&h).unwrap().split(&body).unwrap();
        assert_eq!((back.len(), held.as_deref()), (4, Some(&doc[..])));
        assert_eq!(mark.split(&body).map(|(_, d)| d), None, "a document taken for events is refused");
    }
}
