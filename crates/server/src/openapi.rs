//! The OpenAPI document, generated from the route declarations (`routes::api`), their
//! annotations and the schema derives.

use sandbox_agent_schema::*;
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "sandbox-agent", version = "0.1.0",
        description = "One HTTP + SSE API over coding-agent CLIs. Errors are RFC 7807 problem details."),
    servers((url = "http://localhost:2468")),
    components(schemas(UniversalEvent, EventData, UniversalItem, ContentPart, ProblemDetails, SessionStatus, RunOutputChunk)),
    modifiers(&BearerAuth),
    tags((name = "meta"), (name = "agents"), (name = "sessions"), (name = "fs"), (name = "terminals"), (name = "acp")),
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
    }
}

/// Problem responses: every error status an operation can answer gets `application/problem+json`
/// and a description naming the problem types with that status. The statuses every route shares
/// are added here rather than on each route: 401 where a token is required, 400 for a malformed
/// path id, and 400/413/415/422 where a body is read.
struct Problems;

impl utoipa::Modify for Problems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::Operation;
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let problem = |status: u16| {
            let codes: Vec<String> =
                ErrorType::ALL.iter().filter(|t| t.status() == status).map(|t| format!("`{}`", t.code())).collect();
            ResponseBuilder::new()
                .description(format!("Problem detail; `type` ends in one of: {}", codes.join(", ")))
                .content(
                    "application/problem+json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ProblemDetails"))).build(),
                )
                .build()
        };
        let fix = |op: &mut Operation| {
            let mut shared = Vec::new();
            if op.security.as_ref().is_none_or(|s| !s.is_empty() && s.iter().any(|r| *r != Default::default())) {
                shared.push(401);
            }
            let has_path_id =
                op.parameters.iter().flatten().any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Path);
            if has_path_id {
                shared.push(400);
            }
            if op.request_body.is_some() {
                shared.extend([400, 413, 415, 422]);
            }
            for status in shared {
                op.responses.responses.entry(status.to_string()).or_insert_with(|| RefOr::T(problem(status)));
            }
            for (status, response) in op.responses.responses.iter_mut() {
                if let Ok(status @ 400..=599) = status.parse::<u16>() {
                    *response = RefOr::T(problem(status));
                }
            }
        };
        for item in openapi.paths.paths.values_mut() {
            for op in
                [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch].into_iter().flatten()
            {
                fix(op);
            }
        }
    }
}

/// The whole document: [`ApiDoc`], the paths of every declared route, then their problem
/// responses (which need the paths, so they are added last).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = crate::routes::api().into_openapi();
    Problems.modify(&mut doc);
    doc
}

/// The document as pretty JSON with a trailing newline (the form checked into `docs/`).
pub fn openapi_json() -> String {
    let mut json = document().to_pretty_json().expect("openapi serializes");
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

    /// The SDK names one method per operation after its id, so ids are unique, descriptive
    /// lowerCamelCase words, never the handler's bare name (`list`, `get`, …).
    #[test]
    fn operation_ids_are_unique_camel_case_and_on_every_route() {
        let doc = super::document();
        let mut seen = std::collections::BTreeSet::new();
        for (path, item) in &doc.paths.paths {
            let ops = [&item.get, &item.post, &item.put, &item.patch, &item.delete];
            for op in ops.into_iter().flatten() {
                let id = op.operation_id.clone().unwrap_or_default();
                assert!(
                    id.len() > 6
                        && id.starts_with(|c: char| c.is_ascii_lowercase())
                        && id.chars().all(|c| c.is_ascii_alphanumeric())
                        && id.chars().any(|c| c.is_ascii_uppercase()),
                    "{path}: operationId {id:?} is not a descriptive lowerCamelCase name"
                );
                assert!(seen.insert(id.clone()), "{path}: operationId {id} is used twice");
            }
        }
        assert!(seen.contains("listSessions") && seen.contains("postMessage") && seen.len() >= 31, "{seen:?}");
    }
}
