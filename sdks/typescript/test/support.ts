// Test support: a real daemon (the cargo build) per test file, and waits that always time out.
import { SandboxAgent, type StartOptions, type UniversalEvent } from "../src/index.js";

/** Starts the daemon built by cargo (or `SANDBOX_AGENT_BIN`) with a fresh data dir. */
export function startDaemon(options: StartOptions = {}): Promise<SandboxAgent> {
  return SandboxAgent.start({ timeoutMs: 30_000, ...options, env: { RUST_LOG: "warn", ...options.env } });
}

/** Reads `events` until `stop` says so, failing after `ms`. */
export async function collect(
  events: AsyncIterable<UniversalEvent>,
  stop: (event: UniversalEvent, all: UniversalEvent[]) => boolean,
  ms = 20_000,
): Promise<UniversalEvent[]> {
  const all: UniversalEvent[] = [];
  const read = (async () => {
    for await (const event of events) {
      all.push(event);
      if (stop(event, all)) return all;
    }
    return all;
  })();
  return within(read, ms, () => `stream: ${all.length} events, last ${all.at(-1)?.type}`);
}

/** `promise`, or a rejection after `ms` saying what was awaited. */
export async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The first event of `type` in a session's stream from `offset`. */
export async function next(client: SandboxAgent, sessionId: string, type: string, offset = 0): Promise<UniversalEvent> {
  const ac = new AbortController();
  try {
    const events = await collect(client.streamEvents(sessionId, { offset, signal: ac.signal }), (e) => e.type === type);
    const found = events.at(-1);
    if (found?.type !== type) throw new Error(`no ${type} in ${events.map((e) => e.type).join(",")}`);
    return found;
  } finally {
    ac.abort();
  }
}

/** Text of every assistant message item completed among `events`. */
export function replies(events: UniversalEvent[]): string[] {
  return events.flatMap((e) =>
    e.type === "item.completed" && e.data.item.role === "assistant" && e.data.item.kind === "message"
      ? [e.data.item.content.map((p) => (p.type === "text" ? p.text : "")).join("")]
      : [],
  );
}
