/**
 * A sender of Mava outgoing webhooks, and an independent reference receiver to check it.
 *
 *   import { createSigningKey, makeDelivery, sampleEvent, postDelivery } from './tests/sandbox/webhooks.mjs';
 *   const { signingKey, publicKey } = createSigningKey();   // give signingKey to the receiver
 *   const body = makeDelivery({ publicKey, event: sampleEvent('ticket.created', 7) });
 *   await postDelivery('http://127.0.0.1:8788/webhooks/mava', body);
 *
 * The scheme (see /work/shared/mava-webhooks.md):
 * - documented (W2, W3 §1): body `{ signature, payload, key, webhookId }`; `key` is
 *   `<iv>:<base64 RSA-OAEP(SHA-1, MGF1-SHA-1, empty label) of the AES key>`; `signature` is the
 *   lowercase hex HMAC-SHA256 over the `payload` string, keyed with the *base64 text* of the AES key;
 *   the signing key is `mava_wh_` + base64(PKCS#8 DER of the RSA private key).
 * - inferred (§4; no source shows it): AES-CBC with PKCS#7, the IV as 32 hex digits, the payload
 *   as base64, the plaintext `JSON.stringify({ type, document })`. The other encodings can be
 *   chosen per delivery so receivers can be tested against every alternative.
 *
 * `verifyDelivery` / `openDelivery` are written from the documents only and share no code with the
 * sender, so the self-tests (webhooks.test.mjs) prove the sender against the documented check.
 * Uses only node:crypto (and global fetch in postDelivery).
 */

import crypto from 'node:crypto';
import { createRng, createIdFactory } from './prng.mjs';

export const SIGNING_KEY_PREFIX = 'mava_wh_';
const AES_KEY_SIZES = [16, 24, 32];

// ---------------------------------------------------------------------------------------------
// sender
// ---------------------------------------------------------------------------------------------

/**
 * A fresh RSA-2048 key pair. `signingKey` is what the Mava dashboard shows the customer
 * (`mava_wh_` + standard base64 of the PKCS#8 DER private key); `publicKey` is Mava's
 * "encryption key" (a KeyObject), `privateKey` the same private key as a KeyObject.
 */
export function createSigningKey() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { signingKey: SIGNING_KEY_PREFIX + der.toString('base64'), publicKey, privateKey };
}

/**
 * Builds one delivery body `{ signature, payload, key, webhookId }` for `event` (any JSON value,
 * normally `{ type, document }`). Options:
 *   publicKey       RSA public key (KeyObject or PEM) that wraps the AES key
 *   webhookId       default: a random UUID
 *   aesKeyBytes     16, 24 or 32 (default 32: AES-256-CBC)
 *   ivEncoding      'hex' (default, 32 digits) or 'base64'
 *   payloadEncoding 'base64' (default) or 'hex'
 *   symmetricKey    a fixed AES key (Buffer of 16/24/32 bytes) instead of a random one
 */
export function makeDelivery({
  publicKey,
  event,
  webhookId = crypto.randomUUID(),
  aesKeyBytes = 32,
  ivEncoding = 'hex',
  payloadEncoding = 'base64',
  symmetricKey,
} = {}) {
  if (!publicKey) throw new TypeError('makeDelivery needs publicKey');
  const aesKey = symmetricKey ? Buffer.from(symmetricKey) : crypto.randomBytes(aesKeyBytes);
  if (!AES_KEY_SIZES.includes(aesKey.length)) throw new RangeError(`AES key must be 16, 24 or 32 bytes, not ${aesKey.length}`);
  if (ivEncoding !== 'hex' && ivEncoding !== 'base64') throw new RangeError(`ivEncoding must be hex or base64, not ${ivEncoding}`);
  if (payloadEncoding !== 'hex' && payloadEncoding !== 'base64') {
    throw new RangeError(`payloadEncoding must be base64 or hex, not ${payloadEncoding}`);
  }

  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv(`aes-${aesKey.length * 8}-cbc`, aesKey, iv); // PKCS#7 by default
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(event), 'utf8'), cipher.final()]);
  const payload = ciphertext.toString(payloadEncoding);

  const wrappedKey = crypto.publicEncrypt(
    { key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    aesKey,
  );
  const key = `${iv.toString(ivEncoding)}:${wrappedKey.toString('base64')}`;
  const signature = crypto.createHmac('sha256', aesKey.toString('base64')).update(payload, 'utf8').digest('hex');
  return { signature, payload, key, webhookId };
}

/**
 * POSTs a delivery as JSON (a string body is sent verbatim) and resolves `{ status, text }`.
 * `headers` are added to (and may override) `content-type: application/json`. Rejects when the
 * URL can't be reached.
 */
export async function postDelivery(url, body, { headers = {} } = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

// ---------------------------------------------------------------------------------------------
// reference receiver (written from W3 §1 and the §4 inference; no code shared with the sender)
// ---------------------------------------------------------------------------------------------

/**
 * The documented check (W3 §1): true when `body.signature` is the HMAC of `body.payload` under
 * the AES key that `body.key` carries for this signing key.
 *
 * Differences from the documented function, all deliberate: every failure caused by the
 * *delivery* returns false instead of throwing 'Failed to verify event signature' — a missing
 * field, an RSA part that does not decrypt (tampered key, or a delivery made for another signing
 * key: both end in an OAEP error, and the two cannot be told apart) and a signature of another
 * length (where `timingSafeEqual` would throw). A signing key that is not `mava_wh_` + PKCS#8 DER
 * is a configuration error and throws. Like the documented code, the signature is parsed with
 * `Buffer.from(…, 'hex')`, which stops at the first non-hex character.
 */
export function verifyDelivery(body, signingKey) {
  return verifiedSymmetricKey(body, signingKey) !== null;
}

/**
 * Verifies, then decrypts the payload as inferred in mava-webhooks.md §4 and returns the parsed
 * event. The AES size comes from the unwrapped key's length; the IV may be 32 hex digits or base64
 * of 16 bytes; the payload hex (only hex digits, a multiple of 32 long) or else base64. Throws
 * when the delivery does not verify or cannot be decrypted.
 */
export function openDelivery(body, signingKey) {
  const symmetricKey = verifiedSymmetricKey(body, signingKey);
  if (!symmetricKey) throw new Error('Mava webhook delivery failed verification');
  const [ivText] = body.key.split(':');
  if (!AES_KEY_SIZES.includes(symmetricKey.length)) throw new Error(`unexpected AES key length ${symmetricKey.length}`);
  const iv = /^[0-9a-fA-F]{32}$/.test(ivText) ? Buffer.from(ivText, 'hex') : Buffer.from(ivText, 'base64');
  if (iv.length !== 16) throw new Error('the IV is neither 32 hex digits nor base64 of 16 bytes');
  const ciphertext = /^[0-9a-fA-F]+$/.test(body.payload) && body.payload.length % 32 === 0
    ? Buffer.from(body.payload, 'hex')
    : Buffer.from(body.payload, 'base64');
  const decipher = crypto.createDecipheriv(`aes-${symmetricKey.length * 8}-cbc`, symmetricKey, iv);
  const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return JSON.parse(plaintext.toString('utf8'));
}

/** W3 §1 steps 1–5: the AES key when the signature matches, else null. */
function verifiedSymmetricKey(body, signingKey) {
  const privateKeyDer = signingKeyDer(signingKey);
  const { signature, payload, key } = body ?? {};
  if (typeof signature !== 'string' || typeof payload !== 'string' || typeof key !== 'string') return null;
  const symmetricKey = unwrapKey(key, privateKeyDer);
  if (!symmetricKey) return null;
  const regenerated = crypto.createHmac('sha256', symmetricKey.toString('base64')).update(payload).digest('hex');
  const expected = Buffer.from(regenerated, 'hex');
  const given = Buffer.from(signature, 'hex');
  if (expected.length !== given.length) return null;
  return crypto.timingSafeEqual(expected, given) ? symmetricKey : null;
}

/** The DER bytes of a signing key, taken the documented way (`split('_')[2]`); throws if invalid. */
function signingKeyDer(signingKey) {
  if (typeof signingKey !== 'string' || !signingKey.startsWith(SIGNING_KEY_PREFIX)) {
    throw new TypeError(`a Mava signing key starts with ${SIGNING_KEY_PREFIX}`);
  }
  const der = Buffer.from(signingKey.split('_')[2] ?? '', 'base64');
  try {
    crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new TypeError('the signing key is not base64 of a PKCS#8 DER private key');
  }
  return der;
}

/** W3 §1 step 3: the RSA part of `key`, decrypted with OAEP and Node's default hash; null on failure. */
function unwrapKey(key, privateKeyDer) {
  const [, encryptedSymmetricKey] = key.split(':');
  if (!encryptedSymmetricKey) return null;
  try {
    return crypto.privateDecrypt(
      { key: privateKeyDer, format: 'der', type: 'pkcs8', padding: crypto.constants.RSA_PKCS1_OAEP_PADDING },
      Buffer.from(encryptedSymmetricKey, 'base64'),
    );
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// sample events (shapes of api-reference A.10.4, deterministic per seed)
// ---------------------------------------------------------------------------------------------

const FIRST_NAMES = ['Ada', 'Ben', 'Chloe', 'Dmitri', 'Elif', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST_NAMES = ['Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Rossi'];
const AGENTS = [{ name: 'Sam Support', email: 'sam@acme.example' }, { name: 'Rita Lead', email: 'rita@acme.example' }];
const CATEGORIES = ['Billing', 'Bug report', 'Account', 'Feature request'];
const TAGS = ['urgent', 'vip', 'refund', 'onboarding', 'wallet'];
const CUSTOMER_TEXTS = [
  'Hi, my withdrawal has been pending for two days.',
  'I cannot connect my wallet on the dashboard.',
  'How do I change the e-mail on my account?',
  'The bot stopped answering in our Discord server.',
];
const AGENT_TEXTS = ['Thanks for reaching out — looking into it now.', 'Could you send a screenshot of the error?'];
const FROM_MS = Date.UTC(2026, 0, 1);
const TO_MS = Date.UTC(2026, 5, 30);

/**
 * `{ type, document }` for `type`: a Ticket for `ticket.*`, a Message for `message.*`, a Customer
 * for `customer.*` (only `ticket.created` is a documented name). The same seed gives the same
 * event. Besides the A.10.4 fields every document has an `_id` (an ObjectId string).
 */
export function sampleEvent(type = 'ticket.created', seed = 1) {
  const rng = createRng(seed);
  const newId = createIdFactory(rng, 0x5e);
  const at = FROM_MS + Math.floor(rng.next() * ((TO_MS - FROM_MS) / 1000)) * 1000;
  const collection = String(type).split('.')[0];
  if (collection === 'ticket') return { type, document: sampleTicket(rng, newId, at) };
  if (collection === 'message') return { type, document: sampleMessage(rng, newId, at) };
  if (collection === 'customer') return { type, document: sampleCustomer(rng, newId, at) };
  throw new RangeError(`no sample document for ${JSON.stringify(type)}: use ticket.*, message.* or customer.*`);
}

function sampleAttribute(rng, newId, at, affiliationType) {
  const names = affiliationType === 'customer' ? ['Plan', 'Region', 'Wallet type'] : ['Order id', 'Product', 'Severity'];
  return { _id: newId(at), name: rng.pick(names), type: 'text', affiliationType, isArchived: false };
}

function sampleCustomer(rng, newId, at) {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const snowflake = () => String(rng.int(100000000, 999999999)) + String(rng.int(100000000, 999999999));
  return {
    _id: newId(at),
    walletAddress: `0x${rng.hex(40)}`,
    name: `${first} ${last}`,
    email: `${first}.${last}@example.com`.toLowerCase(),
    attributes: [{ attribute: sampleAttribute(rng, newId, at, 'customer'), content: rng.pick(['free', 'pro', 'enterprise']) }],
    discordAuthorId: snowflake(),
    telegramAuthorId: String(rng.int(100000000, 2147483647)),
    discordRoles: Array.from({ length: rng.int(0, 2) }, snowflake),
  };
}

function sampleTicket(rng, newId, at) {
  const customerMessageAt = at + rng.int(0, 30) * 1000;
  const answered = rng.chance(0.7);
  const ticket = {
    _id: newId(at),
    tags: rng.sample(TAGS, rng.int(0, 2)).map((name) => ({ _id: newId(at), name })),
    customer: sampleCustomer(rng, newId, at),
    status: answered ? rng.pick(['Open', 'Pending', 'Resolved']) : 'Open',
    priority: String(rng.int(1, 3)), // a string in the webhook schema; the values are a guess
    category: { name: rng.pick(CATEGORIES), isArchived: false },
    sourceType: rng.pick(['web', 'discord', 'telegram', 'email']),
    aiStatus: rng.pick(['resolved', 'escalated', 'handed-off']),
    userRating: newId(at),
    isUserRatingRequested: rng.chance(0.5),
    firstCustomerMessageCreatedAt: new Date(customerMessageAt).toISOString(),
    attributes: [{ attribute: sampleAttribute(rng, newId, at, 'ticket'), content: `ORD-${rng.int(10000, 99999)}` }],
  };
  if (answered) {
    ticket.assignedTo = { ...rng.pick(AGENTS) }; // absent (undefined) when unassigned
    ticket.firstAgentMessageCreatedAt = new Date(customerMessageAt + rng.int(60, 3600) * 1000).toISOString();
  }
  return ticket;
}

function sampleMessage(rng, newId, at) {
  const ticket = sampleTicket(rng, newId, at);
  const fromCustomer = rng.chance(0.6);
  return {
    _id: newId(at),
    messageType: fromCustomer || rng.chance(0.7) ? 'ExternalMessage' : 'InternalNote',
    senderReferenceType: fromCustomer ? 'Customer' : 'ClientMember',
    sender: fromCustomer ? { name: ticket.customer.name, email: ticket.customer.email } : { ...rng.pick(AGENTS) },
    fromCustomer,
    content: rng.pick(fromCustomer ? CUSTOMER_TEXTS : AGENT_TEXTS),
    ticket,
    attachments: rng.chance(0.3)
      ? [{ url: `https://uploads.sandbox.mava.test/${rng.hex(16)}/screenshot.png`, fileName: 'screenshot.png', type: 'image' }]
      : [],
  };
}
