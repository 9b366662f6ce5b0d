import { useEffect, useRef, useState } from "preact/hooks";
import type { SandboxAgent } from "sandbox-agent";

import { useLoaded } from "./hooks.js";

export function Sidebar(props: {
  client: SandboxAgent;
  selected: string | null;
  refresh: number;
  onSelect: (id: string) => void;
  onNew: () => void;
}) {
  const [search, setSearch] = useState("");
  const [archived, setArchived] = useState(false);
  const searchBox = useRef<HTMLInputElement>(null);
  const { value, error } = useLoaded(
    (signal) =>
      props.client.listSessions({ search: search.trim() || undefined, includeArchived: archived, limit: 200 }, { signal }),
    [props.client, search, archived, props.refresh],
    2000,
  );

  // "/" jumps to the search box, as in most tools with a list.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
      if (e.key === "/" && !typing) {
        e.preventDefault();
        searchBox.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <aside class="sidebar" aria-label="Sessions">
      <div class="tools">
        <div class="row">
          <input
            ref={searchBox}
            class="grow"
            type="search"
            placeholder="Search sessions  ( / )"
            aria-label="Search sessions"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <button class="primary" onClick={props.onNew} data-testid="new-session">
            New
          </button>
        </div>
        <label class="row muted">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} />
          include archived
        </label>
        {error && <div class="error-text">{error}</div>}
        {value && <div class="muted">{value.total ?? value.sessions.length} sessions</div>}
      </div>
      <ul class="session-list">
        {value?.sessions.map((s) => (
          <li key={s.sessionId}>
            <button
              aria-current={props.selected === s.sessionId}
              onClick={() => props.onSelect(s.sessionId)}
              data-testid="session-item"
              data-session-id={s.sessionId}
            >
              <div class="title">{s.label ?? s.title ?? s.sessionId}</div>
              <div class="row" style="gap:6px">
                <span class={`badge status-${s.status}`} data-testid="session-status">
                  {s.status}
                </span>
                <span class="muted">{s.agent}</span>
                {(s.tags ?? []).map((t) => (
                  <span class="tag" key={t}>
                    #{t}
                  </span>
                ))}
              </div>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
