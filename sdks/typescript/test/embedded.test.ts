// Embedded mode: the daemon is a child process, and it never outlives its parent.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

import { SandboxAgent, SandboxAgentNetworkError } from "../src/index.js";
import { startDaemon, within } from "./support.js";

/** True while `pid` is a live process (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Resolves once `pid` is gone; rejects after `ms`. */
async function gone(pid: number, ms = 15_000): Promise<void> {
  let check: NodeJS.Timeout | undefined;
  try {
    await within(
      new Promise<void>((resolve) => {
        check = setInterval(() => !alive(pid) && resolve(), 20);
      }),
      ms,
      () => `daemon ${pid} still running`,
    );
  } finally {
    clearInterval(check);
  }
}

it("start serves on a fresh port, data dir and token; dispose stops the daemon and removes the dir", async () => {
  const sa = await startDaemon();
  const { pid, dataDir } = sa.embedded!;
  expect(alive(pid)).toBe(true);
  expect(sa.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(sa.token).toMatch(/^[0-9a-f]{48}$/);
  expect(existsSync(dataDir)).toBe(true);
  // The token is in the daemon's environment, not on its command line.
  expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).not.toContain(sa.token!);
  const anonymous = await SandboxAgent.connect({ baseUrl: sa.baseUrl }).listSessions().catch((e: unknown) => e);
  expect(anonymous).toMatchObject({ status: 401 });
  await sa.dispose();
  expect(alive(pid)).toBe(false);
  expect(existsSync(dataDir)).toBe(false);
  await sa.dispose();
});

it("`await using` disposes at the end of the block", async () => {
  let pid = 0;
  {
    await using sa = await startDaemon();
    pid = sa.embedded!.pid;
    expect((await sa.getHealth()).status).toBe("ok");
  }
  expect(alive(pid)).toBe(false);
});

async function parent(mode: "wait" | "exit") {
  const script = fileURLToPath(new URL("./fixtures/parent.mjs", import.meta.url));
  const child = spawn(process.execPath, [script, mode], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await within(
    new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once("line", resolve)),
    30_000,
    () => "the parent's report",
  );
  const { pid, baseUrl } = JSON.parse(line) as { pid: number; baseUrl: string };
  return { child, pid, baseUrl };
}

for (const signal of ["SIGKILL", "SIGTERM"] as const) {
  it(`a parent killed with ${signal} takes its daemon with it`, async () => {
    const { child, pid, baseUrl } = await parent("wait");
    try {
      expect(alive(pid)).toBe(true);
      expect((await SandboxAgent.connect({ baseUrl }).getHealth()).status).toBe("ok");
      const exited = new Promise((resolve) => child.once("exit", (_code, sig) => resolve(sig)));
      child.kill(signal);
      expect(await within(exited, 15_000, () => "the parent's exit")).toBe(signal);
      await gone(pid);
    } finally {
      child.kill("SIGKILL");
    }
  });
}

it("a parent that ends without dispose() takes its daemon with it", async () => {
  const { child, pid } = await parent("exit");
  try {
    const code = await within(new Promise((resolve) => child.once("exit", resolve)), 15_000, () => "the parent's exit");
    expect(code).toBe(0);
    await gone(pid);
  } finally {
    child.kill("SIGKILL");
  }
});

it("a daemon that cannot start is an error with its stderr", async () => {
  const err = await startDaemon({ args: ["--no-such-flag"] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SandboxAgentNetworkError);
  expect((err as Error).message).toMatch(/exited at start[\s\S]*--no-such-flag/);
  const missing = await startDaemon({ binary: "/nonexistent/sandbox-agent" }).catch((e: unknown) => e);
  expect((missing as Error).message).toMatch(/could not be started/);
});
