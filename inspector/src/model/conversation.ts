// The chat as the inspector shows it, folded from a session's events: items with their deltas
// applied, and the lines between them (turns, errors, questions, permissions, lifecycle).
import type { ContentPart, TokenUsage, UniversalEvent, UniversalItem } from "sandbox-agent";

export type Entry =
  | { kind: "item"; key: string; item: UniversalItem; streamed: string; sequence: number }
  | { kind: "turn"; key: string; turnId: string; reason: string; message?: string | null; tokens?: number; sequence: number }
  | { kind: "error"; key: string; message: string; code?: string | null; sequence: number }
  | { kind: "note"; key: string; text: string; sequence: number };

/** Input plus output tokens of a turn's usage, when the agent reported any. */
export function usageTokens(usage: TokenUsage | null | undefined): number | undefined {
  return usage ? (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0) : undefined;
}

/** Folds events (in sequence order) into chat entries. Pure: same events, same entries. */
export function conversation(events: readonly UniversalEvent[]): Entry[] {
  const entries: Entry[] = [];
  const items = new Map<string, Extract<Entry, { kind: "item" }>>();
  for (const event of events) {
    const key = `e${event.sequence}`;
    switch (event.type) {
      case "item.started":
      case "item.completed": {
        const { item } = event.data;
        const known = items.get(item.item_id);
        if (known) {
          known.item = item;
          if (event.type === "item.completed") known.streamed = "";
        } else {
          const entry = { kind: "item" as const, key, item, streamed: "", sequence: event.sequence };
          items.set(item.item_id, entry);
          entries.push(entry);
        }
        break;
      }
      case "item.delta": {
        const known = items.get(event.data.item_id);
        if (known && known.item.status === "in_progress") known.streamed += event.data.delta;
        break;
      }
      case "turn.ended": {
        const usage = event.data.usage;
        const tokens = usageTokens(usage);
        entries.push({
          kind: "turn",
          key,
          turnId: event.data.turn_id,
          reason: event.data.reason,
          message: event.data.message,
          tokens,
          sequence: event.sequence,
        });
        break;
      }
      case "error":
        entries.push({ kind: "error", key, message: event.data.message, code: event.data.code, sequence: event.sequence });
        break;
      case "permission.requested":
        entries.push(note(key, event, `permission requested: ${event.data.action}`));
        break;
      case "permission.resolved":
        entries.push(note(key, event, `permission ${event.data.status}${by(event.data.answered_by)}`));
        break;
      case "question.requested":
        entries.push(note(key, event, `question: ${event.data.prompt}`));
        break;
      case "question.resolved":
        entries.push(note(key, event, `question ${event.data.status}${by(event.data.answered_by)}`));
        break;
      case "session.ended":
        entries.push(note(key, event, `session ended: ${event.data.reason}${event.data.message ? ` (${event.data.message})` : ""}`));
        break;
      case "task.started":
      case "task.completed":
      case "task.failed":
      case "task.blocked":
      case "contract.passed":
      case "contract.failed":
      case "loop.iteration":
      case "loop.status_changed":
        entries.push(note(key, event, event.type));
        break;
      default:
        break;
    }
  }
  return entries;
}

function note(key: string, event: UniversalEvent, text: string): Entry {
  return { kind: "note", key, text, sequence: event.sequence };
}

function by(who: string | null | undefined): string {
  return who ? ` by ${who}` : "";
}

/** The text of an item: its text parts, or what has streamed so far while it is in progress. */
export function itemText(entry: Extract<Entry, { kind: "item" }>): string {
  const text = entry.item.content
    .map((p) => (p.type === "text" ? p.text : ""))
    .join("");
  return entry.item.status === "in_progress" && entry.streamed ? text + entry.streamed : text;
}

/** Content parts other than plain text (tool calls and results, files, reasoning, images, status, json). */
export function richParts(item: UniversalItem): ContentPart[] {
  return item.content.filter((p) => p.type !== "text");
}

/** A unified diff split into lines classed for colouring. */
export function diffLines(diff: string): { text: string; kind: "add" | "del" | "hunk" | "meta" | "ctx" }[] {
  return diff.split("\n").map((text) => {
    if (text.startsWith("+++") || text.startsWith("---")) return { text, kind: "meta" };
    if (text.startsWith("@@")) return { text, kind: "hunk" };
    if (text.startsWith("+")) return { text, kind: "add" };
    if (text.startsWith("-")) return { text, kind: "del" };
    return { text, kind: "ctx" };
  });
}

/** `pattern` as for `subscribe=`: `*`, an exact type, or a prefix with `.*`; comma-separated. */
export function matchesType(type: string, patterns: string): boolean {
  const list = patterns
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (list.length === 0) return true;
  return list.some((p) => p === "*" || p === type || (p.endsWith(".*") && type.startsWith(p.slice(0, -1))));
}
