//! The OpenAPI document, generated from the route annotations and schema derives.

use sandbox_agent_schema::*;
use utoipa::OpenApi;

use crate::routes::{agents, events, hitl, meta, sessions};

#[derive(OpenApi)]
#[openapi(
    info(title = "sandbox-agent", version = "0.1.0",
        description = "One HTTP + SSE API over coding-agent CLIs. Errors are RFC 7807 problem details."),
    servers((url = "http://localhost:2468")),
    paths(
        meta::health, meta::openapi,
        agents::list, agents::install, agents::modes, agents::models,
        sessions::list, sessions::create, sessions::create_with_id, sessions::get, sessions::delete,
        sessions::send_message, sessions::interrupt, sessions::terminate,
        events::send_message_stream, events::list, events::sse,
        hitl::reply_question, hitl::reject_question, hitl::reply_permission,
    ),
    components(schemas(UniversalEvent, EventData, UniversalItem, ContentPart, ProblemDetails, SessionStatus)),
    modifiers(&BearerAuth),
    tags((name = "meta"), (name = "agents"), (name = "sessions")),
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        openapi.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
    }
}

/// The document as pretty JSON with a trailing newline (the form checked into `docs/`).
pub fn openapi_json() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().expect("openapi serializes");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    #[test]
    fn checked_in_document_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
        let current = super::openapi_json();
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(&path, &current).unwrap();
            return;
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == current,
            "docs/openapi.json is stale: run `cargo run -p sandbox-agent -- openapi > docs/openapi.json`"
        );
    }
}
