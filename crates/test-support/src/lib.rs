//! What the workspace's tests share, so `cli`, `install`, `bench` and the SDK's tests drive the
//! daemon and check its answers the same way:
//!
//! - [`daemon`]: the real `sandbox-agent` binary on a free port with a data dir, a home and an
//!   agents dir of its own; kill, stop, restart on the same data.
//! - [`events`]: turns, SSE reads and paging with a timeout on every wait, and
//!   [`check_contract`], the universal event contract over a run of events.
//! - [`git`]: real git repositories made by a test, served over `file://` and smart HTTP
//!   (optionally private behind a token).
//! - [`nats`]: a real `nats-server` with JetStream on loopback, killed and restarted at will.
//! - [`registry`]: an in-process npm registry and npm-style tarballs.
//!
//! Only ever a dev-dependency.

pub mod daemon;
pub mod events;
pub mod git;
pub mod nats;
pub mod procs;
pub mod registry;

pub use daemon::*;
pub use events::*;

/// A valid 1×1 PNG, for attachment tests (agents that decode images refuse garbage).
pub fn tiny_png() -> Vec<u8> {
    use base64::Engine;
    const PNG: &str =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    base64::engine::general_purpose::STANDARD.decode(PNG).unwrap()
}

/// `bytes` as an inline attachment named `name`.
pub fn inline_attachment(name: &str, bytes: &[u8]) -> sandbox_agent_schema::MessageAttachment {
    use base64::Engine;
    let content_base64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    sandbox_agent_schema::MessageAttachment::Inline { name: name.into(), mime: None, content_base64 }
}
