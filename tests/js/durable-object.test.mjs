// The README's Durable Object rate-limit example (examples/durable-object-rate-limit.js) runs
// in workerd and really limits: with a 3-per-minute window, the fourth request waits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { useSandbox, received, KEY } from "./helpers.mjs";

const ctx = useSandbox({ rateLimit: false });

test("the Durable Object store shares one window across requests", async () => {
  const outdir = mkdtempSync(join(tmpdir(), "mava-do-"));
  const example = fileURLToPath(new URL("../../examples/durable-object-rate-limit.js", import.meta.url));
  await build({
    stdin: {
      contents: `export { MavaRateLimit } from ${JSON.stringify(example)};
        import { Mava } from "mava-sdk";
        import { durableObjectStore } from ${JSON.stringify(example)};
        export default { async fetch(request, env) {
          const mava = new Mava({ apiKey: env.MAVA_API_KEY, baseUrl: env.MAVA_BASE_URL,
            rateLimit: { requests: 3, windowMs: 60000, store: durableObjectStore(env.MAVA_RATE_LIMIT) } });
          try { await mava.getAgents({ signal: AbortSignal.timeout(300) }); return new Response("sent"); }
          catch (e) { return new Response(e.name); }
        } };`,
      resolveDir: fileURLToPath(new URL(".", import.meta.url)),
      loader: "js",
    },
    // The example lives outside this consumer project; resolve "mava-sdk" from its install.
    nodePaths: [fileURLToPath(new URL("./node_modules", import.meta.url))],
    bundle: true, format: "esm", platform: "neutral", outfile: join(outdir, "worker.js"),
    conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"], loader: { ".wasm": "copy" }, logLevel: "silent",
  });
  const mf = new Miniflare({
    modules: true, scriptPath: join(outdir, "worker.js"), modulesRoot: outdir, cf: false, compatibilityDate: "2025-01-01",
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    durableObjects: { MAVA_RATE_LIMIT: "MavaRateLimit" },
    bindings: { MAVA_API_KEY: KEY, MAVA_BASE_URL: ctx.url },
  });
  try {
    const answers = [];
    // Separate requests: each builds its own client, as separate isolates would.
    for (let i = 0; i < 4; i++) answers.push(await (await mf.dispatchFetch("http://worker/")).text());
    assert.deepEqual(answers, ["sent", "sent", "sent", "AbortError"]);
    assert.equal((await received(ctx)).length, 3);
  } finally {
    await mf.dispose();
  }
});
