#!/usr/bin/env node
// Fuzzing the package's boundary with JavaScript values, beside the native proptest run
// (tests/fuzz.rs), which can only make JSON-shaped values. Seeded random inputs mix JSON values
// with hostile ones — getters and proxy traps that throw (an Error or anything else), revoked
// proxies, lone surrogates, functions, symbols, bigints, cycles, Dates valid and invalid, deep
// nesting, sparse and huge-length arrays — and the answers of a fake server mix good bodies with
// odd ones. Every case goes through validate.*, build.*, a sent call (with a fetch of its own),
// client options and parseMavibotWebhook, and must keep the package's promises:
//   validate.* returns [{ path, code, message }] strings and never throws;
//   build.*, constructors and parseMavibotWebhook return or throw a ValidationError;
//   a sent call resolves, or rejects with an SdkError;
// and at the end, ordinary calls of every kind still work (a trapped or corrupted module fails).
//
//   node tests/fuzz/values.mjs [--cases 20000] [--seed 7] [--package pkg/node.js]
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { createRng } from "../sandbox/prng.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const cases = Number(arg("cases", 20_000));
const seed = Number(arg("seed", 7));
const sdk = await import(pathToFileURL(resolve(arg("package", "pkg/node.js"))).href);
const rng = createRng(seed);

const thrown = () => rng.pick([new Error("boom"), null, undefined, 42, "text", Symbol("s"), { message: "obj" }]);
const strings = ["", " ", "x", "ann@example.com", "6650a1b2c3d4e5f678901234", "https://cdn.mava.app/a.png", "2026-01-01", "a\ud800b", "\udc00", "😀", "Open", "POST", "__proto__", "constructor"];
const keys = ["customerId", "customer", "email", "message", "content", "attachments", "tags", "status", "priority", "client_id", "list", "startDate", "endDate", "limit", "skip", "__proto__", "x"];

/** A random value; `depth` bounds ordinary nesting (hostile values nest on their own). */
function value(depth = 0) {
  switch (rng.int(0, depth > 3 ? 6 : 14)) {
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.pick([0, 1, -1, 3, 1.5, 1e21, -0, NaN, Infinity, 2 ** 53 + 1, 5e-324]);
    case 3: case 4: return rng.pick(strings);
    case 5: return rng.pick([undefined, () => 1, Symbol("v"), 10n]);
    case 6: return rng.pick([new Date(Date.UTC(2026, 0, 1)), new Date(NaN)]);
    case 7: case 8: return Object.fromEntries(Array.from({ length: rng.int(0, 4) }, () => [rng.pick(keys), value(depth + 1)]));
    case 9: return Array.from({ length: rng.int(0, 4) }, () => value(depth + 1));
    default: return hostile(depth);
  }
}

function hostile(depth) {
  const inner = () => value(depth + 1);
  switch (rng.int(0, 9)) {
    case 0: { const e = thrown(); return { get [rng.pick(keys)]() { throw e; } }; }
    case 1: { const e = thrown(); const trap = rng.pick(["get", "ownKeys", "getOwnPropertyDescriptor", "has", "getPrototypeOf"]); return new Proxy(rng.chance(0.5) ? {} : [inner()], { [trap]() { throw e; } }); }
    case 2: { const p = Proxy.revocable(rng.chance(0.5) ? {} : [], {}); p.revoke(); return p.proxy; }
    case 3: { const a = [inner(), inner()]; const e = thrown(); Object.defineProperty(a, rng.int(0, 1), { get() { throw e; } }); return a; }
    case 4: { const o = { a: inner() }; o.self = o; return o; }
    case 5: { let o = {}; for (let i = 0, n = rng.int(60, 200); i < n; i++) o = { o }; return o; }
    case 6: return Object.assign([], { length: rng.pick([3, 2 ** 32 - 1]) });
    case 7: return new Proxy({ a: inner() }, {});
    case 8: return Object.assign(Object.create({ inherited: 1 }), { own: inner() });
    default: return new Map([["k", inner()]]);
  }
}

/** A fake server's answer: mostly good, sometimes odd. */
function answer(req) {
  switch (rng.int(0, 9)) {
    case 0: return Promise.reject(thrown());
    case 1: return { get then() { throw thrown(); } };
    case 2: return new Proxy(new Response("{}"), { get() { throw thrown(); } });
    case 3: return new Response(rng.pick(["", "{", "null", "[1]", "<html>", '{"error":"x"}']), { status: rng.pick([200, 204, 400, 401, 404, 429, 500, 503]), headers: { "retry-after": rng.pick(["0", "99999999999999999999", "soon"]) } });
    case 4: return new Response(new ReadableStream({ start(c) { c.error(thrown()); } }));
    case 5: return Object.assign(new Response("{}"), { text: async () => thrown() });
    default: return Response.json({ agents: [], categories: [], tickets: [], count: 0, url: req.url });
  }
}

const mavaCalls = Object.keys(sdk.validate.mava);
const botCalls = Object.keys(sdk.validate.mavibot);
const fetch = async (req) => answer(req);
const mava = new sdk.Mava({ apiKey: "fuzz-key", baseUrl: "http://fuzz.test", rateLimit: false, maxRetries: 1, retryBaseMs: 0, retryMaxMs: 1, maxRetryAfterMs: 10, fetch });
const bot = new sdk.Mavibot({ apiKey: "fuzz/key", baseUrl: "http://fuzz.test", maxRetries: 0, fetch });

const failures = [];
const fail = (what, detail) => failures.length < 20 && failures.push(`${what}: ${detail}`);
const isIssue = (i) => i && typeof i.path === "string" && typeof i.code === "string" && typeof i.message === "string";
/** Runs `f`; anything it throws must be a ValidationError. */
function throwsOnlyValidation(what, f) {
  try {
    f();
  } catch (e) {
    if (!(e instanceof sdk.ValidationError)) fail(what, `threw ${e?.name ?? typeof e}: ${e?.message ?? String(e)}`);
  }
}

const t0 = performance.now();
let executed = 0;
for (let n = 0; n < cases; n++) {
  const [api, client, calls] = rng.chance(0.5) ? ["mava", mava, mavaCalls] : ["mavibot", bot, botCalls];
  const name = rng.pick(calls);
  const input = rng.chance(0.3) ? value() : Object.fromEntries(Array.from({ length: rng.int(1, 5) }, () => [rng.pick(keys), value()]));
  try {
    const issues = sdk.validate[api][name](input);
    if (!Array.isArray(issues) || !issues.every(isIssue) || issues.length > 101) fail(`validate.${api}.${name}`, JSON.stringify(issues)?.slice(0, 200));
  } catch (e) {
    fail(`validate.${api}.${name}`, `threw ${e?.name}: ${e?.message}`);
  }
  throwsOnlyValidation(`build.${name}`, () => client.build[name](input));
  throwsOnlyValidation("options", () => new sdk.Mava({ apiKey: "k", [rng.pick(["timeoutMs", "rateLimit", "fetch", "baseUrl", "apiKey"])]: value() }));
  throwsOnlyValidation("parseMavibotWebhook", () => sdk.parseMavibotWebhook(rng.chance(0.2) ? rng.pick(["{", "[]", "null", "{\"client\":{}}"]) : value()));
  if (n % 4 === 0) {
    const options = rng.chance(0.7) ? undefined : { timeoutMs: rng.pick([1, 50, value()]), signal: rng.chance(0.5) ? AbortSignal.timeout(rng.int(0, 5)) : value() };
    try {
      await client[name](input, options);
    } catch (e) {
      if (!(e instanceof sdk.SdkError)) fail(`send ${name}`, `rejected with ${e?.name ?? typeof e}: ${e?.message ?? String(e)}`);
    }
  }
  executed++;
}

// Ordinary calls of every kind, which a broken module would fail.
const good = new sdk.Mava({ apiKey: "k", baseUrl: "http://fuzz.test", rateLimit: false, fetch: async () => Response.json({ agents: [] }) });
const checks = [
  sdk.validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234", priority: 5 })[0]?.code === "INVALID_ENUM",
  good.build.getAgents().url === "http://fuzz.test/api/agents",
  (await good.getAgents()).agents.length === 0,
  sdk.parseMavibotWebhook({ client: { id: 1 }, message: "hi" }).message === "hi",
];
if (!checks.every(Boolean)) fail("after the run", `ordinary calls: ${checks}`);

const ms = performance.now() - t0;
console.log(`hostile JS values: ${executed} cases (each through validate, build, options and the webhook parser; every 4th sent), seed ${seed}, ${(ms / 1000).toFixed(1)} s`);
if (failures.length) {
  console.log(failures.join("\n"));
  process.exit(1);
}
console.log("no failure");
