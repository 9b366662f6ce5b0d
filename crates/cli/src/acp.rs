//! `sandbox-agent api acp <verb>`: ACP over HTTP, by hand: post a JSON-RPC message, follow the
//! connection's stream, list and close connections.

use clap::Subcommand;
use futures_util::StreamExt;
use sandbox_agent_client::{Client, ClientError};

use crate::api::usage;
use crate::output::Out;

#[derive(Subcommand)]
pub enum AcpCmd {
    /// GET /v1/acp
    List,
    /// POST /v1/acp/{serverId}: one JSON-RPC message; prints the response (nothing for 202)
    Post {
        server: String,
        /// The JSON-RPC message (`-` reads it from stdin).
        message: String,
        /// The connection's agent, when this message makes it.
        #[arg(short, long)]
        agent: Option<String>,
    },
    /// GET /v1/acp/{serverId}: the connection's messages, one JSON line each (`id` and `message`)
    Events {
        server: String,
        /// Resume after this sequence.
        #[arg(long)]
        last_event_id: Option<u64>,
    },
    /// DELETE /v1/acp/{serverId}
    Close { server: String },
}

pub async fn run(client: &Client, out: Out, cmd: AcpCmd) -> Result<(), ClientError> {
    match cmd {
        AcpCmd::List => out.value(&client.list_acp_servers().await?, |l| {
            let line = |s: &sandbox_agent_schema::AcpServerInfo| {
                format!(
                    "{} {} sessions [{}] last event {}",
                    s.server_id,
                    s.agent,
                    s.session_ids.join(", "),
                    s.last_event_id
                )
            };
            l.servers.iter().map(line).collect::<Vec<_>>().join("\n")
        }),
        AcpCmd::Post { server, message, agent } => {
            let text = if message == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(|e| usage(e.to_string()))?
            } else {
                message
            };
            let message: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| usage(format!("the message: {e}")))?;
            if let Some(response) = client.post_acp(&server, agent.as_deref(), &message).await? {
                println!("{response}");
            }
        }
        AcpCmd::Events { server, last_event_id } => {
            let mut stream = client.acp_events(&server, last_event_id).await?;
            while let Some(item) = stream.next().await {
                let item = item?;
                println!("{}", serde_json::json!({"id": item.id, "message": item.message}));
            }
        }
        AcpCmd::Close { server } => {
            client.close_acp(&server).await?;
            out.done(&format!("{server} closed"));
        }
    }
    Ok(())
}
