// Hostile servers and hostile settings, from the packed package: waits stay bounded, nothing
// lingers, the key never leaks through any field, validation stays linear, memory and freeing
// stay flat over many clients, and what reaches the wire is exactly what was validated.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { inspect } from "node:util";
import { runInNewContext } from "node:vm";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Mava, Mavibot, validate, parseMavibotWebhook, SdkError, ValidationError, ApiError, RateLimitError, TimeoutError,
  NetworkError, AbortError,
} from "mava-sdk";
import { useSandbox, fault, received, KEY } from "./helpers.mjs";
import { rejection } from "./case-helpers.mjs";

const ctx = useSandbox({ rateLimit: false });
const here = dirname(fileURLToPath(import.meta.url));
const BASE = "http://sandbox.test";
const stub = (answer, extra = {}) => new Mava({ apiKey: "k-123", baseUrl: BASE, rateLimit: false, maxRetries: 0, fetch: async (req) => answer(req), ...extra });

/** Runs a module script in a child Node (asynchronously: the sandbox it talks to lives here). */
function child(script, { args = [], env = {}, timeout = 60_000 } = {}) {
  return new Promise((resolve, reject) => execFile(process.execPath, [...args, "--input-type=module", "-e", script], {
    cwd: here, env: { ...process.env, ...env }, timeout,
  }, (error, stdout, stderr) => (error && !error.killed ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ killed: error?.killed, stdout, stderr }))));
}

describe("waits are bounded", () => {
  test("a huge Retry-After holds the window no longer than maxRetryAfterMs, and the process exits", async () => {
    for (const retryAfter of ["2500000", "99999999999999999999"]) {
      await fault(ctx, { kind: "status", status: 429, retryAfter, count: 1, match: { path: "/api/agents" } });
      const script = `
        import { Mava } from "mava-sdk";
        const m = new Mava({ apiKey: process.env.KEY, baseUrl: process.env.URL, maxRetryAfterMs: 500 });
        const t0 = Date.now();
        await m.getAgents().catch((e) => console.log(e.name, e.retryAfterMs > 1e9));
        await m.getAgents();
        console.log("next call after", Date.now() - t0 < 5000 ? "a bounded wait" : "too long");`;
      const run = await child(script, { env: { KEY, URL: ctx.url } });
      assert.ok(!run.killed, "the child had to be killed: a wait or a timer was unbounded");
      assert.equal(run.stdout.trim(), "RateLimitError true\nnext call after a bounded wait", run.stderr);
      assert.doesNotMatch(run.stderr, /TimeoutOverflowWarning/);
    }
  });

  test("Retry-After: 100 with maxRetryAfterMs: 1000 pauses later calls about a second, not 100", async () => {
    await fault(ctx, { kind: "status", status: 429, retryAfter: "100", count: 1, match: { path: "/api/agents" } });
    const m = new Mava({ apiKey: KEY, baseUrl: ctx.url, maxRetryAfterMs: 1000, rateLimit: { requests: 50, windowMs: 1000 } });
    await assert.rejects(m.getAgents(), RateLimitError);
    const t0 = Date.now();
    await m.getCategories();
    const waited = Date.now() - t0;
    assert.ok(waited >= 800 && waited < 10_000, `waited ${waited} ms`);
  });

  test("queueTimeoutMs bounds the wait for a rate-limit slot", async () => {
    const m = new Mava({ apiKey: KEY, baseUrl: ctx.url, rateLimit: { requests: 1, windowMs: 600_000 } });
    await m.getAgents();
    const e = await rejection(m.getAgents({ queueTimeoutMs: 150 }));
    assert.ok(e instanceof TimeoutError && e.code === "QUEUE_TIMEOUT", `${e.name} ${e.code}`);
    assert.equal((await received(ctx)).length, 1);
  });

  test("a rate-limit store: a synchronous throw, a thrown null, one that never settles", async () => {
    const withStore = (acquire, extra) => new Mava({ apiKey: KEY, baseUrl: ctx.url, rateLimit: { requests: 5, windowMs: 1000, store: { acquire } }, ...extra });
    const thrown = new Error("store down");
    let e = await rejection(withStore(() => { throw thrown; }).getAgents());
    assert.ok(e instanceof NetworkError && e.cause === thrown, `${e.name}: ${e.message}`);
    e = await rejection(withStore(() => { throw null; }).getAgents());
    assert.ok(e instanceof NetworkError && /null was thrown/.test(e.message), e.message);
    let told;
    e = await rejection(withStore(({ signal }) => { told = signal; return new Promise(() => {}); }, { queueTimeoutMs: 100 }).getAgents());
    assert.ok(e instanceof TimeoutError && e.code === "QUEUE_TIMEOUT", `${e.name} ${e.code}`);
    assert.ok(told.aborted, "the store's signal aborts when the wait is over");
    e = await rejection(withStore(() => new Promise(() => {})).getAgents({ signal: AbortSignal.timeout(50) }));
    assert.ok(e instanceof AbortError, e.name);
    assert.equal((await received(ctx)).length, 0);
  });
});

describe("the key never leaks", () => {
  const statuses = [400, 401, 404, 429, 500, 503, 200];
  // A server that echoes everything it was sent: the URL (which holds a Mavibot key), the
  // x-auth-token header (a Mava key), in the body and in headers.
  const echo = (status) => async (req) => {
    const seen = { url: req.url, token: req.headers.get("x-auth-token"), nested: [{ again: req.url }] };
    const body = status === 200 ? `not json ${req.url} ${seen.token}` : JSON.stringify({ error: `bad ${seen.token} ${req.url}`, seen });
    return new Response(body, { status, headers: { "x-echo-url": req.url, "x-echo-token": String(seen.token), "retry-after": "0" } });
  };
  for (const [name, make] of [
    ["Mava", (fetch) => new Mava({ apiKey: "mava-secret-1", baseUrl: BASE, rateLimit: false, maxRetries: 0, fetch })],
    ["Mavibot", (fetch) => new Mavibot({ apiKey: "bot secret/2", baseUrl: BASE, maxRetries: 0, fetch })],
  ]) {
    test(`${name}: message, body, headers, JSON and inspect, for every status`, async () => {
      for (const status of statuses) {
        const client = make(echo(status));
        const e = await rejection(name === "Mava" ? client.getAgents() : client.getVariables({ client_id: 1 }));
        assert.ok(e instanceof ApiError, `${status}: ${e.name} ${e.message}`);
        if (status === 200) assert.equal(e.code, "INVALID_RESPONSE");
        const shown = [e.message, e.stack, JSON.stringify(e), JSON.stringify(e.body), JSON.stringify(e.headers), inspect(e, { depth: 10 })].join("\n");
        for (const secret of ["mava-secret-1", "bot secret/2", "bot%20secret%2F2", encodeURIComponent("bot secret/2")]) {
          assert.ok(!shown.includes(secret), `${status}: ${secret} shown in\n${shown}`);
        }
        assert.match(shown, /\*\*\*/);
      }
    });
  }

  test("server text in a message loses its line breaks and terminal escapes", async () => {
    const e = await rejection(stub(() => Response.json({ error: "bad\r\nX-Forged: 1\u001b[31mred" }, { status: 400 })).getAgents());
    assert.doesNotMatch(e.message, /[\r\n\u001b]/);
    assert.match(e.message, /bad X-Forged: 1 \[31mred/);
  });
});

describe("answers that aren't what the call promises", () => {
  test("204, an empty 2xx, and bodies of the wrong shape are INVALID_RESPONSE", async () => {
    const cases = [
      [() => new Response(null, { status: 204 }), "getAgents", /empty/],
      [() => new Response("", { status: 200 }), "getAgents", /empty/],
      [() => Response.json(null), "getCategories", /not a JSON object/],
      [() => Response.json([1, 2]), "getCategories", /not a JSON object/],
      [() => Response.json({ categories: "x" }), "getCategories", /array in `categories`/],
      [() => Response.json({ count: 1 }), "fetchTickets", /array in `tickets`/],
    ];
    for (const [answer, method, why] of cases) {
      const m = stub(answer);
      const e = await rejection(method === "fetchTickets" ? m.fetchTickets({ startDate: "2026-01-01", endDate: "2026-02-01" }) : m[method]());
      assert.ok(e instanceof ApiError && e.code === "INVALID_RESPONSE", `${method}: ${e.name} ${e.code}`);
      assert.match(e.message, why);
    }
    assert.deepEqual(await stub(() => Response.json({ categories: [] })).getCategories(), { categories: [] });
  });
});

describe("what is sent is what was validated", () => {
  test("Mavibot keys . and .. are refused (URL parsers drop such segments, even as %2e)", () => {
    for (const apiKey of [".", ".."]) {
      assert.throws(() => new Mavibot({ apiKey }), (e) => e instanceof ValidationError && e.issues[0].path === "apiKey");
    }
    assert.ok(new Mavibot({ apiKey: "..." }).build.getVariables({ client_id: 1 }).url.includes("/api/.../"));
  });

  test("keys with outer whitespace or lone surrogates are refused, not altered", () => {
    for (const apiKey of [" key ", "key\n", "a\ud800b"]) {
      assert.throws(() => new Mava({ apiKey }), (e) => e instanceof ValidationError && e.issues[0].path === "apiKey", JSON.stringify(apiKey));
      assert.throws(() => new Mavibot({ apiKey }), ValidationError);
    }
  });

  test("a lone surrogate in content or an e-mail is refused, not sent as U+FFFD", async () => {
    const issues = validate.mava.createTicket({ customer: { email: "a\udc00@example.com" }, message: { content: "hi \ud800" } });
    assert.deepEqual(issues.map((i) => [i.path, i.code]), [["customer.email", "INVALID_TEXT"], ["message.content", "INVALID_TEXT"]]);
  });

  test("a Date from another realm (vm) is its ISO text", () => {
    const foreign = runInNewContext("new Date(Date.UTC(2026, 0, 2))");
    assert.ok(!(foreign instanceof Date));
    const url = new Mava({ apiKey: "k" }).build.fetchTickets({ startDate: foreign, endDate: "2026-02-01" }).url;
    assert.match(url, /startDate=2026-01-02T00%3A00%3A00\.000Z/);
  });
});

describe("validation stays linear and bounded", () => {
  test("arrays past their maximum are TOO_MANY once, unchecked; at most 100 issues and a count", () => {
    const attachments = Array.from({ length: 1_000_000 }, () => ({}));
    const issues = validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234", message: { content: "x", attachments } });
    assert.deepEqual(issues.map((i) => i.code), ["TOO_MANY"]);
    assert.match(issues[0].message, /at most 10 items \(got 1000000\)/);
    const unknown = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`field${i}`, 1]));
    const many = validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234", ...unknown });
    assert.equal(many.length, 101);
    assert.deepEqual(many.at(-1), { path: "", code: "TOO_MANY_ISSUES", message: "and 19900 more issues (only the first 100 are listed)" });
  });
});

describe("many clients", () => {
  // Each child creates 100,000 clients, drops them and collects garbage; it prints what is
  // left and how long freeing took. Thresholds are generous: the defects were +48 MB and
  // seconds (quadratic), the fixed figures are printed for the record.
  const script = (rateLimit) => `
    import { Mava } from "mava-sdk";
    const settle = () => new Promise((r) => setTimeout(r, 0));
    const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
    const make = (i) => new Mava({ apiKey: "key-" + i, baseUrl: "http://sandbox.test", rateLimit: ${rateLimit} });
    for (let i = 0; i < 2000; i++) make(i);
    gc(); await settle(); gc(); await settle();
    const before = used();
    let t = performance.now();
    for (let i = 0; i < 100000; i++) make(i);
    const created = performance.now() - t;
    t = performance.now();
    gc(); await settle(); gc(); await settle();
    const freed = performance.now() - t;
    console.log(JSON.stringify({ grewMB: (used() - before) / 2 ** 20, created, freed }));`;
  for (const rateLimit of ["false", "true"]) {
    test(`100,000 clients (rateLimit: ${rateLimit}, distinct keys) are freed in well under a second, leaving no memory behind`, async () => {
      const run = await child(script(rateLimit), { args: ["--expose-gc"], timeout: 120_000 });
      const { grewMB, created, freed } = JSON.parse(run.stdout);
      console.log(`rateLimit ${rateLimit}: created in ${created.toFixed(0)} ms, freed in ${freed.toFixed(0)} ms, ${grewMB.toFixed(1)} MB left`);
      assert.ok(freed < 1000, `freeing took ${freed} ms`);
      assert.ok(grewMB < 8, `${grewMB} MB left after gc`);
    });
  }
});

describe("messages and error objects", () => {
  test("messages read as sentences", async () => {
    const [priority] = validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234", priority: "high" });
    assert.equal(priority.message, "priority must be one of 1, 2, 3 (got string)");
    const [date] = validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234", priority: new Date() });
    assert.equal(date.message, "priority must be one of 1, 2, 3 (got a Date)");
    const [rate] = (() => { try { new Mava({ apiKey: "k", rateLimit: { requests: 0, windowMs: 1 } }); } catch (e) { return e.issues; } })();
    assert.deepEqual([rate.path, rate.code], ["rateLimit.requests", "OUT_OF_RANGE"]);
    assert.throws(() => parseMavibotWebhook("{"), (e) => e.message === "Invalid Mavibot webhook payload: the text is not valid JSON");
    const [deep] = validate.mavibot.callback({ client_id: 1, message: "m", extra: JSON.parse("[".repeat(80) + "]".repeat(80)) });
    assert.equal(deep.code, "TOO_DEEP");
    assert.match(deep.message, /nested more than 64 levels deep/);
  });

  test("errors made by hand get their class's defaults; JSON keeps name, code and fields", () => {
    assert.deepEqual(new ValidationError("m").issues, []);
    assert.equal(new ValidationError("m").code, "VALIDATION_ERROR");
    assert.equal(new TimeoutError("m").code, "TIMEOUT");
    assert.equal(new NetworkError("m").code, "NETWORK_ERROR");
    assert.equal(new AbortError("m").code, "ABORTED");
    assert.equal(new RateLimitError("m").status, 429);
    assert.equal(new SdkError("m").code, "SDK_ERROR");
    const e = new ApiError("boom", { code: "HTTP_500", status: 500, body: { a: 1 }, cause: new TypeError("t") });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), { name: "ApiError", message: "boom", code: "HTTP_500", status: 500, body: { a: 1 }, cause: { name: "TypeError", message: "t" } });
    // structuredClone keeps what the platform keeps of an Error: the message (and stack).
    assert.equal(structuredClone(e).message, "boom");
  });
});
