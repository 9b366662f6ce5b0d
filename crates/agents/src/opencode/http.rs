//! HTTP to an OpenCode server, scoped to one project directory.

use std::time::Duration;

use serde_json::Value;

use super::convert::Request;

/// Every request except the event stream gets this long.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The client for loopback servers: no proxy (the daemon's HTTP_PROXY is for agents' traffic
/// to the outside), no overall timeout (the event stream never ends).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(5))
        .build()
        .expect("reqwest client builds")
}

/// Why a request failed.
#[derive(Debug)]
pub enum Failure {
    /// The server answered with this status and body.
    Status(u16, String),
    /// No answer (connection refused, reset, timeout).
    Transport(String),
}

impl Failure {
    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Status(code, _) => Some(*code),
            Failure::Transport(_) => None,
        }
    }
    pub fn detail(&self) -> &str {
        match self {
            Failure::Status(_, body) | Failure::Transport(body) => body,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Status(code, body) => write!(f, "HTTP {code}: {body}"),
            Failure::Transport(err) => write!(f, "{err}"),
        }
    }
}

/// One server's base URL plus the `directory` every request is scoped to (OpenCode keeps one
/// project instance per directory; without it the server's own cwd would be used).
#[derive(Clone)]
pub struct Http {
    pub client: reqwest::Client,
    pub base: String,
    pub directory: String,
}

impl Http {
    pub fn new(client: reqwest::Client, base: &str, directory: &str) -> Self {
        Http { client, base: base.to_string(), directory: directory.to_string() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn finish(resp: Result<reqwest::Response, reqwest::Error>) -> Result<String, Failure> {
        let resp = resp.map_err(|e| Failure::Transport(e.to_string()))?;
        let status = resp.status();
        let body = resp.text().await.map_err(|e| Failure::Transport(e.to_string()))?;
        if status.is_success() {
            Ok(body)
        } else {
            Err(Failure::Status(status.as_u16(), body))
        }
    }

    pub async fn get(&self, path: &str) -> Result<String, Failure> {
        let req = self.client.get(self.url(path)).query(&[("directory", &self.directory)]).timeout(REQUEST_TIMEOUT);
        Self::finish(req.send().await).await
    }

    pub async fn get_json(&self, path: &str) -> Result<Value, Failure> {
        let body = self.get(path).await?;
        serde_json::from_str(&body).map_err(|e| Failure::Transport(format!("bad JSON from {path}: {e}")))
    }

    pub async fn post(&self, path: &str, body: Option<&Value>, timeout: Duration) -> Result<String, Failure> {
        let mut req = self.client.post(self.url(path)).query(&[("directory", &self.directory)]).timeout(timeout);
        if let Some(body) = body {
            req = req.json(body);
        }
        Self::finish(req.send().await).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Value, Failure> {
        let text = self.post(path, Some(body), REQUEST_TIMEOUT).await?;
        serde_json::from_str(&text).map_err(|e| Failure::Transport(format!("bad JSON from {path}: {e}")))
    }

    /// Send a converter request, trying its fallback route when the server lacks the first.
    pub async fn send(&self, req: &Request) -> Result<(), Failure> {
        match self.post(&req.path, req.body.as_ref(), REQUEST_TIMEOUT).await {
            Err(Failure::Status(404, _)) if req.fallback.is_some() => {
                let (path, body) = req.fallback.as_ref().expect("checked");
                self.post(path, Some(body), REQUEST_TIMEOUT).await.map(|_| ())
            }
            other => other.map(|_| ()),
        }
    }
}
