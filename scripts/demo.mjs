#!/usr/bin/env node
// The intake-form demo in one command: installs and builds what is missing (the tools, the
// package, the page's assets, the Worker bundle), starts the local Mava sandbox and runs the Worker (www/worker.js) inside
// workerd through Miniflare, then prints the URL to open and stays up until Ctrl-C.
//
//   node scripts/demo.mjs [--port 8788] [--host 127.0.0.1]        (or PORT=…)
//   MAVA_API_KEY=… [MAVA_BASE_URL=…] node scripts/demo.mjs          (a real Mava API, no sandbox)
//
// Tests reuse startDemo(); the CLI part below only runs when this file is invoked directly.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, lstatSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WWW = join(ROOT, "www");
const PKG = join(ROOT, "pkg");
export const DEFAULT_PORT = 8788;
export const SANDBOX_KEY = "sandbox-key-acme";

/** The compatibility date the Worker is deployed with (www/wrangler.toml), so both agree. */
function compatibilityDate() {
  const toml = readFileSync(join(WWW, "wrangler.toml"), "utf8");
  const m = /^\s*compatibility_date\s*=\s*"([^"]+)"/m.exec(toml);
  if (!m) throw new Error("www/wrangler.toml has no compatibility_date");
  return m[1];
}

/** Builds pkg/ when it is missing and links it as www's mava-sdk (what `npm install` in www/ does). */
function ensurePackage(log) {
  if (!existsSync(join(PKG, "package.json"))) {
    log("pkg/ is missing: building the package (node scripts/build.mjs) …");
    execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  }
  const link = join(WWW, "node_modules", "mava-sdk");
  let present = false;
  try {
    lstatSync(link);
    present = true;
  } catch {}
  if (!present) {
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), PKG), link, "dir");
  }
}

/** Bundles www/worker.js the way wrangler does: workerd export conditions, .wasm kept as a module. */
async function bundleWorker(outdir, sdkFrom) {
  const { build } = await import("esbuild");
  // `mava-sdk` is resolved as if imported from `sdkFrom`, so a test can use a packed install.
  const sdk = {
    name: "mava-sdk-from",
    setup(b) {
      b.onResolve({ filter: /^mava-sdk(\/.*)?$/ }, (args) =>
        args.pluginData?.direct ? undefined : b.resolve(args.path, { kind: args.kind, resolveDir: sdkFrom, pluginData: { direct: true } }),
      );
    },
  };
  await build({
    entryPoints: [join(WWW, "worker.js")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    outdir,
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    loader: { ".wasm": "copy" },
    plugins: [sdk],
    logLevel: "silent",
  });
  return join(outdir, "worker.js");
}

/**
 * Starts the demo. Without `apiKey` a sandbox is started (rate limit on) and used.
 * `sdkFrom`: the directory whose node_modules provide mava-sdk (default www/, linked to pkg/).
 * Returns `{ url, sandbox, apiKey, baseUrl, close }`; `sandbox` is null with a real API.
 */
export async function startDemo({ port = DEFAULT_PORT, host = "127.0.0.1", apiKey, baseUrl, sdkFrom, log = () => {} } = {}) {
  if (!sdkFrom) {
    ensurePackage(log);
    sdkFrom = WWW;
  }
  const { buildAssets } = await import(pathToFileURL(join(WWW, "build.mjs")).href);
  const { Miniflare } = await import("miniflare");
  const { startSandbox } = await import(pathToFileURL(join(ROOT, "tests", "sandbox", "server.mjs")).href);

  const work = mkdtempSync(join(tmpdir(), "mava-demo-"));
  // Miniflare ends the process on Ctrl-C itself (after stopping workerd); the build goes too.
  const removeWork = () => rmSync(work, { recursive: true, force: true });
  process.on("exit", removeWork);
  let sandbox = null;
  let mf = null;
  const close = async () => {
    await mf?.dispose().catch(() => {});
    mf = null;
    await sandbox?.close();
    sandbox = null;
    removeWork();
    process.off("exit", removeWork);
  };
  try {
    const assets = join(work, "assets");
    buildAssets({ outDir: assets, sdkFrom });
    const scriptPath = await bundleWorker(join(work, "worker"), sdkFrom);

    if (!apiKey) {
      sandbox = await startSandbox({ port: 0, rateLimit: { requests: 90, windowMs: 30_000 }, quiet: true });
      apiKey = SANDBOX_KEY;
      baseUrl = sandbox.url;
    }
    const bindings = { MAVA_API_KEY: apiKey };
    if (baseUrl) bindings.MAVA_BASE_URL = baseUrl;

    mf = new Miniflare({
      name: "mava-intake",
      modules: true,
      scriptPath,
      modulesRoot: dirname(scriptPath),
      modulesRules: [
        { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
        { type: "CompiledWasm", include: ["**/*.wasm"] },
      ],
      compatibilityDate: compatibilityDate(),
      cf: false,
      host,
      port,
      bindings,
      assets: {
        directory: assets,
        binding: "ASSETS",
        routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
      },
    });
    const url = String(await mf.ready);
    return { url, sandbox, apiKey, baseUrl: baseUrl ?? null, close };
  } catch (e) {
    await close();
    throw e;
  }
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (flag === "--port") out.port = value();
    else if (flag === "--host") out.host = value();
    else if (flag === "--help" || flag === "-h") out.help = true;
    else throw new Error(`unknown argument ${argv[i]} (try --help)`);
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(`usage: node scripts/demo.mjs [--port ${DEFAULT_PORT}] [--host 127.0.0.1]
  PORT=…          the port (same as --port)
  MAVA_API_KEY=…  use a real Mava API instead of the local sandbox
  MAVA_BASE_URL=… that API's base URL (default https://gateway.mava.app)`);
    return;
  }
  const port = Number(args.port ?? process.env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${args.port ?? process.env.PORT}`);
  const apiKey = process.env.MAVA_API_KEY || undefined;
  const baseUrl = process.env.MAVA_BASE_URL || undefined;
  // On a fresh machine: the wasm target, wasm-bindgen and the npm tools the build and the
  // Worker need (a second on a warm one). The demo needs no Chromium.
  execFileSync("bash", [join(ROOT, "scripts", "bootstrap.sh"), "--no-browser"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });

  // Registered before Miniflare's own handlers, which stop workerd and exit right after ours.
  let demo;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping …");
    (demo ? demo.close() : Promise.resolve()).finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    demo = await startDemo({ port, host: args.host, apiKey, baseUrl, log: (line) => console.log(line) });
  } catch (e) {
    if (/EADDRINUSE|address already in use/i.test(String(e?.stack ?? e))) {
      throw new Error(`port ${port} is in use; pick another with --port <n> or PORT=<n>`);
    }
    throw e;
  }
  const elapsed = (performance.now() / 1000).toFixed(2); // since the process started
  const api = demo.sandbox
    ? `the local Mava sandbox at ${demo.sandbox.url} (key ${SANDBOX_KEY}; tickets: ${demo.sandbox.url}/__sandbox/tickets?key=${SANDBOX_KEY})`
    : `${demo.baseUrl ?? "https://gateway.mava.app"} with MAVA_API_KEY from the environment`;
  console.log(`mava-sdk intake form demo
  open  ${demo.url}
  API   ${api}
ready in ${elapsed} s; Ctrl-C stops it`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`demo: ${e?.message ?? e}`);
    process.exit(1);
  });
}
