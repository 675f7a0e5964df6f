// The transport under injected faults, from the packed package against the sandbox: retries
// (and their limits), Retry-After, timeouts, dropped connections, bad bodies, the rate limiter,
// pagination and cancellation. Each test checks the error class, the attempts the sandbox saw,
// and — by counting tickets — that nothing was created twice.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { Mava, ApiError, RateLimitError, TimeoutError, NetworkError, AbortError } from "mava-sdk";
import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { useSandbox, control, received, tickets, fault, KEY } from "./helpers.mjs";

const ctx = useSandbox({ rateLimit: false });
// Fast backoff so storms finish quickly; no client-side limit unless a test sets one.
const mava = (extra = {}) => new Mava({ apiKey: KEY, baseUrl: ctx.url, retryBaseMs: 5, retryMaxMs: 20, rateLimit: false, ...extra });
const attemptsAt = async (path) => (await received(ctx)).filter((r) => r.path === path);
const someCustomer = async () => (await tickets(ctx)).find((t) => t.customer?._id).customer._id;

describe("retries", () => {
  test("a 429 storm with Retry-After in seconds is waited out", async () => {
    await fault(ctx, { kind: "status", status: 429, retryAfter: "1", count: 2, match: { path: "/api/agents" } });
    const out = await mava().getAgents();
    assert.ok(Array.isArray(out.agents));
    const seen = await attemptsAt("/api/agents");
    assert.deepEqual(seen.map((r) => r.status), [429, 429, 200]);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].time - seen[i - 1].time >= 950, `waited ${seen[i].time - seen[i - 1].time} ms`);
  });

  test("Retry-After as an HTTP date is honoured", async () => {
    const at = new Date(Date.now() + 2000);
    await fault(ctx, { kind: "status", status: 503, retryAfter: at.toUTCString(), count: 1, match: { path: "/api/categories" } });
    await mava().getCategories();
    const seen = await attemptsAt("/api/categories");
    assert.equal(seen.length, 2);
    // The date has whole seconds: the retry comes no earlier than that second.
    assert.ok(seen[1].time >= Math.floor(at.getTime() / 1000) * 1000 - 50, `retried ${at.getTime() - seen[1].time} ms early`);
  });

  test("429 after every retry is a RateLimitError with retryAfterMs and the attempt count", async () => {
    await fault(ctx, { kind: "status", status: 429, retryAfter: "0", count: 5 });
    await assert.rejects(mava({ maxRetries: 2 }).getAgents(), (e) => {
      assert.ok(e instanceof RateLimitError && e instanceof ApiError);
      assert.equal(e.status, 429);
      assert.equal(e.attempts, 3);
      assert.equal(e.retryAfterMs, 0);
      return true;
    });
    assert.equal((await attemptsAt("/api/agents")).length, 3);
  });

  test("a Retry-After above the ceiling is not waited for", async () => {
    await fault(ctx, { kind: "status", status: 429, retryAfter: "120", count: 1 });
    await assert.rejects(mava({ maxRetryAfterMs: 5000 }).getAgents(), (e) => e instanceof RateLimitError && e.attempts === 1 && e.retryAfterMs === 120000);
    assert.equal((await attemptsAt("/api/agents")).length, 1);
  });

  test("bursts of 500 and 503 are retried with backoff", async () => {
    await fault(ctx, { kind: "status", status: 500, count: 1, match: { path: "/api/agents" } });
    await fault(ctx, { kind: "status", status: 503, count: 1, match: { path: "/api/agents" } });
    await mava().getAgents();
    assert.deepEqual((await attemptsAt("/api/agents")).map((r) => r.status), [500, 503, 200]);
  });

  test("maxRetries bounds the attempts, per client and per call", async () => {
    await fault(ctx, { kind: "status", status: 502, count: 10 });
    await assert.rejects(mava({ maxRetries: 1 }).getAgents(), (e) => e instanceof ApiError && e.code === "INTERNAL_ERROR" && e.attempts === 2);
    await assert.rejects(mava({ maxRetries: 1 }).getAgents({ maxRetries: 3 }), (e) => e.attempts === 4);
    await assert.rejects(mava().getAgents({ maxRetries: 0 }), (e) => e.attempts === 1);
    assert.equal((await attemptsAt("/api/agents")).length, 7);
  });

  test("other 4xx are not retried", async () => {
    await assert.rejects(mava().updateTicket({ ticketId: "ffffffffffffffffffffffff", status: "Open" }), (e) => e.status === 400 && e.attempts === 1);
    assert.equal((await attemptsAt("/api/ticket")).length, 1);
  });

  test("a dropped connection before the body is read is retried for a read", async () => {
    await fault(ctx, { kind: "drop-before-body", count: 1 });
    await mava().getCategories();
    assert.equal((await attemptsAt("/api/categories")).length, 2);
  });

  test("a hanging read times out per attempt and is retried", async () => {
    await fault(ctx, { kind: "hang", count: 1 });
    const out = await mava({ timeoutMs: 200 }).getCategories();
    assert.ok(out.categories.length > 0);
    assert.equal((await attemptsAt("/api/categories")).length, 2);
  });
});

describe("a fetch that ignores the signal", () => {
  // Never settles and never looks at the signal: only the SDK's own race can end the call.
  const deaf = () => new Promise(() => {});

  test("still times out, per attempt", async () => {
    let calls = 0;
    const m = mava({ fetch: () => (calls++, deaf()), timeoutMs: 50, maxRetries: 1 });
    await assert.rejects(m.getAgents(), (e) => e instanceof TimeoutError && e.attempts === 2);
    assert.equal(calls, 2);
  });

  test("still stops on the caller's abort", async () => {
    const controller = new AbortController();
    const pending = mava({ fetch: deaf, timeoutMs: 60_000 }).getAgents({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, AbortError);
  });

  test("a body that never arrives times out too", async () => {
    const stalled = () => Promise.resolve(new Response(new ReadableStream({ pull() { return new Promise(() => {}); } }), { status: 200 }));
    await assert.rejects(mava({ fetch: stalled, timeoutMs: 50, maxRetries: 0 }).getAgents(), TimeoutError);
  });
});

describe("creates are never repeated blindly", () => {
  test("a timed-out createTicket is not retried, so no second ticket", async () => {
    const customerId = await someCustomer();
    const before = (await tickets(ctx)).length;
    await fault(ctx, { kind: "delay", ms: 600, count: 1, match: { path: "/api/ticket" } });
    await assert.rejects(mava({ timeoutMs: 150 }).createTicket({ customerId }), (e) => e instanceof TimeoutError && e.attempts === 1);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await attemptsAt("/api/ticket")).length, 1);
    // The delayed request was processed once: exactly one new ticket.
    assert.equal((await tickets(ctx)).length, before + 1);
  });

  test("a connection dropped after the server processed the create is reported, not repeated", async () => {
    const customerId = await someCustomer();
    const before = (await tickets(ctx)).length;
    await fault(ctx, { kind: "drop-after-body", count: 1, match: { path: "/api/ticket" } });
    await assert.rejects(mava().createTicket({ customerId, message: { content: "once" } }), (e) => e instanceof NetworkError && e.attempts === 1);
    assert.equal((await attemptsAt("/api/ticket")).length, 1);
    assert.equal((await tickets(ctx)).length, before + 1);
  });

  test("502/503/504 on a create are not retried; 429 and the documented rolled-back 500 are", async () => {
    const customerId = await someCustomer();
    const before = (await tickets(ctx)).length;
    await fault(ctx, { kind: "status", status: 503, count: 1, match: { path: "/api/ticket" } });
    await assert.rejects(mava().createTicket({ customerId }), (e) => e.status === 503 && e.attempts === 1);
    await fault(ctx, { kind: "status", status: 429, retryAfter: "0", count: 1, match: { path: "/api/ticket" } });
    await fault(ctx, { kind: "status", status: 500, count: 1, match: { path: "/api/ticket" } });
    const t = await mava().createTicket({ customerId });
    assert.match(t._id, /^[0-9a-f]{24}$/);
    assert.deepEqual((await attemptsAt("/api/ticket")).map((r) => r.status), [503, 429, 500, 201]);
    assert.equal((await tickets(ctx)).length, before + 1);
  });

  test("retryCreates opts in to repeating a create after a timeout", async () => {
    const customerId = await someCustomer();
    await fault(ctx, { kind: "hang", count: 1, match: { path: "/api/ticket" } });
    const t = await mava({ timeoutMs: 200 }).createTicket({ customerId }, { retryCreates: true });
    assert.match(t._id, /^[0-9a-f]{24}$/);
    assert.equal((await attemptsAt("/api/ticket")).length, 2);
  });

  test("sendMessage is a create too", async () => {
    const ticketId = (await tickets(ctx))[0]._id;
    await fault(ctx, { kind: "status", status: 504, count: 1, match: { path: "/api/message" } });
    await assert.rejects(mava().sendMessage({ ticketId, content: "x" }), (e) => e.status === 504 && e.attempts === 1);
  });
});

describe("bad bodies", () => {
  test("malformed JSON on 200 is an ApiError, not retried", async () => {
    await fault(ctx, { kind: "malformed-json", count: 1 });
    await assert.rejects(mava().getCategories(), (e) => e instanceof ApiError && e.code === "INVALID_RESPONSE" && e.status === 200 && e.attempts === 1 && typeof e.body === "string");
  });

  test("an HTML error page keeps its text in body", async () => {
    await fault(ctx, { kind: "html", status: 502, count: 3 });
    await assert.rejects(mava().getCategories(), (e) => {
      assert.equal(e.code, "HTTP_502");
      assert.equal(e.attempts, 3);
      assert.match(e.body, /<html/i);
      assert.equal(e.headers["content-type"]?.startsWith("text/html"), true);
      return true;
    });
  });

  test("an empty 200 body is an ApiError", async () => {
    await fault(ctx, { kind: "empty", count: 1 });
    await assert.rejects(mava().getAgents(), (e) => e instanceof ApiError && e.code === "INVALID_RESPONSE" && /empty/.test(e.message));
  });
});

describe("client-side rate limit", () => {
  test("a long export through the limiter meets no 429 from a server enforcing the same window", async () => {
    await control(ctx, "POST", "/__sandbox/config", { rateLimit: { requests: 10, windowMs: 1000 } });
    const m = mava({ rateLimit: { requests: 10, windowMs: 1000 } });
    const query = { startDate: "2026-01-01", endDate: "2026-07-01", limit: 8 };
    const all = [];
    for await (const t of m.iterateTickets(query)) all.push(t);
    const seen = await attemptsAt("/api/tickets");
    assert.equal(seen.filter((r) => r.status === 429).length, 0);
    const total = (await m.fetchTickets({ ...query, limit: 1 })).count;
    assert.equal(all.length, total);
    assert.equal(new Set(all.map((t) => t._id)).size, total);
    assert.equal(seen.length, Math.ceil(total / 8), "one request per page, none after the last");
  });

  test("calls wait in the order made, and an aborted call leaves the queue", async () => {
    const m = mava({ rateLimit: { requests: 1, windowMs: 300 } });
    const q = (skip) => ({ startDate: "2026-01-01", endDate: "2026-02-01", limit: 1, skip });
    const controller = new AbortController();
    const calls = [0, 1, 2, 3].map((skip) => m.fetchTickets(q(skip), skip === 1 ? { signal: controller.signal } : {}));
    controller.abort();
    const results = await Promise.allSettled(calls);
    assert.ok(results[1].status === "rejected" && results[1].reason instanceof AbortError);
    assert.deepEqual(results.filter((r) => r.status === "fulfilled").length, 3);
    assert.deepEqual((await attemptsAt("/api/tickets")).map((r) => r.query.skip[0]), ["0", "2", "3"]);
  });

  test("clients sharing a key share the window", async () => {
    const limit = { requests: 2, windowMs: 60_000 };
    const a = mava({ rateLimit: limit });
    const b = mava({ rateLimit: limit });
    await a.getAgents();
    await b.getAgents();
    await assert.rejects(a.getAgents({ signal: AbortSignal.timeout(200) }), AbortError);
    assert.equal((await attemptsAt("/api/agents")).length, 2);
  });

  test("once nobody waits, the limiter leaves no timer behind (the process can exit)", async () => {
    // A 10-minute window: a timer left pending would hold the child for that long.
    const script = `
      import { Mava } from "mava-sdk";
      const m = new Mava({ apiKey: process.env.KEY, baseUrl: process.env.URL, rateLimit: { requests: 1, windowMs: 600000 } });
      await m.getAgents();
      await m.getAgents({ signal: AbortSignal.timeout(100) }).catch((e) => console.log(e.name));`;
    // Asynchronously: the sandbox serving the child runs in this process.
    const child = await new Promise((resolve, reject) => execFile(process.execPath, ["--input-type=module", "-e", script], {
      cwd: dirname(fileURLToPath(import.meta.url)), env: { ...process.env, KEY, URL: ctx.url }, timeout: 120_000,
    }, (error, stdout, stderr) => (error && !error.killed ? reject(error) : resolve({ killed: error?.killed, stdout, stderr }))));
    assert.ok(!child.killed, "the child had to be killed: a timer kept it alive");
    assert.equal(child.stdout.trim(), "AbortError", child.stderr);
  });

  test("a shared store decides instead, and never sees the key", async () => {
    const asked = [];
    const store = { acquire: async (request) => { asked.push(request); } };
    await mava({ rateLimit: { requests: 5, windowMs: 1000, store } }).getAgents();
    assert.equal(asked.length, 1);
    assert.equal(asked[0].requests, 5);
    assert.equal(asked[0].windowMs, 1000);
    assert.ok(typeof asked[0].key === "string" && !asked[0].key.includes(KEY));
  });
});

describe("pagination", () => {
  test("iterateTickets reports progress after each page and stops without an extra request", async () => {
    const progress = [];
    const ids = [];
    for await (const t of mava().iterateTickets({ startDate: "2026-01-01", endDate: "2026-03-01", limit: 20, status: "Open" }, { onProgress: (p) => progress.push(p) })) ids.push(t._id);
    const total = progress[0].total;
    assert.equal(ids.length, total);
    assert.equal(progress.length, Math.max(1, Math.ceil(total / 20)));
    assert.deepEqual(progress.at(-1), { fetched: total, total });
    const seen = await attemptsAt("/api/tickets");
    assert.deepEqual(seen.map((r) => r.query.skip[0]), progress.map((_, i) => String(i * 20)));
    assert.ok(seen.every((r) => r.query.status[0] === "Open"));
  });

  test("a signal stops an iteration between pages", async () => {
    const controller = new AbortController();
    const got = [];
    await assert.rejects(async () => {
      for await (const t of mava().iterateTickets({ startDate: "2026-01-01", endDate: "2026-07-01", limit: 5 }, { signal: controller.signal })) {
        got.push(t);
        if (got.length === 7) controller.abort();
      }
    }, AbortError);
    assert.equal(got.length, 7);
    assert.equal((await attemptsAt("/api/tickets")).length, 2);
  });
});
