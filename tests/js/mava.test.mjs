// Every Mava method, from the packed package, against the sandbox: what the sandbox received
// (method, path, query with repeated keys, headers, JSON body) and what came back.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  Mava, validate, SdkError, ValidationError, ApiError, AuthenticationError, NetworkError, TimeoutError, AbortError,
} from "mava-sdk";
import { useSandbox, received, tickets, fault, KEY, OTHER_KEY } from "./helpers.mjs";

const ctx = useSandbox({ rateLimit: false });
const mava = (extra = {}) => new Mava({ apiKey: KEY, baseUrl: ctx.url, ...extra });

async function directory() {
  const m = mava();
  const [{ categories }, { agents }] = [await m.getCategories(), await m.getAgents()];
  return { categories, agents };
}

describe("requests and responses", () => {
  test("getCategories and getAgents", async () => {
    const m = mava();
    const { categories } = await m.getCategories();
    const { agents } = await m.getAgents();
    assert.ok(categories.length >= 1 && categories.every((c) => /^[0-9a-f]{24}$/.test(c._id) && typeof c.name === "string"));
    assert.ok(agents.length >= 1 && agents.every((a) => typeof a.id === "string" && "walletAddress" in a));
    const [r1, r2] = await received(ctx);
    assert.equal(r1.method, "GET");
    assert.equal(r1.path, "/api/categories");
    assert.equal(r1.headers["x-auth-token"], KEY);
    assert.equal(r1.headers["content-type"], undefined);
    assert.equal(r1.bodyText, "");
    assert.equal(r2.path, "/api/agents");
  });

  test("identify posts the documented fields", async () => {
    const out = await mava().identify({ emailAddress: "ann@example.com", customAttributes: [{ label: "plan", value: "pro" }] });
    assert.match(out.mavaCustomerId, /^[0-9a-f]{24}$/);
    const [r] = await received(ctx);
    assert.equal(r.method, "POST");
    assert.equal(r.path, "/api/identify");
    assert.equal(r.headers["content-type"], "application/json");
    assert.deepEqual(r.json, { emailAddress: "ann@example.com", customAttributes: [{ label: "plan", value: "pro" }] });
  });

  test("createTicket with a new customer and a first message", async () => {
    const { categories, agents } = await directory();
    const input = {
      customer: { email: "new.customer@example.com", name: "New Customer" },
      category: categories[0]._id,
      assignedTo: agents[0].id,
      priority: 3,
      emailSubjectLine: "Cannot log in",
      message: { content: "Hello, I cannot log in." },
    };
    const ticket = await mava().createTicket(input);
    assert.match(ticket._id, /^[0-9a-f]{24}$/);
    assert.equal(ticket.priority, 3);
    assert.equal(ticket.status, "Open");
    assert.equal(ticket.category._id, categories[0]._id);
    const r = (await received(ctx)).at(-1);
    assert.equal(r.method, "POST");
    assert.equal(r.path, "/api/ticket");
    assert.deepEqual(r.json, input);
    const stored = (await tickets(ctx)).find((t) => t._id === ticket._id);
    assert.equal(stored.customer.email, "new.customer@example.com");
    assert.equal(stored.messages[0].content, "Hello, I cannot log in.");
  });

  test("createTicket for an existing customer id", async () => {
    const existing = (await tickets(ctx)).find((t) => t.customer?._id).customer._id;
    const ticket = await mava().createTicket({ customerId: existing, sourceType: "email", tags: [] });
    assert.equal(ticket.customer._id, existing);
    assert.equal(ticket.sourceType, "email");
  });

  test("updateTicket sends PUT with the changes", async () => {
    const t = (await tickets(ctx))[0];
    const out = await mava().updateTicket({ ticketId: t._id, status: "Resolved", priority: 1 });
    assert.deepEqual(out, { message: "Ticket updated" });
    const r = (await received(ctx)).at(-1);
    assert.equal(r.method, "PUT");
    assert.equal(r.path, "/api/ticket");
    assert.deepEqual(r.json, { ticketId: t._id, status: "Resolved", priority: 1 });
    const stored = (await tickets(ctx)).find((x) => x._id === t._id);
    assert.equal(stored.status, "Resolved");
  });

  test("sendMessage uses PUT by default and POST when configured", async () => {
    const t = (await tickets(ctx))[0];
    const out = await mava().sendMessage({ ticketId: t._id, content: "We are on it", messageType: "InternalNote" });
    assert.equal(out.message.content, "We are on it");
    await mava({ messageMethod: "POST" }).sendMessage({ ticketId: t._id, content: "second" });
    const [a, b] = (await received(ctx)).slice(-2);
    assert.equal(a.method, "PUT");
    assert.equal(b.method, "POST");
    assert.equal(a.path, "/api/message");
    assert.deepEqual(a.json, { ticketId: t._id, content: "We are on it", messageType: "InternalNote" });
  });

  test("fetchTickets sends repeated keys and returns a page", async () => {
    const page = await mava().fetchTickets({
      startDate: "2026-01-01", endDate: new Date("2026-07-01T00:00:00Z"),
      status: ["Open", "Pending"], origin: "discord", limit: 5, skip: 0, sortBy: "priority", sortOrder: "asc",
      includeMessages: true,
    });
    assert.ok(page.tickets.length <= 5);
    assert.equal(typeof page.count, "number");
    assert.equal(page.pagination.limit, 5);
    assert.ok(page.tickets.every((t) => ["Open", "Pending"].includes(t.status) && t.sourceType === "discord" && Array.isArray(t.messages)));
    const r = (await received(ctx)).at(-1);
    assert.equal(r.method, "GET");
    assert.equal(r.path, "/api/tickets");
    assert.deepEqual(r.query.status, ["Open", "Pending"]);
    assert.deepEqual(r.query.endDate, ["2026-07-01T00:00:00.000Z"]);
    assert.deepEqual(r.query.includeMessages, ["true"]);
    assert.equal(r.bodyText, "");
  });
});

describe("validation happens before any request", () => {
  test("invalid input throws ValidationError with every issue and sends nothing", async () => {
    await assert.rejects(
      mava().createTicket({ customer: { email: "nope" }, priority: 5, message: { content: "x".repeat(10_001) } }),
      (e) => {
        assert.ok(e instanceof ValidationError && e instanceof SdkError && e instanceof Error);
        assert.equal(e.name, "ValidationError");
        assert.deepEqual(e.issues.map((i) => [i.path, i.code]), [
          ["customer.email", "INVALID_EMAIL"], ["priority", "INVALID_ENUM"], ["message.content", "TOO_LONG"],
        ]);
        return true;
      },
    );
    assert.equal((await received(ctx)).length, 0);
  });

  test("validators need no client and never throw", () => {
    assert.deepEqual(validate.mava.createTicket({ customerId: "6650a1b2c3d4e5f678901234" }), []);
    assert.deepEqual(validate.mava.fetchTickets({ startDate: "2026-01-01", endDate: "2027-01-02" }).map((i) => i.code), ["INVALID_DATE_RANGE"]);
    for (const odd of [undefined, null, 42, "x", [], () => 1]) {
      assert.ok(Array.isArray(validate.mava.createTicket(odd)));
    }
  });

  test("the server's rules agree with the SDK's at the boundaries", async () => {
    // What the SDK accepts, the sandbox accepts (one year exactly; 998-char subject).
    const m = mava();
    await m.fetchTickets({ startDate: "2026-01-01T00:00:00.000Z", endDate: "2027-01-01T00:00:00.000Z" });
    const existing = (await tickets(ctx))[0].customer._id;
    await m.createTicket({ customerId: existing, emailSubjectLine: "s".repeat(998) });
  });

  test("build returns the request without sending it", async () => {
    const req = mava().build.fetchTickets({ startDate: "2026-01-01", endDate: "2026-02-01", tags: ["6650a1b2c3d4e5f678901234", "6650a1b2c3d4e5f678901235"] });
    assert.equal(req.method, "GET");
    assert.equal(req.url, `${ctx.url}/api/tickets?startDate=2026-01-01&endDate=2026-02-01&tags=6650a1b2c3d4e5f678901234&tags=6650a1b2c3d4e5f678901235`);
    assert.equal(req.body, undefined);
    assert.throws(() => mava().build.updateTicket({ ticketId: "x" }), ValidationError);
    assert.equal((await received(ctx)).length, 0);
  });

  test("the URL sent is exactly the URL build returns", async () => {
    const input = { startDate: "2026-01-01", endDate: "2026-02-01", status: ["Open", "Pending"], limit: 5 };
    const { url } = mava().build.fetchTickets(input);
    await mava().fetchTickets(input);
    const [r] = await received(ctx);
    assert.equal(`${ctx.url}${r.path}?${r.rawQuery}`, url);
  });

  test("a call without input refuses one, and Mava calls have no method option", async () => {
    // getAgents(options): its only argument is the call options.
    await assert.rejects(mava().getAgents({ foo: "bar" }), (e) => e instanceof ValidationError && e.issues[0].path === "foo" && e.issues[0].code === "UNKNOWN_FIELD");
    await assert.rejects(mava().getAgents({ method: "POST" }), (e) => e instanceof ValidationError && e.issues[0].path === "method");
    assert.throws(() => mava().build.getAgents({ foo: "bar" }), (e) => e instanceof ValidationError && e.issues[0].path === "foo");
    assert.deepEqual(validate.mava.getCategories({ foo: 1 }).map((i) => i.code), ["UNKNOWN_FIELD"]);
    assert.equal(mava().build.getAgents().url, `${ctx.url}/api/agents`);
    await mava().getAgents({});
    assert.deepEqual((await received(ctx)).map((r) => [r.method, r.rawQuery]), [["GET", ""]]);
  });

  test("bad client options throw at construction", () => {
    assert.throws(() => new Mava({}), (e) => e instanceof ValidationError && e.issues[0].path === "apiKey");
    assert.throws(() => new Mava(), ValidationError);
    assert.throws(() => new Mava({ apiKey: KEY, timeout: 10 }), (e) => e.issues[0].code === "UNKNOWN_FIELD");
    // Mava's key travels in a header, which fetch accepts only as Latin-1.
    assert.throws(() => new Mava({ apiKey: "ключ" }), (e) => e instanceof ValidationError && e.issues[0].path === "apiKey" && !e.message.includes("ключ"));
  });
});

describe("errors", () => {
  test("401 is an AuthenticationError that never shows the key", async () => {
    const wrong = "definitely-wrong-key-4242";
    await assert.rejects(new Mava({ apiKey: wrong, baseUrl: ctx.url }).getAgents(), (e) => {
      assert.ok(e instanceof AuthenticationError && e instanceof ApiError);
      assert.equal(e.status, 401);
      assert.equal(e.code, "UNAUTHORIZED");
      assert.ok(!JSON.stringify({ ...e, message: e.message, stack: e.stack }).includes(wrong));
      assert.ok(!String(e).includes(wrong));
      return true;
    });
  });

  test("documented error bodies become stable codes", async () => {
    const { categories } = await directory();
    const other = await new Mava({ apiKey: OTHER_KEY, baseUrl: ctx.url }).getCategories();
    // A category of another tenant is not found (tenant isolation).
    const existing = (await tickets(ctx))[0].customer._id;
    await assert.rejects(mava().createTicket({ customerId: existing, category: other.categories[0]._id }), (e) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 404);
      assert.equal(e.code, "CATEGORY_NOT_FOUND");
      assert.equal(e.body.error, "CATEGORY_NOT_FOUND");
      assert.equal(typeof e.headers, "object");
      return true;
    });
    await assert.rejects(mava().updateTicket({ ticketId: "ffffffffffffffffffffffff", categoryId: categories[0]._id }), (e) => e.code === "TICKET_NOT_FOUND" && e.status === 400);
    await assert.rejects(mava().createTicket({ customerId: "ffffffffffffffffffffffff" }), (e) => e.code === "CUSTOMER_NOT_FOUND");
  });

  test("a refused connection is a NetworkError", async () => {
    const m = new Mava({ apiKey: KEY, baseUrl: "http://127.0.0.1:1", maxRetries: 0 });
    await assert.rejects(m.getAgents(), (e) => e instanceof NetworkError && e.code === "NETWORK_ERROR" && e.cause instanceof Error);
  });

  test("a hanging server hits the timeout", async () => {
    await fault(ctx, { kind: "hang", count: 1 });
    await assert.rejects(mava({ timeoutMs: 150, maxRetries: 0 }).getAgents(), (e) => e instanceof TimeoutError && e.name === "TimeoutError");
  });

  test("an AbortSignal cancels the call", async () => {
    await fault(ctx, { kind: "hang", count: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(mava().getAgents({ signal: controller.signal }), AbortError);
  });
});
