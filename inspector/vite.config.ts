import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Served by the daemon under /ui (crates/server/src/ui.rs embeds dist/ at build time).
export default defineConfig({
  base: "/ui/",
  // The SDK from source: the inspector and the SDK change together, without a build in between.
  resolve: { alias: { "sandbox-agent": fileURLToPath(new URL("../sdks/typescript/src/index.ts", import.meta.url)) } },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  // `npm run dev`: the API of a daemon on the default port, so the page can talk to it same-origin.
  server: { proxy: { "/v1": "http://127.0.0.1:2468" } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // Every wait has a timeout, and it is this one unless the test says otherwise.
    expect: { poll: { timeout: 15_000, interval: 50 } },
  },
});
