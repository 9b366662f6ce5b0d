//! HTTP routes, one module per resource.

pub mod agents;
pub mod events;
pub mod hitl;
pub mod meta;
pub mod sessions;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum::Router;
use sandbox_agent_schema::ErrorType;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::AppState;

/// The `/v1` routes that need the token (everything but health).
pub fn protected() -> Router<AppState> {
    Router::new()
        .route("/v1/openapi.json", get(meta::openapi))
        .route("/v1/agents", get(agents::list))
        .route("/v1/agents/{agent}/install", post(agents::install))
        .route("/v1/agents/{agent}/modes", get(agents::modes))
        .route("/v1/agents/{agent}/models", get(agents::models))
        .route("/v1/sessions", get(sessions::list).post(sessions::create))
        .route("/v1/sessions/{session_id}", get(sessions::get).post(sessions::create_with_id).delete(sessions::delete))
        .route("/v1/sessions/{session_id}/messages", post(sessions::send_message))
        .route("/v1/sessions/{session_id}/messages/stream", post(events::send_message_stream))
        .route("/v1/sessions/{session_id}/interrupt", post(sessions::interrupt))
        .route("/v1/sessions/{session_id}/terminate", post(sessions::terminate))
        .route("/v1/sessions/{session_id}/events", get(events::list))
        .route("/v1/sessions/{session_id}/events/sse", get(events::sse))
        .route("/v1/sessions/{session_id}/questions/{question_id}/reply", post(hitl::reply_question))
        .route("/v1/sessions/{session_id}/questions/{question_id}/reject", post(hitl::reject_question))
        .route("/v1/sessions/{session_id}/permissions/{permission_id}/reply", post(hitl::reply_permission))
}

pub fn public() -> Router<AppState> {
    Router::new().route("/v1/health", get(meta::health))
}

/// `Path<T>` whose rejections are problem details.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|r| ApiError::new(ErrorType::InvalidRequest, r.body_text()))
    }
}
