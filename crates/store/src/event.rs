use bytes::Bytes;

/// An event as stored and as sent: its envelope serialized once (with `"raw":null`), and the
/// native payload kept apart so it is only spliced in on request.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub sequence: u64,
    /// One of [`sandbox_agent_schema::EVENT_TYPES`].
    pub event_type: &'static str,
    pub json: Bytes,
    pub raw: Option<Bytes>,
}

const RAW_NULL_TAIL: &[u8] = b",\"raw\":null}";

impl StoredEvent {
    /// The envelope as JSON, with `raw` filled in when asked for and present.
    pub fn wire_json(&self, include_raw: bool) -> Bytes {
        match (&self.raw, include_raw) {
            (Some(raw), true) => match self.json.strip_suffix(RAW_NULL_TAIL) {
                // The envelope as the session layer writes it: splice without parsing.
                Some(head) => {
                    let mut out = Vec::with_capacity(head.len() + raw.len() + 8);
                    out.extend_from_slice(head);
                    out.extend_from_slice(b",\"raw\":");
                    out.extend_from_slice(raw);
                    out.push(b'}');
                    Bytes::from(out)
                }
                // Any other layout (field order, spacing) is still answered right, slowly.
                None => splice_parsed(&self.json, raw).unwrap_or_else(|| self.json.clone()),
            },
            _ => self.json.clone(),
        }
    }

    /// Map a stored type name back to its static name.
    pub fn static_type(name: &str) -> &'static str {
        sandbox_agent_schema::EVENT_TYPES.iter().find(|t| **t == name).copied().unwrap_or("agent.unparsed")
    }
}

fn splice_parsed(json: &[u8], raw: &[u8]) -> Option<Bytes> {
    let mut envelope: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(json).ok()?;
    envelope.insert("raw".into(), serde_json::from_slice(raw).ok()?);
    serde_json::to_vec(&envelope).ok().map(Bytes::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: &'static [u8]) -> StoredEvent {
        StoredEvent {
            sequence: 1,
            event_type: "error",
            json: Bytes::from_static(json),
            raw: Some(Bytes::from_static(br#"{"native":[1,2]}"#)),
        }
    }

    #[test]
    fn raw_is_spliced_only_on_request() {
        let ev = event(br#"{"sequence":1,"raw":null}"#);
        assert_eq!(&ev.wire_json(false)[..], br#"{"sequence":1,"raw":null}"#);
        let with: serde_json::Value = serde_json::from_slice(&ev.wire_json(true)).unwrap();
        assert_eq!(with["raw"]["native"][1], 2);
        assert_eq!(with["sequence"], 1);
    }

    #[test]
    fn raw_is_spliced_whatever_the_field_order() {
        for json in [&br#"{"raw":null,"sequence":1}"#[..], br#"{ "sequence": 1, "raw": null }"#, br#"{"sequence":1}"#] {
            let ev = StoredEvent { json: Bytes::copy_from_slice(json), ..event(b"{}") };
            let with: serde_json::Value = serde_json::from_slice(&ev.wire_json(true)).unwrap();
            assert_eq!(with["raw"]["native"][0], 1, "{}", String::from_utf8_lossy(json));
            assert_eq!(with["sequence"], 1);
        }
    }
}
