//! Who is calling. The HTTP edge turns credentials into a [`Principal`]; it travels with every
//! command to the session layer, which records it where it matters (who answered a permission).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The caller of a request. Today only the holder of the daemon token (or anyone, when the
/// daemon runs with `--no-token`), or a session participant with a scoped token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    /// The daemon token (full access).
    Daemon,
    /// The holder of a session token: one session, with its role.
    Participant { session_id: String, participant_id: String, role: crate::coder::ParticipantRole },
}

impl Principal {
    /// A stable name for audit trails (`daemon`, or a participant id).
    pub fn id(&self) -> &str {
        match self {
            Principal::Daemon => "daemon",
            Principal::Participant { participant_id, .. } => participant_id,
        }
    }
}
