// Embedded mode (Node only): the daemon as a child process of this one.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { SandboxAgent } from "./client.js";
import { SandboxAgentNetworkError } from "./errors.js";

export interface StartOptions {
  /** The daemon binary. Else `SANDBOX_AGENT_BIN`, else `sandbox-agent` on `PATH`, else the cargo build of this repository. */
  binary?: string;
  /** The data dir (sessions, store, workspaces). Default: a fresh temporary dir, removed by `dispose()`. */
  dataDir?: string;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: the system picks a free port and the daemon reports it. */
  port?: number;
  /** Default: 24 random bytes, hex. Passed in the environment, never on the command line. */
  token?: string;
  /** More `server` flags (`["--mock-pacing-ms", "5"]`). */
  args?: string[];
  /** Environment for the daemon, over this process's own. */
  env?: Record<string, string | undefined>;
  /** How long to wait for the daemon to answer `GET /v1/health` (default 15 000 ms). */
  timeoutMs?: number;
  /** The daemon's stderr: kept (the last 64 KiB, shown if it dies at start; default), inherited, or dropped. */
  log?: "pipe" | "inherit" | "silent";
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** For terminals where there is no global WebSocket (Node 20: the `ws` package). */
  WebSocket?: import("./terminal.js").WebSocketLike;
}

const STDERR_KEPT = 64 * 1024;

/** Daemons of this process still running: one `exit` handler signals them all. */
const running = new Set<ChildProcess>();
let exitHandler = false;

function track(child: ChildProcess) {
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (!exitHandler) {
    exitHandler = true;
    process.once("exit", () => {
      for (const c of running) c.kill("SIGTERM");
    });
  }
}

/** Finds the daemon binary: the option, `SANDBOX_AGENT_BIN`, `PATH`, then `target/{release,debug}` above this package. */
export function findBinary(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.SANDBOX_AGENT_BIN) return process.env.SANDBOX_AGENT_BIN;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && isExecutable(join(dir, "sandbox-agent"))) return join(dir, "sandbox-agent");
  }
  // The cargo build next to the repository: the newest of the release and debug binaries.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1, dir = dirname(dir)) {
    const built = ["release", "debug"]
      .map((profile) => join(dir, "target", profile, "sandbox-agent"))
      .filter(isExecutable)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    if (built[0]) return built[0];
  }
  throw new Error("sandbox-agent binary not found: pass `binary`, set SANDBOX_AGENT_BIN, put it on PATH, or `cargo build`");
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Starts a daemon and returns its client; see `SandboxAgent.start`. */
export async function startEmbedded(options: StartOptions = {}): Promise<SandboxAgent> {
  const binary = findBinary(options.binary);
  const token = options.token ?? randomBytes(24).toString("hex");
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "sandbox-agent-")));
  const log = options.log ?? "pipe";
  const args = ["server", "--host", options.host ?? "127.0.0.1", "--port", String(options.port ?? 0)];
  args.push("--data-dir", dataDir, "--exit-on-stdin-close", ...(options.args ?? []));
  // stdin is the lifeline: however this process ends, SIGKILL included, the kernel closes the
  // pipe and the daemon (`--exit-on-stdin-close`) shuts down.
  const child = spawn(binary, args, {
    stdio: ["pipe", "pipe", log === "pipe" ? "pipe" : log === "inherit" ? "inherit" : "ignore"],
    env: { ...process.env, ...options.env, SANDBOX_AGENT_TOKEN: token },
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  track(child);
  // A failed signal later (the daemon already gone) must not crash this process.
  child.on("error", () => {});
  const stop = async () => {
    await stopChild(child);
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const baseUrl = await waitListening(child, options.timeoutMs ?? 15_000, () => stderr);
    const connect = { baseUrl, token, fetch: options.fetch, headers: options.headers, WebSocket: options.WebSocket };
    const client = new SandboxAgent(connect, { pid: child.pid!, dataDir, stop });
    await waitHealthy(client, child, options.timeoutMs ?? 15_000, () => stderr);
    // Neither the child nor its pipes keep this process alive: a script that ends without
    // `dispose()` still ends, and takes the daemon with it through the lifeline.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void })?.unref?.();
    return client;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The daemon prints `listening on http://ADDR` on stdout once its socket is bound. */
function waitListening(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => fail(`did not start listening within ${timeoutMs} ms`), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      // Only our own listeners: `track` keeps its exit listener.
      child.off("error", onError).off("exit", onExit);
      child.stdout?.off("data", onData);
    };
    const fail = (why: string) => {
      done();
      reject(new SandboxAgentNetworkError(`sandbox-agent ${why}${tail(stderr())}`));
    };
    const onError = (err: Error) => fail(`could not be started: ${err.message}`);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited at start (${signal ?? `code ${code}`})`);
    const onData = (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        done();
        // Keep draining stdout so the daemon never blocks on a full pipe.
        child.stdout?.resume();
        resolve(match[1]!);
      }
    };
    child.once("error", onError);
    child.once("exit", onExit);
    child.stdout?.setEncoding("utf8").on("data", onData);
  });
}

async function waitHealthy(client: SandboxAgent, child: ChildProcess, timeoutMs: number, stderr: () => string) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new SandboxAgentNetworkError(`sandbox-agent exited before it was healthy${tail(stderr())}`);
    }
    try {
      await client.getHealth({ signal: AbortSignal.timeout(2000) });
      return;
    } catch (err) {
      if (performance.now() > deadline) {
        throw new SandboxAgentNetworkError(`sandbox-agent was not healthy within ${timeoutMs} ms${tail(stderr())}`, {
          cause: err,
        });
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM (the daemon suspends its sessions and exits), SIGKILL after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

function tail(stderr: string): string {
  const text = stderr.trim();
  return text ? `; its stderr:\n${text.slice(-4000)}` : "";
}
