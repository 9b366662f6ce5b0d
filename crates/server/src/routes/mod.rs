//! HTTP routes, one module per resource.

pub mod acp;
pub mod agents;
pub mod artifacts;
pub mod events;
pub mod fs;
pub mod hitl;
pub mod meta;
pub mod participants;
pub mod run;
pub mod sessions;
pub mod terminals;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use sandbox_agent_schema::ErrorType;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::openapi::ApiDoc;
use crate::AppState;

/// Every route, declared once. A handler's `#[utoipa::path]` gives its method, path, OpenAPI entry
/// and scope (`security`); listing it here mounts it and adds it to the document. The order here
/// is the order of the document.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(meta::health))
        .routes(routes!(meta::openapi))
        .routes(routes!(meta::cluster_nodes))
        .routes(routes!(agents::list))
        .routes(routes!(agents::install))
        .routes(routes!(agents::modes))
        .routes(routes!(agents::models))
        .routes(routes!(sessions::list, sessions::create))
        .routes(routes!(sessions::create_with_id, sessions::get, sessions::update, sessions::delete))
        .routes(routes!(sessions::send_message))
        .routes(routes!(sessions::interrupt))
        .routes(routes!(sessions::terminate))
        .routes(routes!(sessions::archive))
        .routes(routes!(sessions::resume))
        .routes(routes!(sessions::result))
        .routes(routes!(sessions::loop_state))
        .routes(routes!(artifacts::list))
        .routes(routes!(artifacts::get))
        .routes(routes!(events::send_message_stream))
        .routes(routes!(events::list))
        .routes(routes!(events::sse))
        .routes(routes!(events::transcript))
        .routes(routes!(participants::list))
        .routes(routes!(participants::create_token))
        .routes(routes!(participants::revoke_token))
        .routes(routes!(hitl::reply_question))
        .routes(routes!(hitl::reject_question))
        .routes(routes!(hitl::reply_permission))
        .routes(routes!(acp::list))
        .routes(routes!(acp::post, acp::events, acp::close))
        .routes(routes!(run::run))
        .routes(routes!(run::stream))
        .routes(routes!(fs::entries))
        .routes(routes!(fs::stat))
        .routes(routes!(fs::read_file, fs::write_file))
        .routes(routes!(fs::delete_entry))
        .routes(routes!(fs::mkdir))
        .routes(routes!(fs::move_entry))
        .routes(routes!(fs::upload_batch))
        .routes(routes!(terminals::create, terminals::list))
        .routes(routes!(terminals::get, terminals::kill))
        .routes(routes!(terminals::attach))
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
