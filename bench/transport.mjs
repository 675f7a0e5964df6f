#!/usr/bin/env node
// Transport benchmark (prints figures; asserts nothing). Against the sandbox with a shortened
// window (default 90 requests per 3 s) and 10,000 tickets:
//  1. export every ticket (100 pages of 100) with mava.iterateTickets, under the SDK's limiter;
//  2. the same export with the naive loop of the Mava docs' pagination example, raw fetch
//     (it has no limiter; on a 429 it waits Retry-After and tries again, else the docs' loop
//     would simply crash);
//  3. the per-request overhead of an SDK call against raw fetch, same sandbox, same run.
// "rate / ceiling" is requests per second over the whole export divided by requests/window
// (a sliding window allows an initial burst, so short exports can exceed 1.00). "Utilisation"
// is stricter: the least time the limit allows for N requests (the first `requests` at once,
// then one window per further batch) divided by the time taken, response times included.
// Usage: node bench/transport.mjs [--requests 90] [--window-ms 3000] [--tickets 10000]
//        [--page 100] [--calls 500]
import { startSandbox } from "../tests/sandbox/server.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const requests = arg("requests", 90);
const windowMs = arg("window-ms", 3000);
const ticketCount = arg("tickets", 10000);
const calls = arg("calls", 500);
const pageSize = arg("page", 100);
const pkg = process.env.MAVA_SDK_ENTRY ?? new URL("../pkg/node.js", import.meta.url).href;
const { Mava } = await import(pkg);

const KEY = "sandbox-key-acme";
const sandbox = await startSandbox({ port: 0, tickets: ticketCount, rateLimit: { requests, windowMs } });
const control = (method, path, body) =>
  fetch(sandbox.url + path, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) }).then((r) => r.json());
const log = async () => (await control("GET", "/__sandbox/requests")).requests;
const query = { startDate: "2026-01-01", endDate: "2026-07-01" };
const idealMs = (n) => Math.floor((n - 1) / requests) * windowMs;
const fmt = (n, d = 2) => n.toFixed(d);

async function measureExport(label, run) {
  await control("POST", "/__sandbox/reset");
  const t0 = performance.now();
  const got = await run();
  const elapsed = performance.now() - t0;
  const entries = await log();
  const n = entries.length;
  const r429 = entries.filter((e) => e.status === 429).length;
  const ok = n - r429;
  const ceilingPerS = (requests / windowMs) * 1000;
  return {
    label, tickets: got, requests: n, ok, r429, elapsedMs: elapsed,
    ratePerS: (n / elapsed) * 1000, ceilingPerS, utilisation: idealMs(ok) / elapsed,
  };
}

const sdk = await measureExport("mava-sdk iterateTickets (limiter on)", async () => {
  const mava = new Mava({ apiKey: KEY, baseUrl: sandbox.url, rateLimit: { requests, windowMs } });
  let n = 0;
  for await (const _ of mava.iterateTickets({ ...query, limit: pageSize })) n++;
  return n;
});

const naive = await measureExport("naive docs loop, raw fetch (waits Retry-After on 429)", async () => {
  const limit = pageSize;
  let skip = 0;
  const all = [];
  for (;;) {
    const params = new URLSearchParams({ ...query, limit: String(limit), skip: String(skip) });
    const res = await fetch(`${sandbox.url}/api/tickets?${params}`, { headers: { "x-auth-token": KEY } });
    if (res.status === 429) {
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after")) * 1000));
      continue;
    }
    const page = await res.json();
    all.push(...page.tickets);
    if (!page.pagination.hasMore) break;
    skip += limit;
  }
  return all.length;
});

// Per-request overhead: sequential calls, rate limits off, alternating to share machine noise.
await control("POST", "/__sandbox/config", { rateLimit: false });
const mava = new Mava({ apiKey: KEY, baseUrl: sandbox.url, rateLimit: false });
const pageQuery = { ...query, limit: 10 };
const url = `${sandbox.url}/api/tickets?${new URLSearchParams({ ...query, limit: "10" })}`;
const rawCall = async () => (await fetch(url, { headers: { "x-auth-token": KEY, accept: "application/json" } })).json();
const sdkCall = () => mava.fetchTickets(pageQuery);
for (let i = 0; i < 50; i++) { await rawCall(); await sdkCall(); }
const times = { raw: [], sdk: [] };
for (let i = 0; i < calls; i++) {
  for (const [k, f] of i % 2 ? [["raw", rawCall], ["sdk", sdkCall]] : [["sdk", sdkCall], ["raw", rawCall]]) {
    const t = performance.now();
    await f();
    times[k].push(performance.now() - t);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
await sandbox.close();

console.log(`Transport benchmark — sandbox limit ${requests} requests / ${windowMs} ms, ${ticketCount} tickets in pages of ${pageSize}, Node ${process.version}\n`);
console.log(`| export of every ticket | tickets | requests | 429s | time (s) | req/s | rate / ceiling (${fmt(sdk.ceilingPerS, 1)}/s) | utilisation |`);
console.log("|---|---|---|---|---|---|---|---|");
for (const r of [sdk, naive]) {
  console.log(`| ${r.label} | ${r.tickets} | ${r.requests} | ${r.r429} | ${fmt(r.elapsedMs / 1000)} | ${fmt(r.ratePerS, 1)} | ${fmt(r.ratePerS / r.ceilingPerS)} | ${fmt(r.utilisation)} |`);
}
console.log(`\n| one fetchTickets page (10 tickets), ${calls} calls each | median ms | mean ms |`);
console.log("|---|---|---|");
console.log(`| raw fetch + JSON.parse | ${fmt(median(times.raw), 3)} | ${fmt(mean(times.raw), 3)} |`);
console.log(`| mava-sdk (validate, build, fetch, parse) | ${fmt(median(times.sdk), 3)} | ${fmt(mean(times.sdk), 3)} |`);
console.log(`| ratio sdk / raw | ${fmt(median(times.sdk) / median(times.raw))} | ${fmt(mean(times.sdk) / mean(times.raw))} |`);
