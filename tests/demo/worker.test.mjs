// The intake Worker inside workerd (Miniflare, via scripts/demo.mjs) against the sandbox, with
// plain fetch: what it serves, the tickets it creates, and a 4xx JSON answer for every kind of
// hostile input, none of which reaches Mava.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, received, sandboxTickets, sandboxCustomer, activeCategories, fault, KEY } from "./helpers.mjs";

const ctx = useDemo("worker");

const valid = () => ({
  name: "Ann Example",
  email: "ann@example.com",
  walletAddress: "",
  subject: "Cannot log in",
  category: "",
  priority: "3",
  message: "I cannot log in since this morning.",
  website: "",
});

async function post(body, { headers = {}, raw = false } = {}) {
  const res = await fetch(new URL("/api/tickets", ctx.url), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: raw ? body : JSON.stringify(body),
    duplex: "half",
  });
  const text = await res.text();
  return { res, text, json: parseJson(text) };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A 4xx with a JSON error body, the API key nowhere in it, and no ticket sent to Mava. */
async function assertRejected({ res, text, json }, status) {
  assert.equal(res.status, status, text);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(typeof json?.error, "string", text);
  assert.ok(!text.includes(KEY));
  assert.ok(!(await received(ctx)).includes("POST /api/ticket"), "nothing may reach Mava");
  assert.equal((await sandboxTickets(ctx)).filter((t) => t.sandbox.origin === "api").length, 0);
}

test("serves the page, the package's browser files (wasm as application/wasm) and security headers", async () => {
  const page = await fetch(ctx.url);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type"), /^text\/html/);
  const csp = page.headers.get("content-security-policy");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  const html = await page.text();
  assert.match(html, /"mava-sdk": "\/mava-sdk\/browser.js"/);

  const wasm = await fetch(new URL("/mava-sdk/mava_sdk_bg.wasm", ctx.url));
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  const bytes = new Uint8Array(await wasm.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
  assert.ok(WebAssembly.validate(bytes));

  for (const path of ["/mava-sdk/browser.js", "/app.js", "/form.js", "/style.css"]) {
    const res = await fetch(new URL(path, ctx.url));
    assert.equal(res.status, 200, path);
    assert.ok(!(await res.text()).includes(KEY), path);
  }
  // The Worker's own code and configuration are not assets.
  for (const path of ["/worker.js", "/wrangler.toml", "/build.mjs", "/package.json"]) {
    const res = await fetch(new URL(path, ctx.url));
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
  const put = await fetch(ctx.url, { method: "PUT", body: "x" });
  assert.equal(put.status, 405);
  assert.equal((await put.json()).error, "Method not allowed");
});

test("GET /api/categories lists the active categories and caches them", async () => {
  const expected = (await activeCategories(ctx)).map((c) => ({ id: c._id, name: c.name }));
  const first = await fetch(new URL("/api/categories", ctx.url));
  assert.equal(first.status, 200);
  assert.deepEqual((await first.json()).categories, expected);
  const second = await fetch(new URL("/api/categories", ctx.url));
  assert.deepEqual((await second.json()).categories, expected);
  const calls = (await received(ctx)).filter((r) => r === "GET /api/categories");
  assert.ok(calls.length <= 1, `Mava was asked ${calls.length} times`);
  const post = await fetch(new URL("/api/categories", ctx.url), { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
});

test("POST /api/tickets creates the ticket with the form's fields and answers 201 { id }", async () => {
  const [category] = await activeCategories(ctx);
  const { res, json, text } = await post({ ...valid(), category: category._id }, { headers: { origin: new URL(ctx.url).origin } });
  assert.equal(res.status, 201, text);
  assert.match(json.id, /^[0-9a-f]{24}$/);
  assert.deepEqual(Object.keys(json), ["id"]);
  const ticket = (await sandboxTickets(ctx)).find((t) => t._id === json.id);
  assert.ok(ticket);
  assert.equal(ticket.customer.email, "ann@example.com");
  assert.equal((await sandboxCustomer(ctx, ticket.customer._id)).name, "Ann Example");
  assert.equal(ticket.emailSubjectLine, "Cannot log in");
  assert.equal(ticket.priority, 3);
  assert.equal(ticket.category._id, category._id);
  assert.equal(ticket.messages[0].content, "I cannot log in since this morning.");
});

test("a wallet address alone is enough; priority may be a number", async () => {
  const wallet = "0x" + "ab".repeat(20);
  const { res, json, text } = await post({ email: "", walletAddress: wallet, message: "gm", priority: 1 });
  assert.equal(res.status, 201, text);
  const ticket = (await sandboxTickets(ctx)).find((t) => t._id === json.id);
  assert.equal((await sandboxCustomer(ctx, ticket.customer._id)).walletAddress.toLowerCase(), wallet);
  assert.equal(ticket.priority, 1);
});

test("an oversized body gets 413, with or without a content-length", async () => {
  const big = JSON.stringify({ ...valid(), message: "x".repeat(40 * 1024) });
  await assertRejected(await post(big, { raw: true }), 413);
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(big));
      c.close();
    },
  });
  await assertRejected(await post(stream, { raw: true }), 413);
});

test("a wrong content type gets 415", async () => {
  await assertRejected(await post(JSON.stringify(valid()), { raw: true, headers: { "content-type": "text/plain" } }), 415);
  await assertRejected(await post("email=ann%40example.com&message=hi", { raw: true, headers: { "content-type": "application/x-www-form-urlencoded" } }), 415);
  const res = await fetch(new URL("/api/tickets", ctx.url), { method: "POST", body: new Uint8Array([123, 125]) });
  await assertRejected({ res, text: await res.clone().text(), json: await res.json() }, 415);
});

test("malformed JSON and non-object bodies get 400", async () => {
  await assertRejected(await post('{"email": "ann@example.com", "message": ', { raw: true }), 400);
  await assertRejected(await post("", { raw: true }), 400);
  await assertRejected(await post("[1, 2]", { raw: true }), 400);
  await assertRejected(await post("null", { raw: true }), 400);
});

test("missing fields get 400 with an issue per form field", async () => {
  const r = await post({});
  await assertRejected(r, 400);
  const byField = Object.fromEntries(r.json.issues.map((i) => [i.field, i.code]));
  assert.equal(byField.email, "INVALID_CUSTOMER_MODE");
  assert.equal(byField.message, "REQUIRED");
  for (const issue of r.json.issues) assert.equal(typeof issue.message, "string");
});

test("invalid values get 400 with the SDK's issues mapped to form fields", async () => {
  const r = await post({ ...valid(), email: "not-an-email", walletAddress: "0x12", message: "x".repeat(10_001), priority: "7", category: "nope" });
  await assertRejected(r, 400);
  const codes = Object.fromEntries(r.json.issues.map((i) => [i.field, i.code]));
  assert.deepEqual(codes, { email: "INVALID_EMAIL", walletAddress: "INVALID_WALLET_ADDRESS", message: "TOO_LONG", priority: "INVALID_ENUM", category: "INVALID_OBJECT_ID" });
  const typed = await post({ ...valid(), email: ["ann@example.com"], message: { content: "hi" }, extra: 1 });
  await assertRejected(typed, 400);
  assert.ok(typed.json.issues.some((i) => i.field === "email" && i.code === "INVALID_TYPE"));
  assert.ok(typed.json.issues.some((i) => i.path === "extra" && i.code === "UNKNOWN_FIELD"));
});

test("a category the page does not offer gets 400 (archived or forged ids)", async () => {
  const archived = (await (await fetch(new URL("/__sandbox/tenants", ctx.sandboxUrl))).json()).tenants
    .find((t) => t.key === KEY).categories.find((c) => c.isArchived);
  for (const category of [archived._id, "0123456789abcdef01234567"]) {
    const r = await post({ ...valid(), category });
    assert.equal(r.res.status, 400, r.text);
    assert.deepEqual(r.json.issues.map((i) => [i.field, i.code]), [["category", "CATEGORY_NOT_FOUND"]]);
  }
  assert.ok(!(await received(ctx)).includes("POST /api/ticket"));
});

test("a filled honeypot gets 400 and creates nothing", async () => {
  await assertRejected(await post({ ...valid(), website: "https://spam.example" }), 400);
});

test("a cross-origin POST gets 403; a missing Origin is allowed", async () => {
  await assertRejected(await post(valid(), { headers: { origin: "https://evil.example" } }), 403);
  await assertRejected(await post(valid(), { headers: { origin: "null" } }), 403);
  const other = new URL(ctx.url);
  other.port = String(Number(other.port) + 1);
  await assertRejected(await post(valid(), { headers: { origin: other.origin } }), 403);
  const { res } = await post(valid());
  assert.equal(res.status, 201);
});

test("other methods and paths get JSON 405 / 404", async () => {
  const get = await fetch(new URL("/api/tickets", ctx.url));
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.equal((await get.json()).error, "Method not allowed");
  const unknown = await fetch(new URL("/api/nothing", ctx.url));
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error, "Not found");
});

test("Mava's 429 becomes a 429 with Retry-After", async () => {
  await fault(ctx, { kind: "status", status: 429, retryAfter: "7", count: 3, match: { method: "POST", path: "/api/ticket" } });
  const { res, json, text } = await post(valid());
  assert.equal(res.status, 429, text);
  assert.equal(res.headers.get("retry-after"), "7");
  assert.equal(json.retryAfter, 7);
  assert.equal(typeof json.error, "string");
});

test("Mava failing (5xx, HTML error page, dropped connection) becomes a 502", async () => {
  const match = { method: "POST", path: "/api/ticket" };
  for (const spec of [{ kind: "status", status: 500 }, { kind: "html", status: 503 }, { kind: "drop-before-body" }]) {
    await fault(ctx, { ...spec, count: 3, match });
    const { res, json, text } = await post(valid());
    assert.equal(res.status, 502, `${spec.kind}: ${text}`);
    assert.equal(typeof json.error, "string");
    assert.ok(!text.includes(KEY));
    await fetch(new URL("/__sandbox/faults", ctx.sandboxUrl), { method: "DELETE" });
  }
});
