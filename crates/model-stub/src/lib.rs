//! A local, scripted HTTP server speaking the model APIs that real coding
//! agent CLIs use (Anthropic Messages for Claude Code, OpenAI Responses for
//! Codex, Chat Completions for OpenCode, Gemini's `streamGenerateContent` for
//! Gemini CLI), so those binaries can run
//! end-to-end in tests without network.
//!
//! ```no_run
//! # async fn demo() {
//! use std::time::Duration;
//! use sandbox_agent_model_stub::{ModelStub, Reply, Tool};
//!
//! let stub = ModelStub::start().await;
//! stub.push(Reply::tool(Tool::shell("echo hi > hello.txt")));
//! stub.push(Reply::text("DONE"));
//! // ... run an agent with its base URL pointed at stub.url() ...
//! let requests = stub.wait_for_requests(2, Duration::from_secs(30)).await.unwrap();
//! # }
//! ```
//!
//! When the script is empty the stub answers from the conversation: a tool
//! result gets `DONE: <output>`, anything else `OK`. Side requests (no tools
//! or structured output, e.g. title generation) never consume the script.

mod anthropic;
mod chat;
mod files;
mod gemini;
mod record;
mod responses;
mod script;
mod server;
mod sse;
mod tools;
mod turn;

use std::fmt;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;

pub use files::SeenFile;
pub use record::{Api, RecordedRequest};
pub use script::{Reply, Tool};

/// Handle to a running stub. The server runs on its own thread and runtime,
/// so it keeps answering even if the test blocks its own runtime (e.g. on a
/// synchronous `std::process::Command`). Dropping the handle stops it.
pub struct ModelStub {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    // Dropping the sender is the shutdown signal.
    _shutdown: oneshot::Sender<()>,
}

impl ModelStub {
    /// Start on `127.0.0.1:0`. Panics if that cannot be bound (a test
    /// environment problem, not something a test can handle).
    pub async fn start() -> Self {
        Self::bind("127.0.0.1:0").expect("model-stub: cannot bind 127.0.0.1:0")
    }

    /// Start on a specific address (usable outside any runtime).
    pub fn bind(addr: impl ToSocketAddrs) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(server::Shared::new());
        let app = server::router(shared.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        std::thread::Builder::new().name(format!("model-stub-{}", addr.port())).spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => return tracing::error!("model-stub: listener setup failed: {e}"),
                };
                tokio::select! {
                    result = axum::serve(listener, app) => {
                        if let Err(e) = result {
                            tracing::error!("model-stub: server stopped: {e}");
                        }
                    }
                    _ = stopped => {}
                }
            });
            // Dropping the runtime here cancels in-flight (e.g. stalled) streams.
        })?;
        Ok(Self { addr, shared, _shutdown: shutdown })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without `/v1` (Claude appends `/v1/messages`
    /// itself; Codex and OpenCode base URLs need `{url}/v1`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queue one reply for the next agent turn.
    pub fn push(&self, reply: Reply) {
        self.script().push_back(reply);
    }

    /// Queue several replies in order.
    pub fn extend(&self, replies: impl IntoIterator<Item = Reply>) {
        self.script().extend(replies);
    }

    /// Scripted replies not yet consumed.
    pub fn pending(&self) -> usize {
        self.script().len()
    }

    /// Every request received so far, in arrival order (including `HEAD /`,
    /// side requests and errors).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Only the agent-loop turns: model API requests that were not side
    /// requests.
    pub fn turns(&self) -> Vec<RecordedRequest> {
        self.requests().into_iter().filter(|r| r.api.is_model() && !r.side).collect()
    }

    /// Wait until at least `n` requests (of any kind) have been recorded.
    pub async fn wait_for_requests(&self, n: usize, timeout: Duration) -> Result<Vec<RecordedRequest>, WaitTimeout> {
        self.wait_until(timeout, |requests| requests.len() >= n).await
    }

    /// Wait until at least `n` agent-loop turns (see [`ModelStub::turns`])
    /// have been recorded; returns all recorded requests. Preferable to
    /// [`ModelStub::wait_for_requests`] for agents that interleave `HEAD /`
    /// or title-generation requests.
    pub async fn wait_for_turns(&self, n: usize, timeout: Duration) -> Result<Vec<RecordedRequest>, WaitTimeout> {
        self.wait_until(timeout, |requests| requests.iter().filter(|r| r.api.is_model() && !r.side).count() >= n).await
    }

    /// Wait until `done` holds for the recorded requests; returns them.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        done: impl Fn(&[RecordedRequest]) -> bool,
    ) -> Result<Vec<RecordedRequest>, WaitTimeout> {
        let mut changes = self.shared.recorded.subscribe();
        let wait = async {
            loop {
                // Mark the current count seen *before* checking, so a request
                // recorded in between still wakes `changed()`.
                changes.borrow_and_update();
                let requests = self.requests();
                if done(&requests) {
                    return requests;
                }
                if changes.changed().await.is_err() {
                    // Sender lives in `shared`, which we hold: unreachable,
                    // but never spin if it happens.
                    std::future::pending::<()>().await;
                }
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .map_err(|_| WaitTimeout { timeout, seen: self.requests().iter().map(RecordedRequest::summary).collect() })
    }

    fn script(&self) -> std::sync::MutexGuard<'_, std::collections::VecDeque<Reply>> {
        self.shared.script.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `wait_*` gave up; lists what did arrive, to make the failure readable.
#[derive(Debug, Clone)]
pub struct WaitTimeout {
    pub timeout: Duration,
    /// One line per recorded request: `METHOD PATH -> STATUS (Api …)`.
    pub seen: Vec<String>,
}

impl fmt::Display for WaitTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "model-stub: timed out after {:?}; {} request(s) recorded", self.timeout, self.seen.len())?;
        for line in &self.seen {
            write!(f, "\n  {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for WaitTimeout {}
