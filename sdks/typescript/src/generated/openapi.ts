// Generated from docs/openapi.json by scripts/generate.mjs (`npm run generate`). Do not edit.

export interface paths {
    "/v1/acp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** ACP connections, by id. */
        get: operations["listAcpServers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/acp/{server_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The connection's messages as SSE (`event: message`, `id:` their sequence): what came after
         *     `Last-Event-ID`, then live. Ends when the connection is closed.
         */
        get: operations["getAcpEvents"];
        put?: never;
        /**
         * Send one JSON-RPC message to the connection (made on first use): a request is answered in
         *     the response body (`session/prompt` once its turn ends); a notification or an answer to one
         *     of the daemon's requests gets 202.
         */
        post: operations["postAcp"];
        /** Close the connection: its streams end and pending prompts fail; its sessions stay. */
        delete: operations["closeAcp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every agent the daemon knows (claude, codex, opencode, amp, mock, the built-in ACP agents, then those defined in configuration), with install state and capabilities. */
        get: operations["listAgents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent}/install": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Install (or reinstall) an agent's binary. */
        post: operations["installAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent}/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The models a session of this agent can ask for, as the agent itself reports them (claude
         *     and codex are started for it, OpenCode's server is asked), cached for 10 minutes per agent
         *     binary.
         */
        get: operations["getAgentModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent}/modes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The agent's modes (the first is the default). */
        get: operations["getAgentModes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cluster/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The nodes of this daemon's cluster: alive or not, their load and their sessions. A
         *     standalone daemon lists itself alone.
         */
        get: operations["listClusterNodes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fs/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A directory's entries (links listed as links). */
        get: operations["listFsEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fs/entry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Removes a file, a link (not its target) or an empty directory; `recursive=true` a whole tree. */
        delete: operations["deleteFsEntry"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fs/file": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A file's bytes, streamed (`application/octet-stream`); 413 past `--max-file-bytes`. */
        get: operations["readFsFile"];
        /**
         * The request body's bytes as the file (parents made), written beside it and renamed into
         *     place once complete; 413 past `--max-file-bytes`, and then nothing is left behind.
         */
        put: operations["writeFsFile"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fs/mkdir": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Makes a directory and any missing parents (`created: false` if it was there). */
        post: operations["createFsDirectory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fs/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Renames `from` to `to` (both confined); 409 if `to` exists, unless `overwrite`. */
        post: operations["moveFsEntry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fs/stat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One entry: type, size, time, mode (a link as a link). */
        get: operations["getFsStat"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fs/upload-batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A tar stream (`application/x-tar`) unpacked into the directory `path`: regular files and
         *     directories only, plain relative names only; anything else refuses the archive (422).
         */
        post: operations["uploadFsBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness; never needs the token. On a cluster node it says which node, whether NATS is
         *     reachable, and how many sessions it runs.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API's OpenAPI document (generated from the code). */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run one command to its end in a bubblewrap sandbox (or its deadline, which kills everything
         *     it started) and answer with its exit, bounded output and collected files. With `sessionId`
         *     it runs in that session's workspace and the session records `run.completed`.
         */
        post: operations["runCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/run/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The same run, streamed: `event: stdout` / `event: stderr` (`RunOutputChunk`) as output comes,
         *     then one `event: exit` with the `RunResponse` (its `stdout` and `stderr` empty: they were
         *     streamed), or `event: error` with a problem. Problems found before the command starts are
         *     answered as for `/v1/run`. A client that goes away kills the run.
         */
        post: operations["runCommandStream"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sessions, newest first, filtered and paged (archived ones only with `includeArchived`). */
        get: operations["listSessions"];
        put?: never;
        /** Create a session with a server-chosen id (returned as `sessionId`). */
        post: operations["createSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One session: status, agent, modes, counts, pending requests, timestamps. */
        get: operations["getSession"];
        put?: never;
        /** Create a session with the id in the path. */
        post: operations["createSessionWithId"];
        /** Stop the agent and delete the session with all its events. */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        /**
         * Change the app-level fields: `label`, `tags`, `metadata` (replaced; `null` clears). Recorded as
         *     `session.updated`; any other field is a 422.
         */
        patch: operations["updateSession"];
        trace?: never;
    };
    "/v1/sessions/{session_id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop the agent and put the session away: events and workspace are kept, it is read-only
         *     (messages and replies are 409 `session_archived`) and hidden from the default list.
         */
        post: operations["archiveSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/artifacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session's artifacts, oldest first: `report-<n>.json` for the n-th contract check (the
         *     report as the agent wrote it, byte for byte).
         */
        get: operations["listArtifacts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/artifacts/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One artifact's bytes (`application/json` for a `.json` name, else `application/octet-stream`). */
        get: operations["getArtifact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stored events with `sequence > offset`, ascending. */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/events/sse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events as SSE (`id:` is the sequence): replay after `offset` / `Last-Event-ID`, then live.
         *     Ends after `session.ended`. `: ping` comments keep idle connections open. The attachment is a
         *     participant (`participant.joined` / `participant.left`), named by `participant=` or the
         *     `X-Participant-Name` header.
         */
        get: operations["getEventsSse"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/interrupt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop the running turn (the session stays usable). Returns once the turn has ended. */
        post: operations["interruptSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/loop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Loop mode's state: status, iteration of maxIterations, summary, next action (`loop: null` for
         *     a session that does not loop).
         */
        get: operations["getSessionLoop"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a message; the turn's events arrive on the event stream. A paused session resumes. */
        post: operations["postMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/messages/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a message and stream that turn's events until its `turn.ended`. */
        post: operations["postMessageStream"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/participants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every participant of the session: event stream attachments and token holders, connected or not. */
        get: operations["listParticipants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/permissions/{permission_id}/reply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Allow (`once`, `always`) or deny (`reject`) a permission request. */
        post: operations["replyPermission"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/questions/{question_id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decline to answer a question. */
        post: operations["rejectQuestion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/questions/{question_id}/reply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a question (one array of chosen option labels per question). */
        post: operations["replyQuestion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The last check of the session's output contract: `pending` until the first, then
         *     `completed`, `blocked` or `failed` with the report, its validation and the daemon's own
         *     verification. 404 when the session has no contract.
         */
        get: operations["getSessionResult"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a paused session's agent now (with its native resume) instead of at the next message. */
        post: operations["resumeSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/terminals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The session's terminals, running and exited, oldest first. */
        get: operations["listTerminals"];
        put?: never;
        /** A PTY running `command` (default: an interactive shell) in the session's workspace. */
        post: operations["createTerminal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/terminals/{terminal_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getTerminal"];
        put?: never;
        post?: never;
        /** Kills the terminal's whole process session (SIGKILL) and forgets it. */
        delete: operations["killTerminal"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/terminals/{terminal_id}/ws": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The terminal's WebSocket (subprotocol `sandbox-agent.terminal.v1`): its scrollback, then its
         *     output as it comes; input and `resize` from controllers; `exit` when it ends, then close.
         */
        get: operations["attachTerminal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/terminate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session for good and stop its agent (idempotent). */
        post: operations["terminateSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A token for one session with a role (`observer` reads, `controller` also drives). Shown once;
         *     the daemon keeps only its hash.
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/tokens/{participant_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a session token: it is refused (401) from now on. */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}/transcript": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The conversation derived from the event log: one entry per finished message, thought, tool
         *     call, tool result, file change, status, error and turn end; the same for every agent.
         */
        get: operations["getTranscript"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description One ACP connection (`serverId` is the client's choice). */
        AcpServerInfo: {
            serverId: string;
            /** @description The agent its `session/new` uses unless `_meta["sandbox-agent"].agent` names another. */
            agent: string;
            /** @description The daemon sessions it created or loaded. */
            sessionIds: string[];
            createdAt: string;
            /**
             * Format: int64
             * @description The sequence of its last outbound message (the SSE `id:`).
             */
            lastEventId: number;
        };
        /** @description Response of `GET /v1/acp`. */
        AcpServerList: {
            servers: components["schemas"]["AcpServerInfo"][];
        };
        /**
         * @description What an agent can do through the universal API. A flag is true only where a test shows
         *     the behaviour with that agent.
         */
        AgentCapabilities: {
            /** @description A plan mode that changes how the agent acts. */
            planMode: boolean;
            /** @description `permission.requested` events that wait for a reply. */
            permissions: boolean;
            /** @description `question.requested` events that wait for a reply. */
            questions: boolean;
            toolCalls: boolean;
            toolResults: boolean;
            textMessages: boolean;
            /** @description Images sent with a message reach the model; `image` content parts. */
            images: boolean;
            /** @description Files (other than images) sent with a message reach the agent. */
            fileAttachments: boolean;
            /** @description `session.started` / `session.ended` from the agent. */
            sessionLifecycle: boolean;
            /** @description `error` events. */
            errorEvents: boolean;
            /** @description `reasoning` content parts. */
            reasoning: boolean;
            /** @description Shell command execution shown as tool calls/results. */
            commandExecution: boolean;
            /** @description `file_ref` parts for files the agent changed. */
            fileChanges: boolean;
            mcpTools: boolean;
            /** @description Skills given at create (`skills`) are offered to the model and read by the agent. */
            skills: boolean;
            /** @description Text arrives in `item.delta` pieces while it is generated. */
            streamingDeltas: boolean;
            /** @description `status` items. */
            status: boolean;
            /** @description Native `item.started` events (not only synthesized ones). */
            itemStarted: boolean;
            /** @description One agent process serves several sessions. */
            sharedProcess: boolean;
            /** @description `POST /interrupt` stops the running turn and the session stays usable. */
            interrupt: boolean;
            /** @description The session continues after a daemon restart. */
            resume: boolean;
        };
        AgentInfo: {
            /**
             * @description `claude`, `codex`, `opencode`, `amp`, `mock`, a built-in ACP agent (`opencode-acp`, `codex-acp`) or
             *     one defined in the daemon's agent configuration.
             */
            id: string;
            /** @description A display name, for agents defined in configuration. */
            name?: string | null;
            installed: boolean;
            /** @description The version installed, or what the binary itself reports (`--version`). */
            version?: string | null;
            path?: string | null;
            source?: null | components["schemas"]["AgentSource"];
            /** @description The version this daemon was tested with (what `install` installs by default). */
            pinnedVersion?: string | null;
            /**
             * @description Why the binary might not behave as tested (another version than the pinned one, a
             *     configured path that is not executable). A warning, not a refusal.
             */
            warning?: string | null;
            capabilities: components["schemas"]["AgentCapabilities"];
        };
        /** @description Body of `POST /v1/agents/{agent}/install` (optional; `{}` or no body is fine). */
        AgentInstallRequest: {
            reinstall?: boolean | null;
            version?: string | null;
        };
        AgentListResponse: {
            agents: components["schemas"]["AgentInfo"][];
        };
        AgentModeInfo: {
            id: string;
            name: string;
            description: string;
        };
        /** @description One model an agent offers, as the agent reports it. */
        AgentModelInfo: {
            /** @description What `CreateSessionRequest.model` takes for this model (OpenCode: `provider/model`). */
            id: string;
            /** @description The agent's display name for it. */
            name: string;
            description?: string | null;
            /** @description True for the model a session gets when its request names none. */
            default: boolean;
            /**
             * @description What `CreateSessionRequest.variant` takes with this model: reasoning effort levels
             *     (claude, codex) or OpenCode's variants. Empty when the model has none.
             */
            variants: string[];
            /** @description The variant used when the request names none, where the agent says. */
            defaultVariant?: string | null;
        };
        /** @description Response of `GET /v1/agents/{agent}/models`. */
        AgentModelsResponse: {
            models: components["schemas"]["AgentModelInfo"][];
            /** @description The `id` of the model a session gets when it names none, where the agent says. */
            defaultModel?: string | null;
            /** @description Why the list is empty (amp: Amp's servers pick the model). */
            note?: string | null;
        };
        AgentModesResponse: {
            modes: components["schemas"]["AgentModeInfo"][];
        };
        /**
         * @description Where the daemon found an agent's binary, in the order it looks.
         * @enum {string}
         */
        AgentSource: "builtin" | "configured" | "installed" | "path";
        /** @description Something the daemon could not parse. Always synthetic; tests treat one as a failure. */
        AgentUnparsedData: {
            error: string;
            location: string;
            raw_hash?: string | null;
        };
        /**
         * @description A file a session keeps in the daemon's store, so it outlives the workspace and is served by
         *     every node of a cluster: each checked contract report (`report-<iteration>.json`).
         */
        Artifact: {
            name: string;
            /** Format: int64 */
            size: number;
            createdAt: string;
        };
        /** @description `GET /v1/sessions/{id}/artifacts`: the session's artifacts, oldest first. */
        ArtifactList: {
            sessionId: string;
            artifacts: components["schemas"]["Artifact"][];
        };
        /**
         * @description Limits the daemon enforces on a loop: past one, the loop ends `blocked` with
         *     `budget_exhausted` and which one.
         */
        Budget: {
            /**
             * Format: int32
             * @description Turns of the loop (its iterations).
             */
            maxTurns?: number | null;
            /**
             * Format: int64
             * @description Time since the loop started.
             */
            maxWallMs?: number | null;
            /**
             * Format: int64
             * @description Output tokens the agent reported over the loop's turns (`turn.ended` usage).
             */
            maxOutputTokens?: number | null;
        };
        /** @description This daemon's place in a cluster (absent on a standalone daemon). */
        ClusterHealth: {
            /** @description This node's id (`--node-id`). */
            node: string;
            /** @description Whether the connection to NATS is up now. */
            connected: boolean;
            /** @description The prefix of the cluster's streams and buckets (`--cluster-prefix`). */
            prefix: string;
        };
        /** @description One node of the cluster, as its last heartbeat and the leases say. */
        ClusterNode: {
            id: string;
            /** @description Heartbeat within the lease TTL. */
            alive: boolean;
            /**
             * Format: int64
             * @description Sessions whose lease it holds.
             */
            sessions: number;
            /** Format: int64 */
            maxSessions: number;
            /** @description Their ids. */
            sessionIds: string[];
            /**
             * Format: int64
             * @description Milliseconds since the epoch.
             */
            heartbeatMs: number;
            /** Format: int64 */
            startedMs: number;
            version: string;
        };
        /** @description Response of `GET /v1/cluster/nodes`. */
        ClusterNodesResponse: {
            /** @description The node that answered. */
            node: string;
            /** @description False for a standalone daemon, which lists itself alone. */
            clustered: boolean;
            nodes: components["schemas"]["ClusterNode"][];
        };
        /** @description The eight content part types, tagged by `type`. */
        ContentPart: {
            text: string;
            /** @enum {string} */
            type: "text";
        } | {
            json: Record<string, unknown>;
            /** @enum {string} */
            type: "json";
        } | {
            name: string;
            /** @description JSON-encoded arguments (a string, as most agents send them). */
            arguments: string;
            call_id: string;
            /** @enum {string} */
            type: "tool_call";
        } | {
            call_id: string;
            output: string;
            /** @enum {string} */
            type: "tool_result";
        } | {
            path: string;
            action: components["schemas"]["FileAction"];
            diff?: string | null;
            /** @enum {string} */
            type: "file_ref";
        } | {
            text: string;
            visibility: components["schemas"]["ReasoningVisibility"];
            /** @enum {string} */
            type: "reasoning";
        } | {
            path: string;
            mime?: string | null;
            /** @enum {string} */
            type: "image";
        } | {
            label: string;
            detail?: string | null;
            /** @enum {string} */
            type: "status";
        };
        ContractError: {
            kind: components["schemas"]["ContractErrorKind"];
            /** @description Where in the report (a JSON pointer), when it is about one place. */
            path?: string | null;
            message: string;
        };
        /** @enum {string} */
        ContractErrorKind: "missing" | "invalid_json" | "schema" | "verification_failed" | "claim_mismatch";
        /** @description `contract.failed`: what is wrong with the report, and what the verification gave. */
        ContractFailedData: {
            path: string;
            errors: components["schemas"]["ContractError"][];
            /** Format: int32 */
            iteration: number;
            verification?: null | components["schemas"]["Verification"];
        };
        /** @description `contract.passed`: the report is valid and every checked claim holds. */
        ContractPassedData: {
            path: string;
            /** @description The report's `status` (`completed` or `blocked`). */
            status: string;
            /** Format: int32 */
            iteration: number;
            verification?: null | components["schemas"]["Verification"];
        };
        CreateSessionRequest: {
            /** @description `claude`, `codex`, `opencode`, `amp` or `mock`. */
            agent: string;
            agentMode?: string | null;
            permissionMode?: string | null;
            model?: string | null;
            variant?: string | null;
            agentVersion?: string | null;
            /** @description Working directory of the agent (absolute). Default: a fresh directory under the data dir. */
            directory?: string | null;
            title?: string | null;
            /**
             * @description Extra environment for the agent process (provider base URLs, keys, …). Kept with the
             *     session so a resumed agent gets it again; never returned by the API.
             */
            env?: {
                [key: string]: string;
            };
            /**
             * @description MCP servers for the agent, by name, written into its own configuration (where the agent
             *     supports it: `mcpTools` in its capabilities; else 501). Their `env` and `headers` are
             *     never returned.
             */
            mcp?: {
                [key: string]: components["schemas"]["McpServer"];
            };
            /**
             * @description Skills for the agent, written as `SKILL.md` folders where it discovers them (where the
             *     agent supports it: `skills` in its capabilities; else 501).
             */
            skills?: components["schemas"]["Skill"][];
            /**
             * @description A task: the session prepares a fresh workspace (repos, setup) in the background, then
             *     sends this as the first message.
             */
            task?: string | null;
            /** @description Default: the task's first line, trimmed to 60 characters. */
            label?: string | null;
            repo?: null | components["schemas"]["RepoRequest"];
            repos?: components["schemas"]["RepoRequest"][];
            /** @description Shell commands (`sh -c`), run in the workspace one after the other before the task. */
            setup?: string[];
            /**
             * Format: int64
             * @description For all of `setup` together (default 600000, ten minutes).
             */
            setupTimeoutMs?: number | null;
            /** @description Up to 32 tags of 1-64 characters of `A-Z a-z 0-9 . _ : / -`. */
            tags?: string[];
            /** @description The application's own data (a JSON object of at most 64 KiB). */
            metadata?: Record<string, unknown> | null;
            workflowMode?: null | components["schemas"]["WorkflowMode"];
            loop?: null | components["schemas"]["LoopConfig"];
            budget?: null | components["schemas"]["Budget"];
            /** @description The report the daemon checks after each turn (`OutputContract`; see docs/coder.md). */
            outputContract?: Record<string, unknown> | null;
        };
        CreateSessionResponse: {
            sessionId: string;
            /** @description `idle` once the agent runs; `starting` while a task session prepares in the background. */
            status: components["schemas"]["SessionStatus"];
            healthy: boolean;
            nativeSessionId?: string | null;
        };
        /** @description Body of `POST /v1/sessions/{id}/terminals`. */
        CreateTerminalRequest: {
            /** @description The program and its arguments (default: `bash -i` where bash exists, else `sh -i`). */
            command?: string[];
            /** @description Relative to the session's workspace, without `..` (default: the workspace). */
            cwd?: string | null;
            /** @description More environment, over the daemon's own (`TERM` defaults to `xterm-256color`). Never returned. */
            env?: {
                [key: string]: string;
            };
            /**
             * Format: int32
             * @description Default 80.
             */
            cols?: number | null;
            /**
             * Format: int32
             * @description Default 24.
             */
            rows?: number | null;
        };
        /**
         * @description Text as given, or bytes in base64.
         * @enum {string}
         */
        Encoding: "utf8" | "base64";
        ErrorData: {
            message: string;
            code?: string | null;
            details: Record<string, unknown> | null;
        };
        /** @description The event type and its data. */
        EventData: {
            data: components["schemas"]["SessionStartedData"];
            /** @enum {string} */
            type: "session.started";
        } | {
            data: components["schemas"]["SessionEndedData"];
            /** @enum {string} */
            type: "session.ended";
        } | {
            data: components["schemas"]["TurnStartedData"];
            /** @enum {string} */
            type: "turn.started";
        } | {
            data: components["schemas"]["TurnEndedData"];
            /** @enum {string} */
            type: "turn.ended";
        } | {
            data: components["schemas"]["ItemEventData"];
            /** @enum {string} */
            type: "item.started";
        } | {
            data: components["schemas"]["ItemDeltaData"];
            /** @enum {string} */
            type: "item.delta";
        } | {
            data: components["schemas"]["ItemEventData"];
            /** @enum {string} */
            type: "item.completed";
        } | {
            data: components["schemas"]["ErrorData"];
            /** @enum {string} */
            type: "error";
        } | {
            data: components["schemas"]["PermissionEventData"];
            /** @enum {string} */
            type: "permission.requested";
        } | {
            data: components["schemas"]["PermissionEventData"];
            /** @enum {string} */
            type: "permission.resolved";
        } | {
            data: components["schemas"]["QuestionEventData"];
            /** @enum {string} */
            type: "question.requested";
        } | {
            data: components["schemas"]["QuestionEventData"];
            /** @enum {string} */
            type: "question.resolved";
        } | {
            data: components["schemas"]["AgentUnparsedData"];
            /** @enum {string} */
            type: "agent.unparsed";
        } | {
            data: components["schemas"]["SessionUpdatedData"];
            /** @enum {string} */
            type: "session.updated";
        } | {
            data: components["schemas"]["SetupStartedData"];
            /** @enum {string} */
            type: "setup.started";
        } | {
            data: components["schemas"]["SetupOutputData"];
            /** @enum {string} */
            type: "setup.output";
        } | {
            data: components["schemas"]["SetupCompletedData"];
            /** @enum {string} */
            type: "setup.completed";
        } | {
            data: components["schemas"]["TaskStartedData"];
            /** @enum {string} */
            type: "task.started";
        } | {
            data: components["schemas"]["TaskCompletedData"];
            /** @enum {string} */
            type: "task.completed";
        } | {
            data: components["schemas"]["TaskFailedData"];
            /** @enum {string} */
            type: "task.failed";
        } | {
            data: components["schemas"]["ParticipantEventData"];
            /** @enum {string} */
            type: "participant.joined";
        } | {
            data: components["schemas"]["ParticipantEventData"];
            /** @enum {string} */
            type: "participant.left";
        } | {
            data: components["schemas"]["RunCompletedData"];
            /** @enum {string} */
            type: "run.completed";
        } | {
            data: components["schemas"]["ContractPassedData"];
            /** @enum {string} */
            type: "contract.passed";
        } | {
            data: components["schemas"]["ContractFailedData"];
            /** @enum {string} */
            type: "contract.failed";
        } | {
            data: components["schemas"]["TaskBlockedData"];
            /** @enum {string} */
            type: "task.blocked";
        } | {
            data: components["schemas"]["LoopIterationData"];
            /** @enum {string} */
            type: "loop.iteration";
        } | {
            data: components["schemas"]["LoopStatusChangedData"];
            /** @enum {string} */
            type: "loop.status_changed";
        };
        /** @enum {string} */
        EventSource: "agent" | "daemon";
        EventsResponse: {
            events: components["schemas"]["UniversalEvent"][];
            hasMore: boolean;
        };
        /** @enum {string} */
        FileAction: "read" | "write" | "patch";
        /** @description `GET /v1/fs/entries`: a directory's entries, directories first, then by name. */
        FsEntriesResponse: {
            /** @description The directory, absolute and resolved. */
            path: string;
            entries: components["schemas"]["FsEntry"][];
        };
        /** @description One file, directory or link. */
        FsEntry: {
            name: string;
            /** @description Absolute. */
            path: string;
            type: components["schemas"]["FsEntryType"];
            /**
             * Format: int64
             * @description Bytes (a link's own size for a symlink).
             */
            size: number;
            /** @description RFC 3339, when the system reports it. */
            modified?: string | null;
            /**
             * Format: int32
             * @description Unix permission bits.
             */
            mode: number;
        };
        /**
         * @description What a directory entry is. A symlink is reported as one, never followed.
         * @enum {string}
         */
        FsEntryType: "file" | "directory" | "symlink" | "other";
        /** @description Body of `POST /v1/fs/mkdir`: makes the directory and any missing parents. */
        FsMkdirRequest: {
            path: string;
        };
        /** @description Body of `POST /v1/fs/move`. */
        FsMoveRequest: {
            from: string;
            to: string;
            /** @description Replace what is at `to` (a file, or an empty directory). Default false: 409 if it exists. */
            overwrite?: boolean;
        };
        /** @description Response of `POST /v1/fs/upload-batch`. */
        FsUploadResponse: {
            /** @description The directory the archive was unpacked into, absolute. */
            path: string;
            /** @description The files written, relative to `path`, in archive order. */
            files: string[];
            /** Format: int64 */
            bytes: number;
        };
        /** @description Response of `PUT /v1/fs/file`, `POST /v1/fs/mkdir` and `POST /v1/fs/move`: where it is now. */
        FsWriteResponse: {
            /** @description Absolute. */
            path: string;
            /**
             * Format: int64
             * @description Bytes written (`PUT /v1/fs/file`), else 0.
             */
            bytes: number;
            /** @description False when the directory was already there (mkdir) or the file was replaced (put). */
            created: boolean;
        };
        /** @description Response of `GET /v1/health`. */
        HealthResponse: {
            /** @description Always `"ok"` while the daemon serves requests. */
            status: string;
            /**
             * Format: int64
             * @description Sessions whose agent this daemon runs (on a cluster node: those it holds the lease of).
             */
            ownedSessions?: number;
            cluster?: null | components["schemas"]["ClusterHealth"];
        };
        ItemDeltaData: {
            item_id: string;
            native_item_id?: string | null;
            delta: string;
        };
        ItemEventData: {
            item: components["schemas"]["UniversalItem"];
        };
        /** @enum {string} */
        ItemKind: "message" | "tool_call" | "tool_result" | "system" | "status" | "unknown";
        /** @enum {string} */
        ItemRole: "user" | "assistant" | "system" | "tool";
        /** @enum {string} */
        ItemStatus: "in_progress" | "completed" | "failed";
        /**
         * @description Loop mode: after each check of the output contract the daemon continues the task until the
         *     contract holds, it is blocked, or the iterations run out.
         */
        LoopConfig: {
            goal?: string | null;
            /**
             * Format: int32
             * @description Default 5, at most 100.
             */
            maxIterations?: number | null;
            /** @description Default true: the daemon sends the continuation; false: it waits for a message. */
            autoContinue?: boolean | null;
            allowDetached?: boolean | null;
        };
        /** @description `loop.iteration`: an iteration starts (its message is the task, or a continuation). */
        LoopIterationData: {
            /** Format: int32 */
            iteration: number;
            /** Format: int32 */
            max_iterations: number;
        };
        LoopResponse: {
            sessionId: string;
            workflowMode: components["schemas"]["WorkflowMode"];
            loop?: null | components["schemas"]["LoopState"];
        };
        /** @description `GET /v1/sessions/{id}/loop` → `loop`. */
        LoopState: {
            status: components["schemas"]["LoopStatus"];
            /**
             * Format: int32
             * @description The iteration under way or last done (1 = the task's own turn).
             */
            iteration: number;
            /** Format: int32 */
            maxIterations: number;
            autoContinue: boolean;
            goal?: string | null;
            /** @description What the last check found, in a line. */
            summary?: string | null;
            /** @description What happens next: `the daemon continues`, `a message continues`, or nothing. */
            nextAction?: string | null;
            startedAt?: string | null;
            updatedAt: string;
            completedAt?: string | null;
        };
        /**
         * @description Where a loop session stands (the managed service's shape).
         * @enum {string}
         */
        LoopStatus: "idle" | "starting" | "running" | "paused" | "completed" | "cancelled" | "blocked" | "awaiting_input";
        /** @description `loop.status_changed`. */
        LoopStatusChangedData: {
            from: components["schemas"]["LoopStatus"];
            to: components["schemas"]["LoopStatus"];
            reason?: string | null;
        };
        /** @description One MCP server, by transport. */
        McpServer: {
            command: string;
            args?: string[];
            env?: {
                [key: string]: string;
            };
            /** @enum {string} */
            type: "stdio";
        } | {
            url: string;
            headers?: {
                [key: string]: string;
            };
            /** @enum {string} */
            type: "http";
        };
        /**
         * @description A file sent with a message: a file already in the session's reach (`path`, relative to its
         *     workspace), or its bytes (`name` and `contentBase64`, written to `attachments/<name>` in the
         *     workspace). `mime` defaults to one guessed from the name.
         */
        MessageAttachment: {
            path: string;
            mime?: string | null;
        } | {
            name: string;
            mime?: string | null;
            contentBase64: string;
        };
        MessageRequest: {
            message: string;
            /**
             * @description Files for the agent to see with the message. Each lands in the session's workspace and
             *     reaches the agent in its own way (an image or document block, a local image, a file part).
             */
            attachments?: components["schemas"]["MessageAttachment"][];
        };
        /** @enum {string} */
        OutputStream: "stdout" | "stderr";
        /** @description Someone who is or was attached to a session. */
        Participant: {
            /** @description `par_…`. */
            id: string;
            name: string;
            role: components["schemas"]["ParticipantRole"];
            transport: components["schemas"]["ParticipantTransport"];
            /** @description Whose credentials: `daemon`, or the id of the token's participant. */
            principal: string;
            connectedAt: string;
            disconnectedAt?: string | null;
            lastActivityAt: string;
            /** @description For a token: when it stops working. */
            expiresAt?: string | null;
        };
        ParticipantEventData: {
            participant: components["schemas"]["Participant"];
        };
        /** @enum {string} */
        ParticipantRole: "observer" | "controller";
        /** @enum {string} */
        ParticipantTransport: "sse" | "ws" | "token";
        ParticipantsResponse: {
            sessionId: string;
            participants: components["schemas"]["Participant"][];
        };
        PermissionEventData: {
            permission_id: string;
            /** @description What the agent wants to do (a tool name, `commandExecution`, …). */
            action: string;
            status: components["schemas"]["PermissionStatus"];
            metadata: Record<string, unknown> | null;
            /** @description On `permission.resolved` by a reply: who answered (`daemon` or a participant id). */
            answered_by?: string | null;
        };
        /**
         * @description How to answer a permission request.
         * @enum {string}
         */
        PermissionReply: "once" | "always" | "reject";
        PermissionReplyRequest: {
            reply: components["schemas"]["PermissionReply"];
        };
        /** @enum {string} */
        PermissionStatus: "requested" | "approved" | "denied";
        /** @description Every error the API returns. `type` is `urn:sandbox-agent:error:<code>`. */
        ProblemDetails: {
            type: string;
            title: string;
            /** Format: int32 */
            status: number;
            detail?: string | null;
            instance?: string | null;
            sessionId?: string | null;
            agent?: string | null;
            details?: Record<string, unknown> | null;
        };
        QuestionEventData: {
            question_id: string;
            prompt: string;
            options: string[];
            response?: string | null;
            status: components["schemas"]["QuestionStatus"];
            /** @description On `question.resolved` by a reply: who answered (`daemon` or a participant id). */
            answered_by?: string | null;
        };
        QuestionReplyRequest: {
            /** @description One array of selected option labels per question. */
            answers: string[][];
        };
        /** @enum {string} */
        QuestionStatus: "requested" | "answered" | "rejected";
        /** @enum {string} */
        ReasoningVisibility: "public" | "private";
        RepoAuth: {
            /** @description A token for HTTP(S) clones (sent as the password of a git credential). */
            token: string;
        };
        /** @description A repository of a session as it was cloned: no credentials, the commit it is at. */
        RepoInfo: {
            /** @description The URL without any user or password in it. */
            url: string;
            branch?: string | null;
            /** @description The resolved commit SHA, once cloned. */
            commit?: string | null;
            /** @description Relative to the workspace. */
            path: string;
        };
        /** @description A repository to clone into the session's workspace. */
        RepoRequest: {
            /** @description `https://…`, `http://…`, `file://…` or a local path. */
            url: string;
            /** @description Branch (or tag) to check out; default: the remote's default branch. */
            branch?: string | null;
            /** @description A commit to pin (a SHA or anything `git rev-parse` resolves after the clone). */
            commit?: string | null;
            /** @description Where in the workspace (relative, no `..`); default: the repository's name. */
            path?: string | null;
            auth?: null | components["schemas"]["RepoAuth"];
        };
        /** @enum {string} */
        ResultStatus: "pending" | "completed" | "blocked" | "failed";
        /** @description A one-shot command (`POST /v1/run` with `sessionId`) ran in the session's workspace. */
        RunCompletedData: {
            command: string[];
            /**
             * Format: int32
             * @description None when a signal ended it.
             */
            exit_code?: number | null;
            /** Format: int32 */
            signal?: number | null;
            timed_out: boolean;
            /** Format: int64 */
            duration_ms: number;
            /** @description `daemon` or a participant id. */
            run_by: string;
        };
        /** @description A file written into the work directory before the command starts. */
        RunFileInput: {
            /** @description Relative to the work directory, without `..`. */
            path: string;
            /** @description The bytes, base64. */
            content: string;
            /**
             * Format: int32
             * @description Unix permission bits (default 0o644).
             */
            mode?: number | null;
        };
        /** @description A file returned by `collect`. */
        RunFileOutput: {
            path: string;
            /** @description base64. */
            content: string;
            /**
             * Format: int64
             * @description The file's size (`content` may hold less: `truncated`).
             */
            size: number;
            /** @description Past what `collect` returns in all (16 MiB), the rest of the file is left out. */
            truncated?: boolean;
        };
        /** @description Resource limits of one run (setrlimit; `pids` by a cgroup where one is writable). */
        RunLimits: {
            /**
             * Format: int64
             * @description Address space of each process (RLIMIT_AS).
             */
            memoryBytes?: number | null;
            /**
             * Format: int64
             * @description Processes in the run at once (a pids cgroup).
             */
            pids?: number | null;
            /**
             * Format: int64
             * @description CPU time of each process (RLIMIT_CPU).
             */
            cpuSeconds?: number | null;
            /**
             * Format: int64
             * @description Largest file a process may write (RLIMIT_FSIZE).
             */
            fileSizeBytes?: number | null;
        };
        /** @description One event of `POST /v1/run/stream`: `stdout` / `stderr` as output comes, then `exit`. */
        RunOutputChunk: {
            data: string;
            encoding?: components["schemas"]["Encoding"];
        };
        /** @description Body of `POST /v1/run`. */
        RunRequest: {
            /** @description The program and its arguments (no shell: give `["sh", "-c", "…"]` for one). */
            command: string[];
            /** @description Relative to the work directory (default: the work directory itself). */
            cwd?: string | null;
            /** @description The command's whole environment, on top of a minimal `PATH`, `HOME`, `LANG`. */
            env?: {
                [key: string]: string;
            };
            stdin?: string | null;
            /** @description How `stdin` is given. */
            stdinEncoding?: components["schemas"]["Encoding"];
            files?: components["schemas"]["RunFileInput"][];
            /** @description Globs, relative to the work directory, of files returned after the run. */
            collect?: string[];
            /**
             * Format: int64
             * @description Default 60000; at most the daemon's `--max-run-timeout-ms`.
             */
            timeoutMs?: number | null;
            /**
             * Format: int64
             * @description Per stream; default 1 MiB.
             */
            maxOutputBytes?: number | null;
            /** @description Reach the network (default false: a network namespace of its own, loopback only). */
            network?: boolean | null;
            /** @description Run in the sandbox (default true). `false` needs the daemon's `--allow-unisolated-run`. */
            isolate?: boolean | null;
            limits?: null | components["schemas"]["RunLimits"];
            /** @description Run in this session's workspace (writable) instead of a fresh scratch directory. */
            sessionId?: string | null;
        };
        /** @description Result of `POST /v1/run`. */
        RunResponse: {
            /**
             * Format: int32
             * @description None when a signal ended the command.
             */
            exitCode?: number | null;
            /**
             * Format: int32
             * @description The signal's number, when one ended it (SIGKILL at the deadline).
             */
            signal?: number | null;
            timedOut: boolean;
            /** @description The kernel's OOM killer ended it (`limits.memoryBytes` enforced by a memory cgroup). */
            oomKilled?: boolean;
            truncated: components["schemas"]["Truncated"];
            stdout: string;
            /** @description `base64` when the bytes were not UTF-8. */
            stdoutEncoding?: components["schemas"]["Encoding"];
            stderr: string;
            stderrEncoding?: components["schemas"]["Encoding"];
            /** Format: int64 */
            durationMs: number;
            /**
             * Format: int64
             * @description User and system CPU time of the command and everything it waited for.
             */
            cpuTimeMs: number;
            /**
             * Format: int64
             * @description The largest resident set of any of its processes.
             */
            maxRssBytes: number;
            files: components["schemas"]["RunFileOutput"][];
            /** @description How it was isolated: `bwrap` or `none`. */
            isolation: string;
            /**
             * @description Where `limits.pids` or `limits.memoryBytes` was enforced by a cgroup: `cgroup-v1`,
             *     `cgroup-v2`; null when neither was (memory then falls back to `RLIMIT_AS`).
             */
            cgroup?: string | null;
        };
        /** @enum {string} */
        SessionEndReason: "completed" | "error" | "terminated";
        SessionEndedData: {
            reason: components["schemas"]["SessionEndReason"];
            terminated_by: components["schemas"]["TerminatedBy"];
            message?: string | null;
            /** Format: int32 */
            exit_code?: number | null;
            stderr?: null | components["schemas"]["StderrOutput"];
        };
        SessionInfo: {
            sessionId: string;
            agent: string;
            agentMode: string;
            permissionMode: string;
            model?: string | null;
            variant?: string | null;
            nativeSessionId?: string | null;
            status: components["schemas"]["SessionStatus"];
            /** @description True once the session is over (`status` is `ended`). */
            ended: boolean;
            end?: null | components["schemas"]["SessionEndedData"];
            /** @description The turn in progress, while `status` is `running`. */
            currentTurnId?: string | null;
            /**
             * Format: int64
             * @description Number of events; equal to the last sequence.
             */
            eventCount: number;
            /** @description RFC 3339. */
            createdAt: string;
            updatedAt: string;
            directory: string;
            title?: string | null;
            /** @description Permission requests waiting for a reply. */
            pendingPermissions: components["schemas"]["PermissionEventData"][];
            /** @description Questions waiting for an answer. */
            pendingQuestions: components["schemas"]["QuestionEventData"][];
            task?: string | null;
            label?: string | null;
            tags?: string[];
            metadata?: Record<string, unknown> | null;
            /** @description The repositories of the workspace (no credentials), with the commit each is at. */
            repos?: components["schemas"]["RepoInfo"][];
            /** @description The names of the session's MCP servers (their commands, env and headers are not served). */
            mcpServers?: string[];
            /** @description The names of the session's skills. */
            skills?: string[];
            workflowMode?: components["schemas"]["WorkflowMode"];
            loop?: null | components["schemas"]["LoopConfig"];
            budget?: null | components["schemas"]["Budget"];
            outputContract?: Record<string, unknown> | null;
            /**
             * @description The workspace the daemon made for a task session (the agent works there or in its
             *     only repo).
             */
            workspace?: string | null;
            archived?: boolean;
            /**
             * Format: int64
             * @description Attached now (SSE).
             */
            participantCount?: number;
            /** @description RFC 3339: the last message, reply, event stream attachment or change. */
            lastActivityAt?: string;
        };
        SessionListResponse: {
            sessions: components["schemas"]["SessionInfo"][];
            /**
             * Format: int64
             * @description Sessions matching the filters, in all pages.
             */
            total?: number;
            /** Format: int64 */
            limit?: number;
            /** Format: int64 */
            offset?: number;
        };
        /** @description `GET /v1/sessions/{id}/result`: the last check of the session's output contract. */
        SessionResult: {
            sessionId: string;
            status: components["schemas"]["ResultStatus"];
            path: string;
            /** @description The report as read (when it parsed). */
            report: Record<string, unknown> | null;
            validation: components["schemas"]["Validation"];
            verification?: null | components["schemas"]["Verification"];
            checkedAt?: string | null;
            /**
             * Format: int32
             * @description How many checks have run (one per completed turn).
             */
            iteration: number;
            /** @description The artifact holding the report as read, byte for byte (`report-<iteration>.json`). */
            artifact?: string | null;
        };
        SessionStartedData: {
            metadata: Record<string, unknown> | null;
        };
        /**
         * @description Lifecycle of a session: `starting → idle ⇄ running → (paused) → ended`, plus `archived`.
         * @enum {string}
         */
        SessionStatus: "starting" | "idle" | "running" | "paused" | "ended" | "archived";
        /** @description What archive and resume answer. */
        SessionStatusResponse: {
            sessionId: string;
            status: components["schemas"]["SessionStatus"];
        };
        /**
         * @description `PATCH /v1/sessions/{id}` changed these (only the fields it changed are present;
         *     `metadata: null` means cleared).
         */
        SessionUpdatedData: {
            fields: string[];
            label?: string | null;
            tags?: string[] | null;
            metadata?: Record<string, unknown> | null;
            /** @description `daemon` or a participant id. */
            updated_by: string;
        };
        SetupCompletedData: {
            /** Format: int32 */
            index: number;
            /**
             * Format: int32
             * @description None when the step was killed (timeout) or could not start.
             */
            exit_code?: number | null;
            /** Format: int64 */
            duration_ms: number;
        };
        /**
         * @description Output of a step, coalesced (many lines per event) and bounded per step; `truncated` says
         *     output was dropped before this text.
         */
        SetupOutputData: {
            /** Format: int32 */
            index: number;
            stream: components["schemas"]["OutputStream"];
            text: string;
            truncated?: boolean;
        };
        /**
         * @description A step of a task session's preparation begins: a clone (`name` is the repo's URL without
         *     credentials) or a setup command (`name` is the command).
         */
        SetupStartedData: {
            step: components["schemas"]["SetupStep"];
            name: string;
            /**
             * Format: int32
             * @description Steps are numbered from 0 across clones and commands.
             */
            index: number;
        };
        /** @enum {string} */
        SetupStep: "clone" | "command";
        /**
         * @description One skill: a `SKILL.md` (frontmatter from `name` and `description`, then `content`) and
         *     any files beside it.
         */
        Skill: {
            /**
             * @description 1-64 of `a-z 0-9 -`, no leading, trailing or double `-` (the agents' own rule); also
             *     the folder's name.
             */
            name: string;
            /**
             * @description What the skill does and when to use it: what the model sees before it reads the skill.
             *     1-1024 characters.
             */
            description: string;
            /** @description The body of `SKILL.md` (Markdown, without frontmatter). */
            content: string;
            /** @description Files beside `SKILL.md` (scripts, references), by relative path. */
            files?: components["schemas"]["SkillFile"][];
        };
        /** @description A file of a skill's folder. */
        SkillFile: {
            /** @description Relative to the skill's folder (`scripts/run.sh`); no `..`, not `SKILL.md`. */
            path: string;
            /** @description The file's bytes, base64 (standard alphabet). */
            contentBase64: string;
        };
        /** @description An excerpt of an agent's stderr, attached when it failed. */
        StderrOutput: {
            head?: string | null;
            tail?: string | null;
            truncated: boolean;
            /** Format: int64 */
            total_lines?: number | null;
        };
        /** @description `task.blocked`: a valid report says the task is blocked, and why. */
        TaskBlockedData: {
            blockers: string[];
            turn_id?: string | null;
        };
        /** @description The task's turn ended normally. */
        TaskCompletedData: {
            turn_id: string;
        };
        /** @enum {string} */
        TaskFailReason: "clone_failed" | "setup_failed" | "agent_failed" | "contract_failed" | "turn_failed" | "interrupted";
        TaskFailedData: {
            reason: components["schemas"]["TaskFailReason"];
            message: string;
            /** @description The last output of the failed step. */
            output?: string | null;
            turn_id?: string | null;
        };
        TaskStartedData: {
            task: string;
            label: string;
        };
        /** @description One terminal. */
        TerminalInfo: {
            /** @description `term_…`. */
            terminalId: string;
            sessionId: string;
            command: string[];
            cwd: string;
            /** Format: int32 */
            pid: number;
            /** Format: int32 */
            cols: number;
            /** Format: int32 */
            rows: number;
            status: components["schemas"]["TerminalStatus"];
            /**
             * Format: int32
             * @description Once exited: the code, or null when a signal ended it.
             */
            exitCode?: number | null;
            /** Format: int32 */
            signal?: number | null;
            /** @description RFC 3339. */
            createdAt: string;
            exitedAt?: string | null;
        };
        /** @description `GET /v1/sessions/{id}/terminals`: oldest first. */
        TerminalListResponse: {
            terminals: components["schemas"]["TerminalInfo"][];
        };
        /** @enum {string} */
        TerminalStatus: "running" | "exited";
        /** @enum {string} */
        TerminatedBy: "agent" | "daemon";
        TokenRequest: {
            /** @description Who it is for (shown in participants and audit trails). */
            name: string;
            role: components["schemas"]["ParticipantRole"];
            /**
             * Format: int64
             * @description Default 86400 (a day); at most 30 days.
             */
            ttlSeconds?: number | null;
        };
        /** @description The token is shown once, here; the daemon keeps only its hash. */
        TokenResponse: {
            token: string;
            participantId: string;
            role: components["schemas"]["ParticipantRole"];
            expiresAt: string;
        };
        TokenUsage: {
            /** Format: int64 */
            input_tokens?: number | null;
            /** Format: int64 */
            output_tokens?: number | null;
            /** Format: int64 */
            cached_input_tokens?: number | null;
            /** Format: int64 */
            reasoning_tokens?: number | null;
        };
        /** @description One finished piece of the conversation, derived from the event log. */
        TranscriptEntry: {
            type: components["schemas"]["TranscriptEntryType"];
            turnId?: string | null;
            itemId?: string | null;
            /**
             * Format: int64
             * @description The sequence of the event it comes from.
             */
            sequence: number;
            text?: string | null;
            toolName?: string | null;
            /** @description The tool's arguments (JSON when they parse, else the string). */
            toolArgs?: Record<string, unknown> | null;
            toolCallId?: string | null;
            isError?: boolean | null;
            /** @description RFC 3339. */
            timestamp: string;
        };
        /** @enum {string} */
        TranscriptEntryType: "user_prompt" | "message" | "thinking" | "tool_call" | "tool_result" | "file_change" | "status" | "error" | "turn";
        TranscriptResponse: {
            sessionId: string;
            entries: components["schemas"]["TranscriptEntry"][];
            /**
             * Format: int64
             * @description Entries in all.
             */
            total: number;
            hasMore: boolean;
        };
        /** @description Which streams were cut at `maxOutputBytes`. */
        Truncated: {
            stdout: boolean;
            stderr: boolean;
        };
        /** @enum {string} */
        TurnEndReason: "completed" | "interrupted" | "error";
        TurnEndedData: {
            turn_id: string;
            reason: components["schemas"]["TurnEndReason"];
            usage?: null | components["schemas"]["TokenUsage"];
            /** @description Why the turn ended abnormally (error or interruption), when known. */
            message?: string | null;
        };
        TurnStartedData: {
            turn_id: string;
        };
        /**
         * @description One event of a session. `sequence` starts at 1, increases by one per event and is never
         *     reused, not even across daemon restarts. `raw` is the agent's native payload and is only
         *     filled when the client asks for it with `include_raw=true`.
         *
         *     `type` and `data` are a tagged pair: the JSON has `"type": "item.delta", "data": {...}`.
         */
        UniversalEvent: components["schemas"]["EventData"] & {
            /** @description `evt_<sequence>`. */
            event_id: string;
            /** Format: int64 */
            sequence: number;
            /** @description RFC 3339 UTC time at which the daemon recorded the event. */
            time: string;
            session_id: string;
            native_session_id?: string | null;
            /** @description True when the daemon made the event up (then `source` is `daemon`). */
            synthetic: boolean;
            source: components["schemas"]["EventSource"];
            /** @description The native payload, only with `include_raw=true`. Always the last field. */
            raw: Record<string, unknown> | null;
        };
        /**
         * @description One unit of conversation: a message, a tool call, a tool result, a status line …
         *     Every item goes through `item.started → item.delta* → item.completed`.
         */
        UniversalItem: {
            /** @description Daemon-assigned id, `itm_<n>`; stable for the whole life of the item. */
            item_id: string;
            /** @description The agent's own id for this item, when it has one. */
            native_item_id?: string | null;
            /** @description The item this one belongs to (e.g. the message a tool call was made from). */
            parent_id?: string | null;
            kind: components["schemas"]["ItemKind"];
            role?: null | components["schemas"]["ItemRole"];
            content: components["schemas"]["ContentPart"][];
            status: components["schemas"]["ItemStatus"];
        };
        /** @description `PATCH /v1/sessions/{id}`: only these app-level fields; anything else is a 422. */
        UpdateSessionRequest: {
            label?: string | null;
            /** @description Replaces the tags. */
            tags?: string[] | null;
            /** @description Replaces the metadata; `null` clears it. */
            metadata?: Record<string, unknown> | null;
        };
        Validation: {
            valid: boolean;
            errors: components["schemas"]["ContractError"][];
        };
        /** @description What the daemon's own run of `verify.command` gave. */
        Verification: {
            command: string;
            /** Format: int32 */
            exitCode?: number | null;
            timedOut: boolean;
            /** @description The last 2 KiB of its stdout and stderr. */
            outputExcerpt: string;
            /** Format: int64 */
            durationMs: number;
        };
        /** @enum {string} */
        WorkflowMode: "standard" | "loop";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAcpServers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcpServerList"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getAcpEvents: {
        parameters: {
            query?: never;
            header?: {
                /** @description resume after this sequence */
                "Last-Event-ID"?: number | null;
            };
            path: {
                server_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON-RPC messages from the daemon */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": unknown;
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    postAcp: {
        parameters: {
            query?: {
                /** @description The agent of the connection's sessions (on its first message; default `mock`). */
                agent?: string;
            };
            header?: never;
            path: {
                server_id: string;
            };
            cookie?: never;
        };
        /** @description a JSON-RPC 2.0 message */
        requestBody: {
            content: {
                "application/json": Record<string, unknown>;
            };
        };
        responses: {
            /** @description the JSON-RPC response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, unknown>;
                };
            };
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    closeAcp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                server_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentListResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    installAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description agent id */
                agent: string;
            };
            cookie?: never;
        };
        /** @description optional */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentInstallRequest"];
            };
        };
        responses: {
            /** @description installed (or already installed) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getAgentModels: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description agent id */
                agent: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentModelsResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `not_implemented` */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_failed`, `stream_error` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `timeout` */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getAgentModes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description agent id */
                agent: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentModesResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listClusterNodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterNodesResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_unavailable`, `cluster_unavailable`, `isolation_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listFsEntries: {
        parameters: {
            query: {
                path: string;
                /** @description Resolve a relative `path` in this session's workspace (and confine it there). */
                sessionId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FsEntriesResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    deleteFsEntry: {
        parameters: {
            query: {
                path: string;
                sessionId?: string;
                /** @description Delete a directory with everything in it (default false: only an empty one). */
                recursive?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    readFsFile: {
        parameters: {
            query: {
                path: string;
                /** @description Resolve a relative `path` in this session's workspace (and confine it there). */
                sessionId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the file's bytes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    writeFsFile: {
        parameters: {
            query: {
                path: string;
                /** @description Resolve a relative `path` in this session's workspace (and confine it there). */
                sessionId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description the file's bytes */
        requestBody: {
            content: {
                "application/octet-stream": number[];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FsWriteResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    createFsDirectory: {
        parameters: {
            query?: {
                sessionId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FsMkdirRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FsWriteResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    moveFsEntry: {
        parameters: {
            query?: {
                sessionId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FsMoveRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FsWriteResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getFsStat: {
        parameters: {
            query: {
                path: string;
                /** @description Resolve a relative `path` in this session's workspace (and confine it there). */
                sessionId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FsEntry"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    uploadFsBatch: {
        parameters: {
            query: {
                path: string;
                /** @description Resolve a relative `path` in this session's workspace (and confine it there). */
                sessionId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description a tar archive */
        requestBody: {
            content: {
                "application/x-tar": number[];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FsUploadResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    runCommand: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `too_many_sessions`, `too_many_runs`, `too_many_terminals` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `not_implemented` */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_unavailable`, `cluster_unavailable`, `isolation_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    runCommandStream: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunRequest"];
            };
        };
        responses: {
            /** @description stdout, stderr, then exit (RunResponse) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": unknown;
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `forbidden`, `path_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `too_many_sessions`, `too_many_runs`, `too_many_terminals` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `not_implemented` */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_unavailable`, `cluster_unavailable`, `isolation_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: {
                /** @description Repeatable; every tag must be on the session. */
                tag?: string[];
                /** @description Exactly this label. */
                label?: string;
                /** @description `starting`, `idle`, `running`, `paused`, `ended` or `archived`. */
                status?: string;
                agent?: string;
                /** @description Case-insensitive substring of the label or the task. */
                search?: string;
                /** @description Include archived sessions (default false). */
                includeArchived?: boolean;
                /** @description Default 50, at most 500. */
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionListResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    createSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSessionRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateSessionResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `too_many_sessions`, `too_many_runs`, `too_many_terminals` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `not_implemented` */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionInfo"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    createSessionWithId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSessionRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateSessionResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `too_many_sessions`, `too_many_runs`, `too_many_terminals` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `not_implemented` */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    updateSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSessionRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionInfo"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    archiveSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionStatusResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listArtifacts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactList"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getArtifact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the artifact's bytes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description Return events with `sequence > offset` (default 0). */
                offset?: number;
                /** @description At most this many events (default and maximum 10000). */
                limit?: number;
                /** @description Include the agent's native payload in `raw`. */
                include_raw?: boolean;
                /** @description Only events of these types: comma-separated patterns as for `subscribe=` (`task.*`). */
                type?: string;
            };
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventsResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getEventsSse: {
        parameters: {
            query?: {
                /** @description Start after this sequence. `Last-Event-ID` wins when both are given. */
                offset?: number;
                include_raw?: boolean;
                /** @description Comma-separated event type patterns: `*`, exact names, or prefixes like `item.*`. */
                subscribe?: string;
                /**
                 * @description The name this attachment goes by among the session's participants (or the
                 *     `X-Participant-Name` header).
                 */
                participant?: string;
            };
            header?: {
                /** @description resume after this sequence */
                "Last-Event-ID"?: number | null;
            };
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description stream of UniversalEvent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": unknown;
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    interruptSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `timeout` */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getSessionLoop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoopResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    postMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MessageRequest"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `not_implemented` */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    postMessageStream: {
        parameters: {
            query?: {
                include_raw?: boolean;
                /** @description Same as for `/events/sse`. */
                subscribe?: string;
            };
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MessageRequest"];
            };
        };
        responses: {
            /** @description the turn's events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": unknown;
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `not_implemented` */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listParticipants: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParticipantsResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    replyPermission: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
                permission_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PermissionReplyRequest"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    rejectQuestion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
                question_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    replyQuestion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
                question_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuestionReplyRequest"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getSessionResult: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResult"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    resumeSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionStatusResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listTerminals: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TerminalListResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    createTerminal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTerminalRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TerminalInfo"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `too_many_sessions`, `too_many_runs`, `too_many_terminals` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getTerminal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
                terminal_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TerminalInfo"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    killTerminal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
                terminal_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    attachTerminal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
                terminal_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a WebSocket */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    terminateSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `session_already_exists`, `session_ended`, `session_archived`, `turn_in_progress`, `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
                participant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getTranscript: {
        parameters: {
            query?: {
                /** @description Skip this many entries (default 0). */
                offset?: number;
                /** @description At most this many (default 1000, at most 10000). */
                limit?: number;
            };
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranscriptResponse"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `invalid_request`, `invalid_json`, `unsupported_agent`, `mode_not_supported` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `token_invalid` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `agent_not_installed`, `session_not_found`, `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Problem detail; `type` ends in one of: `install_failed`, `agent_process_exited`, `git_not_found`, `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
}

// Every schema under its own name.
export type AcpServerInfo = components["schemas"]["AcpServerInfo"];
export type AcpServerList = components["schemas"]["AcpServerList"];
export type AgentCapabilities = components["schemas"]["AgentCapabilities"];
export type AgentInfo = components["schemas"]["AgentInfo"];
export type AgentInstallRequest = components["schemas"]["AgentInstallRequest"];
export type AgentListResponse = components["schemas"]["AgentListResponse"];
export type AgentModeInfo = components["schemas"]["AgentModeInfo"];
export type AgentModelInfo = components["schemas"]["AgentModelInfo"];
export type AgentModelsResponse = components["schemas"]["AgentModelsResponse"];
export type AgentModesResponse = components["schemas"]["AgentModesResponse"];
export type AgentSource = components["schemas"]["AgentSource"];
export type AgentUnparsedData = components["schemas"]["AgentUnparsedData"];
export type Artifact = components["schemas"]["Artifact"];
export type ArtifactList = components["schemas"]["ArtifactList"];
export type Budget = components["schemas"]["Budget"];
export type ClusterHealth = components["schemas"]["ClusterHealth"];
export type ClusterNode = components["schemas"]["ClusterNode"];
export type ClusterNodesResponse = components["schemas"]["ClusterNodesResponse"];
export type ContentPart = components["schemas"]["ContentPart"];
export type ContractError = components["schemas"]["ContractError"];
export type ContractErrorKind = components["schemas"]["ContractErrorKind"];
export type ContractFailedData = components["schemas"]["ContractFailedData"];
export type ContractPassedData = components["schemas"]["ContractPassedData"];
export type CreateSessionRequest = components["schemas"]["CreateSessionRequest"];
export type CreateSessionResponse = components["schemas"]["CreateSessionResponse"];
export type CreateTerminalRequest = components["schemas"]["CreateTerminalRequest"];
export type Encoding = components["schemas"]["Encoding"];
export type ErrorData = components["schemas"]["ErrorData"];
export type EventData = components["schemas"]["EventData"];
export type EventSource = components["schemas"]["EventSource"];
export type EventsResponse = components["schemas"]["EventsResponse"];
export type FileAction = components["schemas"]["FileAction"];
export type FsEntriesResponse = components["schemas"]["FsEntriesResponse"];
export type FsEntry = components["schemas"]["FsEntry"];
export type FsEntryType = components["schemas"]["FsEntryType"];
export type FsMkdirRequest = components["schemas"]["FsMkdirRequest"];
export type FsMoveRequest = components["schemas"]["FsMoveRequest"];
export type FsUploadResponse = components["schemas"]["FsUploadResponse"];
export type FsWriteResponse = components["schemas"]["FsWriteResponse"];
export type HealthResponse = components["schemas"]["HealthResponse"];
export type ItemDeltaData = components["schemas"]["ItemDeltaData"];
export type ItemEventData = components["schemas"]["ItemEventData"];
export type ItemKind = components["schemas"]["ItemKind"];
export type ItemRole = components["schemas"]["ItemRole"];
export type ItemStatus = components["schemas"]["ItemStatus"];
export type LoopConfig = components["schemas"]["LoopConfig"];
export type LoopIterationData = components["schemas"]["LoopIterationData"];
export type LoopResponse = components["schemas"]["LoopResponse"];
export type LoopState = components["schemas"]["LoopState"];
export type LoopStatus = components["schemas"]["LoopStatus"];
export type LoopStatusChangedData = components["schemas"]["LoopStatusChangedData"];
export type McpServer = components["schemas"]["McpServer"];
export type MessageAttachment = components["schemas"]["MessageAttachment"];
export type MessageRequest = components["schemas"]["MessageRequest"];
export type OutputStream = components["schemas"]["OutputStream"];
export type Participant = components["schemas"]["Participant"];
export type ParticipantEventData = components["schemas"]["ParticipantEventData"];
export type ParticipantRole = components["schemas"]["ParticipantRole"];
export type ParticipantTransport = components["schemas"]["ParticipantTransport"];
export type ParticipantsResponse = components["schemas"]["ParticipantsResponse"];
export type PermissionEventData = components["schemas"]["PermissionEventData"];
export type PermissionReply = components["schemas"]["PermissionReply"];
export type PermissionReplyRequest = components["schemas"]["PermissionReplyRequest"];
export type PermissionStatus = components["schemas"]["PermissionStatus"];
export type ProblemDetails = components["schemas"]["ProblemDetails"];
export type QuestionEventData = components["schemas"]["QuestionEventData"];
export type QuestionReplyRequest = components["schemas"]["QuestionReplyRequest"];
export type QuestionStatus = components["schemas"]["QuestionStatus"];
export type ReasoningVisibility = components["schemas"]["ReasoningVisibility"];
export type RepoAuth = components["schemas"]["RepoAuth"];
export type RepoInfo = components["schemas"]["RepoInfo"];
export type RepoRequest = components["schemas"]["RepoRequest"];
export type ResultStatus = components["schemas"]["ResultStatus"];
export type RunCompletedData = components["schemas"]["RunCompletedData"];
export type RunFileInput = components["schemas"]["RunFileInput"];
export type RunFileOutput = components["schemas"]["RunFileOutput"];
export type RunLimits = components["schemas"]["RunLimits"];
export type RunOutputChunk = components["schemas"]["RunOutputChunk"];
export type RunRequest = components["schemas"]["RunRequest"];
export type RunResponse = components["schemas"]["RunResponse"];
export type SessionEndReason = components["schemas"]["SessionEndReason"];
export type SessionEndedData = components["schemas"]["SessionEndedData"];
export type SessionInfo = components["schemas"]["SessionInfo"];
export type SessionListResponse = components["schemas"]["SessionListResponse"];
export type SessionResult = components["schemas"]["SessionResult"];
export type SessionStartedData = components["schemas"]["SessionStartedData"];
export type SessionStatus = components["schemas"]["SessionStatus"];
export type SessionStatusResponse = components["schemas"]["SessionStatusResponse"];
export type SessionUpdatedData = components["schemas"]["SessionUpdatedData"];
export type SetupCompletedData = components["schemas"]["SetupCompletedData"];
export type SetupOutputData = components["schemas"]["SetupOutputData"];
export type SetupStartedData = components["schemas"]["SetupStartedData"];
export type SetupStep = components["schemas"]["SetupStep"];
export type Skill = components["schemas"]["Skill"];
export type SkillFile = components["schemas"]["SkillFile"];
export type StderrOutput = components["schemas"]["StderrOutput"];
export type TaskBlockedData = components["schemas"]["TaskBlockedData"];
export type TaskCompletedData = components["schemas"]["TaskCompletedData"];
export type TaskFailReason = components["schemas"]["TaskFailReason"];
export type TaskFailedData = components["schemas"]["TaskFailedData"];
export type TaskStartedData = components["schemas"]["TaskStartedData"];
export type TerminalInfo = components["schemas"]["TerminalInfo"];
export type TerminalListResponse = components["schemas"]["TerminalListResponse"];
export type TerminalStatus = components["schemas"]["TerminalStatus"];
export type TerminatedBy = components["schemas"]["TerminatedBy"];
export type TokenRequest = components["schemas"]["TokenRequest"];
export type TokenResponse = components["schemas"]["TokenResponse"];
export type TokenUsage = components["schemas"]["TokenUsage"];
export type TranscriptEntry = components["schemas"]["TranscriptEntry"];
export type TranscriptEntryType = components["schemas"]["TranscriptEntryType"];
export type TranscriptResponse = components["schemas"]["TranscriptResponse"];
export type Truncated = components["schemas"]["Truncated"];
export type TurnEndReason = components["schemas"]["TurnEndReason"];
export type TurnEndedData = components["schemas"]["TurnEndedData"];
export type TurnStartedData = components["schemas"]["TurnStartedData"];
export type UniversalEvent = components["schemas"]["UniversalEvent"];
export type UniversalItem = components["schemas"]["UniversalItem"];
export type UpdateSessionRequest = components["schemas"]["UpdateSessionRequest"];
export type Validation = components["schemas"]["Validation"];
export type Verification = components["schemas"]["Verification"];
export type WorkflowMode = components["schemas"]["WorkflowMode"];
