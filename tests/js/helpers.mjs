// Shared by the package tests: a sandbox per test file and helpers to read what it received.
import { before, after, beforeEach } from "node:test";
import { startSandbox } from "../sandbox/server.mjs";

export const KEY = "sandbox-key-acme";
export const OTHER_KEY = "sandbox-key-globex";

/** Starts a sandbox for the current test file; `ctx.url` is ready inside tests. */
export function useSandbox(options = {}) {
  const ctx = { url: "", sandbox: null };
  before(async () => {
    ctx.sandbox = await startSandbox({ port: 0, quiet: true, ...options });
    ctx.url = ctx.sandbox.url;
  });
  after(async () => ctx.sandbox?.close());
  beforeEach(async () => control(ctx, "POST", "/__sandbox/reset"));
  return ctx;
}

export async function control(ctx, method, path, body) {
  const send = () => fetch(ctx.url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // After a test that kept the event loop busy for seconds, the kept-alive socket may have been
  // closed under the request: send once more on a new one.
  const res = await send().catch((e) => (e.cause?.code === "ECONNRESET" ? send() : Promise.reject(e)));
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox control ${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The API requests the sandbox received since the last reset. */
export async function received(ctx) {
  return (await control(ctx, "GET", "/__sandbox/requests")).requests;
}

export async function tickets(ctx, key = KEY) {
  return (await control(ctx, "GET", `/__sandbox/tickets?key=${encodeURIComponent(key)}`)).tickets;
}

export async function fault(ctx, spec) {
  return control(ctx, "POST", "/__sandbox/faults", spec);
}
