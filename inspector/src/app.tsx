import { useEffect, useState } from "preact/hooks";
import { SandboxAgent } from "sandbox-agent";

import { AgentsTab } from "./agents.js";
import { Connect, forget, remembered } from "./connect.js";
import { CreateSession } from "./create.js";
import { SessionView } from "./session.js";
import { Sidebar } from "./sidebar.js";

type Theme = "system" | "light" | "dark";

export function App() {
  const [client, setClient] = useState<SandboxAgent | null>(null);
  const [tab, setTab] = useState<"sessions" | "agents">("sessions");
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  // Bumped when this page creates a session, so the list shows it at once.
  const [created, setCreated] = useState(0);
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem("sa-theme") as Theme) ?? "system");

  useEffect(() => {
    if (theme === "system") document.documentElement.removeAttribute("data-theme");
    else document.documentElement.setAttribute("data-theme", theme);
    localStorage.setItem("sa-theme", theme);
  }, [theme]);

  useEffect(() => {
    const saved = remembered();
    if (saved) setClient(SandboxAgent.connect(saved));
  }, []);

  if (!client) return <Connect onConnect={setClient} />;

  const nextTheme: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };
  return (
    <div class="shell">
      <header class="topbar">
        <h1>sandbox-agent</h1>
        <nav class="tabs" role="tablist" aria-label="Views">
          <button role="tab" aria-selected={tab === "sessions"} onClick={() => setTab("sessions")}>
            Sessions
          </button>
          <button role="tab" aria-selected={tab === "agents"} onClick={() => setTab("agents")} data-testid="tab-agents">
            Agents
          </button>
        </nav>
        <span class="grow" />
        <span class="muted mono" data-testid="connected-to">
          {client.baseUrl}
        </span>
        <button onClick={() => setTheme(nextTheme[theme])} title="Colour theme" data-testid="theme">
          Theme: {theme}
        </button>
        <button
          onClick={() => {
            forget();
            setClient(null);
            setSelected(null);
          }}
        >
          Disconnect
        </button>
      </header>
      {tab === "agents" ? (
        <div class="body full">
          <main class="main scroll">
            <AgentsTab client={client} />
          </main>
        </div>
      ) : (
        <div class="body">
          <Sidebar
            client={client}
            selected={selected}
            refresh={created}
            onSelect={(id) => {
              setSelected(id);
              setCreating(false);
            }}
            onNew={() => setCreating(true)}
          />
          <main class="main">
            {creating || !selected ? (
              <CreateSession
                client={client}
                onCreated={(id) => {
                  setCreated((n) => n + 1);
                  setSelected(id);
                  setCreating(false);
                }}
              />
            ) : (
              <SessionView key={selected} client={client} sessionId={selected} onGone={() => setSelected(null)} />
            )}
          </main>
        </div>
      )}
    </div>
  );
}
