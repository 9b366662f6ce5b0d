// The SDK keeps up with the daemon: generated types are current, every operation has its method,
// and the README lists each one.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

import { findBinary } from "../src/embedded.js";
import { SandboxAgent } from "../src/index.js";
// @ts-expect-error: a plain ESM script without declarations.
import { generate, outPath, specPath } from "../scripts/generate.mjs";

const spec = JSON.parse(readFileSync(specPath, "utf8")) as {
  paths: Record<string, Record<string, { operationId: string }>>;
};
const operationIds = Object.values(spec.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));

it("src/generated/openapi.ts is what docs/openapi.json generates", async () => {
  expect(readFileSync(outPath, "utf8"), "run `npm run generate -w sandbox-agent`").toBe(await generate());
});

it("one method per operationId, and the README lists them", () => {
  expect(new Set(operationIds).size).toBe(operationIds.length);
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  for (const id of operationIds) {
    expect(typeof (SandboxAgent.prototype as unknown as Record<string, unknown>)[id], id).toBe("function");
    expect(readme, `README lists ${id}`).toContain(`\`${id}(`);
  }
});

// `--ignore-scripts`: the global setup built dist/ already, and a prepack rebuild would rewrite it
// under the embedded tests that import it.
it("`npm pack` makes a package that imports by its name and reaches a daemon", async () => {
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, mkdirSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "sdk-pack-"));
  try {
    const pkg = new URL("..", import.meta.url).pathname;
    const out = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir], { cwd: pkg, encoding: "utf8" });
    const tarball = join(dir, out.trim().split("\n").at(-1)!);
    const modules = join(dir, "app", "node_modules", "sandbox-agent");
    mkdirSync(modules, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", modules, "--strip-components=1"]);
    const script = [
      'import { SandboxAgent, SandboxAgentError } from "sandbox-agent";',
      "const sa = await SandboxAgent.start();",
      "const health = await sa.getHealth();",
      "const err = await sa.getSession('x').catch((e) => e);",
      "await sa.dispose();",
      "console.log(JSON.stringify({ health, isProblem: err instanceof SandboxAgentError, status: err.status }));",
    ].join("\n");
    const printed = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: join(dir, "app"),
      encoding: "utf8",
      timeout: 30_000,
      env: { ...process.env, SANDBOX_AGENT_BIN: findBinary() },
    });
    expect(JSON.parse(printed)).toEqual({ health: { status: "ok", ownedSessions: 0 }, isProblem: true, status: 404 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
