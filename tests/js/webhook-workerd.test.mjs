// The Mava webhook cases (webhook.cases.mjs) inside workerd (Miniflare): a Worker bundled with the
// package's `workerd` entry runs each case on the deliveries made here in Node, posted to it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cases } from "./webhook.cases.mjs";
import { makeWebhookData } from "./webhook-data.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const worker = `
  import * as sdk from "mava-sdk";
  import { cases } from "./webhook.cases.mjs";
  export default {
    async fetch(request) {
      const { name, data } = await request.json();
      try {
        await cases[name](sdk, data);
        return new Response("ok");
      } catch (e) {
        return new Response(String(e?.stack ?? e), { status: 500 });
      }
    },
  };`;

let mf;
before(async () => {
  const outdir = mkdtempSync(join(tmpdir(), "mava-webhook-workerd-"));
  await build({
    stdin: { contents: worker, resolveDir: here, loader: "js" },
    bundle: true, format: "esm", platform: "neutral", outfile: join(outdir, "worker.js"),
    conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"], loader: { ".wasm": "copy" }, logLevel: "silent",
  });
  mf = new Miniflare({
    modules: true, scriptPath: join(outdir, "worker.js"), modulesRoot: outdir, cf: false, compatibilityDate: "2025-01-01",
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
  });
  await mf.ready;
});
after(async () => mf?.dispose());

const data = makeWebhookData();
for (const name of Object.keys(cases)) {
  test(`workerd: ${name}`, { timeout: 60_000 }, async () => {
    const res = await mf.dispatchFetch("http://worker/", { method: "POST", body: JSON.stringify({ name, data }) });
    const text = await res.text();
    assert.equal(res.status, 200, text);
  });
}
