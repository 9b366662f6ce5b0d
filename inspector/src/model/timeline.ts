// The per-session timeline: turns, tool calls and waits for a human as spans on one time axis,
// and tokens per turn, drawn from the event log alone.
import type { UniversalEvent } from "sandbox-agent";

import { usageTokens } from "./conversation.js";

export type Lane = "turn" | "tool" | "human";

export interface Span {
  lane: Lane;
  label: string;
  start: number;
  /** Null while still open (drawn up to the end of the axis). */
  end: number | null;
  /** Which of its lane's tracks it is drawn on: spans that overlap in time get different tracks. */
  track?: number;
  /** Turn spans: how the turn ended, and its tokens. */
  outcome?: string;
  tokens?: number;
}

export interface Timeline {
  start: number;
  end: number;
  spans: Span[];
  /** Tracks per lane (at least 1). */
  tracks: Record<Lane, number>;
}

/**
 * Spans from events. `now` closes the axis for spans still open (a running turn, a pending
 * permission); without it the axis ends at the last event.
 */
export function timeline(events: readonly UniversalEvent[], now?: number): Timeline {
  const spans: Span[] = [];
  const turns = new Map<string, Span>();
  const tools = new Map<string, Span>();
  const waits = new Map<string, Span>();
  for (const event of events) {
    const t = Date.parse(event.time);
    switch (event.type) {
      case "turn.started": {
        const span: Span = { lane: "turn", label: event.data.turn_id, start: t, end: null };
        turns.set(event.data.turn_id, span);
        spans.push(span);
        break;
      }
      case "turn.ended": {
        const span = turns.get(event.data.turn_id);
        if (!span) break;
        span.end = t;
        span.outcome = event.data.reason;
        span.tokens = usageTokens(event.data.usage);
        break;
      }
      case "item.started":
      case "item.completed": {
        for (const part of event.data.item.content) {
          if (part.type === "tool_call" && !tools.has(part.call_id)) {
            const span: Span = { lane: "tool", label: part.name, start: t, end: null };
            tools.set(part.call_id, span);
            spans.push(span);
          } else if (part.type === "tool_result") {
            const span = tools.get(part.call_id);
            if (span && span.end === null) span.end = t;
          }
        }
        break;
      }
      case "permission.requested":
      case "question.requested": {
        const id = event.type === "permission.requested" ? event.data.permission_id : event.data.question_id;
        const label = event.type === "permission.requested" ? `permission: ${event.data.action}` : "question";
        const span: Span = { lane: "human", label, start: t, end: null };
        waits.set(id, span);
        spans.push(span);
        break;
      }
      case "permission.resolved":
      case "question.resolved": {
        const id = event.type === "permission.resolved" ? event.data.permission_id : event.data.question_id;
        const span = waits.get(id);
        if (span) span.end = t;
        break;
      }
      case "session.ended":
        // Whatever was open ends with the session.
        for (const span of spans) if (span.end === null) span.end = t;
        break;
      default:
        break;
    }
  }
  const times = events.map((e) => Date.parse(e.time)).filter((t) => !Number.isNaN(t));
  const start = times.length ? Math.min(...times) : 0;
  const last = times.length ? Math.max(...times) : 0;
  const open = spans.some((s) => s.end === null);
  const end = Math.max(last, open && now !== undefined ? now : last, start + 1);
  return { start, end, spans, tracks: assignTracks(spans, end) };
}

/** Greedy interval colouring per lane: each span takes the first track free at its start. */
function assignTracks(spans: Span[], end: number): Record<Lane, number> {
  const tracks: Record<Lane, number> = { turn: 1, tool: 1, human: 1 };
  const busyUntil: Record<Lane, number[]> = { turn: [], tool: [], human: [] };
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const lane = busyUntil[span.lane];
    let track = lane.findIndex((until) => until <= span.start);
    if (track < 0) track = lane.push(0) - 1;
    lane[track] = span.end ?? end;
    span.track = track;
    tracks[span.lane] = Math.max(tracks[span.lane], lane.length);
  }
  return tracks;
}

/** Round tick positions for an axis of `ms` milliseconds: about `count` of them, in ms. */
export function ticks(ms: number, count = 6): number[] {
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];
  const step = steps.find((s) => ms / s <= count) ?? Math.ceil(ms / count);
  const out: number[] = [];
  for (let t = 0; t <= ms; t += step) out.push(t);
  return out;
}

/** `1.2 s`, `340 ms`, `3 min`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${(ms / 60_000).toFixed(ms < 600_000 ? 1 : 0)} min`;
}
