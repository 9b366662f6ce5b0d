// ACP over HTTP with the real `@agentclientprotocol/sdk` client: its own ClientApp, over a small
// HTTP transport written here (POST each message, read the connection's SSE), driving the mock
// agent through the daemon.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { client, type AnyMessage, type Stream } from "@agentclientprotocol/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SandboxAgent } from "../src/index.js";
import { startDaemon, within } from "./support.js";

const TOKEN = "acp-test-token";
let sa: SandboxAgent;

beforeAll(async () => {
  sa = await startDaemon({ token: TOKEN });
});
afterAll(async () => {
  await sa?.dispose();
});

/** The transport, on the SDK's ACP methods: every message a `postAcp` (a response goes to the
 * reader), the daemon's messages from `getAcpEvents`, reopened after `lastEventId` by
 * `reconnect()`. */
function httpStream(serverId: string) {
  const ids: number[] = [];
  let push!: (m: AnyMessage) => void;
  let sse: AbortController | undefined;
  const readable = new ReadableStream<AnyMessage>({
    start(controller) {
      push = (m) => controller.enqueue(m);
    },
  });
  const listen = () => {
    sse = new AbortController();
    const signal = sse.signal;
    const events = sa.getAcpEvents(serverId, { lastEventId: ids.at(-1), signal });
    void (async () => {
      try {
        for await (const { id, message } of events) {
          ids.push(id);
          push(message as AnyMessage);
        }
      } catch (e) {
        if (!signal.aborted) throw e;
      }
    })();
  };
  let first = true;
  const writable = new WritableStream<AnyMessage>({
    async write(message) {
      const post = sa.postAcp(serverId, message, { agent: "mock" }).then((response) => {
        if (response !== undefined) push(response as AnyMessage);
      });
      // The first message makes the connection; its stream opens after. Later posts do not
      // block the writer: a prompt's answer waits for its turn, which may wait for us.
      if (first) {
        first = false;
        await post;
        listen();
      } else {
        post.catch((e) => console.error(e));
      }
    },
  });
  const stream: Stream = { readable, writable };
  return { stream, ids, disconnect: () => sse?.abort(), reconnect: listen };
}

type Update = { sessionId: string; update: { sessionUpdate: string; content?: { text?: string }; toolCallId?: string } };

describe("ACP over HTTP", () => {
  it("initialize, session/new, a streamed prompt, a permission, cancel, a reconnect that loses nothing, list and close", async () => {
    const transport = httpStream("editor-1");
    const updates: Update[] = [];
    const asked: unknown[] = [];
    const conn = client()
      .onNotification("session/update", ({ params }) => {
        updates.push(params as Update);
      })
      .onRequest("session/request_permission", async ({ params }) => {
        asked.push(params);
        return { outcome: { outcome: "selected", optionId: "once" } };
      })
      .connect(transport.stream);
    const agent = conn.agent;

    const init = await within(agent.request("initialize", { protocolVersion: 1, clientCapabilities: {} }), 10_000, () => "initialize");
    expect(init.protocolVersion).toBe(1);
    expect(init.agentInfo?.name).toBe("sandbox-agent");
    expect(init.agentCapabilities?.loadSession).toBe(true);

    const cwd = mkdtempSync(join(tmpdir(), "acp-"));
    const { sessionId } = await within(agent.request("session/new", { cwd, mcpServers: [] }), 10_000, () => "session/new");
    // An ordinary session of the daemon.
    const info = await sa.getSession(sessionId);
    expect([info.agent, info.directory]).toEqual(["mock", cwd]);

    const text = () =>
      updates
        .filter((u) => u.sessionId === sessionId && u.update.sessionUpdate === "agent_message_chunk")
        .map((u) => u.update.content?.text ?? "")
        .join("");
    const said = await within(
      agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text: "echo hello over ACP" }] }),
      10_000,
      () => "prompt",
    );
    expect(said.stopReason).toBe("end_turn");
    await within(
      (async () => {
        while (!text().includes("hello over ACP")) await new Promise((r) => setTimeout(r, 20));
      })(),
      5_000,
      () => `chunks: ${text()}`,
    );
    const events = await sa.listEvents(sessionId);
    expect(events.events.some((e) => e.type === "turn.ended")).toBe(true);

    // The mock asks two permissions; the client's answers reach the session.
    const perm = await within(
      agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text: "permission" }] }),
      10_000,
      () => `permission prompt; asked ${asked.length}`,
    );
    expect(perm.stopReason).toBe("end_turn");
    expect(asked).toHaveLength(2);
    const resolved = (await sa.listEvents(sessionId)).events.filter((e) => e.type === "permission.resolved");
    expect(resolved.map((e) => (e.data as { status: string }).status)).toEqual(["approved", "approved"]);

    // Cancel a slow reply: its prompt answers `cancelled`. The stream drops meanwhile and comes back.
    const before = updates.length;
    const slow = agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text: "slow 20000" }] });
    await within(
      (async () => {
        while (updates.length < before + 2) await new Promise((r) => setTimeout(r, 20));
      })(),
      5_000,
      () => "slow chunks",
    );
    transport.disconnect();
    // The reply goes on while no one listens: wait until the daemon has sent past what arrived.
    const seen = transport.ids.at(-1)!;
    await within(
      (async () => {
        while ((await sa.listAcpServers()).servers[0]!.lastEventId <= seen + 2) await new Promise((r) => setTimeout(r, 20));
      })(),
      5_000,
      () => "messages sent while disconnected",
    );
    transport.reconnect();
    await agent.notify("session/cancel", { sessionId });
    const cancelled = await within(slow, 10_000, () => "cancelled prompt");
    expect(cancelled.stopReason).toBe("cancelled");
    // Every message the daemon sent arrived once, in order: 1, 2, 3, … with no gap.
    await within(
      (async () => {
        const { servers } = await sa.listAcpServers();
        while (transport.ids.at(-1)! < servers[0]!.lastEventId) await new Promise((r) => setTimeout(r, 20));
      })(),
      5_000,
      () => "catching up",
    );
    expect(transport.ids).toEqual(transport.ids.map((_, i) => i + 1));

    const list = await sa.listAcpServers();
    expect(list.servers.map((s) => [s.serverId, s.agent, s.sessionIds])).toEqual([["editor-1", "mock", [sessionId]]]);
    await sa.closeAcp("editor-1");
    expect((await sa.listAcpServers()).servers).toEqual([]);
    conn.close();
  });
});
