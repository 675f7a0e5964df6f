// Fuzzing the Mava webhook receiver from the packed package, in Node: thousands of random and
// mutated deliveries (as objects and as JSON text), signing keys and options through
// verifyMavaWebhook and openMavaWebhook. Every call must settle — `true`/`false`, the sent event
// (never another one), or a ValidationError / WebhookError — and never throw synchronously, trap
// the module or hang; afterwards a normal call must still work. WEBHOOK_FUZZ_CASES (default 3000)
// and WEBHOOK_FUZZ_SEED change the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "mava-sdk";
import { createRng } from "../sandbox/prng.mjs";
import { makeWebhookData } from "./webhook-data.mjs";

const CASES = Number(process.env.WEBHOOK_FUZZ_CASES ?? 3000);
const SEED = Number(process.env.WEBHOOK_FUZZ_SEED ?? 0x6d617661);
const FIELDS = ["signature", "payload", "key", "webhookId"];
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_:. \n\t\"\\{}[]é😀\u0000\ud800\ufeff";

function randomText(rng, max = 40) {
  let s = "";
  for (let i = rng.int(0, max); i > 0; i--) s += rng.pick([...ALPHABET]);
  return s;
}

/** Small random edits: insert, delete, replace, truncate, double. */
function mutate(rng, text) {
  let s = String(text);
  for (let n = rng.int(1, 3); n > 0; n--) {
    const at = rng.int(0, s.length);
    const op = rng.int(0, 5);
    if (op === 0) s = s.slice(0, at) + rng.pick([...ALPHABET]) + s.slice(at);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + 1);
    else if (op === 2) s = s.slice(0, at) + rng.pick([...ALPHABET]) + s.slice(at + 1);
    else if (op === 3) s = s.slice(0, at);
    else if (op === 4 && s.length < 20_000) s += s;
    else s = s.toUpperCase();
  }
  return s;
}

/** Values that throw when read. */
const hostile = [
  () => new Proxy({}, { ownKeys() { throw new Error("ownKeys trap"); } }),
  () => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; },
  () => ({ get signature() { throw new Error("getter"); }, payload: "x", key: "a:b", webhookId: "w" }),
  () => new Proxy([], { get(t, k) { if (k === "length") throw null; return t[k]; } }),
];

function randomValue(rng, depth = 0) {
  const kinds = depth > 3 ? 5 : 8;
  switch (rng.int(0, kinds)) {
    case 8: return rng.pick(hostile)();
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.pick([0, -1, 1e308, -0, 3.5, NaN, Infinity]);
    case 3: return randomText(rng);
    case 4: return undefined;
    case 5: return rng.pick([() => 1, Symbol("s"), 10n, new Date(NaN)]);
    case 6: return Array.from({ length: rng.int(0, 3) }, () => randomValue(rng, depth + 1));
    default: return Object.fromEntries(Array.from({ length: rng.int(0, 4) }, () => [rng.pick([...FIELDS, randomText(rng, 6)]), randomValue(rng, depth + 1)]));
  }
}

/** JSON text of anything (a BigInt inside makes broken JSON instead of a throw). */
function text(v) {
  try {
    return JSON.stringify(v) ?? "undefined";
  } catch {
    return "{\"signature\":";
  }
}

/** A body: an authentic delivery mutated in one of many ways, or something else entirely. */
function randomBody(rng, authentic) {
  const base = { ...rng.pick(authentic) };
  const way = rng.int(0, 9);
  if (way <= 2) {
    const field = rng.pick(FIELDS);
    base[field] = mutate(rng, base[field]);
  } else if (way === 3) {
    const [a, b] = [rng.pick(FIELDS), rng.pick(FIELDS)];
    [base[a], base[b]] = [base[b], base[a]];
  } else if (way === 4) {
    base[rng.pick(FIELDS)] = randomValue(rng);
  } else if (way === 5) {
    delete base[rng.pick(FIELDS)];
    base[randomText(rng, 8)] = randomValue(rng);
  } else if (way === 6) {
    const [iv, wrapped] = base.key.split(":");
    base.key = rng.chance(0.5) ? `${mutate(rng, iv)}:${wrapped}` : `${iv}:${wrapped}:${randomText(rng, 8)}`;
  } else if (way === 7) {
    return randomValue(rng);
  } else if (way === 8) {
    return mutate(rng, text(base));
  }
  return rng.chance(0.3) ? text(base) : base;
}

function randomKey(rng, data) {
  switch (rng.int(0, 11)) {
    case 0: return mutate(rng, data.signingKey);
    case 1: return data.otherSigningKey;
    case 2: return `mava_wh_${randomText(rng, 60)}`;
    case 3: return randomValue(rng);
    case 4: return rng.pick(Object.values(data.badKeys));
    default: return data.signingKey;
  }
}

function randomOptions(rng) {
  switch (rng.int(0, 5)) {
    case 0: return undefined;
    case 1: return { seen: new Set() };
    case 2: return { seen: { has: async () => rng.chance(0.2), add: async () => {} } };
    case 3: return { seen: { has: () => { throw new Error("store down"); }, add() {} } };
    case 4: return randomValue(rng);
    default: return {};
  }
}

test(`${CASES} random and mutated deliveries, keys and options never trap the module`, { timeout: 600_000 }, async () => {
  const data = makeWebhookData();
  const rng = createRng(SEED);
  // Authentic deliveries, and the event each carries.
  const authentic = [data.delivery, ...data.encodings.map((e) => e.delivery), ...data.others.map((o) => o.delivery), ...Object.values(data.undecryptable)];
  const eventOf = new Map([[data.delivery.payload, data.event], ...data.encodings.map((e) => [e.delivery.payload, data.event]), ...data.others.map((o) => [o.delivery.payload, o.event])]);
  const outcomes = {};
  const count = (what) => (outcomes[what] = (outcomes[what] ?? 0) + 1);

  const one = async (i) => {
    const body = randomBody(rng, authentic);
    const key = randomKey(rng, data);
    const open = rng.chance(0.5);
    const options = open ? randomOptions(rng) : undefined;
    let promise;
    try {
      promise = open ? sdk.openMavaWebhook(body, key, options) : sdk.verifyMavaWebhook(body, key);
    } catch (e) {
      assert.fail(`case ${i}: threw synchronously: ${e?.stack ?? e}`);
    }
    assert.ok(promise instanceof Promise, `case ${i}: a promise`);
    try {
      const result = await promise;
      if (!open) {
        assert.equal(typeof result, "boolean", `case ${i}: verify resolves a boolean`);
        count(`verify ${result}`);
        return;
      }
      // Only a sent event ever comes out. The IV is not covered by the signature (the scheme's,
      // README "Receiving Mava webhooks"): a changed IV changes the first 16 bytes of the
      // plaintext — at most the start of `type`, never the document.
      const delivered = typeof body === "string" ? JSON.parse(body) : body;
      const sent = eventOf.get(delivered.payload);
      assert.ok(sent, `case ${i}: opened a payload that was never sent: ${String(delivered.payload).slice(0, 80)}`);
      assert.deepEqual(result.document, sent.document);
      assert.equal(result.webhookId, delivered.webhookId);
      assert.equal(typeof result.duplicate, "boolean");
      const iv = (key) => key.split(":")[0].toLowerCase();
      const original = authentic.find((d) => d.payload === delivered.payload);
      if (result.type !== sent.type) {
        assert.notEqual(iv(delivered.key), iv(original.key), `case ${i}: another type (${result.type}) with the sent IV`);
        count("opened, the type changed through the IV");
      } else {
        count("opened");
      }
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.ok(e instanceof sdk.ValidationError || e instanceof sdk.WebhookError, `case ${i}: rejected with ${e?.name}: ${e?.message}`);
      assert.ok(!String(e.message).includes(data.signingKey.slice(8, 60)), `case ${i}: the key in ${e.message}`);
      count(e.code === "VALIDATION_ERROR" ? "ValidationError" : e.code);
    }
  };

  for (let i = 0; i < CASES; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, CASES - i) }, (_, j) => one(i + j)));
  }
  console.log(`webhook fuzz: ${CASES} cases, seed ${SEED}: ${JSON.stringify(outcomes)}`);
  for (const kind of ["verify true", "verify false", "opened", "ValidationError", "INVALID_SIGNING_KEY", "INVALID_SIGNATURE", "DECRYPT_FAILED", "SEEN_FAILED"]) {
    if (CASES >= 1000) assert.ok(outcomes[kind] > 0, `no case ended as ${kind}: ${JSON.stringify(outcomes)}`);
  }

  // The module still works.
  assert.equal(await sdk.verifyMavaWebhook(data.delivery, data.signingKey), true);
  assert.deepEqual((await sdk.openMavaWebhook(JSON.stringify(data.delivery), data.signingKey)).document, data.event.document);
  assert.equal(sdk.validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234", priority: 5 })[0]?.code, "INVALID_ENUM");
  assert.ok(new sdk.Mava({ apiKey: "k" }).build.getAgents().url.endsWith("/api/agents"));
});
