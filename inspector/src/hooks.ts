// Small hooks the screens share: a value from the API, kept fresh; a session's event stream.
import { useEffect, useState } from "preact/hooks";
import type { SandboxAgent, UniversalEvent } from "sandbox-agent";

/** `load()`'s value, reloaded every `everyMs` (0: once) and whenever `deps` change. */
export function useLoaded<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[], everyMs = 0) {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next reload is counted from when this one settles, so a slow answer is never cut off.
    const again = () => {
      if (everyMs > 0 && !ac.signal.aborted) timer = setTimeout(() => setTick((t) => t + 1), everyMs);
    };
    load(ac.signal).then(
      (v) => {
        setValue(v);
        setError(undefined);
        again();
      },
      (e: unknown) => {
        if (!ac.signal.aborted) setError(message(e));
        again();
      },
    );
    return () => {
      ac.abort();
      clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { value, error, reload: () => setTick((t) => t + 1) };
}

/**
 * Every event of a session, from the first, following it live (the SDK reconnects after a drop).
 * Renders at most once per animation frame however fast events come.
 */
export function useEvents(client: SandboxAgent, sessionId: string, includeRaw: boolean) {
  const [events, setEvents] = useState<UniversalEvent[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    const ac = new AbortController();
    let frame = 0;
    // This stream's own batch: a stream replaced (raw payloads toggled) never feeds the next.
    let pending: UniversalEvent[] = [];
    setEvents([]);
    setError(undefined);
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      setEvents((old) => old.concat(batch));
    };
    (async () => {
      try {
        for await (const event of client.streamEvents(sessionId, { includeRaw, signal: ac.signal, participant: "inspector" })) {
          pending.push(event);
          if (!frame) frame = requestAnimationFrame(flush);
        }
      } catch (e) {
        if (!ac.signal.aborted) setError(message(e));
      }
    })();
    return () => {
      ac.abort();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [client, sessionId, includeRaw]);
  return { events, error };
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
