import { useEffect, useMemo, useRef } from "preact/hooks";
import type { ContentPart, UniversalEvent } from "sandbox-agent";

import { renderMarkdown } from "./markdown.js";
import { conversation, diffLines, itemText, richParts, type Entry } from "./model/conversation.js";

export function Chat({ events }: { events: UniversalEvent[] }) {
  const entries = useMemo(() => conversation(events), [events]);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: "end" }), [entries.length, events.length]);
  return (
    <div class="chat pad" data-testid="chat" aria-live="polite">
      {entries.length === 0 && <div class="muted">No messages yet.</div>}
      {entries.map((entry) => (
        <EntryView key={entry.key} entry={entry} />
      ))}
      <div ref={end} />
    </div>
  );
}

function EntryView({ entry }: { entry: Entry }) {
  switch (entry.kind) {
    case "turn":
      return (
        <div class="turn-line" data-testid="turn-ended">
          turn ended: {entry.reason}
          {entry.tokens !== undefined ? ` · ${entry.tokens} tokens` : ""}
          {entry.message ? ` · ${entry.message}` : ""}
        </div>
      );
    case "error":
      return (
        <div class="error-box" data-testid="chat-error">
          {entry.code ? `${entry.code}: ` : ""}
          {entry.message}
        </div>
      );
    case "note":
      return <div class="note">{entry.text}</div>;
    case "item": {
      const { item } = entry;
      const role = item.role ?? item.kind;
      const text = itemText(entry);
      const parts = richParts(item);
      if (!text && parts.length === 0 && item.status !== "in_progress") return null;
      const who = role === "user" ? "user" : "assistant";
      return (
        <div class={`msg ${who}`} data-testid={`msg-${who}`} data-status={item.status} data-kind={item.kind}>
          <div class="who">
            {role}
            {item.kind !== "message" ? ` · ${item.kind}` : ""}
            {item.status === "in_progress" ? " · streaming…" : item.status === "failed" ? " · failed" : ""}
          </div>
          {text &&
            (who === "assistant" ? (
              <div class="md" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />
            ) : (
              <pre>{text}</pre>
            ))}
          {parts.map((part, i) => (
            <PartView key={i} part={part} />
          ))}
        </div>
      );
    }
  }
}

function PartView({ part }: { part: ContentPart }) {
  switch (part.type) {
    case "tool_call":
      return (
        <details class="part tool_call" data-testid="tool-call" open>
          <summary>
            tool call <strong>{part.name}</strong> <span class="muted mono">{part.call_id}</span>
          </summary>
          <pre>{pretty(part.arguments)}</pre>
        </details>
      );
    case "tool_result":
      return (
        <details class="part tool_result" data-testid="tool-result">
          <summary>
            tool result <span class="muted mono">{part.call_id}</span>
          </summary>
          <pre>{part.output}</pre>
        </details>
      );
    case "file_ref":
      return (
        <div class="part file_ref" data-testid="file-change">
          <div>
            <span class="badge">{part.action}</span> <span class="mono">{part.path}</span>
          </div>
          {part.diff && (
            <div class="diff mono" data-testid="diff">
              {diffLines(part.diff).map((line, i) => (
                <div key={i} class={line.kind}>
                  {line.text || " "}
                </div>
              ))}
            </div>
          )}
        </div>
      );
    case "reasoning":
      return (
        <details class="part reasoning" data-testid="reasoning">
          <summary class="muted">reasoning{part.visibility === "private" ? " (private)" : ""}</summary>
          <pre>{part.text}</pre>
        </details>
      );
    case "image":
      return (
        <div class="part">
          image <span class="mono">{part.path}</span> {part.mime ? <span class="muted">{part.mime}</span> : null}
        </div>
      );
    case "status":
      return (
        <div class="part muted">
          {part.label}
          {part.detail ? `: ${part.detail}` : ""}
        </div>
      );
    case "json":
      return (
        <details class="part">
          <summary class="muted">json</summary>
          <pre>{JSON.stringify(part.json, null, 2)}</pre>
        </details>
      );
    default:
      return null;
  }
}

function pretty(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}
