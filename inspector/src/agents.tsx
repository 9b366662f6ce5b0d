import { useState } from "preact/hooks";
import type { AgentInfo, SandboxAgent } from "sandbox-agent";

import { message, useLoaded } from "./hooks.js";

/** Every agent with every capability flag the daemon reports: the rows come from the data, so a new flag shows up by itself. */
export function AgentsTab({ client }: { client: SandboxAgent }) {
  const { value, error, reload } = useLoaded((signal) => client.listAgents({ signal }), [client]);
  const [installing, setInstalling] = useState<string | null>(null);
  const [result, setResult] = useState<string | undefined>();
  const agents: AgentInfo[] = value?.agents ?? [];
  const flags = [...new Set(agents.flatMap((a) => Object.keys(a.capabilities)))].sort();

  const install = async (id: string, reinstall: boolean) => {
    setInstalling(id);
    setResult(undefined);
    try {
      await client.installAgent(id, { reinstall });
      setResult(`${id}: installed`);
      reload();
    } catch (e) {
      setResult(`${id}: ${message(e)}`);
    } finally {
      setInstalling(null);
    }
  };

  return (
    <div class="pad">
      <h2 style="margin-top:0;font-size:16px">Agents</h2>
      {error && <div class="error-box">{error}</div>}
      {result && (
        <div class="muted" role="status">
          {result}
        </div>
      )}
      <table class="matrix" data-testid="capabilities">
        <thead>
          <tr>
            <th>capability</th>
            {agents.map((a) => (
              <th key={a.id} scope="col">
                {a.id}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>installed</td>
            {agents.map((a) => (
              <td key={a.id} title={a.path ?? ""}>
                {a.installed ? `✓ ${a.version ?? ""}` : "–"}
                <div class="muted">{a.source ?? ""}</div>
              </td>
            ))}
          </tr>
          <tr>
            <td>pinned</td>
            {agents.map((a) => (
              <td key={a.id}>{a.pinnedVersion ?? "–"}</td>
            ))}
          </tr>
          <tr>
            <td>install</td>
            {agents.map((a) => (
              <td key={a.id}>
                <button disabled={installing !== null} onClick={() => install(a.id, a.installed)}>
                  {installing === a.id ? "Installing…" : a.installed ? "Reinstall" : "Install"}
                </button>
              </td>
            ))}
          </tr>
          {flags.map((flag) => (
            <tr key={flag} data-testid="capability-row" data-flag={flag}>
              <td class="mono">{flag}</td>
              {agents.map((a) => {
                const on = (a.capabilities as Record<string, boolean>)[flag] === true;
                return (
                  <td key={a.id} class={on ? "yes" : "no"} data-testid="capability" data-agent={a.id} data-flag={flag} data-value={String(on)}>
                    {on ? "✓" : "–"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {agents.some((a) => a.warning) && (
        <ul>
          {agents
            .filter((a) => a.warning)
            .map((a) => (
              <li key={a.id} class="muted">
                {a.id}: {a.warning}
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
