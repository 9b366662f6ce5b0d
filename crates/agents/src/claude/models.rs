//! Claude Code's models: the `models` of its answer to the stream-json `initialize` control
//! request (the list its `/model` picker shows, which depends on the account).

use std::path::Path;

use sandbox_agent_exec::SpawnSpec;
use sandbox_agent_schema::{AgentModelInfo, AgentModelsResponse};
use serde_json::{json, Value};

use crate::credentials;
use crate::models::{self, Seen};
use crate::{ModelsError, ModelsSpec, SessionSpec};

const REQUEST_ID: &str = "sandbox_agent_models";

/// Start the CLI as a session would (the daemon's environment and credentials), ask it to
/// initialize, and stop it.
pub(super) async fn list(binary: &Path, spec: &ModelsSpec) -> Result<AgentModelsResponse, ModelsError> {
    let session = SessionSpec::for_listing(&spec.state_dir);
    let (args, env) = super::command(&session, &credentials::for_daemon());
    let config_dir = spec.state_dir.join("home/.claude");
    std::fs::create_dir_all(&config_dir)
        .map_err(|e| ModelsError::Failed { message: format!("{}: {e}", config_dir.display()), stderr: None })?;
    let mut proc = SpawnSpec::new("claude", binary, &spec.state_dir)
        .args(args)
        .env(env)
        .spawn()
        .map_err(|e| models::spawn_failed(binary, e))?;
    let request = json!({"type": "control_request", "request_id": REQUEST_ID, "request": {"subtype": "initialize", "hooks": null}});
    // A write error means the CLI is going away: the read reports how.
    let _ = proc.write_json_line(&request).await;
    let answer = models::read_until(&mut proc, "initialize", models::STEP, |v| {
        let response = &v["response"];
        if v["type"] != "control_response" || response["request_id"] != REQUEST_ID {
            return Seen::Skip;
        }
        match response["subtype"].as_str() {
            Some("success") => Seen::Answer(response["response"].clone()),
            _ => Seen::Error(response["error"].as_str().unwrap_or("no message").to_string()),
        }
    })
    .await?;
    models::end(&mut proc).await;
    parse(&answer).map_err(|why| models::malformed("claude", "initialize", why))
}

/// The `initialize` answer's `models`: `value` is what `--model` takes (`default` included:
/// the account's default model), `supportedEffortLevels` what `--effort` takes.
pub(super) fn parse(answer: &Value) -> Result<AgentModelsResponse, String> {
    let list = answer.get("models").and_then(Value::as_array).ok_or("no models array")?;
    let mut models = Vec::new();
    for m in list {
        let id = m.get("value").and_then(Value::as_str).ok_or("a model without a value")?.to_string();
        let text = |key: &str| m.get(key).and_then(Value::as_str).map(str::to_string);
        let variants = m
            .get("supportedEffortLevels")
            .and_then(Value::as_array)
            .map(|levels| levels.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        models.push(AgentModelInfo {
            name: text("displayName").unwrap_or_else(|| id.clone()),
            description: text("description"),
            default: id == "default",
            variants,
            default_variant: None,
            id,
        });
    }
    let default_model = models.iter().find(|m| m.default).map(|m| m.id.clone());
    Ok(AgentModelsResponse { models, default_model, note: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_recorded_initialize_answer() {
        let answer = crate::transcripts::load("claude-streamjson-stdio-permission-2turns.jsonl")
            .into_iter()
            .map(|line| line["msg"].clone())
            .find(|m| m["type"] == "control_response" && m["response"]["request_id"] == "init_1")
            .expect("the transcript has the initialize answer");
        let list = parse(&answer["response"]["response"]).unwrap();
        let ids: Vec<&str> = list.models.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["default", "opus[1m]", "sonnet", "sonnet[1m]", "haiku"]);
        assert_eq!(list.default_model.as_deref(), Some("default"));
        let sonnet = &list.models[2];
        assert_eq!(sonnet.name, "Sonnet");
        assert!(sonnet.description.as_deref().unwrap().starts_with("Sonnet 5"));
        assert_eq!(sonnet.variants, ["low", "medium", "high", "xhigh", "max"]);
        assert!(list.models[4].variants.is_empty(), "haiku has no effort levels");
        assert!(parse(&json!({"commands": []})).is_err());
    }
}
