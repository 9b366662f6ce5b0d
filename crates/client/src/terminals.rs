//! Terminals: `/v1/sessions/{id}/terminals`, and the WebSocket of one (`attach_terminal`).

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use sandbox_agent_schema::*;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

use crate::{Client, ClientError, Result};

/// What a terminal socket brings.
#[derive(Debug, Clone, PartialEq)]
pub enum TerminalEvent {
    /// Output bytes (the scrollback first).
    Output(Bytes),
    /// The program ended; nothing follows.
    Exit { exit_code: Option<i32>, signal: Option<i32> },
    /// The daemon refused something (an observer's input) or skipped output for a slow reader.
    Error(String),
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One attached terminal: [`TerminalConnection::next`] for what it prints, `send` and `resize`
/// to drive it (a controller's or the daemon's token).
pub struct TerminalConnection {
    socket: Socket,
}

impl TerminalConnection {
    /// The next event; `None` once the socket closed.
    pub async fn next(&mut self) -> Option<Result<TerminalEvent>> {
        loop {
            let message = match self.socket.next().await? {
                Ok(m) => m,
                Err(err) => return Some(Err(ClientError::Decode(format!("terminal socket: {err}")))),
            };
            return Some(Ok(match message {
                Message::Binary(bytes) => TerminalEvent::Output(bytes),
                Message::Text(text) => match serde_json::from_str::<TerminalMessage>(&text) {
                    Ok(TerminalMessage::Exit { exit_code, signal }) => TerminalEvent::Exit { exit_code, signal },
                    Ok(TerminalMessage::Error { message }) => TerminalEvent::Error(message),
                    _ => TerminalEvent::Error(format!("unexpected message: {text}")),
                },
                Message::Close(_) => return None,
                _ => continue,
            }));
        }
    }

    /// Bytes to the program, as if typed (`b"\x03"` is Ctrl-C).
    pub async fn send(&mut self, input: impl Into<Bytes>) -> Result<()> {
        self.socket
            .send(Message::Binary(input.into()))
            .await
            .map_err(|e| ClientError::Decode(format!("terminal socket: {e}")))
    }

    pub async fn resize(&mut self, cols: u16, rows: u16) -> Result<()> {
        let text = serde_json::to_string(&TerminalMessage::Resize { cols, rows }).unwrap_or_default();
        self.socket
            .send(Message::Text(text.into()))
            .await
            .map_err(|e| ClientError::Decode(format!("terminal socket: {e}")))
    }

    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}

impl Client {
    fn terminal_path(id: &str, rest: &str) -> String {
        Self::session_path(id, &format!("/terminals{rest}"))
    }

    /// `POST /v1/sessions/{id}/terminals`
    pub async fn create_terminal(&self, id: &str, req: &CreateTerminalRequest) -> Result<TerminalInfo> {
        Self::json(self.post_json(&Self::terminal_path(id, ""), req)).await
    }

    /// `GET /v1/sessions/{id}/terminals`
    pub async fn list_terminals(&self, id: &str) -> Result<TerminalListResponse> {
        Self::json(self.request(Method::GET, &Self::terminal_path(id, ""))).await
    }

    /// `GET /v1/sessions/{id}/terminals/{terminal_id}`
    pub async fn get_terminal(&self, id: &str, terminal: &str) -> Result<TerminalInfo> {
        Self::json(self.request(Method::GET, &Self::terminal_path(id, &format!("/{}", crate::seg(terminal))))).await
    }

    /// `DELETE /v1/sessions/{id}/terminals/{terminal_id}`
    pub async fn kill_terminal(&self, id: &str, terminal: &str) -> Result<()> {
        Self::no_content(self.request(Method::DELETE, &Self::terminal_path(id, &format!("/{}", crate::seg(terminal)))))
            .await
    }

    /// `GET /v1/sessions/{id}/terminals/{terminal_id}/ws`: the terminal's WebSocket.
    pub async fn attach_terminal(&self, id: &str, terminal: &str) -> Result<TerminalConnection> {
        let path = Self::terminal_path(id, &format!("/{}/ws", crate::seg(terminal)));
        let url = format!("{}{path}", self.base.replacen("http", "ws", 1));
        let mut request =
            url.into_client_request().map_err(|e| ClientError::Decode(format!("terminal socket: {e}")))?;
        let headers = request.headers_mut();
        headers.insert("sec-websocket-protocol", HeaderValue::from_static(TERMINAL_PROTOCOL));
        if let Some(token) = &self.token {
            let value =
                HeaderValue::from_str(&format!("Bearer {token}")).map_err(|e| ClientError::Decode(e.to_string()))?;
            headers.insert("authorization", value);
        }
        match tokio_tungstenite::connect_async(request).await {
            Ok((socket, _)) => Ok(TerminalConnection { socket }),
            // A refused handshake carries the daemon's problem in its body.
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                let body = response.body().clone().unwrap_or_default();
                Err(match serde_json::from_slice::<ProblemDetails>(&body) {
                    Ok(problem) => ClientError::Api(problem),
                    Err(_) => ClientError::Decode(format!("terminal socket: HTTP {}", response.status())),
                })
            }
            Err(err) => Err(ClientError::Decode(format!("terminal socket: {err}"))),
        }
    }
}
