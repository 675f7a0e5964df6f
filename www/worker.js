// The intake form's Worker: serves the page and the package's browser files (static assets,
// `env.ASSETS`), lists the categories (`GET /api/categories`, cached for a minute) and creates
// tickets (`POST /api/tickets`) after checking everything again, whatever the browser did.
// The Mava API key lives only here (`env.MAVA_API_KEY`, a secret); no answer ever contains it.
import { Mava, ValidationError, ApiError, RateLimitError, TimeoutError, NetworkError } from "mava-sdk";
import { HONEYPOT, readFields, checkForm, toTicketInput, fieldOf, explain } from "./public/form.js";

const MAX_BODY_BYTES = 32 * 1024;
const DRAIN_BYTES = 1024 * 1024;
const CATEGORIES_TTL_MS = 60_000;
const DEFAULT_RETRY_AFTER_S = 30;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      if (url.pathname === "/api/categories") return await categories(request, env);
      if (url.pathname === "/api/tickets") return await tickets(request, env, url);
      if (url.pathname.startsWith("/api/")) return json(404, { error: "Not found" });
      return await asset(request, env);
    } catch (e) {
      // Only a bug gets here (bad input is answered above); the error itself stays in the log.
      console.error("intake worker:", e?.name, e?.message);
      return json(500, { error: "Internal error" });
    }
  },
};

function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff", ...headers },
  });
}

const methodNotAllowed = (allow) => json(405, { error: "Method not allowed" }, { allow });

// One client per isolate and configuration. The SDK's own client-side limiter is off: isolates
// are many, so Mava's 429 (turned into ours, with Retry-After) is the one that counts.
let client = null;
function mava(env) {
  if (!env.MAVA_API_KEY) return null;
  const config = `${env.MAVA_API_KEY}\n${env.MAVA_BASE_URL ?? ""}`;
  if (client?.config !== config) {
    const options = { apiKey: env.MAVA_API_KEY, timeoutMs: 10_000, maxRetries: 1, maxRetryAfterMs: 2_000, rateLimit: false };
    if (env.MAVA_BASE_URL) options.baseUrl = env.MAVA_BASE_URL;
    client = { config, mava: new Mava(options), categories: null };
  }
  return client;
}

const notConfigured = () => json(503, { error: "The form is not configured yet (MAVA_API_KEY is missing)" });

/** The categories, from memory for a minute; a failed load is not kept. */
function loadCategories(c) {
  const now = Date.now();
  if (!c.categories || c.categories.expires <= now) {
    const promise = c.mava.getCategories().then(({ categories }) =>
      categories.map((cat) => ({ id: String(cat._id), name: String(cat.name) })),
    );
    const entry = { expires: now + CATEGORIES_TTL_MS, promise };
    c.categories = entry;
    promise.catch(() => {
      if (c.categories === entry) c.categories = null;
    });
  }
  return c.categories.promise;
}

async function categories(request, env) {
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET, HEAD");
  const c = mava(env);
  if (!c) return notConfigured();
  try {
    const list = await loadCategories(c);
    return json(200, { categories: list }, { "cache-control": "private, max-age=60" });
  } catch (e) {
    return upstreamError(e);
  }
}

/** Mava's failures, as the browser should see them: 429 with Retry-After, else 502. */
function upstreamError(e) {
  if (e instanceof RateLimitError) {
    const seconds = retryAfterSeconds(e);
    return json(429, { error: "Too many requests", retryAfter: seconds }, { "retry-after": String(seconds) });
  }
  if (e instanceof ApiError || e instanceof TimeoutError || e instanceof NetworkError) {
    console.error("intake worker: Mava failed:", e.name, e.code, e.status ?? "");
    const reason = e instanceof TimeoutError ? "did not answer in time" : e instanceof NetworkError ? "could not be reached" : "failed";
    return json(502, { error: `The support desk ${reason}`, code: e.code });
  }
  throw e;
}

function retryAfterSeconds(e) {
  if (Number.isFinite(e.retryAfterMs) && e.retryAfterMs > 0) return Math.max(1, Math.ceil(e.retryAfterMs / 1000));
  const header = e.headers?.["retry-after"];
  if (header !== undefined) {
    const n = Number(header);
    if (Number.isFinite(n) && n >= 0) return Math.max(1, Math.ceil(n));
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(1, Math.ceil((at - Date.now()) / 1000));
  }
  return DEFAULT_RETRY_AFTER_S;
}

async function tickets(request, env, url) {
  if (request.method !== "POST") return methodNotAllowed("POST");
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== url.origin) return json(403, { error: "Cross-origin requests are not allowed" });
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") return json(415, { error: "The body must be application/json" });

  const text = await readCapped(request, MAX_BODY_BYTES);
  if (text === null) return json(413, { error: `The body must be at most ${MAX_BODY_BYTES / 1024} KB` });
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return json(400, { error: "The body is not valid JSON" });
  }

  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return json(400, { error: "The body must be a JSON object of form fields" });
  }
  const { values, issues } = readFields(data);
  if (values[HONEYPOT] !== "") return json(400, { error: "The request was rejected" });
  issues.push(...checkForm(values));
  if (issues.length) return json(400, { error: "The form has problems", issues });

  const c = mava(env);
  if (!c) return notConfigured();
  const input = toTicketInput(values);
  if (input.category) {
    // Only the categories the page offers; a forged or archived id is the sender's mistake.
    const known = await loadCategories(c).catch(() => null);
    if (known && !known.some((cat) => cat.id === input.category)) {
      return json(400, { error: "The form has problems", issues: [categoryIssue()] });
    }
  }
  try {
    const ticket = await c.mava.createTicket(input);
    return json(201, { id: String(ticket._id) });
  } catch (e) {
    if (e instanceof ValidationError) {
      return json(400, { error: "The form has problems", issues: (e.issues ?? []).map((i) => ({ field: fieldOf(i.path), path: i.path, code: i.code, message: explain(fieldOf(i.path), i) })) });
    }
    if (e instanceof ApiError && e.code === "CATEGORY_NOT_FOUND") {
      return json(400, { error: "The form has problems", issues: [categoryIssue()] });
    }
    return upstreamError(e);
  }
}

const categoryIssue = () => ({ field: "category", path: "category", code: "CATEGORY_NOT_FOUND", message: "Choose a category from the list." });

/**
 * The body as text, or null when it is longer than `max` bytes (declared or actual). The rest
 * of an oversized body is read and dropped (up to DRAIN_BYTES) so that the client, still
 * sending, gets the 413 rather than a reset connection.
 */
async function readCapped(request, max) {
  const declared = Number(request.headers.get("content-length"));
  if (!request.body) return "";
  const reader = request.body.getReader();
  if (Number.isFinite(declared) && declared > max) {
    await drain(reader, declared <= DRAIN_BYTES ? 0 : Infinity);
    return null;
  }
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await drain(reader, size);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

async function drain(reader, seen) {
  try {
    while (seen <= DRAIN_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
    }
    await reader.cancel();
  } catch {}
}

// ---- static assets ---------------------------------------------------------------------------

async function asset(request, env) {
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET, HEAD");
  const res = await env.ASSETS.fetch(request);
  const headers = new Headers(res.headers);
  headers.set("x-content-type-options", "nosniff");
  headers.set("referrer-policy", "no-referrer");
  if (!(headers.get("content-type") ?? "").startsWith("text/html") || request.method === "HEAD") {
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  }
  const html = await res.text();
  headers.set("content-security-policy", await contentSecurityPolicy(html));
  headers.set("x-frame-options", "DENY");
  headers.delete("content-length");
  return new Response(html, { status: res.status, statusText: res.statusText, headers });
}

// The page's only inline script is its import map; it is allowed by its hash, computed from
// the page as served so that editing the page can't silently break it.
const policies = new Map();
async function contentSecurityPolicy(html) {
  let policy = policies.get(html);
  if (!policy) {
    const hashes = [];
    for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      if (/\bsrc\s*=/.test(attrs)) continue;
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
      hashes.push(`'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
    }
    policy = [
      "default-src 'none'",
      `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`.trim(),
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join("; ");
    if (policies.size > 8) policies.clear();
    policies.set(html, policy);
  }
  return policy;
}
