import { SandboxAgentError, SandboxAgentNetworkError } from "./errors.js";
import type { UniversalEvent } from "./generated/openapi.js";

export interface StreamEventsOptions {
  /** Start after this sequence (default 0: from the first event). */
  offset?: number;
  /** Comma-separated event type patterns (`item.*,turn.ended`). */
  subscribe?: string;
  /** Include the agent's native payload in `raw`. */
  includeRaw?: boolean;
  /** The name this attachment goes by among the session's participants. */
  participant?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Reconnects in a row that may fail before the stream gives up (default 10). */
  maxRetries?: number;
  /** The first wait before reconnecting, in ms; it doubles up to 5 s (default 200). */
  retryDelayMs?: number;
  /** Told before each reconnect: the attempt, the last sequence received, what ended the connection. */
  onReconnect?: (info: { attempt: number; lastEventId: number; error: unknown }) => void;
}

type Open = (after: number, signal: AbortSignal | undefined) => AsyncIterable<UniversalEvent>;

/**
 * The reconnecting loop behind `streamEvents`. Each connection resumes after the last event
 * received (`Last-Event-ID`), and an event at or below it is dropped, so the consumer sees every
 * sequence once, in order, whatever happens to the connections.
 */
export async function* followEvents(open: Open, options: StreamEventsOptions): AsyncGenerator<UniversalEvent> {
  const { signal } = options;
  const maxRetries = options.maxRetries ?? 10;
  let last = options.offset ?? 0;
  let failures = 0;
  for (;;) {
    let error: unknown = new SandboxAgentNetworkError("the event stream ended before session.ended");
    try {
      for await (const event of open(last, signal)) {
        failures = 0;
        // Frames already buffered keep coming after an abort: stop at once.
        if (signal?.aborted) return;
        if (event.sequence <= last) continue;
        last = event.sequence;
        yield event;
        if (event.type === "session.ended") return;
      }
    } catch (err) {
      if (signal?.aborted) return;
      // A problem below 500 (unknown session, revoked token) will not go away by retrying.
      if (err instanceof SandboxAgentError && err.status < 500) throw err;
      error = err;
    }
    if (signal?.aborted) return;
    failures += 1;
    if (failures > maxRetries) {
      throw new SandboxAgentNetworkError(`event stream lost after ${maxRetries} reconnects`, { cause: error });
    }
    options.onReconnect?.({ attempt: failures, lastEventId: last, error });
    const delay = Math.min(5000, (options.retryDelayMs ?? 200) * 2 ** (failures - 1));
    if (!(await wait(delay, signal))) return;
  }
}

/** Waits `ms`; false when `signal` aborted first. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
