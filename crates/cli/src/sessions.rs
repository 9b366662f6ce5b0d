//! `sandbox-agent api sessions <verb>`: one subcommand per session endpoint, coder ones included.

use clap::{Args, Subcommand};
use futures_util::StreamExt;
use sandbox_agent_client::{Client, ClientError, EventStream, SseOptions};
use sandbox_agent_schema::*;
use serde_json::Value;

use crate::api::{parse_env, usage};
use crate::output::{print_event, print_participants, print_session, print_sessions, print_transcript, wire, Out};

#[derive(Args)]
pub(crate) struct StreamArgs {
    /// Include the agent's native payload in `raw`.
    #[arg(long)]
    include_raw: bool,
    /// Event type patterns, comma-separated (`item.*,turn.ended`).
    #[arg(short, long, value_delimiter = ',')]
    subscribe: Vec<String>,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once")]
pub enum SessionsCmd {
    /// GET /v1/sessions (filters and paging)
    List {
        /// Only sessions with this tag (repeatable: all must match).
        #[arg(long = "tag")]
        tags: Vec<String>,
        #[arg(long)]
        label: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        agent: Option<String>,
        /// A substring of the label or the task.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        include_archived: bool,
        #[arg(long)]
        limit: Option<u64>,
        #[arg(long)]
        offset: Option<u64>,
    },
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
        /// MCP servers for the agent: a JSON file of `{NAME: {"type": "stdio", …} | {"type": "http", …}}`.
        #[arg(long, value_name = "FILE")]
        mcp_config: Option<std::path::PathBuf>,
        /// A skill folder (`SKILL.md` with `name` and `description` frontmatter, files beside it); repeatable.
        #[arg(long = "skill", value_name = "DIR")]
        skills: Vec<std::path::PathBuf>,
        #[command(flatten)]
        coder: CoderArgs,
    },
    /// PATCH /v1/sessions/{id}
    Update {
        id: String,
        #[arg(long)]
        label: Option<String>,
        /// Replace the tags (repeatable; `--tag ''` alone clears them).
        #[arg(long = "tag")]
        tags: Option<Vec<String>>,
        /// Replace the metadata with these KEY=VALUE pairs (repeatable).
        #[arg(long = "meta", value_parser = parse_env)]
        meta: Vec<(String, String)>,
        /// Clear the metadata.
        #[arg(long, conflicts_with = "meta")]
        clear_meta: bool,
    },
    /// POST /v1/sessions/{id}/archive
    Archive { id: String },
    /// POST /v1/sessions/{id}/resume
    Resume { id: String },
    /// GET /v1/sessions/{id}/result
    Result { id: String },
    /// GET /v1/sessions/{id}/loop
    Loop { id: String },
    /// GET /v1/sessions/{id}/artifacts
    Artifacts { id: String },
    /// GET /v1/sessions/{id}/artifacts/{name} (to stdout, or --out FILE)
    Artifact {
        id: String,
        name: String,
        #[arg(short, long)]
        out: Option<std::path::PathBuf>,
    },
    /// GET /v1/sessions/{id}/transcript
    Transcript {
        id: String,
        #[arg(short, long)]
        offset: Option<u64>,
        #[arg(short, long)]
        limit: Option<u64>,
    },
    /// GET /v1/sessions/{id}/participants
    Participants { id: String },
    #[command(subcommand)]
    Tokens(TokensCmd),
    /// GET /v1/sessions/{id}
    Get { id: String },
    /// DELETE /v1/sessions/{id}
    Delete { id: String },
    /// POST /v1/sessions/{id}/messages
    SendMessage {
        id: String,
        #[arg(short, long)]
        message: String,
        #[command(flatten)]
        attach: AttachArgs,
    },
    /// POST /v1/sessions/{id}/messages/stream (prints the turn's events)
    SendMessageStream {
        id: String,
        #[arg(short, long)]
        message: String,
        #[command(flatten)]
        attach: AttachArgs,
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
        /// Only these event types, comma-separated patterns (`task.*,setup.*`).
        #[arg(long = "type")]
        types: Option<String>,
    },
    /// GET /v1/sessions/{id}/events/sse (prints events until the session ends)
    EventsSse {
        id: String,
        #[arg(short, long)]
        offset: Option<u64>,
        /// The name this stream goes by among the session's participants.
        #[arg(long)]
        participant: Option<String>,
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

/// The coder fields of `sessions create`.
#[derive(Args)]
pub struct CoderArgs {
    /// The task: sent as the first message once the workspace is ready.
    #[arg(long)]
    task: Option<String>,
    #[arg(long)]
    label: Option<String>,
    /// A repository to clone, URL[#branch] (repeatable).
    #[arg(long = "repo")]
    repos: Vec<String>,
    /// Pin the (only) repo to this commit.
    #[arg(long, requires = "repos")]
    commit: Option<String>,
    /// A token for cloning the repos (over HTTP(S)); used once, never stored.
    #[arg(long, env = "SANDBOX_AGENT_REPO_TOKEN", hide_env_values = true)]
    repo_token: Option<String>,
    /// A setup command, run with `sh -c` in the workspace (repeatable, in order).
    #[arg(long)]
    setup: Vec<String>,
    #[arg(long)]
    setup_timeout_ms: Option<u64>,
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Metadata KEY=VALUE (repeatable; values are strings).
    #[arg(long = "meta", value_parser = parse_env)]
    meta: Vec<(String, String)>,
    #[arg(long, value_parser = ["standard", "loop"])]
    workflow_mode: Option<String>,
}

impl CoderArgs {
    fn apply(self, req: &mut CreateSessionRequest) -> Result<(), String> {
        req.task = self.task;
        req.label = self.label;
        let token = self.repo_token;
        req.repos = self
            .repos
            .iter()
            .map(|raw| {
                let (url, branch) = match raw.rsplit_once('#') {
                    Some((url, branch)) => (url.to_string(), Some(branch.to_string())),
                    None => (raw.clone(), None),
                };
                let auth = token.clone().map(|token| RepoAuth { token });
                RepoRequest { url, branch, auth, ..Default::default() }
            })
            .collect();
        if let Some(commit) = self.commit {
            match req.repos.as_mut_slice() {
                [only] => only.commit = Some(commit),
                _ => return Err("--commit needs exactly one --repo".into()),
            }
        }
        req.setup = self.setup;
        req.setup_timeout_ms = self.setup_timeout_ms;
        req.tags = self.tags;
        req.metadata = metadata(self.meta);
        req.workflow_mode = self
            .workflow_mode
            .map(|m| serde_json::from_value(Value::String(m)).map_err(|e| e.to_string()))
            .transpose()?;
        Ok(())
    }
}

fn metadata(pairs: Vec<(String, String)>) -> Option<JsonObject> {
    (!pairs.is_empty()).then(|| pairs.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
}

#[derive(Subcommand)]
pub enum TokensCmd {
    /// POST /v1/sessions/{id}/tokens (prints the token)
    Create {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["observer", "controller"])]
        role: String,
        #[arg(long)]
        ttl_seconds: Option<u64>,
    },
    /// DELETE /v1/sessions/{id}/tokens/{participant_id}
    Revoke { id: String, participant_id: String },
}

pub async fn run(client: &Client, out: Out, cmd: SessionsCmd) -> Result<(), ClientError> {
    match cmd {
        SessionsCmd::List { tags, label, status, agent, search, include_archived, limit, offset } => {
            let query = SessionListQuery {
                tag: (!tags.is_empty()).then_some(tags),
                label,
                status,
                agent,
                search,
                include_archived: include_archived.then_some(true),
                limit,
                offset,
            };
            let list = client.list_sessions(&query).await?;
            out.value(&list, |l| match l.sessions.len() as u64 {
                0 if l.total == 0 => "no sessions".to_string(),
                0 => format!("none past {} ({} in all)", l.offset, l.total),
                n => format!("{}\n({}-{} of {})", print_sessions(&l.sessions), l.offset + 1, l.offset + n, l.total),
            });
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
            mcp_config,
            skills,
            coder,
        } => {
            let env = env.into_iter().collect();
            let mcp = match mcp_config {
                Some(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| usage(format!("{}: {e}", path.display())))?;
                    serde_json::from_str(&text).map_err(|e| usage(format!("{}: {e}", path.display())))?
                }
                None => Default::default(),
            };
            let skills = skills.iter().map(|dir| crate::skills::read(dir)).collect::<Result<_, _>>().map_err(usage)?;
            let mut req = CreateSessionRequest {
                agent,
                agent_mode,
                permission_mode,
                model,
                variant,
                agent_version,
                directory,
                title,
                env,
                mcp,
                skills,
                ..Default::default()
            };
            coder.apply(&mut req).map_err(usage)?;
            let created = match id {
                Some(id) => client.create_session_with_id(&id, &req).await?,
                None => client.create_session(&req).await?,
            };
            out.value(&created, |c| c.session_id.clone());
        }
        SessionsCmd::Update { id, label, tags, meta, clear_meta } => {
            let tags = tags.map(|t| t.into_iter().filter(|t| !t.is_empty()).collect());
            let metadata = if clear_meta { Some(None) } else { (!meta.is_empty()).then(|| metadata(meta)) };
            let req = UpdateSessionRequest { label, tags, metadata };
            out.value(&client.update_session(&id, &req).await?, print_session);
        }
        SessionsCmd::Archive { id } => out.value(&client.archive_session(&id).await?, |r| r.status.as_str().into()),
        SessionsCmd::Resume { id } => out.value(&client.resume_session(&id).await?, |r| r.status.as_str().into()),
        SessionsCmd::Transcript { id, offset, limit } => {
            let page = client.transcript(&id, &TranscriptQuery { offset, limit }).await?;
            out.value(&page, print_transcript);
        }
        SessionsCmd::Result { id } => out.value(&client.result(&id).await?, |r| {
            let mut lines = vec![format!("{}  {} (check {})", wire(&r.status), r.path, r.iteration)];
            lines.extend(r.validation.errors.iter().map(|e| format!("  {}: {}", wire(&e.kind), e.message)));
            if let Some(v) = &r.verification {
                let end = v.exit_code.map_or_else(|| "no exit code".to_string(), |c| format!("exit {c}"));
                lines.push(format!("  verification `{}`: {end} in {} ms", v.command, v.duration_ms));
            }
            lines.join("\n")
        }),
        SessionsCmd::Artifacts { id } => out.value(&client.artifacts(&id).await?, |r| {
            r.artifacts
                .iter()
                .map(|a| format!("{}\t{}\t{}", a.name, a.size, a.created_at))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        SessionsCmd::Artifact { id, name, out: file } => {
            let bytes = client.artifact(&id, &name).await?;
            let written = match &file {
                Some(path) => std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display())),
                None => std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes).map_err(|e| e.to_string()),
            };
            written.map_err(|e| crate::api::usage(format!("writing: {e}")))?;
        }
        SessionsCmd::Loop { id } => out.value(&client.loop_state(&id).await?, |r| match &r.loop_ {
            None => format!("{} does not loop ({})", r.session_id, wire(&r.workflow_mode)),
            Some(l) => {
                let mut line = format!("{}  iteration {} of {}", wire(&l.status), l.iteration, l.max_iterations);
                if let Some(summary) = &l.summary {
                    line.push_str(&format!("\n  {summary}"));
                }
                if let Some(next) = &l.next_action {
                    line.push_str(&format!("\n  next: {next}"));
                }
                line
            }
        }),
        SessionsCmd::Participants { id } => {
            out.value(&client.participants(&id).await?, |r| print_participants(&r.participants))
        }
        SessionsCmd::Tokens(TokensCmd::Create { id, name, role, ttl_seconds }) => {
            let role: ParticipantRole =
                serde_json::from_value(Value::String(role)).map_err(|e| usage(e.to_string()))?;
            let created = client.create_token(&id, &TokenRequest { name, role, ttl_seconds }).await?;
            out.value(&created, |t| format!("{}\nparticipant {} until {}", t.token, t.participant_id, t.expires_at));
        }
        SessionsCmd::Tokens(TokensCmd::Revoke { id, participant_id }) => {
            client.revoke_token(&id, &participant_id).await?;
            out.done(&format!("revoked {participant_id}"));
        }
        SessionsCmd::Get { id } => out.value(&client.get_session(&id).await?, print_session),
        SessionsCmd::Delete { id } => {
            client.delete_session(&id).await?;
            out.done(&format!("deleted {id}"));
        }
        SessionsCmd::SendMessage { id, message, attach } => {
            client.send_message(&id, attach.request(message).map_err(usage)?).await?;
            out.done("sent");
        }
        SessionsCmd::SendMessageStream { id, message, attach, stream } => {
            let opts =
                SseOptions { include_raw: stream.include_raw, subscribe: stream.subscribe, ..Default::default() };
            drain(out, client.send_message_stream(&id, attach.request(message).map_err(usage)?, &opts).await?).await?;
        }
        SessionsCmd::Interrupt { id } => {
            client.interrupt(&id).await?;
            out.done("interrupted");
        }
        SessionsCmd::Terminate { id } => {
            client.terminate(&id).await?;
            out.done("terminated");
        }
        SessionsCmd::Events { id, offset, limit, include_raw, types } => {
            let query = EventsQuery { offset, limit, include_raw: include_raw.then_some(true), type_: types };
            let page = client.events(&id, &query).await?;
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
        SessionsCmd::EventsSse { id, offset, participant, stream } => {
            let opts = SseOptions {
                offset,
                include_raw: stream.include_raw,
                subscribe: stream.subscribe,
                participant,
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

/// Files to send with a message.
#[derive(clap::Args, Debug, Default)]
pub struct AttachArgs {
    /// A file already in the session's reach (relative to its workspace); repeatable.
    #[arg(long = "attach", value_name = "PATH")]
    paths: Vec<String>,
    /// A local file whose bytes are sent (it lands in the workspace's `attachments/`); repeatable.
    #[arg(long = "attach-file", value_name = "FILE")]
    files: Vec<std::path::PathBuf>,
}

impl AttachArgs {
    /// The request, or why a local file could not be read.
    fn request(self, message: String) -> Result<MessageRequest, String> {
        use base64::Engine;
        let mut attachments: Vec<MessageAttachment> =
            self.paths.into_iter().map(|path| MessageAttachment::Path { path, mime: None }).collect();
        for file in self.files {
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let content_base64 = base64::engine::general_purpose::STANDARD.encode(bytes);
            attachments.push(MessageAttachment::Inline { name, mime: None, content_base64 });
        }
        Ok(MessageRequest { message, attachments })
    }
}
