//! What the manager offers coder clients: app-level updates, archive and resume, session
//! tokens and who holds them, event stream participants, and the transcript.

use std::sync::Arc;
use std::time::Duration;

use sandbox_agent_schema::*;

use super::tokens::{self, now_ms, DEFAULT_TTL, MAX_TTL};
use super::transcript::Transcript;
use super::validate;
use crate::actor::Command;
use crate::handle::SessionHandle;
use crate::manager::SessionManager;
use crate::{Result, SessionError};

/// Events per store read while building a transcript.
pub(crate) const READ_PAGE: usize = 4096;

impl SessionManager {
    pub async fn update(&self, id: &str, update: UpdateSessionRequest, by: &Principal) -> Result<SessionInfo> {
        let handle = self.get(id)?;
        if let Some(label) = &update.label {
            validate::check_label(label)?;
        }
        if let Some(tags) = &update.tags {
            validate::check_tags(tags)?;
        }
        if let Some(Some(metadata)) = &update.metadata {
            validate::check_metadata(Some(metadata))?;
        }
        handle.call(|reply| Command::Update { update, by: by.clone(), reply }).await?;
        Ok(handle.info())
    }

    pub async fn archive(&self, id: &str, by: &Principal) -> Result<SessionStatusResponse> {
        let handle = self.get(id)?;
        handle.call(|reply| Command::Archive { by: by.clone(), reply }).await?;
        Ok(SessionStatusResponse { session_id: id.to_string(), status: handle.info().status })
    }

    pub async fn resume(&self, id: &str, by: &Principal) -> Result<SessionStatusResponse> {
        let handle = self.get(id)?;
        let status = handle.call(|reply| Command::Resume { by: by.clone(), reply }).await?;
        Ok(SessionStatusResponse { session_id: id.to_string(), status })
    }

    /// Where a command may run for this session: its workspace (or directory), while it is
    /// neither ended nor archived.
    pub fn run_dir(&self, id: &str) -> Result<std::path::PathBuf> {
        let info = self.get(id)?.info();
        match info.status {
            SessionStatus::Archived => Err(SessionError::Archived(id.to_string())),
            SessionStatus::Ended => Err(SessionError::Ended(id.to_string())),
            _ => Ok(info.workspace.unwrap_or(info.directory).into()),
        }
    }

    /// The last check of the session's output contract (`pending` before the first).
    pub fn result(&self, id: &str) -> Result<SessionResult> {
        let handle = self.get(id)?;
        let Some(contract) = handle.shared.settings.output_contract.as_ref() else {
            return Err(SessionError::NoContract(id.to_string()));
        };
        let state = handle.shared.state.lock().unwrap();
        let pending = || SessionResult {
            session_id: id.to_string(),
            status: ResultStatus::Pending,
            path: contract.get("path").and_then(|p| p.as_str()).unwrap_or_default().to_string(),
            report: None,
            validation: Validation { valid: false, errors: Vec::new() },
            verification: None,
            checked_at: None,
            iteration: 0,
            artifact: None,
        };
        Ok(state.contract_result.clone().unwrap_or_else(pending))
    }

    /// The session's artifacts, oldest first.
    pub fn artifacts(&self, id: &str) -> Result<ArtifactList> {
        let handle = self.get(id)?;
        let artifacts = handle.shared.state.lock().unwrap().artifacts.clone();
        Ok(ArtifactList { session_id: id.to_string(), artifacts })
    }

    /// One artifact's bytes, from the store (any node's: it is shared in a cluster).
    pub async fn artifact(&self, id: &str, name: &str) -> Result<Vec<u8>> {
        let handle = self.get(id)?;
        let listed = handle.shared.state.lock().unwrap().artifacts.iter().any(|a| a.name == name);
        let unknown = || SessionError::UnknownArtifact { session_id: id.to_string(), name: name.to_string() };
        if !listed {
            return Err(unknown());
        }
        self.store.read_artifact(id.to_string(), name.to_string()).await?.ok_or_else(unknown)
    }

    /// The loop's state (`loop: null` for a session that does not loop).
    pub fn loop_state(&self, id: &str) -> Result<LoopResponse> {
        let handle = self.get(id)?;
        let state = handle.shared.state.lock().unwrap();
        Ok(LoopResponse {
            session_id: id.to_string(),
            workflow_mode: handle.shared.settings.workflow_mode,
            loop_: state.loop_state.clone(),
        })
    }

    /// Record a daemon event in a session (`run.completed`).
    pub async fn record(&self, id: &str, data: EventData) -> Result<()> {
        let handle = self.get(id)?;
        handle.call(|reply| Command::Record { data, reply }).await
    }

    /// A new token for one session; it is returned here only.
    pub async fn issue_token(&self, id: &str, req: TokenRequest) -> Result<TokenResponse> {
        let handle = self.get(id)?;
        if req.name.trim().is_empty() || req.name.chars().count() > 128 {
            return Err(SessionError::InvalidField("name: 1-128 characters".into()));
        }
        let ttl = match req.ttl_seconds {
            Some(0) => return Err(SessionError::InvalidField("ttlSeconds must be positive".into())),
            Some(s) if Duration::from_secs(s) > MAX_TTL => {
                return Err(SessionError::InvalidField(format!("ttlSeconds: at most {}", MAX_TTL.as_secs())))
            }
            Some(s) => Duration::from_secs(s),
            None => DEFAULT_TTL,
        };
        let token = tokens::new_token();
        let hash = tokens::hash(&token);
        let expires_at_ms = now_ms() + ttl.as_millis() as u64;
        let (name, role) = (req.name, req.role);
        let participant =
            handle.call(|reply| Command::IssueToken { name, role, expires_at_ms, hash: hash.clone(), reply }).await?;
        self.tokens.insert(hash, id, &participant.id);
        Ok(TokenResponse {
            token,
            participant_id: participant.id,
            role,
            expires_at: participant.expires_at.unwrap_or_default(),
        })
    }

    pub async fn revoke_token(&self, id: &str, participant_id: &str) -> Result<()> {
        let handle = self.get(id)?;
        handle.call(|reply| Command::RevokeToken { participant_id: participant_id.to_string(), reply }).await
    }

    /// The participant a session token stands for, while it is valid (not revoked or expired).
    pub fn authenticate(&self, token: &str) -> Option<Principal> {
        let (session_id, participant_id) = self.tokens.find(token)?;
        let handle = self.get(&session_id).ok()?;
        let state = handle.shared.state.lock().unwrap();
        let record = state.tokens.iter().find(|t| t.participant_id == participant_id)?;
        record.valid_at(now_ms()).then_some(Principal::Participant { session_id, participant_id, role: record.role })
    }

    pub fn participants(&self, id: &str) -> Result<ParticipantsResponse> {
        let handle = self.get(id)?;
        let participants = handle.shared.state.lock().unwrap().participants.clone();
        Ok(ParticipantsResponse { session_id: id.to_string(), participants })
    }

    /// An event stream attaches: it is a participant until the guard is dropped, with the
    /// role of its credentials (or observer, when it asks to `observe` only).
    pub async fn join(
        &self,
        id: &str,
        name: String,
        transport: ParticipantTransport,
        observe: bool,
        by: &Principal,
    ) -> Result<(Participant, LeaveGuard)> {
        let handle = self.get(id)?;
        let participant =
            handle.call(|reply| Command::Join { name, transport, observe, by: by.clone(), reply }).await?;
        let guard = LeaveGuard { handle: Some(handle), participant_id: participant.id.clone() };
        Ok((participant, guard))
    }

    /// The transcript entries `offset..offset+limit` and how many there are.
    pub async fn transcript(&self, id: &str, offset: usize, limit: usize) -> Result<(Vec<TranscriptEntry>, u64)> {
        let handle = self.get(id)?;
        let upto = handle.shared.feed.watermark();
        let mut transcript = Transcript::default();
        let mut after = 0;
        while after < upto {
            let page = self.store.read_events(id.to_string(), after, READ_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.sequence;
            for row in page.iter().filter(|r| r.sequence <= upto) {
                match serde_json::from_slice::<UniversalEvent>(&row.json) {
                    Ok(event) => transcript.push(&event),
                    Err(err) => tracing::error!(session = id, seq = row.sequence, %err, "unreadable stored event"),
                }
            }
        }
        let total = transcript.entries.len() as u64;
        Ok((transcript.entries.into_iter().skip(offset).take(limit).collect(), total))
    }
}

/// Tells the session its stream went away when dropped.
pub struct LeaveGuard {
    handle: Option<Arc<SessionHandle>>,
    participant_id: String,
}

impl Drop for LeaveGuard {
    fn drop(&mut self) {
        let Some(handle) = self.handle.take() else { return };
        let cmd = Command::Leave { participant_id: std::mem::take(&mut self.participant_id) };
        let Some(commands) = handle.commands.clone() else { return };
        if let Err(tokio::sync::mpsc::error::TrySendError::Full(cmd)) = commands.try_send(cmd) {
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move {
                    let _ = commands.send(cmd).await;
                });
            }
        }
    }
}
