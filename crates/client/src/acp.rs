//! ACP over HTTP: `/v1/acp/{serverId}`, a JSON-RPC connection to the daemon as an ACP agent.

use reqwest::{Method, StatusCode};
use sandbox_agent_schema::AcpServerList;
use serde_json::Value;

use crate::stream::Frames;
use crate::{seg, Client, Result};

/// One message of an ACP connection's stream: its sequence (the SSE `id:`) and the JSON-RPC.
#[derive(Debug, Clone, PartialEq)]
pub struct AcpMessage {
    pub id: u64,
    pub message: Value,
}

/// An ACP connection's messages as they arrive; ends when the connection is closed.
pub type AcpStream = Frames<AcpMessage>;

impl Client {
    /// `GET /v1/acp`
    pub async fn list_acp_servers(&self) -> Result<AcpServerList> {
        Self::json(self.request(Method::GET, "/v1/acp")).await
    }

    /// `POST /v1/acp/{serverId}`: the response to a request, `None` for a notification or an
    /// answer (202). `agent`: the connection's agent, when this message makes it.
    pub async fn post_acp(&self, server_id: &str, agent: Option<&str>, message: &Value) -> Result<Option<Value>> {
        let mut req = self.post_json(&format!("/v1/acp/{}", seg(server_id)), message);
        if let Some(agent) = agent {
            req = req.query(&[("agent", agent)]);
        }
        let resp = Self::send(req).await?;
        if resp.status() == StatusCode::ACCEPTED {
            return Ok(None);
        }
        let body = resp.bytes().await?;
        serde_json::from_slice(&body).map(Some).map_err(|e| crate::ClientError::Decode(e.to_string()))
    }

    /// `GET /v1/acp/{serverId}`: its messages after `last_event_id`, then live.
    pub async fn acp_events(&self, server_id: &str, last_event_id: Option<u64>) -> Result<AcpStream> {
        let mut req = self.request(Method::GET, &format!("/v1/acp/{}", seg(server_id)));
        if let Some(last) = last_event_id {
            req = req.header("Last-Event-ID", last.to_string());
        }
        Ok(AcpStream::acp(Self::send(req).await?))
    }

    /// `DELETE /v1/acp/{serverId}`
    pub async fn close_acp(&self, server_id: &str) -> Result<()> {
        Self::no_content(self.request(Method::DELETE, &format!("/v1/acp/{}", seg(server_id)))).await
    }
}
