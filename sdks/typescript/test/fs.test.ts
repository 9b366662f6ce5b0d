// The files API through the SDK against the real daemon: bytes both ways (whole and streamed),
// every operation, a tar upload, and the path and role refusals as SandboxAgentError.
import { afterAll, beforeAll, expect, it } from "vitest";

import { SandboxAgent, SandboxAgentError } from "../src/index.js";
import { startDaemon } from "./support.js";

let sa: SandboxAgent;
let sessionId: string;

beforeAll(async () => {
  sa = await startDaemon();
  ({ sessionId } = await sa.createSession({ agent: "mock" }));
});
afterAll(async () => {
  await sa?.dispose();
});

/** A ustar archive of `files`, written by hand: 512-byte headers, contents padded to 512. */
function tar(files: Record<string, string>): Uint8Array {
  const blocks: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const [name, text] of Object.entries(files)) {
    const data = enc.encode(text);
    const header = new Uint8Array(512);
    const put = (s: string, at: number) => header.set(enc.encode(s), at);
    put(name, 0);
    put("0000644\0", 100);
    put("0000000\0", 108);
    put("0000000\0", 116);
    put(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
    put("00000000000\0", 136);
    put("        ", 148);
    put("0", 156);
    put("ustar\0" + "00", 257);
    const sum = header.reduce((a, b) => a + b, 0);
    put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

it("writes and reads bytes, whole and streamed", async () => {
  const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => i % 256);
  const put = await sa.writeFsFile({ path: "data/all.bin", sessionId }, bytes);
  expect(put).toMatchObject({ bytes: 200_000, created: true });
  expect(put.path.endsWith("/data/all.bin")).toBe(true);
  expect(await sa.readFsFile({ path: "data/all.bin", sessionId })).toEqual(bytes);

  const streamed = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < 4; i += 1) c.enqueue(new TextEncoder().encode(`part ${i}\n`));
      c.close();
    },
  });
  await sa.writeFsFile({ path: "data/parts.txt", sessionId }, streamed);
  const chunks: Uint8Array[] = [];
  for await (const chunk of (await sa.readFsFileStream({ path: "data/parts.txt", sessionId })) as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
  }
  expect(Buffer.concat(chunks).toString()).toBe("part 0\npart 1\npart 2\npart 3\n");
});

it("stat, entries, mkdir, move, upload and delete", async () => {
  expect(await sa.getFsStat({ path: "data/all.bin", sessionId })).toMatchObject({ type: "file", size: 200_000, name: "all.bin" });
  expect((await sa.createFsDirectory({ path: "a/b" }, { sessionId })).created).toBe(true);
  const moved = await sa.moveFsEntry({ from: "data/parts.txt", to: "a/b/parts.txt" }, { sessionId });
  expect(moved.path.endsWith("/a/b/parts.txt")).toBe(true);
  const up = await sa.uploadFsBatch({ path: "pkg", sessionId }, tar({ "one.txt": "1", "sub/two.txt": "22" }));
  expect(up).toMatchObject({ files: ["one.txt", "sub/two.txt"], bytes: 3 });
  expect(new TextDecoder().decode(await sa.readFsFile({ path: "pkg/sub/two.txt", sessionId }))).toBe("22");
  const { entries } = await sa.listFsEntries({ path: ".", sessionId });
  expect(entries.map((e) => [e.name, e.type])).toEqual([
    ["a", "directory"],
    ["data", "directory"],
    ["pkg", "directory"],
  ]);
  const conflict = await sa.deleteFsEntry({ path: "a", sessionId }).catch((e: unknown) => e);
  expect(conflict).toMatchObject({ status: 409, code: "conflict" });
  await sa.deleteFsEntry({ path: "a", sessionId, recursive: true });
  expect(await sa.getFsStat({ path: "a", sessionId }).catch((e: unknown) => e)).toMatchObject({ status: 404 });
});

it("paths out of the workspace and writes by an observer are refused", async () => {
  for (const path of ["../escape", "/etc/passwd"]) {
    const err = await sa.readFsFile({ path, sessionId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxAgentError);
    expect(err).toMatchObject({ status: 403, code: "path_not_allowed" });
  }
  const { token } = await sa.createToken(sessionId, { name: "viewer", role: "observer" });
  const viewer = SandboxAgent.connect({ baseUrl: sa.baseUrl, token });
  expect((await viewer.listFsEntries({ path: ".", sessionId })).entries.length).toBe(2);
  const denied = await viewer.writeFsFile({ path: "x.txt", sessionId }, "x").catch((e: unknown) => e);
  expect(denied).toMatchObject({ status: 403, code: "forbidden" });
  const noSession = await viewer.listFsEntries({ path: "/" }).catch((e: unknown) => e);
  expect(noSession).toMatchObject({ status: 403 });
});
