// The transport driven through the `fetch` option with real Request and Response objects, no
// server: what fetch receives, what comes back, timeouts, aborts, failures and retries. A plain
// ES module that imports no package, so the same cases run in Node (fetch-option.test.mjs) and
// in headless Chromium (browser.test.mjs). Each case gets the package's exports and throws on
// failure.
import { check, equal, rejection } from "./case-helpers.mjs";

const KEY = "secret-key-123";
const BASE = "http://sandbox.test";

function noKey(e) {
  const text = [e.message, e.cause?.message, JSON.stringify(e)].join(" ");
  check(!text.includes(KEY) && !text.includes(encodeURIComponent(KEY)), `no key in ${text}`);
}

const json = (body, init) => new Response(JSON.stringify(body), init);
const mava = (sdk, extra) => new sdk.Mava({ apiKey: KEY, baseUrl: BASE, rateLimit: false, retryBaseMs: 1, retryMaxMs: 5, ...extra });
const neverSettles = () => new Promise(() => {});
const aborting = (req) => new Promise((_, reject) => req.signal.addEventListener("abort", () => reject(req.signal.reason)));
const abortSoon = (ms) => {
  const c = new AbortController();
  setTimeout(() => c.abort(), ms);
  return c.signal;
};

export const cases = {
  async "fetch receives the Request the call builds, and JSON comes back"(sdk) {
    const seen = [];
    const m = mava(sdk, {
      fetch: async (req) => {
        check(req instanceof Request, "a Request");
        seen.push([req.method, req.url, req.headers.get("x-auth-token"), req.headers.get("content-type"), await req.text()]);
        return json({ message: "Ticket updated" });
      },
    });
    const input = { ticketId: "6650a1b2c3d4e5f678901234", status: "Resolved" };
    equal(await m.updateTicket(input), { message: "Ticket updated" }, "the body");
    const built = m.build.updateTicket(input);
    equal(seen, [[built.method, built.url, KEY, "application/json", built.body]], "what fetch received");
  },

  async "an error response is an ApiError with status, code, headers and body, and no key"(sdk) {
    const m = mava(sdk, { fetch: async () => json({ error: "Category not found" }, { status: 400, headers: { "x-request-id": "r1" } }) });
    const e = await rejection(m.updateTicket({ ticketId: "6650a1b2c3d4e5f678901234", categoryId: "6650a1b2c3d4e5f678901235" }));
    check(e instanceof sdk.ApiError && e instanceof Error, "an ApiError");
    equal([e.name, e.status, e.code, e.attempts, e.headers["x-request-id"], e.body], ["ApiError", 400, "CATEGORY_NOT_FOUND", 1, "r1", { error: "Category not found" }], "its fields");
    check(!("$retryMs" in e) && !("$sdk" in e), "no internal fields");
    noKey(e);
    const auth = await rejection(mava(sdk, { fetch: async () => json({}, { status: 401 }) }).getAgents());
    check(auth instanceof sdk.AuthenticationError && auth.code === "UNAUTHORIZED", "an AuthenticationError");
  },

  async "an HTML page and malformed JSON are reported with their text"(sdk) {
    const html = mava(sdk, { fetch: async () => new Response("<html><body>Bad gateway</body></html>", { status: 502, headers: { "content-type": "text/html" } }) });
    const e = await rejection(html.getAgents({ maxRetries: 0 }));
    check(e.code === "HTTP_502" && e.body.includes("Bad gateway") && e.attempts === 1, `HTTP_502 with the page, got ${e.code}`);
    const broken = await rejection(mava(sdk, { fetch: async () => new Response('{"categories": [') }).getCategories());
    check(broken instanceof sdk.ApiError && broken.code === "INVALID_RESPONSE", `INVALID_RESPONSE, got ${broken.code}`);
  },

  async "a 503 is retried and the next answer returned"(sdk) {
    let calls = 0;
    const m = mava(sdk, { fetch: async () => (++calls === 1 ? json({ error: "down" }, { status: 503 }) : json({ agents: [] })) });
    equal(await m.getAgents(), { agents: [] }, "the second answer");
    equal(calls, 2, "attempts");
  },

  async "the timeout aborts an attempt, also when fetch ignores the signal"(sdk) {
    for (const fetch of [aborting, neverSettles]) {
      const e = await rejection(mava(sdk, { fetch }).getAgents({ timeoutMs: 20, maxRetries: 0 }));
      check(e instanceof sdk.TimeoutError && e.code === "TIMEOUT", `a TimeoutError, got ${e?.name}`);
    }
  },

  async "the caller's signal aborts, also when fetch ignores it; an aborted signal sends nothing"(sdk) {
    for (const fetch of [aborting, neverSettles]) {
      const e = await rejection(mava(sdk, { fetch }).getAgents({ signal: abortSoon(10) }));
      check(e instanceof sdk.AbortError && e.code === "ABORTED", `an AbortError, got ${e?.name}`);
    }
    let calls = 0;
    const e = await rejection(mava(sdk, { fetch: async () => (calls++, json({})) }).getAgents({ signal: AbortSignal.abort() }));
    check(e instanceof sdk.AbortError && calls === 0, "an AbortError before fetch");
  },

  async "a failing fetch is a NetworkError without the key"(sdk) {
    const thrower = mava(sdk, { fetch: async (req) => { throw new TypeError(`failed to reach ${req.url} with ${KEY}`); } });
    const e = await rejection(thrower.getAgents({ maxRetries: 0 }));
    check(e instanceof sdk.NetworkError && e.message.includes("failed to reach") && e.cause?.name === "TypeError", `a NetworkError, got ${e?.message}`);
    noKey(e);
    const odd = await rejection(mava(sdk, { fetch: async () => "not a response" }).getAgents({ maxRetries: 0 }));
    check(odd instanceof sdk.NetworkError, "a NetworkError for a non-Response");
  },

  async "a Mavibot key in the path is masked in every error"(sdk) {
    const bot = new sdk.Mavibot({ apiKey: "bot/key 1", baseUrl: BASE, fetch: async () => json({ status: "fail", message: "nope" }, { status: 500 }) });
    const e = await rejection(bot.getVariables({ client_id: 1 }, { maxRetries: 0 }));
    check(e instanceof sdk.ApiError && e.status === 500, `an ApiError, got ${e?.message}`);
    const text = [e.message, JSON.stringify(e)].join(" ");
    check(!text.includes("bot%2Fkey%201") && !text.includes("bot/key 1") && text.includes("***"), `the key masked in ${text}`);
  },
};
