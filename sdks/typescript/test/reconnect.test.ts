// streamEvents across cut TCP connections: a proxy between the SDK and the daemon destroys every
// socket mid-stream; the SDK reconnects from the last id and the sequence goes on exactly.
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";

import { SandboxAgent, type UniversalEvent } from "../src/index.js";
import { collect, next, startDaemon } from "./support.js";

let sa: SandboxAgent;
let proxy: { url: string; cut: () => number; close: () => Promise<void> };

/** A TCP proxy to `target` whose `cut()` destroys every open connection at once. */
async function tcpProxy(target: URL): Promise<typeof proxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    cut: () => {
      const n = sockets.size;
      for (const s of sockets) s.destroy();
      return n;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  sa = await startDaemon({ args: ["--mock-pacing-ms", "1"] });
  proxy = await tcpProxy(new URL(sa.baseUrl));
});
afterAll(async () => {
  proxy?.cut();
  await proxy?.close();
  await sa?.dispose();
});

it("a stream cut mid-turn resumes from the last received id: no gap, no duplicate", async () => {
  const { sessionId } = await sa.createSession({ agent: "mock" });
  await next(sa, sessionId, "session.started");
  const through = SandboxAgent.connect({ baseUrl: proxy.url, token: sa.token });
  const reconnects: number[] = [];
  let cuts = 0;
  const ac = new AbortController();
  const stream = through.streamEvents(sessionId, {
    signal: ac.signal,
    retryDelayMs: 10,
    onReconnect: ({ lastEventId }) => reconnects.push(lastEventId),
  });
  await sa.postMessage(sessionId, { message: "flood 3000" });
  const seen = await collect(
    stream,
    (event, all) => {
      // Cut everything three times while the turn is flowing.
      if (all.length % 700 === 0 && cuts < 3) cuts += proxy.cut() > 0 ? 1 : 0;
      return event.type === "turn.ended";
    },
    60_000,
  );
  ac.abort();
  expect(cuts).toBe(3);
  expect(reconnects.length).toBeGreaterThanOrEqual(3);
  const sequences = seen.map((e: UniversalEvent) => e.sequence);
  expect(sequences).toEqual(sequences.map((_, i) => i + 1));
  // What came through the cuts is exactly what the daemon stored, field for field.
  const stored = await sa.listEvents(sessionId, { limit: sequences.length });
  expect(seen).toEqual(stored.events);
  expect(seen.filter((e) => e.type === "item.delta").length).toBeGreaterThanOrEqual(3000);
});

it("a stream ends after session.ended, and a stream of an unknown session fails at once", async () => {
  const { sessionId } = await sa.createSession({ agent: "mock" });
  await sa.terminateSession(sessionId);
  const all = await collect(sa.streamEvents(sessionId), () => false);
  expect(all.at(-1)?.type).toBe("session.ended");
  await expect(collect(sa.streamEvents("no-such-session"), () => false)).rejects.toMatchObject({ status: 404 });
});
