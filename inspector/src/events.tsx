import { useMemo, useState } from "preact/hooks";
import type { UniversalEvent } from "sandbox-agent";

import { matchesType } from "./model/conversation.js";

/** Newest last; only the last 2000 matching are drawn (the count says how many match). */
const DRAWN = 2000;

export function EventsTab(props: { events: UniversalEvent[]; includeRaw: boolean; setIncludeRaw: (v: boolean) => void }) {
  const [filter, setFilter] = useState("");
  const shown = useMemo(() => props.events.filter((e) => matchesType(e.type, filter)), [props.events, filter]);
  return (
    <div class="pad">
      <div class="row" style="margin-bottom:8px">
        <input
          class="grow"
          type="search"
          placeholder="Filter by type: item.*, turn.ended, permission.*"
          aria-label="Filter events by type"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
          data-testid="event-filter"
        />
        <label class="row">
          <input type="checkbox" checked={props.includeRaw} onChange={(e) => props.setIncludeRaw(e.currentTarget.checked)} />
          raw payloads
        </label>
        <span class="muted" data-testid="event-count">
          {shown.length} of {props.events.length}
        </span>
        <button
          onClick={() => void navigator.clipboard?.writeText(shown.map((e) => JSON.stringify(e)).join("\n"))}
          title="Copy the shown events as JSON lines"
        >
          Copy
        </button>
      </div>
      {shown.slice(-DRAWN).map((e) => (
        <details class="event-row" key={e.sequence} data-testid="event-row" data-type={e.type}>
          <summary>
            <span class="seq mono">#{e.sequence}</span>
            <span class="type mono">{e.type}</span>
            <span class="muted mono">{e.time}</span>
            {e.synthetic && <span class="badge">daemon</span>}
          </summary>
          <pre>{JSON.stringify(e, null, 2)}</pre>
        </details>
      ))}
    </div>
  );
}
