// The fetch-option, hostile-value and Mava webhook cases (fetch-option.cases.mjs,
// hostile.cases.mjs, webhook.cases.mjs) in headless Chromium: a page imports the installed
// package's browser entry (no bundler) and the cases, runs each, and reports back. The webhook
// cases' deliveries are made here in Node (the sender needs node:crypto) and passed in as data.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { cases as fetchCases } from "./fetch-option.cases.mjs";
import { cases as hostileCases } from "./hostile.cases.mjs";
import { cases as webhookCases } from "./webhook.cases.mjs";
import { makeWebhookData } from "./webhook-data.mjs";

const cases = { ...fetchCases, ...hostileCases, ...webhookCases };
const data = makeWebhookData();

const root = fileURLToPath(new URL(".", import.meta.url));
const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const page = `<!doctype html><script type="module">
import * as sdk from "/node_modules/mava-sdk/browser.js";
import { cases as fetchCases } from "/fetch-option.cases.mjs";
import { cases as hostileCases } from "/hostile.cases.mjs";
import { cases as webhookCases } from "/webhook.cases.mjs";
const cases = { ...fetchCases, ...hostileCases, ...webhookCases };
// A case that hangs (a race the transport lost) fails after 30 s instead of stalling the run.
const hang = () => new Promise((_, reject) => setTimeout(() => reject(new Error("timed out after 30 s")), 30000));
window.runCase = async (name, data) => { try { await Promise.race([cases[name](sdk, data), hang()]); return null; } catch (e) { return String(e?.stack ?? e); } };
window.ready = true;
</script>`;

/** Serves the page and tests/js; `.wasm` as `wasmType` (compileStreaming needs application/wasm). */
async function serve(wasmType) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end(page);
    try {
      const body = await readFile(join(root, path));
      const type = extname(path) === ".wasm" ? wasmType : types[extname(path)] ?? "application/octet-stream";
      res.writeHead(200, { "content-type": type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/`;
}

/** A tab with the package loaded from `url`. */
async function open(url) {
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(e));
  await tab.goto(url);
  await tab.waitForFunction(() => window.ready === true, null, { timeout: 10_000 }).catch(() => {
    throw new Error(`the page did not load the package: ${errors.join("; ")}`);
  });
  return tab;
}

const servers = [];
let browser, tab;
before(async () => {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  tab = await open(await serve("application/wasm"));
});
after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

test("Chromium: the wasm also loads from a server that labels it application/octet-stream", async () => {
  const plain = await open(await serve("application/octet-stream"));
  const name = Object.keys(cases)[0];
  assert.equal(await plain.evaluate((n) => window.runCase(n), name), null);
});

for (const name of Object.keys(cases)) {
  test(`Chromium: ${name}`, async () => {
    const failure = await tab.evaluate(([n, d]) => window.runCase(n, d), [name, data]);
    assert.equal(failure, null, failure ?? "");
  });
}
