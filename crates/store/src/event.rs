use bytes::Bytes;

/// An event as stored and as sent: its envelope serialized once (with `"raw":null` as the
/// last field), and the native payload kept apart so it is only spliced in on request.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub sequence: u64,
    /// One of [`sandbox_agent_schema::EVENT_TYPES`].
    pub event_type: &'static str,
    pub json: Bytes,
    pub raw: Option<Bytes>,
}

const RAW_NULL_TAIL: &[u8] = b"null}";

impl StoredEvent {
    /// The envelope as JSON, with `raw` filled in when asked for and present.
    pub fn wire_json(&self, include_raw: bool) -> Bytes {
        match (&self.raw, include_raw) {
            (Some(raw), true) if self.json.ends_with(RAW_NULL_TAIL) => {
                let head = &self.json[..self.json.len() - RAW_NULL_TAIL.len()];
                let mut out = Vec::with_capacity(head.len() + raw.len() + 1);
                out.extend_from_slice(head);
                out.extend_from_slice(raw);
                out.push(b'}');
                Bytes::from(out)
            }
            _ => self.json.clone(),
        }
    }

    /// Map a stored type name back to its static name.
    pub fn static_type(name: &str) -> &'static str {
        sandbox_agent_schema::EVENT_TYPES.iter().find(|t| **t == name).copied().unwrap_or("agent.unparsed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_is_spliced_only_on_request() {
        let ev = StoredEvent {
            sequence: 1,
            event_type: "error",
            json: Bytes::from_static(br#"{"sequence":1,"raw":null}"#),
            raw: Some(Bytes::from_static(br#"{"native":[1,2]}"#)),
        };
        assert_eq!(&ev.wire_json(false)[..], br#"{"sequence":1,"raw":null}"#);
        let with: serde_json::Value = serde_json::from_slice(&ev.wire_json(true)).unwrap();
        assert_eq!(with["raw"]["native"][1], 2);
    }
}
