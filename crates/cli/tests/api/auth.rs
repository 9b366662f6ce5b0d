//! Token auth and CORS.

use crate::common::*;

async fn status(url: &str, auth: Option<&str>) -> u16 {
    let mut req = reqwest::Client::new().get(url);
    if let Some(auth) = auth {
        req = req.header("authorization", auth);
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn token_is_required_except_for_health() {
    let d = Daemon::start_with(&["--token", "s3cret"]).await;
    let agents = format!("{}/v1/agents", d.url);
    assert_eq!(status(&format!("{}/v1/health", d.url), None).await, 200);
    assert_eq!(status(&agents, None).await, 401);
    assert_eq!(status(&agents, Some("Bearer wrong")).await, 401);
    assert_eq!(status(&agents, Some("Bearer s3cret-and-more")).await, 401);
    assert_eq!(status(&agents, Some("Basic s3cret")).await, 401);
    assert_eq!(status(&agents, Some("Bearer s3cret")).await, 200);
    assert_eq!(status(&agents, Some("Token s3cret")).await, 200);
    assert_eq!(status(&agents, Some("bearer s3cret")).await, 200, "the scheme is case-insensitive");
    let resp = reqwest::Client::new().get(&agents).send().await.unwrap();
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["type"], "urn:sandbox-agent:error:token_invalid");
    // The client sends the token it was given.
    let c = d.client();
    new_session(&c, "s").await;
    assert_eq!(assistant_text(&turn(&c, "s", "echo authed").await), "authed");
    let anonymous = sandbox_agent_client::Client::new(d.url.clone(), None);
    assert_eq!(anonymous.list_sessions(&Default::default()).await.unwrap_err().problem().unwrap().status, 401);
    let sse = format!("{}/v1/sessions/s/events/sse", d.url);
    assert_eq!(status(&sse, None).await, 401);
}

#[tokio::test]
async fn server_refuses_to_start_without_a_token_choice() {
    let out =
        tokio::process::Command::new(bin()).args(["server", "--port", "0"]).env_remove("SANDBOX_AGENT_TOKEN").output();
    let out = tokio::time::timeout(WAIT, out).await.unwrap().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-token"));
}

async fn preflight(d: &Daemon) -> reqwest::Response {
    reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}/v1/sessions", d.url))
        .header("origin", "http://example.com")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,authorization")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn cors_is_off_unless_configured() {
    let d = Daemon::start().await;
    let resp = preflight(&d).await;
    assert!(resp.headers().get("access-control-allow-origin").is_none());

    let d = Daemon::start_with(&["--cors-allow-origin", "http://example.com", "--cors-allow-credentials"]).await;
    let resp = preflight(&d).await;
    assert_eq!(resp.headers()["access-control-allow-origin"], "http://example.com");
    assert_eq!(resp.headers()["access-control-allow-credentials"], "true");
    let other = reqwest::Client::new()
        .get(format!("{}/v1/health", d.url))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

/// Walks the served OpenAPI document: every operation states its scope, and every operation but
/// the public ones answers 401 without the token, before doing anything.
#[tokio::test]
async fn every_operation_but_health_needs_the_token() {
    let d = Daemon::start_with(&["--token", "s3cret"]).await;
    let http = reqwest::Client::new();
    let doc: serde_json::Value = http
        .get(format!("{}/v1/openapi.json", d.url))
        .bearer_auth("s3cret")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut checked = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let security = &op["security"];
            let public = *security == serde_json::json!([{}]);
            let scopes = security[0]["bearer"].as_array();
            assert!(public || scopes.is_some_and(|s| s.len() == 1), "{method} {path}: no scope stated: {security}");
            // Any value fits every path parameter: auth comes before the id is looked at.
            let url = format!("{}{}", d.url, path.replace("{session_id}", "nope").replace("{agent}", "mock"))
                .replace(['{', '}'], "");
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let resp = http.request(method.clone(), &url).json(&serde_json::json!({})).send().await.unwrap();
            let status = resp.status().as_u16();
            if public {
                assert_eq!(status, 200, "{method} {path} is public");
            } else {
                assert_eq!(status, 401, "{method} {path} without a token");
                let body: serde_json::Value = resp.json().await.unwrap();
                assert_eq!(body["type"], "urn:sandbox-agent:error:token_invalid", "{method} {path}");
            }
            checked.push(format!("{method} {path}"));
        }
    }
    assert!(checked.len() >= 20, "only {} operations: {checked:?}", checked.len());
    // Nothing was done on the way: no session exists.
    assert!(d.client().list_sessions(&Default::default()).await.unwrap().sessions.is_empty());
}
