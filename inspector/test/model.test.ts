// The pure halves of the chat and the timeline, on hand-made event logs.
import type { UniversalEvent } from "sandbox-agent";
import { expect, it } from "vitest";

import { conversation, diffLines, itemText, matchesType } from "../src/model/conversation.js";
import { ticks, timeline } from "../src/model/timeline.js";

let seq = 0;
function ev(type: string, data: unknown, ms: number): UniversalEvent {
  seq += 1;
  const time = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString();
  return { type, data, sequence: seq, event_id: `evt_${seq}`, time, session_id: "s", synthetic: false, source: "agent", raw: null } as UniversalEvent;
}
const item = (id: string, status: string, content: unknown[], kind = "message", role = "assistant") => ({
  item: { item_id: id, kind, role, content, status },
});

it("deltas stream into an item until it completes, then the completed content wins", () => {
  const log = [
    ev("item.started", item("i1", "in_progress", []), 0),
    ev("item.delta", { item_id: "i1", delta: "Hel" }, 1),
    ev("item.delta", { item_id: "i1", delta: "lo" }, 2),
  ];
  const streaming = conversation(log);
  expect(streaming).toHaveLength(1);
  expect(itemText(streaming[0] as never)).toBe("Hello");
  log.push(ev("item.completed", item("i1", "completed", [{ type: "text", text: "Hello!" }]), 3));
  const done = conversation(log);
  expect(done).toHaveLength(1);
  expect(itemText(done[0] as never)).toBe("Hello!");
});

it("turn ends carry their reason and tokens; errors and requests are lines of their own", () => {
  const entries = conversation([
    ev("turn.started", { turn_id: "t1" }, 0),
    ev("permission.requested", { permission_id: "p1", action: "Bash", status: "requested", metadata: null }, 1),
    ev("error", { message: "boom", code: "x" }, 2),
    ev("turn.ended", { turn_id: "t1", reason: "error", usage: { input_tokens: 10, output_tokens: 5 } }, 3),
  ]);
  expect(entries.map((e) => e.kind)).toEqual(["note", "error", "turn"]);
  expect(entries[2]).toMatchObject({ reason: "error", tokens: 15 });
});

it("the timeline pairs turns, tool calls and waits, and stacks overlapping waits", () => {
  const log = [
    ev("turn.started", { turn_id: "t1" }, 0),
    ev("item.started", item("c", "in_progress", [{ type: "tool_call", name: "Bash", arguments: "{}", call_id: "k1" }], "tool_call"), 100),
    ev("item.completed", item("r", "completed", [{ type: "tool_result", call_id: "k1", output: "ok" }], "tool_result", "tool"), 300),
    ev("permission.requested", { permission_id: "p1", action: "Write", status: "requested", metadata: null }, 400),
    ev("question.requested", { question_id: "q1", prompt: "?", options: ["a"], status: "requested" }, 450),
    ev("permission.resolved", { permission_id: "p1", action: "Write", status: "approved", metadata: null }, 600),
    ev("question.resolved", { question_id: "q1", prompt: "?", options: ["a"], status: "answered" }, 700),
    ev("turn.ended", { turn_id: "t1", reason: "completed", usage: { input_tokens: 7, output_tokens: 3 } }, 1000),
  ];
  const t = timeline(log);
  expect(t.end - t.start).toBe(1000);
  const [turn, tool, perm, question] = t.spans;
  expect(turn).toMatchObject({ lane: "turn", start: t.start, end: t.start + 1000, outcome: "completed", tokens: 10 });
  expect(tool).toMatchObject({ lane: "tool", label: "Bash", start: t.start + 100, end: t.start + 300 });
  expect(perm).toMatchObject({ lane: "human", end: t.start + 600, track: 0 });
  expect(question).toMatchObject({ lane: "human", end: t.start + 700, track: 1 });
  expect(t.tracks).toEqual({ turn: 1, tool: 1, human: 2 });
});

it("an open span runs to `now`, and session.ended closes what is open", () => {
  const start = [ev("turn.started", { turn_id: "t" }, 0)];
  const open = timeline(start, Date.parse(start[0]!.time) + 5000);
  expect(open.spans[0]!.end).toBeNull();
  expect(open.end - open.start).toBe(5000);
  const closed = timeline([...start, ev("session.ended", { reason: "terminated", terminated_by: "daemon" }, 250)]);
  expect(closed.spans[0]!.end! - closed.start).toBe(250);
});

it("diff lines, type patterns and ticks", () => {
  expect(diffLines("--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same").map((l) => l.kind)).toEqual(["meta", "meta", "hunk", "del", "add", "ctx"]);
  expect(matchesType("item.delta", "item.*")).toBe(true);
  expect(matchesType("turn.ended", "item.*, turn.ended")).toBe(true);
  expect(matchesType("error", "item.*")).toBe(false);
  expect(matchesType("error", "")).toBe(true);
  expect(ticks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
});
