//! OpenCode's models: the providers its server has configured and connected
//! (`GET /config/providers`, with their models and variants) and its configured default
//! model (`GET /config`), asked of the shared server the daemon's own launch maps to.

use std::time::Duration;

use sandbox_agent_schema::{AgentModelInfo, AgentModelsResponse};
use serde_json::Value;

use super::http::Http;
use crate::ModelsError;

/// How long the requests of one listing may take together (the server is already up).
const LIST_TIMEOUT: Duration = Duration::from_secs(30);

pub(super) async fn list(http: &Http) -> Result<AgentModelsResponse, ModelsError> {
    let asked = tokio::time::timeout(LIST_TIMEOUT, async {
        let failed = |what: &str, e: super::http::Failure| ModelsError::Failed {
            message: format!("opencode serve: GET {what}: {e}"),
            stderr: None,
        };
        let providers = http.get_json("/config/providers").await.map_err(|e| failed("/config/providers", e))?;
        let config = http.get_json("/config").await.map_err(|e| failed("/config", e))?;
        parse(&providers, &config)
            .map_err(|why| crate::models::malformed("opencode serve", "GET /config/providers", why))
    })
    .await;
    // The listing loaded OpenCode's project instance for the server's own directory.
    let _ = http.post("/instance/dispose", None, Duration::from_secs(5)).await;
    asked.unwrap_or_else(|_| {
        Err(ModelsError::Timeout {
            message: format!("opencode serve did not list its providers within {} s", LIST_TIMEOUT.as_secs()),
            stderr: None,
        })
    })
}

/// `{providers: [{id, name, models: {id: {id, name, variants: {name: …}}}}]}` and the
/// config's `model` (`provider/model`, the default of sessions that name none).
pub(super) fn parse(providers: &Value, config: &Value) -> Result<AgentModelsResponse, String> {
    let default_model = config.get("model").and_then(Value::as_str).filter(|m| !m.is_empty()).map(str::to_string);
    let mut models = Vec::new();
    for provider in providers.get("providers").and_then(Value::as_array).ok_or("no providers array")? {
        let provider_id = provider.get("id").and_then(Value::as_str).ok_or("a provider without an id")?;
        let provider_name = provider.get("name").and_then(Value::as_str).unwrap_or(provider_id);
        let Some(list) = provider.get("models").and_then(Value::as_object) else { continue };
        for (key, m) in list {
            let model_id = m.get("id").and_then(Value::as_str).unwrap_or(key);
            let id = format!("{provider_id}/{model_id}");
            let variants =
                m.get("variants").and_then(Value::as_object).map(|v| v.keys().cloned().collect()).unwrap_or_default();
            models.push(AgentModelInfo {
                name: m.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()).unwrap_or(model_id).to_string(),
                description: Some(provider_name.to_string()),
                default: default_model.as_deref() == Some(id.as_str()),
                variants,
                default_variant: None,
                id,
            });
        }
    }
    Ok(AgentModelsResponse { models, default_model, note: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn provider_models_become_provider_slash_model() {
        // Trimmed from opencode 1.18.33 with the generated `sandbox` provider.
        let providers = json!({"providers": [
            {"id": "opencode", "name": "OpenCode Zen", "source": "custom", "models": {
                "big-pickle": {"id": "big-pickle", "providerID": "opencode", "name": "Big Pickle",
                    "variants": {"low": {"reasoningEffort": "low"}, "high": {"reasoningEffort": "high"}}}}},
            {"id": "sandbox", "name": "Sandbox", "source": "config", "models": {
                "default": {"id": "default", "providerID": "sandbox", "name": "default", "variants": {}}}},
        ], "default": {"opencode": "big-pickle", "sandbox": "default"}});
        let list = parse(&providers, &json!({"model": "sandbox/default"})).unwrap();
        let ids: Vec<&str> = list.models.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["opencode/big-pickle", "sandbox/default"]);
        assert_eq!(list.default_model.as_deref(), Some("sandbox/default"));
        assert!(list.models[1].default && !list.models[0].default);
        let mut variants = list.models[0].variants.clone();
        variants.sort();
        assert_eq!(variants, ["high", "low"]);
        assert_eq!(list.models[0].description.as_deref(), Some("OpenCode Zen"));
        // Without a configured model, OpenCode picks one itself: no default is claimed.
        assert!(parse(&providers, &json!({})).unwrap().default_model.is_none());
        assert!(parse(&json!({}), &json!({})).is_err());
    }
}
