import type { MessageAttachment } from "./generated/openapi.js";

/** Bytes as base64, in Node (Buffer) and in browsers (btoa) alike. */
function toBase64(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(enc: string): string } } }).Buffer;
  if (B) return B.from(bytes).toString("base64");
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * An attachment that carries its bytes (a string is sent as UTF-8); it lands in the session's
 * workspace under `attachments/<name>`. For a file already in the workspace, pass `{ path }`.
 */
export function attachBytes(name: string, data: Uint8Array | string, mime?: string): MessageAttachment {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return { name, contentBase64: toBase64(bytes), ...(mime ? { mime } : {}) };
}
