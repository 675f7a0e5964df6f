// Values JSON can't carry, and values that throw when read, through every entry point that
// reads a caller's value: validate.*, build.*, a sent call, a client's options and
// parseMavibotWebhook. Each must come back as an issue at the value's path (never a trap, a
// hang or a thrown non-SdkError), and a normal call must still work after it: a module that
// trapped, or whose state an exception corrupted, fails that call. A plain ES module that
// imports no package: the same cases run in Node (hostile.test.mjs) and in headless Chromium
// (browser.test.mjs). Each case gets the package's exports and throws on failure.
import { check, rejection } from "./case-helpers.mjs";

const TICKET = "6650a1b2c3d4e5f678901234";

/** `tags` values holding something that throws when read (at `tags[0]`), by how it throws. */
export const throwing = {
  "an array whose item getter throws": () => {
    const a = ["6650a1b2c3d4e5f678901234"];
    Object.defineProperty(a, 0, { get() { throw new Error("item getter"); } });
    return a;
  },
  "a proxy whose ownKeys trap throws": () => [new Proxy({}, { ownKeys() { throw new Error("ownKeys trap"); } })],
  "an array proxy whose get trap throws": () =>
    new Proxy([TICKET], { get(t, k) { if (k === "0") throw new Error("get trap"); return Reflect.get(t, k); } }),
  "a revoked proxy": () => {
    const p = Proxy.revocable({}, {});
    p.revoke();
    return [p.proxy];
  },
  "an array proxy whose length throws": () => [new Proxy([], { get(t, k) { if (k === "length") throw new Error("length"); return t[k]; } })],
  "an item getter that throws a non-Error": () => {
    const a = [TICKET];
    Object.defineProperty(a, 0, { get() { throw null; } });
    return a;
  },
};

/** Values JSON can't carry, with the issue code they give in a field that takes any JSON. */
export const odd = {
  "a function": [() => 1, "INVALID_TYPE"],
  "a symbol": [Symbol("s"), "INVALID_TYPE"],
  "a bigint": [10n, "INVALID_TYPE"],
  "NaN": [NaN, "INVALID_TYPE"],
  "a lone surrogate": ["a\ud800b", "INVALID_TEXT"],
  "a cycle": [(() => { const o = {}; o.o = o; return o; })(), "TOO_DEEP"],
  "100000 levels of nesting": [(() => { let o = {}; for (let i = 0; i < 100_000; i++) o = { o }; return o; })(), "TOO_DEEP"],
};

/** The first issue validate gives for createTicket with `tags`. */
function tagsIssue(sdk, tags) {
  const issues = sdk.validate.mava.createTicket({ customerId: TICKET, tags });
  check(Array.isArray(issues) && issues.length >= 1, `issues, got ${JSON.stringify(issues)}`);
  return issues[0];
}

/** A normal call of each kind, which a broken module would fail. */
async function stillWorks(sdk, mava) {
  check(sdk.validate.mava.createTicket({ customerId: TICKET, priority: 5 })[0]?.code === "INVALID_ENUM", "validate still works");
  check(mava.build.getAgents().url.endsWith("/api/agents"), "build still works");
  check((await mava.getAgents()).agents.length === 0, "a sent call still works");
}

const json = (body) => new Response(JSON.stringify(body));
const client = (sdk, extra) =>
  new sdk.Mava({ apiKey: "hostile-key", baseUrl: "http://sandbox.test", rateLimit: false, fetch: async () => json({ agents: [] }), ...extra });

export const cases = {
  async "a value that throws when read is an UNREADABLE_VALUE issue at its path, everywhere"(sdk) {
    const mava = client(sdk);
    for (const [what, make] of Object.entries(throwing)) {
      const issue = tagsIssue(sdk, make());
      check(issue.path.startsWith("tags[0]") && issue.code === "UNREADABLE_VALUE", `${what}: UNREADABLE_VALUE at tags[0], got ${JSON.stringify(issue)}`);
      let thrown;
      try {
        mava.build.createTicket({ customerId: TICKET, tags: make() });
      } catch (e) {
        thrown = e;
      }
      check(thrown instanceof sdk.ValidationError && thrown.issues[0].code === "UNREADABLE_VALUE", `${what}: build throws a ValidationError`);
      const sent = await rejection(mava.createTicket({ customerId: TICKET, tags: make() }));
      check(sent instanceof sdk.ValidationError && sent.issues[0].code === "UNREADABLE_VALUE", `${what}: a sent call rejects with a ValidationError, got ${sent}`);
      const options = await rejection(Promise.resolve().then(() => new sdk.Mava({ apiKey: "k", rateLimit: { requests: make(), windowMs: 1000 } })));
      check(options instanceof sdk.ValidationError && options.issues[0].path.startsWith("rateLimit"), `${what}: client options, got ${options}`);
      const webhook = await rejection(Promise.resolve().then(() => sdk.parseMavibotWebhook({ client: make() })));
      check(webhook instanceof sdk.ValidationError, `${what}: parseMavibotWebhook, got ${webhook}`);
      await stillWorks(sdk, mava);
    }
  },

  async "values JSON can't carry are issues with their path, and lone surrogates are refused"(sdk) {
    const mava = client(sdk);
    for (const [what, [value, code]] of Object.entries(odd)) {
      // The callback family takes extra fields of any JSON value.
      const [issue] = sdk.validate.mavibot.callback({ client_id: 1, message: "hi", extra: value });
      check(issue?.path.startsWith("extra") && issue.code === code, `${what}: ${code} at extra, got ${JSON.stringify(issue)}`);
      const sent = await rejection(mava.createTicket({ customerId: TICKET, message: { content: value } }));
      check(sent instanceof sdk.ValidationError && sent.issues[0].path === "message.content", `${what}: a sent call, got ${sent}`);
      await stillWorks(sdk, mava);
    }
  },

  async "a Date of any realm is its ISO text"(sdk) {
    const frame = globalThis.document?.createElement("iframe");
    if (frame) document.body.append(frame);
    const OtherDate = frame?.contentWindow.Date ?? Date;
    const query = { startDate: new OtherDate(Date.UTC(2026, 0, 1)), endDate: new Date(Date.UTC(2026, 1, 1)) };
    const url = client(sdk).build.fetchTickets(query).url;
    frame?.remove();
    check(url.includes("startDate=2026-01-01T00%3A00%3A00.000Z") && url.includes("endDate=2026-02-01"), `ISO dates in ${url}`);
  },

  async "a fetch that answers oddly is a NetworkError, and the module keeps working"(sdk) {
    const answers = {
      "a thenable whose then throws": () => ({ get then() { throw new Error("then"); } }),
      "a proxy of a Response whose get trap throws": () => new Proxy(new Response("{}"), { get() { throw new Error("trap"); } }),
      "an object without text()": () => ({ status: 200, headers: new Headers() }),
      "a status out of range": () => ({ status: 7, text: async () => "{}" }),
      "a body that fails with a non-Error": () => new Response(new ReadableStream({ start(c) { c.error(42); } })),
      "a rejection with null": () => Promise.reject(null),
    };
    for (const [what, answer] of Object.entries(answers)) {
      const mava = client(sdk, { fetch: () => answer(), maxRetries: 0 });
      const e = await rejection(mava.getAgents());
      check(e instanceof sdk.NetworkError, `${what}: a NetworkError, got ${e?.name}: ${e?.message}`);
      await stillWorks(sdk, client(sdk));
    }
    // What is read of a Response is its own data, whatever the object overrides.
    const overridden = client(sdk, { fetch: async () => Object.assign(new Response('{"agents":[]}'), { text: async () => 42 }) });
    check((await overridden.getAgents()).agents.length === 0, "a Response with its own text() is read natively");
    // A polyfill's Response (not this runtime's class) is read through its status, headers and text().
    const polyfill = { status: 200, statusText: "OK", headers: new Map([["x-a", "1"]]), text: async () => '{"agents":[]}' };
    check((await client(sdk, { fetch: async () => polyfill }).getAgents()).agents.length === 0, "a polyfill's Response is read");
  },
};
