import { useState } from "preact/hooks";
import type { SandboxAgent } from "sandbox-agent";

import { message, useLoaded } from "./hooks.js";

/** What of a file is shown: enough to read, not enough to hang the page. */
const SHOWN_BYTES = 256 * 1024;

/** The session's workspace through the files API: browse directories, read a file (read-only). */
export function FilesTab({ client, sessionId, version }: { client: SandboxAgent; sessionId: string; version: number }) {
  const [dir, setDir] = useState(".");
  const [open, setOpen] = useState<{ path: string; text: string; size: number } | null>(null);
  const [error, setError] = useState<string | undefined>();
  const list = useLoaded((signal) => client.listFsEntries({ path: dir, sessionId }, { signal }), [client, sessionId, dir, version]);
  const up = dir === "." ? null : dir.split("/").slice(0, -1).join("/") || ".";
  const join = (name: string) => (dir === "." ? name : `${dir}/${name}`);

  const show = async (path: string, size: number) => {
    setError(undefined);
    try {
      const bytes = await client.readFsFile({ path, sessionId });
      const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes.slice(0, SHOWN_BYTES));
      setOpen({ path, text, size });
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <div class="pad" data-testid="files">
      <div class="row" style="margin-bottom:8px">
        <button disabled={!up} onClick={() => up && (setDir(up), setOpen(null))} aria-label="Parent directory">
          ↑
        </button>
        <span class="mono" data-testid="files-dir">
          {list.value?.path ?? dir}
        </span>
      </div>
      {(list.error || error) && <div class="error-box">{list.error ?? error}</div>}
      <table class="matrix" style="width:100%">
        <tbody>
          {list.value?.entries.map((e) => (
            <tr key={e.path} data-testid="file-entry" data-name={e.name} data-type={e.type}>
              <td style="text-align:left">
                <button
                  class="mono"
                  style="border:none;background:none;padding:0;text-align:left"
                  onClick={() => (e.type === "directory" ? (setDir(join(e.name)), setOpen(null)) : void show(join(e.name), e.size))}
                >
                  {e.type === "directory" ? "📁 " : e.type === "symlink" ? "↪ " : ""}
                  {e.name}
                </button>
              </td>
              <td class="muted">{e.type}</td>
              <td class="mono">{e.size}</td>
              <td class="muted mono">{e.modified ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.value && list.value.entries.length === 0 && <div class="muted">Empty.</div>}
      {open && (
        <section class="card" style="margin-top:12px" data-testid="file-view">
          <h3 class="mono">
            {open.path} <span class="muted">({open.size} bytes{open.size > SHOWN_BYTES ? `, first ${SHOWN_BYTES} shown` : ""})</span>
          </h3>
          <pre>{open.text}</pre>
        </section>
      )}
    </div>
  );
}
