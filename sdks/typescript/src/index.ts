export { attachBytes } from "./attachments.js";
export { SandboxAgent } from "./client.js";
export type { Body, ConnectOptions, Ok, Query, RequestOptions, RunStreamEvent } from "./client.js";
export type { StartOptions } from "./embedded.js";
export { errorFromResponse, SandboxAgentError, SandboxAgentNetworkError } from "./errors.js";
export { readSse, type SseFrame } from "./sse.js";
export type { StreamEventsOptions } from "./stream.js";
export { TERMINAL_PROTOCOL, TerminalSocket, type TerminalEvent, type WebSocketLike } from "./terminal.js";
export type * from "./generated/openapi.js";
