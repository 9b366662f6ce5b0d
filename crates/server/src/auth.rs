//! Bearer-token auth for everything under `/v1` except health.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sandbox_agent_schema::ErrorType;
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::AppState;

pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(expected) = state.config.token.as_deref() else { return next.run(req).await };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token"))
        .map(|(_, token)| token.trim());
    match given {
        Some(token) if bool::from(token.as_bytes().ct_eq(expected.as_bytes())) => next.run(req).await,
        _ => ApiError::new(ErrorType::TokenInvalid, "token invalid")
            .with_details(serde_json::json!({"message": "missing or invalid token"}))
            .into_response(),
    }
}
