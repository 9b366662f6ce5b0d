// Every SDK method against the real daemon (the mock agent), no HTTP mocks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { attachBytes, SandboxAgent, SandboxAgentError, SandboxAgentNetworkError, type UniversalEvent } from "../src/index.js";
import { collect, next, replies, startDaemon } from "./support.js";

let sa: SandboxAgent;

beforeAll(async () => {
  sa = await startDaemon();
});
afterAll(async () => {
  await sa?.dispose();
});

const turnEnded = (e: UniversalEvent) => e.type === "turn.ended";

async function mockSession(extra: Record<string, unknown> = {}): Promise<string> {
  const { sessionId } = await sa.createSession({ agent: "mock", ...extra });
  await next(sa, sessionId, "session.started");
  return sessionId;
}

describe("meta and agents", () => {
  it("getHealth and getOpenApi", async () => {
    expect(await sa.getHealth()).toEqual({ status: "ok", ownedSessions: 0 });
    // A standalone daemon is a cluster of one.
    const cluster = await sa.listClusterNodes();
    expect(cluster).toMatchObject({ node: "standalone", clustered: false });
    expect(cluster.nodes.map((n) => [n.id, n.alive, n.sessions])).toEqual([["standalone", true, 0]]);
    const doc = (await sa.getOpenApi()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toContain("/v1/sessions/{session_id}/events/sse");
  });

  it("listAgents, getAgentModes, getAgentModels, installAgent", async () => {
    const { agents } = await sa.listAgents();
    const mock = agents.find((a) => a.id === "mock")!;
    expect(mock.installed).toBe(true);
    expect(mock.capabilities.textMessages).toBe(true);
    expect(agents.map((a) => a.id)).toEqual(expect.arrayContaining(["claude", "codex", "opencode", "mock"]));
    const { modes } = await sa.getAgentModes("mock");
    expect(modes.map((m) => m.id)).toContain("build");
    const models = await sa.getAgentModels("mock");
    expect(models.models.map((m) => m.id)).toEqual(expect.arrayContaining(["mock", "mock-thinking"]));
    await expect(sa.installAgent("mock")).resolves.toBeUndefined();
    const err = await sa.installAgent("nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxAgentError);
    expect((err as SandboxAgentError).status).toBe(400);
  });
});

describe("sessions", () => {
  it("createSession, getSession, listSessions, updateSession, createSessionWithId, deleteSession", async () => {
    const id = await mockSession({ label: "sdk-label", tags: ["sdk", "one"], metadata: { ticket: 7 } });
    const info = await sa.getSession(id);
    expect(info).toMatchObject({ sessionId: id, agent: "mock", label: "sdk-label", tags: ["sdk", "one"] });
    expect(info.metadata).toEqual({ ticket: 7 });

    const updated = await sa.updateSession(id, { label: "renamed", tags: ["sdk", "two"] });
    expect(updated).toMatchObject({ label: "renamed", tags: ["sdk", "two"] });
    const page = await sa.listSessions({ tag: ["two"], limit: 10 });
    expect(page.sessions.map((s) => s.sessionId)).toEqual([id]);
    expect(page.total).toBe(1);

    const own = await sa.createSessionWithId("sdk-fixed-id", { agent: "mock" });
    expect(own.sessionId).toBe("sdk-fixed-id");
    await sa.deleteSession("sdk-fixed-id");
    const gone = await sa.getSession("sdk-fixed-id").catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(SandboxAgentError);
    expect(gone).toMatchObject({ status: 404, code: "session_not_found" });
    expect((gone as SandboxAgentError).problem.sessionId).toBe("sdk-fixed-id");
  });

  it("postMessage, listEvents and getTranscript", async () => {
    const id = await mockSession();
    await sa.postMessage(id, { message: "echo hello from the sdk" });
    const ended = await next(sa, id, "turn.ended");
    const { events, hasMore } = await sa.listEvents(id, { offset: 0, limit: 1000 });
    expect(hasMore).toBe(false);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)!.sequence).toBeGreaterThanOrEqual(ended.sequence);
    expect(replies(events)).toContain("hello from the sdk");
    const later = await sa.listEvents(id, { offset: 2, limit: 1 });
    expect(later.events.map((e) => e.sequence)).toEqual([3]);
    expect(later.hasMore).toBe(true);
    const onlyTurns = await sa.listEvents(id, { type: "turn.*" });
    expect(new Set(onlyTurns.events.map((e) => e.type))).toEqual(new Set(["turn.started", "turn.ended"]));
    const transcript = await sa.getTranscript(id);
    expect(transcript.entries.some((e) => e.type === "message" && JSON.stringify(e).includes("hello from the sdk"))).toBe(
      true,
    );
  });

  it("postMessage with attachments: sent bytes and a workspace path reach the agent", async () => {
    const id = await mockSession();
    await sa.writeFsFile({ path: "notes/plan.md", sessionId: id }, new TextEncoder().encode("# plan"));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const events = await collect(
      sa.streamTurn(id, { message: "echo seen", attachments: [attachBytes("pic.png", png), { path: "notes/plan.md" }] }),
      () => false,
    );
    const said = replies(events).join("");
    expect(said).toContain("Received 2 attachment(s)");
    expect(said).toContain("- pic.png (image/png, 7 bytes)");
    expect(said).toContain('- plan.md (text/markdown, 6 bytes): "# plan"');
    const user = events.find((e) => e.type === "item.completed" && e.data.item.role === "user");
    const parts = user?.type === "item.completed" ? user.data.item.content.map((p) => p.type) : [];
    expect(parts).toEqual(["text", "image", "file_ref"]);
    const bad = await sa.postMessage(id, { message: "x", attachments: [{ path: "../../etc/passwd" }] }).catch((e) => e);
    expect(bad).toMatchObject({ status: 403, code: "path_not_allowed" });
  });

  it("streamTurn and postMessageStream yield one turn, deltas included", async () => {
    const id = await mockSession();
    const events = await collect(sa.streamTurn(id, "demo"), () => false);
    expect(events.at(-1)!.type).toBe("turn.ended");
    expect(events.some((e) => e.type === "item.delta")).toBe(true);
    const raw = await collect(sa.postMessageStream(id, { message: "echo raw" }, { include_raw: true }), () => false);
    expect(replies(raw)).toEqual(["raw"]);
    expect(raw.every((e) => "raw" in e)).toBe(true);
  });

  it("interruptSession ends a running turn interrupted; terminateSession ends the session", async () => {
    const id = await mockSession();
    await sa.postMessage(id, { message: "slow 60000" });
    await next(sa, id, "turn.started");
    await sa.interruptSession(id);
    const ended = await next(sa, id, "turn.ended");
    expect(ended.type === "turn.ended" && ended.data.reason).toBe("interrupted");
    await sa.terminateSession(id);
    const end = await next(sa, id, "session.ended");
    expect(end.type === "session.ended" && end.data.reason).toBe("terminated");
    const refused = await sa.postMessage(id, { message: "echo late" }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, code: "session_ended" });
  });

  it("archiveSession and resumeSession", async () => {
    const id = await mockSession();
    const resumed = await sa.resumeSession(id);
    expect(resumed.sessionId).toBe(id);
    const archived = await sa.archiveSession(id);
    expect(archived.sessionId).toBe(id);
    expect((await sa.getSession(id)).archived).toBe(true);
    const refused = await sa.resumeSession(id).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, code: "session_archived" });
  });
});

describe("questions and permissions", () => {
  it("replyPermission answers each pending request and the turn goes on", async () => {
    const id = await mockSession();
    await sa.postMessage(id, { message: "permission" });
    await next(sa, id, "permission.requested");
    const { pendingPermissions } = await sa.getSession(id);
    expect(pendingPermissions.length).toBeGreaterThan(0);
    for (const [i, p] of pendingPermissions.entries()) {
      await sa.replyPermission(id, p.permission_id, { reply: i === 0 ? "once" : "reject" });
    }
    await next(sa, id, "turn.ended");
    const { events } = await sa.listEvents(id, { type: "permission.resolved" });
    const resolved = events.flatMap((e) => (e.type === "permission.resolved" ? [e.data.status] : []));
    expect(resolved).toEqual(pendingPermissions.map((_, i) => (i === 0 ? "approved" : "denied")));
    expect((await sa.getSession(id)).pendingPermissions).toEqual([]);
  });

  it("replyQuestion answers, rejectQuestion rejects", async () => {
    const id = await mockSession();
    await sa.postMessage(id, { message: "question" });
    await next(sa, id, "question.requested");
    const [first, ...rest] = (await sa.getSession(id)).pendingQuestions;
    await sa.replyQuestion(id, first!.question_id, { answers: [[first!.options[0]!]] });
    for (const q of rest) await sa.rejectQuestion(id, q.question_id);
    await next(sa, id, "turn.ended");
    const { events } = await sa.listEvents(id, { type: "question.resolved" });
    expect(events.map((e) => e.type === "question.resolved" && [e.data.question_id, e.data.status])).toEqual([
      [first!.question_id, "answered"],
      ...rest.map((q) => [q.question_id, "rejected"]),
    ]);
    const unknown = await sa.rejectQuestion(id, "q_nope").catch((e: unknown) => e);
    expect(unknown).toMatchObject({ status: 400, code: "invalid_request" });
  });
});

describe("participants and tokens", () => {
  it("createToken, listParticipants, revokeToken, and what an observer may do", async () => {
    const id = await mockSession();
    const { token, participantId, role } = await sa.createToken(id, { name: "viewer", role: "observer" });
    expect(role).toBe("observer");
    const viewer = SandboxAgent.connect({ baseUrl: sa.baseUrl, token });
    expect((await viewer.getSession(id)).sessionId).toBe(id);
    const denied = await viewer.postMessage(id, { message: "echo no" }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(SandboxAgentError);
    expect((denied as SandboxAgentError).status).toBe(403);
    const { participants } = await sa.listParticipants(id);
    expect(participants.find((p) => p.id === participantId)).toMatchObject({ name: "viewer", role: "observer" });
    await sa.revokeToken(id, participantId);
    const revoked = await viewer.getSession(id).catch((e: unknown) => e);
    expect(revoked).toMatchObject({ status: 401 });
  });
});

describe("coder sessions: result and loop", () => {
  it("getSessionResult and getSessionLoop", async () => {
    const report = JSON.stringify({
      status: "completed",
      changedFiles: [],
      commandsRun: [],
      verification: { command: "true", passed: true, outputExcerpt: "" },
      blockers: [],
    });
    const { sessionId } = await sa.createSession({
      agent: "mock",
      task: `write report.json\n${report}\nEOF`,
      outputContract: { path: "report.json" },
      workflowMode: "loop",
      loop: { maxIterations: 2, goal: "a report" },
    });
    await next(sa, sessionId, "contract.passed");
    const result = await sa.getSessionResult(sessionId);
    expect(result).toMatchObject({ sessionId, status: "completed", path: "report.json", iteration: 1 });
    expect(result.report).toEqual(JSON.parse(report));
    expect(result.artifact).toBe("report-1.json");
    const { artifacts } = await sa.listArtifacts(sessionId);
    expect(artifacts.map((a) => a.name)).toEqual(["report-1.json"]);
    const bytes = await sa.getArtifact(sessionId, "report-1.json");
    expect(artifacts[0]?.size).toBe(bytes.length);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(JSON.parse(report));
    expect(await sa.getArtifact(sessionId, "report-9.json").catch((e: unknown) => e)).toMatchObject({ status: 404 });
    const loop = await sa.getSessionLoop(sessionId);
    expect(loop).toMatchObject({ sessionId, workflowMode: "loop" });
    expect(loop.loop).toMatchObject({ status: "completed", iteration: 1, maxIterations: 2, goal: "a report" });

    const plain = await mockSession();
    expect((await sa.getSessionLoop(plain)).loop ?? null).toBeNull();
    expect(await sa.getSessionResult(plain).catch((e: unknown) => e)).toMatchObject({ status: 404 });
  });
});

describe("one-shot runs", () => {
  it("runCommand and runCommandStream", async () => {
    const done = await sa.runCommand({ command: ["sh", "-c", "echo out; echo err >&2; exit 3"] });
    expect(done).toMatchObject({ exitCode: 3, stdout: "out\n", stderr: "err\n" });
    const events = [];
    for await (const event of sa.runCommandStream({ command: ["sh", "-c", "echo one; echo two"] })) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: "exit", data: { exitCode: 0 } });
    const text = events.map((e) => (e.type === "stdout" ? e.data.data : "")).join("");
    expect(text).toBe("one\ntwo\n");
    const refused = await sa.runCommand({ command: [] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SandboxAgentError);
    expect((refused as SandboxAgentError).status).toBe(422);
  });
});

describe("errors", () => {
  it("a problem is a SandboxAgentError with every field; no daemon is a network error", async () => {
    const bad = SandboxAgent.connect({ baseUrl: sa.baseUrl, token: "wrong" });
    const unauth = await bad.listSessions().catch((e: unknown) => e);
    expect(unauth).toBeInstanceOf(SandboxAgentError);
    expect(unauth).toMatchObject({ status: 401, type: "urn:sandbox-agent:error:token_invalid", code: "token_invalid" });
    const invalid = await sa.createSession({ agent: "mock", directory: "relative/dir" }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400 });
    expect((invalid as SandboxAgentError).detail).toMatch(/absolute/);

    const nobody = SandboxAgent.connect({ baseUrl: "http://127.0.0.1:9" });
    const down = await nobody.getHealth().catch((e: unknown) => e);
    expect(down).toBeInstanceOf(SandboxAgentNetworkError);
    expect(down).not.toBeInstanceOf(SandboxAgentError);

    const ac = new AbortController();
    ac.abort();
    await expect(sa.getHealth({ signal: ac.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});
