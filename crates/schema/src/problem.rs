//! RFC 7807 problem details, the body of every error response.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
const TYPE_PREFIX: &str = "urn:sandbox-agent:error:";

/// Every error the API returns. `type` is `urn:sandbox-agent:error:<code>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProblemDetails {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object, nullable = true)]
    pub details: Option<serde_json::Value>,
}

impl ProblemDetails {
    /// The `<code>` part of `type`.
    pub fn code(&self) -> &str {
        self.type_.strip_prefix(TYPE_PREFIX).unwrap_or(&self.type_)
    }
}

impl std::fmt::Display for ProblemDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}, {})", self.title, self.status, self.code())?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

/// Declares `ErrorType` once: each variant with its code, HTTP status and title.
macro_rules! error_types {
    ($($variant:ident => ($code:literal, $status:literal, $title:literal),)*) => {
        /// The error codes, with their HTTP status and title.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorType {
            $($variant,)*
        }

        impl ErrorType {
            /// Every error code, in declaration order.
            pub const ALL: &[ErrorType] = &[$(ErrorType::$variant,)*];

            fn info(self) -> (&'static str, u16, &'static str) {
                match self {
                    $(ErrorType::$variant => ($code, $status, $title),)*
                }
            }
        }
    };
}

error_types! {
    InvalidRequest => ("invalid_request", 400, "Invalid Request"),
    InvalidJson => ("invalid_json", 400, "Malformed JSON"),
    InvalidBody => ("invalid_body", 422, "Invalid Request Body"),
    UnsupportedMediaType => ("unsupported_media_type", 415, "Unsupported Media Type"),
    PayloadTooLarge => ("payload_too_large", 413, "Payload Too Large"),
    UnsupportedAgent => ("unsupported_agent", 400, "Unsupported Agent"),
    AgentNotInstalled => ("agent_not_installed", 404, "Agent Not Installed"),
    InstallFailed => ("install_failed", 500, "Install Failed"),
    NotImplemented => ("not_implemented", 501, "Not Implemented"),
    AgentProcessExited => ("agent_process_exited", 500, "Agent Process Exited"),
    AgentFailed => ("agent_failed", 502, "Agent Failed"),
    TokenInvalid => ("token_invalid", 401, "Token Invalid"),
    Forbidden => ("forbidden", 403, "Forbidden"),
    SessionNotFound => ("session_not_found", 404, "Session Not Found"),
    SessionAlreadyExists => ("session_already_exists", 409, "Session Already Exists"),
    SessionEnded => ("session_ended", 409, "Session Ended"),
    SessionArchived => ("session_archived", 409, "Session Archived"),
    TurnInProgress => ("turn_in_progress", 409, "Turn In Progress"),
    ModeNotSupported => ("mode_not_supported", 400, "Mode Not Supported"),
    TooManySessions => ("too_many_sessions", 429, "Too Many Sessions"),
    SessionUnavailable => ("session_unavailable", 503, "Session Unavailable"),
    ClusterUnavailable => ("cluster_unavailable", 503, "Cluster Unavailable"),
    NotFound => ("not_found", 404, "Not Found"),
    MethodNotAllowed => ("method_not_allowed", 405, "Method Not Allowed"),
    StreamError => ("stream_error", 502, "Stream Error"),
    Timeout => ("timeout", 504, "Timeout"),
    GitNotFound => ("git_not_found", 500, "Git Not Found"),
    IsolationUnavailable => ("isolation_unavailable", 503, "Isolation Unavailable"),
    TooManyRuns => ("too_many_runs", 429, "Too Many Runs"),
    PathNotAllowed => ("path_not_allowed", 403, "Path Not Allowed"),
    Conflict => ("conflict", 409, "Conflict"),
    TooManyTerminals => ("too_many_terminals", 429, "Too Many Terminals"),
    Internal => ("internal", 500, "Internal Error"),
}

impl ErrorType {
    pub fn code(self) -> &'static str {
        self.info().0
    }
    pub fn status(self) -> u16 {
        self.info().1
    }
    pub fn title(self) -> &'static str {
        self.info().2
    }

    /// A problem of this type with a human-readable detail.
    pub fn problem(self, detail: impl Into<String>) -> ProblemDetails {
        ProblemDetails {
            type_: format!("{TYPE_PREFIX}{}", self.code()),
            title: self.title().to_string(),
            status: self.status(),
            detail: Some(detail.into()),
            instance: None,
            session_id: None,
            agent: None,
            details: None,
        }
    }
}
