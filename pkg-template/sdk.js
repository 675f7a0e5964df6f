// The package's public surface, shared by every runtime entry (node.js, browser.js,
// workerd.js). Everything here is thin: the rules, requests and the whole transport (fetch,
// timeouts, retries, the rate limit) live in the wasm module (mava_sdk.js); this file turns
// the module's error objects into real Error subclasses, defines one method, builder and
// validator per call the module describes, and gives list calls a `for await` iterator — what
// wasm-bindgen can't export.
// Nothing here touches the wasm module at load time: the entry initialises it first.
import {
  Client, calls, readPage, validate as check, parseMavibotWebhook as parseWebhook,
  verifyMavaWebhook as verifyWebhook, openMavaWebhook as openWebhook,
} from "./mava_sdk.js";

export class SdkError extends Error {
  constructor(message, fields = {}) {
    super(message, fields?.cause === undefined ? undefined : { cause: fields.cause });
    const { cause, ...rest } = fields ?? {};
    Object.assign(this, rest);
    if (this.code === undefined) this.code = "SDK_ERROR";
  }

  /** `JSON.stringify(err)`: name, message, code and the data fields (a cause by its name and message). */
  toJSON() {
    const cause = this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : this.cause;
    return { name: this.name, message: this.message, ...this, ...(cause === undefined ? {} : { cause }) };
  }
}
// Each class gives its code (and ValidationError its issues) by default, for errors made by hand.
export class ValidationError extends SdkError {
  constructor(message, fields) {
    super(message, { code: "VALIDATION_ERROR", issues: [], ...fields });
  }
}
export class ApiError extends SdkError {}
export class AuthenticationError extends ApiError {
  constructor(message, fields) {
    super(message, { code: "UNAUTHORIZED", status: 401, ...fields });
  }
}
export class RateLimitError extends ApiError {
  constructor(message, fields) {
    super(message, { code: "RATE_LIMITED", status: 429, ...fields });
  }
}
export class TimeoutError extends SdkError {
  constructor(message, fields) {
    super(message, { code: "TIMEOUT", ...fields });
  }
}
export class NetworkError extends SdkError {
  constructor(message, fields) {
    super(message, { code: "NETWORK_ERROR", ...fields });
  }
}
export class AbortError extends SdkError {
  constructor(message, fields) {
    super(message, { code: "ABORTED", ...fields });
  }
}
export class WebhookError extends SdkError {
  constructor(message, fields) {
    super(message, { code: "WEBHOOK_ERROR", ...fields });
  }
}

const classes = { SdkError, ValidationError, ApiError, AuthenticationError, RateLimitError, TimeoutError, NetworkError, AbortError, WebhookError };

/** Turns an error object from the wasm module (`{ $sdk: "ApiError", … }`) into its class. */
function lift(e) {
  if (e !== null && typeof e === "object" && !(e instanceof Error) && typeof e.$sdk === "string") {
    const { $sdk, message, ...fields } = e;
    return new (classes[$sdk] ?? SdkError)(message, fields);
  }
  return e;
}

/** `promise`, rejected with the package's error class instead of the module's error object. */
function lifted(promise) {
  return promise.catch((e) => {
    throw lift(e);
  });
}

function guarded(f) {
  try {
    return f();
  } catch (e) {
    throw lift(e);
  }
}

/** The wasm module's calls of an API, as `[number, name, takesInput]`. */
function* callsOf(mava) {
  const list = calls(mava);
  for (let i = 0; i < list.length; i += 2) yield [i / 2, list[i], list[i + 1]];
}

const senders = new WeakMap();

class Base {
  /** `mava`: a Mava client, else a Mavibot one (how the wasm module names the APIs). */
  constructor(mava, options) {
    const client = guarded(() => new Client(mava, options ?? {}));
    // A call never throws synchronously: bad input rejects its promise.
    senders.set(this, (action, params, callOptions) => lifted(client.sendAction(action, params, callOptions)));
    const build = {};
    for (const [i, name, takesInput] of callsOf(mava)) {
      const send = (input, callOptions) => lifted(client.send(i, input, callOptions));
      this[name] = takesInput ? send : (callOptions) => send(undefined, callOptions);
      build[name] = (input) => guarded(() => client.build(i, input));
    }
    /** `build.<method>(input)` returns the request the method would send, without sending it. */
    this.build = Object.freeze(build);
  }
}

/**
 * Pages through a list call: fetch a page, let the wasm module (core::paging) read its items,
 * total and where the next page starts, report progress and yield the items — no extra request
 * after the last page.
 */
async function* paginate(mava, fetchPage, start, limit, options) {
  const { onProgress, signal, ...callOptions } = options ?? {};
  let position = start;
  let fetched = 0;
  for (;;) {
    if (signal?.aborted) throw new AbortError("pagination was aborted", { code: "ABORTED" });
    const { items, total, next } = readPage(mava, position, limit, await fetchPage(position, { ...callOptions, signal }));
    fetched += items.length;
    onProgress?.({ fetched, total: total ?? undefined });
    for (const item of items) {
      if (signal?.aborted) throw new AbortError("pagination was aborted", { code: "ABORTED" });
      yield item;
    }
    if (next === null) return;
    position = next;
  }
}

/** A client for the Mava support-desk API. */
export class Mava extends Base {
  constructor(options) {
    super(true, options);
  }

  /**
   * Every ticket matching `query`, page after page (`for await`); `limit` is the page size
   * (default 100). `onProgress({ fetched, total })` runs after each page.
   */
  iterateTickets(query, options) {
    const limit = query?.limit ?? 100;
    return paginate(true, (skip, o) => this.fetchTickets({ ...query, limit, skip }, o), query?.skip ?? 0, limit, options);
  }
}

/** A client for the Mavibot chatbot API: one method per action, plus `call` for others. */
export class Mavibot extends Base {
  constructor(options) {
    super(false, options);
  }

  /**
   * Every client (of `query.list`, if given), page after page through `getClients`;
   * `limit` is the page size (default 500). The API reports no total, so `total` is undefined.
   */
  iterateClients(query, options) {
    const limit = query?.limit ?? 500;
    return paginate(false, (offset, o) => this.getClients({ ...query, limit, offset }, o), query?.offset ?? 0, limit, options);
  }

  /** Calls an action the SDK doesn't name: `bot.call("get_something", { … }, { method: "GET" })`. */
  call(action, params, options) {
    return senders.get(this)(action, params ?? {}, options);
  }
}

/** Checks a Mavibot webhook payload (JSON text or object) and returns it typed, with
 *  `client.recipient` beside the service's own spelling `client.recepient`. */
export function parseMavibotWebhook(body) {
  return guarded(() => parseWebhook(body));
}

// The webhook exports hand their promise to a callback rather than return it: Node 20's V8
// aborts the process when it deoptimizes a hot caller during an inlined call of a wasm export
// that returns a reference (src/wasm/webhook.rs, `start`).

/** Whether a Mava webhook delivery (JSON text or object) is authentic for the signing key. */
export function verifyMavaWebhook(body, signingKey) {
  return lifted(new Promise((resolve) => verifyWebhook(body, signingKey, resolve)));
}

/** Verifies a Mava webhook delivery, decrypts it and resolves `{ webhookId, type, document, duplicate }`. */
export function openMavaWebhook(body, signingKey, options) {
  return lifted(new Promise((resolve) => openWebhook(body, signingKey, options, resolve)));
}

function validators(mava) {
  const out = {};
  for (const [i, name] of callsOf(mava)) out[name] = (input) => check(mava, i, input);
  return Object.freeze(out);
}

const validatorCache = {};
/** `validate.mava.<method>(input)` → `[{ path, code, message }]`, empty when valid. */
export const validate = Object.freeze({
  get mava() {
    return (validatorCache.mava ??= validators(true));
  },
  get mavibot() {
    return (validatorCache.mavibot ??= validators(false));
  },
});

// The build minifies local names; what is exported keeps its own (`err.constructor.name`,
// stack traces, `console.log(mava)`), and every error its class's as `err.name`.
for (const [name, f] of Object.entries({ ...classes, Mava, Mavibot, parseMavibotWebhook, verifyMavaWebhook, openMavaWebhook })) {
  Object.defineProperty(f, "name", { value: name, configurable: true });
  if (classes[name]) Object.defineProperty(f.prototype, "name", { value: name, writable: true, configurable: true });
}
