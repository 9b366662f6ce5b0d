import { useState } from "preact/hooks";
import type { CreateSessionRequest, SandboxAgent } from "sandbox-agent";

import { message, useLoaded } from "./hooks.js";

const PERMISSION_MODES = ["default", "plan", "acceptEdits", "bypass"];

export function CreateSession({ client, onCreated }: { client: SandboxAgent; onCreated: (id: string) => void }) {
  const agents = useLoaded((signal) => client.listAgents({ signal }), [client]);
  const [agent, setAgent] = useState("mock");
  const modes = useLoaded((signal) => client.getAgentModes(agent, { signal }), [client, agent]);
  const models = useLoaded((signal) => client.getAgentModels(agent, { signal }), [client, agent]);
  const [form, setForm] = useState({
    agentMode: "",
    permissionMode: "default",
    model: "",
    variant: "",
    label: "",
    task: "",
    repoUrl: "",
    repoBranch: "",
    tags: "",
    metadata: "",
  });
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });
  const variants = models.value?.models.find((m) => m.id === form.model)?.variants ?? [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    let metadata: Record<string, unknown> | undefined;
    try {
      metadata = form.metadata.trim() ? (JSON.parse(form.metadata) as Record<string, unknown>) : undefined;
    } catch (err) {
      setError(`metadata is not JSON: ${message(err)}`);
      return;
    }
    const body: CreateSessionRequest = {
      agent,
      agentMode: form.agentMode || undefined,
      permissionMode: form.permissionMode || undefined,
      model: form.model || undefined,
      variant: form.variant || undefined,
      label: form.label.trim() || undefined,
      task: form.task.trim() || undefined,
      tags: form.tags.split(/[\s,]+/).filter(Boolean),
      metadata,
      repo: form.repoUrl.trim() ? { url: form.repoUrl.trim(), branch: form.repoBranch.trim() || undefined } : undefined,
    };
    setBusy(true);
    try {
      const { sessionId } = await client.createSession(body);
      onCreated(sessionId);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="scroll pad">
      <h2 style="margin-top:0;font-size:16px">New session</h2>
      <form class="form" onSubmit={submit} data-testid="create-form">
        <label for="f-agent">Agent</label>
        <select
          id="f-agent"
          value={agent}
          onChange={(e) => {
            setAgent(e.currentTarget.value);
            // Modes and models are the agent's own: the previous agent's would be wrong here.
            setForm({ ...form, agentMode: "", model: "", variant: "" });
          }}
        >
          {(agents.value?.agents ?? [{ id: "mock", installed: true }]).map((a) => (
            <option key={a.id} value={a.id}>
              {a.id}
              {a.installed ? "" : " (not installed)"}
            </option>
          ))}
        </select>
        <label for="f-mode">Agent mode</label>
        <select id="f-mode" value={form.agentMode} onChange={set("agentMode")}>
          <option value="">(default)</option>
          {modes.value?.modes.map((m) => (
            <option key={m.id} value={m.id} title={m.description}>
              {m.name}
            </option>
          ))}
        </select>
        <label for="f-perm">Permission mode</label>
        <select id="f-perm" value={form.permissionMode} onChange={set("permissionMode")}>
          {PERMISSION_MODES.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <label for="f-model">Model</label>
        <div class="row">
          <select id="f-model" class="grow" value={form.model} onChange={set("model")}>
            <option value="">(default{models.value?.defaultModel ? `: ${models.value.defaultModel}` : ""})</option>
            {models.value?.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
          {variants.length > 0 && (
            <select aria-label="Variant" value={form.variant} onChange={set("variant")}>
              <option value="">(variant)</option>
              {variants.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          )}
        </div>
        {models.value?.note && <div class="full muted">{models.value.note}</div>}
        <label for="f-label">Label</label>
        <input id="f-label" value={form.label} onInput={set("label")} />
        <label for="f-task">Task</label>
        <textarea id="f-task" rows={4} value={form.task} onInput={set("task")} placeholder="Optional: a task makes a coder session" />
        <label for="f-repo">Repository</label>
        <div class="row">
          <input id="f-repo" class="grow" value={form.repoUrl} onInput={set("repoUrl")} placeholder="https://… or file://…" />
          <input aria-label="Branch" value={form.repoBranch} onInput={set("repoBranch")} placeholder="branch" size={12} />
        </div>
        <label for="f-tags">Tags</label>
        <input id="f-tags" value={form.tags} onInput={set("tags")} placeholder="comma or space separated" />
        <label for="f-meta">Metadata (JSON)</label>
        <textarea id="f-meta" rows={3} class="mono" value={form.metadata} onInput={set("metadata")} placeholder='{"ticket": 42}' />
        {error && (
          <div class="full error-box" role="alert">
            {error}
          </div>
        )}
        <div class="full">
          <button class="primary" type="submit" disabled={busy} data-testid="create-submit">
            {busy ? "Creating…" : "Create session"}
          </button>
        </div>
      </form>
    </div>
  );
}
