// The packed package inside workerd (Miniflare): a Worker bundled by esbuild with the
// `workerd` export condition calls every Mava method against the sandbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useSandbox, received, KEY } from "./helpers.mjs";

const ctx = useSandbox({ rateLimit: false });

async function bundle() {
  const outdir = mkdtempSync(join(tmpdir(), "mava-workerd-"));
  await build({
    entryPoints: [new URL("./workerd-worker.mjs", import.meta.url).pathname],
    bundle: true, format: "esm", platform: "neutral", outdir,
    conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"],
    loader: { ".wasm": "copy" }, logLevel: "silent",
  });
  return outdir;
}

test("every Mava method runs inside workerd", async () => {
  const outdir = await bundle();
  const mf = new Miniflare({
    modules: true, scriptPath: join(outdir, "workerd-worker.js"), modulesRoot: outdir, cf: false, compatibilityDate: "2025-01-01",
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    bindings: { MAVA_API_KEY: KEY, MAVA_BASE_URL: ctx.url },
  });
  try {
    const res = await mf.dispatchFetch("http://worker/");
    const out = await res.json();
    assert.equal(res.status, 200, JSON.stringify(out));
    assert.ok(out.categories > 0 && out.agents > 0);
    assert.match(out.ticketId, /^[0-9a-f]{24}$/);
    assert.equal(out.updated, "Ticket updated");
    assert.equal(out.messageContent, "from workerd");
    assert.ok(out.count > 0);
    assert.equal(out.validationError, "ValidationError");
    assert.deepEqual(out.issueCodes, ["INVALID_WALLET_ADDRESS"]);
    const paths = (await received(ctx)).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(paths, ["GET /api/categories", "GET /api/agents", "POST /api/identify", "POST /api/ticket", "PUT /api/ticket", "PUT /api/message", "GET /api/tickets"]);
  } finally {
    await mf.dispose();
  }
});
