//! Session tokens: random (two v4 UUIDs, 244 random bits), shown once, kept only as a SHA-256
//! hash in the session's document, bound to that one session, revocable, with an expiry.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sandbox_agent_schema::ParticipantRole;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Default and longest lifetime of a token.
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 3600);
pub const MAX_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// How a token is kept: never the token itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    pub participant_id: String,
    /// Hex SHA-256 of the token.
    pub hash: String,
    pub role: ParticipantRole,
    /// Milliseconds since the epoch.
    pub expires_at_ms: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoked: bool,
}

impl TokenRecord {
    pub fn valid_at(&self, now_ms: u64) -> bool {
        !self.revoked && now_ms < self.expires_at_ms
    }
}

pub fn new_token() -> String {
    format!("sat_{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// RFC 3339 (milliseconds) of an epoch time in milliseconds.
pub fn rfc3339_ms(ms: u64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms)).to_string()
}

/// Which session and participant a token hash belongs to, for every token of every session
/// (built at load, kept with issue, revoke and delete). Validity is checked on the session.
#[derive(Default)]
pub struct TokenIndex(RwLock<HashMap<String, (String, String)>>);

impl TokenIndex {
    pub fn insert(&self, hash: String, session_id: &str, participant_id: &str) {
        self.0.write().unwrap().insert(hash, (session_id.to_string(), participant_id.to_string()));
    }

    pub fn find(&self, token: &str) -> Option<(String, String)> {
        self.0.read().unwrap().get(&hash(token)).cloned()
    }

    pub fn remove_session(&self, session_id: &str) {
        self.0.write().unwrap().retain(|_, (s, _)| s != session_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), a);
        let record = TokenRecord {
            participant_id: "par_1".into(),
            hash: hash(&a),
            role: ParticipantRole::Observer,
            expires_at_ms: 10,
            revoked: false,
        };
        assert!(record.valid_at(9));
        assert!(!record.valid_at(10));
        assert!(!TokenRecord { revoked: true, ..record }.valid_at(0));
    }
}
