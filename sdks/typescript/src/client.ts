import { errorFromResponse, SandboxAgentNetworkError } from "./errors.js";
import type {
  MessageRequest,
  operations,
  ProblemDetails,
  RunOutputChunk,
  RunResponse,
  UniversalEvent,
} from "./generated/openapi.js";
import { readSse } from "./sse.js";
import { TerminalSocket, type WebSocketLike } from "./terminal.js";
import { followEvents, type StreamEventsOptions } from "./stream.js";

/** How to reach a daemon (server mode). */
export interface ConnectOptions {
  /** `http://host:port`, without `/v1`. */
  baseUrl: string;
  /** Bearer token: the daemon's `--token`, or a participant token from `createToken`. */
  token?: string;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** For terminals: a WebSocket constructor where there is no global one (Node 20: the `ws` package). */
  WebSocket?: WebSocketLike;
}

/** What every call takes last. */
export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

type Ops = operations;
type OkOf<K extends keyof Ops> = Ops[K]["responses"] extends { 200: { content: { "application/json": infer T } } }
  ? T
  : void;
type BodyOf<K extends keyof Ops> = Ops[K] extends { requestBody: { content: { "application/json": infer B } } }
  ? B
  : Ops[K] extends { requestBody?: { content: { "application/json": infer B } } }
    ? B
    : never;
type QueryOf<K extends keyof Ops> = Ops[K]["parameters"] extends { query?: infer Q } ? NonNullable<Q> : never;

/** The query of each operation that has one, by operationId. */
export type Query<K extends keyof Ops> = QueryOf<K>;
/** The JSON body of each operation that takes one, by operationId. */
export type Body<K extends keyof Ops> = BodyOf<K>;
/** The success response of each operation, by operationId (`void` for 204). */
export type Ok<K extends keyof Ops> = OkOf<K>;

/** One event of `runCommandStream`: output as it comes, then `exit` (or `error`). */
export type RunStreamEvent =
  | { type: "stdout"; data: RunOutputChunk }
  | { type: "stderr"; data: RunOutputChunk }
  | { type: "exit"; data: RunResponse }
  | { type: "error"; data: ProblemDetails };

type QueryValue = string | number | boolean | string[] | null | undefined;

interface Call {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Bytes sent as they are (files, archives), with `contentType`. */
  raw?: BodyInit;
  contentType?: string;
  options?: RequestOptions;
  headers?: Record<string, string>;
}

const enc = encodeURIComponent;

/** The events of an SSE response whose frames are `UniversalEvent`s. */
async function* universalEvents(response: Response): AsyncGenerator<UniversalEvent> {
  for await (const frame of readSse(response.body!)) yield JSON.parse(frame.data) as UniversalEvent;
}

/**
 * A client of one daemon. `SandboxAgent.connect` reaches a running daemon; `SandboxAgent.start`
 * (Node only) runs one as a child process and stops it on `dispose()`. One method per endpoint,
 * named after its OpenAPI `operationId`: path parameters first, then the body or query, then
 * {@link RequestOptions}.
 */
export class SandboxAgent {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #headers: Record<string, string>;
  readonly #WebSocket: WebSocketLike | undefined;
  /** Set in embedded mode: the daemon's pid and data dir. */
  readonly embedded: { pid: number; dataDir: string } | undefined;
  #onDispose: (() => Promise<void>) | undefined;
  #disposing: Promise<void> | undefined;

  constructor(
    options: ConnectOptions,
    embedded?: { pid: number; dataDir: string; stop: () => Promise<void> },
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.token = options.token;
    const f = options.fetch ?? globalThis.fetch;
    if (!f) throw new TypeError("no fetch: pass `fetch` in the options");
    this.#fetch = f.bind(globalThis);
    this.#headers = { ...options.headers };
    this.#WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketLike }).WebSocket;
    this.embedded = embedded && { pid: embedded.pid, dataDir: embedded.dataDir };
    this.#onDispose = embedded?.stop;
  }

  /** Server mode: a client of the daemon at `baseUrl`. */
  static connect(options: ConnectOptions): SandboxAgent {
    return new SandboxAgent(options);
  }

  /**
   * Embedded mode (Node only): start a daemon as a child process on a free port with a fresh
   * token and return its client; `dispose()` stops it. See {@link StartOptions}.
   */
  static async start(options: import("./embedded.js").StartOptions = {}): Promise<SandboxAgent> {
    // A computed specifier: bundlers for the browser must not pull the Node-only module in.
    const path = "./embedded.js";
    const embedded = (await import(/* @vite-ignore */ path)) as typeof import("./embedded.js");
    return embedded.startEmbedded(options);
  }

  /** Stops the embedded daemon (a no-op in server mode). Safe to call twice: both wait for the stop. */
  dispose(): Promise<void> {
    this.#disposing ??= this.#onDispose?.() ?? Promise.resolve();
    return this.#disposing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  // ---- meta ----

  getHealth(options?: RequestOptions): Promise<Ok<"getHealth">> {
    return this.#json("GET", "/v1/health", { options });
  }

  /** The nodes of the daemon's cluster, their load and sessions (a standalone daemon lists itself). */
  listClusterNodes(options?: RequestOptions): Promise<Ok<"listClusterNodes">> {
    return this.#json("GET", "/v1/cluster/nodes", { options });
  }

  /** The OpenAPI 3.1 document the daemon serves. */
  getOpenApi(options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.#json("GET", "/v1/openapi.json", { options });
  }

  // ---- agents ----

  listAgents(options?: RequestOptions): Promise<Ok<"listAgents">> {
    return this.#json("GET", "/v1/agents", { options });
  }

  installAgent(agent: string, body: Body<"installAgent"> = {}, options?: RequestOptions): Promise<void> {
    return this.#json("POST", `/v1/agents/${enc(agent)}/install`, { body, options });
  }

  getAgentModes(agent: string, options?: RequestOptions): Promise<Ok<"getAgentModes">> {
    return this.#json("GET", `/v1/agents/${enc(agent)}/modes`, { options });
  }

  getAgentModels(agent: string, options?: RequestOptions): Promise<Ok<"getAgentModels">> {
    return this.#json("GET", `/v1/agents/${enc(agent)}/models`, { options });
  }

  // ---- sessions ----

  listSessions(query: Query<"listSessions"> = {}, options?: RequestOptions): Promise<Ok<"listSessions">> {
    return this.#json("GET", "/v1/sessions", { query, options });
  }

  createSession(body: Body<"createSession">, options?: RequestOptions): Promise<Ok<"createSession">> {
    return this.#json("POST", "/v1/sessions", { body, options });
  }

  createSessionWithId(
    sessionId: string,
    body: Body<"createSessionWithId">,
    options?: RequestOptions,
  ): Promise<Ok<"createSessionWithId">> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}`, { body, options });
  }

  getSession(sessionId: string, options?: RequestOptions): Promise<Ok<"getSession">> {
    return this.#json("GET", `/v1/sessions/${enc(sessionId)}`, { options });
  }

  updateSession(sessionId: string, body: Body<"updateSession">, options?: RequestOptions): Promise<Ok<"updateSession">> {
    return this.#json("PATCH", `/v1/sessions/${enc(sessionId)}`, { body, options });
  }

  deleteSession(sessionId: string, options?: RequestOptions): Promise<void> {
    return this.#json("DELETE", `/v1/sessions/${enc(sessionId)}`, { options });
  }

  postMessage(sessionId: string, body: Body<"postMessage">, options?: RequestOptions): Promise<void> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}/messages`, { body, options });
  }

  interruptSession(sessionId: string, options?: RequestOptions): Promise<void> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}/interrupt`, { options });
  }

  terminateSession(sessionId: string, options?: RequestOptions): Promise<void> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}/terminate`, { options });
  }

  archiveSession(sessionId: string, options?: RequestOptions): Promise<Ok<"archiveSession">> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}/archive`, { options });
  }

  resumeSession(sessionId: string, options?: RequestOptions): Promise<Ok<"resumeSession">> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}/resume`, { options });
  }

  getSessionResult(sessionId: string, options?: RequestOptions): Promise<Ok<"getSessionResult">> {
    return this.#json("GET", `/v1/sessions/${enc(sessionId)}/result`, { options });
  }

  /** The files the session keeps in the daemon's store (each checked contract report). */
  listArtifacts(sessionId: string, options?: RequestOptions): Promise<Ok<"listArtifacts">> {
    return this.#json("GET", `/v1/sessions/${enc(sessionId)}/artifacts`, { options });
  }

  /** One artifact's bytes (a report: `JSON.parse(new TextDecoder().decode(bytes))`). */
  async getArtifact(sessionId: string, name: string, options?: RequestOptions): Promise<Uint8Array> {
    const response = await this.#send("GET", `/v1/sessions/${enc(sessionId)}/artifacts/${enc(name)}`, { options });
    return new Uint8Array(await response.arrayBuffer());
  }

  getSessionLoop(sessionId: string, options?: RequestOptions): Promise<Ok<"getSessionLoop">> {
    return this.#json("GET", `/v1/sessions/${enc(sessionId)}/loop`, { options });
  }

  // ---- events ----

  listEvents(sessionId: string, query: Query<"listEvents"> = {}, options?: RequestOptions): Promise<Ok<"listEvents">> {
    return this.#json("GET", `/v1/sessions/${enc(sessionId)}/events`, { query, options });
  }

  getTranscript(
    sessionId: string,
    query: Query<"getTranscript"> = {},
    options?: RequestOptions,
  ): Promise<Ok<"getTranscript">> {
    return this.#json("GET", `/v1/sessions/${enc(sessionId)}/transcript`, { query, options });
  }

  /**
   * One connection to the session's event stream: yields events after `offset` (or
   * `lastEventId`) until `session.ended` or until the connection ends. {@link streamEvents}
   * reconnects; this does not.
   */
  async *getEventsSse(
    sessionId: string,
    query: Query<"getEventsSse"> = {},
    options: RequestOptions & { lastEventId?: number } = {},
  ): AsyncGenerator<UniversalEvent> {
    const headers: Record<string, string> = {};
    if (options.lastEventId !== undefined) headers["Last-Event-ID"] = String(options.lastEventId);
    const response = await this.#send("GET", `/v1/sessions/${enc(sessionId)}/events/sse`, { query, options, headers });
    yield* universalEvents(response);
  }

  /** Sends a message and yields that turn's events, ending after its `turn.ended`. */
  async *postMessageStream(
    sessionId: string,
    body: Body<"postMessageStream">,
    query: Query<"postMessageStream"> = {},
    options?: RequestOptions,
  ): AsyncGenerator<UniversalEvent> {
    const path = `/v1/sessions/${enc(sessionId)}/messages/stream`;
    const response = await this.#send("POST", path, { query, body, options });
    yield* universalEvents(response);
  }

  /**
   * Follows a session's events: replays from `offset`, then the live tail, and after a dropped
   * connection reconnects from the last event received (with backoff), so nothing is missed or
   * repeated. Ends after `session.ended`, when `signal` aborts, or throws once reconnecting has
   * failed `maxRetries` times in a row.
   */
  streamEvents(sessionId: string, options: StreamEventsOptions = {}): AsyncGenerator<UniversalEvent> {
    return followEvents(
      (after, signal) =>
        this.getEventsSse(
          sessionId,
          { include_raw: options.includeRaw, subscribe: options.subscribe, participant: options.participant },
          { signal, lastEventId: after, headers: options.headers },
        ),
      options,
    );
  }

  /** `postMessageStream` with a plain message: posts it and yields the turn's events. */
  streamTurn(
    sessionId: string,
    message: string | MessageRequest,
    options: RequestOptions & { includeRaw?: boolean; subscribe?: string } = {},
  ): AsyncGenerator<UniversalEvent> {
    const body = typeof message === "string" ? { message } : message;
    return this.postMessageStream(sessionId, body, { include_raw: options.includeRaw, subscribe: options.subscribe }, options);
  }

  // ---- participants ----

  listParticipants(sessionId: string, options?: RequestOptions): Promise<Ok<"listParticipants">> {
    return this.#json("GET", `/v1/sessions/${enc(sessionId)}/participants`, { options });
  }

  createToken(sessionId: string, body: Body<"createToken">, options?: RequestOptions): Promise<Ok<"createToken">> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}/tokens`, { body, options });
  }

  revokeToken(sessionId: string, participantId: string, options?: RequestOptions): Promise<void> {
    return this.#json("DELETE", `/v1/sessions/${enc(sessionId)}/tokens/${enc(participantId)}`, { options });
  }

  // ---- questions and permissions ----

  replyQuestion(
    sessionId: string,
    questionId: string,
    body: Body<"replyQuestion">,
    options?: RequestOptions,
  ): Promise<void> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}/questions/${enc(questionId)}/reply`, { body, options });
  }

  rejectQuestion(sessionId: string, questionId: string, options?: RequestOptions): Promise<void> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}/questions/${enc(questionId)}/reject`, { options });
  }

  replyPermission(
    sessionId: string,
    permissionId: string,
    body: Body<"replyPermission">,
    options?: RequestOptions,
  ): Promise<void> {
    const path = `/v1/sessions/${enc(sessionId)}/permissions/${enc(permissionId)}/reply`;
    return this.#json("POST", path, { body, options });
  }

  // ---- one-shot runs ----

  runCommand(body: Body<"runCommand">, options?: RequestOptions): Promise<Ok<"runCommand">> {
    return this.#json("POST", "/v1/run", { body, options });
  }

  /** Runs a command and yields its output as it comes, then `exit`. Aborting kills the run. */
  async *runCommandStream(body: Body<"runCommandStream">, options?: RequestOptions): AsyncGenerator<RunStreamEvent> {
    const response = await this.#send("POST", "/v1/run/stream", { body, options });
    for await (const frame of readSse(response.body!)) {
      const type = frame.event;
      if (type === "stdout" || type === "stderr" || type === "exit" || type === "error") {
        yield { type, data: JSON.parse(frame.data) } as RunStreamEvent;
      }
    }
  }

  // ---- files ----

  /** A directory's entries (absolute `path`, or relative to `sessionId`'s workspace). */
  listFsEntries(query: Query<"listFsEntries">, options?: RequestOptions): Promise<Ok<"listFsEntries">> {
    return this.#json("GET", "/v1/fs/entries", { query, options });
  }

  getFsStat(query: Query<"getFsStat">, options?: RequestOptions): Promise<Ok<"getFsStat">> {
    return this.#json("GET", "/v1/fs/stat", { query, options });
  }

  /** A file's bytes, whole. {@link readFsFileStream} streams them. */
  async readFsFile(query: Query<"readFsFile">, options?: RequestOptions): Promise<Uint8Array> {
    const response = await this.#send("GET", "/v1/fs/file", { query, options });
    return new Uint8Array(await response.arrayBuffer());
  }

  /** A file's bytes as they arrive. */
  async readFsFileStream(query: Query<"readFsFile">, options?: RequestOptions): Promise<ReadableStream<Uint8Array>> {
    const response = await this.#send("GET", "/v1/fs/file", { query, options });
    return response.body!;
  }

  /** `body` (bytes, text, a Blob or a ReadableStream) as the file; parents are made. */
  writeFsFile(query: Query<"writeFsFile">, body: BodyInit | Uint8Array, options?: RequestOptions): Promise<Ok<"writeFsFile">> {
    return this.#json("PUT", "/v1/fs/file", { query, raw: body as BodyInit, options });
  }

  deleteFsEntry(query: Query<"deleteFsEntry">, options?: RequestOptions): Promise<void> {
    return this.#json("DELETE", "/v1/fs/entry", { query, options });
  }

  createFsDirectory(
    body: Body<"createFsDirectory">,
    query: Query<"createFsDirectory"> = {},
    options?: RequestOptions,
  ): Promise<Ok<"createFsDirectory">> {
    return this.#json("POST", "/v1/fs/mkdir", { body, query, options });
  }

  moveFsEntry(body: Body<"moveFsEntry">, query: Query<"moveFsEntry"> = {}, options?: RequestOptions): Promise<Ok<"moveFsEntry">> {
    return this.#json("POST", "/v1/fs/move", { body, query, options });
  }

  /** A tar archive (bytes or a stream) unpacked into the directory `query.path`. */
  uploadFsBatch(query: Query<"uploadFsBatch">, tar: BodyInit | Uint8Array, options?: RequestOptions): Promise<Ok<"uploadFsBatch">> {
    return this.#json("POST", "/v1/fs/upload-batch", { query, raw: tar as BodyInit, contentType: "application/x-tar", options });
  }

  // ---- ACP over HTTP ----

  /** The ACP connections. */
  listAcpServers(options?: RequestOptions): Promise<Ok<"listAcpServers">> {
    return this.#json("GET", "/v1/acp", { options });
  }

  /**
   * One JSON-RPC message to the ACP connection `serverId` (made on first use, its sessions of
   * `query.agent`): a request's response, or `undefined` for a notification or an answer.
   */
  async postAcp(serverId: string, message: unknown, query: Query<"postAcp"> = {}, options?: RequestOptions): Promise<unknown> {
    const response = await this.#send("POST", `/v1/acp/${enc(serverId)}`, { body: message, query, options });
    return response.status === 200 ? response.json() : undefined;
  }

  /** The connection's messages from the daemon, after `lastEventId`, until it closes (one connection). */
  async *getAcpEvents(
    serverId: string,
    options: RequestOptions & { lastEventId?: number } = {},
  ): AsyncGenerator<{ id: number; message: unknown }> {
    const headers: Record<string, string> = {};
    if (options.lastEventId !== undefined) headers["Last-Event-ID"] = String(options.lastEventId);
    const response = await this.#send("GET", `/v1/acp/${enc(serverId)}`, { options, headers });
    if (!response.body) return;
    for await (const frame of readSse(response.body)) {
      yield { id: Number(frame.id), message: JSON.parse(frame.data) as unknown };
    }
  }

  /** Closes the ACP connection (its sessions stay). */
  closeAcp(serverId: string, options?: RequestOptions): Promise<void> {
    return this.#json("DELETE", `/v1/acp/${enc(serverId)}`, { options });
  }

  // ---- terminals ----

  /** A PTY running `command` (default: an interactive shell) in the session's workspace. */
  createTerminal(sessionId: string, body: Body<"createTerminal"> = {}, options?: RequestOptions): Promise<Ok<"createTerminal">> {
    return this.#json("POST", `/v1/sessions/${enc(sessionId)}/terminals`, { body, options });
  }

  listTerminals(sessionId: string, options?: RequestOptions): Promise<Ok<"listTerminals">> {
    return this.#json("GET", `/v1/sessions/${enc(sessionId)}/terminals`, { options });
  }

  getTerminal(sessionId: string, terminalId: string, options?: RequestOptions): Promise<Ok<"getTerminal">> {
    return this.#json("GET", `/v1/sessions/${enc(sessionId)}/terminals/${enc(terminalId)}`, { options });
  }

  /** Kills the terminal's whole process session. */
  killTerminal(sessionId: string, terminalId: string, options?: RequestOptions): Promise<void> {
    return this.#json("DELETE", `/v1/sessions/${enc(sessionId)}/terminals/${enc(terminalId)}`, { options });
  }

  /** The terminal's WebSocket: iterate it for output and the exit; `send` and `resize` drive it. */
  async attachTerminal(sessionId: string, terminalId: string, options: { signal?: AbortSignal } = {}): Promise<TerminalSocket> {
    if (!this.#WebSocket) throw new TypeError("no WebSocket: pass `WebSocket` in the connect options (Node 20: the `ws` package)");
    const url = this.url(`/v1/sessions/${enc(sessionId)}/terminals/${enc(terminalId)}/ws`).replace(/^http/, "ws");
    return TerminalSocket.open(url, this.token, this.#WebSocket, options.signal);
  }

  // ---- transport ----

  /** The URL of an API path with its query (arrays repeat the key; undefined and null are left out). */
  url(path: string, query?: Record<string, QueryValue>): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    return url.toString();
  }

  async #send(method: string, path: string, call: Call): Promise<Response> {
    const headers: Record<string, string> = { ...this.#headers, ...call.headers, ...call.options?.headers };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let body: BodyInit | undefined;
    if (call.raw !== undefined) {
      headers["Content-Type"] = call.contentType ?? "application/octet-stream";
      body = call.raw;
    } else if (call.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(call.body);
    }
    // A streamed body needs half-duplex in fetch (Node requires saying so).
    const duplex = typeof ReadableStream !== "undefined" && body instanceof ReadableStream ? { duplex: "half" } : {};
    let response: Response;
    try {
      response = await this.#fetch(this.url(path, call.query as Record<string, QueryValue>), {
        method,
        headers,
        body,
        signal: call.options?.signal,
        ...duplex,
      } as RequestInit);
    } catch (err) {
      if (call.options?.signal?.aborted) throw err;
      throw new SandboxAgentNetworkError(`${method} ${path}: ${(err as Error).message ?? err}`, { cause: err });
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  async #json<T>(method: string, path: string, call: Call): Promise<T> {
    const response = await this.#send(method, path, call);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new SandboxAgentNetworkError(`${method} ${path}: the response is not JSON`, { cause });
    }
  }
}
