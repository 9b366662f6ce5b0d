// The SDK keeps up with the daemon: generated types are current, every operation has its method,
// and the README lists each one.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

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
