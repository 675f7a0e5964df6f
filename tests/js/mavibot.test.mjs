// Every Mavibot action, from the packed package, against the sandbox: what the sandbox received
// (verb, path with the key, query or JSON body), what came back, and what changed in the
// project's state. Then the key (percent-encoding, masking), the failures Mavibot reports inside
// 200 bodies, the value_* mapping, broadcast recipients, `call`, `iterateClients` and the webhook.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  Mavibot, validate, parseMavibotWebhook, SdkError, ValidationError, ApiError, AuthenticationError, NetworkError,
} from "mava-sdk";
import { useSandbox, control, received } from "./helpers.mjs";

const ctx = useSandbox({ rateLimit: false });

const BOT_KEY = "sandbox-bot-key";
const BOT_KEY_2 = "sandbox-bot-key-2";
const ALIAS = "sandbox bot/key+1";
const ALIAS_SEGMENT = "sandbox%20bot%2Fkey%2B1";
const UNKNOWN_CLIENT = 41999999;

/** The 42 actions (api-reference B.1) and the verb the SDK sends each with. */
const VERBS = {
  callback: "POST", vk_callback: "POST", whatsapp_callback: "POST", ok_callback: "POST", tg_callback: "POST",
  max_callback: "POST", send_callback_by_platform_id: "POST", email_callback: "POST", message: "POST",
  whatsapp_message: "POST", broadcast: "POST", get_history: "GET", clear_history: "GET", assign_to_user: "POST",
  load_clients: "POST", add_to_list: "POST", remove_from_list: "POST", get_clients: "GET", delete_clients: "POST",
  save_variables: "POST", get_variables: "GET", find_client_id_by_platform_id: "POST", online_chat_client_id: "GET",
  whatsapp_client_id: "GET", find_client_id_by_phone: "GET", find_client_id_by_email: "GET",
  find_client_id_by_var: "GET", find_latest_client_id_by_var: "GET", find_all_client_id_by_var: "GET",
  find_all_client_id_by_several_vars: "GET", find_clients: "POST", get_current_order_id: "GET", get_orders: "GET",
  move_order_to_next_state: "POST", get_order_vars: "POST", set_order_vars: "POST", create_order: "POST",
  set_order_state: "POST", get_order_state: "GET", check_whatsapp: "GET", connected_channels: "GET", get_messages: "GET",
};
const camel = (action) => action.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
/** Actions seen reaching the sandbox with a checked request; the last test wants all 42. */
const covered = new Set();

const bot = (extra = {}) => new Mavibot({ apiKey: BOT_KEY, baseUrl: `${ctx.url}/mavibot`, ...extra });
const state = (key = BOT_KEY) => control(ctx, "GET", `/__sandbox/mavibot?key=${encodeURIComponent(key)}`);
const clientOf = (st, id) => st.clients.find((c) => c.id === id);
const sorted = (ids) => [...ids].map(Number).sort((a, b) => a - b);
const digits = (s) => String(s).replace(/\D/g, "");

/** What a GET query holds for `input`: every value a string, arrays as repeated keys. */
function asQuery(input) {
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]));
}

/** Checks one request against the action's verb, the key in the path and the input's placement. */
function expectRequest(r, action, input, { segment = BOT_KEY, query, json, status = 200 } = {}) {
  const verb = VERBS[action];
  assert.equal(r.method, verb, `${action}: verb`);
  assert.equal(r.path, `/mavibot/api/${segment}/${action}`, `${action}: path`);
  assert.equal(r.status, status, `${action}: status`);
  assert.equal(r.mavibot?.action, action, `${action}: reached the action`);
  if (verb === "GET") {
    assert.deepEqual(r.query, query ?? asQuery(input ?? {}), `${action}: query`);
    assert.equal(r.headers["content-type"], undefined, `${action}: no content-type on a GET`);
    assert.equal(r.bodyText, "", `${action}: no body on a GET`);
  } else {
    assert.match(r.headers["content-type"] ?? "", /^application\/json\b/, `${action}: content-type`);
    assert.deepEqual(r.query, query ?? {}, `${action}: nothing in the query of a POST`);
    assert.deepEqual(r.json, json ?? input, `${action}: JSON body exactly as given`);
  }
}

/** Calls `action` through its method and checks the one request it sent. */
async function send(action, input, options = {}) {
  const before = (await received(ctx)).length;
  const b = options.client ?? bot();
  const method = camel(action);
  const out = input === undefined ? await b[method]() : await b[method](input);
  const sent = (await received(ctx)).slice(before);
  assert.equal(sent.length, 1, `${action}: exactly one request`);
  expectRequest(sent[0], action, input, options);
  covered.add(action);
  return { out, r: sent[0] };
}

/** Asserts that the promise rejects (it must never resolve) with an ApiError of this code. */
async function rejectsApi(promise, { code, status, body }) {
  let error;
  await assert.rejects(promise, (e) => {
    error = e;
    return true;
  });
  assert.ok(error instanceof ApiError && error instanceof SdkError && error instanceof Error, `ApiError expected, got ${error?.name}`);
  assert.equal(error.name, "ApiError");
  assert.equal(error.code, code);
  assert.equal(error.status, status);
  if (body !== undefined) assert.deepEqual(error.body, body);
  assert.equal(error.attempts, 1, "a failure body is not retried");
  assert.ok(!error.message.includes(BOT_KEY), "the key never shows");
  return error;
}

/** Every text an error exposes. */
function errorTexts(e) {
  return [e.message, String(e), e.stack ?? "", JSON.stringify({ ...e, message: e.message, stack: e.stack }), String(e.cause ?? "")];
}

const BOT_CLIENT_FIELDS = [
  "id", "platform_id", "client_type", "name", "avatar", "message_id", "project_id", "created_at", "updated_at",
  "custom_answer", "tag", "group", "operator_start_dialog",
];
const HISTORY_FIELDS = [
  "id", "answered", "client_replica", "message_id", "message_from_outside", "created_at", "text", "attachments",
  "delivered", "error_message", "manager_id", "manager_email",
];

/** Seeded clients of project 1 by channel type. */
function seeded(st) {
  const of = (type) => st.clients.find((c) => c.client_type === type);
  const list = (name) => st.lists.find((l) => l.name === name);
  return {
    tg: of(1), vk: of(0), wa: of(6), site: of(5), email: of(14), viber: of(2), ok: of(8), max: of(20), phone: of(13),
    newsletter: list("Newsletter"), vip: list("VIP"), empty: list("Empty list"),
  };
}

/** A client with an active deal: its newest active order. */
function activeDeal(st) {
  const order = st.orders.filter((o) => o.status === 0).sort((a, b) => a.created_at - b.created_at)[0];
  return { client: clientOf(st, order.client_id), order };
}

describe("the surface", () => {
  test("one method, builder and validator per action", () => {
    assert.equal(Object.keys(VERBS).length, 42);
    const b = bot();
    for (const [action, verb] of Object.entries(VERBS)) {
      const name = camel(action);
      assert.equal(typeof b[name], "function", `bot.${name}`);
      assert.equal(typeof b.build[name], "function", `bot.build.${name}`);
      assert.equal(typeof validate.mavibot[name], "function", `validate.mavibot.${name}`);
    }
    assert.equal(Object.keys(validate.mavibot).length, 42);
    assert.equal(Object.keys(b.build).length, 42);
  });

  test("build gives the verb, the key in the path, the query or the body", async () => {
    const b = bot();
    const get = b.build.getClients({ limit: 3, list: 1170282 });
    assert.equal(get.method, "GET");
    assert.equal(get.url, `${ctx.url}/mavibot/api/${BOT_KEY}/get_clients?limit=3&list=1170282`);
    assert.equal(get.body, undefined);
    assert.equal(get.headers["content-type"], undefined);
    const post = b.build.addToList({ list_id: 1170282, clients: [41000022] });
    assert.equal(post.method, "POST");
    assert.equal(post.url, `${ctx.url}/mavibot/api/${BOT_KEY}/add_to_list`);
    assert.equal(post.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(post.body), { list_id: 1170282, clients: [41000022] });
    assert.throws(() => b.build.getVariables({}), ValidationError);
    assert.equal((await received(ctx)).length, 0);
  });
});

describe("callbacks", () => {
  test("callback starts the bot for a client, resumes it and saves extra fields", async () => {
    const st = await state();
    const paused = st.clients.find((c) => c.bot_paused);
    const input = { client_id: paused.id, message: "start_funnel", resume_bot: true, favourite_colour: "green" };
    const { out } = await send("callback", input);
    assert.deepEqual(out, { status: "success", client_id: paused.id });
    const after = await state();
    const record = after.callbacks.at(-1);
    assert.equal(record.action, "callback");
    assert.equal(record.client_id, paused.id);
    assert.equal(record.message, "start_funnel");
    assert.equal(clientOf(after, paused.id).variables.favourite_colour, "green");
    assert.equal(clientOf(after, paused.id).bot_paused, false);
  });

  test("vk, ok, tg and max callbacks find the client by platform id and group", async () => {
    const before = await state();
    const c = seeded(before);
    const cases = [
      ["vk_callback", { user_id: c.vk.platform_id, group_id: c.vk.group, message: "vk_start" }, c.vk],
      ["ok_callback", { user_id: c.ok.platform_id, group_id: c.ok.group, name: c.ok.name, message: "ok_start" }, c.ok],
      ["tg_callback", { user_id: c.tg.platform_id, group_id: c.tg.group, message: "tg_start" }, c.tg],
      ["max_callback", { platform_id: c.max.platform_id, group_id: c.max.group, message: "max_start" }, c.max],
    ];
    for (const [action, input, client] of cases) {
      const { out } = await send(action, input);
      assert.deepEqual(out, { status: "success", client_id: client.id }, action);
      const record = (await state()).callbacks.at(-1);
      assert.equal(record.action, action);
      assert.equal(record.client_id, client.id);
      assert.equal(record.message, input.message);
    }
    assert.equal((await state()).clients.length, before.clients.length, "no client was created");
  });

  test("whatsapp_callback finds the WhatsApp client by phone", async () => {
    const { wa } = seeded(await state());
    const { out } = await send("whatsapp_callback", { phone: wa.platform_id, name: wa.name, message: "wa_start", bot_id: 41 });
    assert.deepEqual(out, { status: "success", client_id: wa.id });
    const record = (await state()).callbacks.at(-1);
    assert.equal(record.action, "whatsapp_callback");
    assert.equal(record.client_id, wa.id);
  });

  test("email_callback creates the e-mail client", async () => {
    const before = await state();
    const { out } = await send("email_callback", { email: "new.person@example.com", name: "New Person", message: "welcome" });
    assert.equal(out.status, "success");
    assert.equal(typeof out.client_id, "number");
    const after = await state();
    assert.equal(after.clients.length, before.clients.length + 1);
    const created = clientOf(after, out.client_id);
    assert.equal(created.client_type, 14);
    assert.equal(created.platform_id, "new.person@example.com");
    assert.equal(after.callbacks.at(-1).client_id, out.client_id);
  });

  test("send_callback_by_platform_id reaches the listed clients", async () => {
    const c = seeded(await state());
    const input = { platform_ids: [c.tg.platform_id, c.vk.platform_id, "no-such-platform-id"], callback_text: "promo_started" };
    const { out } = await send("send_callback_by_platform_id", input);
    assert.equal(out.status, "success");
    assert.deepEqual(sorted(out.client_ids), sorted([c.tg.id, c.vk.id]));
    const record = (await state()).callbacks.at(-1);
    assert.equal(record.action, "send_callback_by_platform_id");
    assert.deepEqual(sorted(record.client_ids), sorted([c.tg.id, c.vk.id]));
    assert.deepEqual(record.unknown_platform_ids.map(String), ["no-such-platform-id"]);
  });
});

describe("messages", () => {
  test("message is delivered and added to the history", async () => {
    const { tg } = seeded(await state());
    const input = { client_id: tg.id, message: "Your order shipped", buttons: [{ text: "Track", type: "inline", url: "https://example.com/track" }] };
    const { out } = await send("message", input);
    assert.equal(out.status, "success");
    assert.equal(typeof out.history_id, "number");
    const after = await state();
    const delivery = after.deliveries.at(-1);
    assert.equal(delivery.action, "message");
    assert.equal(delivery.client_id, tg.id);
    assert.equal(delivery.message, "Your order shipped");
    assert.equal(delivery.history_id, out.history_id);
    assert.deepEqual(delivery.buttons, input.buttons);
    assert.ok(after.history[tg.id].some((h) => h.id === out.history_id && h.text === "Your order shipped"));
  });

  test("whatsapp_message creates the WhatsApp client for a new phone", async () => {
    const input = { phone: "79001234567", message: "Hello from the shop", whatsapp_bot_id: 41 };
    const { out } = await send("whatsapp_message", input);
    assert.equal(out.status, "success");
    assert.equal(typeof out.client_id, "number");
    assert.equal(typeof out.history_id, "number");
    const after = await state();
    const created = clientOf(after, out.client_id);
    assert.equal(created.client_type, 6);
    assert.equal(digits(created.platform_id), "79001234567");
    assert.equal(after.deliveries.at(-1).client_id, out.client_id);
  });

  test("broadcast to a list reaches exactly that list's clients, not everyone", async () => {
    const before = await state();
    const { vip } = seeded(before);
    const { out } = await send("broadcast", { list: vip.id, message: "VIP sale today" });
    assert.equal(out.status, "success");
    assert.equal(typeof out.broadcast_id, "number");
    const record = (await state()).broadcasts.at(-1);
    assert.equal(record.broadcast_id, out.broadcast_id);
    assert.equal(record.mode, "list");
    assert.equal(record.all_clients, false);
    assert.deepEqual(sorted(record.client_ids), sorted(vip.client_ids));
    assert.equal(record.recipients_count, vip.client_ids.length);
    assert.ok(record.recipients_count < before.clients.length);
  });

  test("get_history returns the newest entries in the documented shape", async () => {
    const st = await state();
    const [id, entries] = Object.entries(st.history).find(([, h]) => h.length >= 3);
    const { out } = await send("get_history", { client_id: Number(id), limit: 2 });
    assert.equal(out.status, "success");
    assert.equal(out.result.length, 2);
    assert.deepEqual(out.result.map((h) => h.id), entries.slice(-2).map((h) => h.id));
    for (const h of out.result) {
      for (const f of HISTORY_FIELDS) assert.ok(f in h, `history entry has ${f}`);
      assert.equal(typeof h.text, "string");
      assert.equal(typeof h.created_at, "number");
    }
  });

  test("clear_history empties the client's history", async () => {
    const st = await state();
    const id = Number(Object.entries(st.history).find(([, h]) => h.length > 0)[0]);
    const { out } = await send("clear_history", { client_id: id });
    assert.equal(out.status, "success");
    assert.equal(((await state()).history[id] ?? []).length, 0);
  });
});

describe("clients and lists", () => {
  test("assign_to_user gives the client to the operator", async () => {
    const st = await state();
    const client = st.clients.find((c) => c.manager === null);
    const anna = st.operators.find((o) => o.email === "anna@shop.sandbox.test");
    const { out } = await send("assign_to_user", { client_id: client.id, email: anna.email });
    assert.equal(out.status, "success");
    assert.equal(out.manager_id, anna.id);
    assert.equal(out.manager_email, anna.email);
    assert.equal(clientOf(await state(), client.id).manager.id, anna.id);
  });

  test("load_clients sends the array itself and creates the new clients", async () => {
    const before = await state();
    const { tg } = seeded(before);
    const input = [
      { platform_id: "555000111", group_id: "sandbox_shop_bot", client_type: 1 },
      { platform_id: "79005554433", group_id: "c2J4U2hvcFdBMDE=", client_type: 6 },
      { platform_id: tg.platform_id, group_id: tg.group, client_type: 1 },
    ];
    const { out, r } = await send("load_clients", input);
    assert.ok(Array.isArray(r.json));
    assert.equal(out.status, "success");
    assert.equal(out.items.length, 3);
    out.items.forEach((item, i) => {
      assert.equal(String(item.platform_id), input[i].platform_id);
      assert.equal(String(item.group_id), input[i].group_id);
      assert.equal(item.client_type, input[i].client_type);
      assert.equal(item.status, "success");
      assert.equal(typeof item.id, "number");
    });
    assert.equal(out.items[2].id, tg.id, "an existing client keeps its id");
    const after = await state();
    assert.equal(after.clients.length, before.clients.length + 2);
    assert.equal(clientOf(after, out.items[0].id).platform_id, "555000111");
  });

  test("add_to_list and remove_from_list change the list", async () => {
    const st = await state();
    const { empty, vip } = seeded(st);
    const newcomers = st.clients.filter((c) => c.lists.length === 0).slice(0, 2).map((c) => c.id);
    const added = await send("add_to_list", { list_id: empty.id, clients: newcomers });
    assert.equal(added.out.status, "success");
    const removed = await send("remove_from_list", { list_id: vip.id, clients: [vip.client_ids[0]] });
    assert.equal(removed.out.status, "success");
    const after = seeded(await state());
    assert.deepEqual(sorted(after.empty.client_ids), sorted(newcomers));
    assert.deepEqual(sorted(after.vip.client_ids), sorted(vip.client_ids.slice(1)));
  });

  test("get_clients pages with offset, limit and reverse", async () => {
    const st = await state();
    const { out } = await send("get_clients", { limit: 3, offset: 2, reverse: true });
    assert.equal(out.status, "success");
    assert.equal(out.clients.length, 3);
    const oldestFirst = [...st.clients].sort((a, b) => a.created_at - b.created_at || a.id - b.id);
    assert.deepEqual(out.clients.map((c) => c.id), oldestFirst.slice(2, 5).map((c) => c.id));
    for (const c of out.clients) {
      for (const f of BOT_CLIENT_FIELDS) assert.ok(f in c, `client has ${f}`);
      assert.equal(c.project_id, 1001);
      assert.equal(typeof c.created_at, "number");
    }
    const { vip } = seeded(st);
    const inList = await send("get_clients", { list: vip.id });
    assert.deepEqual(sorted(inList.out.clients.map((c) => c.id)), sorted(vip.client_ids));
  });

  test("delete_clients deletes the clients and their list memberships", async () => {
    const st = await state();
    const { newsletter } = seeded(st);
    const ids = newsletter.client_ids.slice(0, 2);
    const { out } = await send("delete_clients", { client_ids: ids });
    assert.equal(out.status, "success");
    assert.equal(out.deleted, 2);
    const after = await state();
    assert.equal(after.clients.length, st.clients.length - 2);
    for (const id of ids) assert.equal(clientOf(after, id), undefined);
    assert.ok(!seeded(after).newsletter.client_ids.some((id) => ids.includes(id)));
  });
});

describe("variables and finding clients", () => {
  test("save_variables stores client and deal variables; get_variables reads them", async () => {
    const { client } = activeDeal(await state());
    const saved = await send("save_variables", { client_id: client.id, variables: { "client.city": "Oslo", delivery_slot: "morning" } });
    assert.equal(saved.out.status, "success");
    const after = await state();
    assert.equal(clientOf(after, client.id).variables.city, "Oslo");
    assert.ok(after.orders.some((o) => o.client_id === client.id && o.status === 0 && o.variables.delivery_slot === "morning"));

    const { out } = await send("get_variables", { client_id: client.id });
    assert.equal(out.status, "success");
    assert.equal(out.variables["client.city"], "Oslo");
    assert.equal(out.variables.delivery_slot, "morning");
    for (const [k, v] of Object.entries(clientOf(after, client.id).variables)) assert.deepEqual(out.variables[`client.${k}`], v);
  });

  test("find_client_id_by_platform_id returns the matching clients", async () => {
    const st = await state();
    const { tg } = seeded(st);
    const { out } = await send("find_client_id_by_platform_id", { platform_ids: [tg.platform_id], group_id: tg.group });
    assert.ok(Array.isArray(out));
    assert.deepEqual(out.map((c) => c.id), [tg.id]);
    for (const f of ["id", "tag", "created_at", "name", "avatar", "platform_id", "group", "variables"]) assert.ok(f in out[0], f);
    assert.deepEqual(out[0].variables, tg.variables);
  });

  test("online_chat_client_id creates the site-chat client", async () => {
    const input = { recipient: "site-visitor-7d1f", tag: "landing-b", name: "Site Visitor" };
    const { out } = await send("online_chat_client_id", input);
    assert.deepEqual(Object.keys(out), ["client_id"]);
    const created = clientOf(await state(), out.client_id);
    assert.equal(created.client_type, 5);
    assert.equal(created.platform_id, "site-visitor-7d1f");
    assert.equal(created.tag, "landing-b");
    assert.equal(created.name, "Site Visitor");
  });

  test("whatsapp_client_id, find_client_id_by_phone and find_client_id_by_email", async () => {
    const st = await state();
    const { wa, email, phone } = seeded(st);
    const byWa = await send("whatsapp_client_id", { phone: wa.platform_id });
    assert.deepEqual(byWa.out, { status: "success", client_id: wa.id });

    const byPhone = await send("find_client_id_by_phone", { phone: phone.variables.phone });
    assert.equal(byPhone.out.status, "success");
    const phoneMatches = st.clients.filter((c) => (c.client_type === 6 && digits(c.platform_id) === digits(phone.variables.phone))
      || digits(c.variables.phone ?? "") === digits(phone.variables.phone));
    assert.ok(phoneMatches.some((c) => c.id === byPhone.out.client_id));

    const byEmail = await send("find_client_id_by_email", { email: email.platform_id });
    assert.deepEqual(byEmail.out, { status: "success", client_id: email.id });
  });

  test("the variable finders agree with the project's variables", async () => {
    const st = await state();
    const moscow = st.clients.filter((c) => String(c.variables.city) === "Moscow").map((c) => c.id);
    assert.ok(moscow.length >= 2);

    const one = await send("find_client_id_by_var", { var: "city", val: "Moscow" });
    assert.deepEqual(one.out, { status: "success", client_id: Math.min(...moscow) });

    const pro = st.clients.filter((c) => String(c.variables.plan) === "pro").map((c) => c.id)
      .concat(st.orders.filter((o) => String(o.variables.plan) === "pro").map((o) => o.client_id));
    const latest = await send("find_latest_client_id_by_var", { var: "plan", val: "pro" });
    assert.equal(latest.out.status, "success");
    assert.equal(latest.out.client_id, Math.max(...pro));

    const all = await send("find_all_client_id_by_var", { var: "city", val: "Moscow" });
    assert.equal(all.out.status, "success");
    assert.deepEqual(sorted(all.out.client_ids), sorted(moscow));

    const both = st.clients.filter((c) => String(c.variables.city) === "Moscow" && String(c.variables.plan) === "free").map((c) => c.id);
    const several = await send("find_all_client_id_by_several_vars", { city: "Moscow", plan: "free" });
    assert.equal(several.out.status, "success");
    assert.deepEqual(sorted(several.out.client_ids), sorted(both));
  });

  test("find_clients searches with operators", async () => {
    const st = await state();
    const input = { q: { city: { _in: ["Moscow", "Riga"] }, plan: { _not: "pro" } }, include_all: true };
    const expected = st.clients
      .filter((c) => ["Moscow", "Riga"].includes(String(c.variables.city)) && String(c.variables.plan ?? "") !== "pro")
      .map((c) => c.id);
    assert.ok(expected.length > 0);
    const { out } = await send("find_clients", input);
    assert.equal(out.status, "success");
    assert.deepEqual(sorted(out.client_ids), sorted(expected));
  });
});

describe("deals", () => {
  test("get_current_order_id and get_orders", async () => {
    const st = await state();
    const { client } = activeDeal(st);
    const mine = st.orders.filter((o) => o.client_id === client.id).sort((a, b) => a.created_at - b.created_at || a.id - b.id);
    const active = mine.filter((o) => o.status === 0);

    const current = await send("get_current_order_id", { client_id: client.id });
    assert.deepEqual(current.out, { status: "success", order_id: active.at(-1).id });

    const all = await send("get_orders", { client_id: client.id });
    assert.equal(all.out.status, "success");
    assert.ok(Array.isArray(all.out.order_id));
    assert.deepEqual(all.out.order_id, mine.map((o) => o.id));

    const onlyActive = await send("get_orders", { client_id: client.id, order_status: 0 });
    assert.deepEqual(onlyActive.out.order_id, active.map((o) => o.id));
  });

  test("move_order_to_next_state advances the deal", async () => {
    const st = await state();
    const { client, order } = activeDeal(st);
    const index = st.states.findIndex((s) => s.id === order.state_id);
    const next = st.states[index + 1].id;
    const { out } = await send("move_order_to_next_state", { client_id: client.id, order_id: order.id });
    assert.deepEqual(out, { status: "success", state_id: next });
    assert.equal((await state()).orders.find((o) => o.id === order.id).state_id, next);
  });

  test("get_order_vars and set_order_vars", async () => {
    const { client, order } = activeDeal(await state());
    const set = await send("set_order_vars", { client_id: client.id, order_id: order.id, variables: { color: "red", qty: 3 } });
    assert.deepEqual(set.out, { status: "success" });
    const stored = (await state()).orders.find((o) => o.id === order.id);
    assert.equal(stored.variables.color, "red");
    assert.equal(stored.variables.qty, 3);

    const names = [...Object.keys(order.variables), "color", "no_such_variable"];
    const { out } = await send("get_order_vars", { client_id: client.id, order_id: order.id, variables: names });
    assert.equal(out.status, "success");
    assert.deepEqual(out.result, { ...order.variables, color: "red", qty: 3, no_such_variable: null });
  });

  test("create_order creates a deal in the given state", async () => {
    const st = await state();
    const client = st.clients.find((c) => !st.orders.some((o) => o.client_id === c.id));
    const input = { client_id: client.id, name: "API order", description: "From the SDK tests", budget: 9900, state_id: 38 };
    const { out } = await send("create_order", input);
    assert.equal(out.status, "success");
    assert.equal(typeof out.order_id, "number");
    const after = await state();
    assert.equal(after.orders.length, st.orders.length + 1);
    const created = after.orders.find((o) => o.id === out.order_id);
    assert.equal(created.client_id, client.id);
    assert.equal(created.name, "API order");
    assert.equal(created.description, "From the SDK tests");
    assert.equal(created.budget, 9900);
    assert.equal(created.state_id, 38);
    assert.equal(created.status, 0);
  });

  test("set_order_state and get_order_state", async () => {
    const st = await state();
    const { client, order } = activeDeal(st);
    const current = st.orders.filter((o) => o.client_id === client.id && o.status === 0).sort((a, b) => a.created_at - b.created_at).at(-1);
    const set = await send("set_order_state", { client_id: client.id, state_id: 39 });
    assert.equal(set.out.status, "success");
    assert.equal(set.out.state_id, 39);
    assert.equal(set.out.order_id, current.id);
    assert.equal((await state()).orders.find((o) => o.id === current.id).state_id, 39);

    const { out } = await send("get_order_state", { client_id: client.id, order_id: order.id });
    assert.deepEqual(out, { status: "success", state_id: (await state()).orders.find((o) => o.id === order.id).state_id });
  });
});

describe("channels and blocks", () => {
  test("check_whatsapp, connected_channels and get_messages", async () => {
    const st = await state();
    const { wa } = seeded(st);
    const check = await send("check_whatsapp", { phone: wa.platform_id });
    assert.deepEqual(check.out, { status: "success", phone: digits(wa.platform_id), exists: true });

    const channels = await send("connected_channels", undefined);
    assert.equal(channels.out.project_id, 1001);
    assert.deepEqual(channels.out, st.channels);
    assert.ok(channels.out.whatsapp.every((c) => [0, 1, 2, 3].includes(c.status)));

    const blocks = await send("get_messages", undefined);
    assert.equal(blocks.out.status, "success");
    assert.deepEqual(blocks.out.messages.map((m) => m.id), st.blocks.map((b) => b.id));
    for (const m of blocks.out.messages) assert.equal(typeof m.text, "string");
  });
});

describe("the key", () => {
  test("a key with a space, a slash and a plus is percent-encoded in the path", async () => {
    const alias = bot({ apiKey: ALIAS });
    const { client } = activeDeal(await state());
    assert.ok(alias.build.getVariables({ client_id: client.id }).url.toLowerCase()
      .includes(`/mavibot/api/${ALIAS_SEGMENT.toLowerCase()}/get_variables?`));
    const input = { client_id: client.id, variables: { "client.via_alias": "yes" } };
    const before = (await received(ctx)).length;
    assert.deepEqual(await alias.saveVariables(input), { status: "success" });
    const [r] = (await received(ctx)).slice(before);
    assert.equal(r.path.toLowerCase(), `/mavibot/api/${ALIAS_SEGMENT.toLowerCase()}/save_variables`);
    expectRequest(r, "save_variables", input, { segment: r.path.split("/")[3] });
    assert.equal(r.mavibot.keyUsed, ALIAS);
    assert.equal(r.mavibot.project, BOT_KEY);
    assert.equal(clientOf(await state(BOT_KEY), client.id).variables.via_alias, "yes");
  });

  test("the URL sent is exactly the URL build returns", async () => {
    const b = bot({ apiKey: ALIAS });
    const input = { city: "São Paulo", note: "a+b & c~*/?" };
    const { url } = b.build.findAllClientIdBySeveralVars(input);
    const before = (await received(ctx)).length;
    await b.findAllClientIdBySeveralVars(input);
    const [r] = (await received(ctx)).slice(before);
    assert.equal(`${ctx.url}${r.path}?${r.rawQuery}`, url);
    assert.deepEqual(Object.fromEntries(new URL(url).searchParams), input);
  });

  test("the second key reaches its own project only", async () => {
    const other = bot({ apiKey: BOT_KEY_2 });
    const st2 = await state(BOT_KEY_2);
    const { out } = await send("get_clients", { limit: 500 }, { client: other, segment: BOT_KEY_2 });
    assert.deepEqual(sorted(out.clients.map((c) => c.id)), sorted(st2.clients.map((c) => c.id)));
    assert.ok(out.clients.every((c) => c.project_id === 1002));
    const { client } = activeDeal(await state(BOT_KEY));
    await rejectsApi(other.getCurrentOrderId({ client_id: client.id }), { code: "CLIENT_NOT_FOUND", status: 200 });
  });

  test("an invalid key is rejected and never shown", async () => {
    const wrong = "invalid-bot-key-Zq81x";
    let error;
    await assert.rejects(bot({ apiKey: wrong }).getClients({ limit: 1 }), (e) => {
      error = e;
      return true;
    });
    assert.ok(error instanceof AuthenticationError && error instanceof ApiError);
    assert.equal(error.status, 401);
    assert.ok(error.message.includes("/mavibot/api/***/get_clients"), error.message);
    for (const text of errorTexts(error)) assert.ok(!text.includes(wrong), text);
    const [r] = await received(ctx);
    assert.equal(r.path, `/mavibot/api/${wrong}/get_clients`);
  });

  test("an encoded key is masked in every form, and a valid key in a failure too", async () => {
    const odd = "bad key/with+chars";
    let error;
    await assert.rejects(bot({ apiKey: odd }).getMessages(), (e) => {
      error = e;
      return true;
    });
    assert.ok(error instanceof AuthenticationError);
    assert.ok(error.message.includes("/mavibot/api/***/get_messages"), error.message);
    for (const text of errorTexts(error)) {
      for (const form of [odd, encodeURIComponent(odd), "with+chars", "with%2Bchars"]) assert.ok(!text.includes(form), text);
    }

    await assert.rejects(bot({ apiKey: ALIAS }).getVariables({ client_id: UNKNOWN_CLIENT }), (e) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 404);
      assert.ok(e.message.includes("/mavibot/api/***/get_variables"), e.message);
      for (const text of errorTexts(e)) {
        for (const form of [ALIAS, ALIAS_SEGMENT, ALIAS_SEGMENT.toLowerCase(), BOT_KEY]) assert.ok(!text.includes(form), text);
      }
      return true;
    });
  });

  test("a network failure does not show the key either", async () => {
    const b = new Mavibot({ apiKey: BOT_KEY, baseUrl: "http://127.0.0.1:1/mavibot", maxRetries: 0 });
    await assert.rejects(b.getMessages(), (e) => {
      assert.ok(e instanceof NetworkError);
      for (const text of errorTexts(e)) assert.ok(!text.includes(BOT_KEY), text);
      return true;
    });
  });
});

describe("failures inside 200 bodies reject", () => {
  test("deal actions with an unknown client → CLIENT_NOT_FOUND", async () => {
    const st = await state();
    const { order } = activeDeal(st);
    const b = bot();
    const notFound = { code: "CLIENT_NOT_FOUND", status: 200, body: { status: "client_not_found" } };
    await rejectsApi(b.getCurrentOrderId({ client_id: UNKNOWN_CLIENT }), notFound);
    await rejectsApi(b.getOrders({ client_id: UNKNOWN_CLIENT }), notFound);
    await rejectsApi(b.moveOrderToNextState({ client_id: UNKNOWN_CLIENT, order_id: order.id }), notFound);
    await rejectsApi(b.getOrderVars({ client_id: UNKNOWN_CLIENT, order_id: order.id, variables: ["product"] }), notFound);
    await rejectsApi(b.createOrder({ client_id: UNKNOWN_CLIENT, name: "never" }), notFound);
    await rejectsApi(b.setOrderState({ client_id: UNKNOWN_CLIENT, state_id: 38 }), notFound);
    await rejectsApi(b.getOrderState({ client_id: UNKNOWN_CLIENT }), notFound);
    const after = await state();
    assert.deepEqual(after.orders, st.orders, "nothing changed");
    assert.ok((await received(ctx)).every((r) => r.status === 200));
  });

  test("unknown orders → ORDER_NOT_FOUND", async () => {
    const st = await state();
    const { client } = activeDeal(st);
    const b = bot();
    await rejectsApi(b.setOrderVars({ client_id: client.id, order_id: 12345, variables: { color: "red" } }),
      { code: "ORDER_NOT_FOUND", status: 200, body: { status: "order 12345 not found" } });
    await rejectsApi(b.getOrderState({ client_id: client.id, order_id: 12345 }), { code: "ORDER_NOT_FOUND", status: 200 });
    await rejectsApi(b.moveOrderToNextState({ client_id: client.id, order_id: 12345 }), { code: "ORDER_NOT_FOUND", status: 200 });
    const dealless = st.clients.find((c) => !st.orders.some((o) => o.client_id === c.id && o.status === 0));
    await rejectsApi(b.getCurrentOrderId({ client_id: dealless.id }), { code: "ORDER_NOT_FOUND", status: 200, body: { status: "order not found" } });
    assert.deepEqual((await state()).orders, st.orders);
  });

  test("whatsapp_client_id with an unknown phone → 404 CLIENT_NOT_FOUND", async () => {
    const e = await rejectsApi(bot().whatsappClientId({ phone: "79000000001" }), { code: "CLIENT_NOT_FOUND", status: 404 });
    assert.equal(e.body.status, "fail");
    const [r] = await received(ctx);
    expectRequest(r, "whatsapp_client_id", { phone: "79000000001" }, { status: 404 });
  });

  test("a status \"fail\" body → MAVIBOT_FAIL", async () => {
    const b = bot();
    await rejectsApi(b.call("find_clients", {}, { method: "POST" }),
      { code: "MAVIBOT_FAIL", status: 200, body: { status: "fail", message: "Parameter \"q\" required" } });
    await rejectsApi(b.call("find_clients", { q: "not an object" }, { method: "POST" }),
      { code: "MAVIBOT_FAIL", status: 200, body: { status: "fail", message: "Error in parameter format" } });
    const [r1, r2] = await received(ctx);
    assert.equal(r1.path, `/mavibot/api/${BOT_KEY}/find_clients`);
    assert.deepEqual(r1.json, {});
    assert.deepEqual(r2.json, { q: "not an object" });
  });

  test("findClients without a valid q never leaves the SDK", async () => {
    await assert.rejects(bot().findClients({}), (e) => e instanceof ValidationError && e.issues.some((i) => i.path === "q"));
    await assert.rejects(bot().findClients({ q: { city: { _gt: 1 } } }), ValidationError);
    assert.equal((await received(ctx)).length, 0);
  });
});

describe("value_* mapping", () => {
  test("callback: value_client_id goes in the query, the rest in the body, and the client is resolved", async () => {
    const { tg } = seeded(await state());
    const input = { value_client_id: "my_client", my_client: tg.id, message: "x" };
    const req = bot().build.callback(input);
    assert.equal(req.url, `${ctx.url}/mavibot/api/${BOT_KEY}/callback?value_client_id=my_client`);
    const { out, r } = await send("callback", input, { query: { value_client_id: ["my_client"] }, json: { my_client: tg.id, message: "x" } });
    assert.deepEqual(r.mavibot.mapped, { client_id: { via: "value_client_id", source: "my_client" } });
    assert.deepEqual(out, { status: "success", client_id: tg.id });
    const after = await state();
    assert.equal(after.callbacks.at(-1).client_id, tg.id);
    assert.equal(clientOf(after, tg.id).variables.my_client, undefined, "the named field is consumed");
  });

  test("message: value_client_id and value_message", async () => {
    const { vk } = seeded(await state());
    const before = (await received(ctx)).length;
    const out = await bot().message({ value_client_id: "uid", value_message: "text", uid: vk.id, text: "Mapped hello" });
    const [r] = (await received(ctx)).slice(before);
    assert.deepEqual(r.query, { value_client_id: ["uid"], value_message: ["text"] });
    assert.deepEqual(r.json, { uid: vk.id, text: "Mapped hello" });
    assert.equal(out.status, "success");
    const delivery = (await state()).deliveries.at(-1);
    assert.equal(delivery.client_id, vk.id);
    assert.equal(delivery.message, "Mapped hello");
  });
});

describe("broadcast recipients", () => {
  test("without recipients it is rejected before sending", async () => {
    const before = (await state()).broadcasts.length;
    for (const input of [{ message: "Sale today" }, { message: "Sale today", allClients: false }]) {
      await assert.rejects(bot().broadcast(input), (e) => {
        assert.ok(e instanceof ValidationError);
        assert.ok(e.issues.some((i) => i.code === "RECIPIENT_REQUIRED"), JSON.stringify(e.issues));
        return true;
      });
      assert.ok(validate.mavibot.broadcast(input).some((i) => i.code === "RECIPIENT_REQUIRED"));
      assert.throws(() => bot().build.broadcast(input), ValidationError);
    }
    assert.equal((await received(ctx)).length, 0);
    assert.equal((await state()).broadcasts.length, before);
  });

  test("allClients: true is sent without the flag and reaches every client", async () => {
    const st = await state();
    const input = { message: "We are back online", allClients: true };
    const before = (await received(ctx)).length;
    const out = await bot().broadcast(input);
    const [r] = (await received(ctx)).slice(before);
    expectRequest(r, "broadcast", input, { json: { message: "We are back online" } });
    assert.ok(!("allClients" in r.json));
    assert.equal(out.status, "success");
    const record = (await state()).broadcasts.at(-1);
    assert.equal(record.broadcast_id, out.broadcast_id);
    assert.equal(record.mode, "all");
    assert.equal(record.all_clients, true);
    assert.equal(record.recipients_count, st.clients.length);
    assert.deepEqual(sorted(record.client_ids), sorted(st.clients.map((c) => c.id)));
  });

  test("clients mode reaches exactly the named clients", async () => {
    const { tg, vk } = seeded(await state());
    const { out } = await send("broadcast", { clients: [tg.id, vk.id], message: "Just you two" });
    const record = (await state()).broadcasts.at(-1);
    assert.equal(record.broadcast_id, out.broadcast_id);
    assert.equal(record.mode, "clients");
    assert.deepEqual(sorted(record.client_ids), sorted([tg.id, vk.id]));
  });
});

describe("call", () => {
  test("reaches a named action with the given verb", async () => {
    const before = (await received(ctx)).length;
    const out = await bot().call("get_clients", { limit: 5 }, { method: "GET" });
    assert.equal(out.status, "success");
    assert.equal(out.clients.length, 5);
    const [r] = (await received(ctx)).slice(before);
    expectRequest(r, "get_clients", { limit: 5 });
  });

  test("POST sends the params as the JSON body", async () => {
    const st = await state();
    const { empty } = seeded(st);
    const params = { list_id: empty.id, clients: [st.clients[0].id] };
    assert.deepEqual(await bot().call("add_to_list", params, { method: "POST" }), { status: "success" });
    const [r] = await received(ctx);
    expectRequest(r, "add_to_list", params);
    assert.deepEqual(seeded(await state()).empty.client_ids, [st.clients[0].id]);
  });

  test("an action the sandbox doesn't know: arrays as repeated keys, the 404 rejects", async () => {
    await assert.rejects(bot().call("some_new_action", { ids: [1, 2], flag: true }, { method: "GET" }), (e) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 404);
      assert.ok(!e.message.includes(BOT_KEY));
      return true;
    });
    const [r] = await received(ctx);
    assert.equal(r.method, "GET");
    assert.equal(r.path, `/mavibot/api/${BOT_KEY}/some_new_action`);
    assert.deepEqual(r.query, { ids: ["1", "2"], flag: ["true"] });
  });

  test("an invalid action name is a ValidationError and nothing is sent", async () => {
    for (const action of ["../x", "get_clients/../x", "", "get clients", "a?b=c"]) {
      await assert.rejects(bot().call(action, {}, { method: "GET" }), (e) => e instanceof ValidationError && e.issues.length > 0, action);
    }
    assert.equal((await received(ctx)).length, 0);
  });
});

describe("iterateClients", () => {
  /** How many getClients requests paging `n` items by `limit` takes: a short page stops it. */
  const pagesFor = (n, limit) => Math.floor(n / limit) + 1;

  test("yields every client of the project, page by page", async () => {
    const st = await state();
    const n = st.clients.length;
    const progress = [];
    const ids = [];
    for await (const c of bot().iterateClients({ limit: 25 }, { onProgress: (p) => progress.push(p) })) {
      assert.equal(c.project_id, 1001);
      ids.push(c.id);
    }
    assert.equal(ids.length, n);
    assert.equal(new Set(ids).size, n, "no client twice");
    assert.deepEqual(sorted(ids), sorted(st.clients.map((c) => c.id)));
    const requests = await received(ctx);
    const expectedPages = pagesFor(n, 25);
    assert.equal(expectedPages, n % 25 === 0 ? n / 25 + 1 : Math.ceil(n / 25));
    assert.equal(requests.length, expectedPages);
    requests.forEach((r, i) => {
      expectRequest(r, "get_clients", undefined, { query: { limit: ["25"], offset: [String(25 * i)] } });
    });
    assert.equal(progress.length, expectedPages);
    assert.deepEqual(progress.map((p) => p.fetched), requests.map((_, i) => Math.min(25 * (i + 1), n)));
    assert.ok(progress.every((p) => p.total === undefined));
  });

  test("with a list, yields exactly that list's clients", async () => {
    const { newsletter, vip } = seeded(await state());
    for (const [list, limit] of [[newsletter, 10], [newsletter, 25], [vip, undefined]]) {
      const before = (await received(ctx)).length;
      const ids = [];
      for await (const c of bot().iterateClients(limit === undefined ? { list: list.id } : { list: list.id, limit })) ids.push(c.id);
      assert.deepEqual(sorted(ids), sorted(list.client_ids));
      assert.equal(new Set(ids).size, ids.length);
      const requests = (await received(ctx)).slice(before);
      assert.equal(requests.length, pagesFor(list.client_ids.length, limit ?? 500), `list ${list.name} by ${limit}`);
      for (const r of requests) assert.deepEqual(r.query.list, [String(list.id)]);
    }
  });

  test("an aborted signal stops it", async () => {
    const controller = new AbortController();
    const ids = [];
    await assert.rejects(async () => {
      for await (const c of bot().iterateClients({ limit: 25 }, { signal: controller.signal })) {
        ids.push(c.id);
        if (ids.length === 30) controller.abort();
      }
    }, (e) => e instanceof SdkError && e.name === "AbortError");
    assert.equal(ids.length, 30);
    assert.equal((await received(ctx)).length, 2);
  });
});

describe("parseMavibotWebhook", () => {
  const payload = {
    id: 90817263,
    client: {
      id: 41000054,
      recepient: "845891761",
      client_type: 1,
      name: "Boris Kuznetsova",
      avatar: "https://avatars.sandbox.mavibot.test/41000054.png",
      created_at: "2025-01-03 12:57:04",
      tag: "",
      group: "sandbox_shop_bot",
    },
    message: "Where is my order?",
    attachments: [],
    message_id: 5101,
    project_id: 1001,
    is_input: 1,
    delivered: 1,
    error_message: null,
  };

  test("JSON text and objects come back typed, with client.recipient", () => {
    for (const body of [JSON.stringify(payload), payload]) {
      const event = parseMavibotWebhook(body);
      assert.equal(event.client.recipient, event.client.recepient);
      assert.equal(event.client.recipient, "845891761");
      assert.deepEqual(event, { ...payload, client: { ...payload.client, recipient: "845891761" } });
    }
    assert.equal(payload.client.recipient, undefined, "the input object is not changed");
  });

  test("malformed payloads throw ValidationError", () => {
    const bad = [
      "not json", "{}", null, 42, [], { client: "x", message: "m" }, { client: {}, message: "m" },
      { client: { id: 1 } }, { client: { id: 1 }, message: 5 }, { client: { id: 1, recepient: {} }, message: "m" },
      { client: { id: 1 }, message: "m", is_input: 3 },
    ];
    for (const body of bad) {
      assert.throws(() => parseMavibotWebhook(body), (e) => {
        assert.ok(e instanceof ValidationError, `${JSON.stringify(body)} → ${e?.name}`);
        assert.ok(Array.isArray(e.issues) && e.issues.length > 0);
        return true;
      });
    }
  });
});

test("every one of the 42 actions was called and checked", () => {
  assert.deepEqual([...covered].sort(), Object.keys(VERBS).sort());
});
