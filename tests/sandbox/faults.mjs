/**
 * Fault injection for the sandbox.
 *
 * A test queues a fault through `POST /__sandbox/faults`; the next `count` API requests that
 * match (`match.method`, `match.path`) are disturbed in the chosen way. Faults are taken in the
 * order they were queued. Authentication is checked first, so a 401 request never consumes a
 * fault.
 *
 * Kinds (see README.md for the options of each):
 *   status            answer `status` with an optional Retry-After header and JSON body
 *   hang              read the request, never answer
 *   delay             process the request at once, hold the answer for `ms`
 *   drop-before-body  destroy the socket before reading the body; nothing is processed
 *   drop-after-body   read and process the request, then destroy the socket without answering
 *   malformed-json    answer 200 application/json with a truncated JSON document
 *   html              answer `status` (default 502) with a text/html error page
 *   empty             answer `status` (default 200) with an empty body
 *
 * "Answer-replacing" kinds (status, hang, drop-before-body, malformed-json, html, empty) skip the
 * rate limiter and the request handler entirely. "Wrapping" kinds (delay, drop-after-body) let the
 * request be rate-limited and processed normally and only change how the answer is delivered.
 */

export const FAULT_KINDS = Object.freeze([
  'status', 'hang', 'delay', 'drop-before-body', 'drop-after-body', 'malformed-json', 'html', 'empty',
]);

const REPLACING_KINDS = new Set(['status', 'hang', 'drop-before-body', 'malformed-json', 'html', 'empty']);

/** Options each kind accepts besides `kind`, `count` and `match`. */
const KIND_OPTIONS = {
  status: ['status', 'retryAfter', 'body'],
  hang: [],
  delay: ['ms'],
  'drop-before-body': [],
  'drop-after-body': [],
  'malformed-json': ['status'],
  html: ['status', 'retryAfter'],
  empty: ['status', 'retryAfter'],
};

const DEFAULT_STATUS = { status: 500, 'malformed-json': 200, html: 502, empty: 200 };
const MAX_DELAY_MS = 10 * 60 * 1000;

/** Thrown by `normalizeFault` for an invalid fault description; the message says why. */
export class FaultSpecError extends Error {}

/** True when the fault decides the answer by itself (no rate limiting, no processing). */
export function faultReplacesAnswer(fault) {
  return REPLACING_KINDS.has(fault.kind);
}

/** Validates a fault description from the control API and fills in defaults. */
export function normalizeFault(spec) {
  if (!isPlainObject(spec)) throw new FaultSpecError('fault must be a JSON object');
  const { kind } = spec;
  if (!FAULT_KINDS.includes(kind)) {
    throw new FaultSpecError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const allowed = new Set(['kind', 'count', 'match', ...KIND_OPTIONS[kind]]);
  const unknown = Object.keys(spec).filter((key) => !allowed.has(key));
  if (unknown.length) throw new FaultSpecError(`option(s) not allowed for kind ${kind}: ${unknown.join(', ')}`);

  const fault = { kind, count: 1, match: normalizeMatch(spec.match) };
  if (spec.count !== undefined) {
    if (!Number.isInteger(spec.count) || spec.count < 1) throw new FaultSpecError('count must be an integer >= 1');
    fault.count = spec.count;
  }
  if (kind in DEFAULT_STATUS) fault.status = normalizeStatus(spec.status, DEFAULT_STATUS[kind]);
  if (spec.retryAfter !== undefined) {
    if (typeof spec.retryAfter !== 'string' || spec.retryAfter === '') {
      throw new FaultSpecError('retryAfter must be a non-empty string (sent verbatim as Retry-After)');
    }
    fault.retryAfter = spec.retryAfter;
  }
  if (kind === 'status') fault.body = spec.body === undefined ? defaultStatusBody(fault.status) : spec.body;
  if (kind === 'delay') {
    if (typeof spec.ms !== 'number' || !Number.isFinite(spec.ms) || spec.ms < 0 || spec.ms > MAX_DELAY_MS) {
      throw new FaultSpecError(`ms must be a number between 0 and ${MAX_DELAY_MS}`);
    }
    fault.ms = spec.ms;
  }
  return fault;
}

function normalizeMatch(match) {
  if (match === undefined || match === null) return {};
  if (!isPlainObject(match)) throw new FaultSpecError('match must be an object');
  const unknown = Object.keys(match).filter((key) => key !== 'method' && key !== 'path');
  if (unknown.length) throw new FaultSpecError(`unknown match field(s): ${unknown.join(', ')}`);
  const out = {};
  for (const key of ['method', 'path']) {
    if (match[key] === undefined) continue;
    if (typeof match[key] !== 'string' || match[key] === '') throw new FaultSpecError(`match.${key} must be a non-empty string`);
    out[key] = key === 'method' ? match[key].toUpperCase() : match[key];
  }
  return out;
}

function normalizeStatus(status, fallback) {
  if (status === undefined) return fallback;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new FaultSpecError('status must be an integer between 200 and 599');
  }
  return status;
}

function defaultStatusBody(status) {
  if (status === 429) return { error: 'Too many requests' };
  if (status === 401) return { error: 'Unauthorized' };
  if (status >= 500) return { error: 'INTERNAL_ERROR' };
  return { error: `HTTP_${status}` };
}

/** `match.path` is an exact path, or a prefix when it ends with `*`. */
function matches(fault, method, path) {
  const { match } = fault;
  if (match.method && match.method !== method) return false;
  if (match.path) {
    if (match.path.endsWith('*')) return path.startsWith(match.path.slice(0, -1));
    return path === match.path;
  }
  return true;
}

/** FIFO queue of pending faults. */
export function createFaultQueue() {
  let pending = [];
  let nextId = 1;
  return {
    /** Validates and queues a fault; returns the stored fault (with its id). */
    add(spec) {
      const fault = { id: nextId++, ...normalizeFault(spec) };
      pending.push(fault);
      return { ...fault };
    },
    /** Consumes one use of the first fault matching this request; returns a copy or null. */
    take(method, path) {
      const index = pending.findIndex((fault) => matches(fault, method, path));
      if (index < 0) return null;
      const fault = pending[index];
      fault.count -= 1;
      if (fault.count === 0) pending.splice(index, 1);
      return { ...fault };
    },
    list() {
      return pending.map((fault) => ({ ...fault }));
    },
    clear() {
      pending = [];
    },
  };
}

const TRUNCATED_JSON = '{"tickets":[{"_id":"6650a1b2c3d4e5f678901234","status":"Op';
const HTML_PAGE = (status) =>
  `<!DOCTYPE html>\n<html><head><title>${status} Error</title></head>` +
  `<body><h1>${status} Error</h1><p>The upstream server is unavailable (sandbox fault).</p></body></html>\n`;

/**
 * Writes the answer of an answer-replacing fault (except drop-before-body, which the server
 * handles before reading the body). Returns what goes into the request log's `status`.
 */
export function writeFaultResponse(fault, res, baseHeaders) {
  const headers = { ...baseHeaders };
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  switch (fault.kind) {
    case 'hang':
      return 'hang';
    case 'status':
      return finish(res, fault.status, { ...headers, 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(fault.body));
    case 'malformed-json':
      return finish(res, fault.status, { ...headers, 'content-type': 'application/json; charset=utf-8' }, TRUNCATED_JSON);
    case 'html':
      return finish(res, fault.status, { ...headers, 'content-type': 'text/html; charset=utf-8' }, HTML_PAGE(fault.status));
    case 'empty':
      return finish(res, fault.status, { ...headers, 'content-type': 'application/json; charset=utf-8' }, '');
    default:
      throw new Error(`fault kind ${fault.kind} does not replace the answer`);
  }
}

function finish(res, status, headers, text) {
  if (status === 204 || status === 304) {
    // These statuses cannot carry a body.
    delete headers['content-type'];
    res.writeHead(status, headers);
    res.end();
    return status;
  }
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
  return status;
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
