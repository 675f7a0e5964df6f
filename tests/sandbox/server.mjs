/**
 * The sandbox: a local HTTP server that stands in for the real Mava API.
 *
 *   import { startSandbox } from './tests/sandbox/server.mjs';
 *   const sandbox = await startSandbox({ rateLimit: { requests: 90, windowMs: 30000 } });
 *   // … point the SDK at sandbox.url, keys 'sandbox-key-acme' / 'sandbox-key-globex' …
 *   await sandbox.close();
 *
 * This file is product-neutral: it owns the HTTP server, CORS, the request log, the per-key
 * sliding-window rate limiter, fault injection (faults.mjs) and the control API under
 * `/__sandbox/`. Product modules (mava.mjs on `/api/`, mavibot.mjs on `/mavibot/`) are mounted
 * by path prefix in `createModules` and see only authenticated, parsed requests.
 *
 * Order of processing for a product request:
 *   OPTIONS preflight (204, never logged or limited)
 *   → log entry → authenticate (401, no fault consumed, not counted)
 *   → take a queued fault → answer-replacing faults answer here (not counted)
 *   → rate limit (429, not counted) → module handler → delay / drop-after-body → answer.
 */

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createMava } from './mava.mjs';
import { createMavibot } from './mavibot.mjs';
import { createFaultQueue, faultReplacesAnswer, writeFaultResponse, FaultSpecError } from './faults.mjs';

const DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  rateLimit: { requests: 90, windowMs: 30000 },
  mavibotRateLimit: false,
  tickets: 250,
  seed: 1,
  quiet: true,
  log: (line) => process.stderr.write(`${line}\n`),
  logLimit: 10000,
  maxBodyBytes: 10 * 1024 * 1024,
};

const CORS_HEADERS = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Retry-After',
});
const PREFLIGHT_HEADERS = Object.freeze({
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type, x-auth-token',
  'access-control-max-age': '600',
});
const CONTROL_PREFIX = '/__sandbox/';

/**
 * Product modules, each owning a path prefix. A module provides
 * `authenticate({ headers, path }) → { key, tenant } | null`,
 * `unauthorized({ headers, path }) → { status, body }`,
 * `handle(ctx) → { status, body, headers?, log? }` (`log` is stored on the request-log entry under
 * the module's name), `reset(options)` and optionally
 * `control(method, path, query) → { status, body } | null` for extra `/__sandbox/` routes,
 * `errorBody(message)` (the body shape of the server's own 413 / 429 / 500 answers) and
 * `rateLimitSetting` (the config entry holding its rate limit; default `rateLimit`).
 */
function createModules(options) {
  return [
    createMava({ seed: options.seed, tickets: options.tickets }),
    // Mavibot: SDK baseUrl `${sandbox.url}/mavibot`, requests arrive as `/mavibot/api/{key}/{action}`.
    createMavibot({ seed: options.seed }),
  ];
}

/**
 * Starts the sandbox. Options: port (0 = random), host, rateLimit ({ requests, windowMs } or
 * false; Mava only), mavibotRateLimit (same shape, default false: Mavibot documents no limit),
 * tickets (seeded per tenant), seed, quiet (default true; when false one line per API request
 * goes to `log`), log (line → void), logLimit (max kept log entries).
 * Resolves to { url, port, close(), state }.
 */
export async function startSandbox(options = {}) {
  const settings = normalizeOptions(options);
  const state = createState(settings);
  const sockets = new Set();
  const timers = new Set();

  const server = http.createServer((req, res) => {
    handleRequest(req, res, state, timers).catch((error) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: 'Internal server error', detail: String(error?.message ?? error) });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  const url = `http://${urlHost(settings.host)}:${port}`;

  let closing = null;
  function close() {
    closing ??= new Promise((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  }
  return { url, port, close, state };
}

function normalizeOptions(options) {
  const settings = { ...DEFAULTS, ...options };
  settings.rateLimit = normalizeRateLimit(options.rateLimit === undefined ? DEFAULTS.rateLimit : options.rateLimit);
  settings.mavibotRateLimit = normalizeRateLimit(options.mavibotRateLimit === undefined ? DEFAULTS.mavibotRateLimit : options.mavibotRateLimit);
  if (!Number.isInteger(settings.tickets) || settings.tickets < 0) throw new TypeError('tickets must be an integer >= 0');
  if (!Number.isInteger(settings.seed)) throw new TypeError('seed must be an integer');
  return settings;
}

/** `false` or `{ requests, windowMs }` with positive integers; throws TypeError otherwise. */
function normalizeRateLimit(value) {
  if (value === false) return false;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('rateLimit must be false or { requests, windowMs }');
  }
  const { requests, windowMs } = value;
  if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(windowMs) || windowMs < 1) {
    throw new TypeError('rateLimit.requests and rateLimit.windowMs must be positive integers');
  }
  return { requests, windowMs };
}

function urlHost(host) {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

// ---------------------------------------------------------------------------------------------
// State: modules, config, log, faults, rate limiter
// ---------------------------------------------------------------------------------------------

function createState(settings) {
  const modules = createModules(settings);
  const state = {
    settings,
    config: { rateLimit: settings.rateLimit, mavibotRateLimit: settings.mavibotRateLimit },
    modules,
    mava: modules.find((module) => module.name === 'mava'),
    mavibot: modules.find((module) => module.name === 'mavibot'),
    log: createRequestLog(settings.logLimit),
    faults: createFaultQueue(),
    rateLimiter: createRateLimiter(),
    /** Log entries, oldest first. */
    get requests() {
      return state.log.entries;
    },
    reset(options = {}) {
      for (const module of modules) module.reset(options);
      state.log.clear();
      state.faults.clear();
      state.rateLimiter.clear();
      state.config.rateLimit = settings.rateLimit;
      state.config.mavibotRateLimit = settings.mavibotRateLimit;
    },
  };
  return state;
}

function createRequestLog(limit) {
  let seq = 0;
  const log = {
    entries: [],
    add(fields) {
      const entry = { seq: ++seq, time: Date.now(), ...fields };
      log.entries.push(entry);
      if (log.entries.length > limit) log.entries.splice(0, log.entries.length - limit);
      return entry;
    },
    clear() {
      log.entries.length = 0;
    },
  };
  return log;
}

/**
 * Sliding window per key: at most `requests` accepted requests in any `windowMs`. Only accepted
 * requests are recorded, so 429s do not extend the wait.
 */
function createRateLimiter() {
  const windows = new Map();
  return {
    /** Returns null when accepted (and records it), else the Retry-After seconds. */
    check(key, config) {
      if (!config) return null;
      const now = performance.now();
      let times = windows.get(key);
      if (!times) windows.set(key, (times = []));
      while (times.length && times[0] + config.windowMs <= now) times.shift();
      if (times.length >= config.requests) {
        return Math.max(1, Math.ceil((times[0] + config.windowMs - now) / 1000));
      }
      times.push(now);
      return null;
    },
    clear() {
      windows.clear();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Request handling
// ---------------------------------------------------------------------------------------------

function splitUrl(rawUrl) {
  const index = rawUrl.indexOf('?');
  return index < 0
    ? { path: rawUrl, rawQuery: '' }
    : { path: rawUrl.slice(0, index), rawQuery: rawUrl.slice(index + 1) };
}

/** `{ name: [values in order] }`; names such as `toString` or `__proto__` become plain own keys. */
function queryObject(params) {
  const out = {};
  for (const [key, value] of params) {
    if (Object.hasOwn(out, key)) out[key].push(value);
    else Object.defineProperty(out, key, { value: [value], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

async function handleRequest(req, res, state, timers) {
  const { path, rawQuery } = splitUrl(req.url);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, PREFLIGHT_HEADERS);
    res.end();
    return;
  }
  if (path.startsWith(CONTROL_PREFIX) || path === '/__sandbox') {
    await handleControl(req, res, state, path, new URLSearchParams(rawQuery));
    return;
  }
  await handleApi(req, res, state, timers, path, rawQuery);
}

async function handleApi(req, res, state, timers, path, rawQuery) {
  const started = performance.now();
  const method = req.method;
  const query = new URLSearchParams(rawQuery);
  const entry = state.log.add({
    method,
    path,
    query: queryObject(query),
    rawQuery,
    headers: { ...req.headers },
    bodyText: null,
    json: null,
    status: null,
    fault: null,
    durationMs: null,
  });
  const finish = (status) => {
    entry.status = status;
    entry.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    if (!state.settings.quiet) {
      state.settings.log(`${method} ${path}${rawQuery ? `?${rawQuery}` : ''} → ${status}${entry.fault ? ` [fault ${entry.fault}]` : ''}`);
    }
  };
  const answer = (result) => {
    sendJson(res, result.status, result.body, result.headers);
    finish(result.status);
  };

  const module = state.modules.find((candidate) => path.startsWith(candidate.prefix));
  const errorBody = (message) => module?.errorBody?.(message) ?? { error: message };
  if (!module) {
    await readBodyInto(req, entry, state.settings.maxBodyBytes);
    return answer({ status: 404, body: { error: 'Not found' } });
  }
  const auth = module.authenticate({ headers: req.headers, path });
  if (!auth) {
    await readBodyInto(req, entry, state.settings.maxBodyBytes);
    return answer(module.unauthorized({ headers: req.headers, path }));
  }

  const fault = state.faults.take(method, path);
  entry.fault = fault?.kind ?? null;
  if (fault?.kind === 'drop-before-body') {
    req.socket.destroy();
    return finish('drop');
  }
  const tooLarge = await readBodyInto(req, entry, state.settings.maxBodyBytes);
  if (fault && faultReplacesAnswer(fault)) return finish(writeFaultResponse(fault, res, CORS_HEADERS));
  if (tooLarge) return answer({ status: 413, body: errorBody('Payload too large') });

  const limit = state.config[module.rateLimitSetting ?? 'rateLimit'];
  const retryAfter = state.rateLimiter.check(`${module.name}\u0000${auth.key}`, limit);
  if (retryAfter !== null) {
    return answer({ status: 429, body: errorBody('Too many requests'), headers: { 'retry-after': String(retryAfter) } });
  }

  const result = await runHandler(module, {
    method,
    path,
    query,
    headers: req.headers,
    bodyText: entry.bodyText,
    key: auth.key,
    tenant: auth.tenant,
  });
  if (result.log !== undefined) entry[module.name] = result.log;
  if (fault?.kind === 'drop-after-body') {
    req.socket.destroy();
    return finish('drop');
  }
  if (fault?.kind === 'delay') await sleep(fault.ms, timers);
  if (res.destroyed) return finish(result.status);
  return answer(result);
}

/** Runs a module handler; a bug in it becomes a logged 500 instead of a dead connection. */
async function runHandler(module, ctx) {
  try {
    return await module.handle(ctx);
  } catch (error) {
    process.stderr.write(`[sandbox] ${module.name} handler failed: ${error?.stack ?? error}\n`);
    return { status: 500, body: module.errorBody?.('Internal server error') ?? { error: 'Internal server error' } };
  }
}

/** Reads the whole body as UTF-8 into the log entry; returns true when it exceeded `maxBytes`. */
async function readBodyInto(req, entry, maxBytes) {
  const chunks = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > maxBytes) tooLarge = true;
    else chunks.push(chunk);
  }
  entry.bodyText = tooLarge ? null : Buffer.concat(chunks).toString('utf8');
  entry.json = tryParseJson(entry.bodyText);
  return tooLarge;
}

function tryParseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function sleep(ms, timers) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

function sendJson(res, status, body, headers = {}) {
  const text = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...CORS_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(text.length),
  });
  res.end(text);
}

// ---------------------------------------------------------------------------------------------
// Control API (/__sandbox/…): no auth, no rate limit, not logged
// ---------------------------------------------------------------------------------------------

async function handleControl(req, res, state, path, query) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  let body;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    return sendJson(res, 400, { error: 'Malformed JSON body' });
  }
  const result = controlRoute(state, req.method, path, query, body);
  sendJson(res, result.status, result.body);
}

function controlRoute(state, method, path, query, body) {
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /__sandbox/requests':
      return ok({ requests: state.log.entries });
    case 'DELETE /__sandbox/requests':
      state.log.clear();
      return ok({ ok: true });
    case 'POST /__sandbox/reset':
      return resetRoute(state, body);
    case 'GET /__sandbox/config':
      return ok({ rateLimit: state.config.rateLimit });
    case 'POST /__sandbox/config':
      return configRoute(state, body);
    case 'GET /__sandbox/mavibot/config':
      return ok({ rateLimit: state.config.mavibotRateLimit });
    case 'POST /__sandbox/mavibot/config':
      return configRoute(state, body, 'mavibotRateLimit');
    case 'GET /__sandbox/faults':
      return ok({ faults: state.faults.list() });
    case 'POST /__sandbox/faults':
      return faultRoute(state, body);
    case 'DELETE /__sandbox/faults':
      state.faults.clear();
      return ok({ ok: true });
    default:
      for (const module of state.modules) {
        const result = module.control?.(method, path, query);
        if (result) return result;
      }
      return { status: 404, body: { error: `Unknown control route ${route}` } };
  }
}

function ok(body) {
  return { status: 200, body };
}

function resetRoute(state, body = {}) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { status: 400, body: { error: 'body must be an object' } };
  const options = {};
  if (body.seed !== undefined) {
    if (!Number.isInteger(body.seed)) return { status: 400, body: { error: 'seed must be an integer' } };
    options.seed = body.seed;
  }
  if (body.tickets !== undefined) {
    if (!Number.isInteger(body.tickets) || body.tickets < 0) return { status: 400, body: { error: 'tickets must be an integer >= 0' } };
    options.tickets = body.tickets;
  }
  state.reset(options);
  return ok({ ok: true });
}

/** Sets `state.config[setting]` (`rateLimit` for Mava, `mavibotRateLimit` for Mavibot) from `{ rateLimit }`. */
function configRoute(state, body, setting = 'rateLimit') {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('rateLimit' in body)) {
    return { status: 400, body: { error: 'body must be { "rateLimit": { "requests", "windowMs" } | false }' } };
  }
  try {
    state.config[setting] = normalizeRateLimit(body.rateLimit);
  } catch (error) {
    return { status: 400, body: { error: error.message } };
  }
  state.rateLimiter.clear();
  return ok({ ok: true, rateLimit: state.config[setting] });
}

function faultRoute(state, body) {
  try {
    return ok({ ok: true, fault: state.faults.add(body) });
  } catch (error) {
    if (error instanceof FaultSpecError) return { status: 400, body: { error: error.message } };
    throw error;
  }
}
