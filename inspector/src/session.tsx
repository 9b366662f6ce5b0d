import { useState } from "preact/hooks";
import type { SandboxAgent } from "sandbox-agent";

import { Approvals } from "./approvals.js";
import { Chat } from "./chat.js";
import { CoderPanel } from "./coder.js";
import { EventsTab } from "./events.js";
import { FilesTab } from "./files.js";
import { message, useEvents, useLoaded } from "./hooks.js";
import { TimelineTab } from "./timeline.js";

type Tab = "chat" | "events" | "timeline" | "coder" | "files";
const TABS: Tab[] = ["chat", "events", "timeline", "coder", "files"];

export function SessionView({ client, sessionId, onGone }: { client: SandboxAgent; sessionId: string; onGone: () => void }) {
  const [tab, setTab] = useState<Tab>("chat");
  const [includeRaw, setIncludeRaw] = useState(false);
  const { events, error } = useEvents(client, sessionId, includeRaw);
  const last = events.at(-1)?.sequence ?? 0;
  // The header's status follows the stream: reloaded whenever an event arrives.
  const info = useLoaded((signal) => client.getSession(sessionId, { signal }), [client, sessionId, last]);
  const [actionError, setActionError] = useState<string | undefined>();
  const s = info.value;
  const act = (p: Promise<unknown>, then?: () => void) =>
    p.then(
      () => {
        setActionError(undefined);
        then?.();
      },
      (e: unknown) => setActionError(message(e)),
    );

  return (
    <>
      <div class="session-head">
        <h2 class="mono" data-testid="session-id" title={sessionId}>
          {sessionId}
        </h2>
        {s && (
          <span class={`badge status-${s.status}`} data-testid="status">
            {s.status}
          </span>
        )}
        <span class="info muted">
          {s && (
            <>
              {s.label && <strong style="color:var(--fg)">{s.label} · </strong>}
              {s.agent} · {s.agentMode} · {s.permissionMode}
              {s.model ? ` · ${s.model}` : ""}
            </>
          )}
        </span>
        <button onClick={() => act(client.interruptSession(sessionId))} disabled={s?.status !== "running"}>
          Interrupt
        </button>
        <button onClick={() => act(client.terminateSession(sessionId))} disabled={!s || s.ended}>
          End
        </button>
        <button onClick={() => act(client.archiveSession(sessionId))} disabled={!s || s.archived}>
          Archive
        </button>
        <button
          class="danger"
          onClick={() => confirm(`Delete ${sessionId} and its workspace?`) && act(client.deleteSession(sessionId), onGone)}
        >
          Delete
        </button>
      </div>
      <nav class="tabs" role="tablist" aria-label="Session views" style="padding:0 12px;border-bottom:1px solid var(--border)">
        {TABS.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
            {t[0]!.toUpperCase() + t.slice(1)}
            {t === "events" ? ` (${events.length})` : ""}
          </button>
        ))}
      </nav>
      {(error || actionError || info.error) && (
        <div class="error-box" style="margin:8px 16px" role="alert">
          {error ?? actionError ?? info.error}
        </div>
      )}
      <div class="scroll">
        {tab === "chat" && <Chat events={events} />}
        {tab === "events" && <EventsTab events={events} includeRaw={includeRaw} setIncludeRaw={setIncludeRaw} />}
        {tab === "timeline" && <TimelineTab events={events} running={s?.status === "running"} />}
        {tab === "coder" && s && <CoderPanel client={client} session={s} version={last} />}
        {tab === "files" && <FilesTab client={client} sessionId={sessionId} version={last} />}
      </div>
      <Approvals client={client} sessionId={sessionId} events={events} />
      <Composer client={client} sessionId={sessionId} disabled={!s || s.ended || !!s.archived} onError={setActionError} />
    </>
  );
}

function Composer(props: { client: SandboxAgent; sessionId: string; disabled: boolean; onError: (e?: string) => void }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const send = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      await props.client.postMessage(props.sessionId, { message: text });
      setText("");
      props.onError(undefined);
    } catch (e) {
      props.onError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <textarea
        aria-label="Message"
        placeholder={props.disabled ? "This session takes no more messages" : "Message (Enter sends, Shift+Enter for a new line)"}
        value={text}
        disabled={props.disabled}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            void send();
          }
        }}
        data-testid="composer"
      />
      <button class="primary" type="submit" disabled={props.disabled || busy || !text.trim()} data-testid="send">
        Send
      </button>
    </form>
  );
}
