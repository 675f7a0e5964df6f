/**
 * The Mava public API (https://gateway.mava.app/api/...), modelled in memory for the sandbox.
 *
 * This module owns everything Mava-specific: the seeded tenants and their data, the request
 * validation rules of the published documentation (written here independently of the SDK, so the
 * sandbox can referee what the SDK sends), the route handlers, and the JSON shapes they return.
 * server.mjs mounts it on the `/api/` prefix and hands it authenticated requests.
 *
 * Sources of the rules: /work/shared/api-reference.md Part A and the seed pages it cites. Where the
 * docs are silent the choice made here is marked "Assumption" and listed in README.md.
 *
 * Module interface used by server.mjs:
 *   createMava({ seed, tickets }) → {
 *     name, prefix,
 *     authenticate({ headers, path }) → { key, tenant } | null,
 *     unauthorized() → { status, body },
 *     handle(ctx) → { status, body, headers? },   ctx = { method, path, query, headers, bodyText, key, tenant }
 *     control(method, path, query) → { status, body } | null,   extra /__sandbox/ routes
 *     reset({ seed, tickets }), tenants (Map key → tenant)
 *   }
 */

import { createRng, deriveSeed, createIdFactory } from './prng.mjs';

// ---------------------------------------------------------------------------------------------
// Documented constants
// ---------------------------------------------------------------------------------------------

export const MAVA_API_KEYS = Object.freeze(['sandbox-key-acme', 'sandbox-key-globex']);
/** Allow-list prefix for create-ticket attachment URLs (stands in for "your Mava S3 bucket"). */
export const ATTACHMENT_URL_PREFIX = 'https://uploads.sandbox.mava.test/';

const STATUSES = ['Open', 'Resolved', 'Pending', 'Waiting'];
const PRIORITIES = [1, 2, 3];
const CREATE_SOURCE_TYPES = ['web', 'discord', 'telegram', 'twitter', 'email'];
const ORIGINS = ['web', 'discord', 'telegram', 'telegram-group', 'email'];
const ATTACHMENT_TYPES = ['Image', 'Video', 'Audio', 'Voice', 'Animation', 'File'];
const MESSAGE_TYPES = ['ExternalMessage', 'InternalNote'];
const SORT_FIELDS = ['createdAt', 'status', 'priority', 'sourceType', 'assignedTo', 'category', 'resolutionTime'];
const SORT_ORDERS = ['asc', 'desc'];
const CSAT_FILTER_VALUES = ['1', '2', '3', '4', '5', 'no-rating'];
const WALLET_RE = /^0x[0-9a-fA-F]{40}$/;

const LIMITS = {
  tags: 20,
  emailSubjectLine: 998,
  attributes: 30,
  messageContent: 10000,
  attachments: 10,
};

const CREATE_FIELDS = [
  'customerId', 'customer', 'status', 'priority', 'sourceType', 'assignedTo', 'category', 'tags',
  'emailSubjectLine', 'attributes', 'message', 'silent', 'notify', 'triggerAutomations',
];
const CUSTOMER_FIELDS = ['name', 'email', 'walletAddress', 'attributes'];
const ATTRIBUTE_ITEM_FIELDS = ['attribute', 'content'];
const FIRST_MESSAGE_FIELDS = ['content', 'attachments'];
const CREATE_ATTACHMENT_FIELDS = ['url', 'fileName', 'fileSize', 'type'];
const UPDATE_FIELDS = ['ticketId', 'status', 'priority', 'categoryId', 'assignedTo'];
const MESSAGE_FIELDS = ['ticketId', 'content', 'messageType', 'attachments'];
const MESSAGE_ATTACHMENT_FIELDS = ['fileName', 'url', 'fileType'];
const IDENTIFY_FIELDS = ['emailAddress', 'plaformUserId', 'platformUserId', 'mavaCustomerId', 'customAttributes'];
const FETCH_PARAMS = [
  'startDate', 'endDate', 'limit', 'skip', 'status', 'assignedTo', 'category', 'tags', 'csatValues',
  'origin', 'sortBy', 'sortOrder', 'includeMessages',
];

// ---------------------------------------------------------------------------------------------
// Module
// ---------------------------------------------------------------------------------------------

export function createMava({ seed = 1, tickets = 250 } = {}) {
  let tenants = seedTenants(seed, tickets);

  const routes = {
    '/api/identify': { POST: identify },
    '/api/categories': { GET: getCategories },
    '/api/agents': { GET: getAgents },
    '/api/ticket': { POST: createTicket, PUT: updateTicket },
    '/api/message': { PUT: sendMessage, POST: sendMessage },
    '/api/tickets': { GET: fetchTickets },
  };

  return {
    name: 'mava',
    prefix: '/api/',
    get tenants() {
      return tenants;
    },
    /** Reseeds; `seed` / `tickets` default to the values given at creation. */
    reset(options = {}) {
      tenants = seedTenants(options.seed ?? seed, options.tickets ?? tickets);
    },
    authenticate({ headers }) {
      const key = headers['x-auth-token'];
      const tenant = typeof key === 'string' ? tenants.get(key) : undefined;
      return tenant ? { key, tenant } : null;
    },
    unauthorized() {
      return { status: 401, body: { error: 'Unauthorized' } };
    },
    handle(ctx) {
      const route = Object.hasOwn(routes, ctx.path) ? routes[ctx.path] : null;
      if (!route) return { status: 404, body: { error: 'Not found' } };
      const handler = Object.hasOwn(route, ctx.method) ? route[ctx.method] : null;
      if (!handler) {
        return { status: 405, body: { error: 'Method not allowed' }, headers: { allow: Object.keys(route).join(', ') } };
      }
      return handler(ctx);
    },
    control(method, path, query) {
      if (path === '/__sandbox/tenants' && method === 'GET') {
        return { status: 200, body: { tenants: [...tenants.values()].map(describeTenant) } };
      }
      if (path === '/__sandbox/tickets' && method === 'GET') return controlTickets(tenants, query);
      return null;
    },
  };
}

function controlTickets(tenants, query) {
  const key = query.get('key');
  if (!key) return { status: 400, body: { error: 'query parameter key (an API key) is required' } };
  const tenant = tenants.get(key);
  if (!tenant) return { status: 404, body: { error: 'Unknown API key' } };
  const list = tenant.ticketList.map((ticket) => renderTicket(tenant, ticket, { messages: true, sandbox: true }));
  return { status: 200, body: { tickets: list } };
}

// ---------------------------------------------------------------------------------------------
// Seed data
// ---------------------------------------------------------------------------------------------

const SEED_FROM = Date.UTC(2026, 0, 1);
const SEED_TO = Date.UTC(2026, 6, 1); // exclusive: tickets fall in 2026-01-01 … 2026-06-30
const ENTITY_TIME = Date.UTC(2025, 11, 1);

const TENANT_PROFILES = [
  {
    key: 'sandbox-key-acme',
    name: 'Acme Inc',
    domain: 'acme.test',
    categories: ['Billing', 'Technical Support', 'Account Access', 'Legacy Queue'],
    agents: ['Alice Anders', null, 'Carol Chen', 'Dave Dorsey'],
    tags: ['VIP', 'Bug', 'Refund', 'Feature Request', 'Urgent'],
    customerAttributes: ['Company', 'Plan', 'Country'],
    ticketAttributes: ['Order ID', 'Environment', 'Language'],
  },
  {
    key: 'sandbox-key-globex',
    name: 'Globex Corp',
    domain: 'globex.test',
    categories: ['Payments', 'Bug Reports', 'Onboarding', 'Old Inbox'],
    agents: ['Grace Gale', null, 'Hank Hill', 'Ivy Irons'],
    tags: ['Enterprise', 'Outage', 'Chargeback', 'Question', 'Escalated'],
    customerAttributes: ['Organisation', 'Tier', 'Region'],
    ticketAttributes: ['Invoice', 'Device', 'Locale'],
  },
];

const FIRST_NAMES = ['Ada', 'Ben', 'Cleo', 'Dan', 'Eve', 'Finn', 'Gus', 'Hana', 'Ian', 'Jade', 'Kai', 'Lena', 'Milo', 'Nora'];
const LAST_NAMES = ['Stone', 'Rivers', 'Park', 'Ng', 'Lopez', 'Weber', 'Khan', 'Ito', 'Moreau', 'Silva'];
const CUSTOMER_TEXTS = [
  'I need help with my billing',
  'The dashboard does not load for me',
  'How do I reset my password?',
  'My payment went through twice',
  'Can you add dark mode?',
  'The bot stopped answering in our server',
];
const AGENT_TEXTS = [
  'Let me look into that for you',
  'Thanks, this is fixed now',
  'Could you send a screenshot?',
  'I have escalated this to the team',
];
const NOTE_TEXTS = ['Customer is on the annual plan', 'Possible duplicate of an older ticket', 'Waiting for engineering'];
/** Plausible values per attribute position (customer: company, plan, country; ticket: order, environment, language). */
const ATTRIBUTE_VALUES = {
  customer: [['Initech', 'Hooli', 'Umbrella', 'Stark Industries'], ['Free', 'Starter', 'Pro', 'Enterprise'], ['DE', 'US', 'JP', 'BR']],
  ticket: [['A-1001', 'A-2047', 'B-3310', 'C-0420'], ['production', 'staging', 'mobile', 'desktop'], ['en', 'fr', 'de', 'ja']],
};
const CUSTOMERS_PER_TENANT = 20;

function seedTenants(seed, ticketCount) {
  const tenants = new Map();
  TENANT_PROFILES.forEach((profile, index) => {
    tenants.set(profile.key, seedTenant(profile, index, seed, ticketCount));
  });
  return tenants;
}

function seedTenant(profile, index, seed, ticketCount) {
  const rng = createRng(deriveSeed(seed, index));
  const newId = createIdFactory(rng, index + 1);
  const tenant = {
    key: profile.key,
    name: profile.name,
    rng,
    newId,
    apiUser: null,
    categories: new Map(),
    agents: new Map(),
    tags: new Map(),
    attributes: new Map(),
    customers: new Map(),
    customersByEmail: new Map(),
    customersByWallet: new Map(),
    tickets: new Map(),
    /** All tickets sorted by (createdAt, _id) ascending. */
    ticketList: [],
    /** Bumped on every change that can affect ticket ordering; invalidates sortCache. */
    version: 0,
    sortCache: new Map(),
  };
  tenant.apiUser = { _id: newId(ENTITY_TIME), name: `${profile.name} API` };
  profile.categories.forEach((name, i) => {
    const category = { _id: newId(ENTITY_TIME), name, isArchived: i === 3 };
    tenant.categories.set(category._id, category);
  });
  seedAgents(tenant, profile, rng);
  for (const name of profile.tags) {
    const tag = { _id: newId(ENTITY_TIME), name };
    tenant.tags.set(tag._id, tag);
  }
  for (const [affiliationType, names] of [['customer', profile.customerAttributes], ['ticket', profile.ticketAttributes]]) {
    for (const name of names) {
      const attribute = { _id: newId(ENTITY_TIME), name, affiliationType, isArchived: false };
      tenant.attributes.set(attribute._id, attribute);
    }
  }
  seedCustomers(tenant, profile, rng);
  seedTickets(tenant, rng, ticketCount);
  return tenant;
}

function seedAgents(tenant, profile, rng) {
  const [first, wallet, both, archived] = profile.agents;
  const emailOf = (name) => `${name.split(' ')[0].toLowerCase()}@${profile.domain}`;
  const specs = [
    { username: first, email: emailOf(first), walletAddress: null, isArchived: false },
    { username: wallet, email: null, walletAddress: randomWallet(rng), isArchived: false },
    { username: both, email: emailOf(both), walletAddress: randomWallet(rng), isArchived: false },
    { username: archived, email: emailOf(archived), walletAddress: null, isArchived: true },
  ];
  for (const spec of specs) {
    const agent = { _id: tenant.newId(ENTITY_TIME), ...spec };
    tenant.agents.set(agent._id, agent);
  }
}

function seedCustomers(tenant, profile, rng) {
  const customerAttributes = attributesOf(tenant, 'customer');
  const valueFor = attributeValuePicker(rng, customerAttributes, ATTRIBUTE_VALUES.customer);
  for (let i = 0; i < CUSTOMERS_PER_TENANT; i++) {
    const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} ${rng.pick(LAST_NAMES)}`;
    const walletOnly = i % 4 === 3;
    const withWallet = walletOnly || i % 5 === 0;
    addCustomer(tenant, {
      name,
      email: walletOnly ? null : `customer${i + 1}@${profile.domain}`,
      walletAddress: withWallet ? randomWallet(rng) : null,
      attributes: rng.sample(customerAttributes, rng.int(0, 2)).map(valueFor),
    }, ENTITY_TIME);
  }
}

function seedTickets(tenant, rng, count) {
  const customers = [...tenant.customers.values()];
  const agents = [...tenant.agents.values()].filter((agent) => !agent.isArchived);
  const categories = [...tenant.categories.values()];
  const tags = [...tenant.tags.values()];
  const ticketAttributes = attributesOf(tenant, 'ticket');
  const valueFor = attributeValuePicker(rng, ticketAttributes, ATTRIBUTE_VALUES.ticket);
  const times = [];
  for (let i = 0; i < count; i++) times.push(SEED_FROM + Math.floor(rng.next() * ((SEED_TO - SEED_FROM) / 1000)) * 1000);
  times.sort((a, b) => a - b);

  for (const createdAtMs of times) {
    const sourceType = rng.pick(ORIGINS);
    const status = rng.pick(STATUSES);
    const telegramGroup = sourceType === 'telegram-group';
    const discordUsers = sourceType === 'discord'
      ? [{ discordAuthorId: String(rng.int(100000000, 999999999)) + String(rng.int(100000000, 999999999)), name: `${rng.pick(FIRST_NAMES).toLowerCase()}#${rng.int(1000, 9999)}` }]
      : [];
    const resolutionTime = status === 'Resolved' ? rng.int(60, 3 * 86400) * 1000 : null;
    const ticket = {
      _id: tenant.newId(createdAtMs),
      createdAtMs,
      updatedAtMs: createdAtMs,
      status,
      priority: rng.pick(PRIORITIES),
      sourceType,
      resolutionTime,
      assigneeId: rng.chance(0.25) ? null : rng.pick(agents)._id,
      categoryId: rng.chance(0.3) ? null : rng.pick(categories)._id,
      tagIds: rng.sample(tags, rng.int(0, 2)).map((tag) => tag._id),
      csat: !telegramGroup && status === 'Resolved' && rng.chance(0.6) ? rng.int(1, 5) : null,
      aiStatus: telegramGroup ? null : rng.pick(['resolved', 'escalated', 'handed-off', null]),
      discordUsers,
      attributes: rng.sample(ticketAttributes, rng.int(0, 2)).map(valueFor),
      customerId: telegramGroup ? null : rng.pick(customers)._id,
      messages: [],
      sandbox: { origin: 'seed' },
    };
    seedMessages(tenant, rng, ticket);
    let lastChange = ticket.messages.length ? ticket.messages.at(-1).createdAtMs : createdAtMs;
    if (resolutionTime !== null) lastChange = Math.max(lastChange, createdAtMs + resolutionTime);
    ticket.updatedAtMs = lastChange;
    tenant.tickets.set(ticket._id, ticket);
    tenant.ticketList.push(ticket);
  }
  tenant.ticketList.sort(compareByCreatedAt);
}

function seedMessages(tenant, rng, ticket) {
  const count = rng.int(0, 4);
  let time = ticket.createdAtMs;
  for (let i = 0; i < count; i++) {
    const senderType = i === 0 ? 'customer' : rng.pick(['customer', 'agent', 'agent', 'system']);
    let messageType = 'ExternalMessage';
    let content;
    if (senderType === 'customer') content = rng.pick(CUSTOMER_TEXTS);
    else if (senderType === 'system') {
      messageType = 'InternalNote';
      content = 'Status changed from Open to Pending';
    } else if (rng.chance(0.3)) {
      messageType = 'InternalNote';
      content = rng.pick(NOTE_TEXTS);
    } else content = rng.pick(AGENT_TEXTS);
    const attachments = rng.chance(0.1)
      ? [{ url: `${ATTACHMENT_URL_PREFIX}${tenant.key}/screenshot-${rng.hex(6)}.png`, fileName: 'screenshot.png', type: 'Image' }]
      : [];
    ticket.messages.push({
      _id: tenant.newId(time),
      content,
      senderType,
      senderName: senderType === 'customer' && ticket.discordUsers.length ? ticket.discordUsers[0].name : null,
      messageType,
      createdAtMs: time,
      attachments,
    });
    time += rng.int(60, 6 * 3600) * 1000;
  }
}

/** attribute → `{ attributeId, content }` with a value from that attribute's pool. */
function attributeValuePicker(rng, attributes, pools) {
  const poolOf = new Map(attributes.map((attribute, i) => [attribute._id, pools[i % pools.length]]));
  return (attribute) => ({ attributeId: attribute._id, content: rng.pick(poolOf.get(attribute._id)) });
}

function randomWallet(rng) {
  return `0x${rng.hex(40)}`;
}

function attributesOf(tenant, affiliationType) {
  return [...tenant.attributes.values()].filter((attribute) => attribute.affiliationType === affiliationType);
}

function addCustomer(tenant, { name = null, email = null, walletAddress = null, attributes = [] }, timeMs) {
  const customer = { _id: tenant.newId(timeMs), name, email, walletAddress, platformUserId: null, attributes };
  tenant.customers.set(customer._id, customer);
  if (email) tenant.customersByEmail.set(email.toLowerCase(), customer);
  if (walletAddress) tenant.customersByWallet.set(walletAddress.toLowerCase(), customer);
  return customer;
}

function compareByCreatedAt(a, b) {
  return a.createdAtMs - b.createdAtMs || compareStrings(a._id, b._id);
}

function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function iso(ms) {
  return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Rendering (internal records → documented JSON shapes)
// ---------------------------------------------------------------------------------------------

/** Display name of an agent. Assumption: username, else e-mail, else wallet address. */
function agentName(agent) {
  return agent.username ?? agent.email ?? agent.walletAddress;
}

function renderAttributes(tenant, list) {
  return list.map(({ attributeId, content }) => ({
    attributeId,
    name: tenant.attributes.get(attributeId)?.name ?? null,
    content,
  }));
}

/**
 * A ticket in the shape of A.9. `messages: true` adds the thread (oldest first);
 * `sandbox: true` (control API only) adds the sandbox-only bookkeeping fields.
 */
function renderTicket(tenant, ticket, { messages = false, sandbox = false } = {}) {
  const agent = ticket.assigneeId ? tenant.agents.get(ticket.assigneeId) : null;
  const category = ticket.categoryId ? tenant.categories.get(ticket.categoryId) : null;
  const customer = ticket.customerId ? tenant.customers.get(ticket.customerId) : null;
  const out = {
    _id: ticket._id,
    createdAt: iso(ticket.createdAtMs),
    updatedAt: iso(ticket.updatedAtMs),
    status: ticket.status,
    priority: ticket.priority,
    sourceType: ticket.sourceType,
    resolutionTime: ticket.resolutionTime,
    assignedTo: agent ? { _id: agent._id, name: agentName(agent) } : null,
    category: category ? { _id: category._id, name: category.name } : null,
    tags: ticket.tagIds.map((id) => ({ _id: id, name: tenant.tags.get(id).name })),
    csat: ticket.csat === null ? null : { value: ticket.csat },
    aiStatus: ticket.aiStatus,
    discordUsers: ticket.discordUsers.map((user) => ({ ...user })),
    attributes: renderAttributes(tenant, ticket.attributes),
    customer: customer
      ? { _id: customer._id, email: customer.email, attributes: renderAttributes(tenant, customer.attributes) }
      : null,
  };
  if (ticket.emailSubjectLine !== undefined) out.emailSubjectLine = ticket.emailSubjectLine;
  if (messages) out.messages = ticket.messages.map((message) => renderMessage(message, sandbox));
  if (sandbox) out.sandbox = { ...ticket.sandbox };
  return out;
}

function renderMessage(message, sandbox = false) {
  const out = {
    _id: message._id,
    content: message.content,
    senderType: message.senderType,
    senderName: message.senderName,
    messageType: message.messageType,
    createdAt: iso(message.createdAtMs),
    attachments: message.attachments.map((attachment) => ({ ...attachment })),
  };
  if (sandbox && message.sandbox) out.sandbox = { ...message.sandbox };
  return out;
}

function describeTenant(tenant) {
  return {
    key: tenant.key,
    name: tenant.name,
    apiUser: { ...tenant.apiUser },
    categories: [...tenant.categories.values()].map((c) => ({ ...c })),
    agents: [...tenant.agents.values()].map(({ _id, ...rest }) => ({ id: _id, ...rest })),
    tags: [...tenant.tags.values()].map((t) => ({ ...t })),
    attributes: [...tenant.attributes.values()].map((a) => ({ ...a })),
    customers: [...tenant.customers.values()].map((c) => ({ ...c, attributes: renderAttributes(tenant, c.attributes) })),
    ticketCount: tenant.ticketList.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Shared request helpers
// ---------------------------------------------------------------------------------------------

function codeError(status, code, message) {
  return { status, body: message === undefined ? { error: code } : { error: code, message } };
}

function validationError(issues) {
  return codeError(400, 'VALIDATION_ERROR', Array.isArray(issues) ? issues.join('; ') : issues);
}

/** Old-style Mava error: `{"error":"<human readable text>"}`. */
function textError(status, text) {
  return { status, body: { error: text } };
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describeType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Parses a JSON request body. Requires `content-type: application/json` (parameters such as
 * charset allowed) and a JSON object. Returns `{ body }` or `{ error }` (a 400 VALIDATION_ERROR).
 */
function parseJsonBody(ctx) {
  const mediaType = String(ctx.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return { error: validationError(`content-type must be application/json (got ${mediaType || 'none'})`) };
  }
  let body;
  try {
    body = JSON.parse(ctx.bodyText);
  } catch {
    return { error: validationError('Malformed JSON body') };
  }
  if (!isPlainObject(body)) return { error: validationError(`Request body must be a JSON object, got ${describeType(body)}`) };
  return { body };
}

function join(path, key) {
  return path ? `${path}.${key}` : key;
}

/** Pushes an issue for every key of `obj` not in `allowed`. */
function checkKnownKeys(obj, allowed, path, issues) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) issues.push(`${join(path, key)}: unknown field`);
  }
}

/** Optional string field; `max` counts UTF-16 code units (JavaScript string length). */
function checkString(obj, key, path, issues, { required = false, max } = {}) {
  const name = join(path, key);
  const value = obj[key];
  if (value === undefined) {
    if (required) issues.push(`${name}: required`);
    return;
  }
  if (typeof value !== 'string') return issues.push(`${name}: must be a string, got ${describeType(value)}`);
  if (max !== undefined && value.length > max) issues.push(`${name}: at most ${max} characters (got ${value.length})`);
}

function checkEnum(obj, key, values, path, issues) {
  const value = obj[key];
  if (value === undefined) return;
  if (!values.includes(value)) {
    issues.push(`${join(path, key)}: must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`);
  }
}

function checkBoolean(obj, key, path, issues) {
  const value = obj[key];
  if (value !== undefined && typeof value !== 'boolean') {
    issues.push(`${join(path, key)}: must be a boolean, got ${describeType(value)}`);
  }
}

/** Optional array field; returns the array when present and valid, else undefined. */
function checkArray(obj, key, path, issues, { max } = {}) {
  const value = obj[key];
  if (value === undefined) return undefined;
  const name = join(path, key);
  if (!Array.isArray(value)) {
    issues.push(`${name}: must be an array, got ${describeType(value)}`);
    return undefined;
  }
  if (max !== undefined && value.length > max) issues.push(`${name}: at most ${max} items (got ${value.length})`);
  return value;
}

/** Checks each element of `list` is an object and runs `checkItem(item, itemPath)` on it. */
function checkObjectItems(list, path, issues, checkItem) {
  list.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (!isPlainObject(item)) issues.push(`${itemPath}: must be an object, got ${describeType(item)}`);
    else checkItem(item, itemPath);
  });
}

// ---------------------------------------------------------------------------------------------
// POST /api/identify
// ---------------------------------------------------------------------------------------------

/**
 * Creates (no/empty mavaCustomerId) or updates a customer. Assumptions: the response is
 * `{"mavaCustomerId":"<id>"}`; a non-empty emailAddress / platform user id overwrites the stored
 * one; each customAttributes label names a customer attribute (created when unknown) whose value
 * is set on the customer.
 */
function identify(ctx) {
  const parsed = parseJsonBody(ctx);
  if (parsed.error) return parsed.error;
  const { body } = parsed;
  const { tenant } = ctx;
  const issues = [];
  checkKnownKeys(body, IDENTIFY_FIELDS, '', issues);
  for (const key of ['emailAddress', 'plaformUserId', 'platformUserId', 'mavaCustomerId']) checkString(body, key, '', issues);
  const attributes = checkArray(body, 'customAttributes', '', issues);
  if (attributes) {
    checkObjectItems(attributes, 'customAttributes', issues, (item, path) => {
      checkKnownKeys(item, ['label', 'value'], path, issues);
      checkString(item, 'label', path, issues, { required: true });
      checkString(item, 'value', path, issues, { required: true });
    });
  }
  if (issues.length) return validationError(issues);

  let customer;
  if (body.mavaCustomerId) {
    customer = tenant.customers.get(body.mavaCustomerId);
    if (!customer) return codeError(404, 'CUSTOMER_NOT_FOUND', 'mavaCustomerId does not match a customer of this organisation');
  }
  const now = Date.now();
  if (!customer) customer = addCustomer(tenant, {}, now);
  if (body.emailAddress) setCustomerEmail(tenant, customer, body.emailAddress);
  const platformUserId = body.plaformUserId || body.platformUserId;
  if (platformUserId) customer.platformUserId = platformUserId;
  for (const { label, value } of attributes ?? []) setCustomerAttribute(tenant, customer, label, value, now);
  return { status: 200, body: { mavaCustomerId: customer._id } };
}

function setCustomerEmail(tenant, customer, email) {
  if (customer.email) tenant.customersByEmail.delete(customer.email.toLowerCase());
  customer.email = email;
  tenant.customersByEmail.set(email.toLowerCase(), customer);
}

function setCustomerAttribute(tenant, customer, label, value, now) {
  let attribute = attributesOf(tenant, 'customer').find((a) => a.name === label);
  if (!attribute) {
    attribute = { _id: tenant.newId(now), name: label, affiliationType: 'customer', isArchived: false };
    tenant.attributes.set(attribute._id, attribute);
  }
  const existing = customer.attributes.find((a) => a.attributeId === attribute._id);
  if (existing) existing.content = value;
  else customer.attributes.push({ attributeId: attribute._id, content: value });
}

// ---------------------------------------------------------------------------------------------
// GET /api/categories, GET /api/agents
// ---------------------------------------------------------------------------------------------

function getCategories({ tenant }) {
  const categories = [...tenant.categories.values()]
    .filter((category) => !category.isArchived)
    .map(({ _id, name }) => ({ _id, name }));
  return { status: 200, body: { categories } };
}

function getAgents({ tenant }) {
  const agents = [...tenant.agents.values()]
    .filter((agent) => !agent.isArchived)
    .map(({ _id, email, username, walletAddress }) => ({ id: _id, email, username, walletAddress }));
  return { status: 200, body: { agents } };
}

function activeAgent(tenant, id) {
  const agent = typeof id === 'string' ? tenant.agents.get(id) : undefined;
  return agent && !agent.isArchived ? agent : null;
}

function activeCategory(tenant, id) {
  const category = typeof id === 'string' ? tenant.categories.get(id) : undefined;
  return category && !category.isArchived ? category : null;
}

// ---------------------------------------------------------------------------------------------
// POST /api/ticket (create)
// ---------------------------------------------------------------------------------------------

/**
 * Check order (first failing stage decides the answer; nothing is stored unless all pass):
 *   1. body is a JSON object with only documented fields            → VALIDATION_ERROR
 *   2. exactly one of customerId / customer                         → INVALID_CUSTOMER_MODE
 *   3. types of the customer object's fields                        → VALIDATION_ERROR
 *   4. customer has a non-empty email or a valid walletAddress      → INVALID_CUSTOMER_MODE
 *   5. every other type / enum / length / count rule                → VALIDATION_ERROR (all issues listed)
 *   6. attachment URLs                                              → INVALID_ATTACHMENT_URL
 *   7. references: customer, assignee, category, tags, attributes   → 404 *_NOT_FOUND
 */
function createTicket(ctx) {
  const parsed = parseJsonBody(ctx);
  if (parsed.error) return parsed.error;
  const { body } = parsed;
  const { tenant } = ctx;

  const unknown = [];
  checkKnownKeys(body, CREATE_FIELDS, '', unknown);
  if (unknown.length) return validationError(unknown);

  const hasCustomerId = 'customerId' in body;
  const hasCustomer = 'customer' in body;
  if (hasCustomerId && hasCustomer) return codeError(400, 'INVALID_CUSTOMER_MODE', 'Send either customerId or customer, not both');
  if (!hasCustomerId && !hasCustomer) return codeError(400, 'INVALID_CUSTOMER_MODE', 'Send customerId or customer');

  const issues = [];
  if (hasCustomer) {
    const modeProblem = checkCustomerObject(body.customer, issues);
    if (issues.length) return validationError(issues);
    if (modeProblem) return codeError(400, 'INVALID_CUSTOMER_MODE', modeProblem);
  } else {
    checkString(body, 'customerId', '', issues);
  }
  checkCreateFields(body, issues);
  if (issues.length) return validationError(issues);

  const badUrl = findInvalidAttachmentUrl(body.message?.attachments ?? []);
  if (badUrl) return codeError(400, 'INVALID_ATTACHMENT_URL', badUrl);

  const refs = resolveCreateReferences(tenant, body);
  if (refs.error) return refs.error;

  const ticket = storeNewTicket(tenant, body, refs, Date.now());
  return { status: 201, body: renderTicket(tenant, ticket, { messages: true }) };
}

/** Type checks of `customer`; returns an INVALID_CUSTOMER_MODE reason or null. */
function checkCustomerObject(customer, issues) {
  if (!isPlainObject(customer)) {
    issues.push(`customer: must be an object, got ${describeType(customer)}`);
    return null;
  }
  checkKnownKeys(customer, CUSTOMER_FIELDS, 'customer', issues);
  checkString(customer, 'name', 'customer', issues);
  checkString(customer, 'email', 'customer', issues);
  checkString(customer, 'walletAddress', 'customer', issues);
  checkAttributeList(customer, 'customer', issues);
  if (issues.length) return null;

  const hasEmail = typeof customer.email === 'string' && customer.email !== '';
  const wallet = customer.walletAddress;
  const hasWallet = typeof wallet === 'string' && wallet !== '';
  const walletValid = hasWallet && WALLET_RE.test(wallet);
  if (!hasEmail && !walletValid) {
    return hasWallet
      ? 'customer.walletAddress must be 0x followed by 40 hex characters (and no email was given)'
      : 'customer needs an email or a walletAddress';
  }
  if (hasWallet && !walletValid) issues.push('customer.walletAddress: must be 0x followed by 40 hex characters');
  return null;
}

/** `{ attribute, content }` lists: `attributes` and `customer.attributes`. */
function checkAttributeList(obj, path, issues) {
  const list = checkArray(obj, 'attributes', path, issues, { max: LIMITS.attributes });
  if (!list) return;
  checkObjectItems(list, join(path, 'attributes'), issues, (item, itemPath) => {
    checkKnownKeys(item, ATTRIBUTE_ITEM_FIELDS, itemPath, issues);
    checkString(item, 'attribute', itemPath, issues, { required: true });
    checkString(item, 'content', itemPath, issues, { required: true });
  });
}

function checkCreateFields(body, issues) {
  checkEnum(body, 'status', STATUSES, '', issues);
  checkEnum(body, 'priority', PRIORITIES, '', issues);
  checkEnum(body, 'sourceType', CREATE_SOURCE_TYPES, '', issues);
  checkString(body, 'assignedTo', '', issues);
  checkString(body, 'category', '', issues);
  const tags = checkArray(body, 'tags', '', issues, { max: LIMITS.tags });
  tags?.forEach((tag, i) => {
    if (typeof tag !== 'string') issues.push(`tags[${i}]: must be a string, got ${describeType(tag)}`);
  });
  checkString(body, 'emailSubjectLine', '', issues, { max: LIMITS.emailSubjectLine });
  checkAttributeList(body, '', issues);
  for (const key of ['silent', 'notify', 'triggerAutomations']) checkBoolean(body, key, '', issues);
  if (body.message !== undefined) checkFirstMessage(body.message, issues);
}

function checkFirstMessage(message, issues) {
  if (!isPlainObject(message)) return issues.push(`message: must be an object, got ${describeType(message)}`);
  checkKnownKeys(message, FIRST_MESSAGE_FIELDS, 'message', issues);
  checkString(message, 'content', 'message', issues, { required: true, max: LIMITS.messageContent });
  const attachments = checkArray(message, 'attachments', 'message', issues, { max: LIMITS.attachments });
  if (!attachments) return;
  checkObjectItems(attachments, 'message.attachments', issues, (item, path) => {
    checkKnownKeys(item, CREATE_ATTACHMENT_FIELDS, path, issues);
    checkString(item, 'url', path, issues, { required: true });
    checkString(item, 'fileName', path, issues, { required: true });
    if (item.fileSize !== undefined && !(Number.isInteger(item.fileSize) && item.fileSize >= 0)) {
      issues.push(`${path}.fileSize: must be a non-negative integer`);
    }
    checkEnum(item, 'type', ATTACHMENT_TYPES, path, issues);
  });
}

/**
 * Returns a reason when an attachment URL is not allowed: not HTTPS, not under
 * ATTACHMENT_URL_PREFIX, or containing path traversal (a `..` segment, even percent-encoded,
 * or a backslash, even percent-encoded). Checked on the raw string (URL parsing would hide `..`).
 */
export function attachmentUrlProblem(url) {
  if (!/^https:\/\//i.test(url)) return 'must be an https:// URL';
  if (!url.startsWith(ATTACHMENT_URL_PREFIX)) return `must be under ${ATTACHMENT_URL_PREFIX}`;
  if (url.includes('\\') || /%5c/i.test(url)) return 'must not contain a backslash';
  const path = url.slice(ATTACHMENT_URL_PREFIX.length).split(/[?#]/)[0];
  for (const segment of path.split('/')) {
    if (segment.replace(/%2e/gi, '.') === '..') return 'must not contain path traversal';
  }
  if (/%2e%2e/i.test(url)) return 'must not contain path traversal';
  try {
    new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  return null;
}

function findInvalidAttachmentUrl(attachments) {
  for (let i = 0; i < attachments.length; i++) {
    const problem = attachmentUrlProblem(attachments[i].url);
    if (problem) return `message.attachments[${i}].url ${problem}`;
  }
  return null;
}

/** Looks up every referenced id in the caller's tenant. Returns `{ error }` or the resolved records. */
function resolveCreateReferences(tenant, body) {
  const refs = { customer: null, agent: null, category: null, tagIds: [] };
  if (body.customerId !== undefined) {
    refs.customer = tenant.customers.get(body.customerId);
    if (!refs.customer) return { error: codeError(404, 'CUSTOMER_NOT_FOUND', `No customer ${body.customerId} in this organisation`) };
  }
  if (body.assignedTo !== undefined) {
    refs.agent = activeAgent(tenant, body.assignedTo);
    if (!refs.agent) return { error: codeError(404, 'ASSIGNEE_NOT_FOUND', `No active agent ${body.assignedTo} in this organisation`) };
  }
  if (body.category !== undefined) {
    refs.category = activeCategory(tenant, body.category);
    if (!refs.category) return { error: codeError(404, 'CATEGORY_NOT_FOUND', `No active category ${body.category} in this organisation`) };
  }
  const missingTags = (body.tags ?? []).filter((id) => !tenant.tags.has(id));
  if (missingTags.length) return { error: codeError(404, 'TAG_NOT_FOUND', `Unknown tag(s): ${missingTags.join(', ')}`) };
  refs.tagIds = [...new Set(body.tags ?? [])];
  const attributeProblem =
    unknownAttribute(tenant, body.attributes, 'ticket', 'attributes') ??
    unknownAttribute(tenant, body.customer?.attributes, 'customer', 'customer.attributes');
  if (attributeProblem) return { error: codeError(404, 'ATTRIBUTE_NOT_FOUND', attributeProblem) };
  return refs;
}

/** Assumption: attribute ids must be this tenant's attributes of the right kind (ticket/customer). */
function unknownAttribute(tenant, list, affiliationType, path) {
  for (const [i, { attribute }] of (list ?? []).entries()) {
    const found = tenant.attributes.get(attribute);
    if (!found || found.affiliationType !== affiliationType || found.isArchived) {
      return `${path}[${i}].attribute: no ${affiliationType} attribute ${attribute} in this organisation`;
    }
  }
  return null;
}

/** Find-or-create of the customer object: by e-mail when given, else by wallet address. */
function findOrCreateCustomer(tenant, spec, now) {
  const email = spec.email || null;
  const wallet = spec.walletAddress || null;
  const existing = email ? tenant.customersByEmail.get(email.toLowerCase()) : tenant.customersByWallet.get(wallet.toLowerCase());
  if (existing) return existing;
  return addCustomer(tenant, {
    name: spec.name ?? null,
    email,
    walletAddress: wallet,
    attributes: (spec.attributes ?? []).map(({ attribute, content }) => ({ attributeId: attribute, content })),
  }, now);
}

function storeNewTicket(tenant, body, refs, now) {
  const customer = refs.customer ?? findOrCreateCustomer(tenant, body.customer, now);
  const silent = body.silent === true;
  const ticket = {
    _id: tenant.newId(now),
    createdAtMs: now,
    updatedAtMs: now,
    status: body.status ?? 'Open',
    priority: body.priority ?? 2,
    sourceType: body.sourceType ?? 'web',
    resolutionTime: null,
    assigneeId: refs.agent?._id ?? null,
    categoryId: refs.category?._id ?? null,
    tagIds: refs.tagIds,
    csat: null,
    aiStatus: null,
    discordUsers: [],
    attributes: (body.attributes ?? []).map(({ attribute, content }) => ({ attributeId: attribute, content })),
    customerId: customer._id,
    messages: [],
    emailSubjectLine: body.emailSubjectLine,
    sandbox: {
      origin: 'api',
      silent,
      notify: silent ? false : body.notify ?? true,
      triggerAutomations: silent ? false : body.triggerAutomations ?? true,
    },
  };
  if (body.message) {
    ticket.messages.push({
      _id: tenant.newId(now),
      content: body.message.content,
      senderType: 'customer',
      senderName: null,
      messageType: 'ExternalMessage',
      createdAtMs: now,
      attachments: (body.message.attachments ?? []).map(pickDefined(CREATE_ATTACHMENT_FIELDS)),
    });
  }
  insertTicket(tenant, ticket);
  return ticket;
}

function pickDefined(keys) {
  return (item) => Object.fromEntries(keys.filter((key) => item[key] !== undefined).map((key) => [key, item[key]]));
}

/** Inserts into ticketList keeping (createdAt, _id) order; new tickets normally go last. */
function insertTicket(tenant, ticket) {
  const list = tenant.ticketList;
  let index = list.length;
  while (index > 0 && compareByCreatedAt(list[index - 1], ticket) > 0) index--;
  list.splice(index, 0, ticket);
  tenant.tickets.set(ticket._id, ticket);
  tenant.version++;
}

// ---------------------------------------------------------------------------------------------
// PUT /api/ticket (update)
// ---------------------------------------------------------------------------------------------

/**
 * Check order: body/fields (assumption: unknown fields → VALIDATION_ERROR), ticket, status and
 * priority, category, assignee. Each field whose value really changes appends one system audit
 * note and bumps updatedAt; identical values change nothing.
 */
function updateTicket(ctx) {
  const parsed = parseJsonBody(ctx);
  if (parsed.error) return parsed.error;
  const { body } = parsed;
  const { tenant } = ctx;
  const unknown = [];
  checkKnownKeys(body, UPDATE_FIELDS, '', unknown);
  if (unknown.length) return validationError(unknown);

  const ticket = typeof body.ticketId === 'string' ? tenant.tickets.get(body.ticketId) : undefined;
  if (!ticket) return textError(400, 'Ticket not found');
  if (('status' in body && !STATUSES.includes(body.status)) || ('priority' in body && !PRIORITIES.includes(body.priority))) {
    return textError(400, 'Invalid status or priority');
  }
  let category;
  if ('categoryId' in body) {
    category = activeCategory(tenant, body.categoryId);
    if (!category) return textError(400, 'Category not found');
  }
  let agent;
  if ('assignedTo' in body && body.assignedTo !== null) {
    agent = activeAgent(tenant, body.assignedTo);
    if (!agent) return textError(400, 'Assignee not found');
  }

  const now = Date.now();
  const notes = [];
  if ('status' in body && body.status !== ticket.status) {
    notes.push(`Status changed from ${ticket.status} to ${body.status}`);
    ticket.status = body.status;
    ticket.resolutionTime = body.status === 'Resolved' ? Math.max(0, now - ticket.createdAtMs) : null;
  }
  if ('priority' in body && body.priority !== ticket.priority) {
    notes.push(`Priority changed from ${ticket.priority} to ${body.priority}`);
    ticket.priority = body.priority;
  }
  if (category && category._id !== ticket.categoryId) {
    const before = ticket.categoryId ? tenant.categories.get(ticket.categoryId).name : 'none';
    notes.push(`Category changed from ${before} to ${category.name}`);
    ticket.categoryId = category._id;
  }
  if ('assignedTo' in body && (agent?._id ?? null) !== ticket.assigneeId) {
    const before = ticket.assigneeId ? agentName(tenant.agents.get(ticket.assigneeId)) : 'nobody';
    notes.push(agent ? `Assignee changed from ${before} to ${agentName(agent)}` : `Ticket unassigned (was ${before})`);
    ticket.assigneeId = agent?._id ?? null;
  }
  if (notes.length) {
    for (const content of notes) ticket.messages.push(systemNote(tenant, content, now));
    ticket.updatedAtMs = now;
    tenant.version++;
  }
  return { status: 200, body: { message: 'Ticket updated' } };
}

function systemNote(tenant, content, now) {
  return {
    _id: tenant.newId(now),
    content,
    senderType: 'system',
    senderName: null,
    messageType: 'InternalNote',
    createdAtMs: now,
    attachments: [],
    sandbox: { origin: 'update-audit' },
  };
}

// ---------------------------------------------------------------------------------------------
// PUT|POST /api/message
// ---------------------------------------------------------------------------------------------

/**
 * Check order: body/field types (VALIDATION_ERROR; assumption), content-or-attachments, ticket.
 * Assumption: the response is `{ message, ticket, sender }` with the new message (A.9 message
 * shape, senderType "agent"), the ticket (A.9 shape, no messages) and the API user as sender.
 */
function sendMessage(ctx) {
  const parsed = parseJsonBody(ctx);
  if (parsed.error) return parsed.error;
  const { body } = parsed;
  const { tenant } = ctx;
  const issues = [];
  checkKnownKeys(body, MESSAGE_FIELDS, '', issues);
  checkString(body, 'content', '', issues);
  checkEnum(body, 'messageType', MESSAGE_TYPES, '', issues);
  const attachments = checkArray(body, 'attachments', '', issues);
  if (attachments) {
    checkObjectItems(attachments, 'attachments', issues, (item, path) => {
      checkKnownKeys(item, MESSAGE_ATTACHMENT_FIELDS, path, issues);
      for (const key of MESSAGE_ATTACHMENT_FIELDS) checkString(item, key, path, issues, { required: true });
      if (typeof item.url === 'string' && !isHttpUrl(item.url)) issues.push(`${path}.url: must be an http(s) URL`);
    });
  }
  if (issues.length) return validationError(issues);

  const hasContent = typeof body.content === 'string' && body.content.length > 0;
  if (!hasContent && !(attachments && attachments.length > 0)) return textError(400, 'Content or attachments are required');
  const ticket = typeof body.ticketId === 'string' ? tenant.tickets.get(body.ticketId) : undefined;
  if (!ticket) return textError(400, 'Ticket not found');

  const now = Date.now();
  const message = {
    _id: tenant.newId(now),
    content: body.content ?? '',
    senderType: 'agent',
    senderName: null,
    messageType: body.messageType ?? 'ExternalMessage',
    createdAtMs: now,
    attachments: (attachments ?? []).map(pickDefined(MESSAGE_ATTACHMENT_FIELDS)),
    sandbox: { origin: 'api', method: ctx.method },
  };
  ticket.messages.push(message);
  ticket.updatedAtMs = now;
  return {
    status: 200,
    body: {
      message: renderMessage(message),
      ticket: renderTicket(tenant, ticket),
      sender: { ...tenant.apiUser },
    },
  };
}

function isHttpUrl(value) {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// GET /api/tickets
// ---------------------------------------------------------------------------------------------

function fetchTickets({ query, tenant }) {
  const parsed = parseFetchQuery(query);
  if (parsed.error) return { status: 400, body: parsed.error };
  const { range, limit, skip, sortBy, sortOrder, includeMessages, filters } = parsed;
  const matches = ticketPredicate(range, filters);
  const page = [];
  let count = 0;
  for (const ticket of sortedTickets(tenant, sortBy, sortOrder)) {
    if (!matches(ticket)) continue;
    if (count >= skip && page.length < limit) page.push(ticket);
    count++;
  }
  return {
    status: 200,
    body: {
      tickets: page.map((ticket) => renderTicket(tenant, ticket, { messages: includeMessages })),
      count,
      pagination: { limit, skip, hasMore: skip + page.length < count },
    },
  };
}

/**
 * Validates the query in the documented error order (dates, limit, skip, sortBy, sortOrder),
 * then the sandbox's own strictness checks (assumption, code INVALID_QUERY): unknown parameter
 * names, empty or out-of-enum filter values, includeMessages other than true/false.
 */
export function parseFetchQuery(query) {
  const single = (name) => {
    const values = query.getAll(name);
    return { present: values.length > 0, value: values[0], repeated: values.length > 1 };
  };

  const start = single('startDate');
  const end = single('endDate');
  if (!start.present || !end.present || start.value === '' || end.value === '') return { error: { error: 'MISSING_DATE_RANGE' } };
  if (start.repeated || end.repeated) return { error: { error: 'INVALID_DATE_RANGE' } };
  const range = parseDateRange(start.value, end.value);
  if (!range) return { error: { error: 'INVALID_DATE_RANGE' } };

  const limit = parseCount(single('limit'), 50, 1, 100);
  if (limit === null) return { error: { error: 'INVALID_LIMIT' } };
  const skip = parseCount(single('skip'), 0, 0, Number.MAX_SAFE_INTEGER);
  if (skip === null) return { error: { error: 'INVALID_SKIP' } };
  const sortBy = parseChoice(single('sortBy'), SORT_FIELDS, 'createdAt');
  if (sortBy === null) return { error: { error: 'UNSUPPORTED_SORT_FIELD' } };
  const sortOrder = parseChoice(single('sortOrder'), SORT_ORDERS, 'desc');
  if (sortOrder === null) return { error: { error: 'UNSUPPORTED_SORT_ORDER' } };

  const strict = checkQueryStrictness(query);
  if (strict) return { error: { error: 'INVALID_QUERY', message: strict } };
  const includeMessages = query.get('includeMessages') === 'true';
  const filters = {};
  for (const name of ['status', 'assignedTo', 'category', 'tags', 'csatValues', 'origin']) {
    const values = query.getAll(name);
    if (values.length) filters[name] = new Set(values);
  }
  return { range, limit, skip, sortBy, sortOrder, includeMessages, filters };
}

function parseCount({ present, value, repeated }, fallback, min, max) {
  if (!present) return fallback;
  if (repeated || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

function parseChoice({ present, value, repeated }, choices, fallback) {
  if (!present) return fallback;
  return !repeated && choices.includes(value) ? value : null;
}

function checkQueryStrictness(query) {
  for (const name of new Set(query.keys())) {
    if (!FETCH_PARAMS.includes(name)) return `unknown query parameter ${JSON.stringify(name)}`;
  }
  const include = query.getAll('includeMessages');
  if (include.length > 1 || (include.length === 1 && include[0] !== 'true' && include[0] !== 'false')) {
    return 'includeMessages must be true or false';
  }
  const enums = { status: STATUSES, csatValues: CSAT_FILTER_VALUES, origin: ORIGINS };
  for (const name of ['status', 'assignedTo', 'category', 'tags', 'csatValues', 'origin']) {
    for (const value of query.getAll(name)) {
      if (value === '') return `${name} must not be empty`;
      if (enums[name] && !enums[name].includes(value)) {
        return `${name} must be one of ${enums[name].join(', ')} (got ${JSON.stringify(value)})`;
      }
    }
  }
  return null;
}

const DATE_ONLY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Parses an ISO 8601 date (`YYYY-MM-DD`, midnight UTC) or date-time with `Z` or a numeric offset.
 * Returns epoch milliseconds or null. Calendar fields are range-checked (no 2026-02-30).
 */
export function parseIsoInstant(text) {
  let m = DATE_ONLY_RE.exec(text);
  if (m) return utcOrNull(+m[1], +m[2], +m[3], 0, 0, 0, 0);
  m = DATE_TIME_RE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone, sign, oh, om] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const local = utcOrNull(+y, +mo, +d, +h, +mi, +s, ms);
  if (local === null) return null;
  if (zone === 'Z') return local;
  if (+oh > 23 || +om > 59) return null;
  const offset = (+oh * 60 + +om) * 60000;
  return sign === '+' ? local - offset : local + offset;
}

function utcOrNull(y, mo, d, h, mi, s, ms) {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const time = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(time);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return time;
}

/** [start, end) with end > start and end <= start + 1 calendar year (JS setUTCFullYear). */
function parseDateRange(startText, endText) {
  const start = parseIsoInstant(startText);
  const end = parseIsoInstant(endText);
  if (start === null || end === null || end <= start) return null;
  const limit = new Date(start);
  limit.setUTCFullYear(limit.getUTCFullYear() + 1);
  if (end > limit.getTime()) return null;
  return { start, end };
}

function ticketPredicate({ start, end }, filters) {
  const { status, assignedTo, category, tags, csatValues, origin } = filters;
  return (ticket) => {
    if (ticket.createdAtMs < start || ticket.createdAtMs >= end) return false;
    if (status && !status.has(ticket.status)) return false;
    if (assignedTo && !assignedTo.has(ticket.assigneeId ?? 'Unassigned')) return false;
    if (category && !(ticket.categoryId && category.has(ticket.categoryId))) return false;
    if (tags && !ticket.tagIds.some((id) => tags.has(id))) return false;
    if (csatValues && !csatValues.has(ticket.csat === null ? 'no-rating' : String(ticket.csat))) return false;
    if (origin && !origin.has(ticket.sourceType)) return false;
    return true;
  };
}

/** Sort keys. Assumption: assignedTo / category sort by the referenced id; null sorts lowest. */
const SORT_KEYS = {
  status: (t) => t.status,
  priority: (t) => t.priority,
  sourceType: (t) => t.sourceType,
  assignedTo: (t) => t.assigneeId,
  category: (t) => t.categoryId,
  resolutionTime: (t) => t.resolutionTime,
};

/** Tickets in the requested order (ties broken by _id in the same direction), cached per version. */
function sortedTickets(tenant, sortBy, sortOrder) {
  if (sortBy === 'createdAt' && sortOrder === 'asc') return tenant.ticketList;
  const cacheKey = `${sortBy}:${sortOrder}`;
  const cached = tenant.sortCache.get(cacheKey);
  if (cached && cached.version === tenant.version) return cached.list;
  let list;
  if (sortBy === 'createdAt') list = tenant.ticketList.slice().reverse();
  else {
    const keyOf = SORT_KEYS[sortBy];
    const direction = sortOrder === 'asc' ? 1 : -1;
    list = tenant.ticketList
      .map((ticket) => ({ ticket, key: keyOf(ticket) }))
      .sort((a, b) => direction * (compareValues(a.key, b.key) || compareStrings(a.ticket._id, b.ticket._id)))
      .map((entry) => entry.ticket);
  }
  tenant.sortCache.set(cacheKey, { version: tenant.version, list });
  return list;
}

function compareValues(a, b) {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
