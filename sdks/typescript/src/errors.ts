import type { ProblemDetails } from "./generated/openapi.js";

/**
 * The daemon answered with a problem (RFC 7807): `status`, `type`, `title`, `detail` and any
 * extra fields it sent (`sessionId`, `agent`, `details`, …) in `problem`.
 */
export class SandboxAgentError extends Error {
  override readonly name = "SandboxAgentError";
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** The whole problem document, extra fields included. */
  readonly problem: ProblemDetails & Record<string, unknown>;

  constructor(problem: ProblemDetails & Record<string, unknown>) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.problem = problem;
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail ?? undefined;
  }

  /** The part of `type` after `urn:sandbox-agent:error:` (`session_not_found`, …). */
  get code(): string {
    return this.type.replace(/^urn:sandbox-agent:error:/, "");
  }
}

/**
 * The request never got an answer from the daemon: refused, reset, DNS, or a response that was
 * not a problem document (a proxy's HTML page). `cause` holds what the runtime threw.
 */
export class SandboxAgentNetworkError extends Error {
  override readonly name = "SandboxAgentNetworkError";
  readonly status: number | undefined;

  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/** Turns a non-2xx response into the error it stands for. */
export async function errorFromResponse(response: Response): Promise<Error> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.title === "string" && typeof body.status === "number" && typeof body.type === "string") {
      return new SandboxAgentError(body as ProblemDetails & Record<string, unknown>);
    }
  } catch {
    // Not JSON: fall through.
  }
  const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new SandboxAgentNetworkError(`HTTP ${response.status} without a problem document: ${snippet}`, {
    status: response.status,
  });
}
