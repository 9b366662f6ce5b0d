import { useState } from "preact/hooks";
import { SandboxAgentError, type SandboxAgent, type SessionInfo } from "sandbox-agent";

import { message, useLoaded } from "./hooks.js";

/** A coder session at a glance: its task, metadata, loop, contract result and participants. */
export function CoderPanel({ client, session, version }: { client: SandboxAgent; session: SessionInfo; version: number }) {
  const id = session.sessionId;
  const loop = useLoaded((signal) => client.getSessionLoop(id, { signal }), [client, id, version]);
  const result = useLoaded(
    (signal) =>
      client.getSessionResult(id, { signal }).catch((e: unknown) => {
        if (e instanceof SandboxAgentError && e.status === 404) return null;
        throw e;
      }),
    [client, id, version],
  );
  const people = useLoaded((signal) => client.listParticipants(id, { signal }), [client, id, version]);

  return (
    <div class="pad" data-testid="coder">
      <section class="card">
        <h3>Task</h3>
        <dl class="kv">
          <dt>task</dt>
          <dd>
            <pre data-testid="coder-task">{session.task ?? "—"}</pre>
          </dd>
          <dt>label</dt>
          <dd>{session.label ?? "—"}</dd>
          <dt>tags</dt>
          <dd>{session.tags?.length ? session.tags.join(", ") : "—"}</dd>
          <dt>directory</dt>
          <dd class="mono">{session.directory}</dd>
          <dt>repos</dt>
          <dd>
            {!session.repos?.length
              ? "—"
              : session.repos.map((r) => (
                  <div key={r.path} class="mono">
                    {r.url} {r.branch ? `@${r.branch}` : ""} → {r.path} {r.commit ? r.commit.slice(0, 12) : ""}
                  </div>
                ))}
          </dd>
          <dt>metadata</dt>
          <dd>
            <pre data-testid="coder-metadata">{session.metadata ? JSON.stringify(session.metadata, null, 2) : "—"}</pre>
          </dd>
        </dl>
      </section>
      <section class="card" data-testid="coder-loop">
        <h3>Loop</h3>
        {loop.error && <div class="error-text">{loop.error}</div>}
        {loop.value && !loop.value.loop && <div class="muted">workflow: {loop.value.workflowMode}; no loop.</div>}
        {loop.value?.loop && (
          <dl class="kv">
            <dt>status</dt>
            <dd>
              <span class="badge">{loop.value.loop.status}</span>
            </dd>
            <dt>iteration</dt>
            <dd>
              {loop.value.loop.iteration} of {loop.value.loop.maxIterations}
              {loop.value.loop.autoContinue ? " (auto-continue)" : ""}
            </dd>
            <dt>goal</dt>
            <dd>{loop.value.loop.goal ?? "—"}</dd>
            <dt>last check</dt>
            <dd>{loop.value.loop.summary ?? "—"}</dd>
            <dt>next</dt>
            <dd>{loop.value.loop.nextAction ?? "—"}</dd>
          </dl>
        )}
      </section>
      <section class="card" data-testid="coder-result">
        <h3>Output contract</h3>
        {result.error && <div class="error-text">{result.error}</div>}
        {result.value === null && <div class="muted">This session has no output contract.</div>}
        {result.value && (
          <dl class="kv">
            <dt>status</dt>
            <dd>
              <span class="badge" data-testid="contract-status">
                {result.value.status}
              </span>{" "}
              <span class="muted">check {result.value.iteration}</span>
            </dd>
            <dt>report</dt>
            <dd class="mono">{result.value.path}</dd>
            <dt>validation</dt>
            <dd>
              {result.value.validation.valid
                ? "valid"
                : result.value.validation.errors.map((e, i) => (
                    <div key={i} class="error-text">
                      {e.path ? `${e.path}: ` : ""}
                      {e.message}
                    </div>
                  ))}
            </dd>
            <dt>verification</dt>
            <dd>
              {result.value.verification ? (
                <>
                  <span class="mono">{result.value.verification.command}</span> → exit {result.value.verification.exitCode ?? "?"}
                  <pre class="muted">{result.value.verification.outputExcerpt}</pre>
                </>
              ) : (
                "—"
              )}
            </dd>
          </dl>
        )}
      </section>
      <Participants client={client} sessionId={id} list={people.value?.participants ?? []} reload={people.reload} />
    </div>
  );
}

function Participants(props: {
  client: SandboxAgent;
  sessionId: string;
  list: { id: string; name: string; role: string; transport: string; connectedAt: string; disconnectedAt?: string | null }[];
  reload: () => void;
}) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<"observer" | "controller">("observer");
  const [issued, setIssued] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const issue = async (e: Event) => {
    e.preventDefault();
    try {
      const t = await props.client.createToken(props.sessionId, { name: name.trim() || "guest", role });
      setIssued(`${t.participantId} (${t.role}, until ${t.expiresAt}): ${t.token}`);
      setError(undefined);
      props.reload();
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <section class="card" data-testid="coder-participants">
      <h3>Participants</h3>
      <table class="matrix">
        <thead>
          <tr>
            <th>name</th>
            <th>role</th>
            <th>transport</th>
            <th>since</th>
            <th>left</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.list.map((p) => (
            <tr key={p.id} data-testid="participant">
              <td>{p.name}</td>
              <td>{p.role}</td>
              <td>{p.transport}</td>
              <td class="mono">{p.connectedAt}</td>
              <td class="mono">{p.disconnectedAt ?? ""}</td>
              <td>
                {p.id.startsWith("par_") && (
                  <button onClick={() => props.client.revokeToken(props.sessionId, p.id).then(props.reload, (e: unknown) => setError(message(e)))}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="row" style="margin-top:8px" onSubmit={issue}>
        <input aria-label="Participant name" placeholder="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.currentTarget.value as "observer" | "controller")}>
          <option>observer</option>
          <option>controller</option>
        </select>
        <button type="submit">Issue token</button>
      </form>
      {issued && (
        <div class="mono" style="margin-top:6px" data-testid="issued-token">
          Shown once: {issued}
        </div>
      )}
      {error && <div class="error-text">{error}</div>}
    </section>
  );
}
