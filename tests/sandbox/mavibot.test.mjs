/**
 * Tests of the sandbox's Mavibot module (not of the SDK), using plain `fetch` against a real
 * server on loopback. Run with `node --test tests/sandbox/`.
 *
 * One shared sandbox (Mava rate limit off) is reset before every test; tests that need other
 * settings start their own.
 */

import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from './server.mjs';
import { MAVIBOT_ACTIONS, CLIENT_TYPES } from './mavibot.mjs';

const KEY = 'sandbox-bot-key';
const KEY2 = 'sandbox-bot-key-2';
const ALIAS = 'sandbox bot/key+1';
const ALIAS_SEGMENT = 'sandbox%20bot%2Fkey%2B1';
const WA_GROUP = 'c2J4U2hvcFdBMDE=';
const TG_GROUP = 'sandbox_shop_bot';
const VK_GROUP = '143414131';

let sandbox;
/** Project 1 state at the start of each test (after reset). */
let seeded;

before(async () => {
  sandbox = await startSandbox({ rateLimit: false });
});
after(() => sandbox.close());
beforeEach(async () => {
  await control('POST', '/reset');
  seeded = await stateOf(KEY);
});

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/**
 * Calls a Mavibot action. `query`: string, object or pairs. `body`: JSON (POST default).
 * `form`: pairs/object sent as application/x-www-form-urlencoded. `rawKey`: a path segment used
 * verbatim instead of encodeURIComponent(key).
 */
async function bot(action, { method, key = KEY, rawKey, query, body, form, rawBody, headers = {}, base = sandbox.url } = {}) {
  const init = { method: method ?? (body !== undefined || form !== undefined || rawBody !== undefined ? 'POST' : 'GET'), headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] ??= 'application/json';
  }
  if (form !== undefined) {
    init.body = new URLSearchParams(form).toString();
    init.headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  if (rawBody !== undefined) init.body = rawBody;
  const qs = query === undefined ? '' : `?${typeof query === 'string' ? query : new URLSearchParams(query)}`;
  const res = await fetch(`${base}/mavibot/api/${rawKey ?? encodeURIComponent(key)}/${action}${qs}`, init);
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: json };
}

async function control(method, path, body, base = sandbox.url) {
  const res = await fetch(`${base}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

const stateOf = (key = KEY, base = sandbox.url) => control('GET', `/mavibot?key=${encodeURIComponent(key)}`, undefined, base);
const requests = async () => (await control('GET', '/requests')).requests;
const clientOf = (state, id) => state.clients.find((client) => client.id === id);

function assertOk(res, extra) {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.status, 'success', res.text);
  if (extra) for (const [key, value] of Object.entries(extra)) assert.deepEqual(res.body[key], value, `${key} in ${res.text}`);
}

function assertFail(res, status, pattern) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.status, 'fail', res.text);
  assert.deepEqual(Object.keys(res.body).sort(), ['message', 'status']);
  if (pattern !== undefined) {
    if (typeof pattern === 'string') assert.equal(res.body.message, pattern);
    else assert.match(res.body.message, pattern);
  }
}

/** Seeded fixtures of project 1, read from the control API. */
const fixtures = {
  client: () => seeded.clients[0],
  ofType: (type) => seeded.clients.find((client) => client.client_type === type),
  withVar: (name) => seeded.clients.find((client) => client.variables[name] !== undefined && client.client_type !== 6 && client.client_type !== 13 && client.client_type !== 14),
  withActiveOrder: () => seeded.clients.find((client) => seeded.orders.some((order) => order.client_id === client.id && order.status === 0)),
  withoutOrders: () => seeded.clients.find((client) => !seeded.orders.some((order) => order.client_id === client.id)),
  withHistory: () => seeded.clients.find((client) => (seeded.history[client.id] ?? []).length >= 5),
  list: (name) => seeded.lists.find((list) => list.name === name),
};

// ---------------------------------------------------------------------------------------------
// Routing, keys, auth
// ---------------------------------------------------------------------------------------------

describe('Mavibot routing and keys', () => {
  test('the module serves all 42 actions of B.1', () => {
    assert.equal(MAVIBOT_ACTIONS.length, 42);
    assert.deepEqual(CLIENT_TYPES, [0, 1, 2, 3, 5, 6, 7, 8, 10, 12, 13, 14, 16, 19, 20, 21, 22]);
  });

  test('both seeded keys work and their projects are isolated', async () => {
    const one = await bot('get_clients', { query: { limit: 500 } });
    const two = await bot('get_clients', { key: KEY2, query: { limit: 500 } });
    assertOk(one);
    assertOk(two);
    assert.equal(one.body.clients.length, 120);
    assert.equal(two.body.clients.length, 40);
    assert.ok(one.body.clients.every((client) => client.project_id === 1001));
    assert.ok(two.body.clients.every((client) => client.project_id === 1002));
    const idsOne = new Set(one.body.clients.map((client) => client.id));
    assert.ok(two.body.clients.every((client) => !idsOne.has(client.id)));
    // A client id of the other project is not found.
    assertFail(await bot('get_variables', { query: { client_id: two.body.clients[0].id } }), 404, 'Client not found');
    const channels = await bot('connected_channels', { key: KEY2 });
    assert.deepEqual(channels.body.whatsapp, []);
  });

  test('the percent-encoded alias key reaches project 1; the log path keeps the raw segment', async () => {
    const res = await bot('get_clients', { key: ALIAS, query: { limit: 3 } });
    assertOk(res);
    assert.equal(res.body.clients[0].project_id, 1001);
    const save = await bot('save_variables', { key: ALIAS, body: { client_id: fixtures.client().id, variables: { 'client.via_alias': 'yes' } } });
    assertOk(save);
    assert.equal(clientOf(await stateOf(KEY), fixtures.client().id).variables.via_alias, 'yes');
    const [get, post] = await requests();
    assert.equal(get.path, `/mavibot/api/${ALIAS_SEGMENT}/get_clients`);
    assert.equal(get.mavibot.keyUsed, ALIAS);
    assert.equal(get.mavibot.project, KEY);
    assert.equal(post.path, `/mavibot/api/${ALIAS_SEGMENT}/save_variables`);
    // The state endpoint accepts the alias too.
    assert.equal((await stateOf(ALIAS)).project.key, KEY);
  });

  test('an alias key that is not encoded properly is an unknown key (401)', async () => {
    for (const rawKey of ['sandbox%20bot/key+1', 'sandbox+bot%2Fkey%2B1', 'sandbox%20bot%2fkey+1x', '%E0%A4%A']) {
      const res = await bot('get_clients', { rawKey });
      assert.equal(res.status, 401, rawKey);
      assert.deepEqual(res.body, { status: 'fail', message: 'Invalid API key' });
    }
    // Lower-case hex escapes are the same key.
    assertOk(await bot('get_clients', { rawKey: 'sandbox%20bot%2fkey%2b1', query: { limit: 1 } }));
  });

  test('unknown key → 401, unknown action → 404, malformed path → 404, wrong verb → 405', async () => {
    for (const key of ['nope', 'SANDBOX-BOT-KEY', 'sandbox-key-acme']) {
      const res = await bot('connected_channels', { key });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { status: 'fail', message: 'Invalid API key' });
    }
    // The key is checked before the action.
    assert.equal((await bot('no_such_action', { key: 'nope' })).status, 401);
    const unknown = await bot('no_such_action');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { status: 'fail', message: 'Unknown action' });
    assert.equal((await bot('get_clients/extra')).status, 404);
    assert.equal((await fetch(`${sandbox.url}/mavibot`)).status, 404);
    for (const path of ['/mavibot/', '/mavibot/api/', `/mavibot/api/${KEY}`, '/mavibot/other']) {
      const res = await fetch(sandbox.url + path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(await res.json(), { status: 'fail', message: 'Not found' });
    }
    const wrongVerb = await bot('tg_callback', { method: 'GET', query: { user_id: '1', group_id: TG_GROUP, message: 'x' } });
    assertFail(wrongVerb, 405, 'Method not allowed');
    assert.equal(wrongVerb.headers.get('allow'), 'POST');
    assert.equal((await bot('get_history', { method: 'POST', body: { client_id: 1 } })).headers.get('allow'), 'GET');
    assert.equal((await bot('callback', { method: 'PUT', body: {} })).headers.get('allow'), 'GET, POST');
    assert.equal((await bot('get_clients', { method: 'DELETE' })).status, 405);
  });

  test('prototype names: rejected as parameters and variables, ignored as query keys, logged safely', async () => {
    const client = fixtures.client();
    assertFail(await bot('callback', { rawBody: `{"client_id":${client.id},"message":"m","__proto__":{"x":1}}`, headers: { 'content-type': 'application/json' } }), 400, 'Parameter name "__proto__" is not allowed');
    assertFail(await bot('callback', { body: { client_id: client.id, message: 'm', constructor: 1 } }), 400, 'Parameter name "constructor" is not allowed');
    assertFail(await bot('save_variables', { rawBody: `{"client_id":${client.id},"variables":{"__proto__":{"x":1}}}`, headers: { 'content-type': 'application/json' } }), 400, 'Parameter "variables" must not contain the name "__proto__"');
    assertFail(await bot('get_clients', { query: 'toString=1' }), 400, 'Unknown parameter "toString"');
    assertOk(await bot('get_clients', { query: '__proto__[x]=1&constructor[prototype][y]=1&limit=1' }));
    assertOk(await bot('callback', { query: { client_id: client.id, message: 'm', toString: '5' } }));
    assert.equal(({}).x, undefined);
    assert.equal(({}).y, undefined);
    assert.equal(clientOf(await stateOf(), client.id).variables.toString, '5');
    // The server's query log keeps such names as plain keys (Mava included).
    const mava = await fetch(`${sandbox.url}/api/tickets?startDate=2026-01-01&endDate=2026-02-01&toString=1&__proto__=2`, { headers: { 'x-auth-token': 'sandbox-key-acme' } });
    assert.equal(mava.status, 400);
    const log = await requests();
    assert.deepEqual(log.at(-1).query, { startDate: ['2026-01-01'], endDate: ['2026-02-01'], toString: ['1'], ['__proto__']: ['2'] });
  });

  test('every Mavibot answer carries the CORS header; the Mava API is unaffected', async () => {
    for (const [action, key] of [['get_clients', KEY], ['get_clients', 'nope'], ['nope', KEY]]) {
      const res = await bot(action, { key });
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
    }
    const mava = await fetch(`${sandbox.url}/api/categories`, { headers: { 'x-auth-token': 'sandbox-key-acme' } });
    assert.equal(mava.status, 200);
  });
});

// ---------------------------------------------------------------------------------------------
// Every action once, with a valid request
// ---------------------------------------------------------------------------------------------

describe('Mavibot: every action answers a valid request', () => {
  test('all 42 actions, documented verb, documented or assumed body', async () => {
    const client = fixtures.client();
    const dealClient = fixtures.withActiveOrder();
    const order = seeded.orders.find((candidate) => candidate.client_id === dealClient.id && candidate.status === 0);
    const wa = fixtures.ofType(6);
    const withPhone = fixtures.withVar('phone');
    const withEmail = fixtures.withVar('email');
    const withCity = fixtures.withVar('city');
    const newsletter = fixtures.list('Newsletter');
    const outsider = seeded.clients.find((candidate) => !newsletter.client_ids.includes(candidate.id));
    const seen = new Set();
    const run = async (action, options, check) => {
      seen.add(action);
      const res = await bot(action, options);
      assert.equal(res.status, 200, `${action}: ${res.text}`);
      check(res.body);
    };
    const success = (extra = {}) => (body) => {
      assert.equal(body.status, 'success');
      for (const [key, matcher] of Object.entries(extra)) {
        if (typeof matcher === 'function') assert.ok(matcher(body[key]), `${key} = ${JSON.stringify(body[key])}`);
        else assert.deepEqual(body[key], matcher);
      }
    };
    const isId = (value) => Number.isInteger(value) && value > 0;

    await run('callback', { body: { client_id: client.id, message: 'start' } }, success({ client_id: client.id }));
    await run('vk_callback', { body: { user_id: '5550001', group_id: VK_GROUP, message: 'start' } }, success({ client_id: isId }));
    await run('whatsapp_callback', { body: { phone: '+7 (916) 555-00-01', name: 'Lead', message: 'lead' } }, success({ client_id: isId }));
    await run('ok_callback', { body: { user_id: '777000111', group_id: '70000001234567', message: 'start' } }, success({ client_id: isId }));
    await run('tg_callback', { body: { user_id: '123456789', group_id: TG_GROUP, message: 'start' } }, success({ client_id: isId }));
    await run('max_callback', { body: { platform_id: '55554444', group_id: 'sandbox_shop_max', message: 'start' } }, success({ client_id: isId }));
    await run('send_callback_by_platform_id', { body: { platform_ids: [client.platform_id], callback_text: 'ping' } }, success({ client_ids: [client.id] }));
    await run('email_callback', { body: { email: 'new.lead@mail.sandbox.test', message: 'hello' } }, success({ client_id: isId }));
    await run('message', { body: { client_id: client.id, message: 'Hi there' } }, success({ history_id: isId }));
    await run('whatsapp_message', { body: { phone: wa.platform_id, message: 'Hello' } }, success({ client_id: wa.id, history_id: isId }));
    await run('broadcast', { body: { list: newsletter.id, message: 'News' } }, success({ broadcast_id: isId }));
    await run('get_history', { query: { client_id: client.id } }, success({ result: Array.isArray }));
    await run('clear_history', { query: { client_id: client.id } }, (body) => assert.deepEqual(body, { status: 'success' }));
    await run('assign_to_user', { body: { client_id: client.id, email: seeded.operators[0].email } }, success({ manager_id: seeded.operators[0].id, manager_email: seeded.operators[0].email }));
    await run('load_clients', { body: [{ platform_id: 274827917, group_id: VK_GROUP, client_type: 0 }] }, (body) => {
      assert.equal(body.status, 'success');
      assert.equal(body.items.length, 1);
      assert.deepEqual(Object.keys(body.items[0]), ['platform_id', 'group_id', 'client_type', 'status', 'id']);
    });
    await run('add_to_list', { body: { list_id: newsletter.id, clients: [outsider.id] } }, (body) => assert.deepEqual(body, { status: 'success' }));
    await run('remove_from_list', { body: { list_id: newsletter.id, clients: [outsider.id] } }, (body) => assert.deepEqual(body, { status: 'success' }));
    await run('get_clients', { query: { limit: 2 } }, success({ clients: (list) => list.length === 2 }));
    await run('delete_clients', { body: { client_ids: [seeded.clients.at(-1).id] } }, success({ deleted: 1 }));
    await run('save_variables', { body: { client_id: client.id, variables: { 'client.color': 'green' } } }, (body) => assert.deepEqual(body, { status: 'success' }));
    await run('get_variables', { query: { client_id: client.id } }, success({ variables: (vars) => vars['client.color'] === 'green' }));
    await run('find_client_id_by_platform_id', { body: { platform_ids: [client.platform_id] } }, (body) => {
      assert.ok(Array.isArray(body));
      assert.equal(body[0].id, client.id);
    });
    await run('online_chat_client_id', { query: { recipient: 'site-visitor-1' } }, (body) => assert.deepEqual(Object.keys(body), ['client_id']));
    await run('whatsapp_client_id', { query: { phone: wa.platform_id } }, success({ client_id: wa.id }));
    await run('find_client_id_by_phone', { query: { phone: withPhone.variables.phone } }, success({ client_id: isId }));
    await run('find_client_id_by_email', { query: { email: withEmail.variables.email } }, success({ client_id: isId }));
    await run('find_client_id_by_var', { query: { var: 'city', val: withCity.variables.city } }, success({ client_id: isId }));
    await run('find_latest_client_id_by_var', { query: { var: 'city', val: withCity.variables.city } }, success({ client_id: isId }));
    await run('find_all_client_id_by_var', { query: { var: 'city', val: withCity.variables.city } }, success({ client_ids: (ids) => ids.includes(withCity.id) }));
    await run('find_all_client_id_by_several_vars', { query: { city: withCity.variables.city } }, success({ client_ids: (ids) => ids.includes(withCity.id) }));
    await run('find_clients', { body: { q: { city: withCity.variables.city } } }, success({ client_ids: (ids) => ids.includes(withCity.id) }));
    await run('get_current_order_id', { query: { client_id: dealClient.id } }, success({ order_id: order.id }));
    await run('get_orders', { query: { client_id: dealClient.id } }, success({ order_id: (ids) => ids.includes(order.id) }));
    await run('move_order_to_next_state', { body: { client_id: dealClient.id, order_id: order.id } }, success({ state_id: isId }));
    await run('get_order_vars', { body: { client_id: dealClient.id, order_id: order.id, variables: ['product'] } }, success({ result: (result) => 'product' in result }));
    await run('set_order_vars', { body: { client_id: dealClient.id, order_id: order.id, variables: { paid: true } } }, (body) => assert.deepEqual(body, { status: 'success' }));
    await run('create_order', { body: { client_id: client.id, name: 'Sofa', budget: 1200 } }, success({ order_id: isId }));
    await run('set_order_state', { body: { client_id: client.id, state_id: seeded.states[1].id } }, success({ order_id: isId, state_id: seeded.states[1].id }));
    await run('get_order_state', { query: { client_id: client.id } }, success({ state_id: seeded.states[1].id }));
    await run('check_whatsapp', { query: { phone: '79161234567' } }, success({ phone: '79161234567', exists: true }));
    await run('connected_channels', {}, (body) => assert.equal(body.project_id, 1001));
    await run('get_messages', {}, success({ messages: (list) => list.length === seeded.blocks.length }));
    assert.deepEqual([...seen].sort(), [...MAVIBOT_ACTIONS].sort());
  });
});

// ---------------------------------------------------------------------------------------------
// Encoding: GET query, JSON, form, arrays, the log
// ---------------------------------------------------------------------------------------------

describe('Mavibot request encoding', () => {
  test('the callback family and message accept GET and POST; the verb and encoding are recorded', async () => {
    const client = fixtures.client();
    assertOk(await bot('callback', { query: { client_id: client.id, message: 'via get' } }));
    assertOk(await bot('callback', { body: { client_id: client.id, message: 'via json' } }));
    assertOk(await bot('callback', { form: { client_id: client.id, message: 'via form' } }));
    assertOk(await bot('message', { query: { client_id: client.id, message: 'm get' } }));
    assertOk(await bot('message', { body: { client_id: client.id, message: 'm post' } }));
    for (const action of ['vk_callback', 'ok_callback']) {
      assertOk(await bot(action, { query: { user_id: '42', group_id: 'g1', message: 'x' } }));
    }
    assertOk(await bot('whatsapp_callback', { query: { phone: '79160000001' } }));
    assertOk(await bot('whatsapp_message', { query: { phone: '79160000001', message: 'x' } }));

    const state = await stateOf();
    assert.deepEqual(state.callbacks.slice(0, 3).map((c) => [c.method, c.encoding, c.message]), [
      ['GET', 'query', 'via get'], ['POST', 'json', 'via json'], ['POST', 'form', 'via form'],
    ]);
    assert.deepEqual(state.deliveries.slice(0, 2).map((d) => [d.action, d.method, d.encoding]), [['message', 'GET', 'query'], ['message', 'POST', 'json']]);
    const log = await requests();
    assert.deepEqual(log.slice(0, 3).map((entry) => [entry.method, entry.mavibot.encoding]), [['GET', 'query'], ['POST', 'json'], ['POST', 'form']]);
    assert.deepEqual(log[0].query, { client_id: [String(client.id)], message: ['via get'] });
    assert.equal(log[1].headers['content-type'], 'application/json');
    assert.deepEqual(log[1].json, { client_id: client.id, message: 'via json' });
    assert.deepEqual(log[1].mavibot.params, { client_id: client.id, message: 'via json' });
  });

  test('POST bodies: JSON object or form; other content-types, malformed and non-object JSON → 400', async () => {
    const client = fixtures.client();
    assertFail(await bot('save_variables', { rawBody: '{"client_id":', headers: { 'content-type': 'application/json' } }), 400, 'Malformed JSON body');
    assertFail(await bot('save_variables', { body: [1, 2] }), 400, /JSON object/);
    assertFail(await bot('save_variables', { rawBody: 'client_id=1', headers: { 'content-type': 'text/plain' } }), 400, /Unsupported content-type "text\/plain"/);
    const multipart = new FormData();
    multipart.set('client_id', String(client.id));
    const res = await fetch(`${sandbox.url}/mavibot/api/${KEY}/save_variables`, { method: 'POST', body: multipart });
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /multipart\/form-data/);
    // An empty POST body is "no parameters".
    assertFail(await bot('assign_to_user', { method: 'POST' }), 400, 'Parameter "client_id" required');
    // content-type parameters are fine.
    assertOk(await bot('assign_to_user', { body: { client_id: client.id }, headers: { 'content-type': 'application/json; charset=utf-8' } }));
  });

  test('form bodies: repeated keys, comma lists, name[] and JSON text for arrays; name[key] or JSON text for objects', async () => {
    const [a, b, c] = seeded.clients.filter((client) => !fixtures.list('VIP').client_ids.includes(client.id));
    const vip = fixtures.list('VIP');
    assertOk(await bot('add_to_list', { form: [['list_id', String(vip.id)], ['clients', String(a.id)], ['clients', String(b.id)]] }));
    assertOk(await bot('remove_from_list', { form: { list_id: vip.id, clients: `${a.id},${b.id}` } }));
    assertOk(await bot('add_to_list', { form: [['list_id', String(vip.id)], ['clients[]', String(c.id)]] }));
    assertOk(await bot('add_to_list', { form: { list_id: vip.id, clients: JSON.stringify([a.id]) } }));
    let list = (await stateOf()).lists.find((candidate) => candidate.id === vip.id);
    assert.ok(list.client_ids.includes(a.id) && !list.client_ids.includes(b.id) && list.client_ids.includes(c.id));

    assertOk(await bot('save_variables', { form: [['client_id', String(a.id)], ['variables[client.city]', 'Oslo'], ['variables[client.level]', '3']] }));
    assertOk(await bot('save_variables', { form: { client_id: b.id, variables: JSON.stringify({ 'client.city': 'Lima' }) } }));
    const state = await stateOf();
    assert.equal(clientOf(state, a.id).variables.city, 'Oslo');
    assert.equal(clientOf(state, a.id).variables.level, '3');
    assert.equal(clientOf(state, b.id).variables.city, 'Lima');
    list = state.lists.find((candidate) => candidate.id === vip.id);
    assert.ok(list);
    assertFail(await bot('save_variables', { form: { client_id: a.id, variables: 'not json' } }), 400, 'Parameter "variables" must be an object');
  });

  test('a scalar query parameter given twice → 400; ids may be digit strings', async () => {
    const client = fixtures.client();
    assertFail(await bot('get_history', { query: [['client_id', String(client.id)], ['client_id', '2']] }), 400, 'Parameter "client_id" given more than once');
    assertOk(await bot('save_variables', { body: { client_id: String(client.id), variables: { 'client.x': 1 } } }));
    assertFail(await bot('get_variables', { query: { client_id: 'abc' } }), 400, 'Parameter "client_id" must be a positive integer id');
    assertFail(await bot('get_variables', { query: { client_id: '0' } }), 400, 'Parameter "client_id" must be a positive integer id');
  });

  test('POST actions take parameters from the body only; unknown parameters → 400', async () => {
    const client = fixtures.client();
    assertFail(await bot('assign_to_user', { query: { client_id: client.id }, body: {} }), 400, 'Parameter "client_id" must be sent in the request body, not in the query string of a POST');
    assertFail(await bot('assign_to_user', { body: { client_id: client.id, clientId: 5 } }), 400, 'Unknown parameter "clientId"');
    assertFail(await bot('get_clients', { query: { page: 2 } }), 400, 'Unknown parameter "page"');
    assertFail(await bot('connected_channels', { query: { x: 1 } }), 400, 'Unknown parameter "x"');
    // get_clients is also accepted as POST + JSON (third-party callers do that).
    const viaPost = await bot('get_clients', { body: { offset: 0, limit: 3 } });
    assertOk(viaPost);
    assert.equal(viaPost.body.clients.length, 3);
  });
});

// ---------------------------------------------------------------------------------------------
// value_* and delimiter mapping (B.0.1)
// ---------------------------------------------------------------------------------------------

describe('Mavibot value_* and delimiter mapping', () => {
  test('value_client_id in the query names the body field holding the client id', async () => {
    const client = fixtures.client();
    const res = await bot('callback', { query: { value_client_id: 'my_client' }, body: { my_client: client.id, message: 'Hello', utm: 'ads' } });
    assertOk(res, { client_id: client.id });
    const state = await stateOf();
    const [cb] = state.callbacks;
    assert.equal(cb.client_id, client.id);
    // Extra fields become client variables; the named source field is consumed.
    assert.deepEqual(cb.variables, { utm: 'ads' });
    assert.equal(clientOf(state, client.id).variables.utm, 'ads');
    assert.equal(clientOf(state, client.id).variables.my_client, undefined);
    const [entry] = await requests();
    assert.deepEqual(entry.query, { value_client_id: ['my_client'] });
    assert.deepEqual(entry.mavibot.mapped, { client_id: { via: 'value_client_id', source: 'my_client' } });
    assert.deepEqual(entry.mavibot.params, { message: 'Hello', utm: 'ads', client_id: client.id });
  });

  test('value_phone, value_email and value_message; the mapping wins over a same-named field', async () => {
    const withPhone = fixtures.withVar('phone');
    const withEmail = fixtures.withVar('email');
    assertOk(await bot('callback', { query: { value_phone: 'tel', value_message: 'text' }, body: { tel: withPhone.variables.phone, text: 'by phone' } }), { client_id: withPhone.id });
    assertOk(await bot('callback', { query: { value_email: 'mail' }, body: { mail: withEmail.variables.email.toUpperCase(), message: 'by email' } }), { client_id: withEmail.id });
    const other = seeded.clients[5];
    assertOk(await bot('message', { query: { value_client_id: 'who', value_message: 'what' }, body: { who: other.id, client_id: 1, what: 'mapped text' } }));
    const state = await stateOf();
    assert.deepEqual(state.callbacks.map((cb) => [cb.client_id, cb.message, cb.found_by]), [
      [withPhone.id, 'by phone', 'client_phone'], [withEmail.id, 'by email', 'client_email'],
    ]);
    assert.equal(state.deliveries[0].client_id, other.id);
    assert.equal(state.deliveries[0].message, 'mapped text');
  });

  test('value_user_id / value_group_id over GET (vk_callback) and for whatsapp_message', async () => {
    const res = await bot('vk_callback', { query: { value_user_id: 'uid', value_group_id: 'gid', uid: '9001', gid: VK_GROUP, message: 'go' } });
    assertOk(res);
    const state = await stateOf();
    const created = clientOf(state, res.body.client_id);
    assert.equal(created.client_type, 0);
    assert.equal(created.platform_id, '9001');
    assert.equal(created.group, VK_GROUP);
    const wa = fixtures.ofType(6);
    assertOk(await bot('whatsapp_message', { query: { value_phone: 'number' }, body: { number: wa.platform_id, message: 'hi' } }), { client_id: wa.id });
  });

  test('delimiter + delimiter_value_client_id / _phone read nested JSON (callback, save_variables, broadcast)', async () => {
    const client = fixtures.client();
    const withPhone = fixtures.withVar('phone');
    assertOk(await bot('callback', {
      query: { delimiter: '1', delimiter_value_client_id: 'data1client1id' },
      body: { data: { client: { id: client.id } }, message: 'nested' },
    }), { client_id: client.id });
    assertOk(await bot('callback', {
      query: { delimiter: '.', delimiter_value_phone: 'lead.contact' },
      body: { lead: { contact: withPhone.variables.phone }, message: 'nested phone' },
    }), { client_id: withPhone.id });
    assertOk(await bot('save_variables', {
      query: { delimiter: '/', delimiter_value_client_id: 'payload/cid' },
      body: { payload: { cid: client.id }, variables: { 'client.nested': 'ok' } },
    }));
    assertOk(await bot('broadcast', { query: { delimiter: '/', delimiter_value_client_id: 'p/c' }, body: { p: { c: client.id }, message: 'one' } }));
    // Over GET with bracket keys.
    assertOk(await bot('message', { query: `delimiter=.&delimiter_value_client_id=a.b&a[b]=${client.id}&message=hi` }));
    const state = await stateOf();
    assert.equal(clientOf(state, client.id).variables.nested, 'ok');
    assert.equal(clientOf(state, client.id).variables.data, undefined, 'the container is consumed');
    assert.deepEqual(state.broadcasts[0].client_ids, [client.id]);
    assert.equal(state.broadcasts[0].mode, 'clients');
    assert.equal(state.deliveries[0].client_id, client.id);
  });

  test('mapping errors → 400; value_* inside a body is just a field; unsupported actions reject mapping parameters', async () => {
    const client = fixtures.client();
    assertFail(await bot('callback', { query: { value_client_id: 'cid' }, body: { message: 'x' } }), 400, 'Parameter "cid" (named by value_client_id) required');
    assertFail(await bot('callback', { query: { delimiter_value_client_id: 'a.b' }, body: { a: { b: 1 }, message: 'x' } }), 400, /"delimiter" required/);
    assertFail(await bot('callback', { query: { delimiter: '.', delimiter_value_client_id: 'a.c' }, body: { a: { b: 1 }, message: 'x' } }), 400, /does not lead to a value/);
    assertFail(await bot('callback', { query: { delimiter: '.' }, body: { message: 'x' } }), 400, /needs delimiter_value_client_id/);
    // In the body, value_client_id is not a mapping: the client id is missing.
    assertFail(await bot('callback', { body: { value_client_id: 'cid', cid: client.id, message: 'x' } }), 400, 'Parameter "client_id" required (or client_phone, or client_email)');
    assertFail(await bot('get_clients', { query: { value_client_id: 'x' } }), 400, 'Parameter "value_client_id" is not supported by get_clients');
    assertFail(await bot('delete_clients', { query: { value_client_id: 'x' }, body: { client_ids: [1] } }), 400, 'Parameter "value_client_id" is not supported by delete_clients');
    assertFail(await bot('broadcast', { query: { value_client_id: 'x' }, body: { message: 'x' } }), 400, 'Parameter "value_client_id" is not supported by broadcast');
    assertFail(await bot('save_variables', { query: { delimiter: '.', delimiter_value_phone: 'a.b' }, body: { a: { b: '1' }, variables: { x: 1 } } }), 400, /delimiter_value_phone" is not supported/);
    assert.equal((await stateOf()).callbacks.length, 0);
  });
});

// ---------------------------------------------------------------------------------------------
// B.2 callbacks
// ---------------------------------------------------------------------------------------------

describe('Mavibot callbacks', () => {
  test('callback: by client_id / phone / e-mail; unknown client → 404; required message', async () => {
    const client = fixtures.client();
    assertFail(await bot('callback', { body: { client_id: 99, message: 'x' } }), 404, 'Client not found');
    assertFail(await bot('callback', { body: { client_phone: '70000000000', message: 'x' } }), 404, 'Client not found');
    assertFail(await bot('callback', { body: { client_email: 'nobody@nowhere.test', message: 'x' } }), 404, 'Client not found');
    assertFail(await bot('callback', { body: { client_id: client.id } }), 400, 'Parameter "message" required');
    assertFail(await bot('callback', { body: {} }), 400, 'Parameter "client_id" required (or client_phone, or client_email); Parameter "message" required');
    assertFail(await bot('callback', { body: { client_phone: 'abc', message: 'x' } }), 400, /client_phone" must be a phone number/);
    assert.equal((await stateOf()).callbacks.length, 0);
  });

  test('resume_bot un-pauses; time_shift wins over send_time; send_time format; time_shift >= 0', async () => {
    const paused = seeded.clients.find((client) => client.bot_paused);
    assert.ok(paused, 'the seed has paused clients');
    assertOk(await bot('callback', { body: { client_id: paused.id, message: 'resume', resume_bot: 'True' } }));
    assert.equal(clientOf(await stateOf(), paused.id).bot_paused, false);

    const client = fixtures.client();
    assertOk(await bot('callback', { body: { client_id: client.id, message: 'later', time_shift: 3600, send_time: '2030-01-01 00:00:00' } }));
    assertOk(await bot('callback', { body: { client_id: client.id, message: 'at', send_time: '2030-01-01 10:20:30' } }));
    const [, shifted, at] = (await stateOf()).callbacks;
    assert.equal(shifted.time_shift, 3600);
    assert.equal(shifted.scheduled, true);
    assert.ok(Math.abs(shifted.send_at - (Math.floor(shifted.time / 1000) + 3600)) <= 1);
    assert.equal(at.send_at, Date.UTC(2030, 0, 1, 10, 20, 30) / 1000);
    for (const sendTime of ['2024-10-16T13:15:59', '2024-02-30 10:00:00', '2024-10-16 24:00:00', '16.10.2024 13:15:59', '2024-10-16']) {
      assertFail(await bot('callback', { body: { client_id: client.id, message: 'x', send_time: sendTime } }), 400, 'Parameter "send_time" must be a date-time "YYYY-MM-DD HH:MM:SS"');
    }
    assertFail(await bot('callback', { body: { client_id: client.id, message: 'x', time_shift: -1 } }), 400, 'Parameter "time_shift" must be >= 0');
    assertFail(await bot('callback', { body: { client_id: client.id, message: 'x', time_shift: 'soon' } }), 400, 'Parameter "time_shift" must be a number');
    assertFail(await bot('callback', { body: { client_id: client.id, message: 'x', resume_bot: 'maybe' } }), 400, /resume_bot" must be a boolean/);
  });

  test('vk / ok / tg / max callbacks find or create the client by platform id and group', async () => {
    const vk = fixtures.ofType(0);
    assertOk(await bot('vk_callback', { body: { user_id: vk.platform_id, group_id: vk.group, message: 'again' } }), { client_id: vk.id });
    const created = await bot('ok_callback', { body: { user_id: '888', group_id: '70000001234567', name: 'Olga OK', message: 'hi' } });
    assertOk(created);
    const again = await bot('ok_callback', { body: { user_id: '888', group_id: '70000001234567', message: 'hi again' } });
    assert.equal(again.body.client_id, created.body.client_id);
    const tg = await bot('tg_callback', { body: { user_id: '555', group_id: 'Another_Bot', message: 'x' } });
    assertOk(tg);
    const max = await bot('max_callback', { body: { platform_id: '321', group_id: 'maxbot', message: 'x' } });
    assertOk(max);
    const state = await stateOf();
    assert.equal(clientOf(state, created.body.client_id).name, 'Olga OK');
    assert.equal(clientOf(state, created.body.client_id).client_type, 8);
    assert.equal(clientOf(state, tg.body.client_id).client_type, 1);
    assert.equal(clientOf(state, max.body.client_id).client_type, 20);
    assert.deepEqual(state.callbacks.map((cb) => cb.created), [false, true, false, true, true]);
    assert.equal(state.clients.length, 123);
  });

  test('tg_callback: group_id must end in "bot"; required fields', async () => {
    assertFail(await bot('tg_callback', { body: { user_id: '1', group_id: 'sandbox_shop', message: 'x' } }), 400, 'Parameter "group_id" must be the bot name ending in "bot"');
    assertFail(await bot('tg_callback', { body: { message: 'x' } }), 400, 'Parameter "user_id" required; Parameter "group_id" required');
    assertFail(await bot('vk_callback', { body: { user_id: '1', group_id: '2' } }), 400, 'Parameter "message" required');
    assertFail(await bot('max_callback', { body: { group_id: '2', message: 'x' } }), 400, 'Parameter "platform_id" required');
  });

  test('whatsapp_callback creates the WhatsApp client (suffix and punctuation stripped); needs a WhatsApp channel', async () => {
    const first = await bot('whatsapp_callback', { body: { phone: '79165550011@s.whatsapp.net', name: 'Site lead', message: 'registered', source: 'landing' } });
    assertOk(first);
    const second = await bot('whatsapp_callback', { query: { phone: '+7 916 555-00-11' } });
    assertOk(second, { client_id: first.body.client_id });
    const client = clientOf(await stateOf(), first.body.client_id);
    assert.equal(client.client_type, 6);
    assert.equal(client.platform_id, '79165550011');
    assert.equal(client.group, WA_GROUP);
    assert.equal(client.variables.source, 'landing');
    assertFail(await bot('whatsapp_callback', { body: { phone: '79165550011', bot_id: 'nope' } }), 404, 'WhatsApp bot not found');
    assertOk(await bot('whatsapp_callback', { body: { phone: '79165550011', bot_id: '42' } }));
    assertFail(await bot('whatsapp_callback', { key: KEY2, body: { phone: '79165550011' } }), 400, 'No WhatsApp channel connected');
    assertFail(await bot('whatsapp_callback', { body: {} }), 400, 'Parameter "phone" required');
  });

  test('email_callback finds or creates the e-mail client', async () => {
    const emailClient = fixtures.ofType(14);
    assertOk(await bot('email_callback', { body: { email: emailClient.platform_id.toUpperCase(), message: 'x' } }), { client_id: emailClient.id });
    const created = await bot('email_callback', { body: { email: 'fresh@mail.sandbox.test', name: 'Fresh', message: 'x', email_id_bot: 'bot@shop.sandbox.test' } });
    assertOk(created);
    const client = clientOf(await stateOf(), created.body.client_id);
    assert.deepEqual([client.client_type, client.platform_id, client.name, client.variables.email], [14, 'fresh@mail.sandbox.test', 'Fresh', 'fresh@mail.sandbox.test']);
    assertFail(await bot('email_callback', { body: { email: 'not-an-email', message: 'x' } }), 400, 'Parameter "email" must be an e-mail address');
    assertFail(await bot('email_callback', { method: 'GET', query: { email: 'a@b.c', message: 'x' } }), 405);
  });

  test('send_callback_by_platform_id: up to 300 ids, unknown ids recorded, group_id filter', async () => {
    const [a, b] = seeded.clients;
    const res = await bot('send_callback_by_platform_id', { body: { platform_ids: [a.platform_id, Number.isNaN(Number(b.platform_id)) ? b.platform_id : Number(b.platform_id), 'ghost'], callback_text: 'sync' } });
    assertOk(res, { client_ids: [a.id, b.id].sort((x, y) => x - y) });
    const [cb] = (await stateOf()).callbacks;
    assert.deepEqual(cb.unknown_platform_ids, ['ghost']);
    assert.equal(cb.message, 'sync');
    assertOk(await bot('send_callback_by_platform_id', { body: { platform_ids: [a.platform_id], callback_text: 'x', group_id: 'other-group' } }), { client_ids: [] });
    const ids300 = Array.from({ length: 300 }, (_, i) => `p${i}`);
    assertOk(await bot('send_callback_by_platform_id', { body: { platform_ids: ids300, callback_text: 'x' } }));
    assertFail(await bot('send_callback_by_platform_id', { body: { platform_ids: [...ids300, 'p300'], callback_text: 'x' } }), 400, 'Parameter "platform_ids" may hold at most 300 ids (got 301)');
    assertFail(await bot('send_callback_by_platform_id', { body: { platform_ids: [], callback_text: 'x' } }), 400, 'Parameter "platform_ids" must not be empty');
    assertFail(await bot('send_callback_by_platform_id', { body: { platform_ids: ['1'] } }), 400, 'Parameter "callback_text" required');
    assertFail(await bot('send_callback_by_platform_id', { body: { platform_ids: ['1'], callback_text: 'x', extra: 1 } }), 400, 'Unknown parameter "extra"');
  });
});

// ---------------------------------------------------------------------------------------------
// B.3 messages
// ---------------------------------------------------------------------------------------------

describe('Mavibot messages', () => {
  test('message: delivered, recorded, added to history with message_from_outside 1', async () => {
    const client = fixtures.client();
    const res = await bot('message', { body: { client_id: client.id, message: 'Your order', attachment_type: 'file', attachment_url: 'https://files.test/a.pdf', message_id: seeded.blocks[1].id } });
    assertOk(res);
    const state = await stateOf();
    const history = state.history[client.id];
    const entry = history.at(-1);
    assert.equal(entry.id, res.body.history_id);
    assert.deepEqual([entry.text, entry.message_from_outside, entry.client_replica, entry.message_id, entry.attachments], ['Your order', 1, false, seeded.blocks[1].id, ['https://files.test/a.pdf']]);
    const [delivery] = state.deliveries;
    assert.deepEqual([delivery.action, delivery.client_id, delivery.attachment_type, delivery.scheduled], ['message', client.id, 'file', false]);
    assert.equal(clientOf(state, client.id).message_id, seeded.blocks[1].id);
  });

  test('message: a scheduled message is recorded but not yet in history', async () => {
    const client = fixtures.client();
    const before = (seeded.history[client.id] ?? []).length;
    const res = await bot('message', { body: { client_id: client.id, message: 'later', time_shift: 600 } });
    assert.deepEqual(res.body, { status: 'success' });
    const state = await stateOf();
    assert.equal((state.history[client.id] ?? []).length, before);
    assert.equal(state.deliveries[0].scheduled, true);
    assert.equal(state.deliveries[0].history_id, null);
  });

  test('message: content, attachment and lookup rules', async () => {
    const client = fixtures.client();
    assertFail(await bot('message', { body: { client_id: client.id } }), 400, 'Parameter "message" required (or attachment_url, or message_id)');
    assertFail(await bot('message', { body: { message: 'x' } }), 400, 'Parameter "client_id" required');
    assertFail(await bot('message', { body: { client_id: client.id, attachment_url: 'https://f.test/x.png' } }), 400, 'Parameter "attachment_type" required with attachment_url');
    assertFail(await bot('message', { body: { client_id: client.id, message: 'x', attachment_type: 'image' } }), 400, 'Parameter "attachment_url" required with attachment_type');
    assertFail(await bot('message', { body: { client_id: client.id, attachment_type: 'picture', attachment_url: 'https://f.test/x.png' } }), 400, 'Parameter "attachment_type" must be one of image, video, link, file, audio');
    for (const type of ['image', 'video', 'link', 'file', 'audio']) {
      assertOk(await bot('message', { body: { client_id: client.id, attachment_type: type, attachment_url: 'https://f.test/x' } }));
    }
    assertOk(await bot('message', { body: { client_id: client.id, message_id: seeded.blocks[0].id } }));
    assertFail(await bot('message', { body: { client_id: client.id, message_id: 1 } }), 404, 'Block (message_id) not found');
    assertFail(await bot('message', { body: { client_id: 1, message: 'x' } }), 404, 'Client not found');
  });

  test('message: buttons in both documented shapes; text required on every button', async () => {
    const client = fixtures.client();
    const buttons = [{ type: 'reply', text: 'Contacts', line: 0, index_in_line: 0 }, { type: 'reply', text: 'Prices', line: 0, index_in_line: 1 }];
    assertOk(await bot('message', { body: { client_id: client.id, message: 'pick', buttons } }));
    assertOk(await bot('message', { body: { client_id: client.id, message: 'pick', buttons: { hint: 'Reply 1 or 2', buttons } } }));
    assertOk(await bot('message', { query: { client_id: client.id, message: 'pick', buttons: JSON.stringify(buttons) } }));
    assertOk(await bot('message', { body: { client_id: client.id, message: 'app', buttons: [{ type: 'web_app', text: 'Open', web_app: 'https://app.test' }] } }));
    const state = await stateOf();
    assert.deepEqual(state.deliveries[0].buttons, buttons);
    assert.deepEqual(state.deliveries[1].buttons, { hint: 'Reply 1 or 2', buttons });
    assert.deepEqual(state.deliveries[2].buttons, buttons);

    const bad = async (value, pattern) => assertFail(await bot('message', { body: { client_id: client.id, message: 'x', buttons: value } }), 400, pattern);
    await bad([{ type: 'reply' }], 'Parameter "buttons[0].text" required');
    await bad({ hint: 'h', buttons: [{ text: 'ok' }, { text: '' }] }, 'Parameter "buttons.buttons[1].text" required');
    await bad({ hint: 'h' }, 'Parameter "buttons.buttons" must be an array of buttons');
    await bad([{ text: 'a', type: 'reply' }, { text: 'b', type: 'inline' }], 'Parameter "buttons" mixes reply and inline buttons');
    await bad([{ text: 'a', type: 'carousel' }], /buttons\[0\]\.type" must be one of/);
    await bad([{ text: 'a', type: 'web_app' }], 'Parameter "buttons[0].web_app" required with type web_app');
    await bad([{ text: 'a', line: -1 }], 'Parameter "buttons[0].line" must be an integer >= 0');
    await bad('Contacts', 'Parameter "buttons" must be an array of buttons or {"hint","buttons"}');
  });

  test('whatsapp_message: to any phone (client created), chosen bot, no channel in project 2', async () => {
    const res = await bot('whatsapp_message', { body: { phone: '79167778899', message: 'Hi', whatsapp_bot_id: '41' } });
    assertOk(res);
    const state = await stateOf();
    const client = clientOf(state, res.body.client_id);
    assert.deepEqual([client.client_type, client.platform_id], [6, '79167778899']);
    assert.deepEqual([state.deliveries[0].channel_id, state.deliveries[0].created, state.deliveries[0].phone], [41, true, '79167778899']);
    assert.equal(state.history[client.id][0].text, 'Hi');
    assertFail(await bot('whatsapp_message', { body: { phone: '79167778899', message: 'Hi', whatsapp_bot_id: 'unknown' } }), 404, 'WhatsApp bot not found');
    assertFail(await bot('whatsapp_message', { key: KEY2, body: { phone: '79167778899', message: 'Hi' } }), 400, 'No WhatsApp channel connected');
    assertFail(await bot('whatsapp_message', { body: { message: 'Hi' } }), 400, 'Parameter "phone" required');
    assertFail(await bot('whatsapp_message', { body: { phone: '79167778899', attachment_url: 'https://f.test/a' } }), 400, 'Parameter "attachment_type" required with attachment_url');
  });
});

// ---------------------------------------------------------------------------------------------
// B.3.3 broadcast
// ---------------------------------------------------------------------------------------------

describe('Mavibot broadcast', () => {
  test('without a recipient mode it goes to EVERY client, and that is recorded', async () => {
    const res = await bot('broadcast', { body: { message: 'Sale starts now' } });
    assertOk(res);
    const state = await stateOf();
    assert.equal(state.broadcasts.length, 1);
    const [record] = state.broadcasts;
    assert.equal(record.broadcast_id, res.body.broadcast_id);
    assert.equal(record.mode, 'all');
    assert.equal(record.all_clients, true);
    assert.equal(record.recipients_count, 120);
    assert.deepEqual(record.client_ids, seeded.clients.map((client) => client.id));
    assert.equal(record.shift, 0.2);
    // Every client got the message in its history.
    for (const client of state.clients) assert.equal(state.history[client.id].at(-1).text, 'Sale starts now');
    assert.equal((await requests())[0].mavibot.action, 'broadcast');
  });

  test('list, clients and platform_ids modes reach only their recipients', async () => {
    const vip = fixtures.list('VIP');
    const [a, b] = seeded.clients;
    const tg = seeded.clients.filter((client) => client.client_type === 1).slice(0, 2);
    assertOk(await bot('broadcast', { body: { list: vip.id, message_id: seeded.blocks[0].id, shift: 1 } }));
    assertOk(await bot('broadcast', { body: { clients: [String(a.id), b.id, 99], message: 'x' } }));
    assertOk(await bot('broadcast', { body: { platform_ids: [...tg.map((c) => c.platform_id), 'ghost'], group_id: TG_GROUP, attachment_url: 'https://f.test/p.png', attachment_type: 'image' } }));
    assertOk(await bot('broadcast', { body: { list: fixtures.list('Empty list').id, message: 'nobody' } }));
    const { broadcasts } = await stateOf();
    assert.deepEqual(broadcasts.map((x) => [x.mode, x.all_clients, x.recipients_count]), [['list', false, vip.client_ids.length], ['clients', false, 2], ['platform_ids', false, 2], ['list', false, 0]]);
    assert.deepEqual(broadcasts[0].client_ids, vip.client_ids);
    assert.equal(broadcasts[0].shift, 1);
    assert.deepEqual(broadcasts[1].unknown_recipients, [99]);
    assert.deepEqual(broadcasts[2].client_ids, tg.map((c) => c.id).sort((x, y) => x - y));
    assert.deepEqual(broadcasts[2].unknown_recipients, ['ghost']);
  });

  test('more than one mode, platform_ids without group_id, no content → fail bodies; nothing is sent', async () => {
    const vip = fixtures.list('VIP');
    assertFail(await bot('broadcast', { body: { list: vip.id, clients: [1], message: 'x' } }), 400, 'Only one recipient mode is allowed (list, clients or platform_ids); got list, clients');
    assertFail(await bot('broadcast', { body: { clients: [1], platform_ids: ['1'], group_id: TG_GROUP, message: 'x' } }), 400, /Only one recipient mode/);
    assertFail(await bot('broadcast', { body: { platform_ids: ['1'], message: 'x' } }), 400, 'Parameter "group_id" required with platform_ids');
    assertFail(await bot('broadcast', { body: { list: vip.id } }), 400, 'Parameter "message" required (or attachment_url, or message_id)');
    assertFail(await bot('broadcast', { body: { message: 'x', shift: -1 } }), 400, 'Parameter "shift" must be >= 0');
    assertFail(await bot('broadcast', { body: { list: 424242, message: 'x' } }), 404, 'List not found');
    assertFail(await bot('broadcast', { body: { message: 'x', buttons: [{}] } }), 400, 'Parameter "buttons[0].text" required');
    assertFail(await bot('broadcast', { method: 'GET', query: { message: 'x' } }), 405);
    assert.deepEqual((await stateOf()).broadcasts, []);
  });
});

// ---------------------------------------------------------------------------------------------
// B.3.4–B.3.5 history
// ---------------------------------------------------------------------------------------------

describe('Mavibot history', () => {
  test('get_history: documented shape, every message_from_outside value in the seed, limit', async () => {
    const values = new Set(Object.values(seeded.history).flat().map((entry) => entry.message_from_outside));
    assert.deepEqual([...values].sort(), [0, 1, 2, 3, 5]);
    const client = fixtures.withHistory();
    const all = seeded.history[client.id];
    const res = await bot('get_history', { query: { client_id: client.id } });
    assertOk(res);
    assert.deepEqual(res.body.result, all);
    assert.deepEqual(Object.keys(res.body.result[0]), ['id', 'answered', 'client_replica', 'message_id', 'message_from_outside', 'created_at', 'text', 'attachments', 'delivered', 'error_message', 'manager_id', 'manager_email']);
    const limited = await bot('get_history', { query: { client_id: client.id, limit: 2 } });
    assert.deepEqual(limited.body.result, all.slice(-2));
    assertOk(await bot('get_history', { query: { client_id: client.id, limit: 2000 } }));
    assertFail(await bot('get_history', { query: { client_id: client.id, limit: 2001 } }), 400, 'Parameter "limit" must be between 1 and 2000');
    assertFail(await bot('get_history', { query: { client_id: client.id, limit: 0 } }), 400, 'Parameter "limit" must be between 1 and 2000');
    assertOk(await bot('get_history', { query: { client_id: seeded.clients.find((c) => !seeded.history[c.id]).id } }), { result: [] });
  });

  test('get_history: start_date and stop_date together, dd.mm.yyyy, inclusive days', async () => {
    const client = fixtures.withHistory();
    const all = seeded.history[client.id];
    const day = (seconds) => {
      const d = new Date(seconds * 1000);
      return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
    };
    const first = all[0].created_at;
    const res = await bot('get_history', { query: { client_id: client.id, start_date: day(first), stop_date: day(first) } });
    assertOk(res);
    const startOfDay = Math.floor(first / 86400) * 86400;
    assert.deepEqual(res.body.result, all.filter((entry) => entry.created_at >= startOfDay && entry.created_at < startOfDay + 86400));
    assert.ok(res.body.result.length >= 1);
    const wide = await bot('get_history', { query: { client_id: client.id, start_date: '01.01.2020', stop_date: '31.12.2030' } });
    assert.deepEqual(wide.body.result, all);
    assertFail(await bot('get_history', { query: { client_id: client.id, start_date: '01.01.2026' } }), 400, 'Parameters "start_date" and "stop_date" must be given together');
    assertFail(await bot('get_history', { query: { client_id: client.id, stop_date: '01.01.2026' } }), 400, 'Parameters "start_date" and "stop_date" must be given together');
    assertFail(await bot('get_history', { query: { client_id: client.id, start_date: '2026-01-01', stop_date: '02.01.2026' } }), 400, 'Parameter "start_date" must be a date "dd.mm.yyyy"');
    assertFail(await bot('get_history', { query: { client_id: client.id, start_date: '31.02.2026', stop_date: '02.03.2026' } }), 400, 'Parameter "start_date" must be a date "dd.mm.yyyy"');
    assertFail(await bot('get_history', { query: { client_id: client.id, start_date: '02.01.2026', stop_date: '01.01.2026' } }), 400, 'Parameter "start_date" must not be after "stop_date"');
    assertFail(await bot('get_history', { query: {} }), 400, 'Parameter "client_id" required');
    assertFail(await bot('get_history', { query: { client_id: 5 } }), 404, 'Client not found');
  });

  test('clear_history deletes one client\'s history only', async () => {
    const [a, b] = seeded.clients.filter((client) => seeded.history[client.id]);
    assert.deepEqual((await bot('clear_history', { query: { client_id: a.id } })).body, { status: 'success' });
    assertOk(await bot('get_history', { query: { client_id: a.id } }), { result: [] });
    assert.deepEqual((await bot('get_history', { query: { client_id: b.id } })).body.result, seeded.history[b.id]);
    assertFail(await bot('clear_history', { query: { client_id: 5 } }), 404, 'Client not found');
  });
});

// ---------------------------------------------------------------------------------------------
// B.4 clients
// ---------------------------------------------------------------------------------------------

describe('Mavibot clients', () => {
  test('get_clients: documented shape; paging with small limits visits every client once, newest first', async () => {
    const all = [];
    for (let offset = 0; ; offset += 7) {
      const page = await bot('get_clients', { query: { offset, limit: 7 } });
      assertOk(page);
      all.push(...page.body.clients);
      if (page.body.clients.length < 7) break;
    }
    assert.equal(all.length, 120);
    assert.equal(new Set(all.map((client) => client.id)).size, 120);
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].created_at > all[i].created_at || (all[i - 1].created_at === all[i].created_at && all[i - 1].id > all[i].id));
    assert.deepEqual(Object.keys(all[0]), ['id', 'platform_id', 'client_type', 'name', 'avatar', 'message_id', 'project_id', 'created_at', 'updated_at', 'custom_answer', 'tag', 'group', 'operator_start_dialog']);
    assert.ok(all.every((client) => Number.isInteger(client.created_at) && client.updated_at >= client.created_at));
    const types = new Set(all.map((client) => client.client_type));
    assert.ok(types.size >= 8, 'several client types');
    // Default limit 500 → all 120; reverse → oldest first; offset past the end → [].
    const everything = await bot('get_clients');
    assert.equal(everything.body.clients.length, 120);
    const reversed = await bot('get_clients', { query: { reverse: 'true', limit: 3 } });
    assert.deepEqual(reversed.body.clients.map((c) => c.id), all.slice(-3).reverse().map((c) => c.id));
    assertOk(await bot('get_clients', { query: { offset: 500 } }), { clients: [] });
  });

  test('get_clients: list filter, limits and errors', async () => {
    const newsletter = fixtures.list('Newsletter');
    const page = await bot('get_clients', { query: { list: newsletter.id, limit: 500 } });
    assert.deepEqual(page.body.clients.map((c) => c.id).sort((a, b) => a - b), newsletter.client_ids);
    assertOk(await bot('get_clients', { query: { limit: 500 } }));
    assertFail(await bot('get_clients', { query: { limit: 501 } }), 400, 'Parameter "limit" must be between 1 and 500');
    assertFail(await bot('get_clients', { query: { limit: 0 } }), 400, 'Parameter "limit" must be between 1 and 500');
    assertFail(await bot('get_clients', { query: { offset: -1 } }), 400, 'Parameter "offset" must be >= 0');
    assertFail(await bot('get_clients', { query: { limit: 'ten' } }), 400, 'Parameter "limit" must be an integer');
    assertFail(await bot('get_clients', { query: { list: newsletter.id, reverse: 1 } }), 400, 'Parameter "reverse" is only allowed without "list"');
    assertFail(await bot('get_clients', { query: { list: 1 } }), 404, 'List not found');
  });

  test('load_clients: a JSON array (or {"clients":[…]}); existing clients keep their id; WhatsApp suffix optional', async () => {
    const vk = fixtures.ofType(0);
    const res = await bot('load_clients', {
      body: [
        { platform_id: 274827917, group_id: 169166236, client_type: 0 },
        { platform_id: '79161112233@s.whatsapp.net', group_id: WA_GROUP, client_type: 6 },
        { platform_id: '74950001122', group_id: '', client_type: 13 },
        { platform_id: vk.platform_id, group_id: vk.group, client_type: 0 },
      ],
    });
    assertOk(res);
    assert.deepEqual(res.body.items.map((item) => [item.platform_id, item.group_id, item.client_type, item.status]), [
      [274827917, 169166236, 0, 'success'], ['79161112233@s.whatsapp.net', WA_GROUP, 6, 'success'], ['74950001122', '', 13, 'success'], [vk.platform_id, vk.group, 0, 'success'],
    ]);
    assert.equal(res.body.items[3].id, vk.id);
    const state = await stateOf();
    assert.equal(state.clients.length, 123);
    assert.equal(clientOf(state, res.body.items[1].id).platform_id, '79161112233');
    const again = await bot('load_clients', { body: { clients: [{ platform_id: '79161112233', group_id: WA_GROUP, client_type: 6 }] } });
    assertOk(again);
    assert.equal(again.body.items[0].id, res.body.items[1].id);
    const [first, second] = await requests();
    assert.equal(first.mavibot.params.clients.length, 4);
    assert.equal(second.mavibot.params.clients.length, 1);
  });

  test('load_clients: every item is validated (client_type of B.8.1, group_id, platform_id); nothing stored on error', async () => {
    const res = await bot('load_clients', {
      body: [
        { platform_id: '1', group_id: 'g', client_type: 4 },
        { group_id: 'g', client_type: 1 },
        { platform_id: '2', client_type: 1 },
        { platform_id: '3', group_id: '', client_type: 1 },
        { platform_id: '4', group_id: 'g', client_type: 1, name: 'x' },
        'nope',
      ],
    });
    assertFail(res, 400);
    for (const fragment of ['clients[0].client_type" must be one of 0, 1, 2, 3, 5, 6, 7, 8, 10, 12, 13, 14, 16, 19, 20, 21, 22', 'clients[1].platform_id" required', 'clients[2].group_id" required', 'clients[3].group_id" must not be empty', 'Unknown parameter "clients[4].name"', 'clients[5]" must be an object']) {
      assert.ok(res.body.message.includes(fragment), `${fragment} in ${res.body.message}`);
    }
    for (const type of [9, 11, 15, 17, 18, 23, -1]) {
      assertFail(await bot('load_clients', { body: [{ platform_id: '1', group_id: 'g', client_type: type }] }), 400, /client_type" must be one of/);
    }
    assertFail(await bot('load_clients', { body: [] }), 400, 'At least one client required');
    assertFail(await bot('load_clients', { body: { items: [] } }), 400, /Unknown parameter "items"/);
    assertFail(await bot('load_clients', { body: 'x' }), 400, /JSON array/);
    assert.equal((await stateOf()).clients.length, 120);
  });

  test('add_to_list / remove_from_list; unknown list or client → 404 and nothing changes', async () => {
    const vip = fixtures.list('VIP');
    const outsiders = seeded.clients.filter((client) => !vip.client_ids.includes(client.id)).slice(0, 2).map((c) => c.id);
    assertOk(await bot('add_to_list', { body: { list_id: vip.id, clients: outsiders } }));
    let list = (await stateOf()).lists.find((l) => l.id === vip.id);
    assert.equal(list.client_ids.length, vip.client_ids.length + 2);
    assertOk(await bot('remove_from_list', { body: { list_id: vip.id, clients: [outsiders[0], vip.client_ids[0]] } }));
    list = (await stateOf()).lists.find((l) => l.id === vip.id);
    assert.equal(list.client_ids.length, vip.client_ids.length);
    assert.ok(list.client_ids.includes(outsiders[1]) && !list.client_ids.includes(vip.client_ids[0]));
    assertFail(await bot('add_to_list', { body: { list_id: 1, clients: outsiders } }), 404, 'List not found');
    assertFail(await bot('add_to_list', { body: { list_id: vip.id, clients: [outsiders[0], 7] } }), 404, 'Client(s) not found: 7');
    assertFail(await bot('add_to_list', { body: { list_id: vip.id } }), 400, 'Parameter "clients" required');
    assertFail(await bot('add_to_list', { body: { list_id: vip.id, clients: [] } }), 400, 'Parameter "clients" must not be empty');
    assertFail(await bot('remove_from_list', { body: { clients: [1] } }), 400, 'Parameter "list_id" required');
    assert.equal((await stateOf()).lists.find((l) => l.id === vip.id).client_ids.includes(outsiders[0]), false);
  });

  test('delete_clients: removes clients, their lists membership, history and deals; at most 500 ids', async () => {
    const newsletter = fixtures.list('Newsletter');
    const victim = seeded.clients.find((client) => newsletter.client_ids.includes(client.id) && seeded.history[client.id]) ?? seeded.clients.find((client) => newsletter.client_ids.includes(client.id));
    const dealClient = fixtures.withActiveOrder();
    const res = await bot('delete_clients', { body: { client_ids: [victim.id, dealClient.id, 12345] } });
    assertOk(res, { deleted: 2 });
    const state = await stateOf();
    assert.equal(state.clients.length, 118);
    assert.ok(!state.lists.find((l) => l.id === newsletter.id).client_ids.includes(victim.id));
    assert.equal(state.history[victim.id], undefined);
    assert.ok(!state.orders.some((order) => order.client_id === dealClient.id));
    const ids501 = Array.from({ length: 501 }, (_, i) => i + 1);
    assertFail(await bot('delete_clients', { body: { client_ids: ids501 } }), 400, 'Parameter "client_ids" may hold at most 500 ids (got 501)');
    assertOk(await bot('delete_clients', { body: { client_ids: ids501.slice(0, 500) } }), { deleted: 0 });
    assertFail(await bot('delete_clients', { body: {} }), 400, 'Parameter "client_ids" required');
    assertFail(await bot('delete_clients', { body: { client_ids: ['x'] } }), 400, 'Parameter "client_ids[0]" must be a positive integer id');
  });

  test('assign_to_user: by e-mail, or to the least busy operator; unknown e-mail or client → 404', async () => {
    const client = fixtures.client();
    const operator = seeded.operators[1];
    assertOk(await bot('assign_to_user', { body: { client_id: client.id, email: operator.email.toUpperCase() } }), { manager_id: operator.id, manager_email: operator.email });
    assert.deepEqual(clientOf(await stateOf(), client.id).manager, operator);
    const auto = await bot('assign_to_user', { body: { client_id: seeded.clients[1].id } });
    assertOk(auto);
    const state = await stateOf();
    const load = (id) => state.clients.filter((c) => c.manager?.id === id).length;
    assert.ok(state.operators.every((op) => load(auto.body.manager_id) - 1 <= load(op.id)));
    assertFail(await bot('assign_to_user', { body: { client_id: client.id, email: 'nobody@x.test' } }), 404, 'Operator not found');
    assertFail(await bot('assign_to_user', { body: { client_id: 3, email: operator.email } }), 404, 'Client not found');
  });
});

// ---------------------------------------------------------------------------------------------
// B.5 variables
// ---------------------------------------------------------------------------------------------

describe('Mavibot variables', () => {
  test('save_variables: client.<name> → client, other names → the current deal (created when missing)', async () => {
    const noDeal = fixtures.withoutOrders();
    assertOk(await bot('save_variables', { body: { client_id: noDeal.id, variables: { 'client.phone': '88888888888', budget_note: 'big', count: 3 } } }));
    const state = await stateOf();
    assert.equal(clientOf(state, noDeal.id).variables.phone, '88888888888');
    const [deal] = state.orders.filter((order) => order.client_id === noDeal.id);
    assert.deepEqual([deal.status, deal.state_id, deal.variables], [0, state.states[0].id, { budget_note: 'big', count: 3 }]);
    const vars = await bot('get_variables', { query: { client_id: noDeal.id } });
    assertOk(vars);
    assert.equal(vars.body.variables['client.phone'], '88888888888');
    assert.equal(vars.body.variables.budget_note, 'big');
    assert.equal(vars.body.variables.count, 3);
    for (const [name, value] of Object.entries(noDeal.variables)) if (name !== 'phone') assert.equal(vars.body.variables[`client.${name}`], value);
  });

  test('save_variables: bulk clients; errors', async () => {
    const [a, b, c] = seeded.clients;
    assertOk(await bot('save_variables', { body: { client_id: a.id, clients: [b.id, c.id], variables: { 'client.segment': 'q3' } } }));
    const state = await stateOf();
    assert.ok([a, b, c].every((client) => clientOf(state, client.id).variables.segment === 'q3'));
    assertFail(await bot('save_variables', { body: { variables: { x: 1 } } }), 400, 'Parameter "client_id" required (or clients)');
    assertFail(await bot('save_variables', { body: { client_id: a.id } }), 400, 'Parameter "variables" required');
    assertFail(await bot('save_variables', { body: { client_id: a.id, variables: {} } }), 400, 'Parameter "variables" must not be empty');
    assertFail(await bot('save_variables', { body: { client_id: a.id, variables: ['x'] } }), 400, 'Parameter "variables" must be an object');
    assertFail(await bot('save_variables', { body: { clients: [a.id, 5], variables: { 'client.x': 1 } } }), 404, 'Client(s) not found: 5');
    assert.equal(clientOf(await stateOf(), a.id).variables.x, undefined);
    assertFail(await bot('get_variables', { query: {} }), 400, 'Parameter "client_id" required');
    assertFail(await bot('get_variables', { query: { client_id: 5 } }), 404, 'Client not found');
  });
});

// ---------------------------------------------------------------------------------------------
// B.6 finders
// ---------------------------------------------------------------------------------------------

describe('Mavibot client finders', () => {
  test('find_client_id_by_platform_id: a bare JSON array in the documented shape', async () => {
    const [a, b] = seeded.clients;
    const res = await bot('find_client_id_by_platform_id', { body: { platform_ids: [a.platform_id, b.platform_id, 'ghost'] } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.map((item) => item.id), [a.id, b.id]);
    assert.deepEqual(Object.keys(res.body[0]), ['id', 'tag', 'created_at', 'name', 'avatar', 'platform_id', 'group', 'variables']);
    assert.deepEqual(res.body[0].variables, a.variables);
    assert.deepEqual((await bot('find_client_id_by_platform_id', { body: { platform_ids: [a.platform_id], group_id: 'elsewhere' } })).body, []);
    assertFail(await bot('find_client_id_by_platform_id', { body: {} }), 400, 'Parameter "platform_ids" required');
    assertFail(await bot('find_client_id_by_platform_id', { body: { platform_ids: 'abc' } }), 400, 'Parameter "platform_ids" must be an array');
  });

  test('online_chat_client_id: {"client_id":N}; creates the site-chat client once; tag and name', async () => {
    const first = await bot('online_chat_client_id', { query: { recipient: 'abc123', tag: 'offer-1', name: 'Visitor' } });
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body), ['client_id']);
    const second = await bot('online_chat_client_id', { query: { recipient: 'abc123', tag: 'offer-2' } });
    assert.deepEqual(second.body, first.body);
    const client = clientOf(await stateOf(), first.body.client_id);
    assert.deepEqual([client.client_type, client.platform_id, client.tag, client.name], [5, 'abc123', 'offer-2', 'Visitor']);
    const seededChat = fixtures.ofType(5);
    assert.deepEqual((await bot('online_chat_client_id', { query: { recipient: seededChat.platform_id } })).body, { client_id: seededChat.id });
    assertFail(await bot('online_chat_client_id', { query: {} }), 400, 'Parameter "recipient" required');
  });

  test('whatsapp_client_id: WhatsApp clients only; HTTP 404 when there is none', async () => {
    const wa = fixtures.ofType(6);
    assertOk(await bot('whatsapp_client_id', { query: { phone: `+${wa.platform_id}` } }), { client_id: wa.id });
    assertOk(await bot('whatsapp_client_id', { query: { phone: wa.platform_id, group_id: wa.group } }), { client_id: wa.id });
    assertFail(await bot('whatsapp_client_id', { query: { phone: wa.platform_id, group_id: 'other' } }), 404, 'Client not found');
    const withPhone = fixtures.withVar('phone');
    assertFail(await bot('whatsapp_client_id', { query: { phone: withPhone.variables.phone } }), 404, 'Client not found');
    assertFail(await bot('whatsapp_client_id', { query: { phone: '70000000000' } }), 404, 'Client not found');
    assertFail(await bot('whatsapp_client_id', { query: {} }), 400, 'Parameter "phone" required');
  });

  test('find_client_id_by_phone (WhatsApp clients, then the phone variable) and find_client_id_by_email', async () => {
    const wa = fixtures.ofType(6);
    assertOk(await bot('find_client_id_by_phone', { query: { phone: wa.platform_id } }), { client_id: wa.id });
    const withPhone = fixtures.withVar('phone');
    const expected = seeded.clients.find((c) => c.variables.phone === withPhone.variables.phone && c.client_type !== 6);
    assertOk(await bot('find_client_id_by_phone', { query: { phone: withPhone.variables.phone } }), { client_id: expected.id });
    assertFail(await bot('find_client_id_by_phone', { query: { phone: '70000000000' } }), 404, 'Client not found');
    const emailClient = fixtures.ofType(14);
    assertOk(await bot('find_client_id_by_email', { query: { email: emailClient.platform_id } }), { client_id: emailClient.id });
    const withEmail = fixtures.withVar('email');
    assertOk(await bot('find_client_id_by_email', { query: { email: withEmail.variables.email } }), { client_id: withEmail.id });
    assertFail(await bot('find_client_id_by_email', { query: { email: 'nobody@x.test' } }), 404, 'Client not found');
    assertFail(await bot('find_client_id_by_email', { query: {} }), 400, 'Parameter "email" required');
  });

  test('find_client_id_by_var / _latest_ / _all_ / _several_vars', async () => {
    const city = fixtures.withVar('city').variables.city;
    const matching = seeded.clients.filter((c) => c.variables.city === city);
    assert.ok(matching.length >= 2);
    assertOk(await bot('find_client_id_by_var', { query: { var: 'city', val: city } }), { client_id: matching[0].id });
    assertOk(await bot('find_client_id_by_var', { query: { var: 'city', val: city, group_id: matching.at(-1).group } }), { client_id: matching.find((c) => c.group === matching.at(-1).group).id });
    assertOk(await bot('find_latest_client_id_by_var', { query: { var: 'city', val: city } }), { client_id: [...matching].sort((a, b) => b.created_at - a.created_at)[0].id });
    assertOk(await bot('find_all_client_id_by_var', { query: { var: 'city', val: city } }), { client_ids: matching.map((c) => c.id) });
    assertOk(await bot('find_all_client_id_by_var', { query: { var: 'city', val: 'Atlantis' } }), { client_ids: [] });
    assertFail(await bot('find_client_id_by_var', { query: { var: 'city', val: 'Atlantis' } }), 404, 'Client not found');
    const score = matching.find((c) => c.variables.score !== undefined);
    if (score) {
      assertOk(await bot('find_all_client_id_by_several_vars', { query: { city, score: String(score.variables.score) } }), {
        client_ids: seeded.clients.filter((c) => c.variables.city === city && c.variables.score === score.variables.score).map((c) => c.id),
      });
    }
    assertOk(await bot('find_all_client_id_by_several_vars', { query: { city, plan: 'none' } }), { client_ids: [] });
    assertFail(await bot('find_all_client_id_by_several_vars', {}), 400, 'At least one variable=value parameter required');
    assertFail(await bot('find_client_id_by_var', { query: { var: 'city' } }), 400, 'Parameter "val" required');
    assertFail(await bot('find_client_id_by_var', { query: { var: 'city', val: city, search_in: 'deals' } }), 400, 'Parameter "search_in" must be "order" or omitted');
  });

  test('find_client_id_by_var with search_in=order, and find_latest_ searching deal variables too', async () => {
    const order = seeded.orders.find((o) => o.variables.product);
    const owners = seeded.orders.filter((o) => o.variables.product === order.variables.product).map((o) => o.client_id);
    const res = await bot('find_client_id_by_var', { query: { var: 'product', val: order.variables.product, search_in: 'order' } });
    assertOk(res, { client_id: Math.min(...owners) });
    assertFail(await bot('find_client_id_by_var', { query: { var: 'product', val: order.variables.product } }), 404, 'Client not found');
    assertOk(await bot('find_latest_client_id_by_var', { query: { var: 'product', val: order.variables.product } }));
  });

  test('find_clients: documented 200 failure bodies', async () => {
    const formatError = { status: 'fail', message: 'Error in parameter format' };
    for (const body of [{}, { q: '' }, { search_in: 'order' }]) {
      const res = await bot('find_clients', { body });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'fail', message: 'Parameter "q" required' });
    }
    for (const body of [{ q: 'city' }, { q: ['x'] }, { q: { city: { _gt: 1 } } }, { q: { city: { _in: 'Berlin' } } }, { q: { city: { _in: ['a'], _not: 'b' } } }, { q: { city: ['a'] } }, { q: { city: 'x' }, search_in: 'deals' }, { q: { city: 'x' }, include_all: 'sometimes' }]) {
      const res = await bot('find_clients', { body });
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.deepEqual(res.body, formatError, JSON.stringify(body));
    }
    assertFail(await bot('find_clients', { body: { q: { city: 'x' }, extra: 1 } }), 400, 'Unknown parameter "extra"');
  });

  test('find_clients: equality, _in, _not_in, _not, include_all, search_in=order, form-encoded q', async () => {
    const ids = (predicate) => seeded.clients.filter(predicate).map((c) => c.id);
    const find = async (body) => {
      const res = await bot('find_clients', { body });
      assertOk(res);
      return res.body.client_ids;
    };
    assert.deepEqual(await find({ q: { city: 'Berlin' } }), ids((c) => c.variables.city === 'Berlin'));
    assert.deepEqual(await find({ q: { city: { _in: ['Berlin', 'Riga'] } } }), ids((c) => ['Berlin', 'Riga'].includes(c.variables.city)));
    assert.deepEqual(await find({ q: { city: { _not_in: ['Berlin', 'Riga'] } } }), ids((c) => !['Berlin', 'Riga'].includes(c.variables.city)));
    assert.deepEqual(await find({ q: { plan: { _not: 'pro' } } }), ids((c) => c.variables.plan !== 'pro'));
    assert.deepEqual(await find({ q: { city: 'Berlin', plan: 'pro' } }), ids((c) => c.variables.city === 'Berlin' && c.variables.plan === 'pro'));
    assert.deepEqual(await find({ q: { city: 'Berlin', plan: 'pro' }, include_all: true }), ids((c) => c.variables.city === 'Berlin' && c.variables.plan === 'pro'));
    assert.deepEqual(await find({ q: { city: 'Berlin', plan: 'pro' }, include_all: false }), ids((c) => c.variables.city === 'Berlin' || c.variables.plan === 'pro'));
    assert.deepEqual(await find({ q: { score: 50 } }), ids((c) => c.variables.score === 50));
    assert.deepEqual(await find({ q: { city: 'Atlantis' } }), []);
    const orderOwners = [...new Set(seeded.orders.filter((o) => o.variables.qty === 2).map((o) => o.client_id))].sort((a, b) => a - b);
    assert.deepEqual(await find({ q: { qty: 2 }, search_in: 'order' }), orderOwners);
    const form = await bot('find_clients', { form: { q: JSON.stringify({ city: 'Berlin' }), include_all: 'false' } });
    assert.deepEqual(form.body.client_ids, ids((c) => c.variables.city === 'Berlin'));
  });
});

// ---------------------------------------------------------------------------------------------
// B.7 deals
// ---------------------------------------------------------------------------------------------

describe('Mavibot deals', () => {
  test('the seed has deals in every status; unknown client → 200 {"status":"client_not_found"} for each deal action', async () => {
    assert.deepEqual([...new Set(seeded.orders.map((o) => o.status))].sort(), [0, 1, 2]);
    const notFound = { status: 'client_not_found' };
    const calls = [
      ['get_current_order_id', { query: { client_id: 1 } }],
      ['get_orders', { query: { client_id: 1 } }],
      ['move_order_to_next_state', { body: { client_id: 1, order_id: 2 } }],
      ['get_order_vars', { body: { client_id: 1, order_id: 2, variables: ['a'] } }],
      ['set_order_vars', { body: { client_id: 1, order_id: 2, variables: { a: 1 } } }],
      ['create_order', { body: { client_id: 1 } }],
      ['set_order_state', { body: { client_id: 1, state_id: seeded.states[0].id } }],
      ['get_order_state', { query: { client_id: 1 } }],
    ];
    for (const [action, options] of calls) {
      const res = await bot(action, options);
      assert.equal(res.status, 200, action);
      assert.deepEqual(res.body, notFound, action);
    }
    for (const [action, options] of calls) {
      const res = await bot(action, options.query ? { query: {} } : { body: {} });
      assertFail(res, 400, /Parameter "client_id" required/);
    }
  });

  test('get_current_order_id and get_orders (order_status 0–2)', async () => {
    const client = seeded.clients.find((c) => seeded.orders.filter((o) => o.client_id === c.id).length >= 2);
    const orders = seeded.orders.filter((o) => o.client_id === client.id);
    const active = orders.filter((o) => o.status === 0);
    assertOk(await bot('get_current_order_id', { query: { client_id: client.id } }), { order_id: active.at(-1).id });
    assertOk(await bot('get_orders', { query: { client_id: client.id } }), { order_id: orders.map((o) => o.id) });
    for (const status of [0, 1, 2]) {
      assertOk(await bot('get_orders', { query: { client_id: client.id, order_status: status } }), { order_id: orders.filter((o) => o.status === status).map((o) => o.id) });
    }
    assertFail(await bot('get_orders', { query: { client_id: client.id, order_status: 3 } }), 400, 'Parameter "order_status" must be 0 (active), 1 (won) or 2 (lost)');
    const noDeal = fixtures.withoutOrders();
    assert.deepEqual((await bot('get_current_order_id', { query: { client_id: noDeal.id } })).body, { status: 'order not found' });
    assertOk(await bot('get_orders', { query: { client_id: noDeal.id } }), { order_id: [] });
  });

  test('move_order_to_next_state walks New → Qualified → Proposal → Won and stops there', async () => {
    const client = fixtures.withoutOrders();
    const created = await bot('create_order', { body: { client_id: client.id, name: 'Walk' } });
    const orderId = created.body.order_id;
    const [newState, qualified, proposal, won] = seeded.states;
    assertOk(await bot('get_order_state', { query: { client_id: client.id, order_id: orderId } }), { state_id: newState.id });
    assertOk(await bot('move_order_to_next_state', { body: { client_id: client.id, order_id: orderId } }), { state_id: qualified.id });
    assertOk(await bot('move_order_to_next_state', { body: { client_id: client.id } }), { state_id: proposal.id });
    assertOk(await bot('move_order_to_next_state', { body: { client_id: client.id, order_id: orderId } }), { state_id: won.id });
    assertOk(await bot('move_order_to_next_state', { body: { client_id: client.id, order_id: orderId } }), { state_id: won.id });
    const order = (await stateOf()).orders.find((o) => o.id === orderId);
    assert.equal(order.status, 1);
    assert.deepEqual((await bot('move_order_to_next_state', { body: { client_id: client.id } })).body, { status: 'order not found' });
    assert.deepEqual((await bot('move_order_to_next_state', { body: { client_id: client.id, order_id: 12345 } })).body, { status: 'order 12345 not found' });
  });

  test('get_order_vars / set_order_vars; "order 12345 not found"', async () => {
    const client = fixtures.withActiveOrder();
    const order = seeded.orders.find((o) => o.client_id === client.id && o.status === 0);
    assertOk(await bot('get_order_vars', { body: { client_id: client.id, order_id: order.id, variables: ['product', 'missing'] } }), { result: { product: order.variables.product, missing: null } });
    assertOk(await bot('get_order_vars', { body: { client_id: client.id, order_id: order.id } }), { result: order.variables });
    assert.deepEqual((await bot('set_order_vars', { body: { client_id: client.id, order_id: order.id, variables: { var_name1: '111' } } })).body, { status: 'success' });
    assertOk(await bot('get_order_vars', { body: { client_id: client.id, order_id: order.id, variables: ['var_name1'] } }), { result: { var_name1: '111' } });
    const notFound = await bot('set_order_vars', { body: { client_id: client.id, order_id: 12345, variables: { a: 1 } } });
    assert.equal(notFound.status, 200);
    assert.deepEqual(notFound.body, { status: 'order 12345 not found' });
    const foreign = seeded.orders.find((o) => o.client_id !== client.id);
    assert.deepEqual((await bot('get_order_vars', { body: { client_id: client.id, order_id: foreign.id } })).body, { status: `order ${foreign.id} not found` });
    assertFail(await bot('set_order_vars', { body: { client_id: client.id, order_id: order.id } }), 400, 'Parameter "variables" required');
    assertFail(await bot('get_order_vars', { body: { client_id: client.id, variables: 'product' } }), 400, 'Parameter "variables" must be an array');
  });

  test('create_order: client_id > phone > email; unknown phone / e-mail creates a client', async () => {
    const client = fixtures.client();
    const byId = await bot('create_order', { body: { client_id: client.id, phone: '70000000001', name: 'Desk', description: 'Oak', budget: 250.5, state_id: seeded.states[2].id } });
    assertOk(byId);
    assert.equal(byId.body.client_id, undefined);
    const byPhone = await bot('create_order', { body: { phone: '+7 000 000-00-02', email: 'x@y.test' } });
    assertOk(byPhone);
    const byEmail = await bot('create_order', { body: { email: 'buyer@mail.sandbox.test' } });
    assertOk(byEmail);
    const withPhone = fixtures.withVar('phone');
    const existing = await bot('create_order', { body: { phone: withPhone.variables.phone } });
    assert.equal(existing.body.client_id, undefined);
    const state = await stateOf();
    const order = state.orders.find((o) => o.id === byId.body.order_id);
    assert.deepEqual([order.client_id, order.name, order.description, order.budget, order.state_id, order.status], [client.id, 'Desk', 'Oak', 250.5, seeded.states[2].id, 0]);
    const phoneClient = clientOf(state, byPhone.body.client_id);
    assert.deepEqual([phoneClient.client_type, phoneClient.platform_id, phoneClient.group], [13, '70000000002', '']);
    assert.equal(clientOf(state, byEmail.body.client_id).client_type, 14);
    assert.equal(state.orders.find((o) => o.id === existing.body.order_id).client_id, seeded.clients.find((c) => c.variables.phone === withPhone.variables.phone && c.client_type !== 6).id);
    assertFail(await bot('create_order', { body: { name: 'x' } }), 400, 'Parameter "client_id" required (or phone, or email)');
    assertFail(await bot('create_order', { body: { client_id: client.id, state_id: 1 } }), 400, /Parameter "state_id" must be one of/);
    assertFail(await bot('create_order', { body: { client_id: client.id, budget: 'lots' } }), 400, 'Parameter "budget" must be a number');
  });

  test('set_order_state / get_order_state: the current deal; "order not found"', async () => {
    const client = fixtures.withActiveOrder();
    const current = (await bot('get_current_order_id', { query: { client_id: client.id } })).body.order_id;
    const lost = seeded.states.find((s) => s.status === 2);
    assertOk(await bot('set_order_state', { body: { client_id: client.id, state_id: lost.id } }), { order_id: current, state_id: lost.id });
    assertOk(await bot('get_order_state', { query: { client_id: client.id, order_id: current } }), { state_id: lost.id });
    assert.equal((await stateOf()).orders.find((o) => o.id === current).status, 2);
    const noDeal = fixtures.withoutOrders();
    const missing = await bot('get_order_state', { query: { client_id: noDeal.id } });
    assert.equal(missing.status, 200);
    assert.deepEqual(missing.body, { status: 'order not found' });
    assert.deepEqual((await bot('get_order_state', { query: { client_id: client.id, order_id: 12345 } })).body, { status: 'order not found' });
    assert.deepEqual((await bot('set_order_state', { body: { client_id: noDeal.id, state_id: lost.id } })).body, { status: 'order not found' });
    assertFail(await bot('set_order_state', { body: { client_id: client.id } }), 400, 'Parameter "state_id" required');
    assertFail(await bot('set_order_state', { body: { client_id: client.id, state_id: 999 } }), 400, /Parameter "state_id" must be one of/);
  });
});

// ---------------------------------------------------------------------------------------------
// B.8 other actions
// ---------------------------------------------------------------------------------------------

describe('Mavibot channels, blocks, check_whatsapp', () => {
  test('connected_channels: the documented sample shape with WhatsApp status', async () => {
    const res = await bot('connected_channels');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['project_id', 'viber', 'facebook', 'telegram', 'whatsapp', 'avito', 'ok', 'vkontakte']);
    assert.deepEqual(Object.keys(res.body.telegram[0]), ['id', 'short_name', 'name', 'enabled', 'group_id']);
    assert.ok(res.body.telegram[0].group_id.endsWith('bot'));
    assert.deepEqual(res.body.vkontakte[0], { id: 33, group: VK_GROUP, group_id: VK_GROUP });
    assert.deepEqual(res.body.whatsapp.map((w) => [w.group_id, w.status]), [[WA_GROUP, 1], ['c2J4U2hvcFdBMDI=', 2]]);
    assert.ok(res.body.whatsapp.every((w) => [0, 1, 2, 3].includes(w.status)));
    // The groups of seeded clients come from these channels.
    assert.ok(seeded.clients.filter((c) => c.client_type === 1).every((c) => c.group === TG_GROUP));
  });

  test('get_messages lists the bot blocks; check_whatsapp', async () => {
    const blocks = await bot('get_messages');
    assertOk(blocks, { messages: seeded.blocks });
    assertOk(await bot('check_whatsapp', { query: { phone: '+7 916 123-45-67' } }), { phone: '79161234567', exists: true });
    assertOk(await bot('check_whatsapp', { body: { phone: '79161234560' } }), { exists: false });
    const wa = fixtures.ofType(6);
    assertOk(await bot('check_whatsapp', { query: { phone: wa.platform_id } }), { exists: true });
    assertFail(await bot('check_whatsapp', { key: KEY2, query: { phone: '79161234567' } }), 400, 'No WhatsApp channel connected');
    assertFail(await bot('check_whatsapp', { query: {} }), 400, 'Parameter "phone" required');
  });
});

// ---------------------------------------------------------------------------------------------
// Control API, faults, rate limit, determinism
// ---------------------------------------------------------------------------------------------

describe('Mavibot control API, faults and rate limit', () => {
  test('GET /__sandbox/mavibot lists projects; ?key= gives the full state; unknown key → 404', async () => {
    const summary = await control('GET', '/mavibot');
    assert.deepEqual(summary.projects.map((p) => [p.key, p.aliases, p.project_id, p.clientCount]), [[KEY, [ALIAS], 1001, 120], [KEY2, [], 1002, 40]]);
    assert.deepEqual(Object.keys(seeded), ['project', 'clients', 'lists', 'orders', 'states', 'operators', 'channels', 'blocks', 'history', 'deliveries', 'callbacks', 'broadcasts']);
    assert.ok(seeded.lists.length >= 3 && seeded.orders.length >= 10 && Object.keys(seeded.history).length >= 10);
    const res = await fetch(`${sandbox.url}/__sandbox/mavibot?key=nope`);
    assert.equal(res.status, 404);
    const two = await stateOf(KEY2);
    assert.equal(two.project.project_id, 1002);
    // Control reads are not logged.
    assert.deepEqual(await requests(), []);
  });

  test('POST /__sandbox/reset restores Mavibot data and empties its delivery logs', async () => {
    const client = fixtures.client();
    await bot('broadcast', { body: { message: 'x' } });
    await bot('delete_clients', { body: { client_ids: [client.id] } });
    await bot('save_variables', { body: { client_id: seeded.clients[1].id, variables: { 'client.z': 1 } } });
    assert.equal((await stateOf()).broadcasts.length, 1);
    assert.deepEqual(await control('POST', '/reset'), { ok: true });
    assert.deepEqual(await stateOf(), seeded);
  });

  test('same seed → same data; another seed → other data', async () => {
    const other = await startSandbox({ rateLimit: false, seed: 2 });
    const same = await startSandbox({ rateLimit: false });
    try {
      assert.deepEqual(await stateOf(KEY, same.url), seeded);
      const different = await stateOf(KEY, other.url);
      assert.notDeepEqual(different.clients.map((c) => c.id), seeded.clients.map((c) => c.id));
      assert.equal(different.clients.length, 120);
    } finally {
      await other.close();
      await same.close();
    }
  });

  test('faults match /mavibot/* paths; the request log shows the raw path', async () => {
    await control('POST', '/faults', { kind: 'status', status: 503, match: { path: '/mavibot/*' }, body: { status: 'fail', message: 'maintenance' } });
    const faulted = await bot('get_messages');
    assert.equal(faulted.status, 503);
    assert.deepEqual(faulted.body, { status: 'fail', message: 'maintenance' });
    assert.equal((await bot('get_messages')).status, 200);
    await control('POST', '/faults', { kind: 'drop-after-body', match: { method: 'POST', path: `/mavibot/api/${KEY}/broadcast` } });
    await assert.rejects(bot('broadcast', { body: { message: 'dropped but sent' } }));
    assert.equal((await stateOf()).broadcasts.length, 1, 'drop-after-body processes the request');
    // A 401 never consumes a fault.
    await control('POST', '/faults', { kind: 'empty', match: { path: '/mavibot/*' } });
    assert.equal((await bot('get_messages', { key: 'nope' })).status, 401);
    assert.equal((await bot('get_messages')).text, '');
    const log = await requests();
    assert.deepEqual(log.map((entry) => [entry.path, entry.status, entry.fault]), [
      [`/mavibot/api/${KEY}/get_messages`, 503, 'status'],
      [`/mavibot/api/${KEY}/get_messages`, 200, null],
      [`/mavibot/api/${KEY}/broadcast`, 'drop', 'drop-after-body'],
      ['/mavibot/api/nope/get_messages', 401, null],
      [`/mavibot/api/${KEY}/get_messages`, 200, 'empty'],
    ]);
  });

  test('no Mavibot rate limit by default: the Mava rateLimit option applies to Mava only', async () => {
    const own = await startSandbox({ rateLimit: { requests: 2, windowMs: 60000 } });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await bot('get_messages', { base: own.url })).status, 200);
      const mava = () => fetch(`${own.url}/api/categories`, { headers: { 'x-auth-token': 'sandbox-key-acme' } });
      assert.equal((await mava()).status, 200);
      assert.equal((await mava()).status, 200);
      assert.equal((await mava()).status, 429);
      assert.deepEqual(await control('GET', '/mavibot/config', undefined, own.url), { rateLimit: false });
    } finally {
      await own.close();
    }
  });

  test('mavibotRateLimit limits Mavibot per project (alias shares the window) with a fail body', async () => {
    const own = await startSandbox({ rateLimit: false, mavibotRateLimit: { requests: 2, windowMs: 60000 } });
    try {
      assert.equal((await bot('get_messages', { base: own.url })).status, 200);
      assert.equal((await bot('get_messages', { base: own.url, key: ALIAS })).status, 200);
      const limited = await bot('get_messages', { base: own.url });
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.body, { status: 'fail', message: 'Too many requests' });
      assert.match(limited.headers.get('retry-after'), /^\d+$/);
      assert.equal((await bot('get_messages', { base: own.url, key: KEY2 })).status, 200);
      // Mava is not limited.
      for (let i = 0; i < 3; i++) assert.equal((await fetch(`${own.url}/api/categories`, { headers: { 'x-auth-token': 'sandbox-key-acme' } })).status, 200);
      assert.deepEqual(await control('POST', '/mavibot/config', { rateLimit: false }, own.url), { ok: true, rateLimit: false });
      assert.equal((await bot('get_messages', { base: own.url })).status, 200);
      assert.deepEqual(await control('POST', '/mavibot/config', { rateLimit: { requests: 0 } }, own.url).then((body) => Object.keys(body)), ['error']);
      await control('POST', '/reset', undefined, own.url);
      assert.deepEqual(await control('GET', '/mavibot/config', undefined, own.url), { rateLimit: { requests: 2, windowMs: 60000 } });
      assert.deepEqual(await control('GET', '/config', undefined, own.url), { rateLimit: false });
    } finally {
      await own.close();
    }
  });
});
