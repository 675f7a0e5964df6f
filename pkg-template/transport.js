// The I/O of a call: the rate-limit queue, fetch, the per-attempt timeout, the caller's abort
// and the waits between attempts. Nothing here decides anything: the wasm module's Exchange
// says which request to send, what a response means, which error a call ends with, whether
// and when to try again; its Window says when a rate-limit slot frees.
import { Window } from "./mava_sdk.js";

// Why an attempt got no response (src/wasm/exchange.rs, `failure`).
const TIMEOUT = 0;
const ABORTED = 1;
const NETWORK = 2;
const STORE = 3;

class Failure {
  constructor(kind, cause) {
    this.kind = kind;
    this.cause = cause;
  }
}

/** Runs an exchange's attempts; resolves to the body or rejects with the wasm error object. */
export async function run(exchange, fetchFn, gate, signal) {
  try {
    for (;;) {
      const { timeoutMs, ...request } = exchange.next();
      let error;
      try {
        await gate?.acquire(signal).catch((cause) => {
          throw new Failure(signal?.aborted ? ABORTED : STORE, cause);
        });
        const [status, headers, text] = await attempt(request, fetchFn, timeoutMs, signal);
        return exchange.reply(status, headers, text);
      } catch (e) {
        error = e instanceof Failure ? exchange.failed(e.kind, e.cause) : e;
      }
      const { $retryMs, $pauseMs } = error;
      if ($pauseMs !== undefined) gate?.pause($pauseMs);
      if ($retryMs === undefined) throw error;
      if (!(await sleep($retryMs, signal))) throw exchange.failed(ABORTED);
    }
  } finally {
    exchange.free();
  }
}

/** One attempt: `[status, headers, text]`, or a thrown Failure. */
async function attempt(request, fetchFn, timeoutMs, signal) {
  if (signal?.aborted) throw new Failure(ABORTED);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forward = () => controller.abort();
  signal?.addEventListener("abort", forward);
  try {
    let req;
    try {
      req = new Request(request.url, { ...request, signal: controller.signal });
    } catch {
      // Its own text could quote the URL, which holds a Mavibot key.
      throw new TypeError("the request could not be built (URL or header rejected)");
    }
    // A fetch (the caller's own, a stub) or a body that ignores the signal must still not
    // outlive the timeout or the caller's abort: both race it.
    const response = await unlessAborted((fetchFn ?? globalThis.fetch)(req), controller.signal);
    if (!(response instanceof Response)) throw new TypeError("fetch returned something that is not a Response");
    const text = await unlessAborted(response.text(), controller.signal);
    return [response.status, Object.fromEntries(response.headers), text];
  } catch (cause) {
    throw new Failure(timedOut ? TIMEOUT : signal?.aborted ? ABORTED : NETWORK, cause);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forward);
  }
}

/** `promise`, or a rejection as soon as `signal` aborts. */
function unlessAborted(promise, signal) {
  if (!signal) return promise;
  let stop;
  const aborted = new Promise((_, reject) => {
    stop = () => reject(signal.reason);
    if (signal.aborted) stop();
    signal.addEventListener("abort", stop);
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener("abort", stop));
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve(!signal?.aborted);
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}

// The rate-limit queues of this isolate, one per base URL, key fingerprint and limit, so
// clients that share them share one window.
const queues = new Map();

/**
 * How a client waits for the rate limit (`limit` from the wasm client, or undefined when off):
 * a queue in this isolate, or the caller's `store` (`acquire({ key, requests, windowMs, signal })`
 * resolves when a request may go), which sees the key's fingerprint, never the key.
 */
export function gate(limit, store) {
  if (!limit) return undefined;
  const { key, requests, windowMs } = limit;
  if (store != null) {
    return {
      acquire(signal) {
        if (typeof store.acquire !== "function") return Promise.reject(new TypeError("rateLimit.store.acquire is not a function"));
        // A store that doesn't watch the signal still can't hold an aborted call.
        return unlessAborted(Promise.resolve(store.acquire({ key, requests, windowMs, signal })), signal);
      },
      pause() {},
    };
  }
  const id = `${key}#${requests}/${windowMs}`;
  let queue = queues.get(id);
  if (!queue) queues.set(id, (queue = new Queue(new Window(requests, windowMs))));
  return queue;
}

/** Calls waiting for a slot of one window, in the order they asked. */
class Queue {
  constructor(window) {
    this.window = window;
    this.waiting = [];
    this.timer = undefined;
    this.wakeAt = Infinity;
  }

  acquire(signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const leave = () => {
        this.waiting = this.waiting.filter((w) => w !== waiter);
        reject(signal.reason);
        this.pump();
      };
      const waiter = () => {
        signal?.removeEventListener("abort", leave);
        resolve();
      };
      signal?.addEventListener("abort", leave);
      this.waiting.push(waiter);
      this.pump();
    });
  }

  pause(ms) {
    this.window.pause(Date.now() + ms);
  }

  /** Lets the head through while slots are free, then sleeps until the next one frees; no
   *  timer is left once nobody waits (it would keep Node or Deno from exiting). */
  pump() {
    while (this.waiting.length) {
      const now = Date.now();
      const wait = this.window.take(now);
      if (wait > 0) {
        if (now + wait < this.wakeAt) this.wake(now + wait, wait);
        return;
      }
      this.waiting.shift()();
    }
    this.wake(Infinity);
  }

  wake(at, ms) {
    clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = at === Infinity ? undefined : setTimeout(() => {
      this.wakeAt = Infinity;
      this.pump();
    }, ms);
  }
}
