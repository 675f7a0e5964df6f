// The messages a new user meets first, from the installed tarball: each says what is wrong in
// the user's own terms (issue 12's list), never a guess or a doubled word.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Mava, Mavibot, validate, parseMavibotWebhook, ValidationError, ApiError } from "mava-sdk";
import { useSandbox, KEY } from "./helpers.mjs";

const ctx = useSandbox({ rateLimit: false });

test("a priority given as text names the allowed values once", () => {
  const [issue] = validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234", priority: "high" });
  assert.equal(issue.path, "priority");
  assert.equal(issue.message, "priority must be one of 1, 2, 3 (got string)");
});

test("createTicket() with no argument says the input is missing, not that it is null", async () => {
  const mava = new Mava({ apiKey: KEY, baseUrl: ctx.url });
  await assert.rejects(mava.createTicket(), (e) => {
    assert.ok(e instanceof ValidationError);
    assert.equal(e.message, "Invalid createTicket input: createTicket needs an input object (got none)");
    assert.deepEqual(e.issues.map((i) => i.code), ["REQUIRED"]);
    return true;
  });
  assert.equal(validate.mavibot.loadClients(undefined)[0].message, "loadClients needs an input array (got none)");
});

test("a webhook body that is not JSON says so in a sentence", () => {
  assert.throws(() => parseMavibotWebhook("{not json"), (e) => e instanceof ValidationError && /: the text is not valid JSON/.test(e.message) && !/: is not/.test(e.message));
});

test("a baseUrl ending in /api gets a hint with its 404", async () => {
  const mava = new Mava({ apiKey: KEY, baseUrl: `${ctx.url}/api` });
  await assert.rejects(mava.getCategories(), (e) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 404);
    assert.match(e.message, /^GET \/api\/api\/categories failed with 404/);
    assert.ok(e.message.endsWith(`(baseUrl has the path /api, and every path the SDK sends already starts with /api: set baseUrl to ${ctx.url})`), e.message);
    return true;
  });
  // A prefix that is a proxy's (the sandbox serves Mavibot under /mavibot) works; its 404s name
  // the prefix without calling it wrong. (A bare origin's 404 has no hint: tests/mava_requests.rs.)
  const bot = new Mavibot({ apiKey: "sandbox-bot-key", baseUrl: `${ctx.url}/mavibot` });
  assert.ok((await bot.connectedChannels()).project_id);
  await assert.rejects(bot.call("no_such_action", {}), (e) => {
    assert.equal(e.status, 404);
    assert.ok(e.message.endsWith(`(baseUrl has the path /mavibot, before the API's own /api/… paths; if that is not a proxy's prefix, set baseUrl to ${ctx.url})`), e.message);
    return true;
  });
});
