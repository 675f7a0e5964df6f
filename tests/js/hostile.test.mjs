// The hostile-value cases (hostile.cases.mjs) in Node, from the packed package, and many
// throwing reads in a row: an exception that unwound through the wasm module, or a borrow left
// held, used to break every later call after a few thousand.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "mava-sdk";
import { cases } from "./hostile.cases.mjs";

for (const [name, run] of Object.entries(cases)) test(name, { timeout: 30_000 }, () => run(sdk));

/** Values that throw as soon as they are read at all. */
const unreadable = [
  () => new Proxy({}, { ownKeys() { throw new Error("ownKeys trap"); } }),
  () => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; },
  () => new Proxy([], { get(t, k) { if (k === "length") throw new Error("length"); return t[k]; } }),
];

test("100,000 throwing reads in each entry point leave the module working", { timeout: 300_000 }, async () => {
  const make = (i) => unreadable[i % unreadable.length]();
  const mava = new sdk.Mava({ apiKey: "k", baseUrl: "http://sandbox.test", rateLimit: false, fetch: async () => Response.json({ agents: [] }) });
  const N = 100_000;
  // Each returns the issues it reports.
  const issues = (f) => { try { f(); } catch (e) { return e.issues; } return []; };
  const entryPoints = {
    validate: (i) => sdk.validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234", tags: [make(i)] }),
    build: (i) => issues(() => mava.build.createTicket({ tags: [make(i)] })),
    options: (i) => issues(() => new sdk.Mava({ apiKey: "k", timeoutMs: make(i) })),
    webhook: (i) => issues(() => sdk.parseMavibotWebhook(make(i))),
  };
  for (const [name, call] of Object.entries(entryPoints)) {
    for (let i = 0; i < N; i++) {
      const found = call(i);
      if (found[0]?.code !== "UNREADABLE_VALUE") assert.fail(`${name} call ${i}: ${JSON.stringify(found)}`);
    }
    assert.deepEqual((await mava.getAgents()).agents, [], `a normal call after ${name}`);
  }
  for (let i = 0; i < N; i += 1000) {
    const sent = await Promise.allSettled(Array.from({ length: 1000 }, (_, j) => mava.createTicket({ tags: [make(i + j)] })));
    assert.ok(sent.every((r) => r.status === "rejected" && r.reason instanceof sdk.ValidationError && r.reason.issues[0].code === "UNREADABLE_VALUE"));
  }
  assert.deepEqual((await mava.getAgents()).agents, [], "a normal call after 100,000 sent calls");
});
