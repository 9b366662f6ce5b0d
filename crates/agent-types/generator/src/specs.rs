//! What is generated for each agent: the input schemas and the root types the converters read.

/// A union the converters dispatch on: its members are told apart by the string values of
/// `keys` (`type`, `subtype`, `method`).
pub struct Union {
    /// The definition holding the union (`anyOf` / `oneOf`); a file's root is named by its title.
    pub def: &'static str,
    pub keys: &'static [&'static str],
    /// The member's payload is this property (`params` of a JSON-RPC message) rather than the
    /// whole object; the variant is then named after the discriminator value.
    pub payload: Option<&'static str>,
}

/// A definition replaced before generation, where the pinned agent sends what its own pinned
/// schema does not allow (each one found by a recorded transcript failing to parse).
pub struct Patch {
    pub def: &'static str,
    /// The replacement schema (JSON).
    pub schema: &'static str,
    /// Why, with the evidence.
    pub why: &'static str,
}

pub struct Spec {
    /// Output module: `crates/agent-types/src/<module>.rs`.
    pub module: &'static str,
    pub doc: &'static str,
    /// Schema files, relative to the repository root.
    pub inputs: &'static [&'static str],
    pub unions: Vec<Union>,
    /// Other definitions the converters deserialize directly (responses to our requests).
    pub roots: &'static [&'static str],
    pub patches: &'static [Patch],
}

pub fn all() -> Vec<Spec> {
    vec![
        Spec {
            module: "claude",
            doc: "Claude Code stream-json stdout lines (`claude -p --output-format stream-json`), from the Claude Agent SDK's `sdk.d.ts`.",
            inputs: &["resources/agent-schemas/claude/stdout-line.schema.json"],
            unions: vec![Union { def: "StdoutLine", keys: &["type", "subtype"], payload: None }],
            roots: &[],
            patches: &[Patch {
                def: "ApiKeySource",
                schema: r#"{"type": "string"}"#,
                why: "the SDK allows user, project, org, temporary and oauth, but claude 2.1.197 reports where the key came from, e.g. \"ANTHROPIC_API_KEY\" (every resources/transcripts/claude-* system/init line)",
            }],
        },
        Spec {
            module: "codex",
            doc: "Codex `app-server` messages, from `codex app-server generate-json-schema`.",
            inputs: &[
                "resources/agent-schemas/codex/app-server/ServerNotification.json",
                "resources/agent-schemas/codex/app-server/ServerRequest.json",
                "resources/agent-schemas/codex/app-server/InitializeResponse.json",
                "resources/agent-schemas/codex/app-server/ThreadStartResponse.json",
                "resources/agent-schemas/codex/app-server/ThreadResumeResponse.json",
                "resources/agent-schemas/codex/app-server/TurnStartResponse.json",
            ],
            unions: vec![
                Union { def: "ServerNotification", keys: &["method"], payload: Some("params") },
                Union { def: "ServerRequest", keys: &["method"], payload: Some("params") },
            ],
            roots: &["InitializeResponse", "ThreadStartResponse", "ThreadResumeResponse", "TurnStartResponse"],
            patches: &[],
        },
        Spec {
            module: "codex_exec",
            doc: "`codex exec --json` stdout lines, from the Codex SDK's `index.d.ts` (`ThreadEvent`).",
            inputs: &["resources/agent-schemas/codex/exec/thread-event.schema.json"],
            unions: vec![Union { def: "ThreadEvent", keys: &["type"], payload: None }],
            roots: &[],
            patches: &[Patch {
                def: "PatchApplyStatus",
                schema: r#"{"enum": ["in_progress", "completed", "failed"], "type": "string"}"#,
                why: "the SDK 0.163 type has completed and failed only; codex 0.169 starts a file change with \"in_progress\" (resources/transcripts/codex-exec-json-apply-patch.jsonl; codex-rs exec_events.rs has InProgress)",
            }],
        },
        Spec {
            module: "acp",
            doc: "Agent Client Protocol messages an agent sends (session updates, its requests to the client, the answers to ours), from the ACP schema `@agentclientprotocol/sdk` ships (`schema/v1/schema.json`).",
            inputs: &["resources/agent-schemas/acp/schema.json"],
            unions: vec![Union { def: "SessionUpdate", keys: &["sessionUpdate"], payload: None }],
            roots: &[
                "SessionNotification",
                "RequestPermissionRequest",
                "ReadTextFileRequest",
                "WriteTextFileRequest",
                "CreateTerminalRequest",
                "TerminalOutputRequest",
                "WaitForTerminalExitRequest",
                "KillTerminalRequest",
                "ReleaseTerminalRequest",
                "InitializeResponse",
                "NewSessionResponse",
                "LoadSessionResponse",
                "ResumeSessionResponse",
                "PromptResponse",
            ],
            patches: &[],
        },
        Spec {
            module: "opencode",
            doc: "OpenCode server events (`GET /event`), from the OpenAPI document `opencode serve` serves at `/doc`.",
            inputs: &["resources/agent-schemas/opencode/openapi.json"],
            unions: vec![Union { def: "Event", keys: &["type"], payload: None }],
            roots: &[],
            patches: &[],
        },
    ]
}
