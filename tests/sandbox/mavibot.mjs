/**
 * The Mavibot API (Salebot-compatible, `https://chatter.mavibot.ai/api/{api_key}/{action}`),
 * modelled in memory for the sandbox.
 *
 * server.mjs mounts this module on the `/mavibot/` prefix, so an SDK uses the base URL
 * `{sandboxUrl}/mavibot` and its requests arrive as `/mavibot/api/{apiKey}/{action}`. The key is a
 * percent-encoded path segment; it is decoded here.
 *
 * Everything Mavibot-specific lives here: the seeded projects, the 42 actions of
 * /work/shared/api-reference.md Part B (B.1), their parameter rules (written independently of the
 * SDK so the sandbox can referee what the SDK sends), the documented response bodies, and the
 * sandbox's own choices where the docs are silent (marked "Assumption" and listed in README.md).
 *
 * Module interface used by server.mjs:
 *   createMavibot({ seed }) → {
 *     name: 'mavibot', prefix: '/mavibot/', rateLimitSetting: 'mavibotRateLimit',
 *     authenticate({ headers, path }) → { key, tenant } | null,
 *     unauthorized({ path }) → { status, body },
 *     errorBody(message) → body,                    for the server's own 413 / 429 / 500 answers
 *     handle(ctx) → { status, body, headers?, log }, ctx = { method, path, query, headers, bodyText, key, tenant }
 *     control(method, path, query) → { status, body } | null,
 *     reset({ seed }), projects (Map key → project)
 *   }
 */

import { createRng, deriveSeed } from './prng.mjs';

// ---------------------------------------------------------------------------------------------
// Documented constants
// ---------------------------------------------------------------------------------------------

export const MAVIBOT_API_KEYS = Object.freeze(['sandbox-bot-key', 'sandbox-bot-key-2']);
/** An alias of the first project's key with a space, a slash and a plus (tests of key encoding). */
export const MAVIBOT_KEY_ALIAS = 'sandbox bot/key+1';
export const MAVIBOT_PREFIX = '/mavibot/';
const API_PREFIX = '/mavibot/api/';

/** B.8.1 */
export const CLIENT_TYPES = Object.freeze([0, 1, 2, 3, 5, 6, 7, 8, 10, 12, 13, 14, 16, 19, 20, 21, 22]);
/** B.8.3 */
const ATTACHMENT_TYPES = ['image', 'video', 'link', 'file', 'audio'];
/** B.8.2 */
const BUTTON_TYPES = ['reply', 'inline', 'location', 'phone', 'web_app'];
const BUTTON_FIELDS = ['type', 'text', 'url', 'color', 'line', 'index_in_line', 'one_time', 'web_app'];
const ORDER_STATUSES = [0, 1, 2];

const LIMITS = {
  sendCallbackPlatformIds: 300,
  deleteClients: 500,
  getClients: 500,
  history: 2000,
};

const TYPE = { VK: 0, TELEGRAM: 1, VIBER: 2, ONLINE_CHAT: 5, WHATSAPP: 6, OK: 8, TELEPHONY: 13, EMAIL: 14, MAX: 20 };
/** message_from_outside (B.8.3). */
const FROM = { NORMAL: 0, API: 1, CRM: 2, CALLBACK: 3, TELEPHONY: 5 };
const WHATSAPP_SUFFIX = '@s.whatsapp.net';

// ---------------------------------------------------------------------------------------------
// Parameter descriptions of the 42 actions
// ---------------------------------------------------------------------------------------------

const SCHEDULE = { time_shift: 'number', send_time: 'datetime' };
const CALLBACK_COMMON = { resume_bot: 'bool', ...SCHEDULE };
const CONTENT = { message: 'string', message_id: 'id', attachment_type: 'string', attachment_url: 'string', buttons: 'buttons' };

/** Where each `value_*` mapping parameter puts the value it names (B.0.1). */
const VALUE_TARGETS = {
  client_id: 'client_id', phone: 'phone', email: 'email', user_id: 'user_id', group_id: 'group_id', message: 'message',
};
const VALUE_PARAMS = Object.keys(VALUE_TARGETS).map((name) => `value_${name}`);
const DELIMITER_PARAMS = ['delimiter', 'delimiter_value_client_id', 'delimiter_value_phone'];

/**
 * Action table. `methods`: accepted HTTP verbs. `fields`: parameter name → type (see coerce()).
 * `extras`: what happens to parameters not in `fields` — 'variables' (saved on the client, the
 * callback family), 'ignore' (kept in the delivery record, message/whatsapp_message), 'any'
 * (they are the input, find_all_client_id_by_several_vars) or undefined (400, the rest).
 * `value`: value_* mapping targets; `delimiter`: delimiter_value_* targets.
 */
const ACTIONS = {
  // B.2 callbacks
  callback: {
    methods: ['GET', 'POST'], extras: 'variables',
    value: { ...VALUE_TARGETS, phone: 'client_phone', email: 'client_email' },
    delimiter: { client_id: 'client_id', phone: 'client_phone' },
    fields: { client_id: 'id', client_phone: 'string', client_email: 'string', message: 'string', ...CALLBACK_COMMON },
    run: callbackAction,
  },
  vk_callback: {
    methods: ['GET', 'POST'], extras: 'variables', value: VALUE_TARGETS, delimiter: { client_id: 'client_id', phone: 'phone' },
    fields: { user_id: 'string', group_id: 'string', message: 'string', ...CALLBACK_COMMON },
    run: (ctx) => platformCallback(ctx, TYPE.VK, 'user_id'),
  },
  whatsapp_callback: {
    methods: ['GET', 'POST'], extras: 'variables', value: VALUE_TARGETS, delimiter: { client_id: 'client_id', phone: 'phone' },
    fields: { phone: 'string', name: 'string', message: 'string', bot_id: 'string', ...CALLBACK_COMMON },
    run: whatsappCallback,
  },
  ok_callback: {
    methods: ['GET', 'POST'], extras: 'variables', value: VALUE_TARGETS, delimiter: { client_id: 'client_id', phone: 'phone' },
    fields: { user_id: 'string', group_id: 'string', name: 'string', message: 'string', ...CALLBACK_COMMON },
    run: (ctx) => platformCallback(ctx, TYPE.OK, 'user_id'),
  },
  tg_callback: {
    methods: ['POST'], extras: 'variables', value: VALUE_TARGETS, delimiter: { client_id: 'client_id', phone: 'phone' },
    fields: { user_id: 'string', group_id: 'string', message: 'string', ...CALLBACK_COMMON },
    run: (ctx) => platformCallback(ctx, TYPE.TELEGRAM, 'user_id'),
  },
  max_callback: {
    methods: ['POST'], extras: 'variables', value: { ...VALUE_TARGETS, user_id: 'platform_id' }, delimiter: { client_id: 'client_id', phone: 'phone' },
    fields: { platform_id: 'string', group_id: 'string', message: 'string', ...CALLBACK_COMMON },
    run: (ctx) => platformCallback(ctx, TYPE.MAX, 'platform_id'),
  },
  send_callback_by_platform_id: {
    methods: ['POST'],
    fields: { platform_ids: 'strings', callback_text: 'string', group_id: 'string', ...SCHEDULE },
    run: sendCallbackByPlatformId,
  },
  email_callback: {
    methods: ['POST'], extras: 'variables', value: VALUE_TARGETS, delimiter: { client_id: 'client_id', phone: 'phone' },
    fields: { email: 'string', name: 'string', message: 'string', email_id_bot: 'string', ...CALLBACK_COMMON },
    run: emailCallback,
  },
  // B.3 messages
  message: {
    methods: ['GET', 'POST'], extras: 'ignore', value: VALUE_TARGETS, delimiter: { client_id: 'client_id', phone: 'phone' },
    fields: { client_id: 'id', ...CONTENT, ...SCHEDULE },
    run: messageAction,
  },
  whatsapp_message: {
    methods: ['GET', 'POST'], extras: 'ignore', value: VALUE_TARGETS, delimiter: { client_id: 'client_id', phone: 'phone' },
    fields: { phone: 'string', message: 'string', message_id: 'id', whatsapp_bot_id: 'string', attachment_url: 'string', attachment_type: 'string', ...SCHEDULE },
    run: whatsappMessage,
  },
  broadcast: {
    methods: ['POST'], delimiter: { client_id: 'clients' },
    fields: { list: 'id', clients: 'ids', platform_ids: 'strings', group_id: 'string', ...CONTENT, shift: 'number', ...SCHEDULE },
    run: broadcast,
  },
  get_history: { methods: ['GET'], fields: { client_id: 'id', limit: 'int', start_date: 'date', stop_date: 'date' }, run: getHistory },
  clear_history: { methods: ['GET'], fields: { client_id: 'id' }, run: clearHistory },
  // B.4 clients
  assign_to_user: { methods: ['POST'], fields: { client_id: 'id', email: 'string' }, run: assignToUser },
  load_clients: { methods: ['POST'], body: 'array', fields: { clients: 'any' }, run: loadClients },
  add_to_list: { methods: ['POST'], fields: { list_id: 'id', clients: 'ids' }, run: (ctx) => changeList(ctx, true) },
  remove_from_list: { methods: ['POST'], fields: { list_id: 'id', clients: 'ids' }, run: (ctx) => changeList(ctx, false) },
  get_clients: { methods: ['GET', 'POST'], fields: { offset: 'int', limit: 'int', list: 'id', reverse: 'bool' }, run: getClients },
  delete_clients: { methods: ['POST'], fields: { client_ids: 'ids' }, run: deleteClients },
  // B.5 variables
  save_variables: {
    methods: ['POST'], delimiter: { client_id: 'client_id' },
    fields: { client_id: 'id', clients: 'ids', variables: 'object' },
    run: saveVariables,
  },
  get_variables: { methods: ['GET'], fields: { client_id: 'id' }, run: getVariables },
  // B.6 finding client_id
  find_client_id_by_platform_id: { methods: ['POST'], fields: { platform_ids: 'strings', group_id: 'string' }, run: findByPlatformIds },
  online_chat_client_id: { methods: ['GET'], fields: { recipient: 'string', tag: 'string', name: 'string' }, run: onlineChatClientId },
  whatsapp_client_id: { methods: ['GET'], fields: { phone: 'string', group_id: 'string' }, run: whatsappClientId },
  find_client_id_by_phone: { methods: ['GET'], fields: { phone: 'string' }, run: findClientIdByPhone },
  find_client_id_by_email: { methods: ['GET'], fields: { email: 'string' }, run: findClientIdByEmail },
  find_client_id_by_var: { methods: ['GET'], fields: { var: 'string', val: 'string', group_id: 'string', search_in: 'string' }, run: findClientIdByVar },
  find_latest_client_id_by_var: { methods: ['GET'], fields: { var: 'string', val: 'string' }, run: findLatestClientIdByVar },
  find_all_client_id_by_var: { methods: ['GET'], fields: { var: 'string', val: 'string' }, run: findAllClientIdByVar },
  find_all_client_id_by_several_vars: { methods: ['GET'], extras: 'any', fields: {}, run: findAllClientIdBySeveralVars },
  find_clients: { methods: ['POST'], fields: { q: 'any', search_in: 'any', include_all: 'any' }, run: findClients },
  // B.7 deals
  get_current_order_id: { methods: ['GET'], fields: { client_id: 'id' }, run: getCurrentOrderId },
  get_orders: { methods: ['GET'], fields: { client_id: 'id', order_status: 'int' }, run: getOrders },
  move_order_to_next_state: { methods: ['POST'], fields: { client_id: 'id', order_id: 'id' }, run: moveOrderToNextState },
  get_order_vars: { methods: ['POST'], fields: { client_id: 'id', order_id: 'id', variables: 'names' }, run: getOrderVars },
  set_order_vars: { methods: ['POST'], fields: { client_id: 'id', order_id: 'id', variables: 'object' }, run: setOrderVars },
  create_order: {
    methods: ['POST'],
    fields: { client_id: 'id', phone: 'string', email: 'string', name: 'string', description: 'string', budget: 'number', state_id: 'id' },
    run: createOrder,
  },
  set_order_state: { methods: ['POST'], fields: { client_id: 'id', state_id: 'id' }, run: setOrderState },
  get_order_state: { methods: ['GET'], fields: { client_id: 'id', order_id: 'id' }, run: getOrderState },
  // B.8 other
  check_whatsapp: { methods: ['GET', 'POST'], fields: { phone: 'string' }, run: checkWhatsapp },
  connected_channels: { methods: ['GET'], fields: {}, run: ({ project }) => ok(renderChannels(project)) },
  get_messages: { methods: ['GET'], fields: {}, run: getMessages },
};

export const MAVIBOT_ACTIONS = Object.freeze(Object.keys(ACTIONS));

// ---------------------------------------------------------------------------------------------
// Module
// ---------------------------------------------------------------------------------------------

export function createMavibot({ seed = 1 } = {}) {
  let projects = seedProjects(seed);
  let aliases = aliasMap(projects);

  return {
    name: 'mavibot',
    prefix: MAVIBOT_PREFIX,
    /** server.mjs reads this config entry for the rate limit of this module. */
    rateLimitSetting: 'mavibotRateLimit',
    get projects() {
      return projects;
    },
    reset(options = {}) {
      projects = seedProjects(options.seed ?? seed);
      aliases = aliasMap(projects);
    },
    authenticate({ path }) {
      const route = parsePath(path);
      if (!route) return null;
      const project = aliases.get(route.key);
      return project ? { key: project.key, tenant: project } : null;
    },
    unauthorized({ path } = {}) {
      if (path !== undefined && !parsePath(path)) return fail(404, 'Not found');
      return fail(401, 'Invalid API key');
    },
    errorBody(message) {
      return { status: 'fail', message };
    },
    handle(ctx) {
      return handleAction(ctx);
    },
    control(method, path, query) {
      if (path === '/__sandbox/mavibot' && method === 'GET') return controlState(projects, aliases, query);
      return null;
    },
  };
}

function aliasMap(projects) {
  const map = new Map();
  for (const project of projects.values()) {
    map.set(project.key, project);
    for (const alias of project.aliases) map.set(alias, project);
  }
  return map;
}

/**
 * `/mavibot/api/{key}/{action}` → `{ key (decoded), rawKey, action }`, or null when the path does
 * not have that shape or the key segment is not valid percent-encoding. Extra segments stay in
 * `action` (so they are an unknown action).
 */
function parsePath(path) {
  if (!path.startsWith(API_PREFIX)) return null;
  const rest = path.slice(API_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const rawKey = rest.slice(0, slash);
  let key;
  try {
    key = decodeURIComponent(rawKey);
  } catch {
    return { key: null, rawKey, action: rest.slice(slash + 1) };
  }
  return { key, rawKey, action: rest.slice(slash + 1) };
}

function controlState(projects, aliases, query) {
  const key = query.get('key');
  if (key === null) {
    return ok({
      projects: [...projects.values()].map((project) => ({
        key: project.key,
        aliases: [...project.aliases],
        project_id: project.projectId,
        name: project.name,
        clientCount: project.clients.size,
      })),
    });
  }
  const project = aliases.get(key);
  if (!project) return { status: 404, body: { error: 'Unknown Mavibot API key' } };
  return ok(describeProject(project));
}

// ---------------------------------------------------------------------------------------------
// Seed data
// ---------------------------------------------------------------------------------------------

const SEED_FROM = Date.UTC(2025, 0, 1) / 1000;
const SEED_TO = Date.UTC(2026, 5, 30) / 1000;
const HISTORY_FROM = Date.UTC(2026, 0, 5) / 1000;

const PROJECT_PROFILES = [
  {
    key: 'sandbox-bot-key',
    aliases: [MAVIBOT_KEY_ALIAS],
    projectId: 1001,
    name: 'Sandbox Shop',
    domain: 'shop.sandbox.test',
    clientCount: 120,
    clientIdBase: 41000000,
    orderIdBase: 40630,
    historyIdBase: 7100000,
    blockIdBase: 5100,
    stateIdBase: 37,
    listIds: [1170282, 1170283, 1170290],
    listNames: ['Newsletter', 'VIP', 'Empty list'],
    operators: ['Anna Petrova', 'Boris Ivanov', 'Chen Li'],
    types: [[TYPE.TELEGRAM, 34], [TYPE.VK, 20], [TYPE.WHATSAPP, 24], [TYPE.ONLINE_CHAT, 14], [TYPE.EMAIL, 10], [TYPE.VIBER, 6], [TYPE.OK, 5], [TYPE.MAX, 4], [TYPE.TELEPHONY, 3]],
    channels: {
      viber: [{ id: 14, uri: 'sandboxshop', name: 'Sandbox Shop Viber', enabled: true, group_id: 11 }],
      facebook: [],
      telegram: [{ id: 23, short_name: 'sandbox_shop_bot', name: 'Sandbox Shop', enabled: true, group_id: 'sandbox_shop_bot' }],
      whatsapp: [
        { id: 41, phone: '79990001122', name: 'Shop WhatsApp', enabled: true, group_id: 'c2J4U2hvcFdBMDE=', status: 1 },
        { id: 42, phone: '79990003344', name: 'Shop WhatsApp (spare)', enabled: false, group_id: 'c2J4U2hvcFdBMDI=', status: 2 },
      ],
      avito: [],
      ok: [{ id: 51, name: 'Sandbox Shop OK', enabled: true, group_id: '70000001234567' }],
      vkontakte: [{ id: 33, group: '143414131', group_id: '143414131' }],
    },
    /** Groups of client types that have no connected_channels entry. */
    otherGroups: { [TYPE.ONLINE_CHAT]: 'site-1001', [TYPE.EMAIL]: 'bot@shop.sandbox.test', [TYPE.TELEPHONY]: '', [TYPE.MAX]: 'sandbox_shop_max' },
  },
  {
    key: 'sandbox-bot-key-2',
    aliases: [],
    projectId: 1002,
    name: 'Sandbox Clinic',
    domain: 'clinic.sandbox.test',
    clientCount: 40,
    clientIdBase: 52000000,
    orderIdBase: 60210,
    historyIdBase: 8200000,
    blockIdBase: 6200,
    stateIdBase: 71,
    listIds: [2270001, 2270002],
    listNames: ['Patients', 'Reminders'],
    operators: ['Dana Scott', 'Egor Smirnov'],
    types: [[TYPE.TELEGRAM, 18], [TYPE.VK, 10], [TYPE.ONLINE_CHAT, 6], [TYPE.EMAIL, 4], [TYPE.TELEPHONY, 2]],
    channels: {
      viber: [],
      facebook: [],
      telegram: [{ id: 61, short_name: 'clinic_helper_bot', name: 'Clinic Helper', enabled: true, group_id: 'clinic_helper_bot' }],
      whatsapp: [],
      avito: [],
      ok: [],
      vkontakte: [{ id: 62, group: '210987654', group_id: '210987654' }],
    },
    otherGroups: { [TYPE.ONLINE_CHAT]: 'site-1002', [TYPE.EMAIL]: 'bot@clinic.sandbox.test', [TYPE.TELEPHONY]: '', [TYPE.MAX]: 'clinic_max' },
  },
];

const FIRST_NAMES = ['Alina', 'Boris', 'Chloe', 'Denis', 'Elena', 'Fedor', 'Galina', 'Hugo', 'Irina', 'Jonas', 'Kira', 'Lev', 'Maya', 'Nikita', 'Olga', 'Pavel'];
const LAST_NAMES = ['Smirnov', 'Kuznetsova', 'Novak', 'Fischer', 'Orlova', 'Morozov', 'Keller', 'Volkova', 'Sato', 'Lindqvist'];
const CITIES = ['Moscow', 'Berlin', 'Almaty', 'Riga', 'Tbilisi', 'Yerevan'];
const TAGS = ['promo-spring', 'landing-a', 'ads-vk', 'referral'];
const BLOCKS = [
  ['Start', 'Hi! How can I help you today?'],
  ['Catalogue', 'Here is our catalogue.'],
  ['Price list', 'Prices are in the attached file.'],
  ['Order confirmed', 'Your order is confirmed. Thank you!'],
  ['Delivery', 'Your order is on its way.'],
  ['Feedback', 'Please rate our service from 1 to 5.'],
];
const CLIENT_TEXTS = ['Hello', 'How much is delivery?', 'I want to order', 'Where is my parcel?', 'Thanks!', 'Can I pay by card?'];
const OPERATOR_TEXTS = ['Let me check that for you', 'Your parcel leaves today', 'I have applied the discount'];
const ORDER_PRODUCTS = ['Sofa', 'Lamp', 'Desk', 'Chair', 'Shelf', 'Rug'];

function seedProjects(seed) {
  const projects = new Map();
  PROJECT_PROFILES.forEach((profile, index) => projects.set(profile.key, seedProject(profile, index, seed)));
  return projects;
}

function seedProject(profile, index, seed) {
  const rng = createRng(deriveSeed(seed, 100 + index));
  const project = {
    key: profile.key,
    aliases: profile.aliases,
    projectId: profile.projectId,
    name: profile.name,
    profile,
    channels: structuredClone(profile.channels),
    clients: new Map(),
    lists: new Map(),
    orders: new Map(),
    history: new Map(),
    operators: profile.operators.map((name, i) => ({
      id: 9000 + index * 100 + i + 1,
      name,
      email: `${name.split(' ')[0].toLowerCase()}@${profile.domain}`,
    })),
    blocks: BLOCKS.map(([name, text], i) => ({ id: profile.blockIdBase + i + 1, name, text })),
    states: [
      { id: profile.stateIdBase, name: 'New', status: 0 },
      { id: profile.stateIdBase + 1, name: 'Qualified', status: 0 },
      { id: profile.stateIdBase + 2, name: 'Proposal', status: 0 },
      { id: profile.stateIdBase + 3, name: 'Won', status: 1 },
      { id: profile.stateIdBase + 4, name: 'Lost', status: 2 },
    ],
    deliveries: [],
    callbacks: [],
    broadcasts: [],
    seq: 0,
    nextClientId: 0,
    nextOrderId: profile.orderIdBase,
    nextHistoryId: profile.historyIdBase,
    nextBroadcastId: 300 + index * 1000,
    rng,
  };
  seedClients(project, profile, rng);
  seedLists(project, profile, rng);
  seedOrders(project, rng);
  seedHistory(project, rng);
  return project;
}

function groupOf(project, type) {
  const { channels, profile } = project;
  switch (type) {
    case TYPE.TELEGRAM: return channels.telegram[0]?.group_id ?? 'sandbox_bot';
    case TYPE.VK: return channels.vkontakte[0]?.group_id ?? '1';
    case TYPE.WHATSAPP: return channels.whatsapp[0]?.group_id ?? '';
    case TYPE.VIBER: return String(channels.viber[0]?.group_id ?? '');
    case TYPE.OK: return channels.ok[0]?.group_id ?? '';
    default: return profile.otherGroups[type] ?? '';
  }
}

function seedClients(project, profile, rng) {
  const types = [];
  for (const [type, count] of profile.types) for (let i = 0; i < count; i++) types.push(type);
  while (types.length < profile.clientCount) types.push(TYPE.TELEGRAM);
  const shuffled = rng.sample(types, profile.clientCount);
  const times = [];
  for (let i = 0; i < profile.clientCount; i++) times.push(rng.int(SEED_FROM, SEED_TO - 40 * 86400));
  times.sort((a, b) => a - b);
  for (let i = 1; i < times.length; i++) if (times[i] <= times[i - 1]) times[i] = times[i - 1] + 1;

  const usedPlatformIds = new Set();
  let id = profile.clientIdBase;
  shuffled.forEach((type, i) => {
    id += rng.int(1, 40);
    const first = FIRST_NAMES[i % FIRST_NAMES.length];
    const last = rng.pick(LAST_NAMES);
    let platformId;
    do platformId = seedPlatformId(rng, type, first, last, i, profile);
    while (usedPlatformIds.has(`${type}:${platformId}`));
    usedPlatformIds.add(`${type}:${platformId}`);
    const variables = {};
    if (type === TYPE.WHATSAPP || type === TYPE.TELEPHONY) variables.phone = platformId;
    else if (rng.chance(0.35)) variables.phone = `7${rng.int(900, 999)}${String(rng.int(0, 9999999)).padStart(7, '0')}`;
    if (type === TYPE.EMAIL) variables.email = platformId;
    else if (rng.chance(0.3)) variables.email = `${first.toLowerCase()}.${last.toLowerCase()}${i}@mail.sandbox.test`;
    if (rng.chance(0.6)) variables.city = rng.pick(CITIES);
    if (rng.chance(0.5)) variables.plan = rng.pick(['free', 'pro']);
    if (rng.chance(0.5)) variables.score = rng.int(0, 100);
    const createdAt = times[i];
    const client = {
      id,
      platform_id: platformId,
      client_type: type,
      group: groupOf(project, type),
      name: `${first} ${last}`,
      avatar: rng.chance(0.7) ? `https://avatars.sandbox.mavibot.test/${id}.png` : '',
      tag: rng.chance(0.25) ? rng.pick(TAGS) : '',
      message_id: rng.chance(0.6) ? rng.pick(project.blocks).id : null,
      custom_answer: null,
      operator_start_dialog: rng.chance(0.1),
      created_at: createdAt,
      updated_at: Math.min(SEED_TO, createdAt + rng.int(0, 30 * 86400)),
      variables,
      bot_paused: rng.chance(0.1),
      manager: rng.chance(0.2) ? rng.pick(project.operators).id : null,
    };
    project.clients.set(id, client);
  });
  project.nextClientId = id + 1;
}

function seedPlatformId(rng, type, first, last, i, profile) {
  switch (type) {
    case TYPE.TELEGRAM: return String(rng.int(100000000, 999999999));
    case TYPE.VK: return String(rng.int(1000000, 799999999));
    case TYPE.WHATSAPP: return `7916${String(rng.int(0, 9999999)).padStart(7, '0')}`;
    case TYPE.TELEPHONY: return `7495${String(rng.int(0, 9999999)).padStart(7, '0')}`;
    case TYPE.ONLINE_CHAT: return rng.hex(24);
    case TYPE.EMAIL: return `${first.toLowerCase()}.${last.toLowerCase()}.${i}@mail.${profile.domain}`;
    case TYPE.VIBER: return `${rng.hex(22)}==`;
    case TYPE.OK: return String(rng.int(100000000000, 599999999999));
    case TYPE.MAX: return String(rng.int(10000000, 99999999));
    default: return rng.hex(12);
  }
}

function seedLists(project, profile, rng) {
  const ids = [...project.clients.keys()];
  const sizes = [30, 8, 0, 0];
  profile.listIds.forEach((listId, i) => {
    const size = project.profile.clientCount < 60 ? Math.min(sizes[i], 15) : sizes[i];
    const members = rng.sample(ids, size).sort((a, b) => a - b);
    project.lists.set(listId, { id: listId, name: profile.listNames[i], clients: new Set(members) });
  });
}

function seedOrders(project, rng) {
  const clients = rng.sample([...project.clients.values()], 10).sort((a, b) => a.id - b.id);
  const [, qualified, proposal, won, lost] = project.states;
  const plan = [project.states[0], qualified, proposal, won, lost, project.states[0], won, lost, proposal, qualified];
  clients.forEach((client, i) => {
    const state = plan[i];
    // Two clients also hold an older closed deal next to their newer one.
    if (i < 2) {
      addOrder(project, client, { state_id: won.id, name: 'Earlier order', description: '', budget: 1500, variables: { product: 'Gift card' } }, client.created_at + 60);
    }
    const createdAt = Math.min(SEED_TO, client.created_at + rng.int(3600, 20 * 86400));
    addOrder(project, client, {
      state_id: state.id,
      name: `Order ${rng.pick(ORDER_PRODUCTS)}`,
      description: rng.chance(0.5) ? 'Seeded deal' : '',
      budget: rng.int(10, 500) * 100,
      variables: { product: rng.pick(ORDER_PRODUCTS), qty: rng.int(1, 5) },
    }, createdAt);
  });
}

function seedHistory(project, rng) {
  const clients = rng.sample([...project.clients.values()], 20).sort((a, b) => a.id - b.id);
  clients.forEach((client, index) => {
    const count = index === 0 ? 8 : rng.int(2, 7);
    let time = HISTORY_FROM + rng.int(0, 120) * 86400 + rng.int(0, 86399);
    for (let i = 0; i < count; i++) {
      // The first client's history covers every message_from_outside value in order.
      const kind = index === 0 ? [0, 'bot', 1, 2, 3, 5, 'operator', 0][i] : i === 0 ? 0 : rng.pick([0, 'bot', 'bot', 'operator', 1, 2, 3, 5]);
      addHistory(project, client, seedHistoryEntry(project, rng, kind), time);
      time += rng.int(60, 3 * 86400);
    }
  });
}

function seedHistoryEntry(project, rng, kind) {
  if (kind === 0) return { client_replica: true, message_from_outside: FROM.NORMAL, text: rng.pick(CLIENT_TEXTS), message_id: null };
  if (kind === 'bot') {
    const block = rng.pick(project.blocks);
    const failed = rng.chance(0.1);
    return { message_from_outside: FROM.NORMAL, text: block.text, message_id: block.id, delivered: !failed, error_message: failed ? 'Bot was blocked by the user' : null };
  }
  if (kind === 'operator') {
    const operator = rng.pick(project.operators);
    return { message_from_outside: FROM.NORMAL, text: rng.pick(OPERATOR_TEXTS), manager: operator };
  }
  const texts = { 1: 'Your order has shipped (sent via API)', 2: 'Deal moved to Proposal (CRM)', 3: 'callback: paid', 5: 'Missed call from the client' };
  const attachments = kind === 1 && rng.chance(0.5) ? ['https://files.sandbox.mavibot.test/invoice.pdf'] : null;
  return { message_from_outside: kind, text: texts[kind], attachments };
}

// ---------------------------------------------------------------------------------------------
// State changes shared by the actions
// ---------------------------------------------------------------------------------------------

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

function addClient(project, { client_type, platform_id, group, name = '', tag = '' }, time = nowSeconds()) {
  const client = {
    id: project.nextClientId++,
    platform_id: String(platform_id),
    client_type,
    group: group ?? groupOf(project, client_type),
    name,
    avatar: '',
    tag,
    message_id: null,
    custom_answer: null,
    operator_start_dialog: false,
    created_at: time,
    updated_at: time,
    variables: {},
    bot_paused: false,
    manager: null,
  };
  project.clients.set(client.id, client);
  return client;
}

function touch(client, time = nowSeconds()) {
  client.updated_at = Math.max(client.updated_at, time);
}

function addOrder(project, client, { state_id, name = '', description = '', budget = null, variables = {} }, time = nowSeconds()) {
  const state = project.states.find((candidate) => candidate.id === state_id);
  const order = {
    id: project.nextOrderId,
    client_id: client.id,
    state_id,
    status: state.status,
    name,
    description,
    budget,
    variables: { ...variables },
    created_at: time,
    updated_at: time,
  };
  project.nextOrderId += 1 + project.rng.int(0, 5);
  project.orders.set(order.id, order);
  return order;
}

function setOrderStateOf(project, order, stateId) {
  const state = project.states.find((candidate) => candidate.id === stateId);
  order.state_id = state.id;
  order.status = state.status;
  order.updated_at = nowSeconds();
}

function ordersOf(project, client) {
  return [...project.orders.values()].filter((order) => order.client_id === client.id).sort((a, b) => a.created_at - b.created_at || a.id - b.id);
}

/** The client's current deal: its most recent active one. Assumption (B.7 does not define it). */
function currentOrder(project, client) {
  const active = ordersOf(project, client).filter((order) => order.status === 0);
  return active.at(-1) ?? null;
}

function addHistory(project, client, fields, time = nowSeconds()) {
  const entry = {
    id: project.nextHistoryId++,
    answered: fields.answered ?? true,
    client_replica: fields.client_replica === true,
    message_id: fields.message_id ?? null,
    message_from_outside: fields.message_from_outside ?? FROM.NORMAL,
    created_at: time,
    text: fields.text ?? '',
    attachments: fields.attachments ?? null,
    delivered: fields.delivered ?? true,
    error_message: fields.error_message ?? null,
    manager_id: fields.manager?.id ?? null,
    manager_email: fields.manager?.email ?? null,
  };
  let list = project.history.get(client.id);
  if (!list) project.history.set(client.id, (list = []));
  list.push(entry);
  return entry;
}

/** One entry of a sandbox delivery log (deliveries, callbacks, broadcasts). */
function record(project, list, ctx, fields) {
  const entry = {
    seq: ++project.seq,
    time: Date.now(),
    action: ctx.action,
    method: ctx.method,
    encoding: ctx.encoding,
    ...fields,
  };
  list.push(entry);
  return entry;
}

function removeClient(project, client) {
  project.clients.delete(client.id);
  project.history.delete(client.id);
  for (const list of project.lists.values()) list.clients.delete(client.id);
  for (const order of [...project.orders.values()]) if (order.client_id === client.id) project.orders.delete(order.id);
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** B.4.4 client shape. */
function renderClient(project, client) {
  return {
    id: client.id,
    platform_id: client.platform_id,
    client_type: client.client_type,
    name: client.name,
    avatar: client.avatar,
    message_id: client.message_id,
    project_id: project.projectId,
    created_at: client.created_at,
    updated_at: client.updated_at,
    custom_answer: client.custom_answer,
    tag: client.tag,
    group: client.group,
    operator_start_dialog: client.operator_start_dialog,
  };
}

/** B.3.4 history shape. Assumption: `attachments` is `{}` without files, else an array of URLs. */
function renderHistory(entry) {
  return { ...entry, attachments: entry.attachments ? [...entry.attachments] : {} };
}

/** B.8 connected_channels sample shape. */
function renderChannels(project) {
  return { project_id: project.projectId, ...structuredClone(project.channels) };
}

function describeOrder(order) {
  return { ...order, variables: { ...order.variables } };
}

function describeProject(project) {
  const operatorById = new Map(project.operators.map((operator) => [operator.id, operator]));
  const listsOf = (client) => [...project.lists.values()].filter((list) => list.clients.has(client.id)).map((list) => list.id);
  const history = {};
  for (const [clientId, entries] of project.history) history[clientId] = entries.map(renderHistory);
  return {
    project: { key: project.key, aliases: [...project.aliases], project_id: project.projectId, name: project.name },
    clients: [...project.clients.values()].sort((a, b) => a.id - b.id).map((client) => ({
      ...renderClient(project, client),
      variables: structuredClone(client.variables),
      bot_paused: client.bot_paused,
      manager: client.manager === null ? null : { ...operatorById.get(client.manager) },
      lists: listsOf(client),
    })),
    lists: [...project.lists.values()].map((list) => ({ id: list.id, name: list.name, client_ids: [...list.clients].sort((a, b) => a - b) })),
    orders: [...project.orders.values()].sort((a, b) => a.id - b.id).map(describeOrder),
    states: project.states.map((state) => ({ ...state })),
    operators: project.operators.map((operator) => ({ ...operator })),
    channels: renderChannels(project),
    blocks: project.blocks.map((block) => ({ ...block })),
    history,
    deliveries: structuredClone(project.deliveries),
    callbacks: structuredClone(project.callbacks),
    broadcasts: structuredClone(project.broadcasts),
  };
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

function ok(body) {
  return { status: 200, body };
}

function success(extra = {}) {
  return ok({ status: 'success', ...extra });
}

function fail(status, message) {
  return { status, body: { status: 'fail', message } };
}

const badRequest = (issues) => fail(400, Array.isArray(issues) ? issues.join('; ') : issues);
const clientNotFound = () => fail(404, 'Client not found');
/** The documented 200 body of the deal actions for an unknown client (B.7). */
const dealClientNotFound = () => ok({ status: 'client_not_found' });

// ---------------------------------------------------------------------------------------------
// Request decoding: query / JSON / form, value_* and delimiter mapping
// ---------------------------------------------------------------------------------------------

/**
 * Turns `[name, value]` pairs (query string or form body) into an object. Repeated names become
 * arrays; `name[]` appends, `name[key]` nests (PHP / http_build_query style); an object whose keys
 * are exactly 0..n-1 becomes an array. Values stay strings.
 */
function decodePairs(pairs) {
  const out = {};
  for (const [rawName, value] of pairs) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(rawName);
    if (UNSAFE_KEYS.has(rawName)) continue;
    if (!match) {
      if (Object.hasOwn(out, rawName)) out[rawName] = [].concat(out[rawName], value);
      else out[rawName] = value;
      continue;
    }
    const keys = [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1])];
    if (keys.some((key) => UNSAFE_KEYS.has(key))) continue;
    let node = out;
    for (let i = 0; i < keys.length - 1; i++) {
      const key = keys[i];
      const nextIsAppend = keys[i + 1] === '';
      if (key === '' && Array.isArray(node)) {
        const child = nextIsAppend ? [] : {};
        node.push(child);
        node = child;
        continue;
      }
      if (!isContainer(node[key])) node[key] = nextIsAppend ? [] : {};
      node = node[key];
    }
    const last = keys.at(-1);
    if (last === '') {
      if (Array.isArray(node)) node.push(value);
    } else if (Array.isArray(node)) node.push(value);
    else node[last] = value;
  }
  return arrayify(out);
}

/** Names that would reach an object's prototype; ignored in form/query keys, rejected in objects. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isContainer(value) {
  return value !== null && typeof value === 'object';
}

function arrayify(value) {
  if (Array.isArray(value)) return value.map(arrayify);
  if (!isContainer(value)) return value;
  const keys = Object.keys(value);
  const out = {};
  for (const key of keys) out[key] = arrayify(value[key]);
  if (keys.length && keys.every((key, i) => key === String(i))) return keys.map((key) => out[key]);
  return out;
}

function mediaTypeOf(headers) {
  return String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** POST body → `{ params, encoding }` or `{ error }`. */
function decodeBody(ctx, spec) {
  const text = ctx.bodyText ?? '';
  const mediaType = mediaTypeOf(ctx.headers);
  if (text.trim() === '' && (mediaType === '' || mediaType === 'application/json' || mediaType === 'application/x-www-form-urlencoded')) {
    return { params: {}, encoding: mediaType === 'application/x-www-form-urlencoded' ? 'form' : mediaType === '' ? 'empty' : 'json' };
  }
  if (mediaType === 'application/json') {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return { error: badRequest('Malformed JSON body') };
    }
    if (spec.body === 'array' && Array.isArray(body)) return { params: { clients: body }, encoding: 'json', shape: 'array' };
    if (!isPlainObject(body)) {
      return { error: badRequest(spec.body === 'array' ? 'Request body must be a JSON array of clients (or {"clients":[…]})' : `Request body must be a JSON object, got ${describeType(body)}`) };
    }
    return { params: body, encoding: 'json', shape: 'object' };
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    return { params: decodePairs(new URLSearchParams(text)), encoding: 'form', shape: 'object' };
  }
  return { error: badRequest(`Unsupported content-type "${mediaType || 'none'}": send application/json or application/x-www-form-urlencoded`) };
}

/**
 * Reads the request's parameters: the query string for GET, the body for POST. For POST the query
 * string may only hold the mapping parameters (value_*, delimiter*) the action supports.
 * Returns `{ params, encoding, mapping, shape }` or `{ error }`.
 */
function readParams(ctx, spec) {
  const queryPairs = [...ctx.query];
  const mappingNames = new Set([...(spec.value ? VALUE_PARAMS : []), ...(spec.delimiter ? DELIMITER_PARAMS : [])]);
  const isMappingName = (name) => VALUE_PARAMS.includes(name) || DELIMITER_PARAMS.includes(name);
  const mapping = {};
  let params;
  let encoding;
  let shape;
  if (ctx.method === 'GET') {
    params = {};
    const rest = [];
    for (const [name, value] of queryPairs) {
      if (isMappingName(name)) {
        if (!mappingNames.has(name)) return { error: badRequest(`Parameter "${name}" is not supported by ${ctx.action}`) };
        if (Object.hasOwn(mapping, name)) return { error: badRequest(`Parameter "${name}" given more than once`) };
        mapping[name] = value;
      } else rest.push([name, value]);
    }
    params = decodePairs(rest);
    encoding = 'query';
  } else {
    for (const [name, value] of queryPairs) {
      if (!isMappingName(name)) {
        return { error: badRequest(`Parameter "${name}" must be sent in the request body, not in the query string of a POST`) };
      }
      if (!mappingNames.has(name)) return { error: badRequest(`Parameter "${name}" is not supported by ${ctx.action}`) };
      if (Object.hasOwn(mapping, name)) return { error: badRequest(`Parameter "${name}" given more than once`) };
      mapping[name] = value;
    }
    const decoded = decodeBody(ctx, spec);
    if (decoded.error) return decoded;
    ({ params, encoding, shape } = decoded);
  }
  return { params, encoding, mapping, shape };
}

/**
 * Applies B.0.1: `delimiter` + `delimiter_value_*` read a value from nested data, `value_*` name
 * the parameter holding a value. The named source parameter (or the top-level container of a
 * delimiter path) is consumed. Returns `{ mapped }` (target → description) or `{ error }`.
 */
function applyMapping(params, mapping, spec) {
  const mapped = {};
  const consumed = new Set();
  const hasDelimiterValue = 'delimiter_value_client_id' in mapping || 'delimiter_value_phone' in mapping;
  if ('delimiter' in mapping && !hasDelimiterValue) return { error: badRequest('Parameter "delimiter" needs delimiter_value_client_id or delimiter_value_phone') };
  if (hasDelimiterValue) {
    const delimiter = mapping.delimiter;
    if (!delimiter) return { error: badRequest('Parameter "delimiter" required with delimiter_value_client_id / delimiter_value_phone') };
    for (const name of ['client_id', 'phone']) {
      const pathText = mapping[`delimiter_value_${name}`];
      if (pathText === undefined) continue;
      const target = spec.delimiter[name];
      if (!target) return { error: badRequest(`Parameter "delimiter_value_${name}" is not supported by this action`) };
      const keys = pathText.split(delimiter);
      if (keys.some((key) => key === '')) return { error: badRequest(`Parameter "delimiter_value_${name}" has an empty key name`) };
      let node = params;
      for (const key of keys) {
        node = isContainer(node) && Object.hasOwn(node, key) ? node[key] : undefined;
      }
      if (node === undefined || node === null || isContainer(node)) {
        return { error: badRequest(`Parameter path "${keys.join('" → "')}" (delimiter_value_${name}) does not lead to a value`) };
      }
      mapped[target] = { value: target === 'clients' ? [node] : node, via: `delimiter_value_${name}`, source: keys };
      consumed.add(keys[0]);
    }
  }
  if (spec.value) {
    for (const [name, target0] of Object.entries(spec.value)) {
      const source = mapping[`value_${name}`];
      if (source === undefined) continue;
      if (source === '') return { error: badRequest(`Parameter "value_${name}" must name a parameter`) };
      if (!Object.hasOwn(params, source)) return { error: badRequest(`Parameter "${source}" (named by value_${name}) required`) };
      if (mapped[target0]) return { error: badRequest(`Parameter "${target0}" is mapped twice (value_${name} and ${mapped[target0].via})`) };
      mapped[target0] = { value: params[source], via: `value_${name}`, source: [source] };
      consumed.add(source);
    }
  }
  for (const key of consumed) delete params[key];
  for (const [target, { value }] of Object.entries(mapped)) params[target] = value;
  const described = {};
  for (const [target, { via, source }] of Object.entries(mapped)) described[target] = { via, source: source.join('.') };
  return { mapped: described };
}

// ---------------------------------------------------------------------------------------------
// Parameter types
// ---------------------------------------------------------------------------------------------

const TEXT_ENCODINGS = new Set(['query', 'form']);

/**
 * Converts one parameter to its type. From a query string or a form body every value is text,
 * so numbers, booleans, arrays (repeated keys, comma lists, `name[]`, or JSON text) and objects
 * (`name[key]` or JSON text) are read from text. Returns `{ value }` or `{ issue }`.
 */
function coerce(name, raw, type, fromText) {
  const bad = (what) => ({ issue: `Parameter "${name}" must be ${what}` });
  if (type === 'any') return { value: raw };
  const scalar = !['ids', 'strings', 'names', 'object', 'buttons'].includes(type);
  if (scalar && Array.isArray(raw) && fromText) return { issue: `Parameter "${name}" given more than once` };
  switch (type) {
    case 'string':
      if (typeof raw === 'string') return { value: raw };
      if (typeof raw === 'number' && Number.isFinite(raw)) return { value: String(raw) };
      return bad('a string');
    case 'id': {
      const value = toInteger(raw);
      return value !== null && value >= 1 ? { value } : bad('a positive integer id');
    }
    case 'int': {
      const value = toInteger(raw);
      return value !== null ? { value } : bad('an integer');
    }
    case 'number': {
      if (typeof raw === 'number' && Number.isFinite(raw)) return { value: raw };
      if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim())) return { value: Number(raw) };
      return bad('a number');
    }
    case 'bool': {
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 1 || raw === 0) return { value: raw === 1 };
      if (typeof raw === 'string') {
        const text = raw.trim().toLowerCase();
        if (text === 'true' || text === '1') return { value: true };
        if (text === 'false' || text === '0') return { value: false };
      }
      return bad('a boolean (true/false)');
    }
    case 'datetime': {
      const value = typeof raw === 'string' ? parseDateTime(raw) : null;
      return value !== null ? { value: raw, seconds: value } : bad('a date-time "YYYY-MM-DD HH:MM:SS"');
    }
    case 'date': {
      const value = typeof raw === 'string' ? parseDayMonthYear(raw) : null;
      return value !== null ? { value: raw, seconds: value } : bad('a date "dd.mm.yyyy"');
    }
    case 'ids':
    case 'strings':
    case 'names': {
      const list = toList(raw, fromText);
      if (!list) return bad('an array');
      const out = [];
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        if (type === 'ids') {
          const value = toInteger(item);
          if (value === null || value < 1) return { issue: `Parameter "${name}[${i}]" must be a positive integer id` };
          out.push(value);
        } else if (typeof item === 'string' && item !== '') out.push(item);
        else if (type === 'strings' && typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
        else return { issue: `Parameter "${name}[${i}]" must be a non-empty ${type === 'strings' ? 'string or number' : 'string'}` };
      }
      return { value: out };
    }
    case 'object': {
      const value = fromText && typeof raw === 'string' ? parseJsonText(raw) : raw;
      if (!isPlainObject(value)) return bad('an object');
      const unsafe = Object.keys(value).find((key) => UNSAFE_KEYS.has(key.replace(/^client\./, '')));
      return unsafe === undefined ? { value } : { issue: `Parameter "${name}" must not contain the name "${unsafe}"` };
    }
    case 'buttons': {
      const value = fromText && typeof raw === 'string' ? parseJsonText(raw) : raw;
      return isContainer(value) ? { value } : bad('an array of buttons or {"hint","buttons"}');
    }
    default:
      throw new Error(`unknown parameter type ${type}`);
  }
}

function toInteger(raw) {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : null;
  if (typeof raw === 'string' && /^-?\d{1,15}$/.test(raw.trim())) return Number(raw.trim());
  return null;
}

/** Arrays from JSON, or from text: repeated keys, a comma list, or JSON array text. */
function toList(raw, fromText) {
  if (Array.isArray(raw)) return raw;
  if (!fromText || typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text.startsWith('[')) {
    const parsed = parseJsonText(text);
    return Array.isArray(parsed) ? parsed : null;
  }
  if (text === '') return [];
  return text.split(',').map((item) => item.trim());
}

function parseJsonText(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function daysInMonth(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD HH:MM:SS` → Unix seconds (assumption: UTC), or null when malformed/impossible. */
function parseDateTime(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

/** `dd.mm.yyyy` → Unix seconds of 00:00 UTC that day, or null. */
function parseDayMonthYear(text) {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  if (!m) return null;
  const [day, month, year] = m.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return Date.UTC(year, month - 1, day) / 1000;
}

/**
 * Validates every parameter against the action's field types. Returns `{ p, extras, issues }`:
 * `p` the typed values (datetime/date fields also get `<name>_seconds`), `extras` the parameters
 * outside `fields`.
 */
function typeParams(params, spec, fromText) {
  const p = {};
  const extras = {};
  const issues = [];
  for (const [name, raw] of Object.entries(params)) {
    if (UNSAFE_KEYS.has(name)) {
      issues.push(`Parameter name "${name}" is not allowed`);
      continue;
    }
    const type = Object.hasOwn(spec.fields, name) ? spec.fields[name] : undefined;
    if (type === undefined) {
      extras[name] = raw;
      continue;
    }
    const result = coerce(name, raw, type, fromText);
    if (result.issue) issues.push(result.issue);
    else {
      p[name] = result.value;
      if (result.seconds !== undefined) p[`${name}_seconds`] = result.seconds;
    }
  }
  if (!spec.extras && Object.keys(extras).length) {
    issues.unshift(...Object.keys(extras).map((name) => `Unknown parameter "${name}"`));
  }
  return { p, extras, issues };
}

// ---------------------------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------------------------

function handleAction(ctx) {
  const route = parsePath(ctx.path);
  const spec = Object.hasOwn(ACTIONS, route.action) ? ACTIONS[route.action] : null;
  const log = { project: ctx.tenant.key, keyUsed: route.key, action: route.action, encoding: null, params: null, mapped: {} };
  const answer = (result) => ({ ...result, log });
  if (!spec) return answer(fail(404, 'Unknown action'));
  if (!spec.methods.includes(ctx.method)) {
    return answer({ ...fail(405, 'Method not allowed'), headers: { allow: spec.methods.join(', ') } });
  }
  const action = { ...ctx, action: route.action, project: ctx.tenant };
  const read = readParams(action, spec);
  if (read.error) return answer(read.error);
  log.encoding = read.encoding;
  action.encoding = read.encoding;
  action.shape = read.shape;
  const mapping = applyMapping(read.params, read.mapping, spec);
  if (mapping.error) return answer(mapping.error);
  log.mapped = mapping.mapped;
  log.params = read.params;
  const { p, extras, issues } = typeParams(read.params, spec, TEXT_ENCODINGS.has(read.encoding));
  if (issues.length) return answer(badRequest(issues));
  action.p = p;
  action.extras = extras;
  return answer(spec.run(action));
}

// ---------------------------------------------------------------------------------------------
// Shared validation rules
// ---------------------------------------------------------------------------------------------

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describeType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Pushes `Parameter "x" required` for every missing or empty-string name. */
function requireParams(p, names, issues) {
  for (const name of names) {
    if (p[name] === undefined || p[name] === '') issues.push(`Parameter "${name}" required`);
  }
}

/** time_shift ≥ 0 (send_time was checked and parsed by its type). */
function checkSchedule(p, issues) {
  if (p.time_shift !== undefined && p.time_shift < 0) issues.push('Parameter "time_shift" must be >= 0');
}

/** B.0.1: time_shift wins over send_time; otherwise now. */
function sendMoment(p, now) {
  if (p.time_shift !== undefined) return now + p.time_shift;
  if (p.send_time !== undefined) return p.send_time_seconds;
  return now;
}

function scheduleOf(p, now) {
  const sendAt = sendMoment(p, now);
  return {
    time_shift: p.time_shift ?? null,
    send_time: p.send_time ?? null,
    send_at: sendAt,
    scheduled: sendAt > now,
  };
}

/** attachment_type is required with attachment_url, must be in the enum, and needs a URL. */
function checkAttachment(p, issues) {
  if (p.attachment_url !== undefined && p.attachment_url === '') issues.push('Parameter "attachment_url" must not be empty');
  if (p.attachment_url && p.attachment_type === undefined) issues.push('Parameter "attachment_type" required with attachment_url');
  if (p.attachment_type !== undefined) {
    if (!ATTACHMENT_TYPES.includes(p.attachment_type)) issues.push(`Parameter "attachment_type" must be one of ${ATTACHMENT_TYPES.join(', ')}`);
    if (!p.attachment_url) issues.push('Parameter "attachment_url" required with attachment_type');
  }
}

/** Content rule of message / broadcast: text, an attachment or a block. */
function checkContent(p, issues) {
  const hasText = typeof p.message === 'string' && p.message !== '';
  if (!hasText && !p.attachment_url && p.message_id === undefined) {
    issues.push('Parameter "message" required (or attachment_url, or message_id)');
  }
}

/** B.8.2: an array of buttons, or `{ hint, buttons }`; `text` on every button. */
function checkButtons(value, issues) {
  let list = value;
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) if (key !== 'hint' && key !== 'buttons') issues.push(`Parameter "buttons.${key}" is not allowed (use "hint" and "buttons")`);
    if (value.hint !== undefined && typeof value.hint !== 'string') issues.push('Parameter "buttons.hint" must be a string');
    if (!Array.isArray(value.buttons)) return issues.push('Parameter "buttons.buttons" must be an array of buttons');
    list = value.buttons;
  }
  if (!Array.isArray(list)) return issues.push('Parameter "buttons" must be an array of buttons or {"hint","buttons"}');
  const prefix = list === value ? 'buttons' : 'buttons.buttons';
  const kinds = new Set();
  list.forEach((button, i) => {
    const path = `${prefix}[${i}]`;
    if (!isPlainObject(button)) return issues.push(`Parameter "${path}" must be an object`);
    for (const key of Object.keys(button)) if (!BUTTON_FIELDS.includes(key)) issues.push(`Parameter "${path}.${key}" is not a button field`);
    if (typeof button.text !== 'string' || button.text === '') issues.push(`Parameter "${path}.text" required`);
    if (button.type !== undefined) {
      if (!BUTTON_TYPES.includes(button.type)) issues.push(`Parameter "${path}.type" must be one of ${BUTTON_TYPES.join(', ')}`);
      else if (button.type === 'reply' || button.type === 'inline') kinds.add(button.type);
      if (button.type === 'web_app' && (typeof button.web_app !== 'string' || button.web_app === '')) issues.push(`Parameter "${path}.web_app" required with type web_app`);
    }
    for (const key of ['line', 'index_in_line']) {
      if (button[key] !== undefined && !(Number.isInteger(button[key]) && button[key] >= 0)) issues.push(`Parameter "${path}.${key}" must be an integer >= 0`);
    }
    for (const key of ['url', 'color', 'web_app']) {
      if (button[key] !== undefined && typeof button[key] !== 'string') issues.push(`Parameter "${path}.${key}" must be a string`);
    }
    if (button.one_time !== undefined && ![0, 1, true, false].includes(button.one_time)) issues.push(`Parameter "${path}.one_time" must be 0 or 1`);
  });
  if (kinds.size > 1) issues.push('Parameter "buttons" mixes reply and inline buttons');
}

function normalizePhone(text) {
  let phone = String(text).trim();
  if (phone.endsWith(WHATSAPP_SUFFIX)) phone = phone.slice(0, -WHATSAPP_SUFFIX.length);
  return phone.replace(/\D/g, '');
}

function checkPhone(p, name, issues) {
  if (p[name] !== undefined && p[name] !== '' && !/^\d{5,15}$/.test(normalizePhone(p[name]))) {
    issues.push(`Parameter "${name}" must be a phone number (5–15 digits)`);
  }
}

function blockExists(project, id) {
  return project.blocks.some((block) => block.id === id);
}

function sortedClients(project) {
  return [...project.clients.values()].sort((a, b) => a.id - b.id);
}

function sameValue(stored, wanted) {
  if (stored === undefined || stored === null || isContainer(stored)) return false;
  return String(stored) === String(wanted);
}

function findByPhone(project, phoneText, { whatsappOnly = false, group } = {}) {
  const phone = normalizePhone(phoneText);
  if (!phone) return null;
  const clients = sortedClients(project);
  const whatsapp = clients.find((client) => client.client_type === TYPE.WHATSAPP && normalizePhone(client.platform_id) === phone && (group === undefined || client.group === group));
  if (whatsapp || whatsappOnly) return whatsapp ?? null;
  return clients.find((client) => client.variables.phone !== undefined && normalizePhone(client.variables.phone) === phone) ?? null;
}

function findByEmail(project, emailText) {
  const email = emailText.trim().toLowerCase();
  const clients = sortedClients(project);
  return clients.find((client) => client.client_type === TYPE.EMAIL && client.platform_id.toLowerCase() === email)
    ?? clients.find((client) => typeof client.variables.email === 'string' && client.variables.email.toLowerCase() === email)
    ?? null;
}

function findPlatformClient(project, type, platformId, group) {
  return sortedClients(project).find((client) => client.client_type === type && client.platform_id === platformId && (group === undefined || client.group === group)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// B.2 callbacks
// ---------------------------------------------------------------------------------------------

/**
 * Stores a callback: extra parameters become client variables (a `client.` prefix is dropped),
 * `resume_bot` un-pauses the bot, and the callback goes to the `callbacks` log.
 */
function storeCallback(ctx, client, text, extra = {}) {
  const { project, p, extras } = ctx;
  const now = nowSeconds();
  const variables = {};
  for (const [name, value] of Object.entries(extras ?? {})) {
    const key = name.startsWith('client.') ? name.slice('client.'.length) : name;
    if (key === '' || UNSAFE_KEYS.has(key)) continue;
    client.variables[key] = value;
    variables[key] = value;
  }
  if (p.resume_bot === true) client.bot_paused = false;
  touch(client, now);
  record(project, project.callbacks, ctx, {
    client_id: client.id,
    message: text ?? null,
    resume_bot: p.resume_bot ?? null,
    variables,
    ...scheduleOf(p, now),
    ...extra,
  });
}

function callbackAction(ctx) {
  const { project, p } = ctx;
  const issues = [];
  if (p.client_id === undefined && !p.client_phone && !p.client_email) issues.push('Parameter "client_id" required (or client_phone, or client_email)');
  requireParams(p, ['message'], issues);
  checkPhone(p, 'client_phone', issues);
  checkSchedule(p, issues);
  if (issues.length) return badRequest(issues);
  let client = null;
  let foundBy;
  if (p.client_id !== undefined) {
    client = project.clients.get(p.client_id) ?? null;
    foundBy = 'client_id';
  } else if (p.client_phone) {
    client = findByPhone(project, p.client_phone);
    foundBy = 'client_phone';
  } else {
    client = findByEmail(project, p.client_email);
    foundBy = 'client_email';
  }
  if (!client) return clientNotFound();
  storeCallback(ctx, client, p.message, { found_by: foundBy });
  return success({ client_id: client.id });
}

/**
 * vk / ok / tg / max callbacks: the client is found by (client type, platform id, group) and
 * created when missing (Assumption). tg_callback's group_id must end in "bot" (case-insensitive).
 */
function platformCallback(ctx, type, idField) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, [idField, 'group_id', 'message'], issues);
  if (type === TYPE.TELEGRAM && p.group_id && !/bot$/i.test(p.group_id)) issues.push('Parameter "group_id" must be the bot name ending in "bot"');
  checkSchedule(p, issues);
  if (issues.length) return badRequest(issues);
  let client = findPlatformClient(project, type, p[idField], p.group_id);
  const created = !client;
  if (!client) client = addClient(project, { client_type: type, platform_id: p[idField], group: p.group_id, name: p.name ?? '' });
  else if (p.name) client.name = p.name;
  storeCallback(ctx, client, p.message, { created });
  return success({ client_id: client.id });
}

function whatsappChannel(project, botId) {
  const channels = project.channels.whatsapp;
  if (botId === undefined) return channels.find((channel) => channel.status === 1) ?? channels[0] ?? null;
  return channels.find((channel) => String(channel.id) === botId || channel.group_id === botId) ?? null;
}

/** Finds the WhatsApp client by phone or creates it (the documented use: a site lead). */
function whatsappCallback(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['phone'], issues);
  checkPhone(p, 'phone', issues);
  checkSchedule(p, issues);
  if (issues.length) return badRequest(issues);
  const channel = whatsappChannel(project, p.bot_id || undefined);
  if (!channel) {
    return project.channels.whatsapp.length ? fail(404, 'WhatsApp bot not found') : badRequest('No WhatsApp channel connected');
  }
  let client = findByPhone(project, p.phone, { whatsappOnly: true, group: channel.group_id });
  const created = !client;
  if (!client) client = addClient(project, { client_type: TYPE.WHATSAPP, platform_id: normalizePhone(p.phone), group: channel.group_id, name: p.name ?? '' });
  else if (p.name) client.name = p.name;
  storeCallback(ctx, client, p.message ?? null, { created, bot_id: p.bot_id ?? null });
  return success({ client_id: client.id });
}

function sendCallbackByPlatformId(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['callback_text'], issues);
  if (p.platform_ids === undefined) issues.push('Parameter "platform_ids" required');
  else if (p.platform_ids.length === 0) issues.push('Parameter "platform_ids" must not be empty');
  else if (p.platform_ids.length > LIMITS.sendCallbackPlatformIds) issues.push(`Parameter "platform_ids" may hold at most ${LIMITS.sendCallbackPlatformIds} ids (got ${p.platform_ids.length})`);
  checkSchedule(p, issues);
  if (issues.length) return badRequest(issues);
  const wanted = new Set(p.platform_ids);
  const clients = sortedClients(project).filter((client) => wanted.has(client.platform_id) && (p.group_id === undefined || client.group === p.group_id));
  const now = nowSeconds();
  for (const client of clients) touch(client, now);
  const matched = new Set(clients.map((client) => client.platform_id));
  record(project, project.callbacks, ctx, {
    client_ids: clients.map((client) => client.id),
    message: p.callback_text,
    platform_ids: [...p.platform_ids],
    unknown_platform_ids: p.platform_ids.filter((id) => !matched.has(id)),
    group_id: p.group_id ?? null,
    ...scheduleOf(p, now),
  });
  return success({ client_ids: clients.map((client) => client.id) });
}

function emailCallback(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['email', 'message'], issues);
  if (p.email && !/^[^@\s]+@[^@\s]+$/.test(p.email)) issues.push('Parameter "email" must be an e-mail address');
  checkSchedule(p, issues);
  if (issues.length) return badRequest(issues);
  const email = p.email.trim();
  let client = sortedClients(project).find((candidate) => candidate.client_type === TYPE.EMAIL && candidate.platform_id.toLowerCase() === email.toLowerCase()) ?? null;
  const created = !client;
  if (!client) {
    client = addClient(project, { client_type: TYPE.EMAIL, platform_id: email, group: p.email_id_bot || undefined, name: p.name ?? '' });
    client.variables.email = email;
  } else if (p.name) client.name = p.name;
  storeCallback(ctx, client, p.message, { created, email_id_bot: p.email_id_bot ?? null });
  return success({ client_id: client.id });
}

// ---------------------------------------------------------------------------------------------
// B.3 messages
// ---------------------------------------------------------------------------------------------

function contentOf(p) {
  return {
    message: p.message ?? null,
    message_id: p.message_id ?? null,
    attachment_type: p.attachment_type ?? null,
    attachment_url: p.attachment_url ?? null,
    buttons: p.buttons ?? null,
  };
}

/** A message that is sent now goes to history (message_from_outside 1); a scheduled one does not. */
function deliverTo(project, client, p, schedule, now) {
  touch(client, now);
  if (p.message_id !== undefined) client.message_id = p.message_id;
  if (schedule.scheduled) return null;
  const block = p.message_id !== undefined ? project.blocks.find((candidate) => candidate.id === p.message_id) : null;
  return addHistory(project, client, {
    message_from_outside: FROM.API,
    text: p.message || block?.text || '',
    message_id: p.message_id ?? null,
    attachments: p.attachment_url ? [p.attachment_url] : null,
  }, now);
}

function messageAction(ctx) {
  const { project, p, extras } = ctx;
  const issues = [];
  requireParams(p, ['client_id'], issues);
  checkContent(p, issues);
  checkAttachment(p, issues);
  if (p.buttons !== undefined) checkButtons(p.buttons, issues);
  checkSchedule(p, issues);
  if (issues.length) return badRequest(issues);
  if (p.message_id !== undefined && !blockExists(project, p.message_id)) return fail(404, 'Block (message_id) not found');
  const client = project.clients.get(p.client_id);
  if (!client) return clientNotFound();
  const now = nowSeconds();
  const schedule = scheduleOf(p, now);
  const entry = deliverTo(project, client, p, schedule, now);
  record(project, project.deliveries, ctx, {
    client_id: client.id,
    ...contentOf(p),
    ...schedule,
    history_id: entry?.id ?? null,
    extra: extras,
  });
  return success(entry ? { history_id: entry.id } : {});
}

function whatsappMessage(ctx) {
  const { project, p, extras } = ctx;
  const issues = [];
  requireParams(p, ['phone'], issues);
  checkPhone(p, 'phone', issues);
  checkContent(p, issues);
  checkAttachment(p, issues);
  checkSchedule(p, issues);
  if (issues.length) return badRequest(issues);
  if (!project.channels.whatsapp.length) return badRequest('No WhatsApp channel connected');
  const channel = whatsappChannel(project, p.whatsapp_bot_id || undefined);
  if (!channel) return fail(404, 'WhatsApp bot not found');
  if (p.message_id !== undefined && !blockExists(project, p.message_id)) return fail(404, 'Block (message_id) not found');
  let client = findByPhone(project, p.phone, { whatsappOnly: true, group: channel.group_id });
  const created = !client;
  if (!client) client = addClient(project, { client_type: TYPE.WHATSAPP, platform_id: normalizePhone(p.phone), group: channel.group_id });
  const now = nowSeconds();
  const schedule = scheduleOf(p, now);
  const entry = deliverTo(project, client, p, schedule, now);
  record(project, project.deliveries, ctx, {
    client_id: client.id,
    phone: normalizePhone(p.phone),
    whatsapp_bot_id: p.whatsapp_bot_id ?? null,
    channel_id: channel.id,
    created,
    ...contentOf(p),
    ...schedule,
    history_id: entry?.id ?? null,
    extra: extras,
  });
  return success({ client_id: client.id, ...(entry ? { history_id: entry.id } : {}) });
}

/**
 * B.3.3 with the Mavibot text (seed:004): no recipient mode → EVERY client of the project. More
 * than one mode → 400. Each broadcast is recorded with its mode, recipients count and client ids.
 */
function broadcast(ctx) {
  const { project, p } = ctx;
  const issues = [];
  const modes = ['list', 'clients', 'platform_ids'].filter((mode) => p[mode] !== undefined);
  if (modes.length > 1) issues.push(`Only one recipient mode is allowed (list, clients or platform_ids); got ${modes.join(', ')}`);
  if (p.platform_ids !== undefined && !p.group_id) issues.push('Parameter "group_id" required with platform_ids');
  if (p.clients !== undefined && p.clients.length === 0) issues.push('Parameter "clients" must not be empty');
  if (p.platform_ids !== undefined && p.platform_ids.length === 0) issues.push('Parameter "platform_ids" must not be empty');
  checkContent(p, issues);
  checkAttachment(p, issues);
  if (p.buttons !== undefined) checkButtons(p.buttons, issues);
  if (p.shift !== undefined && p.shift < 0) issues.push('Parameter "shift" must be >= 0');
  checkSchedule(p, issues);
  if (issues.length) return badRequest(issues);
  if (p.message_id !== undefined && !blockExists(project, p.message_id)) return fail(404, 'Block (message_id) not found');

  const mode = modes[0] ?? 'all';
  let recipients;
  let unknown = [];
  if (mode === 'list') {
    const list = project.lists.get(p.list);
    if (!list) return fail(404, 'List not found');
    recipients = [...list.clients].map((id) => project.clients.get(id)).filter(Boolean);
  } else if (mode === 'clients') {
    const ids = [...new Set(p.clients)];
    recipients = ids.map((id) => project.clients.get(id)).filter(Boolean);
    unknown = ids.filter((id) => !project.clients.has(id));
  } else if (mode === 'platform_ids') {
    const wanted = new Set(p.platform_ids);
    recipients = sortedClients(project).filter((client) => wanted.has(client.platform_id) && client.group === p.group_id);
    const found = new Set(recipients.map((client) => client.platform_id));
    unknown = p.platform_ids.filter((id) => !found.has(id));
  } else recipients = sortedClients(project);
  recipients.sort((a, b) => a.id - b.id);

  const now = nowSeconds();
  const schedule = scheduleOf(p, now);
  for (const client of recipients) deliverTo(project, client, p, schedule, now);
  const broadcastId = project.nextBroadcastId++;
  record(project, project.broadcasts, ctx, {
    broadcast_id: broadcastId,
    mode,
    all_clients: mode === 'all',
    recipients_count: recipients.length,
    client_ids: recipients.map((client) => client.id),
    unknown_recipients: unknown,
    list: p.list ?? null,
    group_id: p.group_id ?? null,
    ...contentOf(p),
    shift: p.shift ?? 0.2,
    ...schedule,
  });
  return success({ broadcast_id: broadcastId });
}

function getHistory(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['client_id'], issues);
  if (p.limit !== undefined && (p.limit < 1 || p.limit > LIMITS.history)) issues.push(`Parameter "limit" must be between 1 and ${LIMITS.history}`);
  if ((p.start_date === undefined) !== (p.stop_date === undefined)) issues.push('Parameters "start_date" and "stop_date" must be given together');
  else if (p.start_date !== undefined && p.start_date_seconds > p.stop_date_seconds) issues.push('Parameter "start_date" must not be after "stop_date"');
  if (issues.length) return badRequest(issues);
  const client = project.clients.get(p.client_id);
  if (!client) return clientNotFound();
  let entries = project.history.get(client.id) ?? [];
  if (p.start_date !== undefined) {
    const from = p.start_date_seconds;
    const to = p.stop_date_seconds + 86400;
    entries = entries.filter((entry) => entry.created_at >= from && entry.created_at < to);
  }
  const limit = p.limit ?? LIMITS.history;
  return success({ result: entries.slice(-limit).map(renderHistory) });
}

function clearHistory(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['client_id'], issues);
  if (issues.length) return badRequest(issues);
  const client = project.clients.get(p.client_id);
  if (!client) return clientNotFound();
  project.history.delete(client.id);
  return success();
}

// ---------------------------------------------------------------------------------------------
// B.4 clients
// ---------------------------------------------------------------------------------------------

/** Without email the operator with the fewest clients (then the lowest id) gets the client. */
function assignToUser(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['client_id'], issues);
  if (issues.length) return badRequest(issues);
  const client = project.clients.get(p.client_id);
  if (!client) return clientNotFound();
  let operator;
  if (p.email) {
    operator = project.operators.find((candidate) => candidate.email.toLowerCase() === p.email.toLowerCase());
    if (!operator) return fail(404, 'Operator not found');
  } else {
    const load = (candidate) => [...project.clients.values()].filter((other) => other.manager === candidate.id).length;
    operator = [...project.operators].sort((a, b) => load(a) - load(b) || a.id - b.id)[0];
  }
  client.manager = operator.id;
  touch(client);
  return success({ manager_id: operator.id, manager_email: operator.email });
}

/**
 * B.4.2: a JSON array (or `{"clients":[…]}`, the PHP wrapper's shape). Every item is checked
 * first; one bad item rejects the whole request (Assumption). Existing clients keep their id.
 */
function loadClients(ctx) {
  const { project, p } = ctx;
  const items = p.clients;
  if (items === undefined) return badRequest('Request body must be a JSON array of clients (or {"clients":[…]})');
  if (!Array.isArray(items)) return badRequest('Parameter "clients" must be an array');
  if (items.length === 0) return badRequest('At least one client required');
  const issues = [];
  items.forEach((item, i) => {
    const path = `clients[${i}]`;
    if (!isPlainObject(item)) return issues.push(`Parameter "${path}" must be an object`);
    for (const key of Object.keys(item)) if (!['platform_id', 'group_id', 'client_type'].includes(key)) issues.push(`Unknown parameter "${path}.${key}"`);
    const platformOk = (typeof item.platform_id === 'string' && item.platform_id.trim() !== '') || (typeof item.platform_id === 'number' && Number.isFinite(item.platform_id));
    if (!platformOk) issues.push(`Parameter "${path}.platform_id" required`);
    const type = toInteger(item.client_type);
    if (item.client_type === undefined) issues.push(`Parameter "${path}.client_type" required`);
    else if (type === null || !CLIENT_TYPES.includes(type)) issues.push(`Parameter "${path}.client_type" must be one of ${CLIENT_TYPES.join(', ')}`);
    if (item.group_id === undefined || item.group_id === null) issues.push(`Parameter "${path}.group_id" required (use "" for telephony)`);
    else if (typeof item.group_id !== 'string' && !(typeof item.group_id === 'number' && Number.isFinite(item.group_id))) issues.push(`Parameter "${path}.group_id" must be a string or a number`);
    else if (String(item.group_id) === '' && type !== TYPE.TELEPHONY) issues.push(`Parameter "${path}.group_id" must not be empty (only telephony clients use "")`);
  });
  if (issues.length) return badRequest(issues);
  const results = items.map((item) => {
    const type = toInteger(item.client_type);
    const group = String(item.group_id);
    let platformId = String(item.platform_id).trim();
    if (type === TYPE.WHATSAPP) platformId = normalizePhone(platformId);
    const existing = findPlatformClient(project, type, platformId, group);
    const client = existing ?? addClient(project, { client_type: type, platform_id: platformId, group });
    if (!existing && (type === TYPE.WHATSAPP || type === TYPE.TELEPHONY)) client.variables.phone = platformId;
    return { platform_id: item.platform_id, group_id: item.group_id, client_type: item.client_type, status: 'success', id: client.id };
  });
  return success({ items: results });
}

function changeList(ctx, add) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['list_id', 'clients'], issues);
  if (p.clients !== undefined && p.clients.length === 0) issues.push('Parameter "clients" must not be empty');
  if (issues.length) return badRequest(issues);
  const list = project.lists.get(p.list_id);
  if (!list) return fail(404, 'List not found');
  const missing = p.clients.filter((id) => !project.clients.has(id));
  if (missing.length) return fail(404, `Client(s) not found: ${missing.join(', ')}`);
  for (const id of p.clients) {
    if (add) list.clients.add(id);
    else list.clients.delete(id);
  }
  return success();
}

/** Newest first (created_at, then id, descending); `reverse` → oldest first. */
function getClients(ctx) {
  const { project, p } = ctx;
  const issues = [];
  if (p.offset !== undefined && p.offset < 0) issues.push('Parameter "offset" must be >= 0');
  if (p.limit !== undefined && (p.limit < 1 || p.limit > LIMITS.getClients)) issues.push(`Parameter "limit" must be between 1 and ${LIMITS.getClients}`);
  if (p.list !== undefined && p.reverse !== undefined) issues.push('Parameter "reverse" is only allowed without "list"');
  if (issues.length) return badRequest(issues);
  let clients = [...project.clients.values()];
  if (p.list !== undefined) {
    const list = project.lists.get(p.list);
    if (!list) return fail(404, 'List not found');
    clients = clients.filter((client) => list.clients.has(client.id));
  }
  clients.sort((a, b) => b.created_at - a.created_at || b.id - a.id);
  if (p.reverse) clients.reverse();
  const offset = p.offset ?? 0;
  const limit = p.limit ?? LIMITS.getClients;
  return success({ clients: clients.slice(offset, offset + limit).map((client) => renderClient(project, client)) });
}

function deleteClients(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['client_ids'], issues);
  if (p.client_ids !== undefined && p.client_ids.length === 0) issues.push('Parameter "client_ids" must not be empty');
  if (p.client_ids !== undefined && p.client_ids.length > LIMITS.deleteClients) issues.push(`Parameter "client_ids" may hold at most ${LIMITS.deleteClients} ids (got ${p.client_ids.length})`);
  if (issues.length) return badRequest(issues);
  const deleted = [];
  for (const id of new Set(p.client_ids)) {
    const client = project.clients.get(id);
    if (!client) continue;
    removeClient(project, client);
    deleted.push(id);
  }
  return success({ deleted: deleted.length });
}

// ---------------------------------------------------------------------------------------------
// B.5 variables
// ---------------------------------------------------------------------------------------------

/**
 * `client.<name>` → client variable; any other name → a variable of the client's current deal,
 * which is created (first pipeline state) when the client has none (Assumption).
 */
function saveVariables(ctx) {
  const { project, p } = ctx;
  const issues = [];
  if (p.client_id === undefined && p.clients === undefined) issues.push('Parameter "client_id" required (or clients)');
  if (p.clients !== undefined && p.clients.length === 0) issues.push('Parameter "clients" must not be empty');
  requireParams(p, ['variables'], issues);
  if (p.variables !== undefined) {
    if (Object.keys(p.variables).length === 0) issues.push('Parameter "variables" must not be empty');
    for (const name of Object.keys(p.variables)) if (name === '' || name === 'client.') issues.push('Parameter "variables" has an empty variable name');
  }
  if (issues.length) return badRequest(issues);
  const ids = [...new Set([...(p.client_id !== undefined ? [p.client_id] : []), ...(p.clients ?? [])])];
  const missing = ids.filter((id) => !project.clients.has(id));
  if (missing.length) return fail(404, `Client(s) not found: ${missing.join(', ')}`);
  const now = nowSeconds();
  for (const id of ids) {
    const client = project.clients.get(id);
    for (const [name, value] of Object.entries(p.variables)) {
      if (name.startsWith('client.')) client.variables[name.slice('client.'.length)] = value;
      else {
        const order = currentOrder(project, client) ?? addOrder(project, client, { state_id: project.states[0].id, name: '' }, now);
        order.variables[name] = value;
        order.updated_at = now;
      }
    }
    touch(client, now);
  }
  return success();
}

/** Assumption: `{"status":"success","variables":{…}}` with client variables as `client.<name>` and the current deal's without prefix — the names save_variables takes. */
function getVariables(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['client_id'], issues);
  if (issues.length) return badRequest(issues);
  const client = project.clients.get(p.client_id);
  if (!client) return clientNotFound();
  const variables = {};
  for (const [name, value] of Object.entries(client.variables)) variables[`client.${name}`] = structuredClone(value);
  const order = currentOrder(project, client);
  if (order) for (const [name, value] of Object.entries(order.variables)) variables[name] = structuredClone(value);
  return success({ variables });
}

// ---------------------------------------------------------------------------------------------
// B.6 finding client_id
// ---------------------------------------------------------------------------------------------

/** Documented: a bare JSON array (no status). */
function findByPlatformIds(ctx) {
  const { project, p } = ctx;
  const issues = [];
  if (p.platform_ids === undefined) issues.push('Parameter "platform_ids" required');
  else if (p.platform_ids.length === 0) issues.push('Parameter "platform_ids" must not be empty');
  if (issues.length) return badRequest(issues);
  const wanted = new Set(p.platform_ids);
  const clients = sortedClients(project).filter((client) => wanted.has(client.platform_id) && (p.group_id === undefined || client.group === p.group_id));
  return ok(clients.map((client) => ({
    id: client.id,
    tag: client.tag,
    created_at: client.created_at,
    name: client.name,
    avatar: client.avatar,
    platform_id: client.platform_id,
    group: client.group,
    variables: structuredClone(client.variables),
  })));
}

/** Documented body `{"client_id":N}`. Creates the site-chat client when unknown (Assumption). */
function onlineChatClientId(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['recipient'], issues);
  if (issues.length) return badRequest(issues);
  let client = findPlatformClient(project, TYPE.ONLINE_CHAT, p.recipient);
  if (!client) client = addClient(project, { client_type: TYPE.ONLINE_CHAT, platform_id: p.recipient, name: p.name ?? '', tag: p.tag ?? '' });
  else {
    if (p.tag !== undefined) client.tag = p.tag;
    if (p.name) client.name = p.name;
    touch(client);
  }
  return ok({ client_id: client.id });
}

function whatsappClientId(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['phone'], issues);
  checkPhone(p, 'phone', issues);
  if (issues.length) return badRequest(issues);
  const client = findByPhone(project, p.phone, { whatsappOnly: true, group: p.group_id });
  return client ? success({ client_id: client.id }) : clientNotFound();
}

function findClientIdByPhone(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['phone'], issues);
  checkPhone(p, 'phone', issues);
  if (issues.length) return badRequest(issues);
  const client = findByPhone(project, p.phone);
  return client ? success({ client_id: client.id }) : clientNotFound();
}

function findClientIdByEmail(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['email'], issues);
  if (issues.length) return badRequest(issues);
  const client = findByEmail(project, p.email);
  return client ? success({ client_id: client.id }) : clientNotFound();
}

function checkVarVal(p, issues) {
  requireParams(p, ['var'], issues);
  if (p.val === undefined) issues.push('Parameter "val" required');
}

function matchesVar(project, client, name, value, { client: inClient = true, orders = false } = {}) {
  if (inClient && sameValue(client.variables[name], value)) return true;
  if (orders) return ordersOf(project, client).some((order) => sameValue(order.variables[name], value));
  return false;
}

/** The oldest matching client (lowest id); `search_in=order` searches deal variables. */
function findClientIdByVar(ctx) {
  const { project, p } = ctx;
  const issues = [];
  checkVarVal(p, issues);
  if (p.search_in !== undefined && p.search_in !== 'order') issues.push('Parameter "search_in" must be "order" or omitted');
  if (issues.length) return badRequest(issues);
  const inOrders = p.search_in === 'order';
  const client = sortedClients(project).find((candidate) =>
    (p.group_id === undefined || candidate.group === p.group_id) &&
    matchesVar(project, candidate, p.var, p.val, { client: !inOrders, orders: inOrders }));
  return client ? success({ client_id: client.id }) : clientNotFound();
}

function findLatestClientIdByVar(ctx) {
  const { project, p } = ctx;
  const issues = [];
  checkVarVal(p, issues);
  if (issues.length) return badRequest(issues);
  const matches = sortedClients(project).filter((client) => matchesVar(project, client, p.var, p.val, { client: true, orders: true }));
  matches.sort((a, b) => b.created_at - a.created_at || b.id - a.id);
  return matches.length ? success({ client_id: matches[0].id }) : clientNotFound();
}

function findAllClientIdByVar(ctx) {
  const { project, p } = ctx;
  const issues = [];
  checkVarVal(p, issues);
  if (issues.length) return badRequest(issues);
  const ids = sortedClients(project).filter((client) => matchesVar(project, client, p.var, p.val)).map((client) => client.id);
  return success({ client_ids: ids });
}

/** Every `name=value` pair must match a client variable (AND). */
function findAllClientIdBySeveralVars(ctx) {
  const { project, extras } = ctx;
  const pairs = Object.entries(extras);
  if (pairs.length === 0) return badRequest('At least one variable=value parameter required');
  const issues = [];
  for (const [name, value] of pairs) {
    if (Array.isArray(value)) issues.push(`Parameter "${name}" given more than once`);
    else if (isContainer(value)) issues.push(`Parameter "${name}" must be a plain value`);
  }
  if (issues.length) return badRequest(issues);
  const ids = sortedClients(project)
    .filter((client) => pairs.every(([name, value]) => sameValue(client.variables[name], value)))
    .map((client) => client.id);
  return success({ client_ids: ids });
}

const FIND_OPERATORS = ['_in', '_not_in', '_not'];

/**
 * B.6.1 with the documented 200 failure bodies. A missing variable equals nothing, so it
 * matches `_not` and `_not_in`. `include_all` defaults to true (Assumption).
 */
function findClients(ctx) {
  const { project, p, encoding } = ctx;
  const formatError = () => ok({ status: 'fail', message: 'Error in parameter format' });
  if (p.q === undefined || p.q === '') return ok({ status: 'fail', message: 'Parameter "q" required' });
  let q = p.q;
  if (typeof q === 'string' && TEXT_ENCODINGS.has(encoding)) q = parseJsonText(q);
  if (!isPlainObject(q)) return formatError();
  let inOrders = false;
  if (p.search_in !== undefined) {
    if (p.search_in !== 'order') return formatError();
    inOrders = true;
  }
  let includeAll = true;
  if (p.include_all !== undefined) {
    const parsed = coerce('include_all', p.include_all, 'bool', TEXT_ENCODINGS.has(encoding));
    if (parsed.issue) return formatError();
    includeAll = parsed.value;
  }
  const conditions = [];
  for (const [name, condition] of Object.entries(q)) {
    if (isPlainObject(condition)) {
      const keys = Object.keys(condition);
      if (keys.length !== 1 || !FIND_OPERATORS.includes(keys[0])) return formatError();
      const [op] = keys;
      const operand = condition[op];
      if (op === '_not' ? isContainer(operand) : !Array.isArray(operand) || operand.some(isContainer)) return formatError();
      conditions.push({ name, op, operand });
    } else if (Array.isArray(condition)) return formatError();
    else conditions.push({ name, op: '_eq', operand: condition });
  }
  const test = (stored, { op, operand }) => {
    if (op === '_eq') return sameValue(stored, operand);
    if (op === '_not') return !sameValue(stored, operand);
    if (op === '_in') return operand.some((value) => sameValue(stored, value));
    return !operand.some((value) => sameValue(stored, value));
  };
  const holds = (client, condition) => {
    if (!inOrders) return test(client.variables[condition.name], condition);
    return ordersOf(project, client).some((order) => test(order.variables[condition.name], condition));
  };
  const ids = sortedClients(project)
    .filter((client) => (includeAll ? conditions.every((c) => holds(client, c)) : conditions.some((c) => holds(client, c))))
    .map((client) => client.id);
  return success({ client_ids: ids });
}

// ---------------------------------------------------------------------------------------------
// B.7 deals (orders)
// ---------------------------------------------------------------------------------------------

/** Common start of the deal actions: required client_id → 400, unknown client → 200 client_not_found. */
function dealClient(ctx, required = ['client_id'], check) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, required, issues);
  check?.(issues);
  if (issues.length) return { error: badRequest(issues) };
  const client = project.clients.get(p.client_id);
  if (!client) return { error: dealClientNotFound() };
  return { client };
}

/** `order_id` given → that deal of the client (else `order <id> not found`); else the current deal. */
function dealOrder(project, client, orderId) {
  if (orderId !== undefined) {
    const order = project.orders.get(orderId);
    if (!order || order.client_id !== client.id) return { error: ok({ status: `order ${orderId} not found` }) };
    return { order };
  }
  const order = currentOrder(project, client);
  return order ? { order } : { error: ok({ status: 'order not found' }) };
}

function getCurrentOrderId(ctx) {
  const found = dealClient(ctx);
  if (found.error) return found.error;
  const order = currentOrder(ctx.project, found.client);
  return order ? success({ order_id: order.id }) : ok({ status: 'order not found' });
}

function getOrders(ctx) {
  const { p } = ctx;
  const found = dealClient(ctx, ['client_id'], (issues) => {
    if (p.order_status !== undefined && !ORDER_STATUSES.includes(p.order_status)) issues.push('Parameter "order_status" must be 0 (active), 1 (won) or 2 (lost)');
  });
  if (found.error) return found.error;
  const orders = ordersOf(ctx.project, found.client).filter((order) => p.order_status === undefined || order.status === p.order_status);
  return success({ order_id: orders.map((order) => order.id) });
}

/** New → Qualified → Proposal → Won; a deal in a closed state (Won/Lost) stays where it is. */
function moveOrderToNextState(ctx) {
  const { project, p } = ctx;
  const found = dealClient(ctx);
  if (found.error) return found.error;
  const deal = dealOrder(project, found.client, p.order_id);
  if (deal.error) return deal.error;
  const { order } = deal;
  const path = project.states.filter((state) => state.status !== 2);
  const index = path.findIndex((state) => state.id === order.state_id);
  if (order.status === 0 && index >= 0 && index < path.length - 1) setOrderStateOf(project, order, path[index + 1].id);
  return success({ state_id: order.state_id });
}

/** Requested names missing on the deal come back as null; without `variables` → all of them. */
function getOrderVars(ctx) {
  const { project, p } = ctx;
  const found = dealClient(ctx);
  if (found.error) return found.error;
  const deal = dealOrder(project, found.client, p.order_id);
  if (deal.error) return deal.error;
  const { order } = deal;
  const names = p.variables ?? Object.keys(order.variables);
  const result = Object.fromEntries(names.map((name) => [name, Object.hasOwn(order.variables, name) ? structuredClone(order.variables[name]) : null]));
  return success({ result });
}

function setOrderVars(ctx) {
  const { project, p } = ctx;
  const found = dealClient(ctx, ['client_id', 'variables'], (issues) => {
    if (p.variables !== undefined && Object.keys(p.variables).length === 0) issues.push('Parameter "variables" must not be empty');
  });
  if (found.error) return found.error;
  const deal = dealOrder(project, found.client, p.order_id);
  if (deal.error) return deal.error;
  Object.assign(deal.order.variables, p.variables);
  deal.order.updated_at = nowSeconds();
  return success();
}

/**
 * client_id > phone > email. An unknown client_id → client_not_found; an unknown phone creates a
 * telephony client (13), an unknown e-mail an e-mail client (14) (Assumption for the types).
 */
function createOrder(ctx) {
  const { project, p } = ctx;
  const issues = [];
  if (p.client_id === undefined && !p.phone && !p.email) issues.push('Parameter "client_id" required (or phone, or email)');
  checkPhone(p, 'phone', issues);
  if (p.email && !/^[^@\s]+@[^@\s]+$/.test(p.email)) issues.push('Parameter "email" must be an e-mail address');
  if (p.budget !== undefined && p.budget < 0) issues.push('Parameter "budget" must be >= 0');
  if (p.state_id !== undefined && !project.states.some((state) => state.id === p.state_id)) issues.push(`Parameter "state_id" must be one of ${project.states.map((state) => state.id).join(', ')}`);
  if (issues.length) return badRequest(issues);
  let client;
  let created = false;
  if (p.client_id !== undefined) {
    client = project.clients.get(p.client_id);
    if (!client) return dealClientNotFound();
  } else if (p.phone) {
    client = findByPhone(project, p.phone);
    if (!client) {
      client = addClient(project, { client_type: TYPE.TELEPHONY, platform_id: normalizePhone(p.phone), group: '' });
      client.variables.phone = normalizePhone(p.phone);
      created = true;
    }
  } else {
    client = findByEmail(project, p.email);
    if (!client) {
      client = addClient(project, { client_type: TYPE.EMAIL, platform_id: p.email.trim() });
      client.variables.email = p.email.trim();
      created = true;
    }
  }
  const order = addOrder(project, client, {
    state_id: p.state_id ?? project.states[0].id,
    name: p.name ?? '',
    description: p.description ?? '',
    budget: p.budget ?? null,
  });
  touch(client);
  return success({ order_id: order.id, ...(created ? { client_id: client.id } : {}) });
}

/** Applies to the client's current deal (B.7: no order_id documented). */
function setOrderState(ctx) {
  const { project, p } = ctx;
  const found = dealClient(ctx, ['client_id', 'state_id'], (issues) => {
    if (p.state_id !== undefined && !project.states.some((state) => state.id === p.state_id)) issues.push(`Parameter "state_id" must be one of ${project.states.map((state) => state.id).join(', ')}`);
  });
  if (found.error) return found.error;
  const deal = dealOrder(project, found.client);
  if (deal.error) return deal.error;
  setOrderStateOf(project, deal.order, p.state_id);
  return success({ order_id: deal.order.id, state_id: deal.order.state_id });
}

function getOrderState(ctx) {
  const { project, p } = ctx;
  const found = dealClient(ctx);
  if (found.error) return found.error;
  const order = p.order_id !== undefined ? project.orders.get(p.order_id) : currentOrder(project, found.client);
  if (!order || order.client_id !== found.client.id) return ok({ status: 'order not found' });
  return success({ state_id: order.state_id });
}

// ---------------------------------------------------------------------------------------------
// B.8 other
// ---------------------------------------------------------------------------------------------

/**
 * Assumption: `{"status":"success","phone":"<digits>","exists":bool}`. A phone "has WhatsApp"
 * when it belongs to a WhatsApp client of the project, or has 10–15 digits and does not end in 0.
 */
function checkWhatsapp(ctx) {
  const { project, p } = ctx;
  const issues = [];
  requireParams(p, ['phone'], issues);
  checkPhone(p, 'phone', issues);
  if (issues.length) return badRequest(issues);
  if (!project.channels.whatsapp.length) return badRequest('No WhatsApp channel connected');
  const phone = normalizePhone(p.phone);
  const known = findByPhone(project, phone, { whatsappOnly: true });
  const exists = Boolean(known) || (phone.length >= 10 && phone.length <= 15 && !phone.endsWith('0'));
  return success({ phone, exists });
}

/** Assumption: `{"status":"success","messages":[{id, name, text}]}` — the bot's blocks. */
function getMessages({ project }) {
  return success({ messages: project.blocks.map((block) => ({ ...block })) });
}
