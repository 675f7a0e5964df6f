// One Mava rate limit for every Worker isolate that uses the same API key: a Durable Object
// keeps the sliding window, and the client's `rateLimit.store` asks it for a slot.
//
// wrangler.toml:
//   [[durable_objects.bindings]]
//   name = "MAVA_RATE_LIMIT"
//   class_name = "MavaRateLimit"
//   [[migrations]]
//   tag = "v1"
//   new_classes = ["MavaRateLimit"]
import { Mava } from "mava-sdk";

/** The window: send times of the last `windowMs`, one object per key fingerprint. */
export class MavaRateLimit {
  constructor() {
    this.sent = [];
  }

  async fetch(request) {
    const { requests, windowMs } = await request.json();
    const now = Date.now();
    this.sent = this.sent.filter((t) => t + windowMs > now);
    if (this.sent.length < requests) {
      this.sent.push(now);
      return Response.json({ waitMs: 0 });
    }
    return Response.json({ waitMs: this.sent[this.sent.length - requests] + windowMs - now });
  }
}

/** A `rateLimit.store` backed by the Durable Object: resolves once a slot is taken. */
export function durableObjectStore(namespace) {
  return {
    async acquire({ key, requests, windowMs, signal }) {
      const stub = namespace.get(namespace.idFromName(key));
      for (;;) {
        signal?.throwIfAborted();
        const res = await stub.fetch("https://rate-limit/", { method: "POST", body: JSON.stringify({ requests, windowMs }) });
        const { waitMs } = await res.json();
        if (waitMs === 0) return;
        // Wait for the slot, but no longer than the caller wants to.
        await new Promise((resolve, reject) => {
          const stop = () => (clearTimeout(timer), reject(signal.reason));
          const timer = setTimeout(() => (signal?.removeEventListener("abort", stop), resolve()), waitMs);
          signal?.addEventListener("abort", stop, { once: true });
        });
      }
    },
  };
}

export default {
  async fetch(request, env) {
    const mava = new Mava({
      apiKey: env.MAVA_API_KEY,
      baseUrl: env.MAVA_BASE_URL,
      rateLimit: { requests: 90, windowMs: 30_000, store: durableObjectStore(env.MAVA_RATE_LIMIT) },
    });
    return Response.json(await mava.getCategories());
  },
};
