/**
 * Deterministic randomness and ObjectId generation for the sandbox.
 *
 * Every seeded value (ids, names, dates, statuses…) comes from these generators, so a
 * sandbox started twice with the same `seed` holds exactly the same data. Shared by the
 * per-product modules (mava.mjs, and later mavibot.mjs).
 */

/** A small, fast 32-bit PRNG (mulberry32). Returns an object with helper methods. */
export function createRng(seed) {
  let state = mix32(seed >>> 0);
  const uint32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const rng = {
    uint32,
    /** Float in [0, 1). */
    next: () => uint32() / 4294967296,
    /** Integer in [min, max] (inclusive). */
    int: (min, max) => min + Math.floor(rng.next() * (max - min + 1)),
    /** True with probability p. */
    chance: (p) => rng.next() < p,
    /** One element of a non-empty array. */
    pick: (list) => list[Math.floor(rng.next() * list.length)],
    /** `count` distinct elements of `list` (count is clamped to the list length). */
    sample: (list, count) => {
      const copy = list.slice();
      const n = Math.min(count, copy.length);
      for (let i = 0; i < n; i++) {
        const j = i + Math.floor(rng.next() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, n);
    },
    /** `length` lowercase hex characters. */
    hex: (length) => {
      let out = '';
      while (out.length < length) out += uint32().toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
  };
  return rng;
}

/** Derives an independent seed from a base seed and a small integer (e.g. a tenant index). */
export function deriveSeed(seed, salt) {
  return mix32((seed >>> 0) ^ Math.imul(salt + 1, 0x9e3779b1));
}

function mix32(x) {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Creates a generator of MongoDB-style ObjectIds (24 lowercase hex chars):
 * 4-byte timestamp (seconds) | 1-byte namespace (tenant) | 4 random bytes | 3-byte counter.
 * Different namespaces never collide, and within one namespace the counter keeps ids unique.
 */
export function createIdFactory(rng, namespace) {
  let counter = rng.int(0, 0xffff);
  const ns = (namespace & 0xff).toString(16).padStart(2, '0');
  return function nextId(timeMs = Date.now()) {
    counter = (counter + 1) & 0xffffff;
    const seconds = Math.max(0, Math.floor(timeMs / 1000)) >>> 0;
    return seconds.toString(16).padStart(8, '0') + ns + rng.hex(8) + counter.toString(16).padStart(6, '0');
  };
}
