//! Every error leaves as an RFC 7807 problem (`application/problem+json`), including the
//! ones axum's extractors would answer in plain text.

use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;
use futures_util::StreamExt;
use sandbox_agent_agents::AgentError;
use sandbox_agent_schema::{ErrorType, ProblemDetails, PROBLEM_CONTENT_TYPE};
use sandbox_agent_sessions::SessionError;
use serde::de::DeserializeOwned;

use crate::AppState;

/// Boxed: a problem is ~180 bytes, and every `ApiResult` would otherwise carry that much.
#[derive(Debug, Clone)]
pub struct ApiError(pub Box<ProblemDetails>);

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(kind: ErrorType, detail: impl Into<String>) -> Self {
        ApiError(Box::new(kind.problem(detail)))
    }
    pub fn session(kind: ErrorType, session_id: &str, detail: impl Into<String>) -> Self {
        let mut problem = kind.problem(detail);
        problem.session_id = Some(session_id.to_string());
        ApiError(Box::new(problem))
    }
    pub fn session_not_found(session_id: &str) -> Self {
        Self::session(ErrorType::SessionNotFound, session_id, format!("session not found: {session_id}"))
    }
    pub fn with_agent(mut self, agent: &str) -> Self {
        self.0.agent = Some(agent.to_string());
        self
    }
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.0.details = Some(details);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self.0).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE)], body).into_response()
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let kind = match rejection {
        JsonRejection::JsonSyntaxError(_) => ErrorType::InvalidJson,
        JsonRejection::JsonDataError(_) => ErrorType::InvalidBody,
        JsonRejection::MissingJsonContentType(_) => ErrorType::UnsupportedMediaType,
        ref other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ErrorType::PayloadTooLarge,
        _ => ErrorType::InvalidRequest,
    };
    ApiError::new(kind, rejection.body_text())
}

/// `Json<T>` whose rejections are problem details, read within `--max-body-bytes`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let req = bounded_body(req, state.config.max_body_bytes).await?;
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|j| ApiJson(j.0))
            .map_err(|r| json_rejection(r).into_response())
    }
}

/// How much more of an oversized body is read (and dropped) before the 413, and for how long:
/// a client that writes its whole body before reading the answer (Python's urllib, curl with a
/// file) then sees the problem instead of a reset connection. Past these, the answer goes out
/// and the connection closes.
pub(crate) const DRAIN_BYTES: u64 = 16 << 20;
const DRAIN_TIME: Duration = Duration::from_secs(10);

/// The request with its body buffered, or the 413 (with `Connection: close`) once a bounded
/// amount of the rest has been drained.
pub(crate) async fn bounded_body(req: Request, limit: usize) -> Result<Request, Response> {
    let (parts, body) = req.into_parts();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let mut stream = body.into_data_stream();
    let mut buffered = BytesMut::new();
    let mut seen = 0u64;
    if declared.is_none_or(|n| n <= limit as u64) {
        loop {
            match stream.next().await {
                None => return Ok(Request::from_parts(parts, Body::from(buffered.freeze()))),
                Some(Err(err)) => {
                    return Err(ApiError::new(ErrorType::InvalidRequest, format!("reading the body failed: {err}"))
                        .into_response())
                }
                Some(Ok(chunk)) if buffered.len() + chunk.len() <= limit => buffered.extend_from_slice(&chunk),
                Some(Ok(chunk)) => {
                    seen = (buffered.len() + chunk.len()) as u64;
                    break;
                }
            }
        }
    }
    if declared.is_none_or(|n| n <= limit as u64 + DRAIN_BYTES) {
        drain(&mut stream, limit as u64 + DRAIN_BYTES - seen).await;
    }
    Err(too_large(format!("the body is larger than the limit of {limit} bytes")))
}

/// Reads and drops up to `budget` more bytes of a refused body, for at most [`DRAIN_TIME`], so a
/// client that writes its whole body before it reads sees the answer rather than a reset.
pub(crate) async fn drain<S, E>(stream: &mut S, budget: u64)
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
{
    let drain = async {
        let mut seen = 0u64;
        while let Some(Ok(chunk)) = stream.next().await {
            seen += chunk.len() as u64;
            if seen > budget {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, drain).await;
}

/// `413 payload_too_large`, closing the connection (the rest of the body is not read).
pub(crate) fn too_large(detail: String) -> Response {
    let mut response = ApiError::new(ErrorType::PayloadTooLarge, detail).into_response();
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A JSON body that may be absent (no body at all means `T::default()`).
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default> FromRequest<AppState> for OptionalJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let empty = req.headers().get(header::CONTENT_LENGTH).is_some_and(|v| v.as_bytes() == b"0")
            || (req.headers().get(header::CONTENT_TYPE).is_none()
                && req.headers().get(header::TRANSFER_ENCODING).is_none()
                && req.headers().get(header::CONTENT_LENGTH).is_none());
        if empty {
            return Ok(OptionalJson(T::default()));
        }
        ApiJson::<T>::from_request(req, state).await.map(|j| OptionalJson(j.0))
    }
}

/// `Query<T>` whose rejections are problem details.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|r: QueryRejection| ApiError::new(ErrorType::InvalidRequest, r.body_text()))
    }
}

pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(ErrorType::NotFound, format!("no route for {}", uri.path()))
}

pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(ErrorType::MethodNotAllowed, format!("{method} is not allowed on {}", uri.path()))
}

impl From<sandbox_agent_store::StoreError> for ApiError {
    fn from(err: sandbox_agent_store::StoreError) -> Self {
        // The backend's own message (SQL, paths) is for the log, not for clients.
        tracing::error!(error = ?err, "store failure");
        ApiError::new(ErrorType::Internal, "the session store failed")
    }
}

/// A run's errors as problems.
impl From<sandbox_agent_runner::RunError> for ApiError {
    fn from(err: sandbox_agent_runner::RunError) -> Self {
        use sandbox_agent_runner::{RunError as E, Unavailable};
        let detail = err.to_string();
        match &err {
            E::Invalid(_) => ApiError::new(ErrorType::InvalidBody, detail),
            E::Unavailable(Unavailable::Missing) | E::Unsupported(_) => {
                ApiError::new(ErrorType::NotImplemented, detail)
            }
            E::Unavailable(Unavailable::Refused(_)) => ApiError::new(ErrorType::IsolationUnavailable, detail),
            E::UnisolatedNotAllowed => ApiError::new(ErrorType::Forbidden, detail),
            E::Busy(_) => ApiError::new(ErrorType::TooManyRuns, detail),
            E::Io { .. } => {
                tracing::error!(error = %err, "run failed");
                ApiError::new(ErrorType::Internal, "the run could not be carried out")
            }
        }
    }
}

/// The files API's errors as problems. An I/O failure keeps the path the client named and the
/// kind of error, not the system's message.
impl From<sandbox_agent_fs::FsError> for ApiError {
    fn from(err: sandbox_agent_fs::FsError) -> Self {
        use sandbox_agent_fs::FsError as E;
        let detail = err.to_string();
        match err {
            E::Invalid(_) => ApiError::new(ErrorType::InvalidRequest, detail),
            E::NotAllowed(_) => ApiError::new(ErrorType::PathNotAllowed, detail),
            E::NotFound(_) => ApiError::new(ErrorType::NotFound, detail),
            E::Conflict(_) => ApiError::new(ErrorType::Conflict, detail),
            E::TooLarge { .. } => ApiError::new(ErrorType::PayloadTooLarge, detail),
            E::UnsafeArchive(_) => ApiError::new(ErrorType::InvalidBody, detail),
            E::Io { context, source } => {
                tracing::warn!(%context, error = %source, "file operation failed");
                ApiError::new(ErrorType::Internal, format!("{context}: {:?}", source.kind()))
            }
        }
    }
}

impl From<sandbox_agent_terminals::TerminalError> for ApiError {
    fn from(err: sandbox_agent_terminals::TerminalError) -> Self {
        use sandbox_agent_terminals::TerminalError as E;
        let detail = err.to_string();
        match err {
            E::Invalid(_) => ApiError::new(ErrorType::InvalidBody, detail),
            E::NotFound(_) => ApiError::new(ErrorType::NotFound, detail),
            E::TooMany { .. } => ApiError::new(ErrorType::TooManyTerminals, detail),
            E::Io { .. } => {
                tracing::warn!(error = %detail, "terminal failed");
                ApiError::new(ErrorType::Internal, detail)
            }
        }
    }
}

/// The session layer's domain errors as problems: the one place where they get a type and a status.
impl From<SessionError> for ApiError {
    fn from(err: SessionError) -> Self {
        use SessionError as E;
        let detail = err.to_string();
        let on_session = |kind: ErrorType, id: &str| ApiError::session(kind, id, detail.clone());
        match &err {
            E::InvalidId | E::UnknownPermissionMode(_) | E::RelativeDirectory | E::Directory { .. } => {
                ApiError::new(ErrorType::InvalidRequest, detail)
            }
            E::NotFound(id) => on_session(ErrorType::SessionNotFound, id),
            E::AlreadyExists(id) => on_session(ErrorType::SessionAlreadyExists, id),
            E::TooMany(_) => ApiError::new(ErrorType::TooManySessions, detail),
            E::UnsupportedAgent(agent) => ApiError::new(ErrorType::UnsupportedAgent, detail).with_agent(agent),
            E::NoSuchAgentMode { agent, mode } | E::PermissionModeNotSupported { agent, mode } => {
                ApiError::new(ErrorType::ModeNotSupported, detail)
                    .with_agent(agent)
                    .with_details(serde_json::json!({ "mode": mode }))
            }
            E::AgentNotInstalled(agent) => ApiError::new(ErrorType::AgentNotInstalled, detail).with_agent(agent),
            E::Ended(id) => on_session(ErrorType::SessionEnded, id),
            E::Archived(id) => on_session(ErrorType::SessionArchived, id),
            E::Preparing(id) => on_session(ErrorType::TurnInProgress, id),
            E::InvalidField(_) => ApiError::new(ErrorType::InvalidBody, detail),
            E::GitNotFound => ApiError::new(ErrorType::GitNotFound, detail),
            E::Unsupported { agent, .. } => ApiError::new(ErrorType::NotImplemented, detail).with_agent(agent),
            E::UnknownParticipant { session_id, .. } | E::UnknownArtifact { session_id, .. } => {
                on_session(ErrorType::NotFound, session_id)
            }
            E::NoContract(id) => on_session(ErrorType::NotFound, id),
            E::TurnInProgress(id) => on_session(ErrorType::TurnInProgress, id),
            E::UnknownRequest { session_id, .. } => on_session(ErrorType::InvalidRequest, session_id),
            E::AgentNotRunning(id) => on_session(ErrorType::AgentProcessExited, id),
            E::Elsewhere(id) => on_session(ErrorType::SessionUnavailable, id),
            E::AgentStart { session_id, agent, error } => {
                let kind = match error {
                    AgentError::NotInstalled(_) => ErrorType::AgentNotInstalled,
                    AgentError::NotImplemented(_) => ErrorType::NotImplemented,
                    AgentError::Spawn(_) => ErrorType::AgentProcessExited,
                };
                on_session(kind, session_id).with_agent(agent)
            }
            E::Store(source) => {
                tracing::error!(error = ?source, session = err.session_id(), "store failure");
                ApiError::new(ErrorType::Internal, detail)
            }
        }
    }
}
