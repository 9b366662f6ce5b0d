#!/usr/bin/env bash
# Extracts the agents' own schemas, at the pinned versions, into this directory. The Rust types
# in crates/agent-types are generated from what this writes (see README.md). Run by hand when a
# pinned version changes, never in CI.
#
# Needs: the pinned agents installed (`sandbox-agent install-agent claude codex opencode`, into
# $SANDBOX_AGENT_AGENTS_DIR, default ~/.cache/sandbox-agent/agents), node >= 18, and npm set up
# for your registry (npm_config_registry / .npmrc / `npm config get registry`; no host is assumed).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
agents=${SANDBOX_AGENT_AGENTS_DIR:-$HOME/.cache/sandbox-agent/agents}

# The agents, as pinned in crates/install/src/packages.rs (checked below).
CLAUDE_CODE=2.1.197
CODEX=0.169.0
OPENCODE=1.18.33
# Type packages. The Claude Agent SDK release built for Claude Code $CLAUDE_CODE: its package.json has
# "claudeCodeVersion": "2.1.197" (checked below). The SDK's types import the Anthropic API types from
# its peer @anthropic-ai/sdk; 0.94.0 is the one bundled in the claude 2.1.197 binary (the
# X-Stainless-Package-Version it sends). No @openai/codex-sdk was published for 0.164-0.169:
# 0.163.0 is the newest release at or before codex 0.169.0 (see README.md for what it lacks).
# The SDKs' other peers (@modelcontextprotocol/sdk, zod) are left out on purpose: MCP payloads
# (JSON-RPC messages, tool results, content blocks) then stay opaque JSON in the schemas, as they
# are MCP's types, not the agent's (and typescript-json-schema cannot read zod's inferred types).
# The ACP schema, as the official SDK ships it (the version our ACP client tests pin too).
ACP_SDK=2.4.0
CLAUDE_SDK=0.3.197
ANTHROPIC_SDK=0.94.0
CODEX_SDK=0.163.0
# The converters from TypeScript to JSON Schema.
TYPESCRIPT=5.9.3
TS_JSON_SCHEMA=0.68.0
TYPES_NODE=26.6.6

for v in "$CLAUDE_CODE" "$CODEX" "$OPENCODE"; do
  grep -q "\"$v\"" "$repo/crates/install/src/packages.rs" || { echo "$v is not pinned in crates/install/src/packages.rs" >&2; exit 1; }
done

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---- Codex app-server: its own JSON Schema bundle --------------------------------------------
codex=$(ls "$agents"/codex/"$CODEX"-*/package/vendor/*/bin/codex | head -n1)
mkdir -p "$work/codex-home"
HOME="$work/codex-home" CODEX_HOME="$work/codex-home" "$codex" app-server generate-json-schema --out "$work/codex" >/dev/null 2>&1
# Only what the converter reads: the notifications and requests the server sends, and the
# responses to the requests the adapter makes (initialize, thread/start, thread/resume, turn/start).
rm -rf "$here/codex/app-server"
mkdir -p "$here/codex/app-server"
for f in ServerNotification.json ServerRequest.json v1/InitializeResponse.json v2/ThreadStartResponse.json \
  v2/ThreadResumeResponse.json v2/TurnStartResponse.json; do
  cp "$work/codex/$f" "$here/codex/app-server/$(basename "$f")"
done

# ---- OpenCode: the OpenAPI document its server serves ----------------------------------------
opencode="$agents/opencode/$OPENCODE/package/bin/opencode"
oc="$work/opencode"
mkdir -p "$oc/home"
echo '{"autoupdate": false, "share": "disabled"}' >"$oc/opencode.json"
# The same hermetic environment as crates/agents/src/opencode/server.rs.
env -i PATH="$PATH" HOME="$oc/home" XDG_DATA_HOME="$oc/home/.local/share" XDG_CONFIG_HOME="$oc/home/.config" \
  XDG_CACHE_HOME="$oc/home/.cache" XDG_STATE_HOME="$oc/home/.local/state" OPENCODE_CONFIG="$oc/opencode.json" \
  OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_LSP_DOWNLOAD=1 OPENCODE_DISABLE_SHARE=1 \
  "$opencode" serve --port 0 --hostname 127.0.0.1 >"$oc/serve.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 300); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$oc/serve.log" | head -n1 || true)
  [ -n "$url" ] && curl -sf -m 10 "$url/doc" -o "$oc/doc.json" && break
  kill -0 "$server_pid" || { cat "$oc/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$oc/doc.json" ] || { echo "no OpenAPI document from opencode serve" >&2; exit 1; }
kill "$server_pid"
server_pid=
mkdir -p "$here/opencode"
node -e 'const fs = require("fs"); fs.writeFileSync(process.argv[2], JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1], "utf8")), null, 1) + "\n")' \
  "$oc/doc.json" "$here/opencode/openapi.json"

# ---- Claude Code and codex exec: TypeScript definitions of their SDKs -----------------------
npm_dir="$work/npm"
mkdir -p "$npm_dir"
(
  cd "$npm_dir"
  npm init -y >/dev/null
  npm install --omit=optional --legacy-peer-deps --ignore-scripts --no-audit --no-fund --loglevel=error \
    "@anthropic-ai/claude-agent-sdk@$CLAUDE_SDK" "@anthropic-ai/sdk@$ANTHROPIC_SDK" "@openai/codex-sdk@$CODEX_SDK" "typescript@$TYPESCRIPT" "typescript-json-schema@$TS_JSON_SCHEMA" \
    "@types/node@$TYPES_NODE" "@agentclientprotocol/sdk@$ACP_SDK" >/dev/null
)
cp "$here"/tools/*.mjs "$npm_dir/"
sdk="$npm_dir/node_modules/@anthropic-ai/claude-agent-sdk"
built_for=$(node -p "require('$sdk/package.json').claudeCodeVersion")
[ "$built_for" = "$CLAUDE_CODE" ] || { echo "claude-agent-sdk $CLAUDE_SDK is for claude-code $built_for" >&2; exit 1; }

mkdir -p "$here/claude"
cp "$sdk/sdk.d.ts" "$here/claude/sdk.d.ts"
# The stream-json stdout line: the SDK's StdoutMessage without the internal types it names but
# does not ship (listed in dropped.txt).
node "$npm_dir/claude-flatten.mjs" "$sdk/sdk.d.ts" "$sdk/sdk-flat.d.ts" \
  "SDKMessage | SDKControlRequest | SDKControlResponse | SDKControlCancelRequest | SDKKeepAliveMessage" >"$here/claude/dropped.txt"
node "$npm_dir/ts-schema.mjs" "$sdk/sdk-flat.d.ts" StdoutLine "$here/claude/stdout-line.schema.json"

mkdir -p "$here/codex/exec"
cp "$npm_dir/node_modules/@openai/codex-sdk/dist/index.d.ts" "$here/codex/exec/index.d.ts"
node "$npm_dir/ts-schema.mjs" "$npm_dir/node_modules/@openai/codex-sdk/dist/index.d.ts" ThreadEvent "$here/codex/exec/thread-event.schema.json"

mkdir -p "$here/acp"
cp "$npm_dir/node_modules/@agentclientprotocol/sdk/schema/v1/schema.json" "$here/acp/schema.json"

echo "extracted into $here; now run: cargo run --manifest-path crates/agent-types/generator/Cargo.toml" >&2
