// The inspector in a real browser (Debian's chromium through playwright-core) against the real
// daemon serving its embedded build at /ui. Assertions are on the DOM; screenshots are kept as
// files for people (inspector/test-results/).
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { SandboxAgent, UniversalEvent } from "sandbox-agent";
import { afterAll, beforeAll, expect, it } from "vitest";

// The Node-only half of the SDK, from source (the page uses the browser half).
import { startEmbedded } from "../../sdks/typescript/src/embedded.js";
import { replies, within } from "../../sdks/typescript/test/support.js";

const SHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

let sa: SandboxAgent;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sa = await startEmbedded({ timeoutMs: 30_000, env: { RUST_LOG: "warn" } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
});
afterAll(async () => {
  await browser?.close();
  await sa?.dispose();
});

const shot = (name: string) => page.screenshot({ path: `${SHOTS}${name}.png` });

/** The events of a session up to now, from the API (what the page must agree with). */
async function stored(sessionId: string): Promise<UniversalEvent[]> {
  return (await sa.listEvents(sessionId)).events;
}

async function send(text: string) {
  const box = page.getByTestId("composer");
  await box.focus();
  await box.fill(text);
  // Enter sends: the keyboard path, not only the button.
  await box.press("Enter");
  await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toBe("");
}

async function turnsEnded(): Promise<number> {
  return page.getByTestId("turn-ended").count();
}

it("connects, refuses a wrong token, remembers the right one", async () => {
  await page.goto(`${sa.baseUrl}/ui/`);
  await page.getByLabel(/Token/).fill("wrong-token");
  await page.getByRole("button", { name: "Connect" }).click();
  await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/401/);
  await page.getByLabel(/Token/).fill(sa.token!);
  await page.getByRole("button", { name: "Connect" }).click();
  await page.getByTestId("create-form").waitFor();
  expect(await page.getByTestId("connected-to").textContent()).toBe(sa.baseUrl);
  // Remembered: a reload lands in the app, not on the connect form; so does a deep link.
  await page.goto(`${sa.baseUrl}/ui/sessions/some/deep/link`);
  await page.getByTestId("create-form").waitFor();
  await shot("01-connected");
});

it("creates a mock session and shows the streamed reply, with markdown, tools and reasoning", async () => {
  await page.getByLabel("Label").fill("browser session");
  await page.getByLabel("Tags").fill("e2e, browser");
  await page.getByLabel("Metadata (JSON)").fill('{"ticket": 42}');
  await page.getByTestId("create-submit").click();
  await page.getByTestId("session-id").waitFor();
  const sessionId = (await page.getByTestId("session-id").textContent())!;
  const info = await sa.getSession(sessionId);
  expect(info).toMatchObject({ agent: "mock", label: "browser session", tags: ["e2e", "browser"], metadata: { ticket: 42 } });
  await expect.poll(() => page.locator(`[data-testid=session-item][data-session-id="${sessionId}"]`).count()).toBe(1);

  await send("demo");
  await expect.poll(turnsEnded).toBe(1);
  const assistant = page.getByTestId("msg-assistant");
  await expect.poll(() => assistant.filter({ hasText: "Demo complete." }).count()).toBe(1);
  // The markdown demo renders as markup: a heading and a code block, not raw `#` and fences.
  expect(await page.locator(".msg .md h1, .msg .md h2, .msg .md h3").count()).toBeGreaterThan(0);
  expect(await page.locator(".msg .md pre code").count()).toBeGreaterThan(0);
  expect(await page.getByTestId("tool-call").count()).toBeGreaterThan(0);
  expect(await page.getByTestId("tool-result").count()).toBeGreaterThan(0);
  expect(await page.getByTestId("file-change").count()).toBeGreaterThan(0);
  expect(await page.locator("[data-testid=diff] .add").count()).toBeGreaterThan(0);
  // Reasoning is collapsed.
  const reasoning = page.getByTestId("reasoning").first();
  expect(await reasoning.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
  await page.getByTestId("msg-user").filter({ hasText: "demo" }).waitFor();
  // What the page says the agent replied is what the log holds.
  expect(replies(await stored(sessionId))).toContain("Demo complete.");
  await shot("02-chat-demo");
});

it("shows a reply while it streams, then completed", async () => {
  // `slow 1500` streams a dot every 50 ms for 1.5 s: the page shows the item in progress, growing.
  await send("slow 1500");
  const streaming = page.locator("[data-testid=msg-assistant][data-status=in_progress]");
  await streaming.waitFor();
  await expect.poll(async () => ((await streaming.textContent()) ?? "").includes("...")).toBe(true);
  expect(await streaming.textContent()).toContain("streaming…");
  await expect.poll(turnsEnded).toBe(2);
  expect(await streaming.count()).toBe(0);
});

it("answers permissions and a question from the approvals panel", async () => {
  const sessionId = (await page.getByTestId("session-id").textContent())!;
  await send("permission");
  await page.getByTestId("permission").first().waitFor();
  const asked = await page.getByTestId("permission").count();
  expect(asked).toBe((await sa.getSession(sessionId)).pendingPermissions.length);
  await shot("03-permission");
  const permissions = (await sa.getSession(sessionId)).pendingPermissions;
  for (const [i, p] of permissions.entries()) {
    const card = page.locator(`[data-testid=permission][data-id="${p.permission_id}"]`);
    await card.getByRole("button", { name: i === 0 ? "Allow once" : "Reject" }).click();
    await card.waitFor({ state: "detached" });
  }
  await expect.poll(turnsEnded).toBe(3);
  const resolved = (await stored(sessionId)).flatMap((e) => (e.type === "permission.resolved" ? [e.data.status] : []));
  expect(resolved[0]).toBe("approved");
  expect(resolved.slice(1).every((s) => s === "denied")).toBe(true);

  await send("question");
  const question = page.getByTestId("question").first();
  await question.waitFor();
  await shot("04-question");
  const [first, ...others] = (await sa.getSession(sessionId)).pendingQuestions;
  const card = (id: string) => page.locator(`[data-testid=question][data-id="${id}"]`);
  await card(first!.question_id).getByRole("button", { name: first!.options[0]!, exact: true }).click();
  await card(first!.question_id).waitFor({ state: "detached" });
  for (const q of others) {
    await card(q.question_id).getByRole("button", { name: "Reject" }).click();
    await card(q.question_id).waitFor({ state: "detached" });
  }
  await expect.poll(turnsEnded).toBe(4);
  const answers = (await stored(sessionId)).filter((e) => e.type === "question.resolved");
  expect(answers[0]).toMatchObject({ data: { question_id: first!.question_id, status: "answered", response: first!.options[0] } });
});

it("the events tab shows every event and filters by type", async () => {
  const sessionId = (await page.getByTestId("session-id").textContent())!;
  await page.getByTestId("tab-events").click();
  const all = await stored(sessionId);
  await expect.poll(() => page.getByTestId("event-row").count()).toBeGreaterThanOrEqual(all.length);
  await page.getByTestId("event-filter").fill("turn.*");
  const types = await page.getByTestId("event-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-type")));
  expect(types.length).toBe(all.filter((e) => e.type.startsWith("turn.")).length);
  expect(new Set(types)).toEqual(new Set(["turn.started", "turn.ended"]));
  await page.getByTestId("event-row").first().locator("summary").click();
  expect(await page.getByTestId("event-row").first().locator("pre").textContent()).toContain('"type": "turn.started"');
  await shot("05-events");
  await page.getByTestId("event-filter").fill("");
});

it("the timeline draws turns, tool calls and waits for a human from the log", async () => {
  const sessionId = (await page.getByTestId("session-id").textContent())!;
  await page.getByTestId("tab-timeline").click();
  const events = await stored(sessionId);
  const spans = (lane: string) => page.locator(`[data-testid=timeline-span][data-lane=${lane}]`).count();
  expect(await spans("turn")).toBe(events.filter((e) => e.type === "turn.started").length);
  expect(await spans("human")).toBe(events.filter((e) => e.type === "permission.requested" || e.type === "question.requested").length);
  expect(await spans("tool")).toBeGreaterThan(0);
  expect(await page.getByTestId("timeline-tokens").count()).toBe(4);
  expect(await page.getByTestId("timeline-summary").textContent()).toMatch(/^4 turns/);
  await shot("06-timeline");
});

it("the agents tab shows every capability flag of every agent, as GET /v1/agents says", async () => {
  await page.getByTestId("tab-agents").click();
  await page.getByTestId("capability-row").first().waitFor();
  const { agents } = await sa.listAgents();
  const spec = JSON.parse(readFileSync(new URL("../../docs/openapi.json", import.meta.url), "utf8"));
  const flags = Object.keys(spec.components.schemas.AgentCapabilities.properties).sort();
  // Every flag of the schema, and no other, is a row.
  const rows = await page.getByTestId("capability-row").evaluateAll((r) => r.map((e) => e.getAttribute("data-flag")));
  expect(rows).toEqual(flags);
  for (const agent of agents) {
    for (const flag of flags) {
      const cell = page.locator(`[data-testid=capability][data-agent="${agent.id}"][data-flag="${flag}"]`);
      const want = String((agent.capabilities as Record<string, boolean>)[flag] === true);
      expect(await cell.getAttribute("data-value"), `${agent.id}.${flag}`).toBe(want);
    }
  }
  await shot("07-agents");
  await page.getByRole("tab", { name: "Sessions" }).click();
});

it("the coder panel shows task, metadata, loop state, contract result and participants", async () => {
  const report = { status: "completed", changedFiles: [], commandsRun: [], verification: { command: "true", passed: true, outputExcerpt: "" }, blockers: [] };
  const { sessionId } = await sa.createSession({
    agent: "mock",
    label: "coder in the browser",
    task: `write report.json\n${JSON.stringify(report)}\nEOF`,
    outputContract: { path: "report.json" },
    workflowMode: "loop",
    loop: { maxIterations: 3, goal: "a valid report" },
    metadata: { owner: "e2e" },
  });
  await within(
    (async () => {
      for await (const e of sa.streamEvents(sessionId)) if (e.type === "contract.passed") return;
    })(),
    30_000,
    () => "contract.passed",
  );
  await sa.createToken(sessionId, { name: "reviewer", role: "observer" });
  await page.locator(`[data-testid=session-item][data-session-id="${sessionId}"]`).click();
  await page.getByTestId("tab-coder").click();
  await expect.poll(() => page.getByTestId("contract-status").textContent()).toBe("completed");
  expect(await page.getByTestId("coder-task").textContent()).toContain("write report.json");
  expect(await page.getByTestId("coder-metadata").textContent()).toContain('"owner": "e2e"');
  expect(await page.getByTestId("coder-loop").textContent()).toMatch(/completed[\s\S]*1 of 3[\s\S]*a valid report/);
  await expect.poll(() => page.getByTestId("participant").filter({ hasText: "reviewer" }).count()).toBe(1);
  await shot("08-coder");

  // The files tab reads the same workspace through the files API.
  await sa.writeFsFile({ path: "notes/todo.md", sessionId }, "- check the report\n");
  await page.getByTestId("tab-files").click();
  await page.locator("[data-testid=file-entry][data-name='report.json']").waitFor();
  const names = await page.getByTestId("file-entry").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-name")));
  expect(names).toEqual(["notes", "report.json"]);
  await page.locator("[data-testid=file-entry][data-name='report.json'] button").click();
  expect(JSON.parse((await page.getByTestId("file-view").locator("pre").textContent())!)).toEqual(report);
  await page.locator("[data-testid=file-entry][data-name='notes'] button").click();
  await page.locator("[data-testid=file-entry][data-name='todo.md'] button").click();
  await expect.poll(() => page.getByTestId("file-view").locator("pre").textContent()).toBe("- check the report\n");
  await shot("10-files");
});

it("fits 1280×800 and reads in dark mode; '/' focuses the search", async () => {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(dark).not.toBe(light);
  await page.getByTestId("tab-chat").click();
  await shot("09-dark");
  await page.locator("body").click({ position: { x: 700, y: 10 } });
  await page.keyboard.press("/");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Search sessions");
});
