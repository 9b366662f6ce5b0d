import { useState } from "preact/hooks";
import { SandboxAgent, SandboxAgentError, type ConnectOptions } from "sandbox-agent";

import { message } from "./hooks.js";

const KEY = "sa-connection";

/** The connection saved by "Remember": in localStorage, or for this tab only. */
export function remembered(): ConnectOptions | null {
  const raw = localStorage.getItem(KEY) ?? sessionStorage.getItem(KEY);
  try {
    return raw ? (JSON.parse(raw) as ConnectOptions) : null;
  } catch {
    return null;
  }
}

export function forget() {
  localStorage.removeItem(KEY);
  sessionStorage.removeItem(KEY);
}

export function Connect({ onConnect }: { onConnect: (client: SandboxAgent) => void }) {
  const saved = remembered();
  const [baseUrl, setBaseUrl] = useState(saved?.baseUrl ?? window.location.origin);
  const [token, setToken] = useState(saved?.token ?? "");
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const options = { baseUrl: baseUrl.trim(), token: token.trim() || undefined };
    const client = SandboxAgent.connect(options);
    try {
      // Agents need the token (health does not): this checks both the address and the token.
      await client.listAgents({ signal: AbortSignal.timeout(10_000) });
      (remember ? localStorage : sessionStorage).setItem(KEY, JSON.stringify(options));
      onConnect(client);
    } catch (err) {
      setError(err instanceof SandboxAgentError ? `${err.status} ${err.title}: ${err.detail ?? ""}` : message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="connect stack" onSubmit={submit} data-testid="connect">
      <h1 style="margin:0;font-size:18px">Connect to sandbox-agent</h1>
      <label class="stack">
        <span class="muted">Daemon URL</span>
        <input name="baseUrl" value={baseUrl} onInput={(e) => setBaseUrl(e.currentTarget.value)} required />
      </label>
      <label class="stack">
        <span class="muted">Token (the daemon's --token, or a participant token)</span>
        <input name="token" type="password" autocomplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
      </label>
      <label class="row">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
        <span>Remember on this browser (otherwise for this tab only)</span>
      </label>
      {error && (
        <div class="error-box" role="alert">
          {error}
        </div>
      )}
      <button class="primary" type="submit" disabled={busy}>
        {busy ? "Connecting…" : "Connect"}
      </button>
    </form>
  );
}
