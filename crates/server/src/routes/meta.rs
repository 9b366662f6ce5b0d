use axum::extract::State;
use axum::Json;
use sandbox_agent_schema::HealthResponse;

use crate::AppState;

/// Liveness; never needs the token.
#[utoipa::path(get, operation_id = "getHealth", path = "/v1/health", tag = "meta", security(()), responses((status = 200, body = HealthResponse)))]
pub async fn health() -> Json<HealthResponse> {
    Json(HealthResponse { status: "ok".into() })
}

/// This API's OpenAPI document (generated from the code).
#[utoipa::path(get, operation_id = "getOpenApi", path = "/v1/openapi.json", tag = "meta", security(("bearer" = ["daemon"])), responses((status = 200, description = "OpenAPI 3.1 document")))]
pub async fn openapi(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(state.openapi.clone())
}
