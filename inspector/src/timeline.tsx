import { useEffect, useMemo, useState } from "preact/hooks";
import type { UniversalEvent } from "sandbox-agent";

import { duration, ticks, timeline, type Lane } from "./model/timeline.js";

const LANES: { lane: Lane; label: string }[] = [
  { lane: "turn", label: "turns" },
  { lane: "tool", label: "tool calls" },
  { lane: "human", label: "waiting for a human" },
];
const W = 1000;
const LEFT = 150;
const ROW = 34;
const TOP = 10;

export function TimelineTab({ events, running }: { events: UniversalEvent[]; running: boolean }) {
  // While something runs, the open spans grow with the clock.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  const t = useMemo(() => timeline(events, running ? now : undefined), [events, running, now]);
  const span = t.end - t.start;
  const x = (ms: number) => LEFT + ((ms - t.start) / span) * (W - LEFT - 10);
  const turns = t.spans.filter((s) => s.lane === "turn");
  const maxTokens = Math.max(1, ...turns.map((s) => s.tokens ?? 0));
  const tokensTop = TOP + LANES.length * ROW + 10;
  const height = tokensTop + 60 + 24;

  return (
    <div class="pad timeline" data-testid="timeline">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label="Session timeline">
        {LANES.map((l, i) => (
          <g key={l.lane}>
            <text class="lane-label" x={4} y={TOP + i * ROW + 20}>
              {l.label}
            </text>
            <line class="axis" x1={LEFT} x2={W - 10} y1={TOP + (i + 1) * ROW} y2={TOP + (i + 1) * ROW} />
          </g>
        ))}
        {t.spans.map((s, i) => {
          const row = LANES.findIndex((l) => l.lane === s.lane);
          const x0 = x(s.start);
          const x1 = x(s.end ?? t.end);
          const h = (ROW - 12) / t.tracks[s.lane];
          return (
            <rect
              key={i}
              class={`${s.lane} ${s.outcome ?? ""}`}
              data-testid="timeline-span"
              data-lane={s.lane}
              x={x0}
              y={TOP + row * ROW + 6 + (s.track ?? 0) * h}
              width={Math.max(2, x1 - x0)}
              height={Math.max(2, h - 1)}
              rx={3}
            >
              <title>
                {s.label}: {duration((s.end ?? t.end) - s.start)}
                {s.outcome ? ` · ${s.outcome}` : s.end === null ? " · open" : ""}
                {s.tokens !== undefined ? ` · ${s.tokens} tokens` : ""}
              </title>
            </rect>
          );
        })}
        <text class="lane-label" x={4} y={tokensTop + 34}>
          tokens per turn
        </text>
        {turns.map((s, i) => {
          const h = ((s.tokens ?? 0) / maxTokens) * 56;
          return (
            <rect key={i} class="tokens" data-testid="timeline-tokens" x={x(s.start)} y={tokensTop + 58 - h} width={Math.max(3, x(s.end ?? t.end) - x(s.start))} height={h}>
              <title>
                {s.label}: {s.tokens ?? 0} tokens
              </title>
            </rect>
          );
        })}
        {ticks(span).map((ms) => (
          <text key={ms} class="tick" x={x(t.start + ms)} y={height - 6} text-anchor="middle">
            {duration(ms)}
          </text>
        ))}
      </svg>
      <div class="legend">
        <span>
          <i class="swatch" style="background:var(--accent)" />
          turn
        </span>
        <span>
          <i class="swatch" style="background:var(--ok)" />
          tool call
        </span>
        <span>
          <i class="swatch" style="background:var(--warn)" />
          waiting for a human
        </span>
        <span data-testid="timeline-summary">
          {turns.length} turns · {t.spans.filter((s) => s.lane === "tool").length} tool calls ·{" "}
          {t.spans.filter((s) => s.lane === "human").length} waits · {duration(span)}
        </span>
      </div>
    </div>
  );
}
