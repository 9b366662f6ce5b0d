//! Where things live on the NATS server: one prefix names every stream, bucket and subject of a
//! cluster, so several clusters (or test runs) share one server without meeting.

/// The names of one cluster's streams, buckets and subjects.
#[derive(Debug, Clone)]
pub struct Names {
    prefix: String,
}

/// Whether `s` may be a prefix or node id: it becomes part of stream, bucket and subject names.
pub fn valid_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

impl Names {
    pub fn new(prefix: &str) -> Self {
        Names { prefix: prefix.to_string() }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The stream of every session's events.
    pub fn events_stream(&self) -> String {
        format!("{}_events", self.prefix)
    }

    /// The subjects of that stream.
    pub fn events_wildcard(&self) -> String {
        format!("{}.sess.*.ev", self.prefix)
    }

    /// One session's events.
    pub fn events_subject(&self, session_id: &str) -> String {
        format!("{}.sess.{}.ev", self.prefix, token(session_id))
    }

    pub fn sessions_bucket(&self) -> String {
        format!("{}_sessions", self.prefix)
    }

    pub fn artifacts_bucket(&self) -> String {
        format!("{}_artifacts", self.prefix)
    }

    pub fn leases_bucket(&self) -> String {
        format!("{}_leases", self.prefix)
    }

    pub fn nodes_bucket(&self) -> String {
        format!("{}_nodes", self.prefix)
    }

    /// Where a node takes the requests other nodes forward to it.
    pub fn node_inbox(&self, node_id: &str) -> String {
        format!("{}.node.{}.http", self.prefix, node_id)
    }
}

/// A session id as one subject token or KV key: only letters, digits and `-` stay as they are;
/// every other byte (`.` separates tokens, `_` is the escape) becomes `_` and two hex digits,
/// so the mapping is one to one for any string.
pub fn token(session_id: &str) -> String {
    let mut out = String::with_capacity(session_id.len() + 4);
    for b in session_id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    out
}

/// The session id a [`token`] came from.
pub fn untoken(token: &str) -> String {
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'_').then(|| token.get(i + 1..i + 3)).flatten();
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_map_to_one_token_each_and_back() {
        for id in ["a", "sess_1", "a.b", "a_2e", "_._", "x-y.z_w", "never stored", "é"] {
            let t = token(id);
            assert!(!t.contains('.'), "{t}");
            assert_eq!(untoken(&t), id);
        }
        assert_ne!(token("a.b"), token("a_b"));
        assert_ne!(token("a_2e"), token("a.b"));
    }

    #[test]
    fn names_keep_to_the_characters_nats_allows() {
        assert!(valid_name("node-1") && valid_name("sa_test"));
        assert!(!valid_name("a.b") && !valid_name("") && !valid_name("a b") && !valid_name("a*"));
        let n = Names::new("sa");
        assert_eq!(n.events_subject("s.1"), "sa.sess.s_2e1.ev");
        assert_eq!(n.node_inbox("n1"), "sa.node.n1.http");
    }
}
