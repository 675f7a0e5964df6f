// Shared by the demo tests: the packed mava-sdk installed in a scratch directory (the form and
// the Worker run against the package as published, not the source tree), the demo itself
// (scripts/demo.mjs → the Worker in workerd + the sandbox), sandbox helpers and Chromium.
import { before, after, beforeEach } from "node:test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { startDemo } from "../../scripts/demo.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, "..", "..");
export const ARTIFACTS = join(ROOT, "tests", "artifacts");
export const KEY = "sandbox-key-acme";
const PKG = join(ROOT, "pkg");

/** Waits while pkg/ is being rebuilt (build.mjs deletes it first and writes size.json last). */
async function waitForPackage() {
  for (let i = 0; i < 600; i++) {
    if (existsSync(join(PKG, "package.json")) && existsSync(join(PKG, "size.json"))) return;
    await sleep(500);
  }
  throw new Error("pkg/ is missing: run `node scripts/build.mjs`");
}

/** `npm pack pkg/` and installs the tarball into tests/demo/.scratch/<name>; returns that directory. */
export async function installPackedSdk(name) {
  const dir = join(HERE, ".scratch", name);
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    await waitForPackage();
    try {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
      const npm = (args) => execFileSync("npm", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      const tgz = npm(["pack", PKG, "--pack-destination", dir, "--silent"]).trim().split("\n").pop();
      npm(["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--offline", join(dir, tgz)]);
      if (existsSync(join(dir, "node_modules", "mava-sdk", "package.json"))) return dir;
      throw new Error("the packed mava-sdk did not install");
    } catch (e) {
      lastError = e; // pkg/ may have been rebuilt under us; try again
      await sleep(1000);
    }
  }
  throw lastError;
}

/** Starts the demo (packed SDK, sandbox with its rate limit on) for the current test file. */
export function useDemo(name) {
  const ctx = { url: "", sandboxUrl: "", demo: null };
  before(async () => {
    const sdkFrom = await installPackedSdk(name);
    ctx.demo = await startDemo({ port: 0, sdkFrom });
    ctx.url = ctx.demo.url;
    ctx.sandboxUrl = ctx.demo.sandbox.url;
  });
  after(async () => {
    await ctx.demo?.close();
  });
  beforeEach(async () => {
    await control(ctx, "POST", "/__sandbox/reset");
  });
  return ctx;
}

export async function control(ctx, method, path, body) {
  const res = await fetch(ctx.sandboxUrl + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox control ${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The API requests the sandbox received since the last reset, as "METHOD /path". */
export async function received(ctx) {
  return (await control(ctx, "GET", "/__sandbox/requests")).requests.map((r) => `${r.method} ${r.path}`);
}

export async function sandboxTickets(ctx) {
  return (await control(ctx, "GET", `/__sandbox/tickets?key=${KEY}`)).tickets;
}

export async function activeCategories(ctx) {
  const { tenants } = await control(ctx, "GET", "/__sandbox/tenants");
  const acme = tenants.find((t) => t.key === KEY);
  return acme.categories.filter((c) => !c.isArchived);
}

/** The stored customer (with name and wallet, which the ticket's own shape leaves out). */
export async function sandboxCustomer(ctx, id) {
  const { tenants } = await control(ctx, "GET", "/__sandbox/tenants");
  return tenants.find((t) => t.key === KEY).customers.find((c) => c._id === id);
}

export async function fault(ctx, spec) {
  return control(ctx, "POST", "/__sandbox/faults", spec);
}

/** Debian's Chromium through playwright-core, with the flags the closed network needs. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
