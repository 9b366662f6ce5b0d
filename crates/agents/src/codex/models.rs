//! Codex's models: the app-server's `model/list` (its bundled catalog, filtered for the
//! account), asked of an app-server started as a session's would be.

use std::path::Path;
use std::time::Duration;

use sandbox_agent_exec::{Process, SpawnSpec};
use sandbox_agent_schema::{AgentModelInfo, AgentModelsResponse};
use serde_json::{json, Value};

use super::{write_auth, Launch};
use crate::credentials;
use crate::models::{self, Seen};
use crate::{ModelsError, ModelsSpec, SessionSpec};

/// More pages than any catalog has; a server that keeps paging is cut off here.
const MAX_PAGES: usize = 20;

/// `step`: how long each request may take.
pub(super) async fn list(binary: &Path, spec: &ModelsSpec, step: Duration) -> Result<AgentModelsResponse, ModelsError> {
    let session = SessionSpec::for_listing(&spec.state_dir);
    let launch = Launch::new(&session, &super::nonce(), &credentials::for_daemon());
    let io = |path: &Path, e: std::io::Error| ModelsError::Failed {
        message: format!("{}: {e}", path.display()),
        stderr: None,
    };
    std::fs::create_dir_all(&launch.codex_home).map_err(|e| io(&launch.codex_home, e))?;
    let config = launch.codex_home.join("config.toml");
    std::fs::write(&config, &launch.config).map_err(|e| io(&config, e))?;
    write_auth(&launch.codex_home, launch.auth.as_deref()).map_err(|e| io(&launch.codex_home.join("auth.json"), e))?;
    let mut proc = SpawnSpec::new("codex app-server", binary, &spec.state_dir)
        .args(["app-server"])
        .env(launch.env)
        .spawn()
        .map_err(|e| models::spawn_failed(binary, e))?;
    let result = ask(&mut proc, step).await;
    models::end(&mut proc).await;
    result
}

/// `initialize`, `initialized`, then `model/list` page by page.
async fn ask(proc: &mut Process, step: Duration) -> Result<AgentModelsResponse, ModelsError> {
    let client = json!({"name": "sandbox-agent", "title": "sandbox-agent", "version": env!("CARGO_PKG_VERSION")});
    send(proc, json!({"id": 1, "method": "initialize", "params": {"clientInfo": client}})).await;
    call(proc, 1, "initialize", step).await?;
    send(proc, json!({"method": "initialized"})).await;
    let mut pages = Vec::new();
    let mut cursor = Value::Null;
    for id in 2..2 + MAX_PAGES as u64 {
        send(proc, json!({"id": id, "method": "model/list", "params": {"cursor": cursor}})).await;
        let page = call(proc, id, "model/list", step).await?;
        cursor = page.get("nextCursor").cloned().unwrap_or(Value::Null);
        pages.push(page);
        if cursor.is_null() {
            break;
        }
    }
    parse(&pages).map_err(|why| models::malformed("codex", "model/list", why))
}

/// A write error means the process is going away: the read that follows reports how.
async fn send(proc: &mut Process, message: Value) {
    let _ = proc.write_json_line(&message).await;
}

/// The result of request `id` (notifications meanwhile are skipped).
async fn call(proc: &mut Process, id: u64, what: &str, step: Duration) -> Result<Value, ModelsError> {
    models::read_until(proc, what, step, |v| {
        if v.get("id").and_then(Value::as_u64) != Some(id) || v.get("method").is_some() {
            return Seen::Skip;
        }
        match (v.get("result"), v.get("error")) {
            (Some(result), _) => Seen::Answer(result.clone()),
            (None, Some(error)) => Seen::Error(
                error.get("message").and_then(Value::as_str).map_or_else(|| error.to_string(), str::to_string),
            ),
            (None, None) => Seen::Error(format!("a response without result or error: {v}")),
        }
    })
    .await
}

/// `model/list` pages (`{data: [Model], nextCursor}`): `model` is the slug `model` and
/// `thread/start` take, `supportedReasoningEfforts` what `model_reasoning_effort` takes.
pub(super) fn parse(pages: &[Value]) -> Result<AgentModelsResponse, String> {
    let mut models: Vec<AgentModelInfo> = Vec::new();
    for page in pages {
        for m in page.get("data").and_then(Value::as_array).ok_or("a page without data")? {
            let text = |key: &str| m.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
            let id = text("model").or_else(|| text("id")).ok_or("a model without model or id")?;
            if models.iter().any(|known| known.id == id) || m.get("hidden").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let variants = m
                .get("supportedReasoningEfforts")
                .and_then(Value::as_array)
                .map(|efforts| {
                    efforts
                        .iter()
                        .filter_map(|e| e.get("reasoningEffort").and_then(Value::as_str))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            models.push(AgentModelInfo {
                name: text("displayName").unwrap_or_else(|| id.clone()),
                description: text("description"),
                default: m.get("isDefault").and_then(Value::as_bool).unwrap_or(false),
                variants,
                default_variant: text("defaultReasoningEffort"),
                id,
            });
        }
    }
    let default_model = models.iter().find(|m| m.default).map(|m| m.id.clone());
    Ok(AgentModelsResponse { models, default_model, note: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_model_list_pages() {
        let model = |slug: &str, default: bool, hidden: bool| {
            json!({"id": slug, "model": slug, "displayName": slug.to_uppercase(), "description": format!("{slug} model"),
                "isDefault": default, "hidden": hidden, "defaultReasoningEffort": "medium",
                "supportedReasoningEfforts": [{"reasoningEffort": "low", "description": "l"}, {"reasoningEffort": "medium", "description": "m"}]})
        };
        let pages = [
            json!({"data": [model("gpt-a", false, false), model("gpt-b", true, false)], "nextCursor": "c1"}),
            json!({"data": [model("gpt-c", false, true), model("gpt-a", false, false)], "nextCursor": null}),
        ];
        let list = parse(&pages).unwrap();
        let ids: Vec<&str> = list.models.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["gpt-a", "gpt-b"], "hidden and repeated models are left out");
        assert_eq!(list.default_model.as_deref(), Some("gpt-b"));
        assert_eq!(list.models[0].name, "GPT-A");
        assert_eq!(list.models[0].variants, ["low", "medium"]);
        assert_eq!(list.models[0].default_variant.as_deref(), Some("medium"));
        assert!(parse(&[json!({"items": []})]).is_err());
    }
}
