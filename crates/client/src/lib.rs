//! Rust client for the sandbox-agent HTTP + SSE API: one method per endpoint, typed with the
//! schema crate. Errors from the daemon come back as [`ClientError::Api`] with the problem.

mod acp;
mod fs;
mod stream;
mod terminals;

pub use acp::{AcpMessage, AcpStream};
/// The HTTP client underneath, for request bodies (`reqwest::Body::wrap_stream`).
pub use reqwest;
pub use stream::{EventStream, Frames, RunEvent, RunStream, SseOptions};
pub use terminals::{TerminalConnection, TerminalEvent};

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sandbox_agent_schema::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:2468";

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The daemon answered with an error (a problem detail).
    #[error("{0}")]
    Api(ProblemDetails),
    #[error("http: {0}")]
    Http(#[from] reqwest::Error),
    #[error("unexpected response: {0}")]
    Decode(String),
}

impl ClientError {
    pub fn problem(&self) -> Option<&ProblemDetails> {
        match self {
            ClientError::Api(p) => Some(p),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, ClientError>;

#[derive(Clone)]
pub struct Client {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

/// The query of `GET /v1/sessions` as pairs (`tag` repeats, which serde's urlencoding cannot say).
fn list_pairs(q: &SessionListQuery) -> Vec<(&'static str, String)> {
    let mut pairs: Vec<(&'static str, String)> = q.tag.iter().flatten().map(|t| ("tag", t.clone())).collect();
    for (key, value) in [("label", &q.label), ("status", &q.status), ("agent", &q.agent), ("search", &q.search)] {
        if let Some(value) = value {
            pairs.push((key, value.clone()));
        }
    }
    if let Some(all) = q.include_archived {
        pairs.push(("includeArchived", all.to_string()));
    }
    for (key, value) in [("limit", q.limit), ("offset", q.offset)] {
        if let Some(value) = value {
            pairs.push((key, value.to_string()));
        }
    }
    pairs
}

/// Percent-encode one path segment.
fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client {
    pub fn new(endpoint: impl Into<String>, token: Option<String>) -> Self {
        let base = endpoint.into().trim_end_matches('/').to_string();
        Client { base, token, http: reqwest::Client::new() }
    }

    pub fn endpoint(&self) -> &str {
        &self.base
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let req = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => req.bearer_auth(token),
            None => req,
        }
    }

    /// Send and turn a non-2xx answer into [`ClientError::Api`].
    async fn send(req: RequestBuilder) -> Result<Response> {
        let resp = req.send().await?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status();
        let body = resp.bytes().await?;
        Err(match serde_json::from_slice::<ProblemDetails>(&body) {
            Ok(problem) => ClientError::Api(problem),
            Err(_) => ClientError::Decode(format!("{status}: {}", String::from_utf8_lossy(&body))),
        })
    }

    async fn json<T: DeserializeOwned>(req: RequestBuilder) -> Result<T> {
        let resp = Self::send(req).await?;
        let body = resp.bytes().await?;
        serde_json::from_slice(&body).map_err(|e| ClientError::Decode(e.to_string()))
    }

    async fn no_content(req: RequestBuilder) -> Result<()> {
        let resp = Self::send(req).await?;
        if resp.status() != StatusCode::NO_CONTENT && resp.status() != StatusCode::OK {
            return Err(ClientError::Decode(format!("expected 204, got {}", resp.status())));
        }
        Ok(())
    }

    fn post_json<B: Serialize>(&self, path: &str, body: &B) -> RequestBuilder {
        self.request(Method::POST, path).json(body)
    }

    fn session_path(id: &str, rest: &str) -> String {
        format!("/v1/sessions/{}{rest}", seg(id))
    }

    // --- meta -----------------------------------------------------------------------------

    /// `GET /v1/health`
    pub async fn health(&self) -> Result<HealthResponse> {
        Self::json(self.request(Method::GET, "/v1/health")).await
    }

    /// `GET /v1/cluster/nodes`
    pub async fn cluster_nodes(&self) -> Result<ClusterNodesResponse> {
        Self::json(self.request(Method::GET, "/v1/cluster/nodes")).await
    }

    /// `GET /v1/openapi.json`
    pub async fn openapi(&self) -> Result<serde_json::Value> {
        Self::json(self.request(Method::GET, "/v1/openapi.json")).await
    }

    // --- agents ---------------------------------------------------------------------------

    /// `GET /v1/agents`
    pub async fn list_agents(&self) -> Result<AgentListResponse> {
        Self::json(self.request(Method::GET, "/v1/agents")).await
    }

    /// `POST /v1/agents/{agent}/install`
    pub async fn install_agent(&self, agent: &str, req: &AgentInstallRequest) -> Result<()> {
        Self::no_content(self.post_json(&format!("/v1/agents/{}/install", seg(agent)), req)).await
    }

    /// `GET /v1/agents/{agent}/modes`
    pub async fn agent_modes(&self, agent: &str) -> Result<AgentModesResponse> {
        Self::json(self.request(Method::GET, &format!("/v1/agents/{}/modes", seg(agent)))).await
    }

    /// `GET /v1/agents/{agent}/models`
    pub async fn agent_models(&self, agent: &str) -> Result<AgentModelsResponse> {
        Self::json(self.request(Method::GET, &format!("/v1/agents/{}/models", seg(agent)))).await
    }

    // --- sessions -------------------------------------------------------------------------

    /// `GET /v1/sessions` with filters and paging (`SessionListQuery::default()` for the first
    /// page of everything not archived).
    pub async fn list_sessions(&self, query: &SessionListQuery) -> Result<SessionListResponse> {
        Self::json(self.request(Method::GET, "/v1/sessions").query(&list_pairs(query))).await
    }

    /// `PATCH /v1/sessions/{id}`
    pub async fn update_session(&self, id: &str, req: &UpdateSessionRequest) -> Result<SessionInfo> {
        Self::json(self.request(Method::PATCH, &Self::session_path(id, "")).json(req)).await
    }

    /// `POST /v1/sessions/{id}/archive`
    pub async fn archive_session(&self, id: &str) -> Result<SessionStatusResponse> {
        Self::json(self.request(Method::POST, &Self::session_path(id, "/archive"))).await
    }

    /// `POST /v1/sessions/{id}/resume`
    pub async fn resume_session(&self, id: &str) -> Result<SessionStatusResponse> {
        Self::json(self.request(Method::POST, &Self::session_path(id, "/resume"))).await
    }

    /// `GET /v1/sessions/{id}/transcript`
    pub async fn transcript(&self, id: &str, query: &TranscriptQuery) -> Result<TranscriptResponse> {
        Self::json(self.request(Method::GET, &Self::session_path(id, "/transcript")).query(query)).await
    }

    /// `GET /v1/sessions/{id}/result`: the last check of the session's output contract.
    pub async fn result(&self, id: &str) -> Result<SessionResult> {
        Self::json(self.request(Method::GET, &Self::session_path(id, "/result"))).await
    }

    /// `GET /v1/sessions/{id}/artifacts`: the files the session keeps in the store.
    pub async fn artifacts(&self, id: &str) -> Result<ArtifactList> {
        Self::json(self.request(Method::GET, &Self::session_path(id, "/artifacts"))).await
    }

    /// `GET /v1/sessions/{id}/artifacts/{name}`: one artifact's bytes.
    pub async fn artifact(&self, id: &str, name: &str) -> Result<bytes::Bytes> {
        let path = Self::session_path(id, &format!("/artifacts/{}", seg(name)));
        Ok(Self::send(self.request(Method::GET, &path)).await?.bytes().await?)
    }

    /// `GET /v1/sessions/{id}/loop`: loop mode's state.
    pub async fn loop_state(&self, id: &str) -> Result<LoopResponse> {
        Self::json(self.request(Method::GET, &Self::session_path(id, "/loop"))).await
    }

    /// `GET /v1/sessions/{id}/participants`
    pub async fn participants(&self, id: &str) -> Result<ParticipantsResponse> {
        Self::json(self.request(Method::GET, &Self::session_path(id, "/participants"))).await
    }

    /// `POST /v1/sessions/{id}/tokens`
    pub async fn create_token(&self, id: &str, req: &TokenRequest) -> Result<TokenResponse> {
        Self::json(self.post_json(&Self::session_path(id, "/tokens"), req)).await
    }

    /// `DELETE /v1/sessions/{id}/tokens/{participant_id}`
    pub async fn revoke_token(&self, id: &str, participant_id: &str) -> Result<()> {
        let path = Self::session_path(id, &format!("/tokens/{}", seg(participant_id)));
        Self::no_content(self.request(Method::DELETE, &path)).await
    }

    /// The same daemon with another token (a session token, say).
    pub fn with_token(&self, token: Option<String>) -> Client {
        Client { base: self.base.clone(), token, http: self.http.clone() }
    }

    /// `POST /v1/sessions` (the daemon picks the id)
    pub async fn create_session(&self, req: &CreateSessionRequest) -> Result<CreateSessionResponse> {
        Self::json(self.post_json("/v1/sessions", req)).await
    }

    /// `POST /v1/sessions/{id}`
    pub async fn create_session_with_id(&self, id: &str, req: &CreateSessionRequest) -> Result<CreateSessionResponse> {
        Self::json(self.post_json(&Self::session_path(id, ""), req)).await
    }

    /// `GET /v1/sessions/{id}`
    pub async fn get_session(&self, id: &str) -> Result<SessionInfo> {
        Self::json(self.request(Method::GET, &Self::session_path(id, ""))).await
    }

    /// `DELETE /v1/sessions/{id}`
    pub async fn delete_session(&self, id: &str) -> Result<()> {
        Self::no_content(self.request(Method::DELETE, &Self::session_path(id, ""))).await
    }

    /// `POST /v1/sessions/{id}/messages`: a text, or a [`MessageRequest`] with attachments.
    pub async fn send_message(&self, id: &str, message: impl Into<MessageRequest>) -> Result<()> {
        let body = message.into();
        Self::no_content(self.post_json(&Self::session_path(id, "/messages"), &body)).await
    }

    /// `POST /v1/sessions/{id}/messages/stream`: the turn's events, ending with `turn.ended`.
    pub async fn send_message_stream(
        &self,
        id: &str,
        message: impl Into<MessageRequest>,
        opts: &SseOptions,
    ) -> Result<EventStream> {
        let body = message.into();
        let req = self.post_json(&Self::session_path(id, "/messages/stream"), &body).query(&opts.query(false));
        Ok(EventStream::new(Self::send(req).await?))
    }

    /// `POST /v1/sessions/{id}/interrupt`
    pub async fn interrupt(&self, id: &str) -> Result<()> {
        Self::no_content(self.request(Method::POST, &Self::session_path(id, "/interrupt"))).await
    }

    /// `POST /v1/sessions/{id}/terminate`
    pub async fn terminate(&self, id: &str) -> Result<()> {
        Self::no_content(self.request(Method::POST, &Self::session_path(id, "/terminate"))).await
    }

    /// `GET /v1/sessions/{id}/events`
    pub async fn events(&self, id: &str, query: &EventsQuery) -> Result<EventsResponse> {
        Self::json(self.request(Method::GET, &Self::session_path(id, "/events")).query(query)).await
    }

    /// `GET /v1/sessions/{id}/events/sse`: replay after the offset, then live, until `session.ended`.
    pub async fn events_sse(&self, id: &str, opts: &SseOptions) -> Result<EventStream> {
        let mut req = self.request(Method::GET, &Self::session_path(id, "/events/sse")).query(&opts.query(true));
        if let Some(last) = opts.last_event_id {
            req = req.header("Last-Event-ID", last.to_string());
        }
        Ok(EventStream::new(Self::send(req).await?))
    }

    /// `POST /v1/sessions/{id}/questions/{qid}/reply`
    pub async fn reply_question(&self, id: &str, question_id: &str, answers: Vec<Vec<String>>) -> Result<()> {
        let path = Self::session_path(id, &format!("/questions/{}/reply", seg(question_id)));
        Self::no_content(self.post_json(&path, &QuestionReplyRequest { answers })).await
    }

    /// `POST /v1/sessions/{id}/questions/{qid}/reject`
    pub async fn reject_question(&self, id: &str, question_id: &str) -> Result<()> {
        let path = Self::session_path(id, &format!("/questions/{}/reject", seg(question_id)));
        Self::no_content(self.request(Method::POST, &path)).await
    }

    /// `POST /v1/sessions/{id}/permissions/{pid}/reply`
    pub async fn reply_permission(&self, id: &str, permission_id: &str, reply: PermissionReply) -> Result<()> {
        let path = Self::session_path(id, &format!("/permissions/{}/reply", seg(permission_id)));
        Self::no_content(self.post_json(&path, &PermissionReplyRequest { reply })).await
    }

    // --- run ------------------------------------------------------------------------------

    /// `POST /v1/run`: one command in the sandbox, answered when it has ended.
    pub async fn run(&self, req: &RunRequest) -> Result<RunResponse> {
        Self::json(self.post_json("/v1/run", req)).await
    }

    /// `POST /v1/run/stream`: the same, its output as it comes, then how it ended. Dropping
    /// the stream kills the run.
    pub async fn run_stream(&self, req: &RunRequest) -> Result<RunStream> {
        Ok(RunStream::new(Self::send(self.post_json("/v1/run/stream", req)).await?))
    }
}
