import { useMemo, useState } from "preact/hooks";
import type { PermissionEventData, QuestionEventData, SandboxAgent, UniversalEvent } from "sandbox-agent";

import { message } from "./hooks.js";

/** Requests still waiting, from the event log: requested and not yet resolved. */
export function pending(events: UniversalEvent[]) {
  const permissions = new Map<string, PermissionEventData>();
  const questions = new Map<string, QuestionEventData>();
  for (const e of events) {
    if (e.type === "permission.requested") permissions.set(e.data.permission_id, e.data);
    else if (e.type === "permission.resolved") permissions.delete(e.data.permission_id);
    else if (e.type === "question.requested") questions.set(e.data.question_id, e.data);
    else if (e.type === "question.resolved") questions.delete(e.data.question_id);
    else if (e.type === "session.ended" || e.type === "turn.ended") {
      permissions.clear();
      questions.clear();
    }
  }
  return { permissions: [...permissions.values()], questions: [...questions.values()] };
}

export function Approvals({ client, sessionId, events }: { client: SandboxAgent; sessionId: string; events: UniversalEvent[] }) {
  const waiting = useMemo(() => pending(events), [events]);
  const [error, setError] = useState<string | undefined>();
  if (waiting.permissions.length === 0 && waiting.questions.length === 0) return null;
  const act = (p: Promise<void>) =>
    p.then(
      () => setError(undefined),
      (e: unknown) => setError(message(e)),
    );
  return (
    <section class="approvals" aria-label="Waiting for you" data-testid="approvals">
      {error && <div class="error-text">{error}</div>}
      {waiting.permissions.map((p) => (
        <div class="approval" key={p.permission_id} data-testid="permission" data-id={p.permission_id}>
          <div>
            <strong>Permission:</strong> <span class="mono">{p.action}</span>
          </div>
          {p.metadata && <pre class="muted">{JSON.stringify(p.metadata)}</pre>}
          <div class="row" style="margin-top:6px">
            <button class="primary" onClick={() => act(client.replyPermission(sessionId, p.permission_id, { reply: "once" }))}>
              Allow once
            </button>
            <button onClick={() => act(client.replyPermission(sessionId, p.permission_id, { reply: "always" }))}>Always</button>
            <button class="danger" onClick={() => act(client.replyPermission(sessionId, p.permission_id, { reply: "reject" }))}>
              Reject
            </button>
          </div>
        </div>
      ))}
      {waiting.questions.map((q) => (
        <div class="approval" key={q.question_id} data-testid="question" data-id={q.question_id}>
          <div>
            <strong>Question:</strong> {q.prompt}
          </div>
          <div class="row" style="margin-top:6px">
            {q.options.map((option) => (
              <button key={option} onClick={() => act(client.replyQuestion(sessionId, q.question_id, { answers: [[option]] }))}>
                {option}
              </button>
            ))}
            <button class="danger" onClick={() => act(client.rejectQuestion(sessionId, q.question_id))}>
              Reject
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
