import { SandboxAgentNetworkError } from "./errors.js";

/** What a terminal socket brings: output bytes (the scrollback first), then the exit. */
export type TerminalEvent =
  | { type: "output"; data: Uint8Array }
  | { type: "exit"; exitCode: number | null; signal: number | null }
  | { type: "error"; message: string };

/** The subprotocol of a terminal socket. */
export const TERMINAL_PROTOCOL = "sandbox-agent.terminal.v1";

/** A WebSocket constructor: the global one (browsers, Node 22+), or e.g. the `ws` package's. */
export type WebSocketLike = new (url: string, protocols?: string | string[]) => WebSocket;

/**
 * One attached terminal. Iterate it for what it prints; `send` types into it and `resize`
 * changes its size (a controller's or the daemon's token; an observer gets an `error` event).
 * The iteration ends after `exit`, or when the socket closes.
 */
export class TerminalSocket implements AsyncIterable<TerminalEvent> {
  readonly #ws: WebSocket;
  readonly #queue: TerminalEvent[] = [];
  #waiting: ((done: boolean) => void) | undefined;
  #closed = false;
  readonly #encoder = new TextEncoder();

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (m: MessageEvent) => {
      if (typeof m.data === "string") {
        const msg = JSON.parse(m.data) as { type: string; exitCode?: number | null; signal?: number | null; message?: string };
        if (msg.type === "exit") this.#push({ type: "exit", exitCode: msg.exitCode ?? null, signal: msg.signal ?? null });
        else if (msg.type === "error") this.#push({ type: "error", message: msg.message ?? "" });
      } else {
        this.#push({ type: "output", data: new Uint8Array(m.data as ArrayBuffer) });
      }
    });
    ws.addEventListener("close", () => {
      this.#closed = true;
      this.#wake();
    });
  }

  /** Opens the socket; the token rides in the subprotocol list (browsers cannot set headers). */
  static open(url: string, token: string | undefined, WebSocketImpl: WebSocketLike, signal?: AbortSignal): Promise<TerminalSocket> {
    const protocols = token ? [TERMINAL_PROTOCOL, `bearer.${token}`] : [TERMINAL_PROTOCOL];
    const ws = new WebSocketImpl(url, protocols);
    return new Promise((resolve, reject) => {
      const fail = () => {
        signal?.removeEventListener("abort", fail);
        ws.close();
        reject(new SandboxAgentNetworkError(`terminal socket ${url.replace(/\?.*$/, "")} could not be opened (refused, unknown, or not allowed)`));
      };
      if (signal?.aborted) return fail();
      signal?.addEventListener("abort", fail, { once: true });
      ws.addEventListener("open", () => {
        signal?.removeEventListener("abort", fail);
        resolve(new TerminalSocket(ws));
      }, { once: true });
      ws.addEventListener("error", fail, { once: true });
    });
  }

  #push(event: TerminalEvent) {
    this.#queue.push(event);
    this.#wake();
  }

  #wake() {
    const w = this.#waiting;
    this.#waiting = undefined;
    w?.(true);
  }

  /** Bytes or text to the program, as if typed (`"\x03"` is Ctrl-C). */
  send(input: string | Uint8Array): void {
    this.#ws.send(typeof input === "string" ? this.#encoder.encode(input) : input);
  }

  resize(cols: number, rows: number): void {
    this.#ws.send(JSON.stringify({ type: "resize", cols, rows }));
  }

  close(): void {
    this.#ws.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TerminalEvent> {
    try {
      for (;;) {
        const next = this.#queue.shift();
        if (next) {
          yield next;
          if (next.type === "exit") return;
          continue;
        }
        if (this.#closed) return;
        await new Promise<boolean>((resolve) => (this.#waiting = resolve));
      }
    } finally {
      this.close();
    }
  }
}
