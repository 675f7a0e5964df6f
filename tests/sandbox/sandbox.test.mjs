/**
 * Tests of the sandbox itself (not of the SDK), using plain `fetch` against a real server on
 * loopback. Run with `node --test tests/sandbox/`.
 *
 * One shared sandbox (rate limit off, 250 seeded tickets) is reset before every test; tests that
 * need other settings start their own.
 */

import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSandbox } from './server.mjs';

const ACME = 'sandbox-key-acme';
const GLOBEX = 'sandbox-key-globex';
const OBJECT_ID = /^[0-9a-f]{24}$/;
const FULL_RANGE = 'startDate=2026-01-01&endDate=2026-07-01';
const UPLOAD = 'https://uploads.sandbox.mava.test/';
const WALLET = `0x${'ab'.repeat(20)}`;

let sandbox;
let acme;
let globex;

before(async () => {
  sandbox = await startSandbox({ rateLimit: false });
});
after(() => sandbox.close());
beforeEach(async () => {
  await control('POST', '/reset');
  [acme, globex] = (await control('GET', '/tenants')).tenants;
});

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

async function call(method, path, { key = ACME, body, rawBody, headers = {}, signal, base = sandbox.url } = {}) {
  const init = { method, headers: { ...headers }, signal };
  if (key !== null) init.headers['x-auth-token'] = key;
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] ??= 'application/json';
  }
  if (rawBody !== undefined) init.body = rawBody;
  const res = await fetch(base + path, init);
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

const fault = (spec) => control('POST', '/faults', spec);
const requests = async () => (await control('GET', '/requests')).requests;
const storedTickets = async (key = ACME) => (await control('GET', `/tickets?key=${key}`)).tickets;
const activeCategory = (tenant) => tenant.categories.find((c) => !c.isArchived);
const archivedCategory = (tenant) => tenant.categories.find((c) => c.isArchived);
const activeAgent = (tenant) => tenant.agents.find((a) => !a.isArchived);
const archivedAgent = (tenant) => tenant.agents.find((a) => a.isArchived);
const customerWithEmail = (tenant) => tenant.customers.find((c) => c.email);
const attributeOf = (tenant, kind) => tenant.attributes.find((a) => a.affiliationType === kind);

function createTicket(body, key = ACME) {
  return call('POST', '/api/ticket', { key, body });
}

function fetchTickets(query, key = ACME) {
  return call('GET', `/api/tickets?${query}`, { key });
}

async function fetchAll(query, limit = 100) {
  const all = [];
  for (let skip = 0; ; skip += limit) {
    const page = await fetchTickets(`${query}&limit=${limit}&skip=${skip}`);
    assert.equal(page.status, 200, page.text);
    all.push(...page.body.tickets);
    if (!page.body.pagination.hasMore) return { tickets: all, count: page.body.count };
  }
}

function assertError(res, status, error) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.error, error, res.text);
}

function assertCodeError(res, status, code) {
  assertError(res, status, code);
  assert.equal(typeof res.body.message, 'string');
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'message']);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// HTTP basics: CORS, auth, routing, log
// ---------------------------------------------------------------------------------------------

describe('HTTP basics', () => {
  test('preflight answers 204 with the CORS headers and is neither logged nor limited', async () => {
    const res = await fetch(`${sandbox.url}/api/ticket`, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'POST' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET, POST, PUT, DELETE, OPTIONS');
    assert.equal(res.headers.get('access-control-allow-headers'), 'content-type, x-auth-token');
    assert.equal(res.headers.get('access-control-expose-headers'), 'Retry-After');
    assert.deepEqual(await requests(), []);
  });

  test('every answer carries Access-Control-Allow-Origin and exposes Retry-After', async () => {
    for (const [path, key] of [['/api/categories', ACME], ['/api/categories', null], ['/api/nope', ACME], ['/nope', ACME]]) {
      const res = await call('GET', path, { key });
      assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
      assert.equal(res.headers.get('access-control-expose-headers'), 'Retry-After', path);
    }
  });

  test('missing or unknown x-auth-token → 401 {"error":"Unauthorized"}', async () => {
    for (const key of [null, '', 'sandbox-key-nope', 'Bearer sandbox-key-acme']) {
      const res = await call('GET', '/api/categories', { key });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { error: 'Unauthorized' });
    }
    const res = await call('GET', '/api/categories', { key: null, headers: { authorization: `Bearer ${ACME}` } });
    assert.equal(res.status, 401);
  });

  test('unknown paths → 404, wrong method on a known path → 405', async () => {
    assert.deepEqual((await call('GET', '/api/tags')).body, { error: 'Not found' });
    assert.equal((await call('GET', '/api/tickets/')).status, 404);
    assert.equal((await call('GET', '/somewhere')).status, 404);
    const wrong = await call('DELETE', '/api/ticket');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST, PUT');
    assert.equal((await call('POST', '/api/categories', { body: {} })).status, 405);
    assert.equal((await call('GET', '/api/message')).status, 405);
  });

  test('the request log records every API request with its details', async () => {
    await call('GET', `/api/tickets?${FULL_RANGE}&status=Open&status=Pending&limit=5`, { headers: { 'X-Custom': 'yes' } });
    await call('POST', '/api/ticket', { body: { customerId: 'x' } });
    await call('GET', '/api/categories', { key: 'wrong' });
    await control('GET', '/tenants');
    const log = await requests();
    assert.equal(log.length, 3);
    const [get, post, unauthorized] = log;
    assert.ok(get.seq < post.seq && post.seq < unauthorized.seq);
    assert.equal(typeof get.time, 'number');
    assert.equal(get.method, 'GET');
    assert.equal(get.path, '/api/tickets');
    assert.deepEqual(get.query, { startDate: ['2026-01-01'], endDate: ['2026-07-01'], status: ['Open', 'Pending'], limit: ['5'] });
    assert.equal(get.rawQuery, `${FULL_RANGE}&status=Open&status=Pending&limit=5`);
    assert.equal(get.headers['x-custom'], 'yes');
    assert.equal(get.headers['x-auth-token'], ACME);
    assert.equal(get.bodyText, '');
    assert.equal(get.json, null);
    assert.equal(get.status, 200);
    assert.equal(get.fault, null);
    assert.equal(post.bodyText, '{"customerId":"x"}');
    assert.deepEqual(post.json, { customerId: 'x' });
    assert.equal(post.headers['content-type'], 'application/json');
    assert.equal(post.status, 404);
    assert.equal(unauthorized.status, 401);

    assert.deepEqual(await control('DELETE', '/requests'), { ok: true });
    assert.deepEqual(await requests(), []);
  });

  test('unknown control route → 404; bad control bodies → 400', async () => {
    const res = await fetch(`${sandbox.url}/__sandbox/nothing`);
    assert.equal(res.status, 404);
    const bad = await fetch(`${sandbox.url}/__sandbox/config`, { method: 'POST', body: '{oops' });
    assert.equal(bad.status, 400);
    const invalid = await fetch(`${sandbox.url}/__sandbox/config`, { method: 'POST', body: '{"rateLimit":{"requests":0}}' });
    assert.equal(invalid.status, 400);
    const tickets = await fetch(`${sandbox.url}/__sandbox/tickets?key=nope`);
    assert.equal(tickets.status, 404);
  });
});

// ---------------------------------------------------------------------------------------------
// Seed data, tenants, determinism
// ---------------------------------------------------------------------------------------------

describe('seed data and tenants', () => {
  test('each tenant has the documented seed shape', async () => {
    for (const tenant of [acme, globex]) {
      assert.equal(tenant.categories.length, 4);
      assert.equal(tenant.categories.filter((c) => c.isArchived).length, 1);
      assert.equal(tenant.agents.length, 4);
      assert.ok(tenant.agents.some((a) => a.email && !a.walletAddress && !a.isArchived));
      assert.ok(tenant.agents.some((a) => a.email === null && a.walletAddress && !a.isArchived));
      assert.ok(tenant.agents.some((a) => a.email && a.walletAddress && !a.isArchived));
      assert.equal(tenant.agents.filter((a) => a.isArchived).length, 1);
      assert.equal(tenant.customers.length, 20);
      assert.ok(tenant.customers.some((c) => c.email === null && /^0x[0-9a-f]{40}$/.test(c.walletAddress)));
      assert.equal(tenant.tags.length, 5);
      assert.equal(tenant.attributes.filter((a) => a.affiliationType === 'customer').length, 3);
      assert.equal(tenant.attributes.filter((a) => a.affiliationType === 'ticket').length, 3);
      assert.equal(tenant.ticketCount, 250);
    }
  });

  test('ids are 24 lowercase hex and never shared between tenants', async () => {
    const idsOf = async (tenant) => {
      const tickets = await storedTickets(tenant.key);
      return [
        ...tenant.categories.map((c) => c._id), ...tenant.agents.map((a) => a.id), ...tenant.customers.map((c) => c._id),
        ...tenant.tags.map((t) => t._id), ...tenant.attributes.map((a) => a._id),
        ...tickets.map((t) => t._id), ...tickets.flatMap((t) => t.messages.map((m) => m._id)),
      ];
    };
    const a = await idsOf(acme);
    const g = await idsOf(globex);
    for (const id of [...a, ...g]) assert.match(id, OBJECT_ID);
    assert.equal(new Set(a).size, a.length);
    assert.equal(new Set([...a, ...g]).size, a.length + g.length);
  });

  test('seeded tickets cover every status, priority, origin and the optional fields', async () => {
    const tickets = await storedTickets();
    const values = (pick) => new Set(tickets.map(pick));
    assert.deepEqual([...values((t) => t.status)].sort(), ['Open', 'Pending', 'Resolved', 'Waiting']);
    assert.deepEqual([...values((t) => t.priority)].sort(), [1, 2, 3]);
    assert.deepEqual([...values((t) => t.sourceType)].sort(), ['discord', 'email', 'telegram', 'telegram-group', 'web']);
    assert.ok(tickets.some((t) => t.assignedTo === null));
    assert.ok(tickets.some((t) => t.category !== null) && tickets.some((t) => t.category === null));
    assert.ok(tickets.some((t) => t.tags.length > 0));
    assert.ok(tickets.some((t) => t.csat !== null) && tickets.some((t) => t.csat === null));
    assert.ok(tickets.some((t) => t.resolutionTime !== null));
    const counts = values((t) => t.messages.length);
    for (const n of [0, 1, 2, 3, 4]) assert.ok(counts.has(n), `a ticket with ${n} messages`);
    const messages = tickets.flatMap((t) => t.messages);
    assert.deepEqual([...new Set(messages.map((m) => m.senderType))].sort(), ['agent', 'customer', 'system']);
    assert.deepEqual([...new Set(messages.map((m) => m.messageType))].sort(), ['ExternalMessage', 'InternalNote']);
    for (const t of tickets) {
      assert.ok(t.createdAt >= '2026-01-01T00:00:00.000Z' && t.createdAt < '2026-07-01T00:00:00.000Z');
      if (t.sourceType === 'telegram-group') {
        assert.equal(t.customer, null);
        assert.equal(t.csat, null);
        assert.equal(t.aiStatus, null);
      }
      if (t.sourceType !== 'discord') assert.deepEqual(t.discordUsers, []);
    }
  });

  test('same seed → same data; another seed → other data', async () => {
    const a = await startSandbox({ tickets: 20, seed: 7 });
    const b = await startSandbox({ tickets: 20, seed: 7 });
    const c = await startSandbox({ tickets: 20, seed: 8 });
    try {
      const snapshot = async (s) => JSON.stringify([await control('GET', '/tenants', undefined, s.url), await control('GET', `/tickets?key=${ACME}`, undefined, s.url)]);
      assert.equal(await snapshot(a), await snapshot(b));
      assert.notEqual(await snapshot(a), await snapshot(c));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  test('reset reseeds data and clears log and faults; it can change seed and size', async () => {
    const created = await createTicket({ customerId: acme.customers[0]._id });
    assert.equal(created.status, 201);
    await fault({ kind: 'status', status: 500 });
    assert.equal((await storedTickets()).length, 251);
    await control('POST', '/reset');
    assert.equal((await storedTickets()).length, 250);
    assert.deepEqual(await requests(), []);
    assert.deepEqual((await control('GET', '/faults')).faults, []);
    const again = (await control('GET', '/tenants')).tenants[0];
    assert.deepEqual(again, acme);
    await control('POST', '/reset', { tickets: 5, seed: 3 });
    assert.equal((await storedTickets()).length, 5);
    assert.notEqual((await control('GET', '/tenants')).tenants[0].categories[0]._id, acme.categories[0]._id);
  });

  // Speed is measured by the benchmarks, not asserted here (timed tests are flaky on shared
  // machines); this checks that a large seed works and pages correctly.
  test('startSandbox exposes state; a 10000-ticket seed pages through every query', async () => {
    const big = await startSandbox({ tickets: 10000, rateLimit: false });
    try {
      assert.equal(big.state.mava.tenants.get(ACME).ticketList.length, 10000);
      assert.equal(typeof big.port, 'number');
      for (const query of ['', '&sortBy=priority&sortOrder=asc', '&status=Open&assignedTo=Unassigned&includeMessages=true']) {
        for (let i = 0; i < 12; i++) {
          const res = await call('GET', `/api/tickets?${FULL_RANGE}&limit=100${query}`, { base: big.url });
          assert.equal(res.status, 200);
        }
      }
      assert.ok(big.state.requests.every((entry) => typeof entry.durationMs === 'number'));
    } finally {
      await big.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Body handling shared by all endpoints with a body
// ---------------------------------------------------------------------------------------------

describe('request bodies', () => {
  const endpoints = [['POST', '/api/identify'], ['POST', '/api/ticket'], ['PUT', '/api/ticket'], ['PUT', '/api/message'], ['POST', '/api/message']];

  test('a body without content-type application/json → 400 VALIDATION_ERROR', async () => {
    for (const [method, path] of endpoints) {
      const res = await call(method, path, { rawBody: '{}', headers: { 'content-type': 'text/plain' } });
      assertCodeError(res, 400, 'VALIDATION_ERROR');
      const none = await call(method, path, { rawBody: '{}' });
      assert.equal(none.status, 400, `${method} ${path} without content-type`);
    }
  });

  test('content-type with parameters is accepted', async () => {
    const res = await call('POST', '/api/identify', { body: {}, headers: { 'content-type': 'application/json; charset=utf-8' } });
    assert.equal(res.status, 200);
  });

  test('malformed JSON and non-object JSON → 400 VALIDATION_ERROR', async () => {
    for (const [method, path] of endpoints) {
      for (const rawBody of ['{"a":', '', '[]', '"text"', 'null']) {
        const res = await call(method, path, { rawBody, headers: { 'content-type': 'application/json' } });
        assertCodeError(res, 400, 'VALIDATION_ERROR');
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// identify, categories, agents
// ---------------------------------------------------------------------------------------------

describe('POST /api/identify', () => {
  test('without mavaCustomerId creates a customer and returns its id', async () => {
    for (const body of [{}, { mavaCustomerId: '' }, { emailAddress: 'new@acme.test', customAttributes: [{ label: 'Plan', value: 'Pro' }] }]) {
      const res = await call('POST', '/api/identify', { body });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['mavaCustomerId']);
      assert.match(res.body.mavaCustomerId, OBJECT_ID);
    }
    const tenant = (await control('GET', '/tenants')).tenants[0];
    assert.equal(tenant.customers.length, 23);
    const created = tenant.customers.find((c) => c.email === 'new@acme.test');
    assert.deepEqual(created.attributes.map(({ name, content }) => ({ name, content })), [{ name: 'Plan', content: 'Pro' }]);
  });

  test('with mavaCustomerId updates that customer (attributes by label, new labels created)', async () => {
    const customer = acme.customers[3];
    const res = await call('POST', '/api/identify', {
      body: {
        mavaCustomerId: customer._id,
        emailAddress: 'changed@acme.test',
        plaformUserId: 'discord-42',
        customAttributes: [{ label: 'Plan', value: 'Enterprise' }, { label: 'Favourite colour', value: 'teal' }],
      },
    });
    assert.deepEqual(res.body, { mavaCustomerId: customer._id });
    const after = (await control('GET', '/tenants')).tenants[0].customers.find((c) => c._id === customer._id);
    assert.equal(after.email, 'changed@acme.test');
    assert.equal(after.platformUserId, 'discord-42');
    assert.equal(after.attributes.find((a) => a.name === 'Plan').content, 'Enterprise');
    assert.equal(after.attributes.find((a) => a.name === 'Favourite colour').content, 'teal');
    const spelled = await call('POST', '/api/identify', { body: { mavaCustomerId: customer._id, platformUserId: 'tg-7' } });
    assert.equal(spelled.status, 200);
  });

  test('unknown or other-tenant mavaCustomerId → 404 CUSTOMER_NOT_FOUND', async () => {
    for (const id of ['0123456789abcdef01234567', globex.customers[0]._id, 'not-an-id']) {
      assertCodeError(await call('POST', '/api/identify', { body: { mavaCustomerId: id } }), 404, 'CUSTOMER_NOT_FOUND');
    }
  });

  test('invalid fields → 400 VALIDATION_ERROR', async () => {
    const bodies = [
      { customAttributes: [{ label: 'Plan' }] },
      { customAttributes: [{ value: 'x' }] },
      { customAttributes: [{ label: 'Plan', value: 3 }] },
      { customAttributes: [{ label: 'Plan', value: 'x', extra: 1 }] },
      { customAttributes: ['Plan'] },
      { customAttributes: { label: 'Plan', value: 'x' } },
      { emailAddress: 5 },
      { mavaCustomerId: null },
      { email: 'wrong-field@acme.test' },
    ];
    for (const body of bodies) assertCodeError(await call('POST', '/api/identify', { body }), 400, 'VALIDATION_ERROR');
  });
});

describe('GET /api/categories and GET /api/agents', () => {
  test('categories: active ones of the caller only, {_id, name}', async () => {
    const res = await call('GET', '/api/categories');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { categories: acme.categories.filter((c) => !c.isArchived).map(({ _id, name }) => ({ _id, name })) });
    const other = await call('GET', '/api/categories', { key: GLOBEX });
    assert.deepEqual(other.body.categories.map((c) => c.name), globex.categories.filter((c) => !c.isArchived).map((c) => c.name));
  });

  test('agents: non-archived ones, {id, email, username, walletAddress}', async () => {
    const res = await call('GET', '/api/agents');
    assert.equal(res.status, 200);
    assert.equal(res.body.agents.length, 3);
    for (const agent of res.body.agents) assert.deepEqual(Object.keys(agent), ['id', 'email', 'username', 'walletAddress']);
    assert.ok(!res.body.agents.some((a) => a.id === archivedAgent(acme).id));
    const walletOnly = res.body.agents.find((a) => a.email === null);
    assert.match(walletOnly.walletAddress, /^0x[0-9a-f]{40}$/);
  });
});

// ---------------------------------------------------------------------------------------------
// POST /api/ticket
// ---------------------------------------------------------------------------------------------

describe('POST /api/ticket', () => {
  test('minimal create with customerId → 201 with the full ticket and defaults', async () => {
    const customer = customerWithEmail(acme);
    const before = Date.now();
    const res = await createTicket({ customerId: customer._id });
    assert.equal(res.status, 201, res.text);
    const t = res.body;
    assert.match(t._id, OBJECT_ID);
    assert.deepEqual(Object.keys(t), [
      '_id', 'createdAt', 'updatedAt', 'status', 'priority', 'sourceType', 'resolutionTime', 'assignedTo', 'category',
      'tags', 'csat', 'aiStatus', 'discordUsers', 'attributes', 'customer', 'messages',
    ]);
    assert.ok(Date.parse(t.createdAt) >= before - 1000 && Date.parse(t.createdAt) <= Date.now());
    assert.equal(t.updatedAt, t.createdAt);
    assert.equal(t.status, 'Open');
    assert.equal(t.priority, 2);
    assert.equal(t.sourceType, 'web');
    assert.equal(t.resolutionTime, null);
    assert.equal(t.assignedTo, null);
    assert.equal(t.category, null);
    assert.deepEqual(t.tags, []);
    assert.equal(t.csat, null);
    assert.equal(t.aiStatus, null);
    assert.deepEqual(t.discordUsers, []);
    assert.deepEqual(t.attributes, []);
    assert.deepEqual(t.customer, { _id: customer._id, email: customer.email, attributes: customer.attributes });
    assert.deepEqual(t.messages, []);
    const stored = (await storedTickets()).find((s) => s._id === t._id);
    assert.deepEqual(stored.sandbox, { origin: 'api', silent: false, notify: true, triggerAutomations: true });
  });

  test('full payload is stored and echoed', async () => {
    const agent = activeAgent(acme);
    const category = activeCategory(acme);
    const tags = acme.tags.slice(0, 2).map((tag) => tag._id);
    const ticketAttribute = attributeOf(acme, 'ticket');
    const customerAttribute = attributeOf(acme, 'customer');
    const res = await createTicket({
      customer: { name: 'Zed New', email: 'zed@example.test', attributes: [{ attribute: customerAttribute._id, content: 'Zed Co' }] },
      status: 'Pending',
      priority: 3,
      sourceType: 'twitter',
      assignedTo: agent.id,
      category: category._id,
      tags,
      emailSubjectLine: 'Help',
      attributes: [{ attribute: ticketAttribute._id, content: 'A-1' }],
      message: {
        content: 'Hello there',
        attachments: [{ url: `${UPLOAD}acme/a.png`, fileName: 'a.png', fileSize: 10, type: 'Image' }, { url: `${UPLOAD}b.pdf`, fileName: 'b.pdf' }],
      },
      notify: false,
      triggerAutomations: true,
    });
    assert.equal(res.status, 201, res.text);
    const t = res.body;
    assert.equal(t.status, 'Pending');
    assert.equal(t.priority, 3);
    assert.equal(t.sourceType, 'twitter');
    assert.deepEqual(t.assignedTo, { _id: agent.id, name: agent.username });
    assert.deepEqual(t.category, { _id: category._id, name: category.name });
    assert.deepEqual(t.tags, acme.tags.slice(0, 2).map(({ _id, name }) => ({ _id, name })));
    assert.equal(t.emailSubjectLine, 'Help');
    assert.deepEqual(t.attributes, [{ attributeId: ticketAttribute._id, name: ticketAttribute.name, content: 'A-1' }]);
    assert.equal(t.customer.email, 'zed@example.test');
    assert.deepEqual(t.customer.attributes, [{ attributeId: customerAttribute._id, name: customerAttribute.name, content: 'Zed Co' }]);
    assert.equal(t.messages.length, 1);
    const [message] = t.messages;
    assert.equal(message.content, 'Hello there');
    assert.equal(message.senderType, 'customer');
    assert.equal(message.messageType, 'ExternalMessage');
    assert.equal(message.createdAt, t.createdAt);
    assert.deepEqual(message.attachments, [
      { url: `${UPLOAD}acme/a.png`, fileName: 'a.png', fileSize: 10, type: 'Image' },
      { url: `${UPLOAD}b.pdf`, fileName: 'b.pdf' },
    ]);
    const stored = (await storedTickets()).find((s) => s._id === t._id);
    assert.deepEqual(stored.sandbox, { origin: 'api', silent: false, notify: false, triggerAutomations: true });
    const { customers } = (await control('GET', '/tenants')).tenants[0];
    assert.equal(customers.find((c) => c.email === 'zed@example.test').name, 'Zed New');
  });

  test('the limits themselves are accepted (20 tags, 998-char subject, 10000-char message, 10 attachments, 30 attributes)', async () => {
    const attribute = attributeOf(acme, 'ticket')._id;
    const customerAttribute = attributeOf(acme, 'customer')._id;
    const res = await createTicket({
      customer: { walletAddress: WALLET, attributes: Array.from({ length: 30 }, () => ({ attribute: customerAttribute, content: '' })) },
      tags: Array.from({ length: 20 }, (_, i) => acme.tags[i % 5]._id),
      emailSubjectLine: 's'.repeat(998),
      attributes: Array.from({ length: 30 }, (_, i) => ({ attribute, content: String(i) })),
      message: { content: 'm'.repeat(10000), attachments: Array.from({ length: 10 }, (_, i) => ({ url: `${UPLOAD}${i}.txt`, fileName: `${i}.txt`, type: 'File' })) },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.tags.length, 5, 'duplicate tag ids are stored once');
  });

  test('customer find-or-create: by email first, else by wallet; existing customers are not modified', async () => {
    const existing = customerWithEmail(acme);
    const res = await createTicket({
      customer: { email: existing.email, name: 'Other Name', walletAddress: WALLET, attributes: [{ attribute: attributeOf(acme, 'customer')._id, content: 'changed' }] },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.customer._id, existing._id);
    let tenant = (await control('GET', '/tenants')).tenants[0];
    assert.deepEqual(tenant.customers.find((c) => c._id === existing._id), existing);
    assert.equal(tenant.customers.length, 20);

    const walletCustomer = acme.customers.find((c) => c.email === null);
    const byWallet = await createTicket({ customer: { walletAddress: walletCustomer.walletAddress.toUpperCase().replace('0X', '0x') } });
    assert.equal(byWallet.body.customer._id, walletCustomer._id);

    const fresh = await createTicket({ customer: { walletAddress: WALLET, name: 'Wally' } });
    assert.equal(fresh.status, 201);
    assert.equal(fresh.body.customer.email, null);
    tenant = (await control('GET', '/tenants')).tenants[0];
    assert.equal(tenant.customers.length, 21);
    const again = await createTicket({ customer: { walletAddress: WALLET } });
    assert.equal(again.body.customer._id, fresh.body.customer._id);
  });

  test('silent:true forces notify and triggerAutomations to false', async () => {
    const res = await createTicket({ customerId: acme.customers[0]._id, silent: true, notify: true, triggerAutomations: true });
    assert.equal(res.status, 201);
    const stored = (await storedTickets()).find((s) => s._id === res.body._id);
    assert.deepEqual(stored.sandbox, { origin: 'api', silent: true, notify: false, triggerAutomations: false });
    assert.ok(!('sandbox' in res.body), 'sandbox bookkeeping is not part of the API answer');
  });

  test('INVALID_CUSTOMER_MODE: both, neither, or a customer without email/wallet', async () => {
    const bodies = [
      {},
      { status: 'Open' },
      { customerId: acme.customers[0]._id, customer: { email: 'a@b.test' } },
      { customerId: null, customer: { email: 'a@b.test' } },
      { customer: {} },
      { customer: { name: 'No Keys' } },
      { customer: { email: '' } },
      { customer: { walletAddress: '0x1234' } },
      { customer: { walletAddress: `0x${'g'.repeat(40)}` } },
      { customer: { walletAddress: 'ab'.repeat(21) } },
    ];
    for (const body of bodies) assertCodeError(await createTicket(body), 400, 'INVALID_CUSTOMER_MODE');
  });

  test('VALIDATION_ERROR for every type, enum, length and count rule', async () => {
    const id = acme.customers[0]._id;
    const attribute = attributeOf(acme, 'ticket')._id;
    const attachment = { url: `${UPLOAD}x.png`, fileName: 'x.png' };
    const cases = {
      'unknown top-level field': { customerId: id, subject: 'x' },
      'customerId not a string': { customerId: 5 },
      'customer not an object': { customer: 'a@b.test' },
      'customer unknown field': { customer: { email: 'a@b.test', phone: '1' } },
      'customer.email not a string': { customer: { email: 1 } },
      'wallet malformed next to an email': { customer: { email: 'a@b.test', walletAddress: '0x12' } },
      'customer.attributes > 30': { customer: { email: 'a@b.test', attributes: Array.from({ length: 31 }, () => ({ attribute, content: 'x' })) } },
      'status enum': { customerId: id, status: 'Closed' },
      'status case': { customerId: id, status: 'open' },
      'priority as string': { customerId: id, priority: '2' },
      'priority 4': { customerId: id, priority: 4 },
      'priority 0': { customerId: id, priority: 0 },
      'priority 1.5': { customerId: id, priority: 1.5 },
      'sourceType telegram-group': { customerId: id, sourceType: 'telegram-group' },
      'assignedTo null': { customerId: id, assignedTo: null },
      'category number': { customerId: id, category: 1 },
      'tags not array': { customerId: id, tags: acme.tags[0]._id },
      'tags > 20': { customerId: id, tags: Array.from({ length: 21 }, () => acme.tags[0]._id) },
      'tag not a string': { customerId: id, tags: [1] },
      'subject > 998': { customerId: id, emailSubjectLine: 's'.repeat(999) },
      'attributes > 30': { customerId: id, attributes: Array.from({ length: 31 }, () => ({ attribute, content: 'x' })) },
      'attribute item missing content': { customerId: id, attributes: [{ attribute }] },
      'attribute content number': { customerId: id, attributes: [{ attribute, content: 1 }] },
      'attribute item with wrong key': { customerId: id, attributes: [{ attributeId: attribute, content: 'x' }] },
      'message not object': { customerId: id, message: 'hi' },
      'message without content': { customerId: id, message: {} },
      'message content > 10000': { customerId: id, message: { content: 'm'.repeat(10001) } },
      'message unknown field': { customerId: id, message: { content: 'hi', messageType: 'InternalNote' } },
      'attachments > 10': { customerId: id, message: { content: 'hi', attachments: Array.from({ length: 11 }, () => attachment) } },
      'attachment without fileName': { customerId: id, message: { content: 'hi', attachments: [{ url: attachment.url }] } },
      'attachment without url': { customerId: id, message: { content: 'hi', attachments: [{ fileName: 'x' }] } },
      'attachment type enum': { customerId: id, message: { content: 'hi', attachments: [{ ...attachment, type: 'image' }] } },
      'attachment fileSize string': { customerId: id, message: { content: 'hi', attachments: [{ ...attachment, fileSize: '10' }] } },
      'attachment MIME field of /api/message': { customerId: id, message: { content: 'hi', attachments: [{ ...attachment, fileType: 'image/png' }] } },
      'silent not boolean': { customerId: id, silent: 'true' },
      'notify not boolean': { customerId: id, notify: 1 },
      'triggerAutomations not boolean': { customerId: id, triggerAutomations: null },
    };
    for (const [name, body] of Object.entries(cases)) {
      const res = await createTicket(body);
      assert.equal(res.status, 400, `${name}: ${res.text}`);
      assert.equal(res.body.error, 'VALIDATION_ERROR', `${name}: ${res.text}`);
    }
    const many = await createTicket({ customerId: id, priority: 9, status: 'x' });
    assert.match(many.body.message, /priority/);
    assert.match(many.body.message, /status/);
  });

  test('INVALID_ATTACHMENT_URL: not https, outside the allow-list, or path traversal', async () => {
    const urls = [
      'http://uploads.sandbox.mava.test/a.png',
      'https://example.com/a.png',
      'https://uploads.sandbox.mava.test.evil.com/a.png',
      'https://uploads.sandbox.mava.test@evil.com/a.png',
      `${UPLOAD}../secret.png`,
      `${UPLOAD}a/../../b.png`,
      `${UPLOAD}%2e%2e/b.png`,
      `${UPLOAD}%2E%2E/b.png`,
      `${UPLOAD}.%2e/b.png`,
      `${UPLOAD}a\\b.png`,
      `${UPLOAD}a%5cb.png`,
      'ftp://uploads.sandbox.mava.test/a.png',
    ];
    for (const url of urls) {
      const res = await createTicket({ customerId: acme.customers[0]._id, message: { content: 'x', attachments: [{ url, fileName: 'a.png' }] } });
      assertCodeError(res, 400, 'INVALID_ATTACHMENT_URL');
    }
  });

  test('404s for references that are unknown, archived or of another tenant', async () => {
    const base = { customerId: acme.customers[0]._id };
    const cases = [
      [{ customerId: '0123456789abcdef01234567' }, 'CUSTOMER_NOT_FOUND'],
      [{ customerId: globex.customers[0]._id }, 'CUSTOMER_NOT_FOUND'],
      [{ customerId: '' }, 'CUSTOMER_NOT_FOUND'],
      [{ ...base, assignedTo: '' }, 'ASSIGNEE_NOT_FOUND'],
      [{ ...base, category: 'Billing' }, 'CATEGORY_NOT_FOUND'],
      [{ ...base, tags: [''] }, 'TAG_NOT_FOUND'],
      [{ ...base, assignedTo: '0123456789abcdef01234567' }, 'ASSIGNEE_NOT_FOUND'],
      [{ ...base, assignedTo: archivedAgent(acme).id }, 'ASSIGNEE_NOT_FOUND'],
      [{ ...base, assignedTo: activeAgent(globex).id }, 'ASSIGNEE_NOT_FOUND'],
      [{ ...base, assignedTo: activeAgent(acme).email }, 'ASSIGNEE_NOT_FOUND'],
      [{ ...base, category: archivedCategory(acme)._id }, 'CATEGORY_NOT_FOUND'],
      [{ ...base, category: activeCategory(globex)._id }, 'CATEGORY_NOT_FOUND'],
      [{ ...base, tags: [acme.tags[0]._id, globex.tags[0]._id] }, 'TAG_NOT_FOUND'],
      [{ ...base, attributes: [{ attribute: attributeOf(globex, 'ticket')._id, content: 'x' }] }, 'ATTRIBUTE_NOT_FOUND'],
      [{ ...base, attributes: [{ attribute: attributeOf(acme, 'customer')._id, content: 'x' }] }, 'ATTRIBUTE_NOT_FOUND'],
    ];
    for (const [body, code] of cases) assertCodeError(await createTicket(body), 404, code);
  });

  test('atomic: a failing create stores neither ticket nor customer', async () => {
    const res = await createTicket({ customer: { email: 'brand-new@acme.test' }, tags: [globex.tags[0]._id], message: { content: 'hi' } });
    assertCodeError(res, 404, 'TAG_NOT_FOUND');
    assert.equal((await storedTickets()).length, 250);
    const { customers } = (await control('GET', '/tenants')).tenants[0];
    assert.ok(!customers.some((c) => c.email === 'brand-new@acme.test'));
  });

  test('tenant isolation: a ticket created by one tenant is invisible to the other', async () => {
    const res = await createTicket({ customerId: globex.customers[0]._id }, GLOBEX);
    assert.equal(res.status, 201);
    assert.equal((await storedTickets(GLOBEX)).length, 251);
    assert.equal((await storedTickets(ACME)).length, 250);
    const update = await call('PUT', '/api/ticket', { body: { ticketId: res.body._id, status: 'Resolved' } });
    assert.deepEqual(update.body, { error: 'Ticket not found' });
  });
});

// ---------------------------------------------------------------------------------------------
// PUT /api/ticket
// ---------------------------------------------------------------------------------------------

describe('PUT /api/ticket', () => {
  async function newTicket() {
    const res = await createTicket({ customerId: acme.customers[0]._id, message: { content: 'first' } });
    return res.body;
  }
  const stored = async (id) => (await storedTickets()).find((t) => t._id === id);

  test('each changed field adds one system InternalNote and bumps updatedAt', async () => {
    const t = await newTicket();
    await sleep(5);
    const agent = activeAgent(acme);
    const category = activeCategory(acme);
    const res = await call('PUT', '/api/ticket', { body: { ticketId: t._id, status: 'Resolved', priority: 3, categoryId: category._id, assignedTo: agent.id } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { message: 'Ticket updated' });
    const after = await stored(t._id);
    assert.equal(after.status, 'Resolved');
    assert.equal(after.priority, 3);
    assert.deepEqual(after.category, { _id: category._id, name: category.name });
    assert.deepEqual(after.assignedTo, { _id: agent.id, name: agent.username });
    assert.equal(typeof after.resolutionTime, 'number');
    assert.ok(after.updatedAt > t.updatedAt);
    const notes = after.messages.slice(1);
    assert.equal(notes.length, 4);
    for (const note of notes) {
      assert.equal(note.senderType, 'system');
      assert.equal(note.messageType, 'InternalNote');
    }
  });

  test('unchanged values add nothing and keep updatedAt', async () => {
    const t = await newTicket();
    await sleep(5);
    const res = await call('PUT', '/api/ticket', { body: { ticketId: t._id, status: 'Open', priority: 2 } });
    assert.equal(res.status, 200);
    const after = await stored(t._id);
    assert.equal(after.messages.length, 1);
    assert.equal(after.updatedAt, t.updatedAt);
    assert.equal((await call('PUT', '/api/ticket', { body: { ticketId: t._id } })).status, 200);
    assert.equal((await stored(t._id)).messages.length, 1);
  });

  test('assignedTo: omitted leaves it, null unassigns, same agent is no change', async () => {
    const agent = activeAgent(acme);
    const t = await newTicket();
    await call('PUT', '/api/ticket', { body: { ticketId: t._id, assignedTo: agent.id } });
    await call('PUT', '/api/ticket', { body: { ticketId: t._id, priority: 1 } });
    assert.equal((await stored(t._id)).assignedTo._id, agent.id);
    await call('PUT', '/api/ticket', { body: { ticketId: t._id, assignedTo: agent.id } });
    assert.equal((await stored(t._id)).messages.length, 3);
    await call('PUT', '/api/ticket', { body: { ticketId: t._id, assignedTo: null } });
    const after = await stored(t._id);
    assert.equal(after.assignedTo, null);
    assert.equal(after.messages.length, 4);
    await call('PUT', '/api/ticket', { body: { ticketId: t._id, assignedTo: null } });
    assert.equal((await stored(t._id)).messages.length, 4);
  });

  test('documented errors', async () => {
    const t = await newTicket();
    const cases = [
      [{}, 'Ticket not found'],
      [{ ticketId: '0123456789abcdef01234567' }, 'Ticket not found'],
      [{ ticketId: 42 }, 'Ticket not found'],
      [{ ticketId: t._id, status: 'Closed' }, 'Invalid status or priority'],
      [{ ticketId: t._id, status: null }, 'Invalid status or priority'],
      [{ ticketId: t._id, priority: '3' }, 'Invalid status or priority'],
      [{ ticketId: t._id, priority: 5 }, 'Invalid status or priority'],
      [{ ticketId: t._id, categoryId: archivedCategory(acme)._id }, 'Category not found'],
      [{ ticketId: t._id, categoryId: activeCategory(globex)._id }, 'Category not found'],
      [{ ticketId: t._id, categoryId: '0123456789abcdef01234567' }, 'Category not found'],
      [{ ticketId: t._id, assignedTo: archivedAgent(acme).id }, 'Assignee not found'],
      [{ ticketId: t._id, assignedTo: activeAgent(globex).id }, 'Assignee not found'],
      [{ ticketId: t._id, assignedTo: activeAgent(acme).email }, 'Assignee not found'],
    ];
    for (const [body, error] of cases) {
      const res = await call('PUT', '/api/ticket', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.body, { error }, JSON.stringify(body));
    }
    assert.equal((await stored(t._id)).messages.length, 1, 'failed updates change nothing');
  });

  test('fields of create-ticket or unknown fields → VALIDATION_ERROR', async () => {
    const t = await newTicket();
    for (const body of [{ ticketId: t._id, category: activeCategory(acme)._id }, { ticketId: t._id, tags: [] }]) {
      assertCodeError(await call('PUT', '/api/ticket', { body }), 400, 'VALIDATION_ERROR');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// /api/message
// ---------------------------------------------------------------------------------------------

describe('/api/message', () => {
  test('PUT and POST both append a message; the method is recorded', async () => {
    const ticket = (await storedTickets())[10];
    const put = await call('PUT', '/api/message', { body: { ticketId: ticket._id, content: 'Thanks!' } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(Object.keys(put.body), ['message', 'ticket', 'sender']);
    const m = put.body.message;
    assert.match(m._id, OBJECT_ID);
    assert.equal(m.content, 'Thanks!');
    assert.equal(m.messageType, 'ExternalMessage');
    assert.equal(m.senderType, 'agent');
    assert.deepEqual(m.attachments, []);
    assert.equal(put.body.ticket._id, ticket._id);
    assert.equal(put.body.ticket.updatedAt, m.createdAt);
    assert.ok(!('messages' in put.body.ticket));
    assert.deepEqual(put.body.sender, acme.apiUser);

    const post = await call('POST', '/api/message', {
      body: { ticketId: ticket._id, messageType: 'InternalNote', attachments: [{ fileName: 'r.pdf', url: 'https://files.example.com/r.pdf', fileType: 'application/pdf' }] },
    });
    assert.equal(post.status, 200, post.text);
    assert.equal(post.body.message.messageType, 'InternalNote');
    assert.equal(post.body.message.content, '');
    assert.deepEqual(post.body.message.attachments, [{ fileName: 'r.pdf', url: 'https://files.example.com/r.pdf', fileType: 'application/pdf' }]);

    const after = (await storedTickets()).find((t) => t._id === ticket._id);
    assert.equal(after.messages.length, ticket.messages.length + 2);
    assert.deepEqual(after.messages.slice(-2).map((msg) => msg.sandbox.method), ['PUT', 'POST']);
  });

  test('documented errors', async () => {
    const ticket = (await storedTickets())[0];
    const cases = [
      [{ ticketId: ticket._id }, 'Content or attachments are required'],
      [{ ticketId: ticket._id, content: '' }, 'Content or attachments are required'],
      [{ ticketId: ticket._id, attachments: [] }, 'Content or attachments are required'],
      [{ content: 'hi' }, 'Ticket not found'],
      [{ ticketId: '0123456789abcdef01234567', content: 'hi' }, 'Ticket not found'],
      [{ ticketId: (await storedTickets(GLOBEX))[0]._id, content: 'hi' }, 'Ticket not found'],
    ];
    for (const [body, error] of cases) {
      const res = await call('PUT', '/api/message', { body });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error });
    }
  });

  test('invalid fields → 400 VALIDATION_ERROR', async () => {
    const ticketId = (await storedTickets())[0]._id;
    const good = { fileName: 'a.png', url: 'https://x.test/a.png', fileType: 'image/png' };
    const bodies = [
      { ticketId, content: 'hi', messageType: 'Note' },
      { ticketId, content: 5 },
      { ticketId, content: 'hi', attachments: 'a.png' },
      { ticketId, attachments: [{ url: good.url, fileType: good.fileType }] },
      { ticketId, attachments: [{ fileName: 'a', url: good.url }] },
      { ticketId, attachments: [{ ...good, url: 'not a url' }] },
      { ticketId, attachments: [{ ...good, type: 'Image' }] },
      { ticketId, content: 'hi', senderName: 'me' },
    ];
    for (const body of bodies) assertCodeError(await call('PUT', '/api/message', { body }), 400, 'VALIDATION_ERROR');
  });
});

// ---------------------------------------------------------------------------------------------
// GET /api/tickets
// ---------------------------------------------------------------------------------------------

describe('GET /api/tickets', () => {
  test('paging with limit/skip visits every ticket once; count and hasMore are consistent', async () => {
    const first = await fetchTickets(FULL_RANGE);
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body), ['tickets', 'count', 'pagination']);
    assert.equal(first.body.count, 250);
    assert.deepEqual(first.body.pagination, { limit: 50, skip: 0, hasMore: true });
    assert.equal(first.body.tickets.length, 50);
    const { tickets, count } = await fetchAll(FULL_RANGE, 33);
    assert.equal(count, 250);
    assert.equal(new Set(tickets.map((t) => t._id)).size, 250);
    const last = await fetchTickets(`${FULL_RANGE}&skip=240&limit=10`);
    assert.deepEqual(last.body.pagination, { limit: 10, skip: 240, hasMore: false });
    const beyond = await fetchTickets(`${FULL_RANGE}&skip=1000`);
    assert.deepEqual(beyond.body.tickets, []);
    assert.equal(beyond.body.count, 250);
    assert.equal(beyond.body.pagination.hasMore, false);
  });

  test('default order is createdAt desc; tickets carry no messages key unless asked', async () => {
    const { tickets } = await fetchAll(FULL_RANGE);
    for (let i = 1; i < tickets.length; i++) {
      const [a, b] = [tickets[i - 1], tickets[i]];
      assert.ok(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a._id > b._id));
    }
    for (const t of tickets) assert.ok(!('messages' in t));
    const stored = await storedTickets();
    const withMessages = await fetchAll(`${FULL_RANGE}&includeMessages=true`);
    for (const t of withMessages.tickets) {
      const expected = stored.find((s) => s._id === t._id).messages.map(({ sandbox, ...m }) => m);
      assert.deepEqual(t.messages, expected);
      for (let i = 1; i < t.messages.length; i++) assert.ok(t.messages[i - 1].createdAt <= t.messages[i].createdAt);
    }
    const explicitFalse = await fetchTickets(`${FULL_RANGE}&includeMessages=false&limit=3`);
    for (const t of explicitFalse.body.tickets) assert.ok(!('messages' in t));
  });

  test('every sort field in both orders, ties broken by _id', async () => {
    const stored = await storedTickets();
    const keyOf = {
      createdAt: (t) => t.createdAt,
      status: (t) => t.status,
      priority: (t) => t.priority,
      sourceType: (t) => t.sourceType,
      assignedTo: (t) => t.assignedTo?._id ?? null,
      category: (t) => t.category?._id ?? null,
      resolutionTime: (t) => t.resolutionTime,
    };
    const compare = (a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
    for (const [field, key] of Object.entries(keyOf)) {
      for (const order of ['asc', 'desc']) {
        const { tickets } = await fetchAll(`${FULL_RANGE}&sortBy=${field}&sortOrder=${order}`);
        const sign = order === 'asc' ? 1 : -1;
        const expected = stored.slice().sort((a, b) => sign * (compare(key(a), key(b)) || compare(a._id, b._id)));
        assert.deepEqual(tickets.map((t) => t._id), expected.map((t) => t._id), `${field} ${order}`);
      }
    }
  });

  test('filters, single or repeated, match the stored tickets', async () => {
    const stored = await storedTickets();
    const agent = activeAgent(acme);
    const category = activeCategory(acme);
    const [tagA, tagB] = acme.tags;
    const cases = [
      ['status=Open', (t) => t.status === 'Open'],
      ['status=Open&status=Pending', (t) => ['Open', 'Pending'].includes(t.status)],
      ['assignedTo=Unassigned', (t) => t.assignedTo === null],
      [`assignedTo=${agent.id}&assignedTo=Unassigned`, (t) => t.assignedTo === null || t.assignedTo._id === agent.id],
      [`category=${category._id}`, (t) => t.category?._id === category._id],
      [`tags=${tagA._id}&tags=${tagB._id}`, (t) => t.tags.some((tag) => tag._id === tagA._id || tag._id === tagB._id)],
      ['csatValues=5', (t) => t.csat?.value === 5],
      ['csatValues=4&csatValues=5&csatValues=no-rating', (t) => t.csat === null || t.csat.value >= 4],
      ['origin=telegram-group', (t) => t.sourceType === 'telegram-group'],
      ['origin=discord&origin=email&status=Resolved', (t) => ['discord', 'email'].includes(t.sourceType) && t.status === 'Resolved'],
      [`assignedTo=${activeAgent(globex).id}`, () => false],
    ];
    for (const [query, predicate] of cases) {
      const { tickets, count } = await fetchAll(`${FULL_RANGE}&${query}`);
      const expected = stored.filter(predicate).map((t) => t._id).sort();
      assert.deepEqual(tickets.map((t) => t._id).sort(), expected, query);
      assert.equal(count, expected.length, query);
      if (!query.startsWith('assignedTo=' + activeAgent(globex).id)) assert.ok(count > 0, `${query} should match something`);
    }
  });

  test('the date range is [startDate, endDate) and accepts offsets', async () => {
    const stored = await storedTickets();
    const pivot = stored[100];
    const at = encodeURIComponent(pivot.createdAt);
    const before = await fetchAll(`startDate=2026-01-01&endDate=${at}`);
    assert.equal(before.count, stored.filter((t) => t.createdAt < pivot.createdAt).length);
    assert.ok(!before.tickets.some((t) => t._id === pivot._id));
    const from = await fetchAll(`startDate=${at}&endDate=2026-07-01`);
    assert.ok(from.tickets.some((t) => t._id === pivot._id));
    assert.equal(before.count + from.count, 250);
    const shifted = await fetchTickets(`startDate=${encodeURIComponent('2026-01-01T02:00:00+02:00')}&endDate=${encodeURIComponent('2026-06-30T19:00:00-05:00')}`);
    assert.equal(shifted.body.count, 250);
    const window = await fetchTickets('startDate=2026-02-01&endDate=2026-03-01');
    assert.equal(window.body.count, stored.filter((t) => t.createdAt >= '2026-02-01' && t.createdAt < '2026-03-01').length);
  });

  test('date range errors: missing, malformed, reversed, longer than one year', async () => {
    const missing = ['', 'startDate=2026-01-01', 'endDate=2026-02-01', 'startDate=&endDate=2026-02-01'];
    for (const query of missing) assert.deepEqual((await fetchTickets(query)).body, { error: 'MISSING_DATE_RANGE' }, query);
    const invalid = [
      'startDate=2026-13-01&endDate=2026-12-31',
      'startDate=2026-02-30&endDate=2026-03-01',
      'startDate=01/01/2026&endDate=2026-03-01',
      'startDate=2026-01-01T00:00:00&endDate=2026-03-01',
      'startDate=yesterday&endDate=2026-03-01',
      'startDate=2026-03-01&endDate=2026-03-01',
      'startDate=2026-03-02&endDate=2026-03-01',
      'startDate=2026-01-01&endDate=2027-01-01T00:00:00.001Z',
      'startDate=2026-01-01&endDate=2027-01-02',
      'startDate=2028-02-29&endDate=2029-03-01T00:00:00.001Z',
      'startDate=2026-01-01&startDate=2026-01-02&endDate=2026-03-01',
    ];
    for (const query of invalid) {
      const res = await fetchTickets(query);
      assert.equal(res.status, 400, query);
      assert.deepEqual(res.body, { error: 'INVALID_DATE_RANGE' }, query);
    }
    for (const query of ['startDate=2026-01-01&endDate=2027-01-01', 'startDate=2028-02-29&endDate=2029-03-01', `startDate=2026-01-01T00:00:00.000Z&endDate=${encodeURIComponent('2026-12-31T23:00:00-01:00')}`]) {
      assert.equal((await fetchTickets(query)).status, 200, query);
    }
  });

  test('limit, skip, sortBy, sortOrder errors', async () => {
    const cases = [
      ['limit=0', 'INVALID_LIMIT'], ['limit=101', 'INVALID_LIMIT'], ['limit=abc', 'INVALID_LIMIT'], ['limit=10.5', 'INVALID_LIMIT'],
      ['limit=-1', 'INVALID_LIMIT'], ['limit=', 'INVALID_LIMIT'], ['limit=5&limit=6', 'INVALID_LIMIT'],
      ['skip=-1', 'INVALID_SKIP'], ['skip=1.5', 'INVALID_SKIP'], ['skip=x', 'INVALID_SKIP'],
      ['sortBy=updatedAt', 'UNSUPPORTED_SORT_FIELD'], ['sortBy=', 'UNSUPPORTED_SORT_FIELD'],
      ['sortOrder=DESC', 'UNSUPPORTED_SORT_ORDER'], ['sortOrder=up', 'UNSUPPORTED_SORT_ORDER'],
    ];
    for (const [query, error] of cases) {
      const res = await fetchTickets(`${FULL_RANGE}&${query}`);
      assert.equal(res.status, 400, query);
      assert.deepEqual(res.body, { error }, query);
    }
    for (const query of ['limit=1', 'limit=100', 'skip=0', 'sortOrder=asc']) assert.equal((await fetchTickets(`${FULL_RANGE}&${query}`)).status, 200);
  });

  test('sandbox strictness: unknown parameters and out-of-enum filter values → 400 INVALID_QUERY', async () => {
    const queries = ['page=2', 'status[]=Open', 'status=Open,Pending', 'status=open', 'origin=twitter', 'csatValues=6', 'tags=', 'includeMessages=1', 'includeMessages=TRUE'];
    for (const query of queries) {
      const res = await fetchTickets(`${FULL_RANGE}&${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error, 'INVALID_QUERY', query);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Rate limit
// ---------------------------------------------------------------------------------------------

describe('rate limit', () => {
  test('sliding window per key; 429s and 401s do not count; Retry-After is the ceil of the wait', async () => {
    assert.deepEqual(await control('POST', '/config', { rateLimit: { requests: 2, windowMs: 600 } }), { ok: true, rateLimit: { requests: 2, windowMs: 600 } });
    assert.equal((await call('GET', '/api/categories', { key: 'bad' })).status, 401);
    assert.equal((await call('GET', '/api/categories')).status, 200);
    const firstRecordedBy = performance.now(); // the server recorded the first request before this
    await sleep(300);
    assert.equal((await call('GET', '/api/categories')).status, 200);
    for (let i = 0; i < 4; i++) {
      const limited = await call('GET', '/api/categories');
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.body, { error: 'Too many requests' });
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.equal(limited.headers.get('access-control-allow-origin'), '*');
    }
    assert.equal((await call('GET', '/api/categories', { key: GLOBEX })).status, 200, 'other keys have their own window');
    await sleep(Math.max(0, 610 - (performance.now() - firstRecordedBy)));
    assert.equal((await call('GET', '/api/categories')).status, 200, 'the first request left the window; 429s were not counted');
    assert.equal((await call('GET', '/api/categories')).status, 429, 'the second request is still in the window');
    const statuses = (await requests()).map((entry) => entry.status);
    assert.deepEqual(statuses, [401, 200, 200, 429, 429, 429, 429, 200, 200, 429]);
  });

  test('Retry-After rounds up to whole seconds', async () => {
    await control('POST', '/config', { rateLimit: { requests: 1, windowMs: 2500 } });
    assert.equal((await call('GET', '/api/agents')).status, 200);
    const limited = await call('GET', '/api/agents');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
  });

  test('config can disable the limit and reset restores the startup setting', async () => {
    await control('POST', '/config', { rateLimit: { requests: 1, windowMs: 60000 } });
    await call('GET', '/api/agents');
    assert.equal((await call('GET', '/api/agents')).status, 429);
    await control('POST', '/config', { rateLimit: false });
    assert.deepEqual(await control('GET', '/config'), { rateLimit: false });
    for (let i = 0; i < 5; i++) assert.equal((await call('GET', '/api/agents')).status, 200);
    await control('POST', '/config', { rateLimit: { requests: 1, windowMs: 60000 } });
    await control('POST', '/reset');
    assert.deepEqual(await control('GET', '/config'), { rateLimit: false });
  });

  test('the default limit is 90 requests per 30 s', async () => {
    const limited = await startSandbox({ tickets: 0 });
    try {
      assert.deepEqual(await control('GET', '/config', undefined, limited.url), { rateLimit: { requests: 90, windowMs: 30000 } });
      const statuses = [];
      for (let i = 0; i < 91; i++) statuses.push((await call('GET', '/api/categories', { base: limited.url })).status);
      assert.deepEqual(statuses.slice(0, 90), Array(90).fill(200));
      assert.equal(statuses[90], 429);
    } finally {
      await limited.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

describe('faults', () => {
  const lastEntry = async () => (await requests()).at(-1);

  test('status: 5xx with verbatim Retry-After and a default body, then normal again', async () => {
    const queued = await fault({ kind: 'status', status: 503, retryAfter: '2' });
    assert.equal(queued.ok, true);
    assert.equal(queued.fault.kind, 'status');
    const res = await call('GET', '/api/categories');
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '2');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(res.body, { error: 'INTERNAL_ERROR' });
    const entry = await lastEntry();
    assert.equal(entry.fault, 'status');
    assert.equal(entry.status, 503);
    assert.equal((await call('GET', '/api/categories')).status, 200);
  });

  test('status: 429 with an HTTP date and a custom body', async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    await fault({ kind: 'status', status: 429, retryAfter: date });
    const res = await call('GET', '/api/agents');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), date);
    assert.deepEqual(res.body, { error: 'Too many requests' });
    await fault({ kind: 'status', status: 500, body: { error: 'Internal server error' } });
    assert.deepEqual((await call('GET', '/api/agents')).body, { error: 'Internal server error' });
  });

  test('match by method and path; count; FIFO; list and clear', async () => {
    await fault({ kind: 'status', status: 502, count: 2, match: { method: 'post', path: '/api/ticket' } });
    await fault({ kind: 'status', status: 504, match: { path: '/api/*' } });
    assert.equal((await control('GET', '/faults')).faults.length, 2);
    assert.equal((await call('GET', '/api/categories')).status, 504);
    assert.equal((await call('GET', '/api/categories')).status, 200);
    const body = { customerId: acme.customers[0]._id };
    assert.equal((await call('PUT', '/api/ticket', { body: { ticketId: 'x' } })).status, 400);
    assert.equal((await createTicket(body)).status, 502);
    assert.equal((await createTicket(body)).status, 502);
    assert.equal((await createTicket(body)).status, 201);
    await fault({ kind: 'status', status: 500, count: 5 });
    assert.deepEqual(await control('DELETE', '/faults'), { ok: true });
    assert.equal((await call('GET', '/api/categories')).status, 200);
  });

  test('a 401 never consumes a fault', async () => {
    await fault({ kind: 'status', status: 500 });
    assert.equal((await call('GET', '/api/categories', { key: 'nope' })).status, 401);
    assert.equal((await call('GET', '/api/categories')).status, 500);
  });

  test('hang: no answer until the client gives up; nothing is processed', async () => {
    await fault({ kind: 'hang', match: { method: 'POST' } });
    await assert.rejects(
      call('POST', '/api/ticket', { body: { customerId: acme.customers[0]._id }, signal: AbortSignal.timeout(200) }),
      (error) => error.name === 'TimeoutError' || error.name === 'AbortError',
    );
    const entry = await lastEntry();
    assert.equal(entry.status, 'hang');
    assert.equal(entry.fault, 'hang');
    assert.deepEqual(entry.json, { customerId: acme.customers[0]._id });
    assert.equal((await storedTickets()).length, 250);
  });

  test('delay: processed normally, answered after ms', async () => {
    await fault({ kind: 'delay', ms: 150 });
    const started = performance.now();
    const res = await createTicket({ customerId: acme.customers[0]._id });
    assert.ok(performance.now() - started >= 140);
    assert.equal(res.status, 201);
    assert.equal((await lastEntry()).fault, 'delay');
  });

  test('drop-before-body: connection destroyed, nothing processed', async () => {
    await fault({ kind: 'drop-before-body' });
    await assert.rejects(createTicket({ customerId: acme.customers[0]._id, message: { content: 'x'.repeat(5000) } }), TypeError);
    const entry = await lastEntry();
    assert.equal(entry.status, 'drop');
    assert.equal(entry.fault, 'drop-before-body');
    assert.equal(entry.bodyText, null);
    assert.equal((await storedTickets()).length, 250);
    assert.equal((await call('GET', '/api/categories')).status, 200, 'the next request works');
  });

  test('drop-after-body: the request IS processed (ticket created) but never answered', async () => {
    await fault({ kind: 'drop-after-body', match: { path: '/api/ticket' } });
    await assert.rejects(createTicket({ customerId: acme.customers[0]._id }), TypeError);
    const entry = await lastEntry();
    assert.equal(entry.status, 'drop');
    assert.equal(entry.fault, 'drop-after-body');
    assert.deepEqual(entry.json, { customerId: acme.customers[0]._id });
    assert.equal((await storedTickets()).length, 251);
  });

  test('malformed-json: 200 application/json with a truncated document', async () => {
    await fault({ kind: 'malformed-json' });
    const res = await call('GET', '/api/categories');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.ok(res.text.length > 0);
    assert.throws(() => JSON.parse(res.text), SyntaxError);
  });

  test('html: text/html error page, default 502', async () => {
    await fault({ kind: 'html' });
    await fault({ kind: 'html', status: 503, retryAfter: '1' });
    const res = await call('GET', '/api/categories');
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(res.text, /<html/);
    const second = await call('GET', '/api/categories');
    assert.equal(second.status, 503);
    assert.equal(second.headers.get('retry-after'), '1');
  });

  test('empty: empty body, default 200', async () => {
    await fault({ kind: 'empty' });
    await fault({ kind: 'empty', status: 500 });
    const res = await call('GET', '/api/agents');
    assert.equal(res.status, 200);
    assert.equal(res.text, '');
    assert.equal((await call('GET', '/api/agents')).status, 500);
  });

  test('answer-replacing faults bypass the rate limiter and do not count', async () => {
    await control('POST', '/config', { rateLimit: { requests: 1, windowMs: 60000 } });
    await fault({ kind: 'status', status: 500, count: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await call('GET', '/api/agents')).status, 500);
    assert.equal((await call('GET', '/api/agents')).status, 200);
    assert.equal((await call('GET', '/api/agents')).status, 429);
    await fault({ kind: 'malformed-json' });
    assert.equal((await call('GET', '/api/agents')).status, 200, 'a fault answers even when the window is full');
  });

  test('invalid fault descriptions → 400', async () => {
    const specs = [
      { kind: 'explode' },
      { kind: 'status', status: 99 },
      { kind: 'status', count: 0 },
      { kind: 'status', retryAfter: 2 },
      { kind: 'delay' },
      { kind: 'delay', ms: -1 },
      { kind: 'hang', ms: 10 },
      { kind: 'status', match: { url: '/api/ticket' } },
      [],
    ];
    for (const spec of specs) {
      const res = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', body: JSON.stringify(spec) });
      assert.equal(res.status, 400, JSON.stringify(spec));
      assert.equal(typeof (await res.json()).error, 'string');
    }
    assert.deepEqual((await control('GET', '/faults')).faults, []);
  });
});

// ---------------------------------------------------------------------------------------------
// Lifecycle and CLI
// ---------------------------------------------------------------------------------------------

describe('lifecycle', () => {
  test('close() resolves while a request hangs', { timeout: 10_000 }, async () => {
    const own = await startSandbox({ tickets: 1 });
    await control('POST', '/faults', { kind: 'hang' }, own.url);
    const pending = call('GET', '/api/categories', { base: own.url });
    pending.catch(() => {});
    while (own.state.requests.length === 0 || own.state.requests[0].status !== 'hang') await sleep(5);
    await own.close();
    await assert.rejects(pending);
  });

  test('cli prints exactly one stdout line and exits cleanly on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('./cli.mjs', import.meta.url));
    const child = spawn(process.execPath, [cli, '--port', '0', '--tickets', '5', '--requests', '5', '--window-ms', '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const url = await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /^MAVA_SANDBOX_URL=(http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (match) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`cli exited early: ${stderr}`)));
    });
    const res = await call('GET', '/api/categories', { base: url });
    assert.equal(res.status, 200);
    assert.deepEqual(await control('GET', '/config', undefined, url), { rateLimit: { requests: 5, windowMs: 1000 } });
    child.kill('SIGTERM');
    assert.deepEqual(await exited, { code: 0, signal: null });
    assert.equal(stdout, `MAVA_SANDBOX_URL=${url}\n`);
    assert.match(stderr, /sandbox-key-acme/);
    assert.match(stderr, /sandbox-key-globex/);
  });
});
