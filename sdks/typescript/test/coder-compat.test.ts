// The Coder Hub surface with the real `@agentuity/core` client (pinned): `CoderClient` for REST,
// `streamCoderSessionSSE` for the stream, `CoderHubWebSocketClient` to drive a session, all
// against the daemon with the mock agent. Every value the client returns has passed its own
// Zod schemas, so a shape the client would refuse fails here.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CoderClient, CoderHubWebSocketClient, streamCoderSessionSSE } from "@agentuity/core/coder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";

import { SandboxAgent } from "../src/index.js";
import { next, startDaemon, within } from "./support.js";

// Node 20 has no global WebSocket; the Hub's client uses the global one.
globalThis.WebSocket ??= NodeWebSocket as unknown as typeof WebSocket;

const TOKEN = "coder-compat-token";
const nonce = `n${Date.now().toString(36)}`;
let sa: SandboxAgent;
let hub: CoderClient;
let repoUrl: string;

beforeAll(async () => {
  sa = await startDaemon({ token: TOKEN, args: ["--coder-agent", "mock"] });
  hub = new CoderClient({ apiKey: TOKEN, url: sa.baseUrl, orgId: "org_test" });
  const repo = mkdtempSync(join(tmpdir(), "coder-repo-"));
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { stdio: "pipe" });
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "README.md"), "# the repo\n");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "first");
  repoUrl = `file://${repo}`;
});
afterAll(async () => {
  await sa?.dispose();
});

/** Creates a Hub session from a task and waits until its first turn ended. */
async function created(task: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { sessionId, status } = await hub.createSession({ task, tags: [nonce], ...extra });
  // "idle" when nothing was left to prepare, "active" when the task's turn has already begun.
  expect(["creating", "idle", "active"]).toContain(status);
  await next(sa, sessionId, "turn.ended");
  return sessionId;
}

/** An `rpc_command` frame for `sendAndWait` (its parameter type, an `Omit` over a union, keeps
 * only the fields every frame shares). */
const rpc = (command: Record<string, unknown>) =>
  ({ type: "rpc_command", command }) as unknown as Parameters<CoderHubWebSocketClient["sendAndWait"]>[0];

/** The message texts of `message_end` broadcasts. */
const said = (frames: { event: string; data: any }[]) =>
  frames.filter((f) => f.event === "broadcast" && f.data.event === "message_end").map((f) => f.data.data.text);

describe("CoderClient against the daemon", () => {
  it("creates from a task with a repo, gets, lists with search and paging, updates, deletes", async () => {
    const id = await created("Fix the README", {
      label: "readme fix",
      workflowMode: "standard",
      metadata: { expectedReportPath: "agent-output/report.json", ticket: 7 },
      repo: { url: repoUrl, branch: "main" },
    });
    expect(id).toMatch(/^codesess_/);
    const detail = await hub.getSession(id);
    expect(detail).toMatchObject({
      sessionId: id,
      label: "readme fix",
      task: "Fix the README",
      status: "idle",
      bucket: "running",
      runtimeAvailable: true,
      historyOnly: false,
      workflowMode: "standard",
      tags: [nonce],
      metadata: { expectedReportPath: "agent-output/report.json", ticket: 7 },
    });
    expect((detail as any).repo).toMatchObject({ url: repoUrl, branch: "main", rootPath: expect.any(String) });
    expect((detail as any).repo.commit).toMatch(/^[0-9a-f]{40}$/);

    const others = [await created(`second ${nonce}`), await created(`third ${nonce}`)];
    const all = await hub.listSessions({ search: nonce, limit: 10 });
    expect(all.total).toBe(2); // the search is over label and task: the first has neither
    expect(all.sessions.map((s) => s.sessionId).sort()).toEqual([...others].sort());
    const first = await hub.listSessions({ search: nonce, limit: 1, offset: 0 });
    const second = await hub.listSessions({ search: nonce, limit: 1, offset: 1 });
    expect([first.sessions.length, second.sessions.length, first.total]).toEqual([1, 1, 2]);
    expect(first.sessions[0]!.sessionId).not.toBe(second.sessions[0]!.sessionId);

    const updated = await hub.updateSession(id, { label: "renamed", tags: ["x", nonce], metadata: { phase: "review" } });
    expect(updated).toMatchObject({ sessionId: id, label: "renamed", tags: ["x", nonce] });
    expect(await hub.getSession(id)).toMatchObject({ label: "renamed", metadata: { phase: "review" } });
    await expect(hub.updateSession(id, { visibility: "organization" })).rejects.toThrow(/visibility "organization"/);
    await expect(hub.updateSession(id, { enabledAgents: ["scout"] })).rejects.toThrow(/enabledAgents/);

    for (const other of others) await hub.deleteSession(other);
    await expect(hub.getSession(others[0]!)).rejects.toMatchObject({ status: 404, message: expect.stringContaining("session not found") });
  });

  it("serves history, replay, participants and loop state", async () => {
    const id = await created("Greet me");
    const history = await hub.listEventHistory(id, { limit: 50 });
    const ids = history.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBe(1);
    const names = history.events.map((e) => e.event);
    expect(names).toEqual(expect.arrayContaining(["session_start", "task_start", "turn_start", "message_end", "turn_end"]));
    const taskStart = history.events.find((e) => e.event === "task_start")!;
    expect(taskStart).toMatchObject({ category: "task", taskId: id, payload: { prompt: "Greet me" } });
    expect(new Date(taskStart.occurredAt).getTime()).toBeGreaterThan(0);
    const page = await hub.listEventHistory(id, { limit: 2, offset: 2 });
    expect(page.events.map((e) => e.id)).toEqual([3, 4]);

    const replay = (await hub.getReplay(id)) as any;
    expect(replay.entriesSource).toBe("event_history");
    const entries = replay.entries.map((e: any) => [e.type, e.content]);
    expect(entries).toContainEqual(["user_prompt", "Greet me"]);
    expect(entries).toContainEqual(["message", "You said: Greet me"]);
    expect(typeof replay.entries[0].timestamp).toBe("number");

    const observer = await sa.createToken(id, { name: "viewer", role: "observer" });
    const listed = await hub.listParticipants(id);
    expect(listed.participants).toContainEqual(
      expect.objectContaining({ id: observer.participantId, role: "observer", transport: "token" }),
    );

    expect(await hub.getLoopState(id)).toEqual({ sessionId: id, workflowMode: "standard", loop: null });
    const looping = await created("Loop on it", {
      workflowMode: "loop",
      loop: { goal: "a report", maxIterations: 2, autoContinue: false },
      metadata: { expectedReportPath: "agent-output/report.json" },
    });
    const state = await hub.getLoopState(looping);
    expect(state.workflowMode).toBe("loop");
    expect(state.loop).toMatchObject({ maxIterations: 2, goal: "a report", iteration: expect.any(Number) });
    expect(typeof state.loop!.updatedAt).toBe("number");
  });

  it("streams snapshot, hydration and filtered broadcasts, and drives a prompt over the WebSocket", async () => {
    const id = await created("First things first");
    const ac = new AbortController();
    const frames: { event: string; data: any }[] = [];
    const stream = streamCoderSessionSSE({
      sessionId: id,
      apiKey: TOKEN,
      orgId: "org_test",
      url: sa.baseUrl,
      subscribe: ["task_*", "agent_*", "message_end"],
      signal: ac.signal,
      reconnect: false,
    });
    let opened!: () => void;
    const opening = new Promise<void>((resolve) => (opened = resolve));
    const reading = (async () => {
      for await (const frame of stream) {
        frames.push(frame as any);
        if (frames.length === 2) opened();
        if (said(frames).includes("You said: over the socket")) return;
      }
    })().catch((e) => {
      if (!ac.signal.aborted) throw e;
    });
    await within(opening, 10_000, () => `frames: ${JSON.stringify(frames)}`);
    expect(frames[0]!.event).toBe("snapshot");
    expect(frames[0]!.data).toMatchObject({ sessionId: id, status: "idle", mode: "sandbox", agentActivity: { mock: { status: "idle" } } });
    expect(frames[1]!.event).toBe("hydration");
    expect(frames[1]!.data.entries.map((e: any) => e.content)).toContain("You said: First things first");

    // A label change is a `session_label_updated`: not subscribed, so never sent.
    await hub.updateSession(id, { label: "during the stream" });

    const inits: unknown[] = [];
    const ready = new Promise<void>((resolve) => {
      const controller = new CoderHubWebSocketClient({
        apiKey: TOKEN,
        url: sa.baseUrl,
        sessionId: id,
        role: "controller",
        autoReconnect: false,
        onInit: (init) => {
          inits.push(init);
          resolve();
        },
      });
      controller.connect();
      sockets.push(controller);
    });
    await within(ready, 10_000, () => "no init on the WebSocket");
    expect(inits[0]).toMatchObject({ type: "init", role: "controller", sessionId: id });
    const reply = await sockets[0]!.sendAndWait(rpc({ type: "prompt", message: "over the socket" }));
    expect(reply.actions).toEqual([{ action: "ACK" }]);
    await within(reading, 20_000, () => `frames: ${frames.map((f) => f.data.event ?? f.event).join(",")}`);
    ac.abort();

    const events = frames.slice(2).map((f) => f.data.event);
    expect(frames.slice(2).every((f) => f.event === "broadcast")).toBe(true);
    expect(events).toContain("agent_progress");
    expect(events.every((e) => e.startsWith("task_") || e.startsWith("agent_") || e === "message_end")).toBe(true);
    expect(events).not.toContain("session_label_updated");
    const progress = frames.find((f) => f.data.event === "agent_progress")!.data;
    expect(progress).toMatchObject({ category: "agent", sessionId: id, data: { status: "text_delta" } });
    expect(typeof progress.timestamp).toBe("number");

    // An observer may watch, not drive.
    const observer = await new Promise<CoderHubWebSocketClient>((resolve) => {
      const o = new CoderHubWebSocketClient({
        apiKey: TOKEN,
        url: sa.baseUrl,
        sessionId: id,
        role: "observer",
        autoReconnect: false,
        onOpen: () => resolve(o),
      });
      o.connect();
      sockets.push(o);
    });
    const refused = await observer.sendAndWait(rpc({ type: "prompt", message: "no" }));
    expect(refused.actions).toEqual([{ action: "BLOCK", reason: "an observer may not drive the session" }]);
    for (const s of sockets) s.close();
  });

  it("archives, resumes, deletes; refuses a wrong key; takes session tokens; works under the /coder prefix", async () => {
    const id = await created("Put away");
    const observer = await sa.createToken(id, { name: "app", role: "observer" });
    const asObserver = new CoderClient({ apiKey: observer.token, url: `${sa.baseUrl}/coder` });
    expect((await asObserver.getSession(id)).sessionId).toBe(id);
    await expect(asObserver.listSessions({ limit: 1 })).rejects.toMatchObject({
      status: 403,
      message: "only the daemon token may do this",
    });
    await expect(new CoderClient({ apiKey: "wrong", url: sa.baseUrl }).listSessions({ limit: 1 })).rejects.toMatchObject({
      status: 401,
    });

    expect(await hub.archiveSession(id)).toEqual({ sessionId: id, status: "archived" });
    expect(await hub.getSession(id)).toMatchObject({ status: "archived", bucket: "history", historyOnly: true, runtimeAvailable: false });
    expect(await hub.resumeSession(id)).toMatchObject({ sessionId: id, status: "archived" });
    const archived = await hub.listSessions({ search: "Put away", includeArchived: true });
    expect(archived.sessions.map((s) => s.sessionId)).toContain(id);
    expect((await hub.listSessions({ search: "Put away" })).sessions).toEqual([]);
    await hub.deleteSession(id);
    await expect(hub.getSession(id)).rejects.toMatchObject({ status: 404 });
  });
});

const sockets: CoderHubWebSocketClient[] = [];
