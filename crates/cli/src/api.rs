//! `sandbox-agent api <resource> <verb>`: one subcommand per HTTP endpoint, same names.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use futures_util::StreamExt;
use sandbox_agent_client::{Client, ClientError, EventStream, SseOptions, DEFAULT_ENDPOINT};
use sandbox_agent_schema::*;
use serde_json::Value;

use crate::output::{print_event, print_session, print_sessions, Out};

#[derive(Args)]
pub struct ApiArgs {
    /// Daemon base URL.
    #[arg(short, long, global = true, env = "SANDBOX_AGENT_ENDPOINT", default_value = DEFAULT_ENDPOINT)]
    endpoint: String,
    /// Bearer token.
    #[arg(short, long, global = true, env = "SANDBOX_AGENT_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Print JSON (one document, or one event per line for streams) instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    resource: Resource,
}

#[derive(Subcommand)]
enum Resource {
    /// GET /v1/health
    Health,
    /// GET /v1/openapi.json
    Openapi,
    #[command(subcommand)]
    Agents(AgentsCmd),
    #[command(subcommand)]
    Sessions(SessionsCmd),
}

#[derive(Subcommand)]
enum AgentsCmd {
    /// GET /v1/agents
    List,
    /// POST /v1/agents/{agent}/install
    Install {
        agent: String,
        #[arg(short, long)]
        reinstall: bool,
        #[arg(long)]
        version: Option<String>,
    },
    /// GET /v1/agents/{agent}/modes
    Modes { agent: String },
    /// GET /v1/agents/{agent}/models
    Models { agent: String },
}

#[derive(Args)]
struct StreamArgs {
    /// Include the agent's native payload in `raw`.
    #[arg(long)]
    include_raw: bool,
    /// Event type patterns, comma-separated (`item.*,turn.ended`).
    #[arg(short, long, value_delimiter = ',')]
    subscribe: Vec<String>,
}

#[derive(Subcommand)]
enum SessionsCmd {
    /// GET /v1/sessions
    List,
    /// POST /v1/sessions (or /v1/sessions/{id} when ID is given)
    Create {
        id: Option<String>,
        #[arg(short, long)]
        agent: String,
        #[arg(short = 'g', long)]
        agent_mode: Option<String>,
        #[arg(short, long)]
        permission_mode: Option<String>,
        #[arg(short, long)]
        model: Option<String>,
        #[arg(short, long)]
        variant: Option<String>,
        #[arg(short = 'A', long)]
        agent_version: Option<String>,
        #[arg(short, long)]
        directory: Option<String>,
        #[arg(long)]
        title: Option<String>,
        /// Extra environment for the agent, KEY=VALUE (repeatable).
        #[arg(short = 'E', long = "env", value_parser = parse_env)]
        env: Vec<(String, String)>,
    },
    /// GET /v1/sessions/{id}
    Get { id: String },
    /// DELETE /v1/sessions/{id}
    Delete { id: String },
    /// POST /v1/sessions/{id}/messages
    SendMessage {
        id: String,
        #[arg(short, long)]
        message: String,
    },
    /// POST /v1/sessions/{id}/messages/stream (prints the turn's events)
    SendMessageStream {
        id: String,
        #[arg(short, long)]
        message: String,
        #[command(flatten)]
        stream: StreamArgs,
    },
    /// POST /v1/sessions/{id}/interrupt
    Interrupt { id: String },
    /// POST /v1/sessions/{id}/terminate
    Terminate { id: String },
    /// GET /v1/sessions/{id}/events
    #[command(alias = "get-messages")]
    Events {
        id: String,
        #[arg(short, long)]
        offset: Option<u64>,
        #[arg(short, long)]
        limit: Option<u64>,
        #[arg(long)]
        include_raw: bool,
    },
    /// GET /v1/sessions/{id}/events/sse (prints events until the session ends)
    EventsSse {
        id: String,
        #[arg(short, long)]
        offset: Option<u64>,
        #[command(flatten)]
        stream: StreamArgs,
    },
    /// POST /v1/sessions/{id}/questions/{question_id}/reply
    ReplyQuestion {
        id: String,
        question_id: String,
        /// JSON array of arrays of option labels, e.g. '[["Red"]]'.
        #[arg(short, long)]
        answers: String,
    },
    /// POST /v1/sessions/{id}/questions/{question_id}/reject
    RejectQuestion { id: String, question_id: String },
    /// POST /v1/sessions/{id}/permissions/{permission_id}/reply
    ReplyPermission {
        id: String,
        permission_id: String,
        #[arg(short, long, value_parser = ["once", "always", "reject"])]
        reply: String,
    },
}

pub async fn run(args: ApiArgs) -> ExitCode {
    let client = Client::new(args.endpoint, args.token);
    let out = Out { json: args.json };
    match dispatch(&client, out, args.resource).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(ClientError::Api(problem)) => {
            eprintln!("{}", serde_json::to_string_pretty(&problem).unwrap_or_default());
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn parse_env(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got {raw:?}")),
    }
}

fn usage(msg: String) -> ClientError {
    ClientError::Decode(msg)
}

async fn dispatch(client: &Client, out: Out, resource: Resource) -> Result<(), ClientError> {
    match resource {
        Resource::Health => out.value(&client.health().await?, |h| h.status.clone()),
        Resource::Openapi => out.json_only(&client.openapi().await?),
        Resource::Agents(cmd) => agents(client, out, cmd).await?,
        Resource::Sessions(cmd) => sessions(client, out, cmd).await?,
    }
    Ok(())
}

async fn agents(client: &Client, out: Out, cmd: AgentsCmd) -> Result<(), ClientError> {
    match cmd {
        AgentsCmd::List => out.value(&client.list_agents().await?, |list| {
            list.agents
                .iter()
                .map(|a| {
                    let state = if a.installed {
                        a.version.clone().unwrap_or_else(|| "installed".into())
                    } else {
                        "not installed".into()
                    };
                    let mut line = format!("{:<10} {state}", a.id);
                    if let (Some(source), Some(path)) = (a.source, &a.path) {
                        line.push_str(&format!(
                            " ({} {path})",
                            serde_json::to_value(source).unwrap_or_default().as_str().unwrap_or("")
                        ));
                    }
                    if let Some(warning) = &a.warning {
                        line.push_str(&format!("\n           warning: {warning}"));
                    }
                    line
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        AgentsCmd::Install { agent, reinstall, version } => {
            let req = AgentInstallRequest { reinstall: reinstall.then_some(true), version };
            client.install_agent(&agent, &req).await?;
            out.done(&format!("{agent} installed"));
        }
        AgentsCmd::Modes { agent } => out.value(&client.agent_modes(&agent).await?, |m| {
            m.modes.iter().map(|m| format!("{:<10} {}", m.id, m.description)).collect::<Vec<_>>().join("\n")
        }),
        AgentsCmd::Models { agent } => out.value(&client.agent_models(&agent).await?, print_models),
    }
    Ok(())
}

/// One line per model: id (`*` marks the default), name, variants.
fn print_models(list: &AgentModelsResponse) -> String {
    let mut lines: Vec<String> = list
        .models
        .iter()
        .map(|m| {
            let mark = if m.default { "*" } else { " " };
            let variants = if m.variants.is_empty() { String::new() } else { format!("  [{}]", m.variants.join(", ")) };
            format!("{mark} {:<28} {}{variants}", m.id, m.name)
        })
        .collect();
    if let Some(note) = &list.note {
        lines.push(note.clone());
    }
    lines.join("\n")
}

async fn sessions(client: &Client, out: Out, cmd: SessionsCmd) -> Result<(), ClientError> {
    match cmd {
        SessionsCmd::List => {
            let list = client.list_sessions().await?;
            out.value(&list, |l| print_sessions(&l.sessions));
        }
        SessionsCmd::Create {
            id,
            agent,
            agent_mode,
            permission_mode,
            model,
            variant,
            agent_version,
            directory,
            title,
            env,
        } => {
            let env = env.into_iter().collect();
            let req = CreateSessionRequest {
                agent,
                agent_mode,
                permission_mode,
                model,
                variant,
                agent_version,
                directory,
                title,
                env,
            };
            let created = match id {
                Some(id) => client.create_session_with_id(&id, &req).await?,
                None => client.create_session(&req).await?,
            };
            out.value(&created, |c| c.session_id.clone());
        }
        SessionsCmd::Get { id } => out.value(&client.get_session(&id).await?, print_session),
        SessionsCmd::Delete { id } => {
            client.delete_session(&id).await?;
            out.done(&format!("deleted {id}"));
        }
        SessionsCmd::SendMessage { id, message } => {
            client.send_message(&id, &message).await?;
            out.done("sent");
        }
        SessionsCmd::SendMessageStream { id, message, stream } => {
            let opts =
                SseOptions { include_raw: stream.include_raw, subscribe: stream.subscribe, ..Default::default() };
            drain(out, client.send_message_stream(&id, &message, &opts).await?).await?;
        }
        SessionsCmd::Interrupt { id } => {
            client.interrupt(&id).await?;
            out.done("interrupted");
        }
        SessionsCmd::Terminate { id } => {
            client.terminate(&id).await?;
            out.done("terminated");
        }
        SessionsCmd::Events { id, offset, limit, include_raw } => {
            let page =
                client.events(&id, &EventsQuery { offset, limit, include_raw: include_raw.then_some(true) }).await?;
            if out.json {
                out.json_only(&page);
            } else {
                for ev in &page.events {
                    print_event(ev);
                }
                if page.has_more {
                    println!("… more after sequence {}", page.events.last().map_or(0, |e| e.sequence));
                }
            }
        }
        SessionsCmd::EventsSse { id, offset, stream } => {
            let opts = SseOptions {
                offset,
                include_raw: stream.include_raw,
                subscribe: stream.subscribe,
                ..Default::default()
            };
            drain(out, client.events_sse(&id, &opts).await?).await?;
        }
        SessionsCmd::ReplyQuestion { id, question_id, answers } => {
            let answers: Vec<Vec<String>> = serde_json::from_str(&answers)
                .map_err(|e| usage(format!("--answers must be a JSON array of arrays of strings: {e}")))?;
            client.reply_question(&id, &question_id, answers).await?;
            out.done("answered");
        }
        SessionsCmd::RejectQuestion { id, question_id } => {
            client.reject_question(&id, &question_id).await?;
            out.done("rejected");
        }
        SessionsCmd::ReplyPermission { id, permission_id, reply } => {
            let reply: PermissionReply =
                serde_json::from_value(Value::String(reply)).map_err(|e| usage(e.to_string()))?;
            client.reply_permission(&id, &permission_id, reply).await?;
            out.done("replied");
        }
    }
    Ok(())
}

/// Print a stream's events as they come, one per line.
async fn drain(out: Out, mut stream: EventStream) -> Result<(), ClientError> {
    while let Some(ev) = stream.next().await {
        let ev = ev?;
        if out.json {
            println!("{}", serde_json::to_string(&ev).unwrap_or_default());
        } else {
            print_event(&ev);
        }
    }
    Ok(())
}
