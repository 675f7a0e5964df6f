#!/usr/bin/env node
// Speed benchmark (prints figures; asserts nothing), side by side in one run:
//  1. cold start — a fresh Node process from `import("mava-sdk")` to the first `Request` built
//     from `build.createTicket` (the baseline builds the same `Request` by hand),
//     and a fresh workerd (Miniflare) answering its first request with a built request, each
//     against the same program without the SDK;
//  2. CPU per call — `mava.build.createTicket(input)` (validate + build) against hand-written
//     `JSON.stringify` + `new Request` (no validation);
//  3. round trip — `mava.fetchTickets` against raw `fetch` + `JSON.parse` on the sandbox;
//  4. validation throughput — valid and invalid tickets per second.
// Usage: node bench/speed.mjs [--runs 7] [--calls 20000]
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { startSandbox } from "../tests/sandbox/server.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const runs = arg("runs", 7);
const calls = arg("calls", 20000);
const root = fileURLToPath(new URL("..", import.meta.url));
const entry = join(root, "pkg", "node.js");
const { Mava, validate } = await import(entry);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const fmt = (n, d = 2) => n.toFixed(d);
const rows = [];

const ticket = {
  customer: { email: "ann@example.com", name: "Ann" },
  category: "6650c3d4e5f678901234567a",
  priority: 3,
  tags: ["6650d4e5f678901234567890"],
  emailSubjectLine: "Cannot log in",
  message: { content: "Since this morning I cannot log in. ".repeat(10) },
};
const badTicket = { customer: { email: "nope", walletAddress: "0x1" }, priority: 7, tags: ["x"], message: { content: "" } };

// ---- 1. cold start
function nodeCold(withSdk) {
  const program = withSdk
    ? `const t0 = performance.now(); const { Mava } = await import(${JSON.stringify(entry)});
       const r = new Mava({ apiKey: "k" }).build.createTicket(${JSON.stringify(ticket)});
       new Request(r.url, r);
       console.log(performance.now() - t0);`
    : `const t0 = performance.now();
       new Request("https://gateway.mava.app/api/ticket", { method: "POST", headers: { "x-auth-token": "k" }, body: JSON.stringify(${JSON.stringify(ticket)}) });
       console.log(performance.now() - t0);`;
  const out = spawnSync(process.execPath, ["--input-type=module", "-e", program], { encoding: "utf8" });
  return Number(out.stdout.trim());
}
const nodeSdk = [], nodeBase = [];
for (let i = 0; i < runs; i++) {
  nodeSdk.push(nodeCold(true));
  nodeBase.push(nodeCold(false));
}

const dir = mkdtempSync(join(tmpdir(), "mava-speed-"));
const worker = (withSdk) => `
  ${withSdk ? 'import { Mava } from "mava-sdk";' : ""}
  export default { async fetch() {
    ${withSdk
      ? `const r = new Mava({ apiKey: "k" }).build.createTicket(${JSON.stringify(ticket)}); return new Response(r.body);`
      : `const r = new Request("https://gateway.mava.app/api/ticket", { method: "POST", body: JSON.stringify(${JSON.stringify(ticket)}) }); return new Response(await r.text());`}
  } };`;
async function bundle(name, withSdk) {
  const outdir = join(dir, name);
  await build({
    stdin: { contents: worker(withSdk), resolveDir: join(root, "tests", "js"), loader: "js" },
    nodePaths: [join(root, "tests", "js", "node_modules"), join(root, "node_modules")],
    bundle: true, format: "esm", platform: "neutral", outfile: join(outdir, "worker.js"),
    conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"], loader: { ".wasm": "copy" }, logLevel: "silent",
    alias: { "mava-sdk": join(root, "pkg", "workerd.js") },
  });
  return outdir;
}
async function workerdCold(outdir) {
  const t0 = performance.now();
  const mf = new Miniflare({
    modules: true, scriptPath: join(outdir, "worker.js"), modulesRoot: outdir, cf: false, compatibilityDate: "2025-01-01",
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
  });
  try {
    const res = await mf.dispatchFetch("http://worker/");
    await res.text();
    return performance.now() - t0;
  } finally {
    await mf.dispose();
  }
}
const withDir = await bundle("with", true);
const withoutDir = await bundle("without", false);
const wdSdk = [], wdBase = [];
for (let i = 0; i < Math.min(runs, 5); i++) {
  wdSdk.push(await workerdCold(withDir));
  wdBase.push(await workerdCold(withoutDir));
}
rows.push(["cold start, Node: import → first request built (ms, median)", median(nodeSdk), median(nodeBase)]);
rows.push(["cold start, workerd: start → first response (ms, median)", median(wdSdk), median(wdBase)]);

// ---- 2. CPU per call
const mava = new Mava({ apiKey: "k", rateLimit: false });
function perCall(f) {
  for (let i = 0; i < 2000; i++) f();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) f();
  return ((performance.now() - t0) / calls) * 1000;
}
const sdkBuild = perCall(() => mava.build.createTicket(ticket));
const handBuild = perCall(() => new Request("https://gateway.mava.app/api/ticket", {
  method: "POST", headers: { "x-auth-token": "k", "content-type": "application/json" }, body: JSON.stringify(ticket),
}));
rows.push(["createTicket request: validate + build (µs per call)", sdkBuild, handBuild]);

// ---- 3. round trip
const sandbox = await startSandbox({ port: 0, rateLimit: false });
const client = new Mava({ apiKey: "sandbox-key-acme", baseUrl: sandbox.url, rateLimit: false });
const query = { startDate: "2026-01-01", endDate: "2026-07-01", limit: 10 };
const url = `${sandbox.url}/api/tickets?${new URLSearchParams({ startDate: query.startDate, endDate: query.endDate, limit: "10" })}`;
const raw = async () => (await fetch(url, { headers: { "x-auth-token": "sandbox-key-acme" } })).json();
const sdk = () => client.fetchTickets(query);
const trips = { sdk: [], raw: [] };
for (let i = 0; i < 50; i++) { await raw(); await sdk(); }
for (let i = 0; i < 400; i++) {
  for (const [k, f] of i % 2 ? [["raw", raw], ["sdk", sdk]] : [["sdk", sdk], ["raw", raw]]) {
    const t = performance.now();
    await f();
    trips[k].push(performance.now() - t);
  }
}
await sandbox.close();
rows.push(["fetchTickets round trip on the sandbox (ms, median)", median(trips.sdk), median(trips.raw)]);

// ---- 4. validation throughput
const perSecond = (f) => 1e6 / perCall(f);
const validRate = perSecond(() => validate.mava.createTicket(ticket));
const invalidRate = perSecond(() => validate.mava.createTicket(badTicket));

console.log(`Speed benchmark — ${runs} cold starts, ${calls} calls per CPU figure, Node ${process.version}\n`);
console.log("| measure | mava-sdk | without the SDK | ratio |");
console.log("|---|---|---|---|");
for (const [label, a, b] of rows) console.log(`| ${label} | ${fmt(a)} | ${fmt(b)} | ${fmt(a / b)} |`);
console.log(`\n| validation throughput (validate.mava.createTicket) | inputs per second |`);
console.log("|---|---|");
console.log(`| valid ticket | ${Math.round(validRate).toLocaleString("en")} |`);
console.log(`| invalid ticket (${validate.mava.createTicket(badTicket).length} issues) | ${Math.round(invalidRate).toLocaleString("en")} |`);
