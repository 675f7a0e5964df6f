#!/usr/bin/env node
// Packaging tests: the packed mava-sdk tarball installed into scratch projects, one per runtime
// and way of loading it, each calling Mava and Mavibot against its own sandbox. See README.md.
//
//   node tests/packaging/run.mjs [path/to/mava-sdk-x.y.z.tgz] [--only a,b] [--jobs N] [--keep]
//
// Without a tarball it packs pkg/ (build it first: node scripts/build.mjs). Prints one line per
// scenario, `PASS|FAIL|CANNOT-RUN <name> (<seconds>s) <detail>`, then a table; exits 1 unless
// every scenario passed (a runtime that cannot run here is reported and fails the run).
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { basename, delimiter, dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox } from "../sandbox/server.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const BIN = join(ROOT, "node_modules", ".bin");
const FIXTURES = join(HERE, "fixtures");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const COMPATIBILITY_DATE = "2025-01-01"; // the same as fixtures/wrangler.toml

// Keeps every tool off the network (only the sandbox on loopback is called) and quiet.
const QUIET_ENV = {
  DENO_NO_UPDATE_CHECK: "1",
  DENO_NO_PROMPT: "1",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true", // the banner is what runs wrangler's npm update check
  DO_NOT_TRACK: "1",
  NO_COLOR: "1",
  npm_config_update_notifier: "false",
  npm_config_audit: "false",
  npm_config_fund: "false",
};

// ---------------------------------------------------------------------------------------------
// Arguments

const args = process.argv.slice(2);
const opts = { tarball: null, only: null, jobs: Math.max(2, Math.min(4, cpus().length + 1)), keep: false };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--keep") opts.keep = true;
  else if (a === "--only") opts.only = (args[++i] ?? "").split(",");
  else if (a.startsWith("--only=")) opts.only = a.slice(7).split(",");
  else if (a === "--jobs") opts.jobs = Number(args[++i]);
  else if (a.startsWith("--jobs=")) opts.jobs = Number(a.slice(7));
  else if (a === "--help" || a === "-h") {
    console.log("usage: node tests/packaging/run.mjs [tarball.tgz] [--only name,name] [--jobs N] [--keep]");
    process.exit(0);
  } else if (!a.startsWith("--") && opts.tarball === null) opts.tarball = resolve(a);
  else {
    console.error(`unknown argument: ${a}`);
    process.exit(2);
  }
}

if (!(Number.isInteger(opts.jobs) && opts.jobs >= 1)) {
  console.error("--jobs takes a whole number >= 1");
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Child processes (each in its own process group, so a timeout kills its children too)

const live = new Set();
function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {}
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of live) killGroup(child);
    process.exit(130);
  });
}

/** Starts a server process (e.g. `vite` dev); resolves with its URL once `ready` matches its output. */
function serve(cmd, argv, { cwd, env = {}, ready, timeoutMs = 60_000 }) {
  return new Promise((ok, fail) => {
    let output = "";
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...QUIET_ENV, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    const stop = () => {
      killGroup(child);
      live.delete(child);
    };
    const timer = setTimeout(() => {
      stop();
      fail(new Error(`${basename(cmd)} did not start in ${timeoutMs / 1000}s: ${tail(output)}`));
    }, timeoutMs);
    const onData = (d) => {
      output += d;
      const m = ready.exec(output.replace(/\x1b\[[0-9;]*m/g, ""));
      if (m) {
        clearTimeout(timer);
        ok({ url: m[1].replace(/\/$/, ""), stop, output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      live.delete(child);
      fail(new Error(`${basename(cmd)} exited (${code}): ${tail(output)}`));
    });
  });
}

function exec(cmd, argv, { cwd, env = {}, timeoutMs = 90_000 } = {}) {
  return new Promise((done) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...QUIET_ENV, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    const finish = (code, error) => {
      clearTimeout(timer);
      live.delete(child);
      done({ code, error, stdout, stderr, timedOut });
    };
    child.on("error", (error) => finish(null, error));
    child.on("close", (code) => finish(code, null));
  });
}

/** Runs a command that must succeed; throws with its output's tail otherwise. */
async function must(what, cmd, argv, options) {
  const r = await exec(cmd, argv, options);
  if (r.code !== 0) {
    const why = r.timedOut ? `timed out after ${(options?.timeoutMs ?? 90_000) / 1000}s` : r.error ? r.error.message : `exit ${r.code}`;
    throw new Error(`${what} failed (${why}): ${summary(r.stderr || r.stdout)}`);
  }
  return r;
}

/** The error lines of a failed process's output (the first line naming an error, and the next
 *  two), else its tail. */
function summary(text) {
  const lines = String(text).replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim()).filter(Boolean);
  const i = lines.findIndex((l) => /^(\w*Error\b|error\b|Uncaught\b|✘|\[ERROR\])/i.test(l) && !/^\s*at /.test(l));
  return i < 0 ? tail(text) : tail(lines.slice(i, i + 3).join("\n"), 600);
}

const tail = (text, n = 600) => {
  const t = String(text).replace(/\x1b\[[0-9;]*m/g, "").trim().replace(/\s*\n\s*/g, " | ");
  return t.length > n ? `…${t.slice(-n)}` : t;
};

/** A runtime or tool that is missing or does not start here: the scenario is CANNOT-RUN. */
class CannotRun extends Error {}

async function version(bin, argv = ["--version"]) {
  if (!existsSync(bin)) throw new CannotRun(`${bin} is not installed`);
  const r = await exec(bin, argv, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new CannotRun(`${bin} ${argv.join(" ")} does not run here: ${r.error?.message ?? `exit ${r.code}`} ${tail(r.stderr, 300)}`);
  return r.stdout.trim().split("\n")[0];
}

async function importOrCannot(name) {
  try {
    return await import(name);
  } catch (e) {
    throw new CannotRun(`${name} cannot be loaded (${e.message.split("\n")[0]}); run npm ci in ${ROOT}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Runtimes

/** Node 20: the `node` on PATH outside node_modules/.bin (the system Node), else /usr/bin/node. */
let node20Promise;
function node20() {
  node20Promise ??= (async () => {
    const candidates = (process.env.PATH ?? "").split(delimiter)
      .filter((d) => d && !d.split(sep).includes("node_modules"))
      .map((d) => join(d, "node"))
      .concat(["/usr/bin/node", "/usr/local/bin/node", process.execPath]);
    const seen = [];
    for (const bin of [...new Set(candidates)]) {
      if (!existsSync(bin)) continue;
      const r = await exec(bin, ["--version"], { timeoutMs: 30_000 });
      const v = r.stdout.trim();
      seen.push(`${bin} ${v || "(does not run)"}`);
      if (r.code === 0 && v.startsWith("v20.")) return { bin, version: v };
    }
    throw new CannotRun(`no Node 20 found (${seen.join(", ") || "no node on PATH"})`);
  })();
  return node20Promise;
}

async function node20WithRequireEsm() {
  const n = await node20();
  const [, minor] = n.version.slice(1).split(".").map(Number);
  if (minor < 19) throw new CannotRun(`${n.bin} is ${n.version}; require(esm) needs Node >= 20.19 (the package's engines)`);
  return n;
}

/** Chromium (Debian's) and playwright-core to drive it; the browser is launched by runPage. */
async function chromiumReady() {
  if (!existsSync(CHROMIUM)) throw new CannotRun(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  await importOrCannot("playwright-core");
}

/** A tool from the workspace's node_modules/.bin that a browser scenario needs, and Chromium. */
async function withChromium(name) {
  await chromiumReady();
  if (!name) return {};
  const bin = join(BIN, name);
  return { bin, version: await version(bin) };
}

async function node22() {
  const bin = join(BIN, "node");
  const v = await version(bin);
  if (!v.startsWith("v22.")) throw new CannotRun(`${bin} is ${v}, not Node 22 (npm node@22)`);
  return { bin, version: v };
}

// ---------------------------------------------------------------------------------------------
// Scratch projects

/**
 * A scratch project: `package.json` (type module unless the scenario says otherwise), the
 * fixtures (files or folders), then the tarball installed as a consumer would. Tools the
 * scenario runs (a bundler, a test runner, a framework) are linked from the workspace's
 * node_modules, installed once for every scenario; the package itself never is.
 */
async function makeProject(dir, s, tarball) {
  mkdirSync(dir, { recursive: true });
  const manifest = { name: `packaging-${basename(dir)}`, private: true, type: "module", ...s.packageJson };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  for (const [from, to] of Object.entries(s.files)) {
    if (to === "program.cjs") writeFileSync(join(dir, to), commonJsProgram());
    else cpSync(join(FIXTURES, from), join(dir, to), { recursive: true });
  }
  // A consumer's install, from the tarball only (--offline: the package has no dependencies).
  await must("npm install of the tarball", "npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: dir, timeoutMs: 120_000 });
  for (const tool of s.tools ?? []) {
    const from = join(ROOT, "node_modules", tool);
    if (!existsSync(from)) throw new CannotRun(`${tool} is not installed in ${ROOT}/node_modules; run npm ci there`);
    mkdirSync(dirname(join(dir, "node_modules", tool)), { recursive: true });
    symlinkSync(from, join(dir, "node_modules", tool), "dir");
  }
}

/** fixtures/program.mjs as CommonJS, for consumers that can't import an ES module (Jest's default mode). */
function commonJsProgram() {
  const source = readFileSync(join(FIXTURES, "program.mjs"), "utf8");
  const names = [...source.matchAll(/^export (?:async )?function (\w+)/gm)].map((m) => m[1]);
  return `${source.replace(/^export (async )?function/gm, "$1function")}\nmodule.exports = { ${names.join(", ")} };\n`;
}

const RESULT = /^PACKAGING-RESULT (.*)$/m;

/** Runs a CLI consumer (fixtures/cli.*) and returns the JSON result it printed. */
async function runCli(dir, bin, argv, { url, tag }, env = {}) {
  const r = await exec(bin, argv, { cwd: dir, env: { MAVA_SANDBOX_URL: url, PACKAGING_TAG: tag, ...env }, timeoutMs: 60_000 });
  const m = RESULT.exec(r.stdout);
  if (!m) {
    const why = r.timedOut ? "timed out" : r.error ? r.error.message : `exit ${r.code}`;
    throw new Error(`${basename(bin)} printed no result (${why}): ${summary(r.stderr || r.stdout)}`);
  }
  const notes = [];
  const stderr = r.stderr.trim();
  if (stderr) notes.push(`stderr: ${tail(stderr, 200)}`);
  if (r.code !== 0) notes.push(`exit ${r.code}`);
  return { result: JSON.parse(m[1]), notes };
}

// ---------------------------------------------------------------------------------------------
// Browsers: a static server for the page, headless Chromium through playwright-core

const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".map": "application/json", ".css": "text/css" };

function serveStatic(root) {
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = resolve(root, "." + path);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((c) => server.close(c)) })));
}

/**
 * Loads the page in Chromium, from `site.root` (served here) or `site.url` (a running server);
 * returns the page's result and everything that went wrong.
 */
async function runPage(site, { url, tag }) {
  const { chromium } = await importOrCannot("playwright-core");
  const server = site.url ? { url: site.url, close: async () => {} } : await serveStatic(site.root);
  let browser;
  try {
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
    } catch (e) {
      throw new CannotRun(`Chromium does not start: ${e.message.split("\n")[0]}`);
    }
    const page = await browser.newPage();
    const problems = [];
    const notes = [];
    let pageError;
    const crashed = new Promise((_, reject) => (pageError = reject));
    crashed.catch(() => {});
    page.on("pageerror", (e) => {
      problems.push(`page error: ${e.message}`);
      pageError(new Error(`page error: ${e.message}`));
    });
    // The program's wrong-key call answers 401 on purpose; the browser logs that as an error.
    const expected = (u, status) => status === 401 && u === `${url}/api/agents`;
    page.on("console", (m) => {
      if (m.type() !== "error" && m.type() !== "warning") return;
      if (/status of 401/.test(m.text()) && expected(m.location()?.url, 401)) return;
      problems.push(`console ${m.type()}: ${m.text()}${m.location()?.url ? ` (${m.location().url})` : ""}`);
    });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on("response", (r) => {
      if (r.status() >= 400 && !expected(r.url(), r.status())) problems.push(`HTTP ${r.status()} for ${r.url()}`);
      if (r.url().endsWith(".wasm")) notes.push(`wasm ${new URL(r.url()).pathname} as ${r.headers()["content-type"]}`);
    });
    await page.goto(`${server.url}${site.path ?? "/"}?sandbox=${encodeURIComponent(url)}&tag=${encodeURIComponent(tag)}`);
    await Promise.race([page.locator("#out[data-done]").waitFor({ state: "attached", timeout: 30_000 }), crashed]).catch((e) => {
      throw new Error(`${e.message.split("\n")[0]}${problems.length ? `; ${problems.join("; ")}` : ""}`);
    });
    const result = JSON.parse(await page.locator("#out").textContent());
    return { result, problems, notes };
  } finally {
    await browser?.close();
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Bundlers, test runners and Next.js

/** webpack's Node API with nothing but the entry and the output folder set (no webpack-cli). */
const WEBPACK_BUILD = `
const webpack = require("webpack");
webpack({ mode: "production", entry: "./page.mjs", output: { path: require("path").resolve("dist") } }, (err, stats) => {
  if (err || stats.hasErrors() || stats.hasWarnings()) {
    console.error(err ? err.stack : stats.toString("errors-warnings"));
    process.exit(1);
  }
});`;

/** A page built with the wasm inlined: it must load no .wasm, and the build folder holds none. */
function selfContainedPage(page, dir) {
  if (page.notes.some((n) => n.startsWith("wasm "))) page.problems.push("the page requested a .wasm file (expected the inline entry)");
  const wasm = readdirSync(join(dir, "dist")).filter((f) => f.endsWith(".wasm"));
  if (wasm.length) page.problems.push(`the build emitted ${wasm.join(", ")}`);
  return page;
}

/** Runs a test runner (Jest, Vitest) on the project; its test writes the result to PACKAGING_OUT. */
async function runTestRunner(dir, bin, argv, { url, tag }) {
  const out = join(dir, "result.json");
  const r = await exec(bin, argv, { cwd: dir, env: { MAVA_SANDBOX_URL: url, PACKAGING_TAG: tag, PACKAGING_OUT: out, CI: "1" }, timeoutMs: 120_000 });
  if (!existsSync(out)) throw new Error(`${basename(argv.find((a) => /jest|vitest/.test(a)) ?? bin)} wrote no result (exit ${r.code}): ${summary(r.stderr || r.stdout)}`);
  const problems = r.code === 0 ? [] : [`the test run failed (exit ${r.code}): ${summary(r.stderr || r.stdout)}`];
  return { result: JSON.parse(readFileSync(out, "utf8")), problems, notes: [] };
}

const unescapeHtml = (text) =>
  text.replace(/&(quot|amp|lt|gt|#x27|#39);/g, (_, e) => ({ quot: '"', amp: "&", lt: "<", gt: ">", "#x27": "'", "#39": "'" })[e]);

/**
 * The Next.js app (fixtures/next: a route handler, a server component, a client component),
 * built once with `next build` and served by `next start` for the three next-* scenarios; each
 * passes its own sandbox in the query string. Stopped at the end of the run.
 */
let nextPromise;
const nextState = { scratch: null, tarball: null, server: null };
function nextApp() {
  nextPromise ??= (async () => {
    const bin = join(BIN, "next");
    const nextVersion = await version(bin);
    const dir = join(nextState.scratch, "next-app");
    await makeProject(dir, { files: { next: ".", "program.mjs": "program.mjs" }, tools: ["next", "react", "react-dom"] }, nextState.tarball);
    const env = { NEXT_TELEMETRY_DISABLED: "1" };
    const started = performance.now();
    await must("next build", bin, ["build"], { cwd: dir, env, timeoutMs: 300_000 });
    const built = ((performance.now() - started) / 1000).toFixed(1);
    const port = await freePort();
    nextState.server = await serve(bin, ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: dir, env, ready: /(http:\/\/\S+:\d+)/ });
    const media = existsSync(join(dir, ".next", "static", "media")) ? readdirSync(join(dir, ".next", "static", "media")) : [];
    return { url: `http://127.0.0.1:${port}`, notes: [`${nextVersion}, next build ${built}s`, `client assets: ${media.filter((f) => f.endsWith(".wasm")).join(", ") || "no .wasm"}`] };
  })();
  return nextPromise;
}

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const ENTRY_NODE = /\/node_modules\/mava-sdk\/node\.js$/;
const ENTRY_CJS = /\/node_modules\/mava-sdk\/index\.cjs$/;
const NODE_FILES = { "program.mjs": "program.mjs", "cli.mjs": "cli.mjs" };

const SCENARIOS = [
  {
    name: "node20-esm",
    runtime: /^node v20\./,
    entry: ENTRY_NODE,
    userAgent: /^node$/,
    files: NODE_FILES,
    prepare: node20,
    run: async ({ dir, tool }, call) => runCli(dir, tool.bin, ["cli.mjs"], call),
  },
  {
    name: "node20-require",
    runtime: /^node v20\./,
    entry: ENTRY_NODE,
    userAgent: /^node$/,
    sameAsImport: true,
    files: { "program.mjs": "program.mjs", "cli.cjs": "cli.cjs" },
    prepare: node20WithRequireEsm,
    run: async ({ dir, tool }, call) => runCli(dir, tool.bin, ["cli.cjs"], call),
  },
  {
    name: "node22-esm",
    runtime: /^node v22\./,
    entry: ENTRY_NODE,
    userAgent: /^node$/,
    files: NODE_FILES,
    prepare: node22,
    run: async ({ dir, tool }, call) => runCli(dir, tool.bin, ["cli.mjs"], call),
  },
  {
    name: "node22-require",
    runtime: /^node v22\./,
    entry: ENTRY_NODE,
    userAgent: /^node$/,
    sameAsImport: true,
    files: { "program.mjs": "program.mjs", "cli.cjs": "cli.cjs" },
    prepare: node22,
    run: async ({ dir, tool }, call) => runCli(dir, tool.bin, ["cli.cjs"], call),
  },
  {
    name: "deno",
    runtime: /^deno \d/,
    entry: ENTRY_NODE,
    userAgent: /^Deno\//,
    files: NODE_FILES,
    prepare: async () => ({ bin: join(BIN, "deno"), version: await version(join(BIN, "deno")) }),
    // package.json + the npm-installed node_modules ("manual": Deno uses it as it is); nothing
    // remote, no lockfile; permissions narrowed to what the package needs.
    run: async ({ dir, tool }, call) =>
      runCli(dir, tool.bin, [
        "run", "--node-modules-dir=manual", "--no-lock", "--cached-only", "--no-remote",
        `--allow-read=${dir}`, "--allow-net=127.0.0.1", "--allow-env=MAVA_SANDBOX_URL,PACKAGING_TAG",
        "cli.mjs",
      ], call, { DENO_DIR: join(dir, ".deno-cache") }),
  },
  {
    name: "bun",
    runtime: /^bun \d/,
    entry: ENTRY_NODE,
    userAgent: /^Bun\//,
    files: NODE_FILES,
    prepare: async () => ({ bin: join(BIN, "bun"), version: await version(join(BIN, "bun")) }),
    run: async ({ dir, tool }, call) => runCli(dir, tool.bin, ["--no-install", "cli.mjs"], call),
  },
  {
    name: "vite",
    runtime: /HeadlessChrome\//,
    userAgent: /HeadlessChrome\//,
    files: { "program.mjs": "program.mjs", "page.mjs": "page.mjs", "vite.html": "index.html" },
    prepare: () => withChromium("vite"),
    run: async ({ dir, tool }, call) => {
      const build = await must("vite build", tool.bin, ["build", "--logLevel", "warn"], { cwd: dir, timeoutMs: 120_000 });
      const page = await runPage({ root: join(dir, "dist") }, call);
      const assets = readdirSync(join(dir, "dist", "assets"));
      const notes = [`dist/assets: ${assets.join(", ")}`, ...page.notes];
      if ((build.stdout + build.stderr).trim()) page.problems.push(`vite build warned: ${tail(build.stdout + build.stderr, 300)}`);
      // Vite sets the production condition, which esbuild and Rollup don't: it gets browser.js and
      // emits the wasm as an asset, which the page streams (smaller than the inlined entry).
      if (!assets.some((a) => a.endsWith(".wasm"))) page.problems.push("vite emitted no .wasm asset (expected browser.js)");
      if (!page.notes.some((n) => n.startsWith("wasm "))) page.problems.push("the page requested no .wasm file (expected browser.js)");
      return { result: page.result, problems: page.problems, notes };
    },
  },
  {
    name: "vite-dev",
    runtime: /HeadlessChrome\//,
    userAgent: /HeadlessChrome\//,
    files: { "program.mjs": "program.mjs", "page.mjs": "page.mjs", "vite.html": "index.html" },
    prepare: () => withChromium("vite"),
    // The dev server pre-bundles dependencies into node_modules/.vite: the package's
    // `new URL("./mava_sdk_bg.wasm", import.meta.url)` must still find the wasm.
    run: async ({ dir, tool }, call) => {
      const server = await serve(tool.bin, ["--host", "127.0.0.1", "--port", "0", "--strictPort", "--clearScreen", "false"], { cwd: dir, ready: /Local:\s+(http:\/\/\S+)/ });
      try {
        return await runPage({ url: server.url }, call);
      } finally {
        server.stop();
      }
    },
  },
  {
    name: "browser-esm",
    runtime: /HeadlessChrome\//,
    userAgent: /HeadlessChrome\//,
    files: { "program.mjs": "program.mjs", "page.mjs": "page.mjs", "native.html": "index.html" },
    prepare: () => withChromium(),
    // No bundler: the project directory itself is served, node_modules included, and the import
    // map points "mava-sdk" at the package's browser entry.
    run: async ({ dir }, call) => runPage({ root: dir }, call),
  },
  {
    name: "workerd",
    runtime: /^Cloudflare-Workers$/,
    files: { "program.mjs": "program.mjs", "worker.mjs": "worker.mjs", "wrangler.toml": "wrangler.toml" },
    prepare: async () => ({ bin: join(BIN, "wrangler"), version: await version(join(BIN, "wrangler")) }),
    run: async ({ dir, tool }, call) => {
      // Bundle exactly as `wrangler deploy` would (its esbuild, conditions and module rules).
      await must("wrangler deploy --dry-run", tool.bin, ["deploy", "--dry-run", "--outdir", "dist"], {
        cwd: dir,
        timeoutMs: 120_000,
        env: {
          XDG_CONFIG_HOME: join(dir, ".config"),
          WRANGLER_LOG_PATH: join(dir, ".wrangler-logs"),
          // Belt and braces for wrangler's update check: no registry it could reach.
          npm_config_registry: "http://127.0.0.1:9/",
        },
      });
      const dist = join(dir, "dist");
      const files = readdirSync(dist);
      const script = files.find((f) => /\.m?js$/.test(f));
      const wasm = files.filter((f) => f.endsWith(".wasm"));
      if (!script) throw new Error(`wrangler wrote no script: ${files.join(", ")}`);
      const { Miniflare } = await importOrCannot("miniflare");
      let output = "";
      const collect = (stream) => stream.on("data", (d) => (output += d));
      const failed = (what, e) => new Error(`${what}: ${e.message.split("\n")[0]}${output.trim() ? ` — workerd: ${tail(output, 400)}` : ""}`);
      let mf;
      try {
        mf = new Miniflare({
          modules: true,
          scriptPath: join(dist, script),
          modulesRoot: dist,
          modulesRules: [
            { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
            { type: "CompiledWasm", include: ["**/*.wasm"] },
          ],
          compatibilityDate: COMPATIBILITY_DATE,
          cf: false,
          bindings: { MAVA_SANDBOX_URL: call.url, PACKAGING_TAG: call.tag },
          handleRuntimeStdio: (stdout, stderr) => (collect(stdout), collect(stderr)),
        });
        await mf.ready;
      } catch (e) {
        await mf?.dispose().catch(() => {});
        throw failed("workerd did not load the bundle", e);
      }
      try {
        let res;
        try {
          res = await mf.dispatchFetch("http://worker/");
        } catch (e) {
          throw failed("dispatching a request to the Worker failed", e);
        }
        const text = await res.text();
        let result;
        try {
          result = JSON.parse(text);
        } catch {
          throw failed(`the Worker answered ${res.status}`, new Error(tail(text, 300)));
        }
        const notes = [`bundle ${script} + ${wasm.join(", ") || "no .wasm"}`];
        if (output.trim()) notes.push(`workerd: ${tail(output, 200)}`);
        return { result, problems: res.status === 200 ? [] : [`the Worker answered ${res.status}`], notes };
      } finally {
        await mf.dispose();
      }
    },
  },
  {
    name: "wrangler-dev",
    runtime: /^Cloudflare-Workers$/,
    files: { "program.mjs": "program.mjs", "worker.mjs": "worker.mjs", "wrangler.toml": "wrangler.toml" },
    prepare: async () => ({ bin: join(BIN, "wrangler"), version: await version(join(BIN, "wrangler")) }),
    // `wrangler dev`: wrangler's own bundling and its local workerd, as a developer runs it.
    run: async ({ dir, tool }, call) => {
      const server = await serve(tool.bin, [
        "dev", "--local", "--ip", "127.0.0.1", "--port", String(await freePort()), "--inspector-port", String(await freePort()),
        "--show-interactive-dev-session=false", "--log-level", "info",
        "--var", `MAVA_SANDBOX_URL:${call.url}`, "--var", `PACKAGING_TAG:${call.tag}`,
      ], {
        cwd: dir,
        ready: /Ready on (http:\/\/127\.0\.0\.1:\d+)/,
        timeoutMs: 90_000,
        env: { XDG_CONFIG_HOME: join(dir, ".config"), WRANGLER_LOG_PATH: join(dir, ".wrangler-logs"), npm_config_registry: "http://127.0.0.1:9/" },
      });
      try {
        const res = await fetch(`${server.url}/`);
        const text = await res.text();
        let result;
        try {
          result = JSON.parse(text);
        } catch {
          throw new Error(`wrangler dev answered ${res.status}: ${tail(text, 300)}`);
        }
        return { result, problems: res.status === 200 ? [] : [`the Worker answered ${res.status}`], notes: [tool.version] };
      } finally {
        server.stop();
      }
    },
  },
  {
    name: "webpack",
    runtime: /HeadlessChrome\//,
    userAgent: /HeadlessChrome\//,
    files: { "program.mjs": "program.mjs", "page.mjs": "page.mjs" },
    tools: ["webpack"],
    prepare: () => withChromium(),
    // webpack 5 with no configuration beyond the entry: its `webpack` condition picks the
    // asset-URL entry, whose wasm it must emit beside the bundle.
    run: async ({ dir }, call) => {
      await must("webpack", process.execPath, ["-e", WEBPACK_BUILD], { cwd: dir, timeoutMs: 120_000 });
      cpSync(join(FIXTURES, "webpack.html"), join(dir, "dist", "index.html"));
      const page = await runPage({ root: join(dir, "dist") }, call);
      const wasm = readdirSync(join(dir, "dist")).filter((f) => f.endsWith(".wasm"));
      if (wasm.length !== 1) page.problems.push(`webpack emitted ${wasm.length} .wasm files`);
      if (!page.notes.some((n) => n.startsWith("wasm "))) page.problems.push("the page loaded no .wasm (expected the asset-URL entry)");
      return page;
    },
  },
  {
    name: "esbuild-browser",
    runtime: /HeadlessChrome\//,
    userAgent: /HeadlessChrome\//,
    files: { "program.mjs": "program.mjs", "page.mjs": "page.mjs" },
    prepare: () => withChromium("esbuild"),
    // esbuild emits no asset for `new URL(…, import.meta.url)`: the bundle must carry the wasm.
    run: async ({ dir, tool }, call) => {
      await must("esbuild", tool.bin, ["page.mjs", "--bundle", "--platform=browser", "--format=esm", "--outfile=dist/page.js", "--log-level=warning"], { cwd: dir });
      cpSync(join(FIXTURES, "bundle.html"), join(dir, "dist", "index.html"));
      return selfContainedPage(await runPage({ root: join(dir, "dist") }, call), dir);
    },
  },
  {
    name: "rollup",
    runtime: /HeadlessChrome\//,
    userAgent: /HeadlessChrome\//,
    files: { "program.mjs": "program.mjs", "page.mjs": "page.mjs", "rollup.config.mjs": "rollup.config.mjs" },
    tools: ["rollup", "@rollup/plugin-node-resolve"],
    prepare: () => withChromium("rollup"),
    run: async ({ dir, tool }, call) => {
      const r = await must("rollup", tool.bin, ["--config", "rollup.config.mjs", "--silent"], { cwd: dir, timeoutMs: 120_000 });
      cpSync(join(FIXTURES, "bundle.html"), join(dir, "dist", "index.html"));
      const page = selfContainedPage(await runPage({ root: join(dir, "dist") }, call), dir);
      if (r.stderr.trim()) page.problems.push(`rollup warned: ${tail(r.stderr, 300)}`);
      return page;
    },
  },
  {
    name: "esbuild-node-esm",
    runtime: /^node v20\./,
    userAgent: /^node$/,
    files: { "program.mjs": "program.mjs", "bundle-cli.mjs": "cli.mjs" },
    prepare: async () => ({ ...(await node20()), esbuild: join(BIN, "esbuild") }),
    run: async ({ dir, tool }, call) => {
      await must("esbuild", tool.esbuild, ["cli.mjs", "--bundle", "--platform=node", "--format=esm", "--outfile=dist/cli.mjs", "--log-level=warning"], { cwd: dir });
      rmSync(join(dir, "node_modules"), { recursive: true, force: true });
      return runCli(dir, tool.bin, ["dist/cli.mjs"], call);
    },
  },
  {
    name: "esbuild-node-cjs",
    runtime: /^node v20\./,
    userAgent: /^node$/,
    files: { "program.mjs": "program.mjs", "bundle-cli.cjs": "cli.cjs" },
    prepare: async () => ({ ...(await node20()), esbuild: join(BIN, "esbuild") }),
    run: async ({ dir, tool }, call) => {
      await must("esbuild", tool.esbuild, ["cli.cjs", "--bundle", "--platform=node", "--format=cjs", "--outfile=dist/cli.cjs", "--log-level=warning"], { cwd: dir });
      rmSync(join(dir, "node_modules"), { recursive: true, force: true });
      return runCli(dir, tool.bin, ["dist/cli.cjs"], call);
    },
  },
  ...["route-handler", "server-component", "client-component"].map((kind) => ({
    name: `next-${kind}`,
    runtime: kind === "client-component" ? /HeadlessChrome\// : /^node v20\./,
    userAgent: kind === "client-component" ? /HeadlessChrome\// : /^node$/,
    files: null, // one app for the three, made by nextApp()
    prepare: async () => ({ ...(await (kind === "client-component" ? withChromium() : {})), app: await nextApp() }),
    run: async ({ tool }, call) => {
      const app = tool.app;
      const query = `?sandbox=${encodeURIComponent(call.url)}&tag=${encodeURIComponent(call.tag)}`;
      if (kind === "client-component") {
        const page = await runPage({ url: app.url, path: "/client" }, call);
        if (!page.notes.some((n) => n.startsWith("wasm "))) page.problems.push("the page loaded no .wasm (expected the asset-URL entry)");
        return { ...page, notes: [...app.notes, ...page.notes] };
      }
      const res = await fetch(`${app.url}${kind === "route-handler" ? "/api/run" : "/server"}${query}`);
      const text = await res.text();
      const problems = res.ok ? [] : [`next start answered ${res.status}`];
      if (kind === "route-handler") return { result: JSON.parse(text), problems, notes: app.notes };
      const pre = /<pre id="out">([^<]*)<\/pre>/.exec(text);
      if (!pre) throw new Error(`the server component rendered no #out: ${tail(text, 300)}`);
      return { result: JSON.parse(unescapeHtml(pre[1])), problems, notes: app.notes };
    },
  })),
  {
    name: "jest-cjs",
    runtime: /^node v20\./,
    entry: ENTRY_CJS,
    userAgent: /^node$/,
    packageJson: { type: "commonjs" },
    files: { "program.cjs": "program.cjs", "jest.test.cjs": "mava.test.js" },
    tools: ["jest"],
    prepare: node20,
    run: async ({ dir, tool }, call) => runTestRunner(dir, tool.bin, [join(dir, "node_modules", "jest", "bin", "jest.js"), "--ci"], call),
  },
  {
    name: "jest-jsdom",
    runtime: /^node v20\./,
    entry: ENTRY_CJS,
    userAgent: /^node$/,
    packageJson: { type: "commonjs" },
    // The one setting jsdom needs (README): Node's fetch and text codecs, which "jsdom" hides.
    files: { "program.cjs": "program.cjs", "jest.test.cjs": "mava.test.js", "jest-hidden.test.cjs": "hidden.test.js" },
    tools: ["jest", "jest-environment-jsdom", "jest-fixed-jsdom"],
    prepare: node20,
    run: async ({ dir, tool }, call) => {
      const test = join(dir, "mava.test.js");
      writeFileSync(test, `/** @jest-environment jest-fixed-jsdom */\n${readFileSync(test, "utf8")}`);
      const r = await runTestRunner(dir, tool.bin, [join(dir, "node_modules", "jest", "bin", "jest.js"), "--ci"], call);
      if (r.result.environment !== "jsdom") r.problems.push(`ran in ${r.result.environment}, not jsdom`);
      return r;
    },
  },
  {
    name: "jest-esm",
    runtime: /^node v20\./,
    userAgent: /^node$/,
    files: { "program.mjs": "program.mjs", "jest-esm.test.mjs": "mava.test.mjs" },
    tools: ["jest"],
    prepare: node20,
    run: async ({ dir, tool }, call) =>
      runTestRunner(dir, tool.bin, ["--experimental-vm-modules", "--no-warnings", join(dir, "node_modules", "jest", "bin", "jest.js"), "--ci"], call),
  },
  ...[["node", /^node$/], ["jsdom", /^node$/], ["happy-dom", /HappyDOM\//]].map(([environment, userAgent]) => ({
    name: `vitest-${environment}`,
    runtime: /^node v20\./,
    userAgent,
    files: { "program.mjs": "program.mjs", "vitest.test.mjs": "mava.test.mjs" },
    tools: ["vitest", ...(environment === "node" ? [] : [environment])],
    prepare: node20,
    run: async ({ dir, tool }, call) => {
      const r = await runTestRunner(dir, tool.bin, [join(dir, "node_modules", "vitest", "vitest.mjs"), "run", "--environment", environment], call);
      if (environment !== "node" && r.result.environment === "node") r.problems.push(`ran without a DOM, not in ${environment}`);
      return r;
    },
  })),
];

// ---------------------------------------------------------------------------------------------
// Checks: what the program reports, and what the sandbox received

const EXPECTED_REQUESTS = [
  "GET /api/categories 200",
  "POST /api/ticket 201",
  "GET /mavibot/api/sandbox-bot-key/get_clients 200",
  "GET /mavibot/api/sandbox-bot-key/connected_channels 200",
  "GET /api/agents 401",
];

function check(s, r, requests, tag) {
  const problems = [];
  const expect = (ok, message) => ok || problems.push(message);
  if (r.error) return [`the program threw ${r.error}${r.stack ? ` ${tail(r.stack, 300)}` : ""}`];
  expect(s.runtime.test(r.runtime ?? ""), `ran in "${r.runtime}", expected ${s.runtime}`);
  if (s.entry) expect(s.entry.test(r.entry ?? ""), `"mava-sdk" resolved to ${r.entry}, expected ${s.entry}`);
  if (s.sameAsImport) expect(r.sameAsImport === true, "require() and import() gave different module instances");
  expect(r.categories > 0, `getCategories gave ${r.categories} categories`);
  expect(/^[0-9a-f]{24}$/.test(r.ticketId ?? ""), `createTicket gave ticket id ${r.ticketId}`);
  expect(r.clients === 3, `getClients({ limit: 3 }) gave ${r.clients} clients`);
  expect(Boolean(r.projectId), `connectedChannels gave project_id ${r.projectId}`);
  expect(r.issueCodes?.includes("INVALID_CUSTOMER_MODE"), `validate.mava.createTicket({}) gave ${JSON.stringify(r.issueCodes)}`);
  const v = r.validation ?? {};
  expect(v.isValidationError && v.isSdkError && v.isError && v.name === "ValidationError" && v.issueCodes?.includes("INVALID_EMAIL") && v.issueCodes?.includes("INVALID_ENUM"),
    `invalid createTicket: ${JSON.stringify(r.validation)}`);
  const a = r.auth ?? {};
  expect(a.isAuthenticationError && a.isApiError && a.name === "AuthenticationError" && a.status === 401, `wrong key: ${JSON.stringify(r.auth)}`);

  const got = requests.map((q) => `${q.method} ${q.path} ${q.status}`);
  expect(JSON.stringify(got) === JSON.stringify(EXPECTED_REQUESTS), `the sandbox received ${JSON.stringify(got)}`);
  const ticket = requests.find((q) => q.path === "/api/ticket");
  expect(ticket?.json?.customer?.email === `${tag}@packaging.test`, `POST /api/ticket carried ${ticket?.bodyText}`);
  const list = requests.find((q) => q.path.endsWith("/get_clients"));
  expect(list?.query?.limit?.[0] === "3", `get_clients had query ${list?.rawQuery}`);
  const mavaKey = requests.filter((q) => q.path.startsWith("/api/")).map((q) => q.headers["x-auth-token"]);
  expect(JSON.stringify(mavaKey) === JSON.stringify(["sandbox-key-acme", "sandbox-key-acme", "sandbox-key-wrong"]), `x-auth-token headers ${JSON.stringify(mavaKey)}`);
  if (s.userAgent) {
    const agents = [...new Set(requests.map((q) => q.headers["user-agent"]))];
    expect(agents.every((ua) => s.userAgent.test(ua ?? "")), `user-agent ${JSON.stringify(agents)}, expected ${s.userAgent}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Running

/** "Mozilla/5.0 (…) HeadlessChrome/156.0.0.0 Safari/537.36" → "HeadlessChrome/156.0.0.0". */
const shortAgent = (ua) => (ua === undefined ? "none" : /(HeadlessChrome\/[\d.]+)/.exec(ua)?.[1] ?? ua);

async function runScenario(s, scratch, tarball) {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let sandbox;
  try {
    const tool = await s.prepare();
    sandbox = await startSandbox({ port: 0, quiet: true, rateLimit: false });
    const dir = join(scratch, s.name);
    if (s.files) await makeProject(dir, s, tarball);
    const call = { url: sandbox.url, tag: s.name };
    const { result, problems = [], notes = [] } = await s.run({ dir, tool }, call);
    const res = await fetch(`${sandbox.url}/__sandbox/requests`);
    const { requests } = await res.json();
    problems.push(...check(s, result, requests, s.name));
    const ua = [...new Set(requests.map((q) => shortAgent(q.headers["user-agent"])))].join(", ");
    const what = [shortAgent(result.runtime), result.entry && `mava-sdk → ${result.entry.replace(/^.*\/node_modules\//, "")}`, `${requests.length} requests (UA ${ua})`, ...notes].filter(Boolean).join("; ");
    if (problems.length) return { status: "FAIL", seconds: seconds(), detail: `${problems.join("; ")} [${what}]` };
    return { status: "PASS", seconds: seconds(), detail: what };
  } catch (e) {
    return { status: e instanceof CannotRun ? "CANNOT-RUN" : "FAIL", seconds: seconds(), detail: e.message };
  } finally {
    await sandbox?.close();
  }
}

async function pool(items, jobs, work) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

async function main() {
  const started = performance.now();
  const scenarios = opts.only ? SCENARIOS.filter((s) => opts.only.includes(s.name)) : SCENARIOS;
  const unknown = (opts.only ?? []).filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length || !scenarios.length) {
    console.error(`unknown scenario(s): ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
    return 2;
  }
  const pkg = join(ROOT, "pkg");
  if (opts.tarball === null && !existsSync(join(pkg, "package.json"))) {
    console.error(`${pkg} has no package.json: build it first (node scripts/build.mjs) or pass a tarball`);
    return 2;
  }
  if (opts.tarball !== null && !existsSync(opts.tarball)) {
    console.error(`no tarball at ${opts.tarball}`);
    return 2;
  }
  const scratch = mkdtempSync(join(tmpdir(), "mava-packaging-"));
  let tarball = opts.tarball;
  if (tarball === null) {
    try {
      const r = await must("npm pack", "npm", ["pack", pkg, "--pack-destination", scratch, "--silent"], { cwd: scratch });
      tarball = join(scratch, r.stdout.trim().split("\n").pop());
    } catch (e) {
      console.error(e.message);
      rmSync(scratch, { recursive: true, force: true });
      return 2;
    }
  }
  nextState.scratch = scratch;
  nextState.tarball = tarball;
  console.log(`packaging tests: ${basename(tarball)} in ${scenarios.length} scenarios, ${opts.jobs} at a time (scratch: ${scratch})`);

  // The slow scenarios (a bundler, a browser, workerd) start first; the table keeps the order above.
  const first = ["next-route-handler", "workerd", "wrangler-dev", "vite", "next-server-component", "next-client-component", "vite-dev", "webpack", "browser-esm"];
  const rank = (s) => (first.includes(s.name) ? first.indexOf(s.name) : first.length);
  const order = [...scenarios].sort((a, b) => rank(a) - rank(b));
  const byName = new Map();
  await pool(order, opts.jobs, async (s) => {
    const r = await runScenario(s, scratch, tarball);
    console.log(`${r.status} ${s.name} (${r.seconds.toFixed(1)}s) ${r.detail}`);
    byName.set(s.name, { name: s.name, ...r });
  });
  const results = scenarios.map((s) => byName.get(s.name));
  nextState.server?.stop();

  const total = (performance.now() - started) / 1000;
  const width = Math.max(...results.map((r) => r.name.length), 8);
  const line = (a, b, c, d) => `${a.padEnd(width)}  ${b.padEnd(10)}  ${c.padStart(7)}  ${d}`;
  console.log("\n" + line("scenario", "result", "time", "detail"));
  console.log(line("-".repeat(width), "-".repeat(10), "-".repeat(7), "------"));
  for (const r of results) console.log(line(r.name, r.status, `${r.seconds.toFixed(1)}s`, r.status === "PASS" ? (r.detail.split("; ")[0] ?? "") : r.detail.slice(0, 160)));
  const count = (status) => results.filter((r) => r.status === status).length;
  const ok = count("PASS") === results.length;
  console.log(`\n${count("PASS")} passed, ${count("FAIL")} failed, ${count("CANNOT-RUN")} cannot run, in ${total.toFixed(1)}s`);

  if (ok && !opts.keep) rmSync(scratch, { recursive: true, force: true });
  else console.log(`scratch projects kept in ${scratch}`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
