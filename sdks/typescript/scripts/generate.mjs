// Generates src/generated/openapi.ts from docs/openapi.json with openapi-typescript, plus a named
// alias for every schema (`UniversalEvent`, `SessionInfo`, …). `--check` fails when the file on
// disk is not what this would write (the test suite runs the same check).
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const root = new URL("../", import.meta.url);
export const specPath = fileURLToPath(new URL("../../docs/openapi.json", root));
export const outPath = fileURLToPath(new URL("src/generated/openapi.ts", root));

export async function generate() {
  const spec = JSON.parse(await readFile(specPath, "utf8"));
  // Free-form objects (`metadata`, `outputContract`, `raw`) are `Record<string, unknown>`, not `never`.
  const ast = await openapiTS(spec, { emptyObjectsUnknown: true });
  const names = Object.keys(spec.components?.schemas ?? {}).sort();
  const aliases = names.map((n) => `export type ${n} = components["schemas"]["${n}"];`).join("\n");
  return (
    "// Generated from docs/openapi.json by scripts/generate.mjs (`npm run generate`). Do not edit.\n\n" +
    astToString(ast) +
    "\n// Every schema under its own name.\n" +
    aliases +
    "\n"
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await generate();
  if (process.argv.includes("--check")) {
    const current = await readFile(outPath, "utf8").catch(() => "");
    if (current !== text) {
      console.error("src/generated/openapi.ts is stale: run `npm run generate -w sandbox-agent`");
      process.exit(1);
    }
  } else {
    await writeFile(outPath, text);
  }
}
