// Terminals through the SDK against the real daemon: a shell driven over the WebSocket (the
// `ws` package stands in for the browser's WebSocket on Node 20), its size, Ctrl-C, the exit.
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";

import { SandboxAgent, type TerminalEvent, type WebSocketLike } from "../src/index.js";
import { startDaemon, within } from "./support.js";

let sa: SandboxAgent;

beforeAll(async () => {
  sa = await startDaemon({ WebSocket: WebSocket as unknown as WebSocketLike });
});
afterAll(async () => {
  await sa?.dispose();
});

/** Whether a `sleep` runs in the process session `sid` (/proc/<pid>/stat's sixth field). */
function sleepingIn(sid: number): boolean {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .some((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return fields[3] === String(sid) && readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "sleep";
      } catch {
        return false;
      }
    });
}

/** Reads `events` until the text so far contains `needle` (fails on exit, or after 15 s). */
async function until(events: AsyncIterator<TerminalEvent>, seen: { text: string }, needle: string) {
  await within(
    (async () => {
      while (!seen.text.includes(needle)) {
        const { value, done } = await events.next();
        if (done || value.type === "exit") throw new Error(`ended before ${needle}: ${seen.text}`);
        if (value.type === "output") seen.text += Buffer.from(value.data).toString();
      }
    })(),
    15_000,
    () => `no ${needle} in ${JSON.stringify(seen.text)}`,
  );
}

it("createTerminal, attachTerminal, getTerminal, listTerminals, killTerminal", async () => {
  const { sessionId } = await sa.createSession({ agent: "mock" });
  const t = await sa.createTerminal(sessionId, { command: ["sh", "-i"], cols: 80, rows: 24 });
  expect(t).toMatchObject({ status: "running", cols: 80, rows: 24, sessionId });
  const socket = await sa.attachTerminal(sessionId, t.terminalId);
  const events = socket[Symbol.asyncIterator]();
  const seen = { text: "" };
  socket.send("echo sdk-$((20+22))\n");
  await until(events, seen, "sdk-42");
  socket.resize(132, 43);
  socket.send("stty size\n");
  await until(events, seen, "43 132");
  expect((await sa.getTerminal(sessionId, t.terminalId)).cols).toBe(132);
  socket.send("sleep 30; echo slept\n");
  // Ctrl-C once the sleep runs: a process named sleep in the terminal's process session.
  await within(
    (async () => {
      while (!sleepingIn(t.pid)) await new Promise((r) => setTimeout(r, 10));
    })(),
    15_000,
    () => "sleep did not start",
  );
  socket.send("\x03");
  socket.send("echo code=$?\n");
  await until(events, seen, "code=130");
  socket.send("exit 4\n");
  const end = await within(
    (async () => {
      for (;;) {
        const { value, done } = await events.next();
        if (done) throw new Error("closed without an exit");
        if (value.type === "exit") return value;
      }
    })(),
    15_000,
    () => "no exit",
  );
  expect(end).toEqual({ type: "exit", exitCode: 4, signal: null });
  const [listed] = (await sa.listTerminals(sessionId)).terminals;
  expect(listed).toMatchObject({ terminalId: t.terminalId, status: "exited", exitCode: 4 });
  await sa.killTerminal(sessionId, t.terminalId);
  expect((await sa.listTerminals(sessionId)).terminals).toEqual([]);
  const gone = await sa.getTerminal(sessionId, t.terminalId).catch((e: unknown) => e);
  expect(gone).toMatchObject({ status: 404 });
  await expect(sa.attachTerminal(sessionId, "term_nope")).rejects.toThrow(/could not be opened/);
});
