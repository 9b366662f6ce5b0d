//! Requests one node hands another over NATS request/reply: the HTTP request as it came
//! (method, path and query, headers, body) and the answer as the owner gave it. The HTTP
//! headers ride as NATS headers (prefixed, so they never meet ours), the body as the payload.

use std::sync::Arc;
use std::time::Duration;

use async_nats::HeaderMap;
use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::StreamExt;

use crate::Cluster;

const METHOD: &str = "Sa-Method";
const URI: &str = "Sa-Uri";
const STATUS: &str = "Sa-Status";
const HTTP: &str = "Http-";

#[derive(Debug, Clone)]
pub struct ForwardRequest {
    pub method: String,
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

#[derive(Debug, Clone)]
pub struct ForwardResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    /// Nobody listens on the node's inbox: it is gone.
    #[error("node {0} does not answer")]
    Gone(String),
    #[error("node {0} did not answer in time")]
    Timeout(String),
    /// The request is bigger than one NATS message may be.
    #[error("the request is too large to forward")]
    TooLarge,
    #[error("forwarding failed: {0}")]
    Other(String),
}

/// What answers forwarded requests on the owner.
pub type Handler = Arc<dyn Fn(ForwardRequest) -> BoxFuture<'static, ForwardResponse> + Send + Sync>;

fn put_http(map: &mut HeaderMap, headers: &[(String, String)]) {
    for (name, value) in headers {
        map.append(format!("{HTTP}{name}").as_str(), value.as_str());
    }
}

fn http_headers(map: &HeaderMap) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, values) in map.iter() {
        let name: &str = name.as_ref();
        let Some(http) = name.strip_prefix(HTTP) else { continue };
        for v in values {
            out.push((http.to_string(), v.as_str().to_string()));
        }
    }
    out
}

impl Cluster {
    /// Send `req` to `node` and wait (at most `timeout`) for its answer.
    pub async fn forward(
        &self,
        node: &str,
        req: ForwardRequest,
        timeout: Duration,
    ) -> Result<ForwardResponse, ForwardError> {
        let mut headers = HeaderMap::new();
        headers.insert(METHOD, req.method.as_str());
        headers.insert(URI, req.uri.as_str());
        put_http(&mut headers, &req.headers);
        if req.body.len() + 4096 > self.client.server_info().max_payload {
            return Err(ForwardError::TooLarge);
        }
        let request = async_nats::Request::new().headers(headers).payload(req.body).timeout(Some(timeout));
        let reply =
            self.client.send_request(self.names.node_inbox(node), request).await.map_err(|e| match e.kind() {
                async_nats::RequestErrorKind::NoResponders => ForwardError::Gone(node.to_string()),
                async_nats::RequestErrorKind::TimedOut => ForwardError::Timeout(node.to_string()),
                _ => ForwardError::Other(e.to_string()),
            })?;
        let map = reply.headers.unwrap_or_default();
        let status = map
            .get(STATUS)
            .and_then(|v| v.as_str().parse().ok())
            .ok_or_else(|| ForwardError::Other("an answer without a status".into()))?;
        Ok(ForwardResponse { status, headers: http_headers(&map), body: reply.payload })
    }

    /// Answer requests forwarded to this node with `handler`, each in a task of its own.
    pub async fn serve(self: &Arc<Self>, handler: Handler) -> Result<(), crate::ClusterError> {
        let mut inbox = self
            .client
            .subscribe(self.names.node_inbox(&self.config.node_id))
            .await
            .map_err(|e| crate::ClusterError::Nats(e.to_string()))?;
        // Once flushed, the server has the subscription: a request sent after is answered.
        self.client.flush().await.map_err(|e| crate::ClusterError::Nats(e.to_string()))?;
        let client = self.client.clone();
        tokio::spawn(async move {
            while let Some(msg) = inbox.next().await {
                let Some(reply_to) = msg.reply.clone() else { continue };
                let map = msg.headers.clone().unwrap_or_default();
                let text = |name: &str| map.get(name).map(|v| v.as_str().to_string()).unwrap_or_default();
                let req = ForwardRequest {
                    method: text(METHOD),
                    uri: text(URI),
                    headers: http_headers(&map),
                    body: msg.payload.clone(),
                };
                let handler = handler.clone();
                let client = client.clone();
                tokio::spawn(async move {
                    let resp = handler(req).await;
                    let mut headers = HeaderMap::new();
                    headers.insert(STATUS, resp.status.to_string().as_str());
                    put_http(&mut headers, &resp.headers);
                    if let Err(err) = client.publish_with_headers(reply_to, headers, resp.body).await {
                        tracing::warn!(%err, "a forwarded request's answer was not sent");
                    }
                });
            }
        });
        Ok(())
    }
}
