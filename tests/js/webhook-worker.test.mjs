// The README's Mava webhook Worker (examples/mava-webhook-worker.js) in workerd (Miniflare), fed
// by the sandbox's webhook sender — its CLI, as the README tells users to run it, and its module:
// authentic deliveries are processed once (their type logged), retries and replays answered 200
// without processing, tampered or foreign ones 401, malformed ones 400.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createSigningKey, makeDelivery, postDelivery, sampleEvent } from "../sandbox/webhooks.mjs";

const example = fileURLToPath(new URL("../../examples/mava-webhook-worker.js", import.meta.url));
const sender = fileURLToPath(new URL("../sandbox/webhook-sender.mjs", import.meta.url));
const { signingKey, publicKey } = createSigningKey();
let outdir, worker;

/** The example in workerd with `key` as its signing-key secret: `{ mf, url, logs }` (its console lines). */
async function start(key) {
  const logs = [];
  const mf = new Miniflare({
    modules: true, scriptPath: join(outdir, "worker.js"), modulesRoot: outdir, cf: false, compatibilityDate: "2025-01-01",
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    kvNamespaces: ["MAVA_WEBHOOKS_SEEN"],
    bindings: { MAVA_WEBHOOK_SIGNING_KEY: key },
    handleRuntimeStdio(stdout, stderr) {
      for (const stream of [stdout, stderr]) stream.on("data", (chunk) => logs.push(...String(chunk).split("\n").filter(Boolean)));
    },
  });
  return { mf, url: new URL("/webhooks/mava", await mf.ready).href, logs };
}

before(async () => {
  outdir = mkdtempSync(join(tmpdir(), "mava-webhook-worker-"));
  await build({
    entryPoints: [example],
    // The example lives outside this consumer project; resolve "mava-sdk" from its install.
    nodePaths: [fileURLToPath(new URL("./node_modules", import.meta.url))],
    bundle: true, format: "esm", platform: "neutral", outfile: join(outdir, "worker.js"),
    conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"], loader: { ".wasm": "copy" }, logLevel: "silent",
  });
  worker = await start(signingKey);
});
after(async () => worker?.mf.dispose());

/** Runs the sender's CLI; its stdout lines. */
async function send(...args) {
  const { stdout } = await promisify(execFile)(process.execPath, [sender, "--url", worker.url, "--signing-key", signingKey, ...args]);
  return stdout.trim().split("\n");
}

/** Log lines of processed events, once workerd has written them. */
async function processed(count, logs = worker.logs) {
  const events = () => logs.filter((l) => /Mava webhook \S+: /.test(l));
  for (let i = 0; i < 100 && events().length < count; i++) await new Promise((r) => setTimeout(r, 20));
  return events();
}

test("the sender's deliveries are processed once: retries are answered 200 without processing", async () => {
  const lines = await send("--count", "2", "--repeat");
  assert.equal(lines.length, 4, lines.join("\n"));
  assert.match(lines[0], /^#1 ticket\.created webhookId=\S+ → 200 ok$/);
  assert.match(lines[1], /^#1 \(repeat\) ticket\.created webhookId=\S+ → 200 duplicate$/);
  assert.match(lines[2], /^#2 ticket\.created webhookId=\S+ → 200 ok$/);
  assert.match(lines[3], /^#2 \(repeat\) ticket\.created webhookId=\S+ → 200 duplicate$/);
  const seen = await processed(2);
  assert.equal(seen.length, 2, worker.logs.join("\n"));
  assert.ok(seen.every((l) => l.endsWith(": ticket.created")));
  // The webhookId and the signature of each, in KV.
  const kv = await worker.mf.getKVNamespace("MAVA_WEBHOOKS_SEEN");
  assert.equal((await kv.list()).keys.length, 4);

  assert.match((await send("--type", "message.created", "--seed", "5"))[0], /→ 200 ok$/);
  assert.ok((await processed(3)).at(-1).endsWith(": message.created"));
});

test("a tampered delivery, or one made for another key, is 401 and not processed", async () => {
  const before = (await processed(0)).length;
  for (const field of ["payload", "signature", "key"]) {
    const [line] = await send("--tamper", field);
    assert.match(line, new RegExp(`tampered=${field} → 401 Unauthorized$`), line);
  }
  const other = createSigningKey();
  const foreign = makeDelivery({ publicKey: other.publicKey, event: sampleEvent("ticket.created", 9) });
  assert.equal((await postDelivery(worker.url, foreign)).status, 401);
  assert.equal((await processed(0)).length, before, "nothing processed");
});

test("a replay under a new webhookId is a duplicate (the signature is remembered too)", async () => {
  const delivery = makeDelivery({ publicKey, event: sampleEvent("customer.updated", 3) });
  assert.deepEqual(await postDelivery(worker.url, delivery), { status: 200, text: "ok" });
  assert.deepEqual(await postDelivery(worker.url, { ...delivery, webhookId: "replayed" }), { status: 200, text: "duplicate" });
});

test("what is not a delivery is 400, other methods 405, other paths 404", async () => {
  assert.equal((await postDelivery(worker.url, "not json")).status, 400);
  assert.equal((await postDelivery(worker.url, { signature: "a", payload: "b", key: "c" })).status, 400);
  assert.equal((await worker.mf.dispatchFetch(worker.url)).status, 405);
  assert.equal((await worker.mf.dispatchFetch(new URL("/other", worker.url))).status, 404);
});

test("a Worker whose key is wrong logs INVALID_SIGNING_KEY, never the key, and answers 500 so Mava retries", async () => {
  const wrong = `mava_wh_${Buffer.from("a secret that is not a key").toString("base64")}`;
  const broken = await start(wrong);
  try {
    const delivery = makeDelivery({ publicKey, event: sampleEvent("ticket.created", 11) });
    assert.equal((await postDelivery(broken.url, delivery)).status, 500);
    for (let i = 0; i < 100 && !broken.logs.some((l) => l.includes("INVALID_SIGNING_KEY")); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(broken.logs.some((l) => l.includes("Mava webhook not processed: WebhookError INVALID_SIGNING_KEY")), broken.logs.join("\n"));
    assert.ok(!broken.logs.join("\n").includes(wrong.slice(8)), "the key is not logged");
  } finally {
    await broken.mf.dispose();
  }
});
