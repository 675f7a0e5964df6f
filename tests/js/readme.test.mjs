// Every ```js block of the READMEs (the repository's and the one npm shows) that calls the API
// runs as written, from the installed tarball, against the sandbox. A block is a whole program:
// it is written to a file beside this one (so "mava-sdk" is the tarball in tests/js/node_modules)
// and run by Node. What a reader would supply is supplied: the keys in the environment
// (MAVA_API_KEY, MAVIBOT_API_KEY), a Worker's `env` and a request for a block that is a Worker
// (`export default { fetch }`), and the API hosts, gateway.mava.app and chatter.mavibot.ai,
// answered by the sandbox (readme-hosts.mjs redirects the global fetch to it; nothing else of a
// block changes). A block that only configures a client, or calls nothing, is listed as skipped.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox } from "../sandbox/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const work = join(here, ".readme-blocks");
const READMES = ["README.md", "pkg-template/README.md"];

/** A block calls the API when it calls a client method, a validator or the webhook parser. */
const CALLS_API = /\b(?:mava|bot)\.(?!build\b)\w+\(|\bvalidate\.(?:mava|mavibot)\.\w+\(|\bparseMavibotWebhook\(/;

/** The ```js blocks of a Markdown file, with the line each starts on. */
export function jsBlocks(text) {
  const blocks = [];
  let open = null;
  text.split("\n").forEach((line, i) => {
    if (open === null && /^```js\s*$/.test(line)) open = { line: i + 1, code: [] };
    else if (open !== null && /^```\s*$/.test(line)) {
      blocks.push({ line: open.line, code: open.code.join("\n") + "\n" });
      open = null;
    } else open?.code.push(line);
  });
  return blocks;
}

/** Runs a Worker block's `fetch` once in Node, with the env a deployment would give it. */
const WORKER_DRIVER = `
const worker = (await import(process.argv[2])).default;
const env = { MAVA_API_KEY: process.env.MAVA_API_KEY, MAVIBOT_API_KEY: process.env.MAVIBOT_API_KEY, WEBHOOK_SECRET: "readme-secret" };
const response = await worker.fetch(new Request("http://worker.example/"), env, { waitUntil() {}, passThroughOnException() {} });
console.log("worker answered", response.status, (await response.text()).slice(0, 200));
if (response.status >= 500) process.exit(1);
`;

let sandbox;
before(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, rateLimit: false });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, "worker-driver.mjs"), WORKER_DRIVER);
});
after(async () => {
  await sandbox?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Runs Node on a block (asynchronously: the sandbox answers from this process). */
function run(argv, env) {
  return new Promise((done) => {
    const child = spawn(process.execPath, argv, { cwd: work, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, stdout, stderr });
    });
  });
}

async function requests() {
  return (await (await fetch(`${sandbox.url}/__sandbox/requests`)).json()).requests;
}

for (const readme of READMES) {
  const blocks = jsBlocks(readFileSync(join(root, readme), "utf8"));
  describe(`${readme}: its js blocks run as written`, () => {
    test("it has blocks that call the API", () => assert.ok(blocks.some((b) => CALLS_API.test(b.code)), `no block of ${readme} calls the API`));
    for (const block of blocks) {
      const name = `${readme} line ${block.line}`;
      if (!CALLS_API.test(block.code)) {
        test(`${name}: calls nothing (skipped)`, { skip: "the block calls no method" }, () => {});
        continue;
      }
      test(name, async () => {
        await fetch(`${sandbox.url}/__sandbox/reset`, { method: "POST" });
        const file = join(work, `${readme.replace(/\W+/g, "-")}-${block.line}.mjs`);
        writeFileSync(file, block.code);
        const worker = /^export default\b/m.test(block.code) && /\bfetch\s*\(/.test(block.code);
        const argv = ["--import", join(here, "readme-hosts.mjs"), ...(worker ? [join(work, "worker-driver.mjs"), file] : [file])];
        const r = await run(argv, { MAVA_SANDBOX_URL: sandbox.url, MAVA_API_KEY: "sandbox-key-acme", MAVIBOT_API_KEY: "sandbox-bot-key" });
        assert.equal(r.status, 0, `the block exited with ${r.status ?? r.signal}:\n${block.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
        assert.equal(r.stderr.trim(), "", `the block wrote to stderr:\n${r.stderr}`);
        // A block with a client reached the sandbox, and (unless it shows how to catch an
        // error) every answer was a success.
        const log = await requests();
        if (/\bnew (?:Mava|Mavibot)\(/.test(block.code)) assert.ok(log.length > 0, "the block sent no request");
        if (!/\bcatch\b/.test(block.code)) {
          const failed = log.filter((q) => q.status >= 400).map((q) => `${q.method} ${q.path} ${q.status}`);
          assert.deepEqual(failed, [], `requests that failed: ${failed.join(", ")}`);
        }
      });
    }
  });
}
